"""Later documents and the links proposed from them, in the database.

The linker (evidence/) is pure; here are the statements: the promises a document may speak of
(the candidates: commitments of the places it names, live, not rejected by a reviewer), the
document stored once however often it is imported, the proposals kept beside what people
decided (a rejected one is never proposed again), and the listings `tracker evidence` and the
reports read.
"""
from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Select, and_, bindparam, delete, func, insert, or_, select, union, update
from sqlalchemy.orm import Session, aliased

from ouhai_tracker.evidence.model import Body, Promise, Proposal
from ouhai_tracker.store.literal import constant
from ouhai_tracker.store.models import (
    GONE,
    LINK_REJECTED,
    PROPOSED,
    REJECTED,
    Commitment,
    CommitmentPartner,
    Department,
    EvidenceDocument,
    EvidenceLink,
    EvidenceTerms,
    Letter,
    now,
)

ITEM_END = re.compile("[。！？\n]")
CHUNK = 2000  # ids in one IN (...): well under SQLite's and PostgreSQL's limits on parameters


def sentence_hash(sentence: str) -> str:
    """A sentence's identity across re-imports: its text without spaces."""
    return hashlib.sha256("".join(sentence.split()).encode("utf-8")).hexdigest()


def _body(d: Department | None) -> Body | None:
    """A department as the linker compares it, placed by the deepest place its full name states
    (安澜市江北区市场监督管理局 is 江北区's), else by its place."""
    if d is None:
        return None
    from ouhai_tracker.extract.departments import innermost, place_chain

    chain = place_chain(d.name)
    place = max(chain.values(), key=len) if chain else d.place
    return Body(d.name, innermost(place), d.level, tuple(d.functions.split()))


def _department_ids(session: Session, places: Iterable[str], cache: dict) -> list[int]:
    """The departments of ``places`` (placed as _body places them). ``cache`` keeps the
    departments and their bodies between calls (one import of many documents)."""
    if "departments" not in cache:
        cache["departments"] = {d.id: d for d in session.scalars(select(Department))}
        cache["bodies"] = {}
    wanted = set(places)
    ids = []
    for i, d in cache["departments"].items():  # a name or place that holds none of the places is none of theirs
        if any(place[:-1] in d.name or (d.place and place[:-1] in d.place) for place in wanted):
            body, place = _cached_body(cache, i)
            if wanted & {body.place if body is not None else None, place}:
                ids.append(i)
    return ids


def _cached_body(cache: dict, department_id: int | None) -> tuple[Body | None, str | None]:
    """A department as a body, and its own place's innermost part (read once per cache)."""
    bodies = cache["bodies"]
    if department_id not in bodies:
        d = cache["departments"].get(department_id)
        from ouhai_tracker.extract.departments import innermost

        bodies[department_id] = (_body(d), innermost(d.place)) if d is not None else (None, None)
    return bodies[department_id]


def _theirs(department_ids: list[int]):
    """The commitments owned by, shared with, or in a letter of these departments: three indexed
    lookups in one statement, not one OR the database answers by reading every commitment."""
    return union(select(Commitment.id).where(Commitment.owner_id.in_(department_ids)),
                 select(CommitmentPartner.commitment_id).where(CommitmentPartner.department_id.in_(department_ids)),
                 select(Commitment.id).where(Commitment.letter_id.in_(
                     select(Letter.id).where(Letter.replying_department_id.in_(department_ids)))))


LIVE = (Commitment.status.not_in(GONE), or_(Commitment.review_state.is_(None), Commitment.review_state != REJECTED))


def candidate_terms(session: Session, places: Iterable[str], cache: dict | None = None) -> list[Any]:
    """The live commitments (not withdrawn or deleted, not rejected by a reviewer) owned by, shared
    with, or in a letter of a department of ``places``, what a document of those places may
    speak of: by id, each with its clause and sentence and the terms the linker read from them
    before and kept (evidence_terms: digest, text_pairs, context_pairs; None when never read).
    Plain rows, in the order of their ids: a place may hold tens of thousands."""
    cache = {} if cache is None else cache
    ids = _department_ids(session, places, cache)
    rows: list[Any] = []
    for start in range(0, len(ids), CHUNK):
        rows += session.execute(
            select(Commitment.id, Commitment.text, Commitment.sentence,
                   EvidenceTerms.digest, EvidenceTerms.text_pairs, EvidenceTerms.context_pairs)
            .outerjoin(EvidenceTerms, EvidenceTerms.commitment_id == Commitment.id)
            .where(Commitment.id.in_(_theirs(ids[start:start + CHUNK])), *LIVE)).all()
    return sorted({row.id: row for row in rows}.values(), key=lambda row: row.id)


def promises(session: Session, ids: Iterable[int], cache: dict | None = None,
             terms: dict | None = None) -> list[Promise]:
    """The commitments ``ids`` as the linker compares them, each with its owner and partners as
    bodies (its heading: with_headings), in the order of their ids. ``terms`` gets the terms
    kept for them (evidence_terms rows), by id, where there are any."""
    cache = {} if cache is None else cache
    if "departments" not in cache:
        _department_ids(session, (), cache)
    ids = sorted(set(ids))
    rows: list[Any] = []
    partners: dict[int, list[Body]] = {}
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start:start + CHUNK]
        rows += session.execute(
            select(Commitment.id, Commitment.text, Commitment.sentence, Commitment.owner_id, Commitment.letter_id,
                   Commitment.due, Letter.letter_date, Letter.replying_department_id,
                   EvidenceTerms.digest, EvidenceTerms.text_pairs, EvidenceTerms.context_pairs,
                   EvidenceTerms.numbers, EvidenceTerms.whole, EvidenceTerms.context)
            .join(Letter, Commitment.letter_id == Letter.id)
            .outerjoin(EvidenceTerms, EvidenceTerms.commitment_id == Commitment.id)
            .where(Commitment.id.in_(chunk)).order_by(Commitment.id)).all()
        for commitment_id, department_id in session.execute(
                select(CommitmentPartner.commitment_id, CommitmentPartner.department_id)
                .where(CommitmentPartner.commitment_id.in_(chunk)).order_by(CommitmentPartner.id)):
            found = _cached_body(cache, department_id)[0]
            if found is not None and found not in partners.get(commitment_id, ()):
                partners.setdefault(commitment_id, []).append(found)
    out = []
    for row in rows:
        owner = _cached_body(cache, row.owner_id)[0]
        replying = _cached_body(cache, row.replying_department_id)[0]
        place = owner.place if owner is not None and owner.place else (replying.place if replying else None)
        out.append(Promise(id=row.id, text=row.text, sentence=row.sentence, owner=owner,
                           partners=tuple(partners.get(row.id, ())), letter_date=row.letter_date, due=row.due,
                           place=place, letter_id=row.letter_id))
        if terms is not None and row.digest is not None:
            terms[row.id] = row
    return out


def with_headings(session: Session, promises: list[Promise]) -> list[Promise]:
    """The promises, each with its item's heading in its letter (what the item is about)."""
    from dataclasses import replace

    ids = [p.id for p in promises]
    rows: list[Any] = []
    for start in range(0, len(ids), CHUNK):
        rows += session.execute(select(Commitment.id, Commitment.letter_id, Commitment.item, Commitment.paragraph_start,
                                       Commitment.sentence_start, Commitment.start)
                                .where(Commitment.id.in_(ids[start:start + CHUNK]), Commitment.item.is_not(None))).all()
    headings = _headings(session, rows)
    return [replace(p, heading=headings[p.id]) if headings.get(p.id) else p for p in promises]


def save_terms(session: Session, rows: list[dict]) -> None:
    """Keep what the linker read from these promises (replacing what it read before)."""
    if not rows:
        return
    ids = [row["commitment_id"] for row in rows]
    for start in range(0, len(ids), CHUNK):
        session.execute(delete(EvidenceTerms).where(EvidenceTerms.commitment_id.in_(ids[start:start + CHUNK])))
    session.execute(insert(EvidenceTerms.__table__), rows)


def _headings(session: Session, commitments: list) -> dict[int, str]:
    """The first sentence of each commitment's item in its letter (一是举办专题培训班，学习先进经验):
    what the item is about, when the promise itself does not say."""
    out = {}
    letter_ids = sorted({c.letter_id for c in commitments})
    texts: dict[int, str] = {}
    for start in range(0, len(letter_ids), CHUNK):
        texts.update(session.execute(select(Letter.id, Letter.text)
                                     .where(Letter.id.in_(letter_ids[start:start + CHUNK]))).all())
    for c in commitments:
        text = texts.get(c.letter_id, "")
        at = text.rfind(c.item, c.paragraph_start, c.start + 1) if c.item else -1
        if at < 0 or at >= c.sentence_start:
            continue  # the promise opens its item: it says itself what the item is about
        end = ITEM_END.search(text, at)
        out[c.id] = text[at + len(c.item):end.start() if end else c.start]
    return out


# ---- documents ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class StoredDocument:
    """A later document as linking needs it once stored: its id, and its letter when it is a reply."""

    id: int
    letter_id: int | None


def save_document(session: Session, *, file: str, path: str, text: str, digest: str, doc_date: date | None,
                  author: str | None, letter_id: int | None, problem: str | None) -> tuple[StoredDocument, str]:
    """Store a later document, or find it again: by its text (any file name), else by its file
    name when its text changed (the changed text replaces the old). Returns it and what was done:
    added, updated or unchanged. Read, decided (document_values), then written: Core statements."""
    table = EvidenceDocument.__table__
    columns = select(table.c.id, table.c.letter_id)
    found = session.execute(columns.where(table.c.content_hash == digest).order_by(table.c.id).limit(1)).first() \
        if digest else None
    status = "unchanged"
    if found is None:
        found = session.execute(columns.where(table.c.file == file).order_by(table.c.id.desc()).limit(1)).first()
        status = "updated" if found is not None else "added"
    values = document_values(status, file=file, path=path, text=text, digest=digest, doc_date=doc_date,
                             author=author, problem=problem, letter_id=letter_id,
                             stored_letter_id=found.letter_id if found is not None else None)
    if found is None:
        inserted = session.connection().execute(insert(table).values(values)).inserted_primary_key
        assert inserted is not None  # an INSERT of one row
        document_id = inserted[0]
    else:
        document_id = found.id
        session.execute(update(table).where(table.c.id == document_id).values(values))
    if status == "updated":  # offsets into the old text no longer hold: proposals made from it go
        session.execute(delete(EvidenceLink).where(EvidenceLink.document_id == document_id,
                                                   EvidenceLink.state == PROPOSED))
    return StoredDocument(document_id, values["letter_id"]), status


def document_values(status: str, *, file: str, path: str, text: str, digest: str, doc_date: date | None,
                    author: str | None, problem: str | None, letter_id: int | None,
                    stored_letter_id: int | None) -> dict[str, Any]:
    """The columns a stored later document takes, ``status`` being what storing it does (added,
    updated or unchanged): its text and hash only when they are new; its letter kept unless it is
    a reply stored now."""
    values: dict[str, Any] = {
        "file": file, "path": path, "title": next((line.strip() for line in text.splitlines() if line.strip()), None),
        "doc_date": doc_date, "author": author, "problem": problem,
        "letter_id": letter_id if letter_id is not None else stored_letter_id}
    if status != "unchanged":
        values |= {"text": text, "content_hash": digest, "imported_at": now()}
    return values


def rejected(session: Session, document: StoredDocument) -> frozenset[tuple[int, str]]:
    """(commitment id, sentence) of the links a person rejected in this document: never proposed again."""
    return frozenset(session.execute(select(EvidenceLink.commitment_id, EvidenceLink.sentence)
                                     .where(EvidenceLink.document_id == document.id,
                                            EvidenceLink.state == LINK_REJECTED)).all())


def save_links(session: Session, document: StoredDocument, proposals: list[Proposal]) -> int:
    """Keep the proposals the linker made now: new ones added, proposed ones brought up to date,
    proposed ones it no longer makes removed; accepted and rejected ones stay as people left
    them. A repeated promise is tied to the later letter's own commitment in that sentence.
    Returns how many links stand for the document (all but the rejected). Core statements, in
    bulk: a document may propose dozens."""
    table = EvidenceLink.__table__
    existing = {(commitment_id, digest): (link_id, state) for link_id, commitment_id, digest, state in session.execute(
        select(EvidenceLink.id, EvidenceLink.commitment_id, EvidenceLink.sentence_hash, EvidenceLink.state)
        .where(EvidenceLink.document_id == document.id))}
    later = _later_commitments(session, document)
    kept: set[tuple[int, str]] = set()
    new, changed = [], []
    for p in proposals:
        key = (p.commitment, sentence_hash(p.evidence))
        if key in kept:
            continue  # the same sentence twice in the document: its first place stands
        kept.add(key)
        values = {"start_offset": p.start, "end_offset": p.end, "sentence": p.evidence, "outcome": p.outcome,
                  "confidence": p.confidence, "reason": p.reason,
                  "later_commitment_id": next((i for i, s, e in later if s < p.end and e > p.start), None)
                  if p.outcome == "repeated" else None}
        if key not in existing:
            new.append({**values, "commitment_id": p.commitment, "document_id": document.id,
                        "sentence_hash": key[1], "state": PROPOSED, "created_at": now()})
        elif existing[key][1] == PROPOSED:
            changed.append({**values, "link_id": existing[key][0]})
    if new:
        session.execute(insert(table), new)
    if changed:
        session.execute(update(table).where(table.c.id == bindparam("link_id")),
                        [{**{k: v for k, v in row.items() if k != "link_id"}, "link_id": row["link_id"]}
                         for row in changed])
    gone = [link_id for key, (link_id, state) in existing.items() if key not in kept and state == PROPOSED]
    for start in range(0, len(gone), CHUNK):
        session.execute(delete(EvidenceLink).where(EvidenceLink.id.in_(gone[start:start + CHUNK])))
    return session.execute(select(func.count()).select_from(EvidenceLink)
                           .where(EvidenceLink.document_id == document.id, EvidenceLink.state != LINK_REJECTED)).scalar_one()


def _later_commitments(session: Session, document: StoredDocument) -> list[tuple[int, int, int]]:
    if document.letter_id is None:
        return []
    return list(session.execute(select(Commitment.id, Commitment.start, Commitment.end)
                                .where(Commitment.letter_id == document.letter_id)).all())


# ---- reading the links -------------------------------------------------------------------------

def links(session: Session, *, state: str | None = None, doc: str | None = None, outcome: str | None = None,
          commitment_ids: Iterable[int] | Select | None = None, link_ids: Iterable[int] | None = None) -> list[dict]:
    """The links, as plain rows (rows.link_dicts): the earlier promise beside the later sentence.
    ``commitment_ids``: ids, or a statement selecting them."""
    from ouhai_tracker.rows import link_dicts

    query = links_statement(state=state, doc=doc, outcome=outcome, commitment_ids=commitment_ids, link_ids=link_ids)
    return link_dicts(session.execute(query).all())


def links_statement(*, state: str | None = None, doc: str | None = None, outcome: str | None = None,
                    commitment_ids: Iterable[int] | Select | None = None,
                    link_ids: Iterable[int] | None = None) -> Select:
    """The statement ``links`` runs: rows.LINK_COLUMNS, by document and place in it (SQLite's
    stdlib path runs it too, compiled ahead, for `tracker stats`)."""
    owner = aliased(Department)
    source = {"EvidenceLink": EvidenceLink, "EvidenceDocument": EvidenceDocument, "Commitment": Commitment,
              "Letter": Letter, "owner": owner}
    from ouhai_tracker.rows import LINK_COLUMNS

    columns = [getattr(source[model], column) for model, column in (name.split(".") for name in LINK_COLUMNS.values())]
    query = (select(*columns)
             .join_from(EvidenceLink, EvidenceDocument, EvidenceLink.document_id == EvidenceDocument.id)
             .join(Commitment, EvidenceLink.commitment_id == Commitment.id)
             .join(Letter, Commitment.letter_id == Letter.id)
             .outerjoin(owner, Commitment.owner_id == owner.id)
             .order_by(EvidenceDocument.id, EvidenceLink.start, EvidenceLink.commitment_id))
    if state is None:  # all but the rejected
        query = query.where(EvidenceLink.state != constant(LINK_REJECTED))
    elif state != "all":
        query = query.where(EvidenceLink.state == state)
    if outcome is not None:
        query = query.where(or_(and_(EvidenceLink.decided_outcome.is_(None), EvidenceLink.outcome == outcome),
                                EvidenceLink.decided_outcome == outcome))
    if doc is not None:
        query = query.where(or_(EvidenceDocument.file == doc, EvidenceDocument.file.contains(doc, autoescape=True),
                                EvidenceDocument.title.contains(doc, autoescape=True)))
    if commitment_ids is not None:
        query = query.where(EvidenceLink.commitment_id.in_(
            commitment_ids if isinstance(commitment_ids, Select) else list(commitment_ids)))
    if link_ids is not None:
        query = query.where(EvidenceLink.id.in_(list(link_ids)))
    return query


def repeated_before(session: Session, commitment_ids: Iterable[int]) -> dict[int, list[dict]]:
    """For later commitments, the earlier promises they make again (links not rejected, proposed
    or accepted as repeated): {later id: [{commitment, text, outcome, letter, date, state}]}."""
    ids = list(commitment_ids)
    out: dict[int, list[dict]] = {}
    if not ids:
        return out
    query = (select(EvidenceLink.later_commitment_id, EvidenceLink.state, Commitment.id, Commitment.text,
                    Commitment.outcome, Letter.file, Letter.letter_date)
             .join(Commitment, EvidenceLink.commitment_id == Commitment.id)
             .join(Letter, Commitment.letter_id == Letter.id)
             .where(EvidenceLink.later_commitment_id.in_(ids), EvidenceLink.state != LINK_REJECTED,
                    or_(and_(EvidenceLink.decided_outcome.is_(None), EvidenceLink.outcome == "repeated"),
                        EvidenceLink.decided_outcome == "repeated")))
    for later, state, earlier, text, outcome, file, letter_date in session.execute(query):
        assert later is not None  # picked by its id
        out.setdefault(later, []).append({"commitment": earlier, "text": text, "outcome": outcome, "letter": file,
                                          "date": letter_date.isoformat() if letter_date else None, "state": state})
    return out


def repeated_ids(session: Session) -> set[int]:
    """The promises made again (links with outcome repeated, not rejected): the later letter's
    commitment that repeats an earlier one, or the earlier one when the later document holds no
    commitment of its own for it."""
    query = (select(EvidenceLink.commitment_id, EvidenceLink.later_commitment_id)
             .where(EvidenceLink.state != LINK_REJECTED,
                    or_(and_(EvidenceLink.decided_outcome.is_(None), EvidenceLink.outcome == "repeated"),
                        EvidenceLink.decided_outcome == "repeated")))
    return {later if later is not None else earlier for earlier, later in session.execute(query)}


def for_commitments(session: Session, ids: Iterable[int] | Select) -> list[dict]:
    """The links (not rejected) of these earlier commitments: ids, in chunks the drivers take,
    or a statement selecting them (store.read.selected_ids: one statement for a report's thousands)."""
    if isinstance(ids, Select):
        return links(session, commitment_ids=ids)
    ids = list(ids)
    out = []
    for start in range(0, len(ids), CHUNK):
        out += links(session, commitment_ids=ids[start:start + CHUNK])
    return out
