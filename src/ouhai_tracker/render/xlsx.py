"""`tracker export --format xlsx`: one workbook for people who work in Excel or WPS.

Sheets: 承诺事项 (every commitment, one a row, with its letter's title, owner, partners, due date,
status, outcome and sentence), 部门得分 (the scorecard per department, as `tracker report`
counts it), 来函 (the letters with their class mark and the members' rating) and 到期时间线 (due
dates by month). Each sheet has its header row frozen and filters on; dates are date cells.

Rejected commitments are kept in 承诺事项, with their review state in a column of its own, so a
filter shows or hides them; the scorecard counts neither rejected nor withdrawn ones.

Every string is data, never a formula: it goes through the same rule as the CSV export
(``outputs.inert_cell``: a leading ' before = + - @ tab or CR) and is stored as a string cell.
The data is the Tracker's (``Tracker.workbook``: contacts masked there unless ``with_contacts``);
this makes the workbook's bytes and the CLI writes the file. openpyxl is imported here only, so
no other command pays for loading it.
"""
from __future__ import annotations

import io
import re
from collections.abc import Sequence
from copy import copy
from datetime import date
from math import ceil

from ouhai_tracker.i18n import _
from ouhai_tracker.outputs import inert_cell

SHEET_COMMITMENTS, SHEET_SCORECARD, SHEET_LETTERS, SHEET_TIMELINE = "承诺事项", "部门得分", "来函", "到期时间线"
MAX_CELL = 32767  # the most characters Excel keeps in one cell
# Characters XML 1.0 cannot carry (openpyxl refuses them): a PDF's form feed, a stray NUL.
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
# East Asian wide and full-width characters (unicodedata's W and F, in ranges: a regex counts fast).
_WIDE = re.compile("[\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua4cf"
                   "\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6\U00020000-\U0003fffd]")
YES, NO = "是", "否"
LINE_HEIGHT, MAX_ROW_HEIGHT = 15, 409  # points: one line of 11-point text; the most a row can be

# (header, key, kind, width): kind text, wrap (long text, wrapped), date, month, number;
# width None is measured from the contents.
COMMITMENT_COLUMNS = [
    ("编号 id", "id", "number", 8),
    ("来函文件 letter file", "document", "text", None),
    ("来函标题 letter title", "letter_title", "wrap", 30),
    ("来函日期 letter date", "letter_date", "date", 13),
    ("责任单位 owner", "owner", "text", None),
    ("配合单位 partners", "partners", "wrap", 24),
    ("截止日期 due", "due", "date", 13),
    ("期限类型 due kind", "due_kind", "text", None),
    ("日期推定 inferred", "due_inferred", "text", None),
    ("前提条件 condition", "condition", "wrap", 20),
    ("状态 status", "status", "text", None),
    ("兑现情况 outcome", "outcome", "text", None),
    ("进度 schedule", "schedule", "text", None),
    ("审核 review", "review", "text", None),
    ("承诺内容 commitment", "text", "wrap", 50),
    ("原文句子 sentence", "sentence", "wrap", 60),
]
SCORECARD_COLUMNS = [
    ("部门 department", "department", "text", None),
    ("承诺数 promised", "promised", "number", None),
    ("已兑现 kept", "kept", "number", None),
    ("部分兑现 partly kept", "partly_kept", "number", None),
    ("推进中 in the works", "in_the_works", "number", None),
    ("停滞 stalled", "stalled", "number", None),
    ("未兑现 broken", "broken", "number", None),
    ("未评估 not yet rated", "not_yet_rated", "number", None),
    ("逾期·期限写明 overdue, date written", "overdue_written", "number", None),
    ("逾期·期限推定 overdue, date inferred", "overdue_inferred", "number", None),
    ("附条件 conditional", "conditional", "number", None),
    ("逾期兑现 kept late", "kept_late", "number", None),
]
LETTER_COLUMNS = [
    ("编号 id", "id", "number", 8),
    ("文件 file", "file", "text", None),
    ("标题 title", "title", "wrap", 36),
    ("答复单位 replying unit", "replying_unit", "text", None),
    ("答复日期 date", "date", "date", 13),
    ("类别 class mark", "class_mark", "text", None),
    ("类别含义 class meaning", "class_meaning", "text", None),
    ("委员评价 members' rating", "feedback", "text", None),
    ("评价意见 rating note", "feedback_note", "wrap", 30),
    ("评价日期 rated on", "feedback_on", "date", 13),
    ("承诺数 commitments", "commitments", "number", None),
    ("未办结 open", "open", "number", None),
]
CONTACT_COLUMNS = [("联系人 contact", "contact_name", "text", None), ("联系电话 phone", "contact_phone", "text", None)]
TIMELINE_COLUMNS = [
    ("月份 month", "month", "month", 12),
    ("已兑现 kept", "kept", "number", None),
    ("未办结 open", "open", "number", None),
    ("逾期·期限写明 overdue, date written", "overdue_written", "number", None),
    ("逾期·期限推定 overdue, date inferred", "overdue_inferred", "number", None),
]


def workbook_bytes(commitments: list[dict], report: dict, letters: list[dict], with_contacts: bool) -> bytes:
    """The workbook of ``Tracker.workbook``'s data (its commitments' values made for people here);
    the contact columns only ``with_contacts``."""
    from openpyxl import Workbook

    for c in commitments:
        c["partners"] = "、".join(c["partners"])
        c["due_inferred"] = (YES if c["due_inferred"] else NO) if c["due"] else None
        for key in ("status", "outcome", "schedule", "review", "due_kind"):  # values in the user's language
            c[key] = _(c[key]) if c[key] else c[key]
    book = Workbook(write_only=True)
    cells = _Cells()
    cells.sheet(book, SHEET_COMMITMENTS, COMMITMENT_COLUMNS, commitments)
    scorecard = cells.sheet(book, SHEET_SCORECARD, SCORECARD_COLUMNS, report["scorecard"], footer=[report["total"]])
    scorecard.append([])
    scorecard.append([cells.cell(scorecard, f"统计日 as of {report['as_of']}；不计已撤回和审核否决的承诺 "
                                            "(withdrawn and rejected commitments are not counted)", "text")])
    cells.sheet(book, SHEET_LETTERS, LETTER_COLUMNS + (CONTACT_COLUMNS if with_contacts else []), letters)
    cells.sheet(book, SHEET_TIMELINE, TIMELINE_COLUMNS, report["timeline"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


class _Cells:
    """Makes the cells of one workbook. Each kind of cell's style (alignment, number format, font)
    is made once and copied onto its cells, as openpyxl copies styles itself: setting the three on
    every cell would cost more than writing it."""

    def __init__(self) -> None:
        self.styles: dict[tuple[str, bool], object] = {}

    def sheet(self, book, title: str, columns: list[tuple], rows: list[dict], footer: Sequence[dict] = ()):
        """A sheet of ``rows`` under a bold, frozen header with filters on; ``footer`` rows (a
        total) come after the filtered range, in bold, so sorting never moves them."""
        from openpyxl.utils import get_column_letter

        sheet = book.create_sheet(title)
        sheet.freeze_panes = "A2"
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{len(rows) + 1}"
        headers = [header.replace(" ", "\n", 1) for header, *_rest in columns]  # Chinese above, English below
        values = [[_value(row.get(key), kind) for _header, key, kind, _fixed in columns] for row in [*rows, *footer]]
        widths = []
        for i, (_header, _key, _kind, fixed) in enumerate(columns):
            header = max(map(_width, headers[i].split("\n"))) + 3  # and the filter's button
            if fixed:
                widths.append(max(fixed, header))
                continue
            longest = max((_width(str(line[i])) for line in values if line[i] is not None), default=0)
            widths.append(min(max(header, longest + 2), 40))
        for i, width in enumerate(widths):
            sheet.column_dimensions[get_column_letter(i + 1)].width = width
        wrapped = [i for i, (_header, _key, kind, _fixed) in enumerate(columns) if kind == "wrap"]
        sheet.row_dimensions[1].height = LINE_HEIGHT * 2
        sheet.append([self.cell(sheet, header, "wrap", bold=True) for header in headers])
        kinds = [kind for _header, _key, kind, _fixed in columns]
        for n, line in enumerate(values):
            # Rows are as tall as their longest wrapped text: not every spreadsheet sizes them itself.
            lines = max((_lines(line[i], widths[i]) for i in wrapped if line[i]), default=1)
            if lines > 1:
                sheet.row_dimensions[n + 2].height = min(LINE_HEIGHT * lines, MAX_ROW_HEIGHT)
            sheet.append([self.cell(sheet, value, kind, n >= len(rows)) for value, kind in zip(line, kinds)])
        return sheet

    def cell(self, sheet, value, kind: str, bold: bool = False):
        """One cell: strings inert and stored as strings, dates as dates, long text wrapped."""
        from openpyxl.cell import WriteOnlyCell

        if isinstance(value, str):
            value = inert_cell(_ILLEGAL.sub(" ", value))
            if len(value) > MAX_CELL:
                value = value[:MAX_CELL - 1] + "…"
        cell = WriteOnlyCell(sheet, value=value)
        if isinstance(value, str):
            cell.data_type = "s"  # a string, whatever it starts with: never a formula
        style = self.styles.get((kind, bold))
        if style is None:
            style = self.styles[(kind, bold)] = self._style(sheet, kind, bold)
        cell._style = copy(style)
        return cell

    @staticmethod
    def _style(sheet, kind: str, bold: bool):
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.styles import Alignment, Font

        model = WriteOnlyCell(sheet)
        model.alignment = Alignment(vertical="top", wrap_text=kind == "wrap")
        if kind in ("date", "month"):
            model.number_format = "yyyy-mm-dd" if kind == "date" else "yyyy-mm"
        if bold:
            model.font = Font(bold=True)
        return model._style


def _value(value, kind: str):
    if value is None or value == "":
        return None
    if kind in ("date", "month") and isinstance(value, str):
        return date.fromisoformat(value if kind == "date" else value + "-01")
    return value


def _lines(text: str, width: float) -> int:
    """Lines ``text`` wraps to in a column ``width`` wide (a little more, so nothing is cut)."""
    room = max(width - 1, 1)
    return sum(max(1, ceil(_width(part) * 1.1 / room)) for part in str(text).split("\n"))


def _width(text: str) -> int:
    """Columns a text takes in a spreadsheet: a Chinese (wide or full-width) character about two."""
    return len(text) + len(_WIDE.findall(text))
