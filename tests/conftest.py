"""Shared fixtures: two hand-built letters, a temporary database, and extraction patched.

The real extraction is built elsewhere; these tests pin the store and the CLI to
the data model (extract/model.py), so the letters' facts are written out by hand.
"""
from __future__ import annotations

import atexit
import os
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

import ouhai_tracker.extract

# The suite never touches a user's data: HOME and XDG_DATA_HOME point into a temp folder for this
# process and every tracker it starts, and a test that opens the default database fails.
_SANDBOX_HOME = Path(tempfile.mkdtemp(prefix="tracker-tests-home-"))
atexit.register(shutil.rmtree, _SANDBOX_HOME, ignore_errors=True)
os.environ["HOME"] = str(_SANDBOX_HOME)
os.environ["XDG_DATA_HOME"] = str(_SANDBOX_HOME / "data")
os.environ.pop("TRACKER_DB", None)
# The runner's stdout is no terminal; the suite reads the tables a person sees at one, and the
# tests of piped output (test_cli_formats.py) unset this.
os.environ["TRACKER_FORMAT"] = "table"
# English, whatever the machine's locale; the Chinese interface's tests (test_i18n.py) ask for it.
os.environ["TRACKER_LANG"] = "en"
os.environ.pop("TRACKER_WITH_CONTACTS", None)  # contacts hidden, as by default
from ouhai_tracker.store.engine import forget_engines
from ouhai_tracker.extract.model import (CONDITIONAL, DATE, LEAD, NONE, PARTNER, RECURRING, VAGUE,
                                         Commitment, Deadline, Department, LetterFacts, LetterMeta,
                                         Mention, PartnerRole, Policy)

JXJ = Department("区经济和信息化局", "区经信局", "区", ("经信局", "经济和信息化局"))
GSL = Department("区工商业联合会", "区工商联", "区", ("工商联", "工商业联合会"))
ZJJ = Department("区住房和城乡建设局", "区住建局", "区", ("住建局", "住房和城乡建设局"))
JYJ = Department("区教育局", "区教育局", "区", ("教育局",))

ECON_FILE, EDU_FILE = "L_econ.txt", "L_edu.txt"

ECON_TEXT = """工商(经济)界1组:
余晓平、麻胜芝等委员在区政协十届二次会议期间所提的《关于加强数字化人才体系建设的提案》已收悉。现将有关情况答复如下:
一、搭建数字化人才体系
下一步,我局计划开展专精特新专题培训班。同时联合区工商联等部门,继续实施“瓯商提升”工程。待正式入选后制定相应的实施方案。
二、落实政策保障
2024年底前,我局将修订《瓯海区专业技术人才奖补申报指南》。近期住建局牵头在谋划制定企业人才购房的相关政策。每季度对规上企业进行人才密度调研。
最后,感谢您对我区工业经济工作的关注和支持。
联系人:梅建中,联系电话:88502273。
温州市瓯海区经济和信息化局
2023年6月16日
"""

# Letter text is data: the markup below must print literally, never style anything.
EDU_TEXT = """关于第12号建议的答复
张三代表:
您提出的《关于改善新市民子女入学的建议》收悉。
一、入学保障
依据《温州市瓯海区高层次人才和企业人才子女入学管理办法》(瓯教〔2022〕5号),我局将于2024年9月开学前完成积分入学办法修订[bold]x[/]。区教育局将会同区经信局每年开展人才子女入学调研。
区教育局
2024年3月1日
"""

POLICY_GUIDE = "瓯海区专业技术人才奖补申报指南"
POLICY_SCHOOL = "温州市瓯海区高层次人才和企业人才子女入学管理办法"


def commitment(text: str, clause: str, owner: Department | None, deadline: Deadline, **more) -> Commitment | None:
    """A Commitment for ``clause`` with offsets, sentence and paragraph read off ``text``;
    None when a test has edited the clause out of the letter."""
    if clause not in text:
        return None
    start = text.index(clause)
    paragraph_start = text.rfind("\n", 0, start) + 1
    paragraph_end = text.index("\n", start)
    sentence_start = max(text.rfind("。", paragraph_start, start) + 1, paragraph_start)
    sentence_end = text.index("。", start) + 1
    more.setdefault("owner_rule", "subject" if owner else "none")
    return Commitment(text=clause, start=start, end=start + len(clause),
                      sentence=text[sentence_start:sentence_end], sentence_start=sentence_start,
                      paragraph_start=paragraph_start, paragraph_end=paragraph_end,
                      section=more.pop("section", None), item=more.pop("item", None),
                      owner=owner, deadline=deadline, **more)


def policy(text: str, title: str, doc_number: str | None = None, year: int | None = None) -> Policy:
    start = text.index(title)
    return Policy(title, doc_number, None, year, start, start + len(title))


def econ_facts(text: str = ECON_TEXT) -> LetterFacts:
    meta = LetterMeta(title="关于加强数字化人才体系建设的提案", kind="政协提案答复", addressee="工商(经济)界1组",
                      proposers=["余晓平", "麻胜芝"], session="区政协十届二次会议",
                      replying_unit="温州市瓯海区经济和信息化局", replying_department=JXJ,
                      date=date(2023, 6, 16), contact_name="梅建中", contact_phone="88502273")
    section1, section2 = "一、搭建数字化人才体系", "二、落实政策保障"
    return LetterFacts(text=text, meta=meta, mentions=[
        Mention(GSL, text.index("区工商联"), text.index("区工商联") + 4, "区工商联")],
        policies=[policy(text, POLICY_GUIDE)],
        commitments=[c for c in [
            commitment(text, "我局计划开展专精特新专题培训班", JXJ,
                       Deadline(NONE, date(2024, 6, 16), True, "下一步", rule="letter date + 12 months"),
                       section=section1, owner_rule="speaker (我局)", cue="计划"),
            commitment(text, "同时联合区工商联等部门,继续实施“瓯商提升”工程", JXJ,
                       Deadline(NONE, date(2024, 6, 16), True, None, rule="letter date + 12 months"),
                       section=section1, partners=[PartnerRole(GSL, PARTNER, "联合")], cue="继续实施"),
            commitment(text, "待正式入选后制定相应的实施方案", JXJ,
                       Deadline(CONDITIONAL, None, False, "待正式入选后", condition="正式入选",
                                rule="no date until the condition is met"),
                       section=section1, owner_rule="replying unit", cue="待…后"),
            commitment(text, f"我局将修订《{POLICY_GUIDE}》", JXJ,
                       Deadline(DATE, date(2024, 12, 31), False, "2024年底前", rule="end of 2024"),
                       section=section2, policies=[POLICY_GUIDE], cue="将"),
            commitment(text, "住建局牵头在谋划制定企业人才购房的相关政策", ZJJ,
                       Deadline(VAGUE, date(2023, 9, 16), True, "近期", rule="letter date + 3 months"),
                       section=section2, cue="谋划"),
            commitment(text, "每季度对规上企业进行人才密度调研", JXJ,
                       Deadline(RECURRING, date(2023, 6, 30), False, "每季度", rule="end of the current quarter",
                                period="quarter"),
                       section=section2, cue="每季度"),
        ] if c])


def edu_facts(text: str = EDU_TEXT) -> LetterFacts:
    meta = LetterMeta(title="关于改善新市民子女入学的建议", kind="人大代表建议答复", addressee="张三代表",
                      proposers=["张三"], replying_unit="区教育局", replying_department=JYJ,
                      date=date(2024, 3, 1), number="12")
    return LetterFacts(text=text, meta=meta,
                       policies=[policy(text, POLICY_SCHOOL, "瓯教〔2022〕5号", 2022)],
                       commitments=[
                           commitment(text, "我局将于2024年9月开学前完成积分入学办法修订[bold]x[/]", JYJ,
                                      Deadline(DATE, date(2024, 8, 31), False, "2024年9月开学前"),
                                      section="一、入学保障", policies=[POLICY_SCHOOL]),
                           commitment(text, "区教育局将会同区经信局每年开展人才子女入学调研", JYJ,
                                      Deadline(RECURRING, date(2024, 12, 31), False, "每年", period="year"),
                                      partners=[PartnerRole(JXJ, LEAD, "会同")]),
                       ])


BUILDERS = {ECON_FILE: econ_facts, EDU_FILE: edu_facts}


def fake_extract_letter(text, file_name="", settings=None, fallbacks=None) -> LetterFacts:
    """Known letters get their hand-built facts; anything else is not a reply letter."""
    builder = BUILDERS.get(file_name)
    return builder(text) if builder else LetterFacts(text=text, meta=LetterMeta())


@pytest.fixture(autouse=True)
def default_database_untouched():
    """Fail any test that created the default database (a fixture lost its TRACKER_DB)."""
    from ouhai_tracker.store.engine import default_path

    default = default_path()
    assert default.is_relative_to(_SANDBOX_HOME), f"default database outside the test HOME: {default}"
    yield
    if default.exists():
        default.unlink()
        pytest.fail(f"the test opened the default database {default}; give it the `db` fixture")


@pytest.fixture(autouse=True)
def fake_extraction(monkeypatch):
    monkeypatch.setattr(ouhai_tracker.extract, "extract_letter", fake_extract_letter)


# TRACKER_TEST_DB_URL=postgresql+psycopg:///postgres runs every test that uses `db` on a fresh
# PostgreSQL database of its own (created from that server, dropped afterwards) instead of SQLite.
TEST_DB_URL = os.environ.get("TRACKER_TEST_DB_URL", "").strip()
sqlite_only = pytest.mark.skipif(bool(TEST_DB_URL), reason="SQLite files only (ran in the SQLite pass)")
postgres_only = pytest.mark.skipif(not TEST_DB_URL, reason="set TRACKER_TEST_DB_URL to a PostgreSQL server")


@pytest.fixture
def db(tmp_path, monkeypatch) -> Iterator[str]:
    """A fresh database selected through TRACKER_DB as a user would: a SQLite file, or a new
    PostgreSQL database when TRACKER_TEST_DB_URL is set."""
    with fresh_database(tmp_path / "tracker.db") as value:
        monkeypatch.setenv("TRACKER_DB", value)
        yield value


@pytest.fixture
def empty_db(db) -> str:
    """A database made and left empty (reading a SQLite file that is not there is an error)."""
    from ouhai_tracker.store.engine import get_engine, resolve_url

    get_engine(resolve_url(db))
    return db


@contextmanager
def fresh_database(sqlite_file: Path) -> Iterator[str]:
    """A new empty database's --db value: ``sqlite_file``, or a new PostgreSQL database (dropped
    afterwards) when TRACKER_TEST_DB_URL is set. A test may open several at once."""
    if not TEST_DB_URL:
        try:
            yield str(sqlite_file)
        finally:
            forget_engines()
        return
    from sqlalchemy import create_engine
    from sqlalchemy.engine import make_url

    server = make_url(TEST_DB_URL)
    name = f"tracker_test_{uuid.uuid4().hex[:16]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    url = server.set(database=name).render_as_string(hide_password=False)
    try:
        yield url
    finally:
        forget_engines()
        with admin.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


@pytest.fixture
def letters_dir(tmp_path) -> Path:
    folder = tmp_path / "letters"
    folder.mkdir()
    (folder / ECON_FILE).write_text(ECON_TEXT, encoding="utf-8")
    (folder / EDU_FILE).write_text(EDU_TEXT, encoding="utf-8")
    return folder


@pytest.fixture
def imported(db, letters_dir) -> str:
    from ouhai_tracker.tracker import Tracker

    results = Tracker(db).import_paths([letters_dir])
    assert [r.status for r in results] == ["added", "added"], results
    return db


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def ids_by_text(db: str) -> dict[str, int]:
    from ouhai_tracker.tracker import Tracker

    return {c["text"]: c["id"] for c in Tracker(db).find_commitments(status="all")}


# ---- real letters for the multi-process tests (subprocesses run the real extraction) ---------

SEED_LETTER = Path(__file__).resolve().parent.parent / "seeds" / "000_f0f5a9deaa56be68.txt"
TRACKER = [os.environ.get("TRACKER_TEST_PYTHON") or __import__("sys").executable, "-m", "ouhai_tracker"]


def seed_letters(folder: Path, count: int, rng) -> list[Path]:
    """``count`` distinct letters made from the seed letter: varied file names, proposal titles
    and dates (so none is taken for another's corrected version), and small text changes."""
    text = SEED_LETTER.read_text(encoding="utf-8")
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(count):
        variant = text.replace("加快产业数字化转型发展", f"加快产业数字化转型发展第{i}项")
        variant = variant.replace("2023年6月16日", f"2023年{1 + i % 12}月{1 + i % 28}日")
        if rng.random() < 0.5:  # a small change in a sentence that promises nothing
            variant = variant.replace("干货满满", rng.choice(["收获颇丰", "成效明显", "干货满满"]))
        name = f"{i:03d}_{rng.choice(['答复', 'reply', '函', 'letter'])}_{rng.randrange(10**6):06d}.txt"
        path = folder / name
        path.write_text(variant, encoding="utf-8")
        paths.append(path)
    return paths


def clean_import_count(path: Path) -> int:
    """How many commitments a clean import of ``path`` stores (the real reader and extraction)."""
    from ouhai_tracker.extract.model import Settings
    from ouhai_tracker.extract.pipeline import run
    from ouhai_tracker.readers import read_document

    document = read_document(path)
    return len(run(document.text, path.name, Settings(), document.fallbacks or {}).commitments)


def run_counting_modules(args: list[str], prefix: str = "sqlalchemy") -> tuple[str, list[str]]:
    """`tracker *args` in a fresh interpreter: what it printed, and the first modules it loaded
    whose names start with ``prefix`` (the fast paths' point is to load no SQLAlchemy)."""
    import ast
    import subprocess
    import sys

    code = ("import runpy, sys\n"
            f"sys.argv = ['tracker', *{args!r}]\n"
            "try:\n    runpy.run_module('ouhai_tracker', run_name='__main__')\n"
            "except SystemExit as done:\n    assert not done.code, done.code\n"
            f"sys.stderr.write(repr(sorted(m for m in sys.modules if m.startswith({prefix!r}))[:3]))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return result.stdout, ast.literal_eval(result.stderr)
