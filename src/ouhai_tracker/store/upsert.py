"""Store one letter's facts in the caller's transaction: the letter lands whole or not at all.

A letter is identified by its proposal: the number and session (第112号, 区政协七届三次会议),
or, without a number, the proposers; the replying unit tells two units' replies to one
proposal apart. Its file name is a hint: a file is taken for the letter stored under the same
name unless the two disagree on any of these, and a letter that comes back under another name
is found by its number and session, else by its replying unit, date and proposal title
(``match_letter``). The same text is 'unchanged' and nothing is touched. New text (a corrected
letter) is 'updated': commitments are matched to the stored ones (same text; else the same
sentence; else the most similar text nearby), so ids, statuses and history survive; what a
person set by hand (owner, due, department aliases and merges) is kept; promises the new text
no longer holds are marked withdrawn, never deleted, and come back if a later version holds
them again.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from difflib import SequenceMatcher

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from ouhai_tracker.errors import TrackerError
from ouhai_tracker.extract import model
from ouhai_tracker.store.models import (EXTRACTED, OPEN, USER, WITHDRAWN, Commitment, CommitmentPartner, functions_text,
                                        Department, DepartmentAlias, Event, Letter, Policy)

ADDED, UPDATED, UNCHANGED = "added", "updated", "unchanged"


@dataclass(frozen=True)
class Match:
    """The stored letter a file was taken for, and why."""

    letter_id: int
    file: str  # the name it was stored under
    by: str  # file name, proposal number and session, replying unit, date and title, same text


BY_FILE, BY_NUMBER, BY_TITLE, BY_TEXT = ("file name", "proposal number and session",
                                         "replying unit, date and title", "same text")


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


def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def unchanged(session: Session, file: str, text: str) -> StoreOutcome | None:
    """The stored letter's outcome when ``file`` was imported with this very text, else None."""
    letter = session.scalars(select(Letter).where(Letter.file == file, Letter.content_hash == content_hash(text))
                             .order_by(Letter.id)).first()
    if letter is None:
        return None
    return _unchanged(letter, Match(letter.id, letter.file, BY_FILE))


def _unchanged(letter: Letter, match: Match | None) -> StoreOutcome:
    live = [c for c in letter.commitments if c.status != WITHDRAWN]
    return StoreOutcome(UNCHANGED, letter.id, len(live), len(letter.policies), len(letter.departments),
                        unchanged=len(live), match=match)


def describe(row) -> str:
    """A stored letter in a few words: #3 答复.txt (第112号, 区政协七届三次会议)."""
    details = [f"第{row.number}号" if row.number else None, row.session,
               "、".join(row.proposers or []) or None if not row.number else None]
    details = [d for d in details if d]
    return f"#{row.id} {row.file}" + (f" ({', '.join(details)})" if details else "")


def _differ(a, b) -> bool:
    return bool(a) and bool(b) and a != b


def _conflicts(row, meta: model.LetterMeta) -> bool:
    """Do the stored letter and these facts name different proposals, or different replying units?"""
    if _differ(row.number, meta.number) or _differ(row.session, meta.session):
        return True
    if _differ(row.replying_unit, meta.replying_unit):
        return True  # two units' replies to one proposal are two letters
    # Without a number on both sides, the proposers tell two proposals apart.
    return not (row.number and meta.number) and _differ(sorted(row.proposers or []), sorted(meta.proposers))


def match_letter(session: Session, file: str, meta: model.LetterMeta) -> tuple[Match | None, list]:
    """The stored letter a file with these facts is a version of, and the stored letters that
    share its file name but are other letters.

    In order: the same proposal number and session; the same file name; the same replying
    unit, date and proposal title. None of them is taken when it names another proposal or
    another replying unit (``_conflicts``): 第112号 and 第113号 stay two letters whatever the
    files are called.
    """
    columns = Letter.__table__.c
    same = [columns.file == file]
    if meta.number and meta.session:
        same.append(and_(columns.number == meta.number, columns.session == meta.session))
    if meta.replying_unit and meta.date and meta.title:
        same.append(and_(columns.replying_unit == meta.replying_unit, columns.letter_date == meta.date,
                         columns.title == meta.title))
    rows = session.connection().execute(
        select(columns.id, columns.file, columns.number, columns.session, columns.replying_unit,
               columns.proposers, columns.letter_date, columns.title).where(or_(*same)).order_by(columns.id)).all()
    rules = (
        (BY_NUMBER, lambda r: bool(meta.number and meta.session) and (r.number, r.session) == (meta.number, meta.session)),
        (BY_FILE, lambda r: r.file == file),
        (BY_TITLE, lambda r: bool(meta.replying_unit and meta.date and meta.title) and (
            r.replying_unit, r.letter_date, r.title) == (meta.replying_unit, meta.date, meta.title)),
    )
    for by, rule in rules:
        row = next((r for r in rows if rule(r) and not _conflicts(r, meta)), None)
        if row is not None:
            return Match(row.id, row.file, by), []
    return None, [r for r in rows if r.file == file]


def find_letter(session: Session, file: str, meta: model.LetterMeta) -> Letter | None:
    """The stored letter ``file`` is a version of (see ``match_letter``), or None."""
    match, _ = match_letter(session, file, meta)
    return session.get(Letter, match.letter_id) if match else None


class AnotherVersion(TrackerError):
    """The letter was stored from another file earlier in the same import."""


def store_letter(session: Session, facts: model.LetterFacts, file: str, path: str,
                 fast: bool = True, claimed: dict[int, str] | None = None) -> StoreOutcome:
    """Store ``facts`` as ``file``. A letter with no stored version goes through the same rows'
    fast path (store/bulk.py, several times cheaper) unless ``fast`` is False; the ORM code
    below stays what defines them and stores every other letter.

    ``claimed``: the letters stored earlier in this import, by id, with the file each came
    from. Another version of one of them is refused (AnotherVersion) rather than written over it.
    """
    match, same_name = match_letter(session, file, facts.meta)
    if fast and match is None:
        from ouhai_tracker.store import bulk

        outcome = bulk.store_new_letter(session, facts, file, path)
    else:
        # One flush at the end, not one per look-up: half-filled rows never reach the database,
        # and a letter's hundred look-ups do not each write what came before them.
        with session.no_autoflush:
            outcome = _store_letter(session, facts, file, path, match, claimed or {})
    outcome.match = match
    if match is None and same_name:
        outcome.same_name = "; ".join(describe(r) for r in same_name)
    return outcome


def _store_letter(session: Session, facts: model.LetterFacts, file: str, path: str, match: Match | None,
                  claimed: dict[int, str]) -> StoreOutcome:
    digest = content_hash(facts.text)
    letter = session.get(Letter, match.letter_id) if match else None
    if letter is not None and letter.content_hash == digest:
        return _unchanged(letter, match)
    if letter is not None and letter.id in claimed:
        raise AnotherVersion(f"another version of the letter just imported from {claimed[letter.id]} "
                             f"(matched by {match.by}); import one version of a letter at a time")

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
            old_values = _logged(row)
            _fill_commitment(row, found, departments, policies)
            if row.status == WITHDRAWN:  # a later version holds the promise again
                row.events.append(Event(action="restored", field="status", old_value=WITHDRAWN,
                                        new_value=OPEN, note=f"back in {file} after re-import"))
                row.status = OPEN
                outcome.updated += 1
            elif _fingerprint(row) != before:
                # One event per field a reader follows (text, due date, owner), old and new value;
                # one without a field when only something else changed (partners, section …).
                changed = [(name, old, new) for (name, old), new in zip(old_values.items(), _logged(row).values())
                           if old != new]
                for name, old, new in changed or [(None, None, None)]:
                    row.events.append(Event(action="updated", field=name, old_value=old, new_value=new,
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


def _logged(row: Commitment) -> dict[str, str | None]:
    """The fields whose changes on re-import the history records with old and new value."""
    return {"text": row.text, "due": row.due.isoformat() if row.due else None,
            "owner": row.owner.name if row.owner else None}


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
