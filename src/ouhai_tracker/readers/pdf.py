"""PDF letters with a text layer, via pdfminer.six.

PDFs carry lines, not paragraphs: a paragraph comes out broken at the page
width. Lines are joined back, conservatively, when a line fills the width,
does not end a sentence and the next line does not start a numbered item.
"""
from __future__ import annotations

import io
import re
from pathlib import Path

from ouhai_tracker.readers.base import Document, ReadError
from ouhai_tracker.readers.normalize import normalise_text

_SENTENCE_END = "。！？；：:」”』）)!?;"
# New items: 一、 （一） (一) 1. 1、 1） (1) 一是 ① and 第一，
_ITEM_START = re.compile(
    r"^(?:[一二三四五六七八九十百]+[、是]|[（(][一二三四五六七八九十\d]+[)）]"
    r"|\d+\s*[.．、)）](?!\d)|[①-⑳⑴-⒇]|第[一二三四五六七八九十]+[，、])"
)
# Page furniture: "- 1 -", "— 2 —", "第 1 页 共 3 页", "1/3".
_PAGE_NUMBER = re.compile(r"^(?:[-—–－]\s*\d{1,4}\s*[-—–－]|第\s*\d+\s*页.{0,8}|\d{1,4}\s*/\s*\d{1,4})$")
_CID = re.compile(r"\(cid:\d+\)")
# A line this close to the widest lines was wrapped by the layout.
_FULL_LINE = 0.85


def read_pdf(path: Path, data: bytes) -> Document:
    # Imported here: pdfminer is heavy and only needed for PDFs.
    from pdfminer.high_level import extract_text

    try:
        raw = extract_text(io.BytesIO(data))
    except Exception as exc:  # pdfminer raises many types for broken or encrypted files
        reason = type(exc).__name__ + (f": {exc}" if str(exc) else "")
        raise ReadError(f"{path}: cannot read the PDF ({reason}); if it is encrypted, save an unprotected copy") from exc
    if _CID.search(raw) and len("".join(_CID.findall(raw))) > 0.3 * len(raw):
        raise ReadError(f"{path}: the PDF's fonts have no Unicode mapping, so its text cannot be read; run OCR first")
    lines = [line for line in normalise_text(raw).split("\n") if line and not _PAGE_NUMBER.match(line)]
    if not lines:
        raise ReadError(f"{path}: PDF has no text layer (scanned?); run OCR first")
    return Document(text="\n".join(join_broken_lines(lines)), format="pdf")


def join_broken_lines(lines: list[str]) -> list[str]:
    if not lines:
        return []
    widths = sorted(_width(line) for line in lines)
    # The 90th percentile rather than the maximum: one over-long line (a
    # table row, a URL) must not make every real full line look short.
    full = widths[int(0.9 * (len(widths) - 1))]
    out = [lines[0]]
    for previous, line in zip(lines, lines[1:]):
        if _is_wrapped(previous, line, full):
            out[-1] += _glue(previous, line) + line
        else:
            out.append(line)
    return out


def _is_wrapped(line: str, following: str, full: int) -> bool:
    """True when ``line`` was cut by the page width, not by the author."""
    return (
        _width(line) >= _FULL_LINE * full
        and not line.endswith(tuple(_SENTENCE_END))
        and not _ITEM_START.match(following)
    )


def _glue(left: str, right: str) -> str:
    # Chinese needs no space between the pieces; two Latin words or numbers do.
    return " " if left[-1].isascii() and left[-1].isalnum() and right[0].isascii() and right[0].isalnum() else ""


def _width(line: str) -> int:
    """Printed width in half-width units: Chinese glyphs are twice as wide
    as ASCII, so "2020年5月" is not as long as eight Chinese characters."""
    return sum(1 if ch.isascii() else 2 for ch in line)
