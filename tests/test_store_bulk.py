"""The fast path for new letters (store/bulk.py) stores what the ORM upsert stores, row for row.

The same letters go into two fresh databases, once with ``store_letter(..., fast=False)`` (the
ORM alone) and once with the fast path, and every table is compared whole: every column of
every row, ids included; only the clock's timestamps are left out. Runs on PostgreSQL too when
TRACKER_TEST_DB_URL is set.
"""
from __future__ import annotations

import dataclasses
from datetime import date

import pytest
from sqlalchemy import event, select

from conftest import (ECON_FILE, ECON_TEXT, EDU_FILE, GSL, JXJ, POLICY_GUIDE, POLICY_SCHOOL, SEED_LETTER,
                      econ_facts, edu_facts, fresh_database)
from ouhai_tracker.tracker import Tracker
from ouhai_tracker.extract.model import (LEAD, PARTNER, Department, Mention, PartnerRole, Policy, Settings)
from ouhai_tracker.store.engine import get_engine, resolve_url, session_scope
from ouhai_tracker.store.models import DATABASE_ID, Base
from ouhai_tracker.store.upsert import store_letter

TIMESTAMPS = {"imported_at", "created_at", "updated_at", "at"}
# Two bodies that both answer to 教育局; the first to claim the form keeps it.
CITY_EDU = Department("市教育局", "市教育局", "市", ("教育局", "温州市教育局"))


def seed_facts():
    from ouhai_tracker.extract.pipeline import run  # the real extraction (conftest patches extract_letter)

    return run(SEED_LETTER.read_text(encoding="utf-8"), SEED_LETTER.name, Settings(), {})


def retitled(facts, title: str, day: date | None = None):
    meta = dataclasses.replace(facts.meta, title=title, date=day or facts.meta.date)
    return dataclasses.replace(facts, meta=meta)


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
    unset = edu_facts()  # what extraction left None: the ORM writes the column's default
    unset.commitments[1] = dataclasses.replace(
        unset.commitments[1], owner_rule=None, cue=None, confidence=None,
        partners=[PartnerRole(JXJ, LEAD, None)],
        deadline=dataclasses.replace(unset.commitments[1].deadline, rule=None, inferred=None))
    corrected = econ_facts(ECON_TEXT.replace("每季度对规上企业进行人才密度调研。", "")
                           .replace("继续实施", "深入实施"))
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
        # Letters with a stored version: both runs take the ORM path, on what each stored.
        (seed, SEED_LETTER.name),  # unchanged
        (dataclasses.replace(retitled(seed, f"{seed.meta.title}第1项"), text=seed.text + "\n"),
         "seed_1_renamed.txt"),  # renamed and corrected
        (corrected, ECON_FILE),  # corrected
    ]


def store_all(db: str, items: list[tuple], fast: bool) -> list:
    outcomes = []
    for facts, file in items:
        with session_scope(db, write=True) as session:
            outcomes.append(store_letter(session, facts, file, f"/letters/{file}", fast=fast))
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


def both_ways(tmp_path, items, prepare=None) -> tuple[dict, dict, list, list]:
    with fresh_database(tmp_path / "orm.db") as orm_db, fresh_database(tmp_path / "fast.db") as fast_db:
        if prepare:
            prepare(orm_db)
            prepare(fast_db)
        orm_outcomes, fast_outcomes = store_all(orm_db, items, False), store_all(fast_db, items, True)
        return tables(orm_db), tables(fast_db), orm_outcomes, fast_outcomes


def assert_same(orm: dict, fast: dict) -> None:
    assert orm.keys() == fast.keys()
    for name in orm:
        assert fast[name] == orm[name], name


def test_fast_path_stores_the_same_rows_as_the_orm(tmp_path):
    items = letters()
    orm, fast, orm_outcomes, fast_outcomes = both_ways(tmp_path, items)
    assert_same(orm, fast)
    assert fast_outcomes == orm_outcomes
    assert [o.status for o in fast_outcomes] == ["added"] * 11 + ["unchanged", "updated", "updated"]
    # The cases the letters were built for are really there.
    seed_commitments = len(seed_facts().commitments)
    assert seed_commitments and len(fast["commitments"]) == 6 + 6 + 2 * 5 + 4 * seed_commitments
    assert len(fast["events"]) > len(fast["commitments"])  # the re-imports' events too
    policies = {(p["title"], p["doc_number"]) for p in fast["policies"]}
    assert {(POLICY_SCHOOL, "瓯教〔2022〕5号"), (POLICY_SCHOOL, "瓯教〔2023〕9号")} <= policies  # filled, and another
    assert (POLICY_SCHOOL, None) not in policies
    school = next(p for p in fast["policies"] if (p["title"], p["doc_number"]) == (POLICY_SCHOOL, "瓯教〔2022〕5号"))
    assert (school["issuer"], school["year"]) == ("温州市瓯海区教育局", 2022)
    assert ("", "", 0.5) in {(c["owner_rule"], c["cue"], c["confidence"]) for c in fast["commitments"]}
    aliases = {a["alias"]: a["department_id"] for a in fast["department_aliases"]}
    names = {d["id"]: d["name"] for d in fast["departments"]}
    assert names[aliases["教育局"]] == "区教育局" and names[aliases["温州市教育局"]] == "市教育局"


def test_fast_path_maps_names_a_person_taught_like_the_orm(tmp_path):
    """A person's alias and merge, in place before the import, map extracted names the same way."""
    renamed_gsl = Department("区总商会", "区商会", "区", ("总商会",))  # 区商会 is what a person taught

    def prepare(db: str) -> None:
        with session_scope(db, write=True) as session:
            store_letter(session, econ_facts(), ECON_FILE, ECON_FILE, fast=False)
        Tracker(db).add_alias(GSL.name, "区商会")
        Tracker(db).add_alias(JXJ.name, "经信")
        Tracker(db).merge_departments(JXJ.name, "区住房和城乡建设局")  # 区住建局 is 经信局's now, by a person

    edu = edu_facts()
    edu.commitments[1].partners.append(PartnerRole(renamed_gsl, PARTNER, "配合"))
    econ_again = econ_facts()
    items = [(retitled(edu, "一"), "edu_1.txt"), (retitled(econ_again, "二", date(2024, 1, 2)), "econ_2.txt")]
    orm, fast, orm_outcomes, fast_outcomes = both_ways(tmp_path, items, prepare)
    assert_same(orm, fast)
    assert fast_outcomes == orm_outcomes
    names = {d["id"]: d["name"] for d in fast["departments"]}
    assert "区总商会" not in names.values() and "区住房和城乡建设局" not in names.values()
    partners = {names[p["department_id"]] for p in fast["commitment_partners"]}
    assert GSL.name in partners


def test_fast_path_is_used_for_new_letters_only_and_costs_few_statements(db):
    statements = []
    engine = get_engine(resolve_url(db))
    event.listen(engine, "before_cursor_execute", lambda *args: statements.append(args[2]))
    facts = seed_facts()
    for i in range(3):
        statements.clear()
        with session_scope(db, write=True) as session:
            assert store_letter(session, retitled(facts, f"题{i}"), f"f{i}.txt", "x").status == "added"
    assert len(statements) <= 16, statements  # the ORM took about 70 for this letter
    with session_scope(db, write=True) as session:
        assert store_letter(session, retitled(facts, "题0"), "f0.txt", "x").status == "unchanged"


def test_failure_midway_in_the_fast_path_leaves_nothing(db, monkeypatch):
    from ouhai_tracker.store import bulk

    real_insert = bulk._insert

    def insert_then_break(connection, table, rows, ids=False):
        if table is bulk.EVENTS:  # the letter, its departments and commitments are in by now
            raise RuntimeError("disk full")
        return real_insert(connection, table, rows, ids)

    monkeypatch.setattr(bulk, "_insert", insert_then_break)
    with pytest.raises(RuntimeError):
        with session_scope(db, write=True) as session:
            store_letter(session, econ_facts(), ECON_FILE, ECON_FILE)
    assert all(not rows for name, rows in tables(db).items() if name != "alembic_version")
