"""Storing a NEW letter with SQLAlchemy Core: the ORM upsert's rows, in about fifteen statements.

Why this exists: `tracker import` has one writer process, and through the ORM a new letter of
about ten commitments cost some 22 ms and 70 statements (a look-up per department, alias and
policy, one INSERT per row, the unit of work's bookkeeping), which capped an import at about
45 letters/s however many workers extract (issue 5 asks for 200/s on 2 cores). Here a letter
that has no stored version costs three IN (...) look-ups and one executemany INSERT per table.

What is stored stays defined by store/upsert.py (``_store_letter``, ``_Departments``,
``_Policies``, ``_fill_commitment``), which still stores every letter that has a stored
version (re-imports, corrected and renamed letters). This module mirrors it for a new letter
only: the same get-or-create calls in the same order, so the same rows with the same ids.
tests/test_store_bulk.py imports the same letters both ways and compares every table row for
row; change the two together.

It runs in the caller's session and transaction, so a letter still lands whole or not at all,
and it keeps nothing between letters (another process may merge departments meanwhile).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import Connection, Table, bindparam, insert, select, update
from sqlalchemy.orm import Session

from ouhai_tracker.extract import model
from ouhai_tracker.store.models import (EXTRACTED, OPEN, USER, Commitment, CommitmentPartner, Department,
                                        DepartmentAlias, Event, Letter, Policy, commitment_policies,
                                        functions_text, letter_departments, letter_policies)
from ouhai_tracker.store.upsert import (ADDED, StoreOutcome, _pick_policy, _unique, _unique_partners,
                                        content_hash)

LETTERS, DEPARTMENTS, ALIASES = Letter.__table__, Department.__table__, DepartmentAlias.__table__
POLICIES, COMMITMENTS = Policy.__table__, Commitment.__table__
PARTNERS, EVENTS = CommitmentPartner.__table__, Event.__table__
IN_BATCH = 500  # values per IN (...): under every driver's parameter limit


@dataclass(eq=False)  # compared by identity, like ORM rows in upsert's _unique
class _Row:
    """A department or policy row this letter uses: stored (id known) or to insert."""

    id: int | None
    values: dict = field(default_factory=dict)  # a new row's columns; a policy's current ones

    @property
    def doc_number(self):  # read by upsert._pick_policy
        return self.values.get("doc_number")


def store_new_letter(session: Session, facts: model.LetterFacts, file: str, path: str) -> StoreOutcome:
    """Store a letter that has no stored version (``upsert.match_letter`` found none)."""
    meta = facts.meta
    connection = session.connection()  # Core on the session's own connection and transaction
    departments = _Departments(connection, [meta.replying_department, *facts.departments,
                                            *(d for c in facts.commitments for d in _named_in(c))])
    policies = _Policies(connection, [p.title for p in facts.policies]
                         + [title for c in facts.commitments for title in c.policies])

    # The get-or-create calls of upsert._store_letter and _fill_commitment, in their order.
    replying = departments.get(meta.replying_department)
    letter_policy_rows = _unique([policies.get(p.title, p) for p in facts.policies])
    named = [departments.get(d) for d in (meta.replying_department, *facts.departments)]
    letter_department_rows = _unique([d for d in named if d is not None])
    found_rows = []
    for found in facts.commitments:
        owner = departments.get(found.owner)
        partners = [(departments.get(p.department), p) for p in _unique_partners(found.partners)]
        found_rows.append((found, owner, partners, _unique([policies.get(title) for title in found.policies])))

    departments.write()
    policies.write()
    letter_id = _insert(connection, LETTERS, [_values(LETTERS, {
        "file": file, "path": path, "content_hash": content_hash(facts.text), "text": facts.text,
        "title": meta.title, "kind": meta.kind, "addressee": meta.addressee, "proposers": list(meta.proposers),
        "session": meta.session, "replying_unit": meta.replying_unit, "unit_source": meta.unit_source,
        "date_source": meta.date_source,
        "replying_department_id": replying.id if replying else None, "letter_date": meta.date,
        "contact_name": meta.contact_name, "contact_phone": meta.contact_phone, "class_mark": meta.class_mark,
        "number": meta.number, "doc_number": meta.doc_number})], ids=True)[0]
    _insert(connection, letter_policies, [{"letter_id": letter_id, "policy_id": p.id} for p in letter_policy_rows])
    _insert(connection, letter_departments,
            [{"letter_id": letter_id, "department_id": d.id} for d in letter_department_rows])

    ids = _insert_commitments(connection, letter_id, [_values(COMMITMENTS, _commitment(letter_id, found, owner))
                                                      for found, owner, _partners, _policies in found_rows])
    _insert(connection, PARTNERS, [_values(PARTNERS, {"commitment_id": id_, "department_id": department.id,
                                                      "role": partner.role, "cue": partner.cue})
                                   for id_, (_f, _o, partners, _p) in zip(ids, found_rows)
                                   for department, partner in partners])
    _insert(connection, commitment_policies, [{"commitment_id": id_, "policy_id": policy.id}
                                              for id_, (_f, _o, _p, linked) in zip(ids, found_rows)
                                              for policy in linked])
    _insert(connection, EVENTS, [{"commitment_id": id_, "action": "imported", "note": f"from {file}"} for id_ in ids])
    return StoreOutcome(ADDED, letter_id, len(facts.commitments), len(letter_policy_rows),
                        len(letter_department_rows), added=len(facts.commitments))


def _named_in(found: model.Commitment) -> list[model.Department]:
    return [d for d in (found.owner, *(p.department for p in found.partners)) if d is not None]


def _commitment(letter_id: int, found: model.Commitment, owner: _Row | None) -> dict:
    """upsert._fill_commitment's columns for a new row (no person's edits to keep)."""
    deadline = found.deadline
    return {"letter_id": letter_id, "status": OPEN, "text": found.text,
            "start_offset": found.start, "end_offset": found.end,
            "sentence": found.sentence, "sentence_start": found.sentence_start,
            "paragraph_start": found.paragraph_start, "paragraph_end": found.paragraph_end,
            "section": found.section, "item": found.item, "cue": found.cue, "confidence": found.confidence,
            "owner_id": owner.id if owner else None, "owner_rule": found.owner_rule,
            "due_kind": deadline.kind, "due_text": deadline.text, "due_condition": deadline.condition,
            "due_period": deadline.period, "due_start": deadline.start, "due_end": deadline.end,
            "due": deadline.due, "due_inferred": deadline.inferred, "due_rule": deadline.rule}


class _Departments:
    """upsert._Departments on ids: every department and alias the letter may need is read in
    two IN (...) queries up front; ``get`` then decides as the ORM does, in memory."""

    def __init__(self, connection: Connection, wanted: list[model.Department | None]) -> None:
        self.connection = connection
        wanted = [d for d in wanted if d is not None]
        names = {d.name for d in wanted}
        forms = names | {d.short for d in wanted} | {a for d in wanted for a in d.aliases}
        self.stored: dict[int, _Row] = {}  # by id: two names a person merged are one row
        self.by_name = {name: self._stored(id_) for id_, name in _select_in(
            connection, select(DEPARTMENTS.c.id, DEPARTMENTS.c.name), DEPARTMENTS.c.name, names)}
        self.taken: set[str] = set()  # aliases in the database
        self.user: dict[str, int] = {}  # aliases a person gave, to their department's id
        for alias, department_id, source in _select_in(connection, select(
                ALIASES.c.alias, ALIASES.c.department_id, ALIASES.c.source), ALIASES.c.alias, forms):
            self.taken.add(alias)
            if source == USER:
                self.user[alias] = department_id
        self.rows: dict[str, _Row] = {}
        self.claimed: set[str] = set()
        self.new: list[_Row] = []
        self.aliases: list[tuple[_Row, str]] = []

    def _stored(self, id_: int) -> _Row:
        return self.stored.setdefault(id_, _Row(id_))

    def get(self, department: model.Department | None) -> _Row | None:
        if department is None:
            return None
        row = self.rows.get(department.name) or self.by_name.get(department.name)
        if row is None:  # a person said this name belongs to another department (alias, merge)
            user = self.user.get(department.name) or self.user.get(department.short)
            row = self._stored(user) if user is not None else None
        if row is None:
            row = _Row(None, {"name": department.name, "short": department.short, "level": department.level,
                              "place": department.place, "functions": functions_text(department.functions)})
            self.new.append(row)
        self.rows[department.name] = row
        for alias in dict.fromkeys((department.short, *department.aliases)):
            # An alias is unique: the first department to claim a form keeps it.
            if alias and alias != department.name and alias not in self.claimed and alias not in self.taken:
                self.aliases.append((row, alias))
                self.claimed.add(alias)
        return row

    def write(self) -> None:
        for row, id_ in zip(self.new, _insert(self.connection, DEPARTMENTS, [r.values for r in self.new], ids=True)):
            row.id = id_
        _insert(self.connection, ALIASES, [{"department_id": row.id, "alias": alias, "source": EXTRACTED}
                                           for row, alias in self.aliases])


class _Policies:
    """upsert._Policies on ids: the letter's titles read in one IN (...) query up front."""

    def __init__(self, connection: Connection, titles: list[str]) -> None:
        self.connection = connection
        self.by_title: dict[str, list[_Row]] = {title: [] for title in titles}
        columns = [POLICIES.c[key] for key in ("id", "title", "doc_number", "issuer", "year")]
        for id_, title, doc_number, issuer, year in _select_in(connection, select(*columns), POLICIES.c.title, titles):
            self.by_title[title].append(_Row(id_, {"doc_number": doc_number, "issuer": issuer, "year": year}))
        self.new: list[_Row] = []
        self.changed: list[_Row] = []

    def get(self, title: str, found: model.Policy | None = None) -> _Row:
        candidates = self.by_title[title]
        row = _pick_policy(candidates, found.doc_number if found else None)
        if row is None:
            row = _Row(None, {"title": title, "doc_number": None, "issuer": None, "year": None})
            self.new.append(row)
            candidates.append(row)
        if found is not None:  # fill what an earlier, barer mention left empty
            before = dict(row.values)
            for key in ("doc_number", "issuer", "year"):
                row.values[key] = row.values[key] or getattr(found, key)
            if row.id is not None and row.values != before and row not in self.changed:
                self.changed.append(row)
        return row

    def write(self) -> None:
        for row, id_ in zip(self.new, _insert(self.connection, POLICIES, [r.values for r in self.new], ids=True)):
            row.id = id_
        if self.changed:
            self.connection.execute(update(POLICIES).where(POLICIES.c.id == bindparam("_id")).values(
                doc_number=bindparam("doc_number"), issuer=bindparam("issuer"), year=bindparam("year")),
                [{"_id": row.id, **row.values} for row in self.changed])


def _select_in(connection: Connection, query, column, values) -> list[tuple]:
    values = sorted(v for v in set(values) if v is not None)
    rows: list[tuple] = []
    for start in range(0, len(values), IN_BATCH):
        rows.extend(connection.execute(query.where(column.in_(values[start:start + IN_BATCH]))).all())
    return rows


def _values(table: Table, values: dict) -> dict:
    # The ORM leaves a None attribute out of its INSERT, so the column's default fills it: the same here.
    for key, value in values.items():
        default = table.c[key].default
        if value is None and default is not None and default.is_scalar:
            values[key] = default.arg
    return values


def _insert_commitments(connection: Connection, letter_id: int, rows: list[dict]) -> list[int]:
    """The new letter's commitments in one executemany; their ids in the rows' order."""
    if connection.dialect.name != "sqlite" or len(rows) <= 1:
        return _insert(connection, COMMITMENTS, rows, ids=True)  # PostgreSQL: INSERT ... RETURNING, in order
    # SQLite promises no order of RETURNING rows, so SQLAlchemy would insert one row at a time.
    # One executemany in this write transaction numbers the rows in order (a rowid is the
    # largest so far plus one), and the letter is new: its commitments are exactly these rows.
    connection.execute(insert(COMMITMENTS), rows)
    ids = list(connection.scalars(select(COMMITMENTS.c.id).where(COMMITMENTS.c.letter_id == letter_id)
                                  .order_by(COMMITMENTS.c.id)))
    if len(ids) != len(rows):
        raise RuntimeError(f"stored {len(rows)} commitments of letter {letter_id} but found {len(ids)}")
    return ids


def _insert(connection: Connection, table: Table, rows: list[dict], ids: bool = False) -> list[int]:
    """Insert ``rows`` in one statement (executemany); with ``ids``, their new ids in order."""
    if not rows:
        return []
    if not ids:
        connection.execute(insert(table), rows)
        return []
    dialect = connection.dialect
    if len(rows) == 1 or not dialect.insert_executemany_returning_sort_by_parameter_order:
        return [connection.execute(insert(table).values(row)).inserted_primary_key[0] for row in rows]
    result = connection.execute(insert(table).returning(table.c.id, sort_by_parameter_order=True), rows)
    return list(result.scalars())
