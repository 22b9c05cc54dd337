"""Input that was taken and then broke something, or was taken too loosely: file names that are
not UTF-8, days no calendar can hold, ids written as no person writes them, outputs that are not
files."""
from __future__ import annotations

import json
import os
import socket

import pytest

from ouhai_tracker.cli import app
from test_letter_identity import letter
from test_robust_bad_input import real_extraction

YEARLY = 8  # 每年, stored 2024-12-31, in the fixture letters


def test_a_file_name_that_is_not_utf8_is_imported_and_shown_escaped(runner, db, tmp_path, monkeypatch):
    """A folder copied from a Windows machine: 答复.txt in GBK. The letter is imported, and its
    name is shown (and stored) with its bytes escaped; the folder's other letters import too."""
    real_extraction(monkeypatch)
    folder = tmp_path / "letters"
    folder.mkdir()
    (folder / os.fsdecode("答复".encode("gbk") + b".txt")).write_text(letter(36, "马文清"), encoding="utf-8")
    (folder / "b.txt").write_text(letter(37, "李华"), encoding="utf-8")
    for status in ("added", "unchanged"):
        result = runner.invoke(app, ["import", str(folder)])
        assert result.exit_code == 0, result.output
        assert f"\\xb4\\xf0\\xb8\\xb4.txt: 1 commitments, 0 policies, 1 departments, {status}" in result.stdout
    docs = json.loads(runner.invoke(app, ["docs", "--json"]).stdout)
    assert sorted(d["file"] for d in docs) == ["\\xb4\\xf0\\xb8\\xb4.txt", "b.txt"]


@pytest.mark.parametrize("args", [["due", "--as-of", "9999-12-31"], ["list", "--as-of", "0001-01-01"],
                                  ["edit", "1", "--due", "9999-12-31"], ["list", "--due-before", "2201-01-01"],
                                  ["done", "1", "--on", "1899-12-31"], ["report", "--as-of", "9999-12-31"]])
def test_days_outside_1900_to_2200_are_refused_at_the_edge(runner, imported, args):
    result = runner.invoke(app, args)
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith("tracker: error: bad --") and "expected a day from 1900-01-01 to 2200-12-31" \
        in result.stderr, result.stderr
    assert "Traceback" not in result.output


def test_a_letter_promising_for_9999_breaks_no_calendar(runner, db, tmp_path, monkeypatch):
    real_extraction(monkeypatch)
    (tmp_path / "a.txt").write_text(letter(36, "马文清", promise="于9999年底前完成全部工作，并每年开展一次检查"),
                                    encoding="utf-8")
    assert runner.invoke(app, ["import", str(tmp_path / "a.txt")]).exit_code == 0
    rows = json.loads(runner.invoke(app, ["list", "--json"]).stdout)
    assert all(r["due"] is None or r["due"] < "2201" for r in rows), rows
    calendar = runner.invoke(app, ["export", "--format", "ics"])
    assert calendar.exit_code == 0 and "BEGIN:VCALENDAR" in calendar.stdout, calendar.output
    for row in rows:
        assert runner.invoke(app, ["done", str(row["id"])]).exit_code == 0


@pytest.mark.parametrize("value", ["1_000", "٣", "３", "1_0-1_2", "+3", " 3"])
def test_ids_are_ascii_digits_only(runner, imported, value):
    """int() reads 1_000 as 1000 and ٣ (Arabic-Indic three) as 3: `done 1_000` marked #1000."""
    for args in (["done", value], ["show", value], ["reopen", value]):
        result = runner.invoke(app, args)
        assert result.exit_code == 2, (args, result.output)
        assert "Traceback" not in result.output
    assert json.loads(runner.invoke(app, ["list", "--status", "done", "--json"]).stdout) == []


def test_force_replaces_regular_files_only(runner, imported, tmp_path):
    """A FIFO (or a socket, or a device such as /dev/null) given to --output --force stays what it was."""
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    sock_path = tmp_path / "sock"
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(sock_path))
    try:
        for target, what in ((fifo, "a named pipe (FIFO)"), (sock_path, "a socket")):
            for args in (["report", "--format", "md"], ["export", "--format", "ics"]):
                result = runner.invoke(app, [*args, "--output", str(target), "--force"])
                assert result.exit_code == 1, result.output
                assert result.stderr.strip() == (f"tracker: error: {target} is {what}: the tracker replaces regular "
                                                 "files only; give a file name")
        assert fifo.is_fifo() and sock_path.is_socket()
    finally:
        sock.close()
    regular = tmp_path / "report.md"
    regular.write_text("old", encoding="utf-8")
    assert runner.invoke(app, ["report", "--output", str(regular), "--force"]).exit_code == 0
    assert regular.read_text(encoding="utf-8") != "old"


def test_an_owner_name_several_bodies_answer_to_is_refused_unless_the_letters_place_decides(runner, db, tmp_path,
                                                                                            monkeypatch):
    real_extraction(monkeypatch)
    for name, number, proposer, unit in (("a", 36, "马文清", "温州市瓯海区教育局"), ("b", 37, "李华", "江州市临湖区教育局"),
                                         ("c", 38, "王芳", "桐川市西塘区人力资源和社会保障局")):
        (tmp_path / f"{name}.txt").write_text(letter(number, proposer, unit=unit), encoding="utf-8")
    assert runner.invoke(app, ["import", str(tmp_path)]).exit_code == 0
    ids = {r["document"]: r["id"] for r in json.loads(runner.invoke(app, ["list", "--json"]).stdout)}
    refused = runner.invoke(app, ["edit", str(ids["c.txt"]), "--owner", "区教育局"])
    assert refused.exit_code == 1
    assert refused.stderr.strip() == ("tracker: error: '区教育局' matches several departments "
                                      "(江州市临湖区教育局、温州市瓯海区教育局); give the full name")
    shown = json.loads(runner.invoke(app, ["show", str(ids["c.txt"]), "--json"]).stdout)
    assert shown["owner"] == "桐川市西塘区人力资源和社会保障局"
    # On a 江州市临湖区 letter, its bare 区教育局 is its own district's.
    decided = runner.invoke(app, ["edit", str(ids["a.txt"]), "--owner", "区教育局"])
    assert decided.exit_code == 0, decided.output
    assert runner.invoke(app, ["edit", str(ids["b.txt"]), "--owner", "区教育局"]).exit_code == 0
    assert json.loads(runner.invoke(app, ["show", str(ids["b.txt"]), "--json"]).stdout)["owner"] == "江州市临湖区教育局"
    # The full name always decides.
    assert runner.invoke(app, ["edit", str(ids["c.txt"]), "--owner", "江州市临湖区教育局"]).exit_code == 0


@pytest.mark.parametrize("args", [["config", "set", "class.B", "正在解决\n伪造的一行"],
                                  ["config", "set", "class.A", "已解决\r"],
                                  ["depts", "alias", "区经信局", "瓯海经信局\n区教育局"],
                                  ["depts", "alias", "区经信局\n", "瓯海经信局"]])
def test_line_breaks_are_refused_in_names_and_settings(runner, imported, args):
    result = runner.invoke(app, args)
    assert result.exit_code == 2, result.output
    assert "a line break or control character; give one line" in result.stderr
    assert "\n" not in result.stderr.strip()
    assert "伪造" not in runner.invoke(app, ["config", "list"]).stdout
    assert "瓯海经信局" not in runner.invoke(app, ["depts"]).stdout
