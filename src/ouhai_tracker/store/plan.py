"""Storing a letter, decided without the database: the rows to insert, update and delete.

``plan_letter`` takes a letter's extracted facts, the file they came from and what was read
from the database beforehand (``Stored``: the letter's stored version with its commitments, and
the departments, aliases and policies the letter names) and returns a ``Plan``. It decides every
get-or-create (departments and the aliases they learn, policies and what an earlier mention left
empty in them), which stored commitment each found one is a version of (``match_commitments``),
what changes, what is withdrawn or restored, and every line of history. store/write.py reads the
``Stored`` and applies the ``Plan``; store/upsert.py is the entry point that does both.

A plan names each row it writes or refers to as a ``Row``. A foreign key in a row's values is
the id of a stored row or the new ``Row`` itself, which gets its id when it is inserted.
"""
from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from difflib import SequenceMatcher
from typing import Any, Protocol, TypeVar

from sqlalchemy import ColumnDefault

from ouhai_tracker.extract import model
from ouhai_tracker.extract.identity import Identity, letter_role, proposal_number
from ouhai_tracker.store.limits import FIRST_DAY, LAST_DAY
from ouhai_tracker.store.models import EXTRACTED, OPEN, WITHDRAWN, Base, functions_text

ADDED, UPDATED, UNCHANGED = "added", "updated", "unchanged"
OLDER = "older version, not stored"  # a newer version of the letter is stored
SIMILAR_ENOUGH = 0.6  # difflib ratio above which a reworded clause is the same promise

LETTERS, DEPARTMENTS, ALIASES, POLICIES = "letters", "departments", "department_aliases", "policies"
COMMITMENTS, PARTNERS, EVENTS = "commitments", "commitment_partners", "events"
LETTER_POLICIES, LETTER_DEPARTMENTS, COMMITMENT_POLICIES = "letter_policies", "letter_departments", "commitment_policies"

# The columns extraction fills on a commitment (a new one also gets its letter and status).
COMMITMENT_COLUMNS = ("text", "start_offset", "end_offset", "sentence", "sentence_start", "paragraph_start",
                      "paragraph_end", "section", "item", "cue", "confidence", "owner_id", "owner_rule", "owner_confidence",
                      "due_kind", "due_text", "due_condition", "due_period", "due_start", "due_end",
                      "due", "due_inferred", "due_rule")
# What a reader would call a change; offsets move whenever text before them changes.
COMPARED = ("text", "owner_id", "due_kind", "due", "due_text", "due_condition", "section", "item")


@dataclass(frozen=True)
class Match:
    """The stored letter a file was taken for, and why."""

    letter_id: int
    file: str  # the name it was stored under
    by: str  # file name, proposal number and session, replying unit, date and title, same text


@dataclass
class StoreOutcome:
    status: str  # added, updated, unchanged
    letter_id: int
    commitments: int
    policies: int
    departments: int
    # What happened to the letter's commitments: new, changed, untouched, no longer in it.
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    withdrawn: int = 0
    match: Match | None = None  # the stored letter it was taken for (None: a new letter)
    same_name: str | None = None  # a new letter sharing its file name with this stored one (#id: …)
    undecided: str | None = None  # a new letter that may be these stored ones: nothing tells (#id: …)
    newer: str | None = None  # OLDER: the stored version that is newer
    extracted_with: dict | None = None  # unchanged: the rules and settings its stored facts were read with


def letter_identity(meta: model.LetterMeta, text: str) -> Identity:
    """The identity of a letter with these facts (extract/identity.py): its number as a number, its role."""
    return Identity(proposal_number(meta.number), meta.session or None, meta.replying_unit or None,
                    letter_role(text), tuple(meta.proposers), meta.date, meta.title or None)


# ---- what was read -------------------------------------------------------------------------------

@dataclass(frozen=True)
class StoredDepartment:
    id: int
    name: str
    place: str | None = None
    functions: str = ""


@dataclass(frozen=True)
class StoredPolicy:
    id: int
    title: str
    doc_number: str | None = None
    issuer: str | None = None
    year: int | None = None


@dataclass(frozen=True)
class StoredPartner:
    id: int
    department_id: int
    role: str
    cue: str = ""


@dataclass(frozen=True, eq=False)  # one stored row is one object
class StoredCommitment:
    id: int
    columns: Mapping  # COMMITMENT_COLUMNS and status, as stored
    owner_name: str | None = None
    partners: tuple[StoredPartner, ...] = ()
    policy_ids: frozenset[int] = frozenset()
    edited: frozenset[str] = frozenset()  # the fields a person set by hand ('owner', 'due')

    # What match_commitments compares.
    @property
    def text(self) -> str:
        return self.columns["text"]

    @property
    def sentence(self) -> str:
        return self.columns["sentence"]

    @property
    def start(self) -> int:
        return self.columns["start_offset"]

    @property
    def status(self) -> str:
        return self.columns["status"]


@dataclass(frozen=True)
class StoredLetter:
    id: int
    commitments: tuple[StoredCommitment, ...] = ()  # in id order
    policy_ids: frozenset[int] = frozenset()
    department_ids: frozenset[int] = frozenset()


@dataclass(frozen=True)
class Stored:
    """What the plan needs from the database, read before it is made."""

    letter: StoredLetter | None = None  # the stored version of the letter; None: a new letter
    departments: Mapping[str, StoredDepartment] = field(default_factory=dict)  # by name, every name the letter uses
    taken: frozenset[str] = frozenset()  # those names' forms that are an alias already
    user_aliases: Mapping[str, StoredDepartment] = field(default_factory=dict)  # a person's alias -> its department
    # A name with its place that another letter gave a department (湖北省农业农村厅, the signed name
    # of the 湖北省农业厅 its body speaks of): one body, whichever form a letter uses.
    place_aliases: Mapping[str, StoredDepartment] = field(default_factory=dict)
    policies: Mapping[str, tuple[StoredPolicy, ...]] = field(default_factory=dict)  # by title, unnumbered first


# ---- the plan ------------------------------------------------------------------------------------

@dataclass(eq=False)  # one row is one object: compared and hashed by identity
class Row:
    """A row of ``table``: stored (``id``) or to insert (``id`` None). Its ``values`` are the
    columns to write; a stored department's or policy's are its columns as this letter leaves them."""

    table: str
    values: dict = field(default_factory=dict)
    id: int | None = None

    @property
    def ref(self) -> int | Row:
        """What a foreign key to this row holds in a plan: its id, or the new row itself."""
        return self if self.id is None else self.id


@dataclass
class Plan:
    letter: Row  # new, or the stored letter and its columns
    outcome: StoreOutcome  # what storing it did; a new letter's id is known once it is inserted
    inserts: list[Row] = field(default_factory=list)  # in order within each table
    updates: list[Row] = field(default_factory=list)  # stored rows (by id), the columns to set
    deletes: list[Row] = field(default_factory=list)  # values: the columns that pick the rows

    def rows(self, table: str, kind: str = "inserts") -> list[Row]:
        return [row for row in getattr(self, kind) if row.table == table]


def plan_letter(facts: model.LetterFacts, file: str, path: str, content_hash: str, stored: Stored,
                file_modified: datetime | None = None, extracted_with: dict | None = None) -> Plan:
    """Everything storing ``facts`` as ``file`` writes, given what ``stored`` holds."""
    meta = facts.meta
    identity = letter_identity(meta, facts.text)
    departments, policies = _Departments(stored), _Policies(stored)
    replying = departments.get(meta.replying_department)
    letter_policies = _unique(policies.get(p.title, p) for p in facts.policies)
    named = (departments.get(d) for d in (meta.replying_department, *facts.departments))
    letter_departments = _unique(d for d in named if d is not None)

    old = stored.letter
    letter = Row(LETTERS, {  # a renamed letter takes its newest name
        "file": file, "path": path, "content_hash": content_hash, "text": facts.text,
        "title": meta.title, "kind": meta.kind, "addressee": meta.addressee, "proposers": list(meta.proposers),
        "session": meta.session, "replying_unit": meta.replying_unit, "unit_source": meta.unit_source,
        "date_source": meta.date_source, "replying_department_id": replying.ref if replying else None,
        "letter_date": meta.date, "contact_name": meta.contact_name, "contact_phone": meta.contact_phone,
        "class_mark": meta.class_mark, "doc_number": meta.doc_number,
        "number": identity.number, "role": identity.role, "identity": identity.key(content_hash), "file_modified": file_modified,
        "extracted_with": extracted_with},
        id=old.id if old else None)
    plan = Plan(letter, StoreOutcome(UPDATED if old else ADDED, letter.id or 0, len(facts.commitments),
                                     len(letter_policies), len(letter_departments)))
    (plan.updates if old else plan.inserts).append(letter)
    _link(plan, LETTER_POLICIES, ("letter_id", letter.ref), "policy_id", letter_policies,
          old.policy_ids if old else ())
    _link(plan, LETTER_DEPARTMENTS, ("letter_id", letter.ref), "department_id", letter_departments,
          old.department_ids if old else ())

    pairs, gone = match_commitments(list(old.commitments) if old else [], facts.commitments)
    for found, row in pairs:
        _commitment(plan, letter, found, row, departments, policies, file)
    for row in gone:
        if row.status == WITHDRAWN:
            continue
        plan.outcome.withdrawn += 1
        if row.status == OPEN:
            _event(plan, row.id, "withdrawn", f"no longer in {file} after re-import", "status", OPEN, WITHDRAWN)
            plan.updates.append(Row(COMMITMENTS, {"status": WITHDRAWN}, row.id))
        else:  # done stays done (it was kept), but the history says the letter dropped it
            _event(plan, row.id, "noted", f"no longer in {file} after re-import")

    plan.inserts += departments.new + departments.aliases + policies.new
    plan.updates += departments.changed() + policies.changed()
    return plan


def _commitment(plan: Plan, letter: Row, found: model.Commitment, old: StoredCommitment | None,
                departments: _Departments, policies: _Policies, file: str) -> None:
    """A found commitment: a new row, or what changes in the stored one it is a version of."""
    edited = old.edited if old else frozenset()
    deadline = found.deadline
    values: dict[str, Any] = {"text": found.text, "start_offset": found.start, "end_offset": found.end,
                              "sentence": found.sentence, "sentence_start": found.sentence_start,
                              "paragraph_start": found.paragraph_start, "paragraph_end": found.paragraph_end,
                              "section": found.section, "item": found.item, "cue": found.cue, "confidence": found.confidence,
                              "due_kind": deadline.kind, "due_text": deadline.text, "due_condition": deadline.condition,
                              "due_period": deadline.period, "due_start": deadline.start, "due_end": deadline.end}
    owner = None
    if old is not None and "owner" in edited:  # a person's correction outranks extraction
        values.update({key: old.columns[key] for key in ("owner_id", "owner_rule", "owner_confidence")})
    else:
        owner = departments.get(found.owner)
        values.update(owner_id=owner.ref if owner else None, owner_rule=found.owner_rule,
                      owner_confidence=found.owner_confidence)
    if old is not None and "due" in edited:
        values.update({key: old.columns[key] for key in ("due", "due_inferred", "due_rule")})
    elif deadline.due is not None and not FIRST_DAY <= deadline.due.isoformat() <= LAST_DAY:
        # 9999年底前 is a typo or a joke, and no calendar or period can be computed from it
        values.update(due=None, due_inferred=False, due_rule=(
            f"{deadline.due.isoformat()} read from the letter is outside {FIRST_DAY[:4]}-{LAST_DAY[:4]}; "
            "set one with tracker edit ID --due DATE"))
    else:
        values.update(due=deadline.due, due_inferred=deadline.inferred, due_rule=deadline.rule)
    values = _with_defaults(COMMITMENTS, values)
    partners = _partners(found, departments)
    linked = _unique(policies.get(title) for title in found.policies)

    if old is None:
        row = Row(COMMITMENTS, {"letter_id": letter.ref, "status": OPEN, **values})
        plan.inserts.append(row)
        plan.inserts += [Row(PARTNERS, {"commitment_id": row, "department_id": department.ref, **columns})
                         for department, columns in partners]
        _link(plan, COMMITMENT_POLICIES, ("commitment_id", row), "policy_id", linked, ())
        _event(plan, row, "imported", f"from {file}")
        plan.outcome.added += 1
        return

    # Partners already there keep their rows (and ids); the others go or come.
    current: dict[int | Row, StoredPartner] = {p.department_id: p for p in old.partners}
    kept = set()
    for department, columns in partners:
        partner = current.get(department.ref)
        if partner is None:
            plan.inserts.append(Row(PARTNERS, {"commitment_id": old.id, "department_id": department.ref, **columns}))
            continue
        kept.add(partner.id)
        if (partner.role, partner.cue) != (columns["role"], columns["cue"]):
            plan.updates.append(Row(PARTNERS, columns, partner.id))
    plan.deletes += [Row(PARTNERS, {"id": p.id}) for p in old.partners if p.id not in kept]
    _link(plan, COMMITMENT_POLICIES, ("commitment_id", old.id), "policy_id", linked, old.policy_ids)

    before = (*(old.columns[key] for key in COMPARED), {p.department_id for p in old.partners}, old.policy_ids)
    after = (*(values[key] for key in COMPARED), {d.ref for d, _ in partners}, {p.ref for p in linked})
    status = old.status
    if status == WITHDRAWN:  # a later version holds the promise again
        status = OPEN
        _event(plan, old.id, "restored", f"back in {file} after re-import", "status", WITHDRAWN, OPEN)
        plan.outcome.updated += 1
    elif after != before:
        # One event per field a reader follows (text, due date, owner), old and new value;
        # one without a field when only something else changed (partners, section …).
        new_owner: str | None
        if "owner" in edited:
            new_owner = old.owner_name
        else:
            new_owner = owner.values["name"] if owner else None
        changed: list[tuple[str | None, str | None, str | None]] = [(name, was, now) for name, was, now in (
            ("text", old.text, values["text"]), ("due", _iso(old.columns["due"]), _iso(values["due"])),
            ("owner", old.owner_name, new_owner)) if was != now]
        for name, was, now in changed or [(None, None, None)]:
            _event(plan, old.id, "updated", f"re-imported from {file}", name, was, now)
        plan.outcome.updated += 1
    else:
        plan.outcome.unchanged += 1
    values["status"] = status
    if any(old.columns[key] != value for key, value in values.items()):
        plan.updates.append(Row(COMMITMENTS, values, old.id))


def _partners(found: model.Commitment, departments: _Departments) -> list[tuple[Row, dict]]:
    """(department, role and cue) per partner: one per department, the first role the letter gives."""
    first: dict[str, model.PartnerRole] = {}
    for partner in found.partners:
        first.setdefault(partner.department.name, partner)
    partners: dict[int | Row, tuple[Row, dict]] = {}  # two names a person merged are one department
    for partner in first.values():
        department = departments.get(partner.department)
        assert department is not None  # a partner names a department
        partners.setdefault(department.ref, (department, _with_defaults(PARTNERS, {"role": partner.role,
                                                                                   "cue": partner.cue})))
    return list(partners.values())


def _link(plan: Plan, table: str, owner: tuple[str, int | Row], key: str, rows: list[Row],
          stored: Iterable[int]) -> None:
    """The rows of a link table from one owner (a letter, a commitment) to ``rows``, where ``stored`` are there."""
    stored = set(stored)
    wanted = [row.ref for row in rows]
    plan.inserts += [Row(table, {owner[0]: owner[1], key: ref}) for ref in wanted if ref not in stored]
    plan.deletes += [Row(table, {owner[0]: owner[1], key: id_}) for id_ in sorted(stored - set(wanted))]


def _event(plan: Plan, commitment: int | Row, action: str, note: str, field_: str | None = None,
           old: str | None = None, new: str | None = None) -> None:
    plan.inserts.append(Row(EVENTS, {"commitment_id": commitment, "action": action, "field": field_,
                                     "old_value": old, "new_value": new, "note": note}))


class _Matchable(Protocol):
    """What match_commitments reads of a stored row."""

    @property
    def text(self) -> str: ...
    @property
    def sentence(self) -> str: ...
    @property
    def start(self) -> int: ...


_Stored = TypeVar("_Stored", bound=_Matchable)
_Found = TypeVar("_Found", bound=_Matchable)  # a found commitment, or another letter's stored one


def match_commitments(rows: list[_Stored], found: list[_Found]
                      ) -> tuple[list[tuple[_Found, _Stored | None]], list[_Stored]]:
    """Pair each found commitment with the stored row it is a version of (or None: new).

    Passes, each over what is still unpaired: the same text; the same sentence (a clause cut
    differently); the most similar text (a reworded clause), closest in position on ties.
    Returns the pairs in the letter's order and the stored rows left over (gone from the letter).
    ``rows`` need ``text``, ``sentence`` and ``start``.
    """
    paired: dict[int, _Stored] = {}
    free = list(rows)

    def take(index: int, row: _Stored) -> None:
        paired[index] = row
        free.remove(row)

    for index, f in enumerate(found):
        row = next((r for r in free if r.text == f.text), None)
        if row is not None:
            take(index, row)
    for index, f in enumerate(found):
        if index not in paired:
            row = next((r for r in free if r.sentence == f.sentence), None)
            if row is not None:
                take(index, row)
    left = list(free)
    candidates = sorted(
        ((SequenceMatcher(None, r.text, f.text, autojunk=False).ratio(), -abs(r.start - f.start), index, j)
         for index, f in enumerate(found) if index not in paired for j, r in enumerate(left)), reverse=True)
    for ratio, _distance, index, j in candidates:
        if ratio < SIMILAR_ENOUGH:
            break
        if index not in paired and left[j] in free:
            take(index, left[j])
    return [(f, paired.get(index)) for index, f in enumerate(found)], free


def placed_forms(department: model.Department) -> list[str]:
    """The forms of a department's name that carry its place (温州市瓯海区住建局,
    温州市瓯海区住房和城乡建设局): each names that one body, whatever letter writes it."""
    if not department.place:
        return []
    return [form for form in dict.fromkeys((department.name, department.short, *department.aliases))
            if form.startswith(department.place) and len(form) > len(department.place)]


class _Departments:
    """Get-or-create by name; a person's alias or merge maps a name to another department;
    a department learns the forms of its name no other department has (the first to claim one keeps it)."""

    def __init__(self, stored: Stored) -> None:
        self.stored = stored
        self.by_id: dict[int, tuple[StoredDepartment, Row]] = {}  # two names a person merged are one row
        self.rows: dict[str, Row] = {}  # by the name extraction gives
        self.new: list[Row] = []
        self.aliases: list[Row] = []
        self.claimed: set[str] = set()

    def get(self, department: model.Department | None) -> Row | None:
        if department is None:
            return None
        row = self.rows.get(department.name)
        if row is None:
            found = (self.stored.departments.get(department.name) or self.stored.user_aliases.get(department.name)
                     or self.stored.user_aliases.get(department.short)
                     or next((self.stored.departments.get(form) or self.stored.place_aliases.get(form)
                              for form in placed_forms(department)
                              if form in self.stored.departments or form in self.stored.place_aliases), None))
            row = self._stored(found) if found else None
        if row is None:
            row = Row(DEPARTMENTS, {"name": department.name, "short": department.short, "level": department.level,
                                    "place": department.place, "functions": functions_text(department.functions)})
            self.new.append(row)
        elif not row.values["functions"] and department.functions:  # a row a person made, or an older tracker's
            row.values.update(place=row.values["place"] or department.place,
                              functions=functions_text(department.functions))
        self.rows[department.name] = row
        for alias in dict.fromkeys((department.short, *department.aliases)):
            if alias and alias != department.name and alias not in self.claimed and alias not in self.stored.taken:
                self.aliases.append(Row(ALIASES, {"department_id": row.ref, "alias": alias, "source": EXTRACTED}))
                self.claimed.add(alias)
        return row

    def _stored(self, department: StoredDepartment) -> Row:
        if department.id not in self.by_id:
            self.by_id[department.id] = department, Row(DEPARTMENTS, {
                "name": department.name, "place": department.place, "functions": department.functions}, department.id)
        return self.by_id[department.id][1]

    def changed(self) -> list[Row]:
        return [Row(DEPARTMENTS, {"place": row.values["place"], "functions": row.values["functions"]}, row.id)
                for department, row in self.by_id.values()
                if (department.place, department.functions) != (row.values["place"], row.values["functions"])]


class _Policies:
    """Get-or-create by title; the same title under two different document numbers is two policies."""

    FILLED = ("doc_number", "issuer", "year")

    def __init__(self, stored: Stored) -> None:
        self.stored = stored
        self.by_title: dict[str, list[Row]] = {}
        self.read: dict[Row, StoredPolicy] = {}
        self.new: list[Row] = []

    def get(self, title: str, found: model.Policy | None = None) -> Row:
        candidates = self.by_title.get(title)
        if candidates is None:
            candidates = self.by_title[title] = []
            for policy in self.stored.policies.get(title, ()):
                stored_row = Row(POLICIES, {"title": title, **{key: getattr(policy, key) for key in self.FILLED}},
                                 policy.id)
                self.read[stored_row] = policy
                candidates.append(stored_row)
        row = _pick_policy(candidates, found.doc_number if found else None)
        if row is None:
            row = Row(POLICIES, {"title": title, "doc_number": None, "issuer": None, "year": None})
            self.new.append(row)
            candidates.append(row)
        if found is not None:  # fill what an earlier, barer mention left empty
            for key in self.FILLED:
                row.values[key] = row.values[key] or getattr(found, key)
        return row

    def changed(self) -> list[Row]:
        return [Row(POLICIES, {key: row.values[key] for key in self.FILLED}, row.id)
                for row, policy in self.read.items()
                if any(row.values[key] != getattr(policy, key) for key in self.FILLED)]


def _pick_policy(candidates: list[Row], doc_number: str | None) -> Row | None:
    if doc_number is None:
        return candidates[0] if candidates else None
    return (next((p for p in candidates if p.values["doc_number"] == doc_number), None)
            or next((p for p in candidates if p.values["doc_number"] is None), None))


def _with_defaults(table: str, values: dict) -> dict:
    # What extraction left None takes the column's default, as an ORM insert would give it.
    defaults = _scalar_defaults(table)
    for key, value in values.items():
        if value is None and key in defaults:
            values[key] = defaults[key]
    return values


@functools.cache
def _scalar_defaults(table: str) -> dict[str, object]:
    return {column.key: column.default.arg for column in Base.metadata.tables[table].c
            if isinstance(column.default, ColumnDefault) and column.default.is_scalar}


def _unique(rows: Iterable[Row]) -> list[Row]:
    return list(dict.fromkeys(rows))


def _iso(day) -> str | None:
    return day.isoformat() if day else None
