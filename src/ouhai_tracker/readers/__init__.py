"""Bytes -> text. One reader per format, chosen by content as much as by name.

``read_document(path)`` returns the letter's text and any metadata the file
carries around it (a web page's 发布机构 / 发布日期, say) as fallbacks.

The text is normalised for the extraction: one paragraph per line, no blank
lines, indentation removed, wording untouched (see ``normalize``).
"""
from __future__ import annotations

from pathlib import Path

from ouhai_tracker.i18n import N_
from ouhai_tracker.readers.base import Document, ReadError, UnsupportedFile
from ouhai_tracker.readers.sniff import sniff

__all__ = ["Document", "ReadError", "UnsupportedFile", "read_document"]


def read_document(path: Path) -> Document:
    """Read a letter file; raise ReadError (or UnsupportedFile) saying why not."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise ReadError(f"{path}: " + N_("cannot read ({reason})").format(reason=reason)) from exc
    if not data:
        raise ReadError(f"{path}: " + N_("empty file"))

    kind = sniff(path, data)
    # Format modules are imported here so python-docx / pdfminer load only
    # when a file of that kind is actually read.
    if kind == "docx":
        from ouhai_tracker.readers.docx import read_docx as reader
    elif kind == "pdf":
        from ouhai_tracker.readers.pdf import read_pdf as reader
    elif kind == "html":
        from ouhai_tracker.readers.html import read_html as reader
    else:
        from ouhai_tracker.readers.txt import read_txt as reader
    document = reader(path, data)
    if not document.text:
        raise ReadError(f"{path}: " + N_("no text in it ({kind})").format(kind=kind))
    return document

