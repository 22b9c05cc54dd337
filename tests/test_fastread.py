"""The SQLite read path: its SQL is the read layer's statements compiled, and its rows are the
other path's, key for key (compared as JSON text, so the order of keys counts too)."""
from __future__ import annotations

import importlib.util
import json
from datetime import date
from pathlib import Path

import pytest
from conftest import ids_by_text, run_counting_modules, sqlite_only
from ouhai_tracker.cli import app
from ouhai_tracker.store import fastread
from ouhai_tracker.store.fast_sql import CHANGE, EXPORT, LETTERS, LINK, READ
from ouhai_tracker.store import location, read
from ouhai_tracker.store.engine import resolve_url
from ouhai_tracker.errors import BadOption
from ouhai_tracker.tracker import Tracker

pytestmark = sqlite_only  # the stdlib fast path reads SQLite files only

GENERATOR = Path(__file__).resolve().parents[1] / "scripts" / "generate_fast_sql.py"


def test_sql_is_the_stores_statements_compiled():
    spec = importlib.util.spec_from_file_location("generate_fast_sql", GENERATOR)
    generator = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(generator)
    assert {"READ": READ, "CHANGE": CHANGE, "LINK": LINK, "EXPORT": EXPORT, "LETTERS": LETTERS} == generator.generated(), "run `python scripts/generate_fast_sql.py`"
    assert set(READ) == {name for name, *_ in fastread.variants()} | {name for name, _ in fastread.scorecard_variants()}


@pytest.mark.parametrize("args", [["due"], ["due", "--format", "json"], ["list", "--dept", "经信局", "--format", "json"],
                                  ["stats"], ["stats", "--dept", "经信局", "--json"], ["docs"],
                                  ["report", "--format", "json"], ["report", "--dept", "经信局", "--format", "json"]])
def test_the_daily_read_loads_no_sqlalchemy(imported, args):
    # The start-up cost of `due` is the point of the fast path: SQLAlchemy alone costs ~180 ms.
    printed, loaded = run_counting_modules(args)
    assert printed and loaded == []


@pytest.mark.parametrize("db", [None, "x/tracker.db", "sqlite:///x/tracker.db"])
def test_reads_the_file_the_engine_opens(db, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("TRACKER_DB", raising=False)
    assert location.sqlite_file(db) == Path(resolve_url(db).database).resolve()


def test_other_databases_take_the_orm_path():
    assert location.sqlite_file("postgresql+psycopg://u@h/db") is None


@sqlite_only  # the stdlib path reads SQLite files only
@pytest.mark.parametrize("dept", [None, "工商联", "经信局", "区教育局", "局", "%", "_", "无此部门"])
@pytest.mark.parametrize("status", ["open", "done", "all"])
def test_rows_equal_the_orm_rows(imported, monkeypatch, dept, status):

    every = Tracker(imported).find_commitments(status="all")
    Tracker(imported).mark_done([every[0]["id"]])
    Tracker(imported).rate(every[1]["id"], "stalled")
    Tracker(imported).review(every[2]["id"], "reject")  # rejected ones leave both paths alike
    with monkeypatch.context() as fast_only:  # the fast path serves it: the other one is not asked
        if status != "all":  # every status shows rejected ones too: not a fast read
            fast_only.setattr(read, "commitments", None)
        fast = attempt(Tracker(imported).find_commitments, dept=dept, status=status, as_of="2024-01-01")
    monkeypatch.setattr(fastread, "find_page", lambda *args: None)
    other = attempt(Tracker(imported).find_commitments, dept=dept, status=status, as_of="2024-01-01")
    assert json.dumps(fast, ensure_ascii=False) == json.dumps(other, ensure_ascii=False)


@sqlite_only
def test_report_and_letters_are_the_same_without_sqlalchemy(imported, runner, monkeypatch):
    # The report and the letters' list of a SQLite file read through the stdlib: notes (one taken
    # back by undo), evidence, members' ratings, class meanings and contacts, masked or not, come
    # out as the SQLAlchemy path gives them (compared as JSON text: the order of keys counts).
    ids = ids_by_text(imported)
    done, rated, undone = list(ids.values())[:3]
    for args in (["done", str(done), "--note", "联系人梅建中电话88502273已确认"],
                 ["rate", str(rated), "--outcome", "partly-kept", "--evidence", "见梅建中的说明", "--note", "部分完成"],
                 ["done", str(undone), "--note", "此条作废"], ["undo", "--yes"],
                 ["feedback", "L_edu.txt", "--rating", "不满意", "--note", "梅建中未回复"],
                 ["config", "set", "class.B", "列入计划"]):
        assert runner.invoke(app, args).exit_code == 0, args
    reads = {"report": lambda **o: Tracker(imported).report(as_of="2024-06-01", **o),
             "documents": lambda **o: Tracker(imported).documents(**o)}
    for name, options in [("report", {}), ("report", {"dept": "经信局"}), ("report", {"dept": "工商联"}),
                          ("documents", {}), ("documents", {"with_contacts": True}),
                          ("documents", {"second_reply": True})]:
        with monkeypatch.context() as fast_only:  # the stdlib path serves it: no session is opened
            fast_only.setattr(Tracker, "_session", None)
            fast = reads[name](**options)
        with monkeypatch.context() as other_path:
            other_path.setattr(fastread, "report", lambda *args: None)
            other_path.setattr(fastread, "letter_reading", lambda *args: None)
            other = reads[name](**options)
        assert json.dumps(fast, ensure_ascii=False) == json.dumps(other, ensure_ascii=False), (name, options)
    shown = json.dumps(Tracker(imported).report(as_of="2024-06-01"), ensure_ascii=False)
    assert "联系人＊＊＊电话＊＊＊＊＊＊＊＊已确认" in shown and "此条作废" not in shown and "部分完成" in shown


def attempt(read, **options):
    """What a read gives, or the error it raises (a name that names nothing is one, on both paths)."""
    try:
        return read(**options)
    except BadOption as err:
        return f"error: {err}"


def test_missing_file_is_left_to_the_orm_path(db):
    assert fastread.find_page(db, None, "open", date(2024, 1, 1), None) is None


@sqlite_only
@pytest.mark.parametrize("dept", [None, "经信局", "无此部门"])
@pytest.mark.parametrize("limit", [1, 3, 1000])
def test_a_page_is_the_head_of_the_whole_list_on_both_paths(imported, monkeypatch, dept, limit):
    whole = attempt(Tracker(imported).due, dept=dept, as_of="2024-01-01")
    with monkeypatch.context() as fast_only:
        fast_only.setattr(read, "commitments", None)
        fast = attempt(Tracker(imported).due_page, dept=dept, as_of="2024-01-01", limit=limit)
    monkeypatch.setattr(fastread, "find_page", lambda *args: None)
    other = attempt(Tracker(imported).due_page, dept=dept, as_of="2024-01-01", limit=limit)
    assert fast == other == (whole if isinstance(whole, str) else (whole[:limit], len(whole)))


def test_stored_hashes_are_the_stores(imported, tmp_path, monkeypatch):
    # An import reads them first, without SQLAlchemy, so that its workers start while it loads.
    from conftest import ECON_FILE, EDU_FILE
    from ouhai_tracker.store.importing import LetterStore

    files = [ECON_FILE, EDU_FILE, "never-imported.txt"]
    fast = fastread.stored_hashes(imported, files)
    monkeypatch.setattr(fastread, "stored_hashes", lambda db, files: None)
    assert fast == LetterStore(imported).stored_hashes(files) and set(fast) == {ECON_FILE, EDU_FILE}
    monkeypatch.undo()
    assert fastread.stored_hashes(str(tmp_path / "not-yet.db"), files) == {}  # nothing stored in it yet


def test_every_row_column_is_selected_and_read_in_its_place():
    # One list names the row statement's columns: the read layer selects each, and the dict
    # unpacks each from its own place (a column read from its neighbour's place fails here).
    from ouhai_tracker import rows

    special = {"owner_confidence": 0.5, "status": "open", "due_inferred": 1, "due": "2024-03-01",
               "letter_date": "2023-12-01", "outcome_on": "2024-02-01", "outcome": "kept", "review_state": "accepted"}
    values = {key: special.get(key, f"<{key}>") for key in rows.ROW_COLUMNS}
    made = rows.commitment_dict(tuple(values.values()), [], [], "2024-01-01")
    renamed = {"condition": "condition", "review_state": "review"}
    for key, value in values.items():
        shown = made[renamed.get(key, key)]
        assert shown == (bool(value) if key == "due_inferred" else value), key
    assert made["schedule"] == "kept-on-time"  # judged on the due day and the day it was kept
    assert len(read.row_columns()) == len(rows.ROW_COLUMNS)
    assert len(read.statements(read.Filter())["rows"].selected_columns) == len(rows.ROW_COLUMNS)


def test_every_link_column_is_read_from_its_place():
    # The links' statement selects LINK_COLUMNS in order; link_dicts unpacks each from its own place.
    from ouhai_tracker import rows
    from ouhai_tracker.store.evidence import links_statement

    values = {key: f"<{key}>" for key in rows.LINK_COLUMNS} | {
        "document_date": "2024-01-20", "letter_date": "2023-05-10", "due": "2023-12-31",
        "decided_at": "2024-02-01 09:30:00.000000", "decided_outcome": None}
    [made] = rows.link_dicts([tuple(values.values())])
    renamed = {"sentence": "evidence", "outcome": "proposed_outcome"}
    for key, value in values.items():
        if key != "decided_outcome":
            shown = made[renamed.get(key, key)]
            assert shown == (value if key != "decided_at" else "2024-02-01 09:30:00"), key
    assert made["outcome"] == "<outcome>"  # no person's verdict: the one proposed
    assert len(links_statement().selected_columns) == len(rows.LINK_COLUMNS)
