"""The extraction stages in order: segment, metadata, names, policies, times, commitments."""
from __future__ import annotations

import re
from datetime import date

from ouhai_tracker.extract import owners as O
from ouhai_tracker.extract.commitments import Context, find_commitments
from ouhai_tracker.extract.departments import find_departments
from ouhai_tracker.extract.metadata import read_metadata
from ouhai_tracker.extract.model import LetterFacts, Settings
from ouhai_tracker.extract.policies import find_policies
from ouhai_tracker.extract.segment import paragraphs
from ouhai_tracker.extract.timeexpr import find_times


TITLE = re.compile(r"《[^《》]*》")


def _outside_titles(text: str, mentions):
    """Names inside 《titles》 are part of the title, not bodies acting in the letter."""
    spans = [(m.start(), m.end()) for m in TITLE.finditer(text)]
    return [m for m in mentions if not any(s < m.start < e for s, e in spans)]


def run(text: str, file_name: str, settings: Settings, fallbacks: dict) -> LetterFacts:
    meta = read_metadata(text, fallbacks)
    warnings: list[str] = []
    letter_date = meta.date
    if letter_date is None:
        letter_date = date.today()
        warnings.append("no letter date found: relative dates resolved against today")
    mentions = _outside_titles(text, find_departments(text, meta.places, meta.level, meta.replying_department))
    policies = find_policies(text, meta.title)
    times = find_times(text, letter_date)
    ctx = Context(text=text, letter_date=letter_date, settings=settings,
                  actors=O.actors(text, mentions, meta.replying_department, meta.places),
                  times=times, policies=policies, replying=meta.replying_department,
                  closing_lines=frozenset(x for x in (meta.replying_unit,) if x))
    commitments = find_commitments(ctx, paragraphs(text))
    return LetterFacts(text=text, meta=meta, mentions=mentions, policies=policies,
                       commitments=commitments, warnings=warnings)
