"""Which rules read a letter: a fingerprint of the extraction code and its tables, and the settings.

A letter stored with facts read by other rules or settings than today's is stale: the same text
imported again is 'unchanged', and `tracker reread` reads it again.
"""
from __future__ import annotations

import functools
import hashlib
from pathlib import Path

from ouhai_tracker.extract.model import Settings


@functools.cache
def rules_fingerprint() -> str:
    """Twelve hex digits that change whenever a module of extract/ or a table of extract/rules/ does."""
    digest = hashlib.sha256()
    folder = Path(__file__).resolve().parent
    for path in sorted(folder.rglob("*.py")):
        digest.update(path.relative_to(folder).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def extracted_with(settings: Settings) -> dict:
    """What a letter's facts were read with, as stored beside it."""
    return {"rules": rules_fingerprint(), "vague_months": settings.vague_months,
            "undated_months": settings.undated_months}


def differences(stored: dict | None, settings: Settings) -> list[str]:
    """How a letter read with ``stored`` would be read otherwise now: the options, then the rules."""
    stored = stored or {}
    now = extracted_with(settings)
    found = [f"--{key.replace('_', '-')} {stored[key]} (not {now[key]})" for key in ("vague_months", "undated_months")
             if key in stored and stored[key] != now[key]]
    if stored.get("rules") != now["rules"]:
        found.append("earlier rules")
    return found
