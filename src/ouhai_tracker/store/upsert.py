"""Store one letter's facts in the caller's transaction: the letter lands whole or not at all.

The file name is a letter's key; a letter that comes back under another name is
found by its replying unit, date and proposal title. The same text is 'unchanged'
and nothing is touched. New text (a corrected letter) is 'updated': commitments
are matched to the stored ones (same text; else the same sentence; else the most
similar text nearby), so ids, statuses and history survive; what a person set by
hand (owner, due, department aliases and merges) is kept; promises the new text no
longer holds are marked withdrawn, never deleted, and come back if a later version
holds them again.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from difflib import SequenceMatcher

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from ouhai_tracker.extract import model
from ouhai_tracker.store.models import (EXTRACTED, OPEN, USER, WITHDRAWN, Commitment, CommitmentPartner, functions_text,
                                        Department, DepartmentAlias, Event, Letter, Policy)

ADDED, UPDATED, UNCHANGED = "added", "updated", "unchanged"


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


def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def unchanged(session: Session, file: str, text: str) -> StoreOutcome | None:
    """The stored letter's outcome when ``file`` was imported with this very text, else None."""
    letter = session.scalar(select(Letter).where(Letter.file == file))
    if letter is None or letter.content_hash != content_hash(text):
        return None
    return _unchanged(letter)


def _unchanged(letter: Letter) -> StoreOutcome:
    live = [c for c in letter.commitments if c.status != WITHDRAWN]
    return StoreOutcome(UNCHANGED, letter.id, len(live), len(letter.policies), len(letter.departments),
                        unchanged=len(live))


def find_letter(session: Session, file: str, meta: model.LetterMeta) -> Letter | None:
    """The stored letter ``file`` is a version of: the same file name, else the same replying
    unit, date and proposal title (a corrected letter saved under another name)."""
    letter = session.scalar(select(Letter).where(Letter.file == file))
    if letter is None and meta.replying_unit and meta.date and meta.title:
        letter = session.scalars(select(Letter).where(
            Letter.replying_unit == meta.replying_unit, Letter.letter_date == meta.date,
            Letter.title == meta.title).order_by(Letter.id)).first()
    return letter


def store_letter(session: Session, facts: model.LetterFacts, file: str, path: str,
                 fast: bool = True) -> StoreOutcome:
    """Store ``facts`` as ``file``. A letter with no stored version goes through the same rows'
    fast path (store/bulk.py, several times cheaper) unless ``fast`` is False; the ORM code
    below stays what defines them and stores every other letter."""
    if fast:
        from ouhai_tracker.store import bulk

        if not bulk.has_stored_version(session, file, facts.meta):
            return bulk.store_new_letter(session, facts, file, path)
    # One flush at the end, not one per look-up: half-filled rows never reach the database,
    # and a letter's hundred look-ups do not each write what came before them.
    with session.no_autoflush:
        return _store_letter(session, facts, file, path)


def _store_letter(session: Session, facts: model.LetterFacts, file: str, path: str) -> StoreOutcome:
    digest = content_hash(facts.text)
    letter = find_letter(session, file, facts.meta)
    if letter is not None and letter.content_hash == digest:
        return _unchanged(letter)

    status = ADDED if letter is None else UPDATED
    if letter is None:
        letter = Letter(file=file)
        session.add(letter)
    departments = _Departments(session)
    meta = facts.meta
    letter.file = file  # a renamed letter takes its newest name
    letter.path = path
    letter.content_hash = digest
    letter.text = facts.text
    letter.title = meta.title
    letter.kind = meta.kind
    letter.addressee = meta.addressee
    letter.proposers = list(meta.proposers)
    letter.session = meta.session
    letter.replying_unit = meta.replying_unit
    letter.unit_source, letter.date_source = meta.unit_source, meta.date_source
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

    outcome = StoreOutcome(status, 0, len(facts.commitments), 0, 0)
    stored = [] if status == ADDED else list(letter.commitments)  # a new letter has none to load
    pairs, gone = match_commitments(stored, facts.commitments)
    for found, row in pairs:
        if row is None:
            row = Commitment(letter=letter, status=OPEN)
            row.events.append(Event(action="imported", note=f"from {file}"))
            outcome.added += 1
            _fill_commitment(row, found, departments, policies)
        else:
            before = _fingerprint(row)
            old_text = row.text
            _fill_commitment(row, found, departments, policies)
            if row.status == WITHDRAWN:  # a later version holds the promise again
                row.events.append(Event(action="restored", field="status", old_value=WITHDRAWN,
                                        new_value=OPEN, note=f"back in {file} after re-import"))
                row.status = OPEN
                outcome.updated += 1
            elif _fingerprint(row) != before:
                row.events.append(Event(action="updated", field="text" if row.text != old_text else None,
                                        old_value=old_text if row.text != old_text else None,
                                        new_value=row.text if row.text != old_text else None,
                                        note=f"re-imported from {file}"))
                outcome.updated += 1
            else:
                outcome.unchanged += 1
        session.add(row)
    for row in gone:
        if row.status == WITHDRAWN:
            continue
        outcome.withdrawn += 1
        if row.status == OPEN:
            row.events.append(Event(action="withdrawn", field="status", old_value=row.status,
                                    new_value=WITHDRAWN, note=f"no longer in {file} after re-import"))
            row.status = WITHDRAWN
        else:  # done stays done (it was kept), but the history says the letter dropped it
            row.events.append(Event(action="noted", note=f"no longer in {file} after re-import"))

    session.flush()
    outcome.letter_id = letter.id
    outcome.policies, outcome.departments = len(letter.policies), len(letter.departments)
    return outcome


SIMILAR_ENOUGH = 0.6  # difflib ratio above which a reworded clause is the same promise


def match_commitments(rows: list[Commitment], found: list[model.Commitment]
                      ) -> tuple[list[tuple[model.Commitment, Commitment | None]], list[Commitment]]:
    """Pair each found commitment with the stored row it is a version of (or None: new).

    Passes, each over what is still unpaired: the same text; the same sentence (a clause cut
    differently); the most similar text (a reworded clause), closest in position on ties.
    Returns the pairs in the letter's order and the stored rows left over (gone from the letter).
    """
    paired: dict[int, Commitment] = {}
    free = list(rows)

    def take(index: int, row: Commitment) -> None:
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


def _fingerprint(row: Commitment) -> tuple:
    # What a reader would call a change; offsets move whenever text before them changes.
    return (row.text, id(row.owner), row.due_kind,
            row.due, row.due_text, row.due_condition, row.section, row.item,
            tuple(sorted(id(p.department) for p in row.partners)), tuple(sorted(id(p) for p in row.policies)))


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
        self.claimed: set[str] = set()  # aliases given out in this transaction, not yet flushed

    def get(self, department: model.Department | None) -> Department | None:
        if department is None:
            return None
        row = self.rows.get(department.name)
        if row is None:
            row = self.session.scalar(select(Department).where(Department.name == department.name))
        if row is None:  # a person said this name belongs to another department (alias, merge)
            row = self.session.scalars(select(Department).join(DepartmentAlias).where(
                DepartmentAlias.source == USER,
                or_(DepartmentAlias.alias == department.name, DepartmentAlias.alias == department.short))
                .order_by(DepartmentAlias.alias != department.name)).first()
        if row is None:
            row = Department(name=department.name, short=department.short, level=department.level,
                             place=department.place, functions=functions_text(department.functions))
            self.session.add(row)
        elif not row.functions and department.functions:  # a row a person made, or an older tracker's
            row.place, row.functions = row.place or department.place, functions_text(department.functions)
        self.rows[department.name] = row
        known = {a.alias for a in row.aliases}
        for alias in dict.fromkeys((department.short, *department.aliases)):
            if alias and alias != department.name and alias not in known and alias not in self.claimed:
                # An alias is unique: the first department to claim a form keeps it.
                if self.session.scalar(select(DepartmentAlias.id).where(DepartmentAlias.alias == alias)) is None:
                    row.aliases.append(DepartmentAlias(alias=alias, source=EXTRACTED))
                    known.add(alias)
                    self.claimed.add(alias)
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
