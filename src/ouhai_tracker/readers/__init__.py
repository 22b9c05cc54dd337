"""Bytes -> text. One reader per format, chosen by content as much as by name.

``read_document(path)`` returns the letter's text and any metadata the file
carries around it (a web page's 发布机构 / 发布日期, say) as fallbacks.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


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


def read_document(path: Path) -> Document:
    """Placeholder reader: UTF-8 text only. Replaced by the full readers package."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ReadError(f"{path}: cannot read ({exc.strerror})") from exc
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ReadError(f"{path}: not UTF-8 text") from exc
    return Document(text=text.replace("\r\n", "\n"), format="txt")
