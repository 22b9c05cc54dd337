"""Text -> facts. Pure functions: no database, no terminal.

``extract_letter(text, file_name)`` runs the stages in order: segment the
letter, read its metadata, recognise departments, policies and time
expressions, pick out the commitments, attribute owners and partners and
resolve deadlines.
"""
from __future__ import annotations

from ouhai_tracker.extract.model import LetterFacts, Settings


def extract_letter(text: str, file_name: str = "", settings: Settings | None = None,
                   fallbacks: dict | None = None) -> LetterFacts:
    from ouhai_tracker.extract.pipeline import run

    return run(text, file_name, settings or Settings(), fallbacks or {})


def missing_reply_marks(text: str) -> list[str]:
    """The marks of a reply letter that ``text`` lacks (empty for a letter): a proposal or
    suggestion, an answer, an addressee or a signature."""
    from ouhai_tracker.extract.metadata import missing_reply_marks as missing

    return missing(text)
