"""Evidence for the terminal: what an import of later documents found, the proposed links (the
earlier promise beside the later sentence), and the review screen for one link. Letter and
document text is data: it reaches the terminal through ``visible`` and never as markup."""
from __future__ import annotations

from ouhai_tracker.i18n import N_, _, translate_message
from ouhai_tracker.render import grid_print, one_line, visible

# Outcome and state words, for the catalog.
WORDS = (N_("kept"), N_("partly"), N_("not_kept"), N_("repeated"), N_("proposed"), N_("accepted"), N_("rejected"),
         N_("letter"), N_("document"))
REVIEW_KEYS = N_("[a]ccept  [k]ept  [p]artly  [n]ot kept  [t] repeated  [r]eject  [s]kip  [q]uit")
KEY_OUTCOMES = {"k": "kept", "p": "partly", "n": "not_kept", "t": "repeated"}


def import_line(result: dict) -> str:
    """F02.txt: evidence document, added; 8 links proposed (a letter's own line comes first)."""
    kind = _("reply letter") if result["kind"] == "letter" else _("evidence document")
    line = _("{file}: {kind}, {status}; {links} links proposed").format(
        file=result["file"], kind=kind, status=_(result["status"]), links=result["links"])
    if result["problem"]:
        line += _(" (not read: {problem})").format(problem=translate_message(result["problem"]))
    return one_line(line)


def import_summary(results: list[dict]) -> str:
    letters = sum(1 for r in results if r["kind"] == "letter")
    links = sum(r["links"] for r in results)
    files = (_("{n} file") if len(results) == 1 else _("{n} files")).format(n=len(results))
    return _("{files}: {letters} reply letters, {documents} evidence documents; {links} links proposed").format(
        files=files, letters=letters, documents=len(results) - letters, links=links)


def _outcome(row: dict) -> str:
    shown = _(row["outcome"])
    if row["state"] != "proposed":
        shown += f" ({_(row['state'])})"
    return shown


def links_table(rows: list[dict]) -> None:
    """The links, a table per later document: the earlier promise beside the later sentence."""
    if not rows:
        print(_("No links proposed (import later documents with `tracker import --evidence PATH`)."))
        return
    by_document: dict[int, list[dict]] = {}
    for row in rows:
        by_document.setdefault(row["document_id"], []).append(row)
    for group in by_document.values():
        first = group[0]
        title = " · ".join(visible(x) for x in (first["document"], first["document_date"] or "", first["document_title"] or "")
                           if x)
        grid_print(["ID", "Promise", "Evidence", "Outcome"],
                   [[str(r["id"]),
                     visible(f"#{r['commitment']} {r['owner'] or '—'} ({r['letter']}, {r['letter_date'] or '—'}): "
                             f"{r['commitment_text']}"),
                     visible(r["evidence"]), _outcome(r)] for r in group],
                   title=title)


def review_screen(row: dict, position: int, total: int) -> None:
    """One proposed link: the earlier promise, the later sentence, the outcome proposed."""
    lines = [
        "─" * 8 + f" {position}/{total}  " + _("link #{id}").format(id=row["id"]) + "  "
        + _("confidence {value:.2f}").format(value=row["confidence"]) + " " + "─" * 8,
        _("Promise #{id} ({owner}; {letter}, {date}):").format(
            id=row["commitment"], owner=row["owner"] or "—", letter=row["letter"], date=row["letter_date"] or "—"),
        "  " + row["commitment_text"],
        _("Later ({document}, {date}):").format(document=row["document"], date=row["document_date"] or "—"),
        "  " + row["evidence"],
        _("Proposed: {outcome}").format(outcome=_outcome(row)),
    ]
    for line in lines:
        print(visible(line))
