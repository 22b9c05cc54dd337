"""Bad input: one clear `tracker: error:` line each on stderr, a non-zero exit where something
failed, no traceback, and nothing already stored is lost.

Choice for a news article (or any text with a date or title but no promise): it is stored,
with a warning on stderr, and the exit status is 0 (it might be a letter that promises
nothing). A file with no date, no proposal title and no commitment is refused as not a reply letter.
"""
from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path

import pytest

from conftest import ECON_FILE, ECON_TEXT, sqlite_only
from ouhai_tracker.cli import app

SEED = Path(__file__).resolve().parent.parent / "seeds" / "000_f0f5a9deaa56be68.txt"


def real_extraction(monkeypatch):
    import ouhai_tracker.extract
    from ouhai_tracker.extract.model import Settings
    from ouhai_tracker.extract.pipeline import run

    monkeypatch.setattr(ouhai_tracker.extract, "extract_letter",
                        lambda text, name="", settings=None, fallbacks=None: run(text, name, settings or Settings(),
                                                                                 fallbacks or {}))


def one_error_line(result, *fragments: str) -> str:
    assert "Traceback" not in result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("tracker: error: "), result.stderr
    for fragment in fragments:
        assert fragment in lines[0], (fragment, lines[0])
    return lines[0]


def stored(runner) -> int:
    return len(json.loads(runner.invoke(app, ["list", "--status", "all", "--json"]).stdout))


@pytest.fixture
def bad(tmp_path) -> Path:
    folder = tmp_path / "bad"
    folder.mkdir()
    return folder


@pytest.mark.parametrize("name, content, message", [
    ("empty.txt", b"", "empty file"),
    ("binary.txt", bytes(range(256)) * 40, "binary data"),
    ("photo.png", b"\x89PNG\r\n\x1a\n" + bytes(200), "PNG image"),
    ("mixed.txt", ECON_TEXT[:150].encode("utf-8") + ECON_TEXT[150:].encode("gb18030"), "cannot tell the encoding"),
    ("mojibake.txt", ECON_TEXT.encode("utf-8").decode("latin-1").encode("utf-8"), "cannot tell the encoding"),
])
def test_unreadable_content_is_one_line_and_loses_nothing(runner, imported, bad, name, content, message):
    (bad / name).write_bytes(content)
    result = runner.invoke(app, ["import", str(bad / name)])
    assert result.exit_code == 1
    one_error_line(result, name, message)
    assert stored(runner) == 8


def test_other_encodings_are_read(runner, db, bad):
    (bad / ECON_FILE).write_bytes(ECON_TEXT.encode("gb18030"))
    result = runner.invoke(app, ["import", str(bad / ECON_FILE)])
    assert result.exit_code == 0 and result.stdout.startswith(f"{ECON_FILE}: 6 commitments")


def test_huge_file_is_refused_without_reading_it(runner, imported, bad):
    huge = bad / "huge.txt"
    with huge.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)  # 50 MB, sparse: made in no time
    result = runner.invoke(app, ["import", str(huge)])
    assert result.exit_code == 1
    one_error_line(result, "huge.txt", "50.0 MB", "over the 20 MB limit")
    assert stored(runner) == 8


def test_news_article_is_no_reply_letter_unless_forced(runner, db, bad, monkeypatch):
    real_extraction(monkeypatch)
    news = bad / "news.txt"
    news.write_text("瓯海新闻网讯 昨日，瓯海区举行了春季招聘会，共有120家企业参加，提供岗位3000余个。"
                    "现场求职者络绎不绝。\n记者 王五\n2024年3月2日\n", encoding="utf-8")
    result = runner.invoke(app, ["import", str(news)])
    assert result.exit_code == 1
    one_error_line(result, "news.txt", "not a reply letter", "no proposal or suggestion", "--force")
    assert json.loads(runner.invoke(app, ["docs", "--json"]).stdout) == []
    result = runner.invoke(app, ["import", "--force", str(news)])
    assert result.exit_code == 0
    assert result.stdout.startswith("news.txt: 0 commitments")
    assert result.stderr.strip() == f"tracker: warning: {news}: no commitments found: is it a reply letter? " \
                                    "(stored; see `tracker docs`)"


def test_a_readme_about_reply_letters_is_not_one(runner, db, bad, monkeypatch):
    real_extraction(monkeypatch)
    readme = bad / "README.md"
    readme.write_text("# 答复函追踪\n\n政协提案和人大建议的答复函里有很多承诺：下一步将…，年底前完成…。\n"
                      "`tracker import` 读入答复函，`tracker due --dept 工商联` 列出到期的承诺。\n", encoding="utf-8")
    result = runner.invoke(app, ["import", str(readme)])
    assert result.exit_code == 1
    one_error_line(result, "README.md", "not a reply letter", "no addressee")
    assert json.loads(runner.invoke(app, ["docs", "--json"]).stdout) == []


def test_text_that_is_no_letter_is_refused(runner, db, bad):
    (bad / "list.txt").write_text("购物清单: 牛奶, 面包", encoding="utf-8")
    result = runner.invoke(app, ["import", str(bad / "list.txt")])
    assert result.exit_code == 1
    one_error_line(result, "list.txt", "not a reply letter")


def test_folder_with_no_letters(runner, db, bad):
    (bad / ".hidden").write_text("x", encoding="utf-8")
    result = runner.invoke(app, ["import", str(bad)])
    assert result.exit_code == 1
    one_error_line(result, str(bad), "no letters in this folder")


def test_unreadable_file(runner, imported, bad, monkeypatch):
    locked = bad / "locked.txt"
    locked.write_text(ECON_TEXT, encoding="utf-8")
    locked.chmod(0)
    if os.geteuid() == 0:  # root reads anything: make the read fail as it does for a user
        real = Path.read_bytes

        def read_bytes(self):
            if self == locked:
                raise PermissionError(13, "Permission denied", str(self))
            return real(self)

        monkeypatch.setattr(Path, "read_bytes", read_bytes)
    result = runner.invoke(app, ["import", str(locked)])
    assert result.exit_code == 1
    one_error_line(result, "locked.txt", "cannot read (Permission denied)")
    assert stored(runner) == 8


@sqlite_only
def test_database_in_a_read_only_folder(runner, tmp_path, letters_dir):
    if os.geteuid() == 0:
        folder = Path("/sys")  # root may write anywhere a mode allows; not here
    else:
        folder = tmp_path / "readonly"
        folder.mkdir()
        folder.chmod(0o555)
    result = runner.invoke(app, ["--db", str(folder / "tracker.db"), "import", str(letters_dir)])
    assert result.exit_code == 1
    one_error_line(result, "cannot open database", "unable to open database file")
    assert not (folder / "tracker.db").exists()


@sqlite_only
def test_corrupt_database_is_refused_and_left_alone(runner, tmp_path, letters_dir):
    path = tmp_path / "tracker.db"
    garbage = b"this is not a database" + bytes(range(256)) * 20
    path.write_bytes(garbage)
    for command in (["list"], ["import", str(letters_dir)], ["db", "check"]):
        result = runner.invoke(app, ["--db", str(path), *command])
        assert result.exit_code == 1, command
        one_error_line(result, "file is not a database", "restore a backup")
    assert path.read_bytes() == garbage  # nothing written over it
    assert not list(tmp_path.glob("tracker.db.bak-*"))


@pytest.mark.parametrize("value, message", [
    ("postgresql+psycopg://user@host:port/db", "malformed database URL"),
    ("nosuchdialect://x/y", "cannot use database"),
    ("sqlite:///", "names no file"),
    ("sqlite:////no/such/folder/t.db", "unable to open database file"),
])
def test_malformed_tracker_db(runner, monkeypatch, value, message):
    monkeypatch.setenv("TRACKER_DB", value)
    result = runner.invoke(app, ["list"])
    assert result.exit_code == 1 and result.stdout == ""
    one_error_line(result, message)


def test_bad_argument_types_are_usage_errors(runner, imported):
    result = runner.invoke(app, ["done", "abc"])
    assert result.exit_code == 2
    assert result.stderr.strip() == "tracker: error: bad id 'abc': expected a number such as 12, or a range such as 12-15"
    assert runner.invoke(app, ["show", "abc"]).exit_code == 2
    assert runner.invoke(app, ["show", "999"]).exit_code == 1
    assert runner.invoke(app, ["import", "--vague-months", "x", "f"]).exit_code == 2
    assert stored(runner) == 8


@sqlite_only
def test_read_only_database_file_keeps_its_data(runner, imported):
    if os.geteuid() == 0:
        pytest.skip("root writes to read-only files")
    Path(imported).chmod(0o444)
    result = runner.invoke(app, ["done", "1"])
    assert result.exit_code == 1 and result.stderr.startswith("tracker: error: ")
    with sqlite3.connect(f"file:{imported}?mode=ro", uri=True) as con:
        assert con.execute("SELECT count(*) FROM commitments WHERE status = 'open'").fetchone()[0] == 8
