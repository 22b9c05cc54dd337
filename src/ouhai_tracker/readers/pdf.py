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

from ouhai_tracker.extract.rules import letters as L
from ouhai_tracker.i18n import N_
from ouhai_tracker.readers.base import Document, ReadError
from ouhai_tracker.readers.normalize import CJK_CLASS, normalise_text

_SENTENCE_END = "。！？；：:」”』!?;"
# New items: 一、 （一） (一) 1. 1、 1） (1) 一是 ① 第一， and a date on its own line
_ITEM_START = re.compile(
    rf"^(?:\d{{4}}\s*年\s*\d{{1,2}}\s*月\s*\d{{1,2}}\s*日$|[{L.CN_NUMERALS}百]+[、是]|{L.ITEM_IN_BRACKETS}"
    rf"|\d{{1,2}}\s*[.．、)）]\s*(?=[\u4e00-\u9fff“《])|{L.ITEM_CIRCLED}|{L.ITEM_ORDINAL})"
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


# A letter's PDF is a few pages of text. A file over these is a bomb (a small stream that unpacks to
# gigabytes, forms drawn inside forms), refused before it takes the machine's memory.
MAX_UNPACKED_MB = 64  # all its compressed streams, unpacked
MAX_CONTENT_MB = 16  # the page contents drawn, forms drawn again each time they are used
MAX_CHARS_PER_PAGE = 20_000  # a full page of Chinese text has about two thousand
MAX_CHARS = 100_000  # fifty full pages: pdfminer lays out some 20,000 characters a second


class _TooLarge(Exception):
    pass


def read_pdf(path: Path, data: bytes) -> Document:
    try:
        _check_unpacked_size(data)
        raw = _extract_text(data)
    except _TooLarge as exc:
        raise ReadError(f"{path}: " + N_("too large: {reason}; is it really a reply letter?").format(reason=exc)) from None
    except Exception as exc:  # pdfminer raises many types for broken or encrypted files
        reason = type(exc).__name__ + (f": {exc}" if str(exc) else "")
        raise ReadError(f"{path}: " + N_("cannot read the PDF ({reason}); if it is encrypted, save an unprotected copy").format(
            reason=reason)) from exc
    if _CID.search(raw) and len("".join(_CID.findall(raw))) > 0.3 * len(raw):
        raise ReadError(f"{path}: " + N_("the PDF's fonts have no Unicode mapping, so its text cannot be read; run OCR first"))
    lines: list[tuple[str, bool]] = []
    for physical in raw.splitlines():
        text = _SPACE_IN_CHINESE.sub("", normalise_text(physical))
        if text and not _PAGE_NUMBER.match(text):
            # Indentation is noted before normalisation strips it: where the
            # letter indents its paragraphs, that is the surest paragraph mark.
            lines.append((text, physical[:1] in _INDENT))
    if not lines:
        raise ReadError(f"{path}: " + N_("PDF has no text layer (scanned?); run OCR first"))
    return Document(text="\n".join(join_broken_lines(lines)), format="pdf")


def _check_unpacked_size(data: bytes) -> None:
    """Unpack every zlib stream in the file a megabyte at a time, keeping none of it: over
    MAX_UNPACKED_MB in all is too large (pdfminer would unpack each whole, in memory)."""
    import zlib

    budget = MAX_UNPACKED_MB * 1024 * 1024
    for m in re.finditer(rb"stream\r?\n", data):
        end = data.find(b"endstream", m.end())
        chunk = data[m.end():end if end != -1 else len(data)]
        unpacker = zlib.decompressobj()
        try:
            while chunk:
                budget -= len(unpacker.decompress(chunk, 1024 * 1024))
                if budget < 0:
                    raise _TooLarge(f"its streams unpack to more than {MAX_UNPACKED_MB} MB")
                chunk = unpacker.unconsumed_tail
        except zlib.error:
            continue  # not zlib (or not a stream at all): pdfminer reads it, or says why not


def _extract_text(data: bytes) -> str:
    """pdfminer's extract_text, with its drawing bounded: the contents drawn (forms again at each
    use) and the characters laid out per page and in all."""
    from pdfminer.converter import TextConverter
    from pdfminer.layout import LAParams
    from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
    from pdfminer.pdfpage import PDFPage

    drawn = {"bytes": 0, "chars": 0, "page": 0}

    class Bounded(PDFPageInterpreter):
        def execute(self, streams):
            for stream in streams:
                drawn["bytes"] += len(stream.get_data())
                if drawn["bytes"] > MAX_CONTENT_MB * 1024 * 1024:
                    raise _TooLarge(f"its pages draw more than {MAX_CONTENT_MB} MB of contents")
            super().execute(streams)

    class Counting(TextConverter):
        def begin_page(self, page, ctm):
            drawn["page"] = 0
            super().begin_page(page, ctm)

        def render_char(self, *args, **kwargs):
            drawn["page"] += 1
            drawn["chars"] += 1
            if drawn["page"] > MAX_CHARS_PER_PAGE:
                raise _TooLarge(f"it draws more than {MAX_CHARS_PER_PAGE:,} characters on a page")
            if drawn["chars"] > MAX_CHARS:
                raise _TooLarge(f"it draws more than {MAX_CHARS:,} characters")
            return super().render_char(*args, **kwargs)

    with io.StringIO() as output:
        manager = PDFResourceManager(caching=True)
        device = Counting(manager, output, codec="utf-8", laparams=LAParams())
        interpreter = Bounded(manager, device)
        for page in PDFPage.get_pages(io.BytesIO(data), caching=True):
            interpreter.process_page(page)
        return output.getvalue()


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
