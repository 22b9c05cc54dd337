"""The readers' shared types, kept apart so format modules can import them
without importing the package's dispatcher (no import cycles)."""
from __future__ import annotations

from dataclasses import dataclass, field


class ReadError(Exception):
    """The file could not be read as a letter; the message says why and what to do."""


class UnsupportedFile(ReadError):
    """A format the tracker does not read (.doc, images, archives ...)."""


@dataclass
class Document:
    text: str
    format: str  # txt, docx, html, pdf
    # Metadata found around the letter, used when the letter itself lacks it:
    # keys "title", "replying_unit", "date" (YYYY-MM-DD).
    fallbacks: dict[str, str] = field(default_factory=dict)
