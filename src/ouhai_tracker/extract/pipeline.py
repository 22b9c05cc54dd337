"""The extraction stages in order: segment, metadata, names, policies, times, commitments."""
from __future__ import annotations

from ouhai_tracker.extract import owners as O
from ouhai_tracker.extract.commitments import Context, find_commitments
from ouhai_tracker.extract.departments import as_it_names_itself, department_from_name, find_departments, government
from ouhai_tracker.extract.metadata import _outside_titles, estimated_date, read_metadata
from ouhai_tracker.extract.model import LetterFacts, LetterMeta, Mention, Settings
from ouhai_tracker.extract.policies import find_policies
from ouhai_tracker.extract.rules import departments as R
from ouhai_tracker.extract.segment import paragraphs
from ouhai_tracker.extract.timeexpr import find_times


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
    if meta.replying_department is not None:
        named = as_it_names_itself(meta.replying_department, mentions)
        if named is not meta.replying_department:
            mentions = [Mention(named, m.start, m.end, m.text) if m.department.name == meta.replying_department.name else m
                        for m in mentions]
            meta.replying_department = named
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
