"""The linker's view of stored rows, and the rows its proposals become: departments as bodies,
commitments as promises, items' headings, the links to add, change and remove. No SQL and no
SQLAlchemy here: store/evidence.py (any database) and fastevidence.py (SQLite, without
SQLAlchemy) read and write with these, so that both paths mean the same."""
from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from typing import Any, NamedTuple

from ouhai_tracker.evidence.model import Body, Promise, Proposal
from ouhai_tracker.store.states import PROPOSED

ITEM_END = re.compile("[。！？\n]")
CHUNK = 2000  # ids in one IN (...): well under SQLite's and PostgreSQL's limits on parameters


class DepartmentRow(NamedTuple):
    """What the linker reads of a department (a stored row, or the model itself: the same names)."""

    id: int
    name: str
    place: str | None
    level: str | None
    functions: str


def sentence_hash(sentence: str) -> str:
    """A sentence's identity across re-imports: its text without spaces."""
    return hashlib.sha256("".join(sentence.split()).encode("utf-8")).hexdigest()


def title_of(text: str) -> str | None:
    """A later document's title: its first line."""
    return next((line.strip() for line in text.splitlines() if line.strip()), None)


def _innermost(place: str | None) -> str | None:
    from ouhai_tracker.evidence.later import innermost

    return innermost(place)


def body(d: Any) -> Body | None:
    """A department as the linker compares it, placed by the deepest place its full name states
    (安澜市江北区市场监督管理局 is 江北区's), else by its place."""
    if d is None:
        return None
    from ouhai_tracker.extract.departments import place_chain

    chain = place_chain(d.name)
    place = max(chain.values(), key=len) if chain else d.place
    return Body(d.name, _innermost(place), d.level, tuple(d.functions.split()))


def cached_body(cache: dict, department_id: int | None) -> tuple[Body | None, str | None]:
    """A department of ``cache["departments"]`` as a body, and its own place's innermost part
    (read once per cache)."""
    bodies = cache.setdefault("bodies", {})
    if department_id not in bodies:
        d = cache["departments"].get(department_id)
        bodies[department_id] = (body(d), _innermost(d.place)) if d is not None else (None, None)
    return bodies[department_id]


def department_ids(cache: dict, places: Iterable[str]) -> list[int]:
    """The departments of ``cache["departments"]`` (by id) at ``places`` (as body() places them)."""
    wanted = set(places)
    ids = []
    for i, d in cache["departments"].items():  # a name or place that holds none of the places is none of theirs
        if any(place[:-1] in d.name or (d.place and place[:-1] in d.place) for place in wanted):
            found, place = cached_body(cache, i)
            if found is not None and (found.place in wanted or place in wanted):
                ids.append(i)
    return ids


def promise_of(row: Any, cache: dict, partners: dict[int, list[Body]]) -> Promise:
    """A commitment row (id, text, sentence, owner_id, letter_id, due, letter_date,
    replying_department_id; dates as dates) as the linker compares it."""
    owner = cached_body(cache, row.owner_id)[0]
    replying = cached_body(cache, row.replying_department_id)[0]
    place = owner.place if owner is not None and owner.place else (replying.place if replying else None)
    return Promise(id=row.id, text=row.text, sentence=row.sentence, owner=owner,
                   partners=tuple(partners.get(row.id, ())), letter_date=row.letter_date, due=row.due,
                   place=place, letter_id=row.letter_id)


def add_partner(partners: dict[int, list[Body]], cache: dict, commitment_id: int, department_id: int) -> None:
    found = cached_body(cache, department_id)[0]
    if found is not None and found not in partners.get(commitment_id, ()):
        partners.setdefault(commitment_id, []).append(found)


def headings(commitments: Iterable[Any], texts: dict[int, str]) -> dict[int, str]:
    """The first sentence of each commitment's item in its letter (一是举办专题培训班，学习先进经验):
    what the item is about, when the promise itself does not say. ``commitments``: rows of
    id, letter_id, item, paragraph_start, sentence_start, start; ``texts``: the letters' texts."""
    out = {}
    for c in commitments:
        text = texts.get(c.letter_id, "")
        at = text.rfind(c.item, c.paragraph_start, c.start + 1) if c.item else -1
        if at < 0 or at >= c.sentence_start:
            continue  # the promise opens its item: it says itself what the item is about
        end = ITEM_END.search(text, at)
        out[c.id] = text[at + len(c.item):end.start() if end else c.start]
    return out


def plan_links(document_id: int, existing: dict[tuple[int, str], tuple[int, str]],
               later: list[tuple[int, int, int]], proposals: list[Proposal],
               created_at: Any) -> tuple[list[dict], list[dict], list[int]]:
    """What the proposals made now do to a document's links: (rows to add, rows to change, ids to
    remove). New ones are added, proposed ones brought up to date, proposed ones the linker no
    longer makes removed; accepted and rejected ones stay as people left them. ``existing``:
    {(commitment id, sentence hash): (link id, state)}; ``later``: the later letter's own
    commitments (id, start, end), one of which a repeated promise is tied to."""
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
            new.append({**values, "commitment_id": p.commitment, "document_id": document_id,
                        "sentence_hash": key[1], "state": PROPOSED, "created_at": created_at})
        elif existing[key][1] == PROPOSED:
            changed.append({**values, "link_id": existing[key][0]})
    gone = [link_id for key, (link_id, state) in existing.items() if key not in kept and state == PROPOSED]
    return new, changed, gone
