"""Everything in the database as plain tables, for other tools (`tracker export`).

One list of flat rows per table, ids kept, so a spreadsheet or a script can join them.
Contact names and phone numbers are personal data: left out unless asked for, and
masked inside the letter text, the sentences and the history's notes with as many ＊ as
characters (offsets still fit).
"""
from __future__ import annotations

import re
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from ouhai_tracker.store.models import (Commitment, CommitmentPartner, Department, DepartmentAlias, Event,
                                        Letter, Policy, commitment_policies, letter_policies)

FORMAT, VERSION = "ouhai-tracker-export", 1
# A phone number on a contact line: 0577-88502273, 88502273, 13812345678.
_PHONE = re.compile(r"(?<!\d)(?:0\d{2,3}[-－—]?)?\d{7,8}(?!\d)|(?<!\d)1[3-9]\d{9}(?!\d)")
_CONTACT_LINE = re.compile(r"[^\n]*(?:联系人|联系电话|电话|手机|联系方式)[^\n]*")


def _value(value):
    return value.isoformat(sep=" ") if isinstance(value, datetime) else (
        value.isoformat() if isinstance(value, date) else value)


def mask_contacts(text: str, names: list[str]) -> str:
    """``text`` with the contact names, and phone numbers on contact lines, replaced by ＊ of equal length."""
    for name in filter(None, names):
        text = text.replace(name, "＊" * len(name))

    def line(match: re.Match) -> str:
        return _PHONE.sub(lambda m: "＊" * len(m.group()), match.group())

    return _CONTACT_LINE.sub(line, text)


def export_tables(session: Session, with_contacts: bool = False) -> dict[str, list[dict]]:
    letters = list(session.scalars(select(Letter).options(selectinload(Letter.replying_department))
                                   .order_by(Letter.id)))
    # The letters' contacts, masked wherever they stand: in a letter, a sentence, a person's note.
    contact_names = [n for letter in letters for n in (letter.contact_name, letter.contact_phone) if n]
    hide = (lambda text: text) if with_contacts else (lambda text: mask_contacts(text, contact_names) if text else text)
    tables: dict[str, list[dict]] = {"letters": [], "departments": [], "department_aliases": [], "policies": [],
                                     "commitments": [], "commitment_partners": [], "commitment_policies": [],
                                     "letter_policies": [], "events": []}
    for letter in letters:
        row = {"id": letter.id, "file": letter.file, "path": letter.path, "title": letter.title,
               "kind": letter.kind, "addressee": letter.addressee, "proposers": list(letter.proposers or []),
               "session": letter.session, "replying_unit": letter.replying_unit,
               "replying_department": letter.replying_department.name if letter.replying_department else None,
               "date": _value(letter.letter_date), "class_mark": letter.class_mark, "number": letter.number,
               "doc_number": letter.doc_number, "content_hash": letter.content_hash,
               "imported_at": _value(letter.imported_at)}
        if with_contacts:
            row |= {"contact_name": letter.contact_name, "contact_phone": letter.contact_phone}
        row["text"] = hide(letter.text)
        tables["letters"].append(row)
    for d in session.scalars(select(Department).options(selectinload(Department.aliases)).order_by(Department.id)):
        tables["departments"].append({"id": d.id, "name": d.name, "short": d.short, "level": d.level,
                                      "aliases": [a.alias for a in d.aliases]})
    for a in session.scalars(select(DepartmentAlias).order_by(DepartmentAlias.id)):
        tables["department_aliases"].append({"department_id": a.department_id, "alias": a.alias, "source": a.source})
    for p in session.scalars(select(Policy).order_by(Policy.id)):
        tables["policies"].append({"id": p.id, "title": p.title, "doc_number": p.doc_number, "issuer": p.issuer,
                                   "year": p.year})
    titles = {letter.id: letter.title for letter in letters}  # a spreadsheet's reader wants it on the row
    query = select(Commitment).options(selectinload(Commitment.owner)).order_by(Commitment.id)
    for c in session.scalars(query):
        tables["commitments"].append({
            "id": c.id, "letter_id": c.letter_id, "letter_title": titles.get(c.letter_id), "text": c.text, "start": c.start, "end": c.end,
            "sentence": hide(c.sentence), "section": c.section, "item": c.item,
            "owner_id": c.owner_id, "owner": c.owner.name if c.owner else None, "owner_rule": c.owner_rule,
            "status": c.status, "cue": c.cue, "confidence": c.confidence, "review_state": c.review_state,
            "due": _value(c.due), "due_kind": c.due_kind, "due_inferred": c.due_inferred,
            "due_text": c.due_text, "due_condition": c.due_condition, "due_rule": c.due_rule,
            "due_period": c.due_period, "created_at": _value(c.created_at), "updated_at": _value(c.updated_at)})
    for p in session.scalars(select(CommitmentPartner).order_by(CommitmentPartner.id)):
        tables["commitment_partners"].append({"commitment_id": p.commitment_id, "department_id": p.department_id,
                                              "role": p.role, "cue": p.cue})
    for commitment_id, policy_id in session.execute(select(commitment_policies).order_by(*commitment_policies.c)):
        tables["commitment_policies"].append({"commitment_id": commitment_id, "policy_id": policy_id})
    for letter_id, policy_id in session.execute(select(letter_policies).order_by(*letter_policies.c)):
        tables["letter_policies"].append({"letter_id": letter_id, "policy_id": policy_id})
    for e in session.scalars(select(Event).order_by(Event.id)):
        tables["events"].append({"id": e.id, "commitment_id": e.commitment_id, "at": _value(e.at),
                                 "action": e.action, "field": e.field, "old": hide(e.old_value),
                                 "new": hide(e.new_value), "note": hide(e.note), "on": _value(e.on_date)})
    return tables
