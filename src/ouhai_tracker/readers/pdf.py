"""PDF letters with a text layer, via pdfminer.six.

PDFs carry lines, not paragraphs: a paragraph comes out broken at the page
width. Lines are joined back, conservatively: only a line that fills the
width is joined to the next, never to a numbered item (一、 （一） 1. 一是 ①),
and never after a sentence end - unless the letter indents its paragraphs,
in which case a non-indented line after a full one is a continuation.
"""
from __future__ import annotations

import io
import math
import re
from pathlib import Path

from ouhai_tracker.readers.base import Document, ReadError
from ouhai_tracker.readers.normalize import CJK_CLASS, normalise_text

_SENTENCE_END = "。！？；：:」”』!?;"
# New items: 一、 （一） (一) 1. 1、 1） (1) 一是 ① 第一， and a date on its own line
_ITEM_START = re.compile(
    r"^(?:\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日$|[一二三四五六七八九十百]+[、是]|[（(][一二三四五六七八九十\d]+[)）]"
    r"|\d{1,2}\s*[.．、)）]\s*(?=[\u4e00-\u9fff“《])|[①-⑳⑴-⒇]|第[一二三四五六七八九十]+[，、])"
)
# Page furniture: "- 1 -", "— 2 —", "第 1 页 共 3 页", "1/3".
_PAGE_NUMBER = re.compile(r"^(?:[-—–－]\s*\d{1,4}\s*[-—–－]|第\s*\d+\s*页.{0,8}|\d{1,4}\s*/\s*\d{1,4})$")
_CID = re.compile(r"\(cid:\d+\)")
_INDENT = (" ", "\t", "\u3000", "\xa0")
# pdfminer puts a space wherever two glyphs sit a little apart; between two
# Chinese characters that is never the author's.
_SPACE_IN_CHINESE = re.compile(f"(?<=[{CJK_CLASS}，。、；：“”（）《》]) (?=[{CJK_CLASS}，。、；：“”（）《》])")
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
    lines: list[tuple[str, bool]] = []
    for physical in raw.splitlines():
        text = _SPACE_IN_CHINESE.sub("", normalise_text(physical))
        if text and not _PAGE_NUMBER.match(text):
            # Indentation is noted before normalisation strips it: where the
            # letter indents its paragraphs, that is the surest paragraph mark.
            lines.append((text, physical[:1] in _INDENT))
    if not lines:
        raise ReadError(f"{path}: PDF has no text layer (scanned?); run OCR first")
    return Document(text="\n".join(join_broken_lines(lines)), format="pdf")


def join_broken_lines(lines: list[tuple[str, bool]]) -> list[str]:
    """Join (text, indented) lines that the page width broke, not the author."""
    if not lines:
        return []
    widths = sorted(_width(text) for text, _ in lines)
    # The 90th percentile rather than the maximum: one over-long line (a
    # table row, a URL) must not make every real full line look short.
    full = widths[math.ceil(0.9 * (len(widths) - 1))]
    indents = sum(indented for _, indented in lines)
    # Indentation tells paragraphs apart only if some lines, not all, have it.
    by_indent = 2 <= indents <= 0.6 * len(lines)
    out = [lines[0][0]]
    for (previous, _), (line, indented) in zip(lines, lines[1:], strict=False):
        wrapped = _width(previous) >= _FULL_LINE * full and not _ITEM_START.match(line)
        if by_indent:
            wrapped = wrapped and not indented
        else:
            wrapped = wrapped and not previous.endswith(tuple(_SENTENCE_END))
        if wrapped:
            out[-1] += _glue(previous, line) + line
        else:
            out.append(line)
    return out


def _glue(left: str, right: str) -> str:
    # Chinese needs no space between the pieces, and a number the page broke
    # (2021年1 / 1月) is one number; only two Latin words need a space.
    return " " if left[-1].isascii() and left[-1].isalpha() and right[0].isascii() and right[0].isalpha() else ""


def _width(line: str) -> int:
    """Printed width in half-width units: Chinese glyphs are twice as wide
    as ASCII, so "2020年5月" is not as long as eight Chinese characters."""
    return sum(1 if ch.isascii() else 2 for ch in line)
