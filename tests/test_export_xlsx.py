"""`tracker export --format xlsx`: a workbook for Excel and WPS; and the letter's title in commitments.csv."""
from __future__ import annotations

import csv
import subprocess
import sys
import zipfile
from datetime import date

import pytest
from openpyxl import load_workbook

from ouhai_tracker.cli import app
from ouhai_tracker.tracker import Tracker

from conftest import ECON_FILE, EDU_FILE, ids_by_text, sqlite_only

SHEETS = ["承诺事项", "部门得分", "来函", "到期时间线"]
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def export(runner, path, *more):
    result = runner.invoke(app, ["export", "--format", "xlsx", "--output", str(path), *more])
    assert result.exit_code == 0, result.output
    return result


def rows_of(sheet) -> list[dict]:
    """A sheet's rows as dicts keyed by the English half of each header ("截止日期 due" -> "due")."""
    lines = list(sheet.iter_rows(values_only=True))
    keys = [header.split("\n", 1)[1] for header in lines[0]]
    return [dict(zip(keys, line)) for line in lines[1:] if any(v is not None for v in line)]


def cells_by_key(sheet, key: str) -> list:
    headers = [c.value for c in sheet[1]]
    column = next(i for i, h in enumerate(headers) if h.split("\n", 1)[1] == key) + 1
    return [sheet.cell(row=r, column=column) for r in range(2, sheet.max_row + 1)]


def test_workbook_holds_every_commitment_with_its_letter_title(runner, imported, tmp_path):
    ids = ids_by_text(imported)
    Tracker(imported).mark_done([ids["我局将修订《瓯海区专业技术人才奖补申报指南》"]], note="已修订")
    Tracker(imported).review(ids["待正式入选后制定相应的实施方案"], "reject")
    out = tmp_path / "承诺事项.xlsx"
    result = export(runner, out)
    assert "workbook written to" in result.stdout and "8 commitments" in result.stdout

    book = load_workbook(out)
    assert book.sheetnames == SHEETS
    sheet = book["承诺事项"]
    rows = rows_of(sheet)
    every = Tracker(imported).find_commitments(status="all")
    assert sorted(r["id"] for r in rows) == sorted(c["id"] for c in every) and len(rows) == 8
    titles = {ECON_FILE: "关于加强数字化人才体系建设的提案", EDU_FILE: "关于改善新市民子女入学的建议"}
    open_ids = {c["id"] for c in Tracker(imported).find_commitments()}
    assert open_ids <= {r["id"] for r in rows}
    for row in rows:
        assert row["letter title"] == titles[row["letter file"]]
    by_id = {r["id"]: r for r in rows}
    assert by_id[ids["我局将修订《瓯海区专业技术人才奖补申报指南》"]]["status"] == "done"
    rejected = by_id[ids["待正式入选后制定相应的实施方案"]]  # kept, and marked so a filter can hide it
    assert rejected["review"] == "rejected" and rejected["due"] is None and rejected["condition"] == "正式入选"
    partnered = by_id[ids["同时联合区工商联等部门,继续实施“瓯商提升”工程"]]
    assert partnered["partners"] == "区工商业联合会" and partnered["inferred"] == "是"
    assert partnered["sentence"] == "同时联合区工商联等部门,继续实施“瓯商提升”工程。"

    # Dates are date cells, shown as dates, never text.
    dated = {c["id"]: c["due"] for c in every if c["due"]}
    for cell, row in zip(cells_by_key(sheet, "due"), rows):
        if row["id"] in dated:
            assert cell.is_date and cell.number_format == "yyyy-mm-dd"
            assert cell.value.date() == date.fromisoformat(dated[row["id"]])
        else:
            assert cell.value is None
    assert all(c.is_date for c in cells_by_key(sheet, "letter date"))
    # Header frozen, filters on over the whole table, long text wrapped, columns sized.
    for name in SHEETS:
        assert book[name].freeze_panes == "A2" and book[name].auto_filter.ref.startswith("A1:")
    assert sheet.auto_filter.ref == f"A1:P{len(rows) + 1}"
    assert all(c.alignment.wrap_text for c in cells_by_key(sheet, "commitment"))
    assert all(sheet.column_dimensions[letter].width >= 8 for letter in "ABCDEFGHIJKLMNOP")
    assert sheet["A1"].font.b

    # The scorecard as `tracker report` counts it, its total in bold below the filtered rows.
    report = Tracker(imported).report()
    scorecard = book["部门得分"]
    lines = rows_of(scorecard)
    counted = ("department", "promised", "overdue, date written", "overdue, date inferred")
    assert [tuple(r[key] for key in counted) for r in lines[:len(report["scorecard"])]] == [
        (r["department"], r["promised"], r["overdue_written"], r["overdue_inferred"]) for r in report["scorecard"]]
    total = lines[len(report["scorecard"])]
    assert total["department"] == "合计 (all)" and total["promised"] == report["total"]["promised"] == 7
    assert scorecard.cell(row=len(report["scorecard"]) + 2, column=1).font.b
    assert scorecard.auto_filter.ref == f"A1:L{len(report['scorecard']) + 1}"

    letters = rows_of(book["来函"])
    assert {(r["file"], r["title"]) for r in letters} == set(titles.items())
    assert "contact" not in letters[0] and "phone" not in letters[0]
    assert book["到期时间线"]["A2"].is_date


def test_contacts_only_with_with_contacts(runner, imported, tmp_path):
    Tracker(imported).feedback(ECON_FILE, "不满意", note="请梅建中(88502273)再答复")
    plain, full = tmp_path / "plain.xlsx", tmp_path / "full.xlsx"
    export(runner, plain)
    export(runner, full, "--with-contacts")

    values = [str(v) for sheet in load_workbook(plain) for line in sheet.iter_rows(values_only=True)
              for v in line if v is not None]
    assert not any("梅建中" in v or "88502273" in v for v in values)
    econ = next(r for r in rows_of(load_workbook(plain)["来函"]) if r["file"] == ECON_FILE)
    assert econ["members' rating"] == "不满意" and econ["rating note"] == "请＊＊＊(＊＊＊＊＊＊＊＊)再答复"

    econ = next(r for r in rows_of(load_workbook(full)["来函"]) if r["file"] == ECON_FILE)
    assert (econ["contact"], econ["phone"]) == ("梅建中", "88502273")
    assert econ["rating note"] == "请梅建中(88502273)再答复"


def test_formula_like_text_and_notes_stay_strings(runner, db, tmp_path, monkeypatch):
    """Letter text and a person's note starting with = + - @ tab or CR reach the workbook as string
    cells with the CSV export's leading ', and no cell anywhere is a formula."""
    from conftest import BUILDERS, JXJ, commitment
    from ouhai_tracker.extract.model import DATE, Deadline, LetterFacts, LetterMeta

    text = ("关于第9号建议的答复\n张三代表：\n=HYPERLINK(\"http://x\",\"点此\")我局将于2024年底前完成改造。\n"
            "区经信局\n2024年3月1日\n")

    def facts(letter: str) -> LetterFacts:
        start = letter.index("=HYPERLINK")
        clause = letter[start:letter.index("。", start)]
        return LetterFacts(text=letter, meta=LetterMeta(title="@SUM(1+1)", replying_unit="区经信局",
                                                        replying_department=JXJ, date=date(2024, 3, 1)),
                           commitments=[commitment(letter, clause, JXJ, Deadline(DATE, date(2024, 12, 31), False))])

    monkeypatch.setitem(BUILDERS, "formula.txt", facts)
    (tmp_path / "formula.txt").write_text(text, encoding="utf-8")
    assert runner.invoke(app, ["import", str(tmp_path / "formula.txt")]).exit_code == 0
    Tracker(db).feedback("formula.txt", "不满意", note="=cmd|' /C calc'!A0\x0c第二页")
    out = tmp_path / "formula.xlsx"
    export(runner, out)

    book = load_workbook(out)
    [row] = rows_of(book["承诺事项"])
    assert row["commitment"] == "'=HYPERLINK(\"http://x\",\"点此\")我局将于2024年底前完成改造"
    assert row["letter title"] == "'@SUM(1+1)" and row["id"] == 1
    [letter] = rows_of(book["来函"])
    assert letter["rating note"] == "'=cmd|' /C calc'!A0 第二页"  # a form feed XML cannot carry is a space
    for sheet in book:
        for line in sheet.iter_rows():
            for cell in line:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    assert cell.data_type == "s" and not cell.value.startswith(FORMULA_STARTS)
    with zipfile.ZipFile(out) as archive:  # no formula element in any sheet's XML
        for name in archive.namelist():
            if name.startswith("xl/worksheets/"):
                assert b"<f>" not in archive.read(name) and b"<f " not in archive.read(name)


def test_dept_narrows_every_sheet(runner, imported, tmp_path):
    out = tmp_path / "gsl.xlsx"
    export(runner, out, "--dept", "工商联")
    book = load_workbook(out)
    rows = rows_of(book["承诺事项"])
    assert [r["commitment"] for r in rows] == ["同时联合区工商联等部门,继续实施“瓯商提升”工程"]
    assert [r["file"] for r in rows_of(book["来函"])] == [ECON_FILE]
    assert [(r["department"], r["promised"]) for r in rows_of(book["部门得分"])][0][1] == 1


def test_refused_without_output_or_over_a_file(runner, imported, tmp_path):
    bare = runner.invoke(app, ["export", "--format", "xlsx"])
    assert bare.exit_code == 1 and "--output" in bare.stderr and not bare.stdout
    out = tmp_path / "a.xlsx"
    out.write_bytes(b"keep me")
    again = runner.invoke(app, ["export", "--format", "xlsx", "--output", str(out)])
    assert again.exit_code == 1 and "--force" in again.stderr and out.read_bytes() == b"keep me"
    export(runner, out, "--force")
    assert load_workbook(out).sheetnames == SHEETS
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


@sqlite_only
def test_never_onto_the_database(runner, imported):
    """(Links, hard links and the -wal/-shm files too: tests/test_outputs.py, for every output.)"""
    import sqlite3

    def rows() -> list:
        with sqlite3.connect(f"file:{imported}?mode=ro", uri=True) as con:
            return con.execute("PRAGMA integrity_check").fetchall() + con.execute(
                "SELECT id, status, text FROM commitments ORDER BY id").fetchall()

    before = rows()
    for target in (imported, imported + "-wal"):
        result = runner.invoke(app, ["export", "--format", "xlsx", "--output", target, "--force"])
        assert result.exit_code == 1 and result.stderr.startswith(f"tracker: error: {target} is "), result.output
        assert "give another file name" in result.stderr
    assert rows() == before and len(before) == 9


def test_csv_commitments_carry_the_letter_title(runner, imported, tmp_path):
    folder = tmp_path / "csv"
    assert runner.invoke(app, ["export", "--format", "csv", "--output", str(folder)]).exit_code == 0
    with (folder / "commitments.csv").open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    with (folder / "letters.csv").open(encoding="utf-8-sig", newline="") as handle:
        titles = {letter["id"]: letter["title"] for letter in csv.DictReader(handle)}
    assert len(rows) == 8 and all(r["letter_title"] == titles[r["letter_id"]] for r in rows)
    assert {r["letter_title"] for r in rows} == {"关于加强数字化人才体系建设的提案", "关于改善新市民子女入学的建议"}


def test_openpyxl_loads_only_for_a_workbook():
    code = ("import sys; import ouhai_tracker.cli, ouhai_tracker.tracker, ouhai_tracker.store.export;"
            "print('openpyxl' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"


@pytest.mark.parametrize("bad", ["xml", "XLSX "])
def test_bad_format_names_xlsx(runner, imported, bad):
    result = runner.invoke(app, ["export", "--format", bad])
    assert result.exit_code == 2 and "xlsx" in result.stderr
