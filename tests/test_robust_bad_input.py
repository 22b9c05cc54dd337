"""Bad input: one clear `tracker: error:` line each on stderr, a non-zero exit where something
failed, no traceback, and nothing already stored is lost.

Choice for a news article (or any text with a date or title but no promise): it is stored,
with a warning on stderr, and the exit status is 0 (it might be a letter that promises
nothing). A file with no date, no proposal title and no commitment is refused as not a reply letter.
"""
from __future__ import annotations

import json
import os
import re
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
    one_error_line(result, "README.md", "not a reply letter", "no answer to it")
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
    ("sqlite:////no/such/folder/t.db", "no database at /no/such/folder/t.db"),
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


# Real letters in the shapes pages give them: the addressee inside a long first line, a letter
# that opens with 您好！, one whose only date is on the contact line, one cut off before its
# signature. Each names a proposal and answers it: each is a reply letter.
REAL_SHAPES = {
    "inline.txt": "桐川市西塘区交通运输局 对西塘区第九届人民代表大会第二次会议第12号建议的答复 "
                  "签发人:王某 尊敬的张某等代表: 您提出的关于乡道养护的建议收悉,现答复如下: "
                  "下一步,我局将督促各镇做好乡道养护。\n",
    "hello.txt": "您好!您提出的《关于增设公交站点的建议》已收悉。经研究,现答复如下:\n"
                 "我局计划于明年6月底前在学校门口增设公交站点。\n",
    "contact_date.txt": "关于加强社区养老服务的提案的答复\n李某委员:\n您的提案收悉。我们将在年内新建两处日间照料中心。\n"
                        "联 系 人:李某 2023年5月8日\n",
    "cut_off.txt": "王某代表:\n您提出的关于修缮村道的建议已收悉,现答复如下:\n一、下一步,我镇将争取资金修缮村道。\n二、关于",
}


@pytest.mark.parametrize("name", sorted(REAL_SHAPES))
def test_real_letter_shapes_are_reply_letters(runner, db, bad, monkeypatch, name):
    real_extraction(monkeypatch)
    path = bad / name
    path.write_text(REAL_SHAPES[name], encoding="utf-8")
    result = runner.invoke(app, ["import", str(path)])
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith(f"{name}: ") and not result.stdout.startswith(f"{name}: 0 commitments")
    assert "not a reply letter" not in result.stderr
    assert [d["file"] for d in json.loads(runner.invoke(app, ["docs", "--json"]).stdout)] == [name]


def test_notes_about_letters_in_markup_are_not_one(runner, db, bad, monkeypatch):
    """Notes that quote a letter's phrases (收悉, 现答复如下) but are mostly markup and English."""
    real_extraction(monkeypatch)
    notes = bad / "NOTES.md"
    notes.write_text("# Notes on reply letters\n\nA letter opens with `…的提案收悉，现答复如下：` and then "
                     "lists what was done and what will be done. See the README for the import command, "
                     "the options and the database location.\n", encoding="utf-8")
    result = runner.invoke(app, ["import", str(notes)])
    assert result.exit_code == 1
    one_error_line(result, "NOTES.md", "not a reply letter", "no Chinese prose")


def test_what_a_file_lacks_to_be_a_letter_is_said_in_chinese_too(runner, db, bad, monkeypatch):
    real_extraction(monkeypatch)
    monkeypatch.setenv("TRACKER_LANG", "zh")
    notes = bad / "CHANGES.md"
    notes.write_text("# Changes\n\n- faster import\n- a new export format\n", encoding="utf-8")
    result = runner.invoke(app, ["import", str(notes)])
    assert result.exit_code == 1
    line = result.stderr.strip()
    assert "没有提案或建议" in line and "没有对它的答复" in line and "没有中文正文" in line, line
    assert not re.search(r"\bno\b|stores it", line), line
