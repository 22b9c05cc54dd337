"""`tracker export --format json|csv`: every table for other tools; contacts only on request."""
from __future__ import annotations

import csv
import json

from ouhai_tracker.tracker import Tracker
from ouhai_tracker.cli import app

from conftest import ids_by_text

TABLES = ["letters", "departments", "department_aliases", "policies", "commitments", "commitment_partners",
          "commitment_policies", "letter_policies", "events", "evidence_documents", "evidence_links"]


def test_json_export_has_everything_but_contacts(runner, imported):
    ids = ids_by_text(imported)
    Tracker(imported).mark_done([ids["每季度对规上企业进行人才密度调研"]], note="一季度已调研")
    result = runner.invoke(app, ["export"])
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert document["format"] == "ouhai-tracker-export" and list(document["tables"]) == TABLES
    tables = document["tables"]
    assert len(tables["letters"]) == 2 and len(tables["commitments"]) == 8
    econ = next(letter for letter in tables["letters"] if letter["file"] == "L_econ.txt")
    assert "contact_name" not in econ and "contact_phone" not in econ
    assert "梅建中" not in result.stdout and "88502273" not in result.stdout  # masked in the text too
    assert "联系人:＊＊＊,联系电话:＊＊＊＊＊＊＊＊。" in econ["text"]
    gsl = next(d for d in tables["departments"] if d["name"] == "区工商业联合会")
    assert "工商联" in gsl["aliases"]
    dated = next(c for c in tables["commitments"] if c["due_text"] == "2024年底前")
    assert (dated["due"], dated["due_kind"], dated["due_inferred"]) == ("2024-12-31", "date", False)
    assert any(p["role"] == "partner" for p in tables["commitment_partners"])
    assert {e["action"] for e in tables["events"]} == {"imported", "done"}
    assert any(e["note"] == "一季度已调研" for e in tables["events"])
    assert len(tables["commitment_policies"]) == 2 and len(tables["letter_policies"]) == 2


def test_with_contacts_to_a_file(runner, imported, tmp_path):
    out = tmp_path / "all.json"
    result = runner.invoke(app, ["export", "--with-contacts", "--output", str(out)])
    assert result.exit_code == 0 and str(out) in result.stdout and "8 commitments" in result.stdout
    letters = json.loads(out.read_text(encoding="utf-8"))["tables"]["letters"]
    econ = next(letter for letter in letters if letter["file"] == "L_econ.txt")
    assert (econ["contact_name"], econ["contact_phone"]) == ("梅建中", "88502273")
    assert "梅建中" in econ["text"]


def test_csv_export_is_one_file_per_table(runner, imported, tmp_path):
    folder = tmp_path / "export"
    result = runner.invoke(app, ["export", "--format", "csv", "--output", str(folder)])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in folder.iterdir()) == sorted(f"{t}.csv" for t in TABLES)
    with (folder / "commitments.csv").open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 8 and {"id", "text", "owner", "status", "due", "due_kind"} <= set(rows[0])
    with (folder / "letters.csv").open(encoding="utf-8-sig", newline="") as handle:
        letters = list(csv.DictReader(handle))
    assert "contact_phone" not in letters[0] and json.loads(letters[0]["proposers"])
    again = runner.invoke(app, ["export", "--format", "csv", "--output", str(folder)])
    assert again.exit_code == 1 and "not an empty folder" in again.stderr  # never overwrites


def test_bad_export_options(runner, imported):
    assert "--output" in runner.invoke(app, ["export", "--format", "csv"]).stderr
    bad = runner.invoke(app, ["export", "--format", "xml"])
    assert bad.exit_code == 2 and bad.stderr.startswith("tracker: error: bad --format 'xml'")


def test_csv_cells_are_never_formulas(runner, db, tmp_path, monkeypatch):
    """A letter's text or a person's note starting with = + - @ tab or CR reaches a spreadsheet as
    text (OWASP's rule: a leading '), in commitments.csv and events.csv alike."""
    from datetime import date

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
    notes = ["=cmd|' /C calc'!A0", "+1+1", "-2+3", "@A1", "\t=1", "\r=1", "5 - 3 = 2"]
    for note in notes:
        assert runner.invoke(app, ["edit", "1", "--note", note]).exit_code == 0
    folder = tmp_path / "export"
    assert runner.invoke(app, ["export", "--format", "csv", "--output", str(folder)]).exit_code == 0
    with (folder / "commitments.csv").open(encoding="utf-8-sig", newline="") as handle:
        [row] = list(csv.DictReader(handle))
    assert row["text"] == "'=HYPERLINK(\"http://x\",\"点此\")我局将于2024年底前完成改造"
    assert row["id"] == "1" and row["confidence"] == "0.5"  # numbers stay numbers
    with (folder / "letters.csv").open(encoding="utf-8-sig", newline="") as handle:
        assert next(csv.DictReader(handle))["title"] == "'@SUM(1+1)"
    with (folder / "events.csv").open(encoding="utf-8-sig", newline="") as handle:
        exported = [e["note"] for e in csv.DictReader(handle) if e["action"] == "noted"]
    assert exported == ["'" + n for n in notes[:-1]] + ["5 - 3 = 2"]
    for path in folder.iterdir():  # no cell anywhere starts a formula
        with path.open(encoding="utf-8-sig", newline="") as handle:
            for cells in csv.reader(handle):
                assert not any(c.startswith(("=", "+", "-", "@", "\t", "\r")) for c in cells), (path.name, cells)
