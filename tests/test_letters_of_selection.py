"""The report, the workbook and the exports agree on the letters of a selection: two different
letters stored under one file name (from two folders) stay two, and a filter that picks the
second's promise alone gives its letter alone, in every output. Read by the real extraction."""
from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from openpyxl import load_workbook

import ouhai_tracker.extract
from ouhai_tracker.cli import app
from ouhai_tracker.extract.pipeline import run as real_extraction

from conftest import SEED_LETTER

WORD = "青瓷"  # in one promise of the second letter only


@pytest.fixture(autouse=True)
def real(monkeypatch):
    monkeypatch.setattr(ouhai_tracker.extract, "extract_letter",
                        lambda text, name="", settings=None, fallbacks=None: real_extraction(
                            text, name, settings, fallbacks or {}))


def ok(runner, *args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.fixture
def two_under_one_name(db, runner, tmp_path) -> dict[str, int]:
    """The seed letter as a/reply.txt, another letter (another proposal, date and one promise)
    as b/reply.txt; returns {folder: letter id}."""
    text = SEED_LETTER.read_text(encoding="utf-8")
    other = (text.replace("加快产业数字化转型发展", "加快产业数字化转型发展第二项")
             .replace("2023年6月16日", "2023年9月3日").replace("专精特新专题培训班", f"{WORD}技艺专题培训班"))
    assert other != text and WORD in other and WORD not in text
    for folder, body in (("a", text), ("b", other)):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "reply.txt").write_text(body, encoding="utf-8")
    ok(runner, "import", "--jobs", "1", str(tmp_path / "a"), str(tmp_path / "b"))
    docs = json.loads(ok(runner, "docs", "--json"))
    assert [d["file"] for d in docs] == ["reply.txt", "reply.txt"]
    return {Path(d["path"]).parent.name: d["id"] for d in docs}


def letters_everywhere(runner, tmp_path: Path, *filters: str) -> dict[str, list[int]]:
    """The ids of the letters each output gives for ``filters``."""
    report = json.loads(ok(runner, "report", "--format", "json", *filters))
    exported = json.loads(ok(runner, "export", "--format", "json", *filters))
    folder = tmp_path / f"csv{len(list(tmp_path.iterdir()))}"
    ok(runner, "export", "--format", "csv", "--output", str(folder), *filters)
    with open(folder / "letters.csv", encoding="utf-8-sig", newline="") as f:
        from_csv = [int(row["id"]) for row in csv.DictReader(f)]
    workbook = tmp_path / f"{folder.name}.xlsx"
    ok(runner, "export", "--format", "xlsx", "--output", str(workbook), *filters)
    sheet = load_workbook(workbook)["来函"]
    header = [cell.value for cell in sheet[1]]
    title = next(i for i, h in enumerate(header) if h.split("\n", 1)[1] == "title")
    titles = [row[title] for row in sheet.iter_rows(min_row=2, values_only=True) if any(row)]
    by_title = {d["title"]: d["id"] for d in json.loads(ok(runner, "docs", "--json"))}
    return {"report": sorted(d["id"] for d in report["letter_sections"]),
            "report count": [report["letters"]],
            "json export": sorted(d["id"] for d in exported["tables"]["letters"]),
            "csv export": sorted(from_csv),
            "workbook": sorted(by_title[t] for t in titles)}


def test_a_search_that_picks_one_letters_promise_gives_that_letter_in_every_output(two_under_one_name, runner,
                                                                                   tmp_path):
    second = two_under_one_name["b"]
    found = letters_everywhere(runner, tmp_path, "--search", WORD)
    assert found == {"report": [second], "report count": [1], "json export": [second], "csv export": [second],
                     "workbook": [second]}


def test_a_deleted_promise_still_selects_its_letter_in_every_output(two_under_one_name, runner, tmp_path):
    rows = json.loads(ok(runner, "list", "--search", WORD, "--json"))
    assert len(rows) == 1
    ok(runner, "delete", str(rows[0]["id"]))
    second = two_under_one_name["b"]
    found = letters_everywhere(runner, tmp_path, "--search", WORD, "--status", "all")
    assert found == {"report": [second], "report count": [1], "json export": [second], "csv export": [second],
                     "workbook": [second]}


def test_no_filter_gives_every_letter_in_every_output(two_under_one_name, runner, tmp_path):
    both = sorted(two_under_one_name.values())
    found = letters_everywhere(runner, tmp_path)
    assert found == {"report": both, "report count": [2], "json export": both, "csv export": both,
                     "workbook": both}
