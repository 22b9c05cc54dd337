"""One listing, four formats: a rich table for a person at a terminal; for pipes and scripts,
tab-separated lines, CSV or JSON.

In a pipe the default is one line per row, tab-separated, with no header and no padding, so
`tracker list | grep 学位` gives whole rows that start with their id (as `gh` does); `--format
tsv` adds the header line. Cells are one line each (a newline or tab in a letter's text is
written as \\n or \\t), CSV cells are inert (a cell starting with = + - @ gets a leading '),
JSON is what `--json` prints. TRACKER_FORMAT sets the default, e.g. tables into `less -R`.
"""
from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence
from datetime import date

from ouhai_tracker.errors import BadOption
from ouhai_tracker.i18n import _

FORMATS = ("table", "tsv", "csv", "json")
LINES = "lines"  # tsv without its header: what a pipe gets unless asked otherwise


def chosen(format: str | None, json: bool = False) -> str:
    """The format to write: --json, else --format, else $TRACKER_FORMAT, else by where stdout goes."""
    if json:
        return "json"
    if format is None:
        format = os.environ.get("TRACKER_FORMAT") or ("table" if sys.stdout.isatty() else LINES)
        if format == LINES:
            return LINES
    if format not in FORMATS:
        raise BadOption(_("bad --format {value!r}: expected one of {choices}").format(
            value=format, choices=", ".join(FORMATS)))
    return format


Field = tuple[str, Callable[[dict], object]]  # a column's name in tsv/csv, and its value in a row


def write(rows: Sequence[dict], fields: Sequence[Field], format: str) -> None:
    """``rows`` as tsv, lines or csv on stdout: the columns ``fields`` name, every row whole."""
    from ouhai_tracker.render import one_line

    out = sys.stdout
    if format == "csv":
        import csv

        from ouhai_tracker.outputs import inert_cell

        writer = csv.writer(out, lineterminator="\n")
        if _into_a_file(out):  # `> 学位.csv`: the byte-order mark, by which Excel reads it as UTF-8
            out.write("\ufeff")
        writer.writerow([name for name, _value in fields])
        writer.writerows([inert_cell(_plain(value(row))) for _name, value in fields] for row in rows)
        return
    if format == "tsv":
        out.write("\t".join(name for name, _value in fields) + "\n")
    out.writelines("\t".join(one_line(_plain(value(row))) for _name, value in fields) + "\n" for row in rows)


def _into_a_file(stream) -> bool:
    """Whether ``stream`` is a regular file (output redirected into one), not a pipe or a terminal:
    a file gets a CSV's byte-order mark, a script reading a pipe does not."""
    import stat

    try:
        return stat.S_ISREG(os.fstat(stream.fileno()).st_mode)
    except (AttributeError, OSError, ValueError):
        return False


def _plain(value) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return "、".join(map(str, value))
    return str(value)


def _due(row: dict) -> str:
    from ouhai_tracker.render import due_cell

    return due_cell(row)


COMMITMENTS: list[Field] = [
    ("id", lambda r: r["id"]), ("due", _due), ("status", lambda r: r["status"]),
    ("owner", lambda r: r["owner_short"]), ("commitment", lambda r: r["text"]),
    ("letter", lambda r: r["document"]),
]


def _preview_due(c: dict) -> str:
    from ouhai_tracker.render import preview_due

    return preview_due(c)


# What a dry run says one letter would hold (its commitments have no ids yet).
PREVIEW: list[Field] = [
    ("due", _preview_due), ("kind", lambda c: c["due_kind"]), ("owner", lambda c: c["owner"]),
    ("commitment", lambda c: c["text"]),
]


def due_fields(as_of: date) -> list[Field]:
    from ouhai_tracker.render import when

    return [("id", lambda r: r["id"]), ("due", _due), ("when", lambda r: when(r, as_of)),
            ("owner", lambda r: r["owner_short"]), ("commitment", lambda r: r["text"]),
            ("condition", lambda r: r["condition"] or (r["due_text"] if not r["due"] else None)),
            ("letter", lambda r: r["document"])]


def _follow_up(r: dict) -> str:
    from ouhai_tracker.followup.report import evidence_lines, note_lines

    return " | ".join(evidence_lines(r) + note_lines(r))


# One letter's promises (`tracker docs ID` in a pipe).
LETTER_PROMISES: list[Field] = [
    ("id", lambda r: r["id"]), ("due", _due), ("status", lambda r: r["status"]), ("outcome", lambda r: r["outcome"]),
    ("owner", lambda r: r["owner_short"]), ("commitment", lambda r: r["text"]), ("follow_up", _follow_up),
]

LETTERS: list[Field] = [
    ("id", lambda d: d["id"]), ("file", lambda d: d["file"]), ("title", lambda d: d["title"]),
    ("replying_unit", lambda d: d["replying_unit"]), ("date", lambda d: d["date"]),
    ("class", lambda d: d["class_mark"]), ("open", lambda d: d["open"]),
    ("commitments", lambda d: d["commitments"]), ("rating", lambda d: d["feedback"]),
    ("rating_note", lambda d: d["feedback_note"]),
]

DEPARTMENTS: list[Field] = [
    ("name", lambda d: d["name"]), ("place", lambda d: d["place"]), ("aliases", lambda d: d["aliases"]),
    ("owns", lambda d: d["commitments"]), ("open", lambda d: d["open"]),
    ("partner", lambda d: d["partner_in"]), ("letters", lambda d: d["letters"]),
]

POLICIES: list[Field] = [
    ("title", lambda p: p["title"]), ("doc_number", lambda p: p["doc_number"]), ("year", lambda p: p["year"]),
    ("commitments", lambda p: p["commitments"]), ("letters", lambda p: p["documents"]),
]

# `tracker evidence`: a proposed link, the earlier promise beside the later sentence.
EVIDENCE: list[Field] = [
    ("id", lambda r: r["id"]), ("commitment", lambda r: r["commitment"]), ("owner", lambda r: r["owner"]),
    ("promise", lambda r: r["commitment_text"]), ("document", lambda r: r["document"]),
    ("evidence", lambda r: r["evidence"]), ("outcome", lambda r: r["outcome"]), ("state", lambda r: r["state"]),
    ("confidence", lambda r: r["confidence"]),
]

SETTINGS: list[Field] = [("key", lambda s: s["key"]), ("value", lambda s: s["value"]), ("source", lambda s: s["source"])]

SCORECARD: list[Field] = [
    ("department", lambda r: r.get("department") or r["short"]), ("promised", lambda r: r["promised"]),
    ("kept", lambda r: r["kept"]), ("overdue", lambda r: r["overdue"]),
    ("overdue_written", lambda r: r["overdue_written"]), ("overdue_inferred", lambda r: r["overdue_inferred"]),
    ("conditional", lambda r: r["conditional"]), ("not_yet_rated", lambda r: r["not_yet_rated"]),
]
