"""Text is data: rich markup, ANSI escape sequences and control characters inside a letter (or a
note) print literally in tables, as visible escapes, and are kept exactly in JSON."""
from __future__ import annotations

import json
from datetime import date

import pytest

from conftest import BUILDERS, JXJ, commitment
from ouhai_tracker.cli import app
from ouhai_tracker.extract.model import DATE, Deadline, LetterFacts, LetterMeta

FILE = "L_ctrl.txt"
LETTER = ("关于第7号建议的答复\n张三代表:\n一、改造\n"
          "我局将于2024年底前[bold]完成[/]\x1b[31m老旧小区\u202e改造[0m。\n区经信局\n2024年3月1日\n")


def ctrl_facts(text: str) -> LetterFacts:
    start = text.index("我局将")
    clause = text[start:text.index("。", start)]
    return LetterFacts(text=text, meta=LetterMeta(title="[red]标题[/red]", replying_unit="区经信局",
                                                  replying_department=JXJ, date=date(2024, 3, 1)),
                       commitments=[commitment(text, clause, JXJ, Deadline(DATE, date(2024, 12, 31), False,
                                                                           "2024年底前"))])


@pytest.fixture
def ctrl(runner, db, tmp_path, monkeypatch):
    monkeypatch.setitem(BUILDERS, FILE, ctrl_facts)
    (tmp_path / FILE).write_text(LETTER, encoding="utf-8")
    result = runner.invoke(app, ["import", str(tmp_path / FILE)])
    assert result.exit_code == 0, result.output
    rows = json.loads(runner.invoke(app, ["list", "--json"]).stdout)
    assert len(rows) == 1
    return rows[0]


def test_json_keeps_the_text_exactly(runner, ctrl):
    # The reader drops ESC and other invisible controls itself; the rest is kept exactly as read.
    assert ctrl["text"] == "我局将于2024年底前[bold]完成[/][31m老旧小区\u202e改造[0m"
    shown = json.loads(runner.invoke(app, ["show", str(ctrl["id"]), "--json"]).stdout)
    assert shown["text"] == ctrl["text"] and shown["letter_title"] == "[red]标题[/red]"
    runner.invoke(app, ["edit", str(ctrl["id"]), "--note", "\x1b[31m红\x07[/]"])
    history = json.loads(runner.invoke(app, ["show", str(ctrl["id"]), "--json"]).stdout)["history"]
    assert history[-1]["note"] == "\x1b[31m红\x07[/]"


@pytest.mark.parametrize("command", [["list"], ["due", "--as-of", "2024-01-01"], ["show", "1"], ["docs"],
                                     ["list", "--status", "all"]])
def test_tables_print_it_literally(runner, ctrl, command):
    runner.invoke(app, ["edit", str(ctrl["id"]), "--note", "\x1b[31m红\x07[/]"])
    result = runner.invoke(app, command, env={"COLUMNS": "250"})
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "\x1b" not in out and "\x07" not in out and "\u202e" not in out
    if command[0] == "docs":
        assert "[red]标题[/red]" in out
        return
    assert "[bold]完成[/][31m老旧小区\\u202e改造[0m" in out
    if command[0] == "show":
        assert "\\x1b[31m红\\x07[/]" in out  # the note, in the history table
