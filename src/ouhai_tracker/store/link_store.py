"""What linking a later document reads and writes, through a database that runs the named
statements of store/link_sql.py: SQLAlchemy's (change_sql.Connected) or, on a SQLite file,
the standard library's (fastwrite.SqliteFile). The same code on both paths; no SQLAlchemy here.

The linker (evidence/) is pure; here are the promises a document may speak of (the candidates:
commitments of the places it names, live, not rejected by a reviewer), the document stored once
however often it is imported, and the proposals kept beside what people decided (a rejected one
is never proposed again).
"""
from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date
from typing import Any, NamedTuple

from ouhai_tracker.evidence.model import Body, Promise, Proposal
from ouhai_tracker.store.change_plan import now
from ouhai_tracker.store.change_write import Database, stored_day
from ouhai_tracker.store.states import PROPOSED

ITEM_END = re.compile("[。！？\n]")
CHUNK = 2000  # ids in one IN (...): well under SQLite's and PostgreSQL's limits on parameters


def sentence_hash(sentence: str) -> str:
    """A sentence's identity across re-imports: its text without spaces."""
    return hashlib.sha256("".join(sentence.split()).encode("utf-8")).hexdigest()


def _chunks(ids: list[int]) -> Iterable[list[int]]:
    for start in range(0, len(ids), CHUNK):
        yield ids[start:start + CHUNK]


# ---- the promises a document may speak of -----------------------------------------------------

class Department(NamedTuple):
    id: int
    name: str
    place: str | None
    level: str | None
    functions: str


class Candidate(NamedTuple):
    """A live commitment of a document's places, with the terms kept for it (None when never read)."""

    id: int
    text: str
    sentence: str
    digest: str | None
    text_pairs: str | None
    context_pairs: str | None


class Terms(NamedTuple):
    """What the linker read from a promise, as the store kept it (evidence.link.from_stored)."""

    digest: str
    text_pairs: str
    context_pairs: str
    numbers: str
    whole: bool
    context: str


def _body(d: Department | None) -> Body | None:
    """A department as the linker compares it, placed by the deepest place its full name states
    (安澜市江北区市场监督管理局 is 江北区's), else by its place."""
    if d is None:
        return None
    from ouhai_tracker.extract.departments import innermost, place_chain

    chain = place_chain(d.name)
    place = max(chain.values(), key=len) if chain else d.place
    return Body(d.name, innermost(place), d.level, tuple(d.functions.split()))


def _departments(db: Database, cache: dict) -> dict[int, Department]:
    """Every department by id, read once per ``cache`` (one import of many documents)."""
    if "departments" not in cache:
        cache["departments"] = {row[0]: Department(*row) for row in db.rows("departments", {})}
        cache["bodies"] = {}
    return cache["departments"]


def _department_ids(db: Database, places: Iterable[str], cache: dict) -> list[int]:
    """The departments of ``places`` (placed as _body places them)."""
    wanted = set(places)
    ids = []
    for i, d in _departments(db, cache).items():  # a name or place that holds none of the places is none of theirs
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


def candidate_terms(db: Database, places: Iterable[str], cache: dict | None = None) -> list[Candidate]:
    """The live commitments (not withdrawn or deleted, not rejected by a reviewer) owned by, shared
    with, or in a letter of a department of ``places``, what a document of those places may
    speak of: by id, each with its clause and sentence and the terms the linker read from them
    before and kept. In the order of their ids: a place may hold tens of thousands."""
    cache = {} if cache is None else cache
    found: dict[int, Candidate] = {}
    for chunk in _chunks(_department_ids(db, places, cache)):
        found.update((row[0], Candidate(*row)) for row in db.rows("candidates", {"ids": chunk}))
    return [found[i] for i in sorted(found)]


def promises(db: Database, ids: Iterable[int], cache: dict | None = None,
             terms: dict[int, Terms] | None = None) -> list[Promise]:
    """The commitments ``ids`` as the linker compares them, each with its owner and partners as
    bodies (its heading: with_headings), in the order of their ids. ``terms`` gets the terms
    kept for them, by id, where there are any."""
    cache = {} if cache is None else cache
    _departments(db, cache)
    rows: list[Any] = []
    partners: dict[int, list[Body]] = {}
    for chunk in _chunks(sorted(set(ids))):
        rows += db.rows("promises", {"ids": chunk})
        for commitment_id, department_id in db.rows("partners", {"ids": chunk}):
            found = _cached_body(cache, department_id)[0]
            if found is not None and found not in partners.get(commitment_id, ()):
                partners.setdefault(commitment_id, []).append(found)
    out = []
    for (commitment_id, text, sentence, owner_id, letter_id, due, letter_date, replying_id,
         digest, text_pairs, context_pairs, numbers, whole, context) in rows:
        owner = _cached_body(cache, owner_id)[0]
        replying = _cached_body(cache, replying_id)[0]
        place = owner.place if owner is not None and owner.place else (replying.place if replying else None)
        out.append(Promise(id=commitment_id, text=text, sentence=sentence, owner=owner,
                           partners=tuple(partners.get(commitment_id, ())), letter_date=stored_day(letter_date),
                           due=stored_day(due), place=place, letter_id=letter_id))
        if terms is not None and digest is not None:
            terms[commitment_id] = Terms(digest, text_pairs, context_pairs, numbers, bool(whole), context)
    return out


def restated(db: Database, ids: Iterable[int]) -> dict[int, int]:
    """{a commitment's id: the earlier live promise it makes again}, for those of ``ids`` that a
    later reply restated (its links found repeated, not rejected); the first when it restates several."""
    out: dict[int, int] = {}
    for chunk in _chunks(sorted(set(ids))):
        for later, earlier in db.rows("restated", {"ids": chunk}):
            out.setdefault(later, earlier)
    return out


def with_headings(db: Database, promises: list[Promise]) -> list[Promise]:
    """The promises, each with its item's heading in its letter (what the item is about)."""
    rows: list[Any] = []
    for chunk in _chunks([p.id for p in promises]):
        rows += db.rows("items", {"ids": chunk})
    headings = _headings(db, rows)
    return [replace(p, heading=headings[p.id]) if headings.get(p.id) else p for p in promises]


def _headings(db: Database, items: list) -> dict[int, str]:
    """The first sentence of each commitment's item in its letter (一是举办专题培训班，学习先进经验):
    what the item is about, when the promise itself does not say."""
    texts: dict[int, str] = {}
    for chunk in _chunks(sorted({letter_id for _, letter_id, *_ in items})):
        texts.update((letter_id, text) for letter_id, text in db.rows("letter_texts", {"ids": chunk}))
    out = {}
    for commitment_id, letter_id, item, paragraph_start, sentence_start, start in items:
        text = texts.get(letter_id, "")
        at = text.rfind(item, paragraph_start, start + 1) if item else -1
        if at < 0 or at >= sentence_start:
            continue  # the promise opens its item: it says itself what the item is about
        end = ITEM_END.search(text, at)
        out[commitment_id] = text[at + len(item):end.start() if end else start]
    return out


def save_terms(db: Database, rows: list[dict]) -> None:
    """Keep what the linker read from these promises (replacing what it read before)."""
    if not rows:
        return
    for chunk in _chunks([row["commitment_id"] for row in rows]):
        db.run("delete_terms", {"ids": chunk})
    db.run_many("insert_terms", rows)


# ---- documents ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class StoredDocument:
    """A later document as linking needs it once stored: its id, and its letter when it is a reply."""

    id: int
    letter_id: int | None


def save_document(db: Database, *, file: str, path: str, text: str, digest: str, doc_date: date | None,
                  author: str | None, letter_id: int | None, problem: str | None) -> tuple[StoredDocument, str]:
    """Store a later document, or find it again: by its text (any file name), else by its file
    name when its text changed (the changed text replaces the old). Returns it and what was done:
    added, updated or unchanged. Read, decided (document_values), then written."""
    found = next(iter(db.rows("document_by_hash", {"digest": digest})), None) if digest else None
    status = "unchanged"
    if found is None:
        found = next(iter(db.rows("document_by_file", {"file": file})), None)
        status = "updated" if found is not None else "added"
    values = document_values(status, file=file, path=path, text=text, digest=digest, doc_date=doc_date,
                             author=author, problem=problem, letter_id=letter_id,
                             stored_letter_id=found[1] if found is not None else None)
    if found is None:
        document_id = db.run("insert_document", values)
        assert document_id is not None  # an INSERT of one row
    else:
        document_id = found[0]
        db.run("update_document" if status == "unchanged" else "update_document_text",
               {"document_id": document_id, **{"set_" + name: value for name, value in values.items()}})
    if status == "updated":  # offsets into the old text no longer hold: proposals made from it go
        db.run("delete_proposed_links", {"document_id": document_id})
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


def rejected(db: Database, document: StoredDocument) -> frozenset[tuple[int, str]]:
    """(commitment id, sentence) of the links a person rejected in this document: never proposed again."""
    return frozenset((commitment_id, sentence) for commitment_id, sentence
                     in db.rows("rejected_links", {"document_id": document.id}))


def save_links(db: Database, document: StoredDocument, proposals: list[Proposal]) -> int:
    """Keep the proposals the linker made now: new ones added, proposed ones brought up to date,
    proposed ones it no longer makes removed; accepted and rejected ones stay as people left
    them. A repeated promise is tied to the later letter's own commitment in that sentence.
    Returns how many links stand for the document (all but the rejected). In bulk: a document
    may propose dozens."""
    existing = {(commitment_id, digest): (link_id, state) for link_id, commitment_id, digest, state
                in db.rows("document_links", {"document_id": document.id})}
    later = (db.rows("letter_commitments", {"letter_id": document.letter_id})
             if document.letter_id is not None else [])
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
            changed.append({"link_id": existing[key][0], **{"set_" + name: value for name, value in values.items()}})
    if new:
        db.run_many("insert_link", new)
    if changed:
        db.run_many("update_link", changed)
    gone = [link_id for key, (link_id, state) in existing.items() if key not in kept and state == PROPOSED]
    for chunk in _chunks(gone):
        db.run("delete_links", {"ids": chunk})
    return db.rows("count_links", {"document_id": document.id})[0][0]
