"""Split a letter into paragraphs, sentences, units and clauses, keeping offsets.

A paragraph is a non-empty line. A sentence ends at 。！？. Inside a sentence,
text before a top-level colon is a *lead* (我局将做好以下工作：…, 区财政局表示：…)
and the rest splits at top-level ；into *units*, each a candidate commitment.
Brackets, quotes and 《》 are never split.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from ouhai_tracker.extract.rules import letters as L
from ouhai_tracker.extract.rules.cues import ITEM_MARKER

OPEN = "（(《“‘「『〔[【"
CLOSE = "）)》”’」』〕]】"
SENTENCE_END = "。！？!?"
HEADING = re.compile(rf"^(?:[{L.CN_NUMERALS}]+[、.．]|第[{L.CN_NUMERALS}]+部分)")
# Where a page saved without its line breaks had one: a heading (after a sentence's end, a colon
# or a space, 二、short title, a space), an item (after a sentence's end or a colon and a space,
# 1. / 一、 / （一）), or the signature (after a sentence's end and a space: a unit, its date).
INLINE_BREAK = re.compile(rf"(?:(?<=[。！？!?：:])|(?<=[ \u3000]))(?P<heading>[{L.CN_NUMERALS}]+、[^，。；,;：:\s]{{2,16}}(?=[ \u3000]))"
                          rf"|(?<=[。！？!?：:][ \u3000])(?:{L.ITEM_DIGITS}|{L.ITEM_COMMA}|{L.ITEM_IN_BRACKETS})"
                          rf"|(?<=[。！？!?][ \u3000])[ \u3000]*(?=[^\s，,。；;：:、]{{4,30}}?[ \u3000]+{L.WRITTEN_DATE})")
SUBHEADING = re.compile(rf"^(?:[（(][{L.CN_NUMERALS}]+[)）]|{L.ITEM_DIGITS}(?!\d))")
ITEM = re.compile(ITEM_MARKER)


@dataclass
class Span:
    start: int
    end: int


@dataclass
class Unit(Span):
    item: str | None = None  # the item marker it opened with (一是, (一), 1.)


@dataclass
class Sentence(Span):
    lead: Span | None = None
    units: list[Unit] = field(default_factory=list)


@dataclass
class Paragraph(Span):
    heading: bool = False  # a section heading line (一、…) with no sentence of its own
    section: str | None = None  # the heading of the section it belongs to
    sentences: list[Sentence] = field(default_factory=list)


# A sentence's end: its mark, with the marks and closing brackets and quotes right after it.
_SENTENCE_END = re.compile(f"[{re.escape(SENTENCE_END)}][{re.escape(SENTENCE_END + '”’」』）)')}]*")
_STRUCTURE = re.compile("[" + re.escape(OPEN + CLOSE) + "，,：:；;]")


def top_level_splits(text: str, start: int, end: int, seps: str) -> list[int]:
    """Offsets of separator characters in text[start:end] that are outside brackets and quotes."""
    depth = 0
    found = []
    for m in _STRUCTURE.finditer(text, start, end):
        ch = m.group()
        if ch in OPEN:
            depth += 1
        elif ch in CLOSE:
            depth = max(0, depth - 1)
        elif ch in seps and depth == 0:
            found.append(m.start())
    return found


def strip_span(text: str, start: int, end: int, chars: str = " \t\u3000，,；;。：:") -> tuple[int, int]:
    while start < end and text[start] in chars:
        start += 1
    while end > start and text[end - 1] in chars:
        end -= 1
    return start, end


def split_pieces(text: str, start: int, end: int, seps: str) -> list[tuple[int, int]]:
    pieces = []
    cut = start
    for i in top_level_splits(text, start, end, seps):
        pieces.append((cut, i))
        cut = i + 1
    pieces.append((cut, end))
    out = []
    for s, e in pieces:
        s, e = strip_span(text, s, e)
        if e > s:
            out.append((s, e))
    return out


def clauses(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Comma-separated clauses of a unit, outside brackets and quotes."""
    return split_pieces(text, start, end, "，,：:")


def _units(text: str, start: int, end: int) -> list[Unit]:
    units = []
    for s, e in split_pieces(text, start, end, "；;"):
        item = None
        m = ITEM.match(text, s)
        if m and m.end() < e:
            item = m.group()
            s, e = strip_span(text, m.end(), e)
        if e > s:
            units.append(Unit(s, e, item))
    return units


def sentence_spans(text: str, start: int, end: int) -> list[Sentence]:
    sentences = []
    cut = start
    for m in _SENTENCE_END.finditer(text, start, end):
        sentences.append((cut, m.end()))
        cut = m.end()
    if cut < end:
        sentences.append((cut, end))
    out = []
    for s, e in sentences:
        s, e = strip_span(text, s, e, " \t\u3000")
        if e <= s:
            continue
        sentence = Sentence(s, e)
        colons = top_level_splits(text, s, e, "：:")
        body_start = s
        if colons:
            c = colons[0]
            if strip_span(text, c + 1, e)[1] > strip_span(text, c + 1, e)[0]:
                sentence.lead = Span(*strip_span(text, s, c))
                body_start = c + 1
            else:  # the sentence ends with its colon: all lead, no body
                sentence.lead = Span(*strip_span(text, s, c))
                body_start = e
        sentence.units = _units(text, body_start, e) if body_start < e else []
        out.append(sentence)
    return out


def _lines(text: str) -> Iterator[tuple[int, int]]:
    """Each line's span; on a page saved without its line breaks, a heading, an item or the
    signature run into a line (…如下: 一、基本情况 下冲村…。 2.积极…) stands as a line of its own."""
    pos = 0
    for line in text.split("\n"):
        start, end = pos, pos + len(line)
        pos = end + 1
        breaks = INLINE_BREAK.finditer(text, start, end) if " " in line or "\u3000" in line else ()  # (each asks a space)
        for m in breaks:
            yield start, m.start()
            start = m.start()
            if m.group("heading"):
                yield start, m.end()
                start = m.end()
        yield start, end


def paragraphs(text: str) -> list[Paragraph]:
    out: list[Paragraph] = []
    section: str | None = None
    for start, end in _lines(text):
        start, end = strip_span(text, start, end, " \t\u3000\r")
        if end <= start:
            continue
        body = text[start:end]
        # 一、关于学位供给问题。 is a heading; 一、下一步，我镇将争取资金修缮村道。 is an item (its clauses).
        is_heading = bool(HEADING.match(body)) and ("。" not in body[:-1]) and len(body) <= 40 \
            and not top_level_splits(text, start, end, "，,；;")
        if is_heading:
            section = body
            out.append(Paragraph(start, end, heading=True, section=section))
            continue
        is_subheading = bool(SUBHEADING.match(body)) and not any(c in body for c in "。；;，,") and len(body) <= 30
        p = Paragraph(start, end, heading=is_subheading, section=section)
        if not is_subheading:
            p.sentences = sentence_spans(text, start, end)
        out.append(p)
    return out
