"""The extraction stages in order: segment, metadata, names, policies, times, commitments."""
from __future__ import annotations

import re
from bisect import bisect_left
from datetime import date

from ouhai_tracker.extract import owners as O
from ouhai_tracker.extract.commitments import Context, find_commitments
from ouhai_tracker.extract.departments import department_from_name, find_departments, government
from ouhai_tracker.extract.metadata import read_metadata
from ouhai_tracker.extract.model import LetterFacts, LetterMeta, Settings
from ouhai_tracker.extract.policies import find_policies
from ouhai_tracker.extract.rules import cues as C
from ouhai_tracker.extract.rules import departments as R
from ouhai_tracker.extract.segment import paragraphs
from ouhai_tracker.extract.timeexpr import find_times

TITLE = re.compile(r"《[^《》]*》")


def _outside_titles(text: str, mentions):
    """Names inside 《titles》 are part of the title, not bodies acting in the letter."""
    spans = [(m.start(), m.end()) for m in TITLE.finditer(text)]  # in order, never overlapping
    starts = [s for s, _ in spans]

    def inside(position: int) -> bool:
        i = bisect_left(starts, position)  # the last title starting before the position
        return i > 0 and position < spans[i - 1][1]

    return [m for m in mentions if not inside(m.start)]


YEAR = re.compile(r"(?<![\d〔\[［(（])((?:19|20)\d{2})年")
REPORTED = re.compile("|".join(C.PAST_MARKERS))


def estimated_date(text: str) -> date:
    """A day to resolve a letter's relative dates against when it states none: the end of the
    latest year it reports as done, else the start of the latest year it names, else today."""
    today = date.today()
    reported, named = [], []
    for sentence in re.split(r"[。！？\n]", TITLE.sub("", text)):
        years = [int(y) for y in YEAR.findall(sentence) if int(y) <= today.year]
        named += years
        if years and REPORTED.search(sentence):
            reported.append(min(years) if len(years) > 1 else years[0])
    if reported:
        return date(max(reported), 12, 31)
    return date(max(named), 1, 1) if named else today


def unit_confidence(meta: LetterMeta) -> float:
    """How sure the replying unit is, by where it was read (R.UNIT_CONFIDENCE)."""
    if meta.replying_department is None:
        return R.UNIT_CONFIDENCE["government"]
    source = meta.unit_source or ""
    if meta.replying_unit is None:
        return R.UNIT_CONFIDENCE["inferred"]
    if source.startswith("page") and {"政府", "政府办"} & set(meta.replying_department.functions):
        return R.UNIT_CONFIDENCE["portal"]  # a portal publishes every body's letters in its government's name
    return next((value for key, value in R.UNIT_CONFIDENCE.items() if source.startswith(key)),
                R.UNIT_CONFIDENCE["page field"])


def run(text: str, file_name: str, settings: Settings, fallbacks: dict) -> LetterFacts:
    meta = read_metadata(text, fallbacks)
    warnings: list[str] = []
    letter_date = meta.date
    if letter_date is None:
        letter_date = estimated_date(text)
        meta.date_source = f"relative dates resolved against {letter_date.isoformat()}, estimated from the years it reports"
        warnings.append(f"no letter date found: {meta.date_source}")
    mentions = _outside_titles(text, find_departments(text, meta.places, meta.level, meta.replying_department))
    policies = find_policies(text, meta.title)
    times = find_times(text, letter_date)
    addressee = department_from_name(meta.addressee, meta.places, meta.level) if meta.addressee else None
    # With no body named at all, a letter that speaks as 我市 speaks for the city's government.
    replying = meta.replying_department or (government(meta.level, meta.places.get(meta.level))
                                            if meta.level else None)
    replying_confidence = unit_confidence(meta) if replying is not None else 0.0
    ctx = Context(text=text, letter_date=letter_date, settings=settings,
                  actors=O.actors(text, mentions, replying, meta.places, addressee),
                  times=times, policies=policies, replying=replying, replying_confidence=replying_confidence,
                  places=meta.places,
                  closing_lines=frozenset(x for x in (meta.replying_unit,) if x),
                  date_after_writing=meta.date_source is not None and meta.date_source != "signature")
    commitments = find_commitments(ctx, paragraphs(text))
    return LetterFacts(text=text, meta=meta, mentions=mentions, policies=policies,
                       commitments=commitments, warnings=warnings)
