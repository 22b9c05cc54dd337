"""Plan and apply on a real database: what is written is what was planned, whatever the order of
the letters and however often they come back; and it takes few statements.

Runs on PostgreSQL too when TRACKER_TEST_DB_URL is set.
"""
from __future__ import annotations

import dataclasses
import re
import sqlite3
from datetime import date

import pytest
from sqlalchemy import event, select

from conftest import (ECON_FILE, ECON_TEXT, EDU_FILE, GSL, JXJ, POLICY_GUIDE, POLICY_SCHOOL, SEED_LETTER, econ_facts,
                      edu_facts, fresh_database, sqlite_only)
from ouhai_tracker.extract.model import LEAD, PARTNER, Department, Mention, PartnerRole, Policy, Settings
from ouhai_tracker.store import word_search, write
from ouhai_tracker.store.engine import get_engine, resolve_url, session_scope
from ouhai_tracker.store.models import DATABASE_ID, Base
from ouhai_tracker.store.plan import plan_letter
from ouhai_tracker.extract.model import content_hash
from ouhai_tracker.store.upsert import match_letter, store_letter
from ouhai_tracker.tracker import Tracker

TIMESTAMPS = {"imported_at", "created_at", "updated_at", "at"}
# Two bodies that both answer to 教育局; the first to claim the form keeps it.
CITY_EDU = Department("市教育局", "市教育局", "市", ("教育局", "温州市教育局"))
# What a row is, whatever its id: ids depend on the order letters come in.
NATURAL_KEYS = {"letters": ("file",), "departments": ("name",), "policies": ("title", "doc_number"),
                "commitments": ("letter_id", "start_offset", "text")}


def seed_facts():
    from ouhai_tracker.extract.pipeline import run  # the real extraction (conftest patches extract_letter)

    return run(SEED_LETTER.read_text(encoding="utf-8"), SEED_LETTER.name, Settings(), {})


def retitled(facts, title: str, day: date | None = None):
    meta = dataclasses.replace(facts.meta, title=title, date=day or facts.meta.date)
    return dataclasses.replace(facts, meta=meta)


def corrected_econ():
    return econ_facts(ECON_TEXT.replace("每季度对规上企业进行人才密度调研。", "").replace("继续实施", "深入实施"))


def letters() -> list[tuple]:
    """(facts, file) in import order: new letters of every kind, then versions of stored ones."""
    seed = seed_facts()
    econ = econ_facts()
    bare_school = dataclasses.replace(  # the school rules first without a number, then with one
        econ, policies=[*econ.policies, Policy(POLICY_SCHOOL, None, None, None, 0, 1)])
    other_school = dataclasses.replace(  # the same title under another number: another policy
        edu_facts(), policies=[Policy(POLICY_SCHOOL, "瓯教〔2023〕9号", "区教育局", 2023, 0, 1)])
    two_edus = edu_facts()
    two_edus.mentions.append(Mention(CITY_EDU, 0, 3, "市教育局"))
    two_edus.commitments[0].partners.extend([PartnerRole(CITY_EDU, PARTNER, "配合"),
                                             PartnerRole(CITY_EDU, LEAD, "会同")])  # one row: first role wins
    two_edus.commitments[1].policies.append(POLICY_GUIDE)
    refilled = dataclasses.replace(  # the same policy, its issuer now known: filled, the year kept
        edu_facts(), policies=[Policy(POLICY_SCHOOL, "瓯教〔2022〕5号", "温州市瓯海区教育局", 1999, 0, 1)])
    unset = edu_facts()  # what extraction left None: the column's default is written
    unset.commitments[1] = dataclasses.replace(
        unset.commitments[1], owner_rule=None, cue=None, confidence=None,
        partners=[PartnerRole(JXJ, LEAD, None)],
        deadline=dataclasses.replace(unset.commitments[1].deadline, rule=None, inferred=None))
    return [
        (econ_facts(), ECON_FILE),
        (retitled(bare_school, "关于人才子女入学的提案", date(2023, 7, 1)), "bare_school.txt"),
        (edu_facts(), EDU_FILE),
        (retitled(other_school, "另一件建议"), "other_school.txt"),
        (retitled(two_edus, "两个教育局"), "two_edus.txt"),
        (retitled(unset, "空着的"), "unset.txt"),
        *[(retitled(seed, f"{seed.meta.title}第{i}项"), f"seed_{i}.txt") for i in range(3)],
        (seed, SEED_LETTER.name),
        (retitled(refilled, "再一件"), "refilled.txt"),  # after the seed letter, which names it too
        # Versions of stored letters.
        (seed, SEED_LETTER.name),  # unchanged
        (dataclasses.replace(retitled(seed, f"{seed.meta.title}第1项"), text=seed.text + "\n"),
         "seed_1_renamed.txt"),  # renamed and corrected
        (corrected_econ(), ECON_FILE),  # corrected
    ]


def store_all(db: str, items: list[tuple]) -> list:
    outcomes = []
    for facts, file in items:
        with session_scope(db, write=True) as session:
            outcomes.append(store_letter(session, facts, file, f"/letters/{file}"))
    return outcomes


def tables(db: str) -> dict[str, list[dict]]:
    """Every table's rows, timestamps left out, in a stable order."""
    content = {}
    with get_engine(resolve_url(db)).connect() as connection:
        for table in Base.metadata.sorted_tables:
            columns = [c for c in table.columns if c.name not in TIMESTAMPS]
            rows = connection.execute(select(*columns).order_by(*table.primary_key.columns)).all()
            # Each database's own random id is no row a letter wrote.
            content[table.name] = [row._asdict() for row in rows if row._asdict().get("key") != DATABASE_ID]
    return content


def without_ids(content: dict[str, list[dict]]) -> dict[str, list[dict]]:
    """``tables`` with every id, and every reference to one, replaced by what the row is."""
    keys: dict[str, dict[int, tuple]] = {}
    result = {}
    for table in Base.metadata.sorted_tables:
        rows = []
        for row in content[table.name]:
            row = dict(row)
            for key in table.foreign_keys:
                if row[key.parent.name] is not None:
                    row[key.parent.name] = keys[key.column.table.name][row[key.parent.name]]
            if table.name in NATURAL_KEYS:
                keys.setdefault(table.name, {})[row["id"]] = tuple(row[c] for c in NATURAL_KEYS[table.name])
            row.pop("id", None)
            rows.append(row)
        result[table.name] = sorted(rows, key=repr)
    return result


def test_letters_of_every_kind_are_stored_as_they_say(db):
    outcomes = store_all(db, letters())
    assert [o.status for o in outcomes] == ["added"] * 11 + ["unchanged", "updated", "updated"]
    content = tables(db)
    seed_commitments = len(seed_facts().commitments)
    assert seed_commitments and len(content["commitments"]) == 6 + 6 + 2 * 5 + 4 * seed_commitments
    assert len(content["events"]) > len(content["commitments"])  # the re-imports' events too
    policies = {(p["title"], p["doc_number"]) for p in content["policies"]}
    assert {(POLICY_SCHOOL, "瓯教〔2022〕5号"), (POLICY_SCHOOL, "瓯教〔2023〕9号")} <= policies  # filled, and another
    assert (POLICY_SCHOOL, None) not in policies
    school = next(p for p in content["policies"] if (p["title"], p["doc_number"]) == (POLICY_SCHOOL, "瓯教〔2022〕5号"))
    assert (school["issuer"], school["year"]) == ("温州市瓯海区教育局", 2022)
    assert ("", "", 0.5) in {(c["owner_rule"], c["cue"], c["confidence"]) for c in content["commitments"]}
    aliases = {a["alias"]: a["department_id"] for a in content["department_aliases"]}
    names = {d["id"]: d["name"] for d in content["departments"]}
    assert names[aliases["教育局"]] == "区教育局" and names[aliases["温州市教育局"]] == "市教育局"
    two_edus = next(c["id"] for c in content["commitments"] if c["letter_id"] == 5)
    assert [(p["department_id"], p["role"]) for p in content["commitment_partners"]
            if p["commitment_id"] == two_edus] == [(aliases["温州市教育局"], PARTNER)]  # one row, the first role
    renamed = outcomes[-2]
    assert (renamed.match.by, renamed.match.file) == ("replying unit, date and title", "seed_1.txt")
    files = {letter["file"] for letter in content["letters"]}
    assert "seed_1_renamed.txt" in files and "seed_1.txt" not in files  # one letter, its newest name


def test_a_stored_letter_plans_nothing_more(db):
    """Planning a letter again over what applying its plan stored gives nothing to write but the
    letter's own row: the database holds exactly what was planned."""
    for facts, file in letters():
        with session_scope(db, write=True) as session:
            store_letter(session, facts, file, f"/letters/{file}")
        with session_scope(db) as session:
            match = match_letter(session, file, facts).match
            stored = write.read(session.connection(), facts, match.letter_id)
        plan = plan_letter(facts, file, f"/letters/{file}", content_hash(facts.text), stored)
        assert (plan.inserts, plan.deletes, plan.updates) == ([], [], [plan.letter]), file
        assert plan.outcome.unchanged == len(facts.commitments)


def test_storing_a_letter_again_changes_nothing(db):
    for item in letters():
        store_all(db, [item])
        before = tables(db)
        assert [o.status for o in store_all(db, [item])] == ["unchanged"]
        assert tables(db) == before


@pytest.mark.parametrize("order", ["reversed", "corrected first"])
def test_the_same_letters_in_another_order_give_the_same_tables(tmp_path, order):
    """Ids follow the order letters come in; everything else does not (where no two departments
    claim one alias: then the first keeps it)."""
    items = [(econ_facts(), ECON_FILE), (edu_facts(), EDU_FILE), (retitled(econ_facts(), "二", date(2024, 1, 2)), "econ_2.txt"),
             (retitled(edu_facts(), "三"), "edu_3.txt"), (corrected_econ(), ECON_FILE)]
    other = {"reversed": [*reversed(items[:4]), items[4]],
             "corrected first": [items[1], items[0], items[4], items[3], items[2]]}[order]
    with fresh_database(tmp_path / "one.db") as one, fresh_database(tmp_path / "two.db") as two:
        store_all(one, items)
        store_all(two, other)
        assert without_ids(tables(one)) == without_ids(tables(two))


def test_a_corrected_version_and_back_again(tmp_path):
    """v1, then v2, then v1 again: v1's promises keep their ids and are open as after v1 alone;
    what v2 added is withdrawn."""
    v1 = econ_facts()
    v2 = corrected_econ()
    v2.commitments.append(dataclasses.replace(v2.commitments[0], text="我局将新建人才驿站", start=400))
    with fresh_database(tmp_path / "one.db") as one, fresh_database(tmp_path / "two.db") as two:
        store_all(one, [(v1, ECON_FILE)])
        ids = {c["text"]: c["id"] for c in tables(one)["commitments"]}
        assert [o.status for o in store_all(one, [(v2, ECON_FILE), (econ_facts(ECON_TEXT + "\n"), ECON_FILE)])] == [
            "updated", "updated"]
        store_all(two, [(econ_facts(ECON_TEXT + "\n"), ECON_FILE)])
        rows = tables(one)["commitments"]
        assert {c["text"]: c["id"] for c in rows if c["status"] != "withdrawn"} == ids
        assert [c["text"] for c in rows if c["status"] == "withdrawn"] == ["我局将新建人才驿站"]

        def live(db):
            content = without_ids(tables(db))
            return [c for c in content["commitments"] if c["status"] != "withdrawn"]

        assert live(one) == live(two)
        history = [(e["action"], e["field"]) for e in tables(one)["events"]
                   if e["commitment_id"] == ids["每季度对规上企业进行人才密度调研"]]
        assert history == [("imported", None), ("withdrawn", "status"), ("restored", "status")]


def test_names_a_person_taught_map_extracted_names(db):
    """A person's alias and merge, in place before the import, map extracted names."""
    renamed_gsl = Department("区总商会", "区商会", "区", ("总商会",))  # 区商会 is what a person taught
    with session_scope(db, write=True) as session:
        store_letter(session, econ_facts(), ECON_FILE, ECON_FILE)
    Tracker(db).add_alias(GSL.name, "区商会")
    Tracker(db).merge_departments(JXJ.name, "区住房和城乡建设局")  # 区住建局 is 经信局's now, by a person
    edu = edu_facts()
    edu.commitments[1].partners.append(PartnerRole(renamed_gsl, PARTNER, "配合"))
    store_all(db, [(retitled(edu, "一"), "edu_1.txt"), (retitled(econ_facts(), "二", date(2024, 1, 2)), "econ_2.txt")])
    content = tables(db)
    names = {d["id"]: d["name"] for d in content["departments"]}
    assert "区总商会" not in names.values() and "区住房和城乡建设局" not in names.values()
    assert GSL.name in {names[p["department_id"]] for p in content["commitment_partners"]}
    econ_2 = next(letter["id"] for letter in content["letters"] if letter["file"] == "econ_2.txt")
    housing = next(c for c in content["commitments"] if c["letter_id"] == econ_2 and c["text"].startswith("住建局"))
    assert names[housing["owner_id"]] == JXJ.name


def statements(db: str, facts, file: str) -> tuple[str, int]:
    """The outcome of storing ``facts`` and the statements it took (on SQLite the inserts go to the
    driver: one executemany each, counted here as SQLAlchemy counts its own)."""
    statements = []
    engine = get_engine(resolve_url(db))
    listen = lambda *args: statements.append(args[2])  # noqa: E731
    event.listen(engine, "before_cursor_execute", listen)
    real_insert = write._sqlite_insert

    def insert(connection, table, rows):
        statements.append(f"INSERT INTO {table.name}")
        return real_insert(connection, table, rows)

    write._sqlite_insert = insert
    try:
        with session_scope(db, write=True) as session:
            status = store_letter(session, facts, file, "x").status
        # Not counted: the session's own, and its commit's bringing the search index up to date.
        own = ("BEGIN", "PRAGMA", f"INSERT INTO {word_search.FTS_TABLE} ")
        return status, len([s for s in statements if not s.startswith(own)])
    finally:
        write._sqlite_insert = real_insert
        event.remove(engine, "before_cursor_execute", listen)


def test_storing_costs_few_statements(db):
    facts = seed_facts()
    for i in range(3):
        status, count = statements(db, retitled(facts, f"题{i}"), f"f{i}.txt")
        assert status == "added" and count <= 15  # the ORM took about 70 for this letter
    status, count = statements(db, retitled(facts, "题0"), "f0.txt")
    assert status == "unchanged" and count <= 2
    corrected = dataclasses.replace(retitled(facts, "题0"), text=facts.text + "\n",
                                    commitments=facts.commitments[1:])  # one withdrawn, the rest unchanged
    status, count = statements(db, corrected, "f0.txt")
    assert status == "updated" and count <= 16  # the ORM took about 115


def stored_text(path) -> dict[str, list[tuple]]:
    """Every table's rows as SQLite holds them (text as written, not as read back), each clock
    value by its shape alone."""
    with sqlite3.connect(path) as connection:
        names = [name for (name,) in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        content = {}
        for name in names:
            cursor = connection.execute(f'SELECT * FROM "{name}"')
            columns = [d[0] for d in cursor.description]
            content[name] = sorted((tuple(re.sub(r"\d", "9", str(v)) if c in TIMESTAMPS else v
                                          for c, v in zip(columns, row)) for row in cursor), key=repr)
    connection.close()
    content.pop("settings")  # each database's own random id
    return content


@sqlite_only
def test_sqlite_inserts_write_what_sqlalchemy_would(tmp_path, monkeypatch):
    """On SQLite the inserts go to the driver (SQLAlchemy's per-row work cost more than SQLite's):
    every table ends as when SQLAlchemy's own executemany writes the same rows, byte for byte."""
    from sqlalchemy import insert

    def through_sqlalchemy(connection, table, rows):
        connection.execute(insert(table), rows)
        return connection.exec_driver_sql("SELECT last_insert_rowid()").scalar_one()

    with fresh_database(tmp_path / "driver.db") as driver, fresh_database(tmp_path / "core.db") as core:
        store_all(driver, letters())
        with monkeypatch.context() as reference:
            reference.setattr(write, "_sqlite_insert", through_sqlalchemy)
            store_all(core, letters())
    assert stored_text(tmp_path / "driver.db") == stored_text(tmp_path / "core.db")


@sqlite_only
def test_sqlite_lookups_read_what_sqlalchemy_would(tmp_path):
    """On SQLite a letter's look-ups (its departments, their other names, its policies' titles) go
    to the driver: the same rows, in the same order, as SQLAlchemy gives for the same statement."""
    with fresh_database(tmp_path / "t.db") as db:
        store_all(db, letters())
        with session_scope(db) as session:
            connection = session.connection()
            stored = {
                "departments": [name for (name,) in connection.exec_driver_sql("SELECT name FROM departments")],
                "aliases": [alias for (alias,) in connection.exec_driver_sql("SELECT alias FROM department_aliases")],
                "policies": [title for (title,) in connection.exec_driver_sql("SELECT title FROM policies")],
            }
            for lookup, values in stored.items():
                assert values, lookup
                asked = sorted({*values, "无此名称"})
                expected = [tuple(row) for row in connection.execute(write._IN_LIST[lookup], {"values": asked})]
                found = write._sqlite_select_in(connection, lookup, asked)
                assert [tuple(row) for row in found] == expected, lookup
                assert [row._fields for row in found[:1]] == [tuple(write._IN_LIST[lookup].selected_columns.keys())]
