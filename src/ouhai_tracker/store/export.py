"""Everything in the database as plain tables, for other tools (`tracker export`).

One list of flat rows per table, ids kept, so a spreadsheet or a script can join them.
Contact names and phone numbers are personal data: left out unless asked for, and
masked inside the letter text, the sentences and the history's notes with as many ＊ as
characters (offsets still fit).
"""
from __future__ import annotations

import functools
import re
from datetime import date, datetime

from sqlalchemy import Select, null, select
from sqlalchemy.orm import Session

from ouhai_tracker.extract.rules.letters import CONTACT_WORDS
from ouhai_tracker.store.models import (
    Commitment,
    CommitmentPartner,
    Department,
    DepartmentAlias,
    Event,
    EvidenceDocument,
    EvidenceLink,
    Letter,
    Policy,
    commitment_policies,
    letter_policies,
)

FORMAT, VERSION = "ouhai-tracker-export", 1
# A phone number on a contact line: 0577-88502273, 88502273, 13812345678.
_PHONE = re.compile(r"(?<!\d)(?:0\d{2,3}[-－—]?)?\d{7,8}(?!\d)|(?<!\d)1[3-9]\d{9}(?!\d)")
_CONTACT_WORD = re.compile("|".join(CONTACT_WORDS))


def _value(value):
    return value.isoformat(sep=" ") if isinstance(value, datetime) else (
        value.isoformat() if isinstance(value, date) else value)


# Events the tracker writes itself on import; every other event is a person's, with their note.
IMPORT_ACTIONS = ("imported", "updated", "withdrawn", "restored")


def _stars(match: re.Match) -> str:
    return "＊" * len(match.group())


def mask_contacts(text: str, names: list[str] | re.Pattern) -> str:
    """``text`` with the contact names, and phone numbers on contact lines, replaced by ＊ of equal length."""
    if isinstance(names, re.Pattern):
        text = names.sub(_stars, text)
    else:
        for name in sorted(filter(None, set(names)), key=len, reverse=True):
            text = text.replace(name, "＊" * len(name))

    if not _CONTACT_WORD.search(text):
        return text
    return "\n".join(_PHONE.sub(_stars, line) if _CONTACT_WORD.search(line) else line for line in text.split("\n"))


def contact_pattern(names) -> re.Pattern | list:
    """One pattern for these contact names and numbers ([] when there are none), for mask_contacts."""
    # Each name once, the longest first: 张三 masked before 张三丰 would leave 丰 showing.
    ordered = sorted(set(filter(None, names)), key=lambda n: (-len(n), n))
    return re.compile("|".join(map(re.escape, ordered))) if ordered else []


def contact_mask(names):
    """A function masking these contact names, and phone numbers on contact lines, with ＊ (one per
    character, so offsets still fit); None and empty text pass through. The pattern of thousands
    of names takes a tenth of a second to compile: it is made at the first text to mask, and
    a report with no note to mask never makes it."""
    pattern = functools.cache(lambda: contact_pattern(names))
    return lambda text: mask_contacts(text, pattern()) if text else text


def export_tables(session: Session, with_contacts: bool = False, selected: Select | None = None,
                  letters_selected: Select | None = None) -> dict[str, list[dict]]:
    """Every table as flat rows, read with one statement each. ``selected`` (a statement of
    commitment ids) narrows the commitments, their partners, policies and history;
    ``letters_selected`` (read.letters_of's) the letters and their policies; the registries
    (departments, aliases, policies) stay whole."""
    connection = session.connection()
    L, C, E, D = Letter.__table__.c, Commitment.__table__.c, Event.__table__.c, Department.__table__.c

    def narrowed(query: Select, commitment_id, letter_id=None) -> Select:
        if letter_id is not None:
            return query if letters_selected is None else query.where(letter_id.in_(letters_selected))
        return query if selected is None else query.where(commitment_id.in_(selected))

    replying = Department.__table__.alias("replying")
    letters = connection.execute(narrowed(
        select(Letter.__table__, replying.c.name.label("replying_department"))
        .outerjoin(replying, replying.c.id == L.replying_department_id).order_by(L.id), None, L.id)).mappings().all()
    # The letters' contacts, masked wherever they stand: a letter's own in its text and its
    # sentences; every letter's in a person's notes (a note may name anyone's contact).
    contacts = {r["id"]: [n for n in (r["contact_name"], r["contact_phone"]) if n] for r in letters}

    @functools.cache
    def everyone() -> re.Pattern | list:
        # Every letter's contacts in one pattern (thousands of names: a tenth of a second to
        # compile), made only when a person's note is there to mask.
        return contact_pattern(n for found in contacts.values() for n in found)

    def hide(text: str | None, names: list[str] | re.Pattern) -> str | None:
        return text if with_contacts or not text else mask_contacts(text, names)

    tables: dict[str, list[dict]] = {"letters": [], "departments": [], "department_aliases": [], "policies": [],
                                     "commitments": [], "commitment_partners": [], "commitment_policies": [],
                                     "letter_policies": [], "events": [], "evidence_documents": [],
                                     "evidence_links": []}
    for r in letters:
        row = {"id": r["id"], "file": r["file"], "path": r["path"], "title": r["title"], "kind": r["kind"],
               "addressee": r["addressee"], "proposers": list(r["proposers"] or []), "session": r["session"],
               "replying_unit": r["replying_unit"], "replying_department": r["replying_department"],
               "date": _value(r["letter_date"]), "class_mark": r["class_mark"], "number": r["number"],
               "doc_number": r["doc_number"], "content_hash": r["content_hash"],
               "imported_at": _value(r["imported_at"])}
        if with_contacts:
            row |= {"contact_name": r["contact_name"], "contact_phone": r["contact_phone"]}
        row["text"] = hide(r["text"], contacts[r["id"]])
        tables["letters"].append(row)
    aliases: dict[int, list[str]] = {}
    for department_id, alias, source in connection.execute(
            select(DepartmentAlias.department_id, DepartmentAlias.alias, DepartmentAlias.source)
            .order_by(DepartmentAlias.id)):
        aliases.setdefault(department_id, []).append(alias)
        tables["department_aliases"].append({"department_id": department_id, "alias": alias, "source": source})
    for d in connection.execute(select(D.id, D.name, D.short, D.level, D.place).order_by(D.id)):
        tables["departments"].append({"id": d.id, "name": d.name, "short": d.short, "level": d.level,
                                      "place": d.place, "aliases": aliases.get(d.id, [])})
    for r in connection.execute(select(Policy.__table__).order_by(Policy.id)).mappings():
        tables["policies"].append({"id": r["id"], "title": r["title"], "doc_number": r["doc_number"],
                                   "issuer": r["issuer"], "year": r["year"]})
    titles = {r["id"]: r["title"] for r in letters}  # a spreadsheet's reader wants it on the row
    owner = Department.__table__.alias("owner")
    letter_of: dict[int, int] = {}
    # Each exported field and the column it is read from, in the file's order (letter_title is
    # filled in from the letters): a row becomes its dict in one step, 20,000 rows and more.
    fields = {"id": C.id, "letter_id": C.letter_id, "letter_title": null(), "text": C.text, "start": C.start_offset,
              "end": C.end_offset, "sentence": C.sentence, "section": C.section, "item": C.item,
              "owner_id": C.owner_id, "owner": owner.c.name, "owner_rule": C.owner_rule, "status": C.status,
              "cue": C.cue, "confidence": C.confidence, "owner_confidence": C.owner_confidence,
              "review_state": C.review_state, "due": C.due, "due_kind": C.due_kind, "due_inferred": C.due_inferred,
              "due_text": C.due_text, "due_condition": C.due_condition, "due_rule": C.due_rule,
              "due_period": C.due_period, "created_at": C.created_at, "updated_at": C.updated_at}
    for values in connection.execute(narrowed(
            select(*fields.values()).select_from(Commitment.__table__).outerjoin(owner, owner.c.id == C.owner_id)
            .order_by(C.id), C.id)).all():
        row = dict(zip(fields, values))
        letter_of[row["id"]] = row["letter_id"]
        row["letter_title"] = titles.get(row["letter_id"])
        row["sentence"] = hide(row["sentence"], contacts.get(row["letter_id"], []))
        row["due"], row["created_at"], row["updated_at"] = (_value(row["due"]), _value(row["created_at"]),
                                                            _value(row["updated_at"]))
        tables["commitments"].append(row)
    partners = CommitmentPartner.__table__.c
    for r in connection.execute(narrowed(select(CommitmentPartner.__table__).order_by(partners.id),
                                         partners.commitment_id)).mappings():
        tables["commitment_partners"].append({"commitment_id": r["commitment_id"], "department_id": r["department_id"],
                                              "role": r["role"], "cue": r["cue"]})
    for commitment_id, policy_id in connection.execute(narrowed(
            select(commitment_policies).order_by(*commitment_policies.c), commitment_policies.c.commitment_id)):
        tables["commitment_policies"].append({"commitment_id": commitment_id, "policy_id": policy_id})
    for letter_id, policy_id in connection.execute(narrowed(
            select(letter_policies).order_by(*letter_policies.c), None, letter_policies.c.letter_id)):
        tables["letter_policies"].append({"letter_id": letter_id, "policy_id": policy_id})
    for id_, commitment_id, at, action, field, old, new, note, on in connection.execute(narrowed(
            select(E.id, E.commitment_id, E.at, E.action, E.field, E.old_value, E.new_value, E.note, E.on_date)
            .order_by(E.id), E.commitment_id)).all():
        # Imported values come from the letter (its own contacts); a person's note may name anyone's.
        own = contacts.get(letter_of.get(commitment_id), [])
        anyone = own if action in IMPORT_ACTIONS or with_contacts else everyone()
        tables["events"].append({"id": id_, "commitment_id": commitment_id, "at": _value(at), "action": action,
                                 "field": field, "old": hide(old, anyone), "new": hide(new, anyone),
                                 "note": hide(note, anyone), "on": _value(on)})
    _export_evidence(connection, tables, selected,
                     lambda text: text if with_contacts or not text else mask_contacts(text, everyone()))
    return tables


def _export_evidence(connection, tables: dict[str, list[dict]], selected: Select | None, hide) -> None:
    """The later documents and the links proposed from them (proposed, accepted, rejected: the
    sentence, its offsets in the document's text, the outcome proposed and the one decided).
    A later document may name anyone's contact: masked as a person's note is (``hide``). Under a
    selection, the links of the commitments selected and the documents they cite."""
    K = EvidenceLink.__table__.c
    query = select(EvidenceLink.__table__).order_by(K.id)
    links = connection.execute(query if selected is None else query.where(K.commitment_id.in_(selected))).mappings().all()
    cited = {r["document_id"] for r in links}
    for r in connection.execute(select(EvidenceDocument.__table__).order_by(EvidenceDocument.id)).mappings():
        if selected is not None and r["id"] not in cited:
            continue
        tables["evidence_documents"].append({
            "id": r["id"], "file": r["file"], "path": r["path"], "title": hide(r["title"]),
            "date": _value(r["doc_date"]), "author": r["author"], "letter_id": r["letter_id"],
            "problem": r["problem"], "content_hash": r["content_hash"], "imported_at": _value(r["imported_at"]),
            "text": hide(r["text"])})
    for r in links:
        tables["evidence_links"].append({
            "id": r["id"], "commitment_id": r["commitment_id"], "document_id": r["document_id"],
            "start": r["start_offset"], "end": r["end_offset"], "sentence": hide(r["sentence"]),
            "outcome": r["outcome"], "state": r["state"], "decided_outcome": r["decided_outcome"],
            "confidence": r["confidence"], "reason": r["reason"], "later_commitment_id": r["later_commitment_id"],
            "created_at": _value(r["created_at"]), "decided_at": _value(r["decided_at"])})
