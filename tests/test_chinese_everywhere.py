"""Under TRACKER_LANG=zh the tracker speaks Chinese through and through: every command is run as
a person would run it, and what it prints (stdout and stderr) must hold no English word, apart
from what is not language: ids, file names, option names and values a person types, commands,
URLs, dates and the letters' own text. Chinese input is taken too: outcomes (已兑现, 部分兑现) and
dates as written in Chinese (2025年12月31日, 2025/12/31)."""
from __future__ import annotations

import json
import re

import pytest

from conftest import ECON_FILE, EDU_FILE
from ouhai_tracker.cli import app

# What may stay in Latin letters: names of things, not words of the interface.
ALLOWED = {
    "tracker", "json", "csv", "tsv", "md", "html", "docx", "xlsx", "ics", "table", "URL", "PATH", "ID", "FILE",
    "DATE", "DEPT", "TEXT", "KEY", "VALUE", "YYYY", "MM", "DD", "HH", "SS", "SQLite", "PostgreSQL", "Excel", "WPS",
    "JSON", "CSV", "TSV", "HTML", "XLSX", "ICS", "DOCX", "SQLAlchemy", "UTF", "BOM", "RRULE", "UID", "Word", "ok",
    "pg_dump", "pg_amcheck", "Fc", "dump", "LANG", "TRACKER_LANG", "TRACKER_DB", "TRACKER_FORMAT", "zh_CN", "UTF-8",
    "null", "shell", "Enter",
}
# Spans that are not language: a command in backticks, an option and its metavar, a path or a
# file name, a URL, a setting's key (class.B), a quoted value the person typed.
NOT_LANGUAGE = re.compile(r"`[^`]*`|\w+(?:\+\w+)?://\S+|--[a-z][a-z-]*|(?:/[\w.@+-]+)+/?|[\w.-]+\.(?:txt|db|html|md|"
                          r"docx|xlsx|csv|ics|json|pdf)\b|class\.[A-Z]\b|'[^'\n]*'|\"[^\"\n]*\"|[A-Za-z]*_[A-Za-z_]+|"
                          r"\[[^\]\n]*\]|[a-z-]+（|tracker(?: [a-z]+)+")


def typed_values() -> set[str]:
    """Command names and the values options take: what a person types, named in help."""
    import typer

    from ouhai_tracker.extract.model import DEADLINE_KINDS
    from ouhai_tracker.store.filter import SORTS
    from ouhai_tracker.store.states import OUTCOMES, REVIEW_STATES, STATUSES

    top = typer.main.get_command(app).commands
    names = set(top) | {name for group in top.values() for name in getattr(group, "commands", {})}  # docs merge
    values = {*STATUSES, *OUTCOMES, *REVIEW_STATES, *DEADLINE_KINDS, *SORTS, "all", "confidence", "letter"}
    return names | {word for value in values for word in value.split("-")}


def english_words(text: str, allowed: set[str] = frozenset()) -> list[str]:
    """The English words of ``text``: what is left when what is not language is taken out.
    Words in capitals are metavars (FILE, DATE); ``allowed`` are more that may stay."""
    import getpass

    words = re.findall(r"[A-Za-z]{2,}", NOT_LANGUAGE.sub(" ", text))
    return [w for w in words if w not in ALLOWED and w not in allowed and not w.isupper() and w != getpass.getuser()]


@pytest.fixture
def zh(monkeypatch):
    monkeypatch.setenv("TRACKER_LANG", "zh")
    monkeypatch.setenv("COLUMNS", "160")


def test_the_detector_finds_english(zh):
    assert english_words("#2: outcome kept -> partly-kept") == ["outcome", "kept", "partly", "kept"]
    assert english_words("报告已写入 /tmp/x/回头看.html；见 `tracker docs`，--dept 工商联，L_econ.txt") == []


def commands(tmp_path) -> list[tuple[list[str], str | None]]:
    """(arguments, input) of every command a person runs, in an order that leaves each one something to do."""
    extra = tmp_path / "more"
    extra.mkdir()
    return [
        (["--help"], None), (["list", "--help"], None), (["report", "--help"], None), (["docs", "--help"], None),
        (["import", "--dry-run", str(tmp_path / "letters")], None),
        (["import", str(extra)], None),
        (["list"], None), (["list", "--status", "all", "--sort", "owner"], None), (["due", "--as-of", "2025-03-01"], None),
        (["due", "--dept", "经信局", "--as-of", "2025-03-01"], None),
        (["show", "2"], None), (["show", "6"], None),
        (["done", "4", "--note", "指南已修订", "--on", "2024年5月1日"], None),
        (["rate", "2", "--outcome", "部分兑现", "--evidence", "https://www.example.gov.cn/a/1", "--on", "2024/6/1"], None),
        (["rate", "1", "--outcome", "已兑现"], None),
        (["reopen", "1", "--note", "误操作"], None),
        (["edit", "5", "--due", "2025年12月31日", "--note", "住建局确认"], None),
        (["edit", "5", "--due", "2025-12-31"], None),
        (["edit", "5", "--owner", "住建局"], None),
        (["delete", "3", "--note", "重复"], None), (["restore", "3"], None),
        (["review", "--limit", "3"], "a\no\n住建局\ns\nq\n"),
        (["feedback", EDU_FILE, "--rating", "不满意", "--note", "未回应"], None),
        (["config", "set", "class.B", "正在解决"], None), (["config", "get", "class.B"], None),
        (["config", "list"], None), (["config", "unset", "class.B"], None),
        (["depts"], None), (["depts", "alias", "区经信局", "瓯海经信局"], None), (["policies"], None),
        (["docs"], None), (["docs", ECON_FILE, "--as-of", "2025-03-01"], None), (["docs", "--second-reply"], None),
        (["stats", "--as-of", "2025-03-01"], None), (["report", "--as-of", "2025-03-01"], None),
        (["report", "--as-of", "2025-03-01", "--dept", "经信局"], None),
        (["report", "--format", "html", "--output", str(tmp_path / "r.html")], None),
        (["report", "--format", "docx", "--output", str(tmp_path / "r.docx"), "--dept", "经信局"], None),
        (["export", "--format", "csv", "--output", str(tmp_path / "csv")], None),
        (["export", "--format", "xlsx", "--output", str(tmp_path / "x.xlsx")], None),
        (["export", "--format", "ics", "--output", str(tmp_path / "x.ics")], None),
        (["undo", "--list"], None), (["undo", "--yes"], None),
        (["db", "check"], None), (["db", "backup", str(tmp_path / "copy.db")], None),
        # mistakes people make
        (["lst"], None), (["list", "--bogus"], None), (["done", "abc"], None), (["done", "999"], None),
        (["due", "--dept", "工商连"], None), (["list", "--status", "closed"], None), (["rate", "2", "--outcome", "好"], None),
        (["edit", "5", "--due", "明年"], None), (["report", "--format", "pdf"], None), (["show"], None),
    ]


def test_every_command_speaks_chinese(zh, runner, imported, tmp_path, letters_dir):
    found = []
    for args, answers in commands(tmp_path):
        result = runner.invoke(app, args, input=answers)
        words = english_words(result.stdout + result.stderr, typed_values() if "--help" in args else set())
        if words:
            found.append(f"tracker {' '.join(args)}: {sorted(set(words))}")
    assert not found, "\n".join(found)


def test_the_workbook_speaks_chinese(zh, runner, imported, tmp_path):
    from openpyxl import load_workbook

    runner.invoke(app, ["done", "4"])
    path = tmp_path / "book.xlsx"
    assert runner.invoke(app, ["export", "--format", "xlsx", "--output", str(path)]).exit_code == 0
    sheet = load_workbook(path)["承诺事项"]
    heads = [c.value.split("\n")[1] for c in sheet[1]]
    values = {key: {row[i] for row in sheet.iter_rows(min_row=2, values_only=True)}
              for i, key in enumerate(heads) if key in ("status", "outcome", "schedule", "review", "due kind")}
    assert values["status"] == {"未办结", "已办结"}
    assert "已兑现" in values["outcome"] and "未评估" in values["outcome"]
    assert not [v for vs in values.values() for v in vs if v and english_words(str(v))]


def test_chinese_dates_and_outcomes_are_taken(zh, runner, imported):
    for args in (["edit", "5", "--due", "2025年12月31日"], ["edit", "1", "--due", "2025/12/31"],
                 ["rate", "2", "--outcome", "部分兑现", "--on", "2024年6月1日"], ["rate", "7", "--outcome", "已兑现"]):
        result = runner.invoke(app, args)
        assert result.exit_code == 0, result.output
    rows = {r["id"]: r for r in json.loads(runner.invoke(app, ["list", "--status", "all", "--json"]).stdout)}
    assert rows[5]["due"] == rows[1]["due"] == "2025-12-31"
    assert (rows[2]["outcome"], rows[2]["outcome_on"]) == ("partly-kept", "2024-06-01")
    assert rows[7]["outcome"] == "kept" and rows[7]["status"] == "done"


def test_one_word_for_one_thing(zh, runner, imported, tmp_path):
    """未评估 for not yet rated, 未办结 for open, 配合单位 for partners: in messages, tables, the
    report and the workbook alike; their other names are gone."""
    from pathlib import Path

    from openpyxl import load_workbook

    import ouhai_tracker

    catalog = "".join(p.read_text(encoding="utf-8")
                      for p in (Path(ouhai_tracker.__file__).parent / "locale" / "zh" / "LC_MESSAGES").glob("*.po"))
    for other in ("未评定", "进行中", "协办单位", "再次答复"):
        assert other not in catalog
    path = tmp_path / "book.xlsx"
    assert runner.invoke(app, ["export", "--format", "xlsx", "--output", str(path)]).exit_code == 0
    heads = {c.value.split("\n")[0] for sheet in load_workbook(path) for c in sheet[1]}
    assert {"未评估", "配合单位", "未办结"} <= heads and not heads & {"未评定", "协办单位", "进行中"}
    stats = runner.invoke(app, ["stats"]).stdout
    report = runner.invoke(app, ["report"]).stdout
    assert "未评估" in stats and "未评估" in report and "未办结" in runner.invoke(app, ["list", "--status", "all"]).stdout
