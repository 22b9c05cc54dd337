"""Tables for people, JSON for scripts.

Letter text is data: it only ever reaches rich as ``Text`` objects or through
``escape``, never as markup, so a letter holding ``[bold]`` prints it literally.
Rich drops colour by itself in a pipe and when NO_COLOR is set; columns wrap
rather than truncate, so Chinese text stays whole.
"""
from __future__ import annotations

import json
import re
import sys
import time
from contextlib import contextmanager
from dataclasses import replace
from datetime import date

from ouhai_tracker import words
from ouhai_tracker.i18n import N_, _
from ouhai_tracker.render.grid import Column, colour_on, draw, terminal_width

# Characters a terminal would act on rather than show: C0/C1 controls (ESC starts an ANSI
# sequence), DEL, and the bidirectional overrides that reorder a line. Newline and tab stay.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def visible(value: str) -> str:
    """``value`` with control characters as visible escapes (``\\x1b``): what a letter holds, shown,
    never obeyed. JSON output keeps the exact text; this is for the screen only."""
    if value.isprintable():  # nothing to escape (every unsafe character is unprintable): most text
        return value
    return _UNSAFE.sub(lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100
                       else f"\\u{ord(m.group()):04x}", value)

OWNER_NOTE = N_("? owner not certain: no rule named it with confidence (`tracker review` to check it)")
INFERRED_NOTE = N_("* inferred from a default rule, not written in the letter (`tracker edit ID --due DATE` sets one)")


def print_json(data) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def _console():
    from rich.console import Console

    return Console(highlight=False)


# The words of table headings, labels and states, marked for the catalog: tables look them up
# when they are drawn (grid_print, _table, the label columns of show and review).
HEADINGS = (
    N_("ID"), N_("Due"), N_("When"), N_("Status"), N_("Owner"), N_("Commitment"), N_("Letter"),
    N_("Condition"), N_("File"), N_("Title"), N_("Replying unit"), N_("Date"), N_("Note"), N_("Department"),
    N_("Place"), N_("Also known as"), N_("Owns"), N_("Open"), N_("Partner"), N_("Letters"), N_("Policy"),
    N_("Doc number"), N_("Year"), N_("Commitments"), N_("Cited in"), N_("Value"), N_("What"), N_("Change"),
    N_("History"), N_("Kind"), N_("Promise"), N_("Partners"), N_("Policies"), N_("Section"),
    N_("Letter date"), N_("Review"), N_("Outcome"), N_("Schedule"), N_("Class mark"), N_("Evidence"),
    N_("Promised"), N_("Kept"), N_("Overdue"), N_("Overdue*"), N_("Cond."), N_("Unrated"), N_("Outcomes"), N_("Class"),
    N_("Rating"), N_("Setting"), N_("Source"), N_("Link"), N_("Document"), N_("Later sentence"))
STATES = (
    N_("open"), N_("done"), N_("withdrawn"), N_("deleted"), N_("unreviewed"), N_("accepted"),
    N_("corrected"), N_("rejected"), N_("not-yet-rated"), N_("in-the-works"), N_("stalled"), N_("kept"),
    N_("partly-kept"), N_("broken"), N_("date"), N_("vague"), N_("recurring"), N_("conditional"), N_("none"),
    N_("lead"), N_("partner"), N_("directed"), N_("co-organizer"),
    # schedule states (followup/schedule.py) and a letter not rated by the members
    N_("all"), N_("on-time"), N_("overdue"), N_("kept-on-time"), N_("kept-late"), N_("no-date"), N_("closed"), N_("not rated"))
# What done, reopen, delete and restore say became of each commitment.
RESULTS = (
    N_("done"), N_("already done"), N_("reopened"), N_("already open"), N_("deleted"), N_("already deleted"),
    N_("restored"), N_("not deleted"))

NUMERIC = ("ID", "Commitments", "Owns", "Open", "Partner", "Letters")
# Names shrink last: a table reads badly when 区经济和信息化局 breaks in two.
MIN_WIDTH = {"Owner": 10, "Department": 18, "Date": 10, "File": 10}


def _table(*columns: str, title: str | None = None):
    from rich import box
    from rich.table import Table

    # The promise itself takes the room that is left; the letter's file name gives way first.
    wide = "Commitment" in columns
    table = Table(title=title, box=box.SIMPLE_HEAD, title_justify="left", expand=wide)
    for column in columns:
        if column == "Commitment":
            table.add_column(_(column), overflow="fold", ratio=1, min_width=20)
        elif column == "Letter" and wide:
            table.add_column(_(column), overflow="ellipsis", no_wrap=True, max_width=14)
        else:
            table.add_column(_(column), overflow="fold", no_wrap=column in ("ID", "Due", "When"),
                             min_width=MIN_WIDTH.get(column), justify="right" if column in NUMERIC else "left")
    return table


def sourced(value: str | None, source: str | None, missing: str) -> str:
    """A letter's unit or date with where it was read: 2023-06-16 (read from the signature);
    not named (公安局 inferred from the thanks for 交通管理工作)."""
    from ouhai_tracker.i18n import translate_message

    if value is None:
        return f"{_(missing)} ({translate_message(source)})" if source else _(missing)
    return _("{value} (read from the {source})").format(value=value, source=translate_message(source)) \
        if source else value


# Where a letter's unit or date was read (stored as these words, shown in the user's language).
SOURCES = (N_("signature"), N_("title line"), N_("page's publisher"), N_("page's breadcrumb"),
           N_("page's publication date"), N_("not named"), N_("not stated"))


def _text(value, style: str = ""):
    """A cell that rich prints as is (no markup parsing): the way letter text reaches the screen."""
    from rich.text import Text

    if value is None:
        return Text("—", style="dim")
    if isinstance(value, list):
        value = "、".join(map(str, value))
    return Text(visible(str(value)), style=style)


def owner_cell(row: dict, role: bool = False) -> str:
    """The owner's short name; ``?`` marks a guess (owner?) for a person to check. With ``role``
    (`due --dept`), a row where the department asked for only takes part says so."""
    cell = _plain(row["owner_short"]) + ("?" if row.get("owner_flagged") else "")
    if role and row.get("role") == "partner":
        cell += "\n" + _("(--dept: partner)")
    return cell


def due_cell(row: dict) -> str:
    if row["due"] is None:
        return _("conditional") if row["due_kind"] == "conditional" else "—"
    return row["due"] + ("*" if row["due_inferred"] else "")


def commitments_table(rows: list[dict], show_status: bool = False) -> None:
    if not rows:
        print(_("No commitments match."))
        return
    columns = _fitting(terminal_width(), ["ID", "Due", *(["Status"] if show_status else []), "Owner",
                                          "Commitment", "Letter"])
    rejected = _(" (rejected)")
    # Each column's cell of a row: only the columns shown are made (twenty thousand rows).
    cell = {"ID": lambda row: str(row["id"]), "Due": due_cell,
            # a reviewer's rejection shows where rejected ones are listed at all
            "Status": lambda row: _(row["status"]) + (rejected if row.get("review") == "rejected" else ""),
            "Owner": owner_cell, "Commitment": lambda row: _plain(row["text"]),
            "Letter": lambda row: _plain(row["document"])}
    made = [cell[c] for c in columns]
    cells = [[make(row) for make in made] for row in rows]
    styles = None
    if colour_on():  # (a pipe shows no colour)
        styles = [["red" if c == "Due" and row["overdue"] else "" for c in columns] for row in rows]
    grid_print(columns, cells, styles)
    _footnote(rows)


DUE_ROWS = 50  # the most urgent ones a person reads at a glance; --all shows the rest


def when(row: dict, as_of: date) -> str | None:
    """How far off a due date is: OVERDUE 12d, today, in 30d (None for an undated one)."""
    if not row["due"]:
        return None
    days = (date.fromisoformat(row["due"]) - as_of).days
    if days < 0:
        return _("OVERDUE {days}d").format(days=-days)
    return _("today") if days == 0 else _("in {days}d").format(days=days)


def due_view(rows: list[dict], as_of: date, more: int = 0) -> None:
    dated = [r for r in rows if r["due"]]
    undated = [r for r in rows if not r["due"]]
    if not rows:
        print(_("Nothing open is due."))
        return
    if dated:
        columns = _fitting(terminal_width(), ["ID", "Due", "When", "Owner", "Commitment", "Letter"])
        cells, styles = [], []
        for row in dated:
            cell = {"ID": str(row["id"]), "Due": due_cell(row), "When": when(row, as_of) or "",
                    "Owner": owner_cell(row, role=True), "Commitment": _plain(row["text"]),
                    "Letter": _plain(row["document"])}
            late = "bold red" if row["due"] < as_of.isoformat() else ""
            cells.append([cell[c] for c in columns])
            styles.append([late if c in ("Due", "When") else "" for c in columns])
        grid_print(columns, cells, styles, title=_("Due, as of {day}").format(day=as_of))
    if undated:
        columns = _fitting(terminal_width(), ["ID", "Owner", "Commitment", "Condition", "Letter"])
        cells = []
        for row in undated:
            cell = {"ID": str(row["id"]), "Owner": owner_cell(row, role=True), "Commitment": _plain(row["text"]),
                    "Condition": _plain(row["condition"] or row["due_text"]), "Letter": _plain(row["document"])}
            cells.append([cell[c] for c in columns])
        grid_print(columns, cells, title=("\n" if dated else "") + _("Waiting on a condition (no date)"))
    if more:
        print(_dim(_("… and {more} more: `tracker due --all` shows them, `--limit N` the first N").format(more=more)))
    _footnote(rows)


# How wide each column must be to be worth showing, and the order in which columns give way on a
# narrow terminal so the promise keeps room to be read (`show ID` always has the whole record).
NEED = {"ID": 4, "Due": 11, "When": 12, "Owner": 10, "Status": 9, "Condition": 12, "Commitment": 16}
GIVE_WAY = ("Letter", "When", "Condition", "Owner", "Status", "Due")
LETTER_FROM = 100  # the letter's file name only on a wide terminal


def _fitting(total_width: int, columns: list[str]) -> list[str]:
    columns = [c for c in columns if c != "Letter" or total_width >= LETTER_FROM]
    for column in GIVE_WAY:
        if sum(NEED.get(c, 14) + 3 for c in columns) <= total_width:
            break
        if column in columns:
            columns.remove(column)
    return columns


def _footnote(rows: list[dict]) -> None:
    if any(r["due"] and r["due_inferred"] for r in rows):
        print(_dim(_(INFERRED_NOTE)))
    if any(r.get("owner_flagged") for r in rows):
        print(_dim(_(OWNER_NOTE)))


# Every listing's columns, as grid draws them: how each wraps, and which one takes the room left.
COLUMNS = {
    "ID": Column("ID", justify="right", wrap=False), "Due": Column("Due", wrap=False),
    "When": Column("When", wrap=False), "Status": Column("Status", min_width=6),
    "Owner": Column("Owner", min_width=10), "Commitment": Column("Commitment", min_width=20, flex=True),
    "Letter": Column("Letter", wrap=False, max_width=14), "Condition": Column("Condition", min_width=10),
    "File": Column("File", min_width=10), "Title": Column("Title", min_width=12, flex=True),
    "Replying unit": Column("Replying unit", min_width=10), "Date": Column("Date", min_width=11),
    "Note": Column("Note", min_width=12, flex=True),
    "Evidence and notes": Column("Evidence and notes", min_width=12, flex=True),
    "Outcome": Column("Outcome", min_width=6), "Department": Column("Department", min_width=18),
    "Policy": Column("Policy", min_width=16, flex=True), "Cited in": Column("Cited in", min_width=12), "Value": Column("Value", min_width=12, flex=True),
}
for _name in NUMERIC + ("Year",):
    COLUMNS.setdefault(_name, Column(_name, justify="right", wrap=False))


def grid_print(names: list[str], cells: list[list[str]], styles: list[list[str]] | None = None,
               title: str | None = None) -> None:
    """A listing's table on stdout (grid.py: fast, and the same look as rich's tables)."""
    columns = [replace(COLUMNS.get(n) or Column(n), name=_(n)) for n in names]
    sys.stdout.write(draw(columns, cells, styles, title))


def _plain(value) -> str:
    """A cell's text: — for nothing, lists joined, control characters made visible."""
    if value is None:
        return "—"
    if isinstance(value, list):
        value = "、".join(map(str, value))
    return visible(str(value))


def _dim(text: str) -> str:
    return f"\x1b[2m{text}\x1b[0m" if colour_on() else text


def commitment_view(c: dict) -> None:
    """`tracker show`: the promise in its paragraph, then who, when, under what, from where, and since."""
    from rich.text import Text

    console = _console()
    console.print(Text(f"#{c['id']}  {_(c['status'])}", style="bold"))
    start, end = c["highlight"]
    text = c["paragraph"]
    if end <= start:
        start = end = 0
    # Escaped piece by piece: an escape is longer than the character, so offsets are taken first.
    paragraph = Text.assemble(visible(text[:start]), (visible(text[start:end]), "bold reverse"),
                              visible(text[end:]))
    console.print(paragraph)
    console.print()
    due = due_cell(c)
    deadline = f"{due} ({_(c['due_kind'])}"
    deadline += _(", as written: {text}").format(text=c["due_text"]) if c["due_text"] else ""
    deadline += _("; rule: {rule}").format(rule=words.rule(c["due_rule"])) if c["due_rule"] else ""
    deadline += _("; inferred") + ")" if c["due_inferred"] and c["due"] else ")"
    if c["due_period"]:
        deadline += _(", every {period}").format(period=words.period(c["due_period"]))
    fields = [
        ("Promise", c["text"]),  # also readable where the highlight above is not (a pipe, NO_COLOR)
        ("Owner", f"{c['owner'] or '—'}  " + _("(by {rule})").format(rule=words.rule(c["owner_rule"]) or _("unknown rule"))
         + ("  " + _("owner? confidence {value:.2f}: not certain, please check").format(value=c["owner_confidence"])
            if c["owner_flagged"] else "")),
        ("Partners", "; ".join(f"{p['name']} ({_(p['role'])}, {p['cue']})" for p in c["partner_roles"]) or "—"),
        ("Due", deadline + ("  " + _("OVERDUE") if c["overdue"] else "")),
        ("Condition", c["condition"]),
        ("Policies", "; ".join(_policy_line(p) for p in c["policy_details"]) or "—"),
        ("Section", " ".join(x for x in (c["section"], c["item"]) if x) or None),
    ]
    letter = c["letter"]
    fields.append(("Letter", " | ".join(x for x in (letter["file"], letter["title"]) if x)))
    fields.append(("Replying unit", sourced(letter["replying_unit"], letter["unit_source"], "not named")))
    fields.append(("Letter date", sourced(letter["date"], letter["date_source"], "not stated")))
    table = _table("", "", title=None)
    table.show_header = False
    for label, value in fields:
        if value is not None:
            table.add_row(_text(_(label), "bold"), _text(value))
    console.print(table)
    history = _table("When", "What", "Change", "Note", title=_("History"))
    for e in c["history"]:
        what = words.action(e["action"]) + (_(" (on {day})").format(day=e["on"]) if e["on"] else "")
        change = (f"{words.field(e['field'])}: {words.value(e['old']) or '—'} → {words.value(e['new']) or '—'}"
                  if e["field"] else "")
        # an import's note and a merge's are the tracker's
        note = words.rule(e["note"]) if e["action"] == "imported" else words.note(e["note"])
        history.add_row(_text(e["at"]), _text(what), _text(change), _text(note or ""))
    console.print(history)


def _policy_line(p: dict) -> str:
    extras = [str(x) for x in (p["doc_number"], p["issuer"], p["year"]) if x]
    return f"《{p['title']}》" + (f" ({', '.join(extras)})" if extras else "")


def departments_table(rows: list[dict]) -> None:
    if not rows:
        print(_("No departments yet: import some letters first."))
        return
    grid_print(["Department", "Place", "Also known as", "Owns", "Open", "Partner", "Letters"],
               [[_plain(d["name"]), _plain(d["place"]), _plain(d["aliases"]), str(d["commitments"]), str(d["open"]),
                 str(d["partner_in"]), str(d["letters"])] for d in rows])


def policies_table(rows: list[dict]) -> None:
    if not rows:
        print(_("No policies yet: import some letters first."))
        return
    grid_print(["Policy", "Doc number", "Year", "Commitments", "Cited in"],
               [[_plain(p["title"]), _plain(p["doc_number"]), _plain(p["year"]), str(p["commitments"]),
                 _plain(p["documents"])] for p in rows])


def one_line(value: str) -> str:
    """``visible``, and line breaks and tabs as escapes too: a file name or message that must stay
    on its one line (a name with a newline in it could pass for a line of its own)."""
    return visible(value).replace("\n", "\\n").replace("\t", "\\t")


IMPORT_STATUSES = (
    N_("would add"), N_("would update"), N_("added"), N_("updated"), N_("unchanged"),
    N_("older version, not stored"), N_("not a reply letter"), N_("failed"))


def import_line(result) -> str:
    line = _("{file}: {commitments} commitments, {policies} policies, {departments} departments, {status}").format(
        file=one_line(result.file), commitments=result.commitments, policies=result.policies,
        departments=result.departments, status=_(result.status))
    if result.status in ("updated", "would update"):
        line += _(" ({added} added, {updated} updated, {unchanged} unchanged, {withdrawn} withdrawn)").format(
            added=result.added, updated=result.updated, unchanged=result.unchanged, withdrawn=result.withdrawn)
    if result.read_with and "--" in result.read_with:  # the options a person gave differ: say so here
        line += _("; its stored facts were read with {how}").format(how=result.read_with)
    if result.newer:
        return line + _("; letter #{id} is stored from {file}, a newer version (by the letter's date, then the "
                        "file's)").format(id=result.letter_id, file=one_line(result.matched_file))
    if result.matched_file is not None and result.matched_file != result.file:  # which stored letter it is
        line += _("; letter #{id}, stored as {file}, matched by {how}").format(
            id=result.letter_id, file=one_line(result.matched_file), how=result.matched_by)
    return line


def import_summary(results, dry_run: bool) -> str:
    """The line that ends every import: how many files, and what became of them."""
    from collections import Counter

    counts = Counter(r.status for r in results)
    parts = [f"{counts[status]} {_(status)}" for status in IMPORT_STATUSES if counts[status]]
    files = (_("{n} file") if len(results) == 1 else _("{n} files")).format(n=len(results))
    return (_("dry run, nothing written: ") if dry_run else "") + f"{files}: {', '.join(parts) or _('nothing to import')}"


def reread_note(results, settings) -> str | None:
    """After an import: the unchanged letters whose facts were read otherwise, and what reads them again."""
    stale = [r for r in results if r.read_with]
    if not stale:
        return None
    options = "".join(f" --{name} {value}" for name, value, default in (
        ("vague-months", settings.vague_months, 3), ("undated-months", settings.undated_months, 12))
        if value != default)
    return _("{n} unchanged letters were read with other settings or earlier rules than these: `tracker reread"
             "{options}` reads them again (statuses, notes and edits kept)").format(n=len(stale), options=options)


def preview_table(result) -> None:
    """Dry run, at a terminal: what one letter would add (in a pipe: listing.PREVIEW, a line each)."""
    grid_print(["Due", "Kind", "Owner", "Commitment"],
               [[preview_due(c), _(c["due_kind"]), _plain(c["owner"]), _plain(c["text"])] for c in result.preview])


def preview_due(c: dict) -> str:
    return (c["due"] or "—") + ("*" if c["due"] and c["due_inferred"] else "")


@contextmanager
def import_progress(after: float = 1.0):
    """A ``progress(done, total)`` callback that shows a bar on stderr once an import has taken
    ``after`` seconds; silent when stderr is not a terminal, so pipes and logs get only the lines."""
    started = time.monotonic()
    bar = None

    def progress(done: int, total: int) -> None:
        nonlocal bar
        if bar is None:
            if done == total or time.monotonic() - started < after or not sys.stderr.isatty():
                return
            from rich.console import Console
            from rich.progress import Progress

            bar = Progress(console=Console(stderr=True), transient=True)
            bar.add_task(_("Importing letters"), total=total)
            bar.start()
        bar.update(bar.task_ids[0], completed=done, total=total)

    try:
        yield progress
    finally:
        if bar is not None:
            bar.stop()
