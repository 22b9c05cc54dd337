"""Storing a letter's facts: whole or nothing, idempotent, ids and a person's edits survive."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from conftest import ECON_FILE, ECON_TEXT, GSL, JXJ, econ_facts, edu_facts, ids_by_text
from ouhai_tracker.tracker import Tracker
from ouhai_tracker.store.engine import session_scope
from ouhai_tracker.store.models import Commitment, Department, DepartmentAlias, Event, Letter, Policy
from ouhai_tracker.store.upsert import store_letter


@pytest.fixture(autouse=True)
def made(empty_db):
    """These tests store letters through sessions of their own: the database is there first."""


def count(db, model) -> int:
    with session_scope(db) as session:
        return session.scalar(select(func.count()).select_from(model))


def test_letter_lands_with_everything(db):
    with session_scope(db) as session:
        outcome = store_letter(session, econ_facts(), ECON_FILE, "/x/" + ECON_FILE)
    assert (outcome.status, outcome.commitments, outcome.policies) == ("added", 6, 1)
    rows = Tracker(db).find_commitments(status="all")
    partnered = next(r for r in rows if r["partners"])
    assert partnered["owner"] == JXJ.name and partnered["partners"] == [GSL.name]
    assert count(db, Event) == 6  # one 'imported' event each
    with session_scope(db) as session:
        letter = session.scalar(select(Letter))
        assert letter.text == ECON_TEXT and letter.proposers == ["余晓平", "麻胜芝"]
        assert {a.alias for a in session.scalars(select(DepartmentAlias))} >= {"工商联", "区工商联", "经信局"}


def test_identical_reimport_changes_nothing(db):
    for expected in ("added", "unchanged"):
        with session_scope(db) as session:
            assert store_letter(session, econ_facts(), ECON_FILE, ECON_FILE).status == expected
    assert count(db, Commitment) == 6 and count(db, Event) == 6 and count(db, Department) == 3


def break_writing(monkeypatch, module, name: str, table: str) -> None:
    """Make ``module.name`` (write._insert, _update …) fail when it writes ``table``."""
    real = getattr(module, name)

    def broken(connection, into, *args, **kwargs):
        if into.name == table:
            raise RuntimeError("disk full")
        return real(connection, into, *args, **kwargs)

    monkeypatch.setattr(module, name, broken)


def test_failure_midway_leaves_nothing(db, monkeypatch):
    from ouhai_tracker.store import write

    break_writing(monkeypatch, write, "_insert", "commitments")  # the letter, departments and policies are in
    with pytest.raises(RuntimeError):
        with session_scope(db) as session:
            store_letter(session, econ_facts(), ECON_FILE, ECON_FILE)
    assert count(db, Letter) == 0 and count(db, Department) == 0 and count(db, Policy) == 0


def test_failure_midway_through_a_corrected_letter_leaves_the_stored_one(db, monkeypatch):
    from ouhai_tracker.store import write

    with session_scope(db) as session:
        store_letter(session, econ_facts(), ECON_FILE, ECON_FILE)
    before = Tracker(db).find_commitments(status="all")
    corrected = econ_facts(ECON_TEXT.replace("每季度对规上企业进行人才密度调研。", "")
                           .replace("我局计划开展专精特新专题培训班", "我局计划开展专精特新专题培训班和研修班"))
    break_writing(monkeypatch, write, "_insert", "events")  # the commitments are updated by then
    with pytest.raises(RuntimeError):
        with session_scope(db) as session:
            store_letter(session, corrected, ECON_FILE, ECON_FILE)
    assert Tracker(db).find_commitments(status="all") == before and count(db, Event) == 6
    with session_scope(db) as session:
        assert session.scalar(select(Letter.text)) == ECON_TEXT


def test_corrected_letter_keeps_ids_history_and_hand_edits(db):
    with session_scope(db) as session:
        store_letter(session, econ_facts(), ECON_FILE, ECON_FILE)
    before = ids_by_text(db)
    training = before["我局计划开展专精特新专题培训班"]
    Tracker(db).edit(training, due="2024-03-31", note="agreed at the review")
    Tracker(db).mark_done([before["住建局牵头在谋划制定企业人才购房的相关政策"]])

    corrected = ECON_TEXT.replace("每季度对规上企业进行人才密度调研。", "")
    with session_scope(db) as session:
        assert store_letter(session, econ_facts(corrected), ECON_FILE, ECON_FILE).status == "updated"

    after = {c["text"]: c for c in Tracker(db).find_commitments(status="all")}
    assert {t: c["id"] for t, c in after.items()} == before  # nothing renumbered
    assert after["我局计划开展专精特新专题培训班"]["due"] == "2024-03-31"  # the person's date stands
    assert after["住建局牵头在谋划制定企业人才购房的相关政策"]["status"] == "done"
    assert after["每季度对规上企业进行人才密度调研"]["status"] == "withdrawn"


def test_departments_and_policies_are_shared_between_letters(db):
    with session_scope(db) as session:
        store_letter(session, econ_facts(), ECON_FILE, ECON_FILE)
        store_letter(session, edu_facts(), "L_edu.txt", "L_edu.txt")
    assert count(db, Department) == 4  # 经信局 appears in both letters, stored once
    by_name = {d["name"]: d for d in Tracker(db).departments()}
    assert by_name[JXJ.name]["letters"] == 2 and by_name[JXJ.name]["partner_in"] == 1
