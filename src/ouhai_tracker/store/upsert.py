"""Store one letter's facts in the caller's transaction: the letter lands whole or not at all.

The file name is a letter's key. The same name with the same text is 'unchanged'
and nothing is touched. The same name with new text (a corrected letter) is
'updated': commitments are matched by their text, so ids, statuses and history
survive; what a person set by hand (owner, due) is kept; promises the new text no
longer holds are marked withdrawn, never deleted.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from ouhai_tracker.extract import model
from ouhai_tracker.store.models import (EXTRACTED, OPEN, WITHDRAWN, Commitment, CommitmentPartner,
                                        Department, DepartmentAlias, Event, Letter, Policy)

ADDED, UPDATED, UNCHANGED = "added", "updated", "unchanged"


@dataclass
class StoreOutcome:
    status: str  # added, updated, unchanged
    letter_id: int
    commitments: int
    policies: int
    departments: int


def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def unchanged(session: Session, file: str, text: str) -> StoreOutcome | None:
    """The stored letter's outcome when ``file`` was imported with this very text, else None."""
    letter = session.scalar(select(Letter).where(Letter.file == file))
    if letter is None or letter.content_hash != content_hash(text):
        return None
    live = [c for c in letter.commitments if c.status != WITHDRAWN]
    return StoreOutcome(UNCHANGED, letter.id, len(live), len(letter.policies), len(letter.departments))


def store_letter(session: Session, facts: model.LetterFacts, file: str, path: str) -> StoreOutcome:
    same = unchanged(session, file, facts.text)
    if same is not None:
        return same
    digest = content_hash(facts.text)
    letter = session.scalar(select(Letter).where(Letter.file == file))

    status = ADDED if letter is None else UPDATED
    if letter is None:
        letter = Letter(file=file)
        session.add(letter)
    departments = _Departments(session)
    meta = facts.meta
    letter.path = path
    letter.content_hash = digest
    letter.text = facts.text
    letter.title = meta.title
    letter.kind = meta.kind
    letter.addressee = meta.addressee
    letter.proposers = list(meta.proposers)
    letter.session = meta.session
    letter.replying_unit = meta.replying_unit
    letter.replying_department = departments.get(meta.replying_department)
    letter.letter_date = meta.date
    letter.contact_name = meta.contact_name
    letter.contact_phone = meta.contact_phone
    letter.class_mark = meta.class_mark
    letter.number = meta.number
    letter.doc_number = meta.doc_number

    policies = _Policies(session)
    letter.policies = _unique([policies.get(p.title, p) for p in facts.policies])
    named = [departments.get(d) for d in (meta.replying_department, *facts.departments)]
    letter.departments = _unique([d for d in named if d is not None])

    existing = {c.text: c for c in letter.commitments}
    for found in facts.commitments:
        row = existing.pop(found.text, None)
        # A half-filled row must not be flushed by the look-ups that filling it makes.
        with session.no_autoflush:
            if row is None:
                row = Commitment(letter=letter, status=OPEN)
                row.events.append(Event(action="imported", note=f"from {file}"))
            _fill_commitment(row, found, departments, policies)
        session.add(row)
    for gone in existing.values():
        if gone.status == OPEN:
            gone.events.append(Event(action="withdrawn", field="status", old_value=gone.status,
                                     new_value=WITHDRAWN, note=f"no longer in {file} after re-import"))
            gone.status = WITHDRAWN

    session.flush()
    return StoreOutcome(status, letter.id, len(facts.commitments), len(letter.policies),
                        len(letter.departments))


def _fill_commitment(row: Commitment, found: model.Commitment, departments: _Departments,
                     policies: _Policies) -> None:
    edited = {e.field for e in row.events if e.action == "edited"}
    row.text = found.text
    row.start, row.end = found.start, found.end
    row.sentence, row.sentence_start = found.sentence, found.sentence_start
    row.paragraph_start, row.paragraph_end = found.paragraph_start, found.paragraph_end
    row.section, row.item = found.section, found.item
    row.cue, row.confidence = found.cue, found.confidence
    if "owner" not in edited:  # a person's correction outranks extraction
        row.owner = departments.get(found.owner)
        row.owner_rule = found.owner_rule
    # Reuse the rows of partners already there: replacing them would insert before deleting
    # and trip the (commitment, department) unique constraint.
    current = {id(p.department): p for p in row.partners}
    partners = []
    for found_partner in _unique_partners(found.partners):
        department = departments.get(found_partner.department)
        partner = current.get(id(department)) or CommitmentPartner(department=department)
        partner.role, partner.cue = found_partner.role, found_partner.cue
        partners.append(partner)
    row.partners = partners
    deadline = found.deadline
    row.due_kind = deadline.kind
    row.due_text, row.due_condition = deadline.text, deadline.condition
    row.due_period = deadline.period
    row.due_start, row.due_end = deadline.start, deadline.end
    if "due" not in edited:
        row.due, row.due_inferred, row.due_rule = deadline.due, deadline.inferred, deadline.rule
    row.policies = _unique([policies.get(title) for title in found.policies])


class _Departments:
    """Get-or-create by canonical name within one transaction; adds the aliases it learns."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.rows: dict[str, Department] = {}

    def get(self, department: model.Department | None) -> Department | None:
        if department is None:
            return None
        row = self.rows.get(department.name)
        if row is None:
            row = self.session.scalar(select(Department).where(Department.name == department.name))
        if row is None:
            row = Department(name=department.name, short=department.short, level=department.level)
            self.session.add(row)
        self.rows[department.name] = row
        known = {a.alias for a in row.aliases}
        for alias in dict.fromkeys((department.short, *department.aliases)):
            if alias and alias != department.name and alias not in known:
                # An alias is unique: the first department to claim a form keeps it.
                if self.session.scalar(select(DepartmentAlias.id).where(DepartmentAlias.alias == alias)) is None:
                    row.aliases.append(DepartmentAlias(alias=alias, source=EXTRACTED))
                    known.add(alias)
        return row


class _Policies:
    """Get-or-create by title; the same title under two different document numbers is two policies."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.by_title: dict[str, list[Policy]] = {}

    def get(self, title: str, found: model.Policy | None = None) -> Policy:
        candidates = self.by_title.get(title)
        if candidates is None:
            candidates = list(self.session.scalars(select(Policy).where(Policy.title == title)))
            self.by_title[title] = candidates
        doc_number = found.doc_number if found else None
        row = _pick_policy(candidates, doc_number)
        if row is None:
            row = Policy(title=title)
            self.session.add(row)
            candidates.append(row)
        if found is not None:  # fill what an earlier, barer mention left empty
            row.doc_number = row.doc_number or found.doc_number
            row.issuer = row.issuer or found.issuer
            row.year = row.year or found.year
        return row


def _pick_policy(candidates: list[Policy], doc_number: str | None) -> Policy | None:
    if doc_number is None:
        return candidates[0] if candidates else None
    return (next((p for p in candidates if p.doc_number == doc_number), None)
            or next((p for p in candidates if p.doc_number is None), None))


def _unique(items: list) -> list:
    return list({id(item): item for item in items}.values())


def _unique_partners(partners: list[model.PartnerRole]) -> list[model.PartnerRole]:
    # One row per department; the first role the letter gives wins.
    first: dict[str, model.PartnerRole] = {}
    for partner in partners:
        first.setdefault(partner.department.name, partner)
    return list(first.values())
