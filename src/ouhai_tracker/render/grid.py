"""A plain table for the terminal, fast enough for twenty thousand rows.

rich lays out a table cell by cell (about half a millisecond a row: ten seconds for a full
`tracker list`); this lays out columns once and folds text by its display width, where a
Chinese character takes two cells. It draws what rich's SIMPLE_HEAD box draws: a bold
header, a rule, rows, the text columns wrapped. Cells are plain strings, shown as they are
(`visible` already made control characters harmless): there is no markup to interpret.
"""
from __future__ import annotations

import os
import re
import shutil
import sys
from bisect import bisect_right
from dataclasses import dataclass
from itertools import accumulate

# Runs of characters two cells wide (East Asian Wide and Fullwidth): what a terminal gives CJK text.
_WIDE_RUNS = re.compile("[\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua4cf"
                        "\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6\U00020000-\U0003fffd]+")
LEAD, GAP = "  ", "   "
FLEX_LEAD = 16
STYLES = {"bold": "1", "dim": "2", "red": "31", "bold red": "1;31", "green": "32", "yellow": "33"}


class _CellTable(dict):
    """A character's cells (two for a wide one), looked up in C by map(): measuring and folding
    meet every character of twenty thousand promises, and a letter uses a few thousand characters."""

    def __missing__(self, ch: str) -> int:
        cells = self[ch] = 2 if _WIDE_RUNS.match(ch) else 1
        return cells


_CELLS = _CellTable()


def width(text: str) -> int:
    """Terminal cells ``text`` takes: twice its length, less the narrow characters left once its
    wide runs are removed (in C: three times faster than looking up each character of a listing)."""
    return len(text) if text.isascii() else 2 * len(text) - len(_WIDE_RUNS.sub("", text))


@dataclass
class Column:
    name: str
    justify: str = "left"
    wrap: bool = True  # folded to fit; else kept whole (or cut with … at max_width)
    min_width: int = 4
    max_width: int | None = None
    flex: bool = False  # takes the room the others leave (the commitment itself)


def terminal_width() -> int:
    return shutil.get_terminal_size((80, 24)).columns


def colour_on() -> bool:
    return sys.stdout.isatty() and not os.environ.get("NO_COLOR") and os.environ.get("TERM") != "dumb"


def draw(columns: list[Column], rows: list[list[str]], styles: list[list[str]] | None = None,
         title: str | None = None, total_width: int | None = None) -> str:
    """The table as text, every line within ``total_width`` cells where the columns allow."""
    total_width = total_width or terminal_width()
    colour = colour_on()
    paint = _painter(colour)
    styles = styles if colour else None  # nothing to paint in a pipe
    # Column by column: twenty thousand rows have 100,000 cells, so each cell is measured once, and
    # the common one (one line that fits) is padded inline, without a list of its lines.
    texts = list(zip(*rows)) if rows else [()] * len(columns)
    used = [_longest_lines(cells) for cells in texts]
    widths = _widths(columns, used, total_width)
    out = []
    if title:
        out.append(title)
    headings = [_fold(_measure(c.name), w, c) for c, w in zip(columns, widths)]
    for i in range(max(len(lines) for lines in headings)):
        cells = [lines[i] if i < len(lines) else ("", 0) for lines in headings]
        out.append(_line([(paint(text, "bold") if text else text, used) for text, used in cells], widths, columns))
    out.append(" " + "─" * (len(LEAD) + sum(widths) + len(GAP) * (len(widths) - 1) - 1))
    # Each column's cells fitted and padded to its width (a cell of several lines has them joined
    # by newlines), then the rows put together from them: a row is as many lines as its tallest cell.
    padded = [_padded(cells, cell_widths, room, column, [style[k] for style in styles] if styles else None, paint)
              for k, (cells, cell_widths, room, column) in enumerate(zip(texts, used, widths, columns))]
    blanks = [" " * room for room in widths]
    for parts in zip(*padded):
        line = GAP.join(parts)
        if "\n" not in line:
            out.append((LEAD + line).rstrip())
            continue
        split = [part.split("\n") for part in parts]
        for i in range(max(map(len, split))):
            out.append((LEAD + GAP.join([lines[i] if i < len(lines) else blank
                                         for lines, blank in zip(split, blanks)])).rstrip())
    return "\n".join(out) + "\n"


def _measure(cell: str) -> list[tuple[str, int]]:
    """A cell's lines, each with the terminal cells it takes."""
    return [(line, width(line)) for line in cell.split("\n")]


def _longest_lines(cells: tuple[str, ...]) -> list[int]:
    """The terminal cells of each cell's widest line."""
    out = [width(cell) for cell in cells]
    for k, cell in enumerate(cells):
        if "\n" in cell:
            out[k] = max(used for _, used in _measure(cell))
    return out


def _padded(cells: tuple[str, ...], used: list[int], room: int, column: Column, styles: list[str] | None,
            paint) -> list[str]:
    """Each cell of a column fitted (_fold), painted and padded to ``room``: its lines joined by newlines."""
    right = column.justify == "right"
    out = []
    for k, (cell, cell_used) in enumerate(zip(cells, used)):
        style = styles[k] if styles else ""
        if cell_used <= room and not style and "\n" not in cell:  # most cells: one line that fits
            out.append(" " * (room - cell_used) + cell if right else cell + " " * (room - cell_used))
            continue
        fitted = _fold(_measure(cell) if "\n" in cell else [(cell, cell_used)], room, column)
        if style:
            fitted = [(paint(text, style) if text else text, line_used) for text, line_used in fitted]
        out.append("\n".join(" " * (room - line_used) + text if right else text + " " * (room - line_used)
                             for text, line_used in fitted))
    return out


def _line(cells: list[tuple[str, int]], widths: list[int], columns: list[Column]) -> str:
    parts = []
    for (cell, used), room, column in zip(cells, widths, columns):
        pad = " " * (room - used)
        parts.append(pad + cell if column.justify == "right" else cell + pad)
    return (LEAD + GAP.join(parts)).rstrip()


def _widths(columns: list[Column], used: list[list[int]], total_width: int) -> list[int]:
    """Each column's width: its longest line, narrowed until the table fits ``total_width``."""
    natural = []
    for column, cells in zip(columns, used):
        natural.append(min(max(max(cells, default=0), width(column.name)), column.max_width or 10**6))
    widths = list(natural)
    excess = len(LEAD) + sum(widths) + len(GAP) * (len(widths) - 1) - total_width
    # The widest wrapped column gives a cell at a time, so widths even out; the flexible one (the
    # promise) counts as FLEX_LEAD narrower, so it keeps more of the room.
    # Down to each column's minimum (and its heading) first; on a very narrow terminal, below it.
    for floor in (lambda c: max(c.min_width, width(c.name)), lambda c: 2):
        while excess > 0:
            candidates = [k for k, c in enumerate(columns) if c.wrap and widths[k] > floor(c)]
            if not candidates:
                break
            k = max(candidates, key=lambda i: widths[i] - (FLEX_LEAD if columns[i].flex else 0))
            widths[k] -= 1
            excess -= 1
    return widths


def _fold(lines: list[tuple[str, int]], room: int, column: Column) -> list[tuple[str, int]]:
    """A measured cell's lines fitted to ``room`` cells: as they are, cut with …, or folded."""
    out = []
    for line, used in lines:
        if used <= room:
            out.append((line, used))
        elif not column.wrap:
            out.append(_cut(line, room))
        else:
            out.extend(_folded(line, room))
    return out


def _cut(line: str, room: int) -> tuple[str, int]:
    ends = list(accumulate(map(_CELLS.__getitem__, line)))  # cells up to each character
    stop = bisect_right(ends, room - 1)
    return line[:stop] + "…", (ends[stop - 1] if stop else 0) + 1


def _folded(line: str, room: int) -> list[tuple[str, int]]:
    """``line`` in pieces of at most ``room`` cells (a character wider than that alone)."""
    ends = list(accumulate(map(_CELLS.__getitem__, line)))  # cells up to each character
    out, start, before = [], 0, 0
    while start < len(line):
        stop = max(bisect_right(ends, before + room, start), start + 1)
        out.append((line[start:stop], ends[stop - 1] - before))
        start, before = stop, ends[stop - 1]
    return out or [("", 0)]


def _painter(on: bool):
    if not on:
        return lambda text, style: text
    return lambda text, style: f"\x1b[{STYLES[style]}m{text}\x1b[0m" if style in STYLES else text
