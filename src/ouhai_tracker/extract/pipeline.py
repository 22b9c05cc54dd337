"""Placeholder pipeline: returns an empty LetterFacts. Replaced by the real stages."""
from __future__ import annotations

from ouhai_tracker.extract.model import LetterFacts, LetterMeta, Settings


def run(text: str, file_name: str, settings: Settings, fallbacks: dict) -> LetterFacts:
    return LetterFacts(text=text, meta=LetterMeta())
