"""Terminal views for following up: the review screen, the scorecard with bars, letters with
members' ratings, settings. As in render.py, letter text reaches rich only as Text (never markup)."""
from __future__ import annotations

from ouhai_tracker import words
from ouhai_tracker.i18n import N_, _
from ouhai_tracker.render import _console, _dim, _plain, _table, _text, due_cell, grid_print, visible

REVIEW_KEYS = N_("[a]ccept  [o]wner  [d]ue  [r]eject  [s]kip  [q]uit")


def review_screen(c: dict, position: int, total: int) -> None:
    """One commitment for review: the sentence highlighted in its paragraph, then what was extracted."""
    from rich.rule import Rule
    from rich.text import Text

    console = _console()
    console.print(Rule(Text(_("{position}/{total}  #{id}  confidence {confidence:.2f}  {letter}").format(
        position=position, total=total, id=c["id"], confidence=c["confidence"],
        letter=visible(c["document"])))))
    start, end = c["highlight"]
    text = c["paragraph"]
    if end <= start:
        start = end = 0
    console.print(Text.assemble(visible(text[:start]), (visible(text[start:end]), "bold reverse"),
                                visible(text[end:])))
    table = _table("", "")
    table.show_header = False
    for label, value in [("Promise", c["text"]),
                         ("Owner", f"{c['owner'] or '—'}  " + _("(by {rule})").format(
                             rule=words.rule(c["owner_rule"]) or _("unknown rule"))),
                         ("Due", f"{due_cell(c)} ({_(c['due_kind'])}" + (_(", as written: {text}").format(
                             text=c["due_text"]) if c["due_text"] else "") + ")"),
                         ("Review", _(c["review"]))]:
        table.add_row(_text(_(label), "bold"), _text(value))
    console.print(table)


def commitment_followup(c: dict) -> None:
    """Extra lines `tracker show` prints under the commitment: outcome, schedule, review, class mark."""
    console = _console()
    table = _table("", "")
    table.show_header = False
    outcome = _(c["outcome"]) + (_(" (since {day})").format(day=c["outcome_on"]) if c.get("outcome_on") else "")
    for label, value in [("Outcome", outcome), ("Schedule", _(c["schedule"])), ("Review", _(c["review"])),
                         ("Class mark", c.get("class_mark"))]:
        if value is not None:
            table.add_row(_text(_(label), "bold"), _text(value))
    console.print(table)
    evidence = [e for e in c["history"] if e.get("evidence")]
    if evidence:
        lines = _table("When", "Outcome", "Evidence", title=_("Evidence"))
        for e in evidence:
            lines.add_row(_text(e["on"] or e["at"]), _text(_(e["new"]) if e["new"] else "—"), _text(e["evidence"]))
        console.print(lines)
    for before in c.get("promised_before") or []:
        console.print(_text(_("Promised before: #{id} in {letter} ({date}), outcome {outcome}: {text}").format(
            id=before["commitment"], letter=before["letter"], date=before["date"] or "—",
            outcome=_(before["outcome"]), text=before["text"]) + (
            "" if before["state"] == "accepted" else "  " + _("(proposed, not reviewed)")), "bold"))
    links = c.get("evidence") or []
    if links:
        table = _table("Link", "Document", "Later sentence", "Outcome", title=_("Later documents"))
        for link in links:
            table.add_row(_text(f"#{link['id']}"), _text(f"{link['document']} {link['document_date'] or ''}".strip()),
                          _text(link["evidence"]), _text(f"{_(link['outcome'])} ({_(link['state'])})"))
        console.print(table)


def stats_view(report: dict, width: int = 20) -> None:
    """The scorecard with one bar per department: █ kept, ▓ partly kept, ▒ in the works, ░ the rest."""
    from rich.text import Text

    console = _console()
    rows = report["scorecard"]
    if not rows:
        console.print(_("No commitments to count."))
        return
    most = max(r["promised"] for r in rows) or 1
    table = _table("Department", "Promised", "Kept", "Overdue", "Overdue*", "Cond.", "Unrated", "Outcomes",
                   title=_("Scorecard, as of {day}").format(day=report["as_of"]))
    for column in table.columns[1:7]:
        column.justify, column.no_wrap = "right", True
    table.columns[7].no_wrap = True
    styles = [("kept", "█", "green"), ("partly-kept", "▓", "yellow"), ("in-the-works", "▒", "blue"),
              ("stalled", "░", "dark_orange"), ("broken", "░", "red"), ("not-yet-rated", "·", "dim")]
    for row in [*rows, report["total"]]:
        scale = width / (most if row is not report["total"] else max(row["promised"], 1))
        bar = Text()
        for outcome, char, style in styles:
            n = row["outcomes"][outcome]
            if n:
                bar.append(char * max(1, round(n * scale)), style=style)
        table.add_row(_text(row["short"] if row is not report["total"] else "合计"), _text(row["promised"]),
                      _text(row["kept"]), _text(row["overdue_written"], "red" if row["overdue_written"] else ""),
                      _text(row["overdue_inferred"], "red" if row["overdue_inferred"] else ""),
                      _text(row["conditional"]), _text(row["not_yet_rated"]), bar)
    console.print(table)
    console.print(_text(_("Overdue: past a date the letter wrote; Overdue*: past a date inferred by a default rule "
                          "(the letter wrote none).\n")
                        + _("Cond. conditional (no date until a condition is met); Unrated: not yet rated.\n"
                          "█ kept  ▓ partly kept  ▒ in the works  ░ stalled/broken  · not yet rated")
                        + (_("   {n} not yet reviewed (`tracker review`)").format(n=report["unreviewed"])
                           if report["unreviewed"] else ""), "dim"))


def _with_source(value: str, source: str | None) -> str:
    """A cell: the value, and below it where it was read."""
    from ouhai_tracker.i18n import translate_message

    return _plain(value) + (f"\n({_plain(translate_message(source))})" if source else "")


def documents_table(rows: list[dict], second_reply: bool = False) -> None:
    """Letters with the members' latest rating; for a second reply, with the members' note instead."""
    if not rows:
        print(_("No letter is rated 不满意.") if second_reply else _("No letters yet: `tracker import PATH` adds some."))
        return
    classes = any(d["class_mark"] for d in rows)
    if second_reply:
        names = ["ID", "File", "Title", "Replying unit", "Note"]
        title = _("Letters for a second reply (rated 不满意)")
    else:
        names = ["ID", "File", "Title", "Replying unit", "Date", *(["Class"] if classes else []), "Open", "Rating"]
        title = None
    cells, styles = [], []
    for d in rows:
        cell = [str(d["id"]), _plain(d["file"]), _plain(d["title"])]
        if second_reply:
            cell += [_plain(d["replying_unit"]), _plain(d["feedback_note"] or "")]
        else:
            cell += [_with_source(d["replying_unit"] or _("not named"), d["unit_source"]),
                     _with_source(d["date"] or _("not stated"), d["date_source"]),
                     *([_plain(d["class_mark"])] if classes else []),
                     f"{d['open']}/{d['commitments']}", _plain(d["feedback"])]
        cells.append(cell)
        styles.append(["bold red" if name == "Rating" and d["second_reply"] else "" for name in names])
    grid_print(names, cells, styles, title)
    if not second_reply and any(d["second_reply"] for d in rows):
        print(_dim(_("不满意: listed for a second reply (tracker docs --second-reply)")))


def settings_table(rows: list[dict]) -> None:
    grid_print(["Setting", "Value", "Source"],
               [[_plain(r["key"]), _plain(r["value"]), _plain(_(r["source"]))] for r in rows])


def letter_view(letter: dict) -> None:
    """`tracker docs ID`: the letter by its title, where it comes from and the members' rating,
    then every promise in it, in the letter's order, with what became of it."""
    from ouhai_tracker.followup.report import evidence_lines, letter_label, letter_meta, note_lines, status_words
    from ouhai_tracker.render import INFERRED_NOTE

    print(_plain(letter_label(letter)))
    print(_plain(letter_meta(letter)))
    if letter.get("superseded_by"):
        print(_("A superseded version of letter #{keep}, merged into it (`tracker docs {keep}`; "
                "`tracker docs split {id}` takes the merge back).").format(keep=letter["superseded_by"],
                                                                          id=letter["id"]))
    rows = letter["commitments"]
    if not rows:
        print(_("No commitments counted here."))
        return
    kept = sum(r["outcome"] == "kept" for r in rows)
    late = [r for r in rows if r["schedule"] == "overdue"]
    inferred = sum(bool(r["due_inferred"]) for r in late)
    print(_dim(_("{n} promises, {kept} kept; overdue: {written} by a date the letter wrote, {inferred} by an "
                 "inferred date (as of {day})").format(n=len(rows), kept=kept, written=len(late) - inferred,
                                                       inferred=inferred, day=letter["as_of"])))
    cells, styles = [], []
    for r in rows:
        cells.append([str(r["id"]), _plain(r["text"]), _plain(r["owner_short"] or r["owner"]), due_cell(r),
                      _plain(status_words(r)), _plain(_(r["outcome"])),
                      _plain("\n".join(evidence_lines(r) + note_lines(r)) or "—")])
        styles.append(["", "", "", "red" if r["schedule"] == "overdue" else "", "", "", ""])
    grid_print(["ID", "Commitment", "Owner", "Due", "Status", "Outcome", "Evidence and notes"], cells, styles)
    if any(r["due_inferred"] for r in rows):
        print(_dim(_(INFERRED_NOTE)))
