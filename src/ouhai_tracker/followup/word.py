"""`tracker report --format docx`: the report as a Word document, in the style of official material.

What is handed on for the annual review (回头看) is a Word file: a title, the summary line, then
sections numbered 一、二、 with tables whose header row repeats on every page (the table row
property w:tblHeader), A4 pages, 仿宋 body text and 黑体 headings. The content is the same data
the Markdown and HTML reports write (followup/report.py); python-docx is imported only here.
"""
from __future__ import annotations

import io

from ouhai_tracker.followup.report import (
    SCORECARD_COLUMNS,
    SCORECARD_HEADS,
    TIMELINE_PARTS,
    chinese_number,
    department_label,
    due_words,
    evidence_lines,
    group_label,
    letter_label,
    letter_meta,
    note_lines,
    overdue_part,
    owner_words,
    report_title,
    status_words,
    summary_line,
)
from ouhai_tracker.i18n import N_, _

BODY_FONT, HEADING_FONT = "仿宋", "黑体"


def docx_report(report: dict) -> bytes:
    """The report as the bytes of a .docx file."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt

    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2.6)
    section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
    _font(document.styles["Normal"], BODY_FONT, Pt(12))
    for name in ("Title", "Heading 1", "Heading 2"):
        _font(document.styles[name], HEADING_FONT, None)

    title = document.add_heading(report_title(report), level=0)
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    document.add_paragraph(_("As of {day}. {letters} letters, {promised} commitments ({unreviewed} not yet reviewed). "
                             "Withdrawn and rejected commitments are not counted.").format(
        day=report["as_of"], letters=report["letters"], promised=report["total"]["promised"],
        unreviewed=report["unreviewed"]))
    number = 0

    def heading(text: str) -> None:
        nonlocal number
        number += 1
        document.add_heading(f"{chinese_number(number)}、{text}", level=1)

    sheet = report["sheet"]
    if sheet:
        document.add_paragraph().add_run(summary_line(sheet["counts"])).bold = True
        for group in sheet["groups"]:
            if group["promises"]:
                heading(f"{group_label(group['key'])}（{len(group['promises'])}）")
                _promises(document, group["promises"], with_letter=True)

    heading(_("Scorecard"))
    _table(document, [_(h) for h in SCORECARD_HEADS],
           [[department_label(row), *(str(row[key]) for _h, key in SCORECARD_COLUMNS)]
            for row in [*report["scorecard"], report["total"]]])
    heading(_("Timeline of due dates"))
    months = [m for m in report["timeline"] if any(m[key] for _l, key, _c in TIMELINE_PARTS)]
    if months:
        _table(document, [_("Month"), *(_(label) for label, _key, _colour in TIMELINE_PARTS)],
               [[m["month"], *(str(m[key]) for _l, key, _c in TIMELINE_PARTS)] for m in months])
    else:
        document.add_paragraph(_("No dated commitments."))
    if not sheet:
        for part, title in (("overdue_written", N_("Overdue, by a date the letter wrote")),
                            ("overdue_inferred", N_("Overdue, by a date inferred (not written in the letter)"))):
            overdue = [r for r in report["overdue"] if overdue_part(r) == part]
            heading(f"{_(title)}（{len(overdue)}）")
            if overdue:
                _promises(document, overdue, with_letter=True)
            else:
                document.add_paragraph(_("Nothing is overdue."))
    heading(_("Letters for a second reply (rated 不满意)"))
    if report["second_reply"]:
        _table(document, [_("Letter"), _("Replying unit"), _("Members’ note")],
               [[letter_label(d), d["replying_unit"] or "—", d["feedback_note"] or ""] for d in report["second_reply"]])
    else:
        document.add_paragraph(_("None."))
    heading(_("The letters, one by one"))
    for d in report["letter_sections"]:
        document.add_heading(letter_label(d), level=2)
        document.add_paragraph(letter_meta(d))
        if d["promises"]:
            _promises(document, d["promises"])
        else:
            document.add_paragraph(_("No commitments counted here."))
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _font(style, east_asian: str, size) -> None:
    """A style's font for Chinese text too (Word takes CJK text's font from w:eastAsia)."""
    from docx.oxml.ns import qn

    style.font.name = east_asian
    if size is not None:
        style.font.size = size
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), east_asian)


def _promises(document, promises: list[dict], with_letter: bool = False) -> None:
    heads = [_("ID"), _("Commitment"), _("Owner"), _("Due"), _("Status"), _("Outcome"), _("Evidence and notes")]
    if with_letter:
        heads.append(_("Letter"))
    rows = []
    for r in promises:
        row = [f"#{r['id']}", r["text"], owner_words(r), due_words(r), status_words(r), _(r["outcome"]),
               "\n".join(evidence_lines(r) + note_lines(r)) or "—"]
        if with_letter:
            row.append(letter_label({"title": r["letter_title"], "file": r["document"]}))
        rows.append(row)
    _table(document, heads, rows)


def _table(document, heads: list[str], rows: list[list[str]]) -> None:
    """A bordered table whose first row is its header, repeated at the top of each page."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    table = document.add_table(rows=1, cols=len(heads))
    table.style = "Table Grid"
    header = table.rows[0]
    properties = header._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    properties.append(repeat)
    for cell, text in zip(header.cells, heads):
        cell.text = ""
        cell.paragraphs[0].add_run(text).bold = True
    for values in rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, values):
            cell.text = _cell_text(value)


def _cell_text(value) -> str:
    """Text Word can hold: XML 1.0 refuses control characters (a PDF's form feed, a stray NUL)."""
    text = "" if value is None else str(value)
    return "".join(ch for ch in text if ch in "\t\n" or ord(ch) >= 32)

