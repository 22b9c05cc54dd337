"""The department registry, the summaries, and the look-ups a person's changes need (which
department a name means). The changes to commitments themselves are decided in change_plan.py
and written by change_write.py.

Every change to a commitment adds an Event with the old and new value, so the
history can always say who-knew-what-when.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, selectinload

from ouhai_tracker.errors import BadInput, NotFound
from ouhai_tracker.i18n import _
from ouhai_tracker.store.limits import MAX_ID, MAX_POSTGRESQL_ID
from ouhai_tracker.store.models import (
    OPEN,
    USER,
    Commitment,
    CommitmentPartner,
    Department,
    DepartmentAlias,
    Letter,
    Policy,
    commitment_policies,
    letter_departments,
)
from ouhai_tracker.store.read import department_ids_matching


def is_id(session: Session, value: int) -> bool:
    """Can ``value`` be a row's id in this database? PostgreSQL's ids are 32-bit integers: a
    larger number would fail the query ("integer out of range") rather than find nothing."""
    return 1 <= value <= (MAX_POSTGRESQL_ID if session.get_bind().dialect.name == "postgresql" else MAX_ID)


def get_commitment(session: Session, commitment_id: int) -> Commitment:
    commitment = session.get(Commitment, commitment_id) if is_id(session, commitment_id) else None
    if commitment is None:
        raise NotFound(_("no commitment with id {id} (see `tracker list --status all`)").format(id=commitment_id))
    return commitment


def get_commitments(session: Session, ids: list[int]) -> list[Commitment]:
    """All of ``ids`` or NotFound before anything changes: a batch is done whole or not at all."""
    valid = [i for i in ids if is_id(session, i)]
    found = {c.id: c for c in session.scalars(select(Commitment).where(Commitment.id.in_(valid)))}
    missing = [str(i) for i in ids if i not in found]
    if missing:
        raise NotFound(_("no commitment with id {id} (see `tracker list --status all`)").format(id=", ".join(missing)))
    return [found[i] for i in dict.fromkeys(ids)]


def resolve_department(session: Session, name: str, place: str | None = None) -> Department:
    """Exactly one department for ``name``: its full name, or an alias a person taught; else
    every department a short form or a part of a name matches. Several are narrowed to the one
    of ``place`` (the letter's own: its bare 区教育局 is its district's), else refused with the
    candidates: 区教育局 may be any district's."""
    name = name.strip()
    taught = select(DepartmentAlias.department_id).where(DepartmentAlias.alias == name, DepartmentAlias.source == USER)
    exact = session.scalars(select(Department).where(or_(Department.name == name, Department.id.in_(taught)))).all()
    if len(exact) == 1:
        return exact[0]
    matches = exact or session.scalars(select(Department).where(or_(
        Department.short == name,
        Department.id.in_(select(DepartmentAlias.department_id).where(DepartmentAlias.alias == name)),
        Department.id.in_(department_ids_matching(name)))).order_by(Department.name)).all()
    if not matches:
        raise NotFound(_("no department matches {name!r} (see `tracker depts`)").format(name=name))
    if len(matches) > 1 and place:
        matches = [d for d in matches if d.place == place] or matches
    if len(matches) > 1:
        names = "、".join(d.name for d in matches)
        raise BadInput(_("{name!r} matches several departments ({names}); give the full name").format(
            name=name, names=names))
    return matches[0]


def unknown_name(session: Session, asked: list[tuple[str, str, str]]) -> dict | None:
    """The first of the (option, what it names, value) asked that names nothing in the database,
    as {option, names, value, nearest: [known names that look like it]}; None when each names
    something. What a value names: a department (as --dept reads it), a letter (part of its file
    name, title or number) or a policy (part of its title)."""
    from ouhai_tracker.store.dept_filter import like_escape

    for option, names, value in asked:
        if names == "department":
            if session.execute(department_ids_matching(value).limit(1)).first():
                continue
            known = session.scalars(select(Department.short).union(select(Department.name),
                                                                   select(DepartmentAlias.alias))).all()
        elif names == "letter":
            pattern = f"%{like_escape(value)}%"
            columns = (Letter.file, Letter.title, Letter.number, Letter.doc_number)
            if session.execute(select(Letter.id).where(or_(*(c.like(pattern, escape="/") for c in columns)))
                               .limit(1)).first():
                continue
            known = [n for row in session.execute(select(Letter.file, Letter.title)).all() for n in row if n]
        elif names == "policy":
            if session.execute(select(Policy.id).where(Policy.title.contains(value, autoescape=True)).limit(1)).first():
                continue
            known = session.scalars(select(Policy.title)).all()
        else:
            raise ValueError(f"unknown kind of name {names!r}")
        return {"option": option, "names": names, "value": value, "nearest": nearest(value, known)}
    return None


def nearest(value: str, names, most: int = 3) -> list[str]:
    """The known names most like ``value`` (a typo's likely meaning), most alike first: by the
    characters in common, so 工商连 finds 区工商联 and a part of a long title finds the title."""
    from difflib import SequenceMatcher

    def likeness(name: str) -> float:
        matcher = SequenceMatcher(None, value, name, autojunk=False)
        common = sum(block.size for block in matcher.get_matching_blocks())
        return common / len(value) - 0.01 * abs(len(name) - len(value)) / max(len(name), 1)

    scored = sorted(((likeness(name), name) for name in set(names) if name), key=lambda x: (-x[0], len(x[1]), x[1]))
    return [name for score, name in scored if score >= 0.5][:most]


def department_summaries(session: Session) -> list[dict]:
    owned = dict(session.execute(select(Commitment.owner_id, func.count()).group_by(Commitment.owner_id)).all())
    owned_open = dict(session.execute(select(Commitment.owner_id, func.count())
                                      .where(Commitment.status == OPEN).group_by(Commitment.owner_id)).all())
    partnered = dict(session.execute(select(CommitmentPartner.department_id, func.count())
                                     .group_by(CommitmentPartner.department_id)).all())
    letters: dict[int, int] = dict(session.execute(select(letter_departments.c.department_id, func.count())
                                                   .group_by(letter_departments.c.department_id)).all())
    rows = session.scalars(select(Department).options(selectinload(Department.aliases)).order_by(Department.name))
    return [{"name": d.name, "short": d.short, "level": d.level, "place": d.place,
             "functions": d.functions.split(),
             "aliases": [a.alias for a in d.aliases],
             "commitments": owned.get(d.id, 0), "open": owned_open.get(d.id, 0),
             "partner_in": partnered.get(d.id, 0), "letters": letters.get(d.id, 0)} for d in rows]


def policy_summaries(session: Session) -> list[dict]:
    cited: dict[int, int] = dict(session.execute(select(commitment_policies.c.policy_id, func.count())
                                                 .group_by(commitment_policies.c.policy_id)).all())
    rows = session.scalars(select(Policy).options(selectinload(Policy.letters).load_only(Letter.file))
                           .order_by(Policy.year.is_(None), Policy.year, Policy.title))
    return [{"title": p.title, "doc_number": p.doc_number, "issuer": p.issuer, "year": p.year,
             "documents": sorted(letter.file for letter in p.letters),
             "commitments": cited.get(p.id, 0)} for p in rows]


def letters(session: Session, letter_id: int | None = None) -> list:
    """Every letter (or one) without its text, with its replying department's name and place and
    its count of live and open commitments: one statement (letter_sql's), rows by date then file."""
    from ouhai_tracker.store.letter_sql import STATEMENTS

    query = STATEMENTS["letters"]
    if letter_id is not None:
        query = query.where(Letter.id == letter_id)
    session.flush()  # as session.execute would: the rows are read on its connection, as plain rows
    return list(session.connection().execute(query).mappings())


def contacts(session: Session) -> list[str]:
    """Every letter's contact name and phone number (what is masked where contacts are not asked for)."""
    from ouhai_tracker.rows import contacts as contact_list
    from ouhai_tracker.store.letter_sql import STATEMENTS

    return contact_list(session.connection().execute(STATEMENTS["contacts"]).mappings())


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


# ---- reading letters again ----------------------------------------------------------------------

@dataclass(frozen=True)
class StoredText:
    """A stored letter as `tracker reread` reads it again."""

    id: int
    file: str
    path: str
    text: str
    fallbacks: dict  # what the letter's page gave (unit, date, title), which its text alone does not


def letters_to_reread(session: Session, paths: list[str]) -> list[StoredText]:
    """The stored letters from ``paths`` (a file or folder they were imported from, or their file
    name), in id order; every letter when ``paths`` is empty. A path that names none is NotFound."""
    rows = session.execute(select(Letter.id, Letter.file, Letter.path, Letter.replying_unit, Letter.unit_source,
                                  Letter.letter_date, Letter.date_source, Letter.title)
                           .where(Letter.superseded_by_id.is_(None))  # a merged version is read with its letter
                           .order_by(Letter.id)).all()
    chosen = rows
    if paths:
        chosen, wanted = [], [(p, os.path.abspath(os.path.expanduser(p)).rstrip(os.sep)) for p in paths]
        for given, absolute in wanted:
            found = [r for r in rows if r.file == given or _under(r.path, given.rstrip(os.sep))
                     or _under(os.path.abspath(r.path), absolute)]
            if not found:
                raise NotFound(_("no stored letter was imported from {path} (see `tracker docs`)").format(path=given))
            chosen += found
        chosen = sorted({r.id: r for r in chosen}.values(), key=lambda r: r.id)
    texts: dict[int, str] = {}
    for start in range(0, len(chosen), 500):
        ids = [r.id for r in chosen[start:start + 500]]
        texts.update(session.execute(select(Letter.id, Letter.text).where(Letter.id.in_(ids))).all())
    return [StoredText(r.id, r.file, r.path, texts[r.id], _page_fallbacks(r)) for r in chosen]


def _under(path: str, given: str) -> bool:
    return path == given or path.startswith(given + os.sep)


def _page_fallbacks(row) -> dict:
    """The unit, date and title the letter's page gave: its text read again will not have them."""
    fallbacks = {}
    if row.unit_source and row.unit_source.startswith("page") and row.replying_unit:
        fallbacks["replying_unit"] = row.replying_unit
    if row.date_source and row.date_source.startswith("page") and row.letter_date:
        fallbacks["date"] = row.letter_date.isoformat()
    if row.title:
        fallbacks["title"] = row.title
    return fallbacks
