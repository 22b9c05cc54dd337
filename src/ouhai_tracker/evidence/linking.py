"""A later document linked to the stored promises: the index of the promises its places own,
read from the store once and kept for the documents of the same places, then its links proposed
and stored. Through the database of the Tracker's transaction (change_write.Database: SQLAlchemy's,
or the standard library's on a SQLite file); the reads and writes are store/link_store.py's, the
matching link.py's.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from ouhai_tracker.evidence.link import (
    TermIndex,
    digest_of,
    from_stored,
    link,
    read_promise,
    read_sentence,
    sentence_pairs,
    stored_terms,
)
from ouhai_tracker.extract.model import content_hash
from ouhai_tracker.store import link_store as store

if TYPE_CHECKING:
    from ouhai_tracker.store.change_write import Database


def promise_index(db: Database, places, sentences: list, indexes: dict) -> TermIndex:
    """The index of the promises of ``places`` for these sentences (of the documents of those
    places), with the promises they reach read: from the terms the store kept; the promises
    never read, or read from another text or under other rules, are read now (with their
    headings) and kept for the next time."""
    cache = indexes["departments"]
    rows = store.candidate_terms(db, places, cache)
    unread = [row.id for row in rows if row.digest is None or row.digest != digest_of(row.text, row.sentence)]
    fresh = [read_promise(p) for p in store.with_headings(db, store.promises(db, unread, cache))]
    store.save_terms(db, [stored_terms(read) for read in fresh])
    read_now = {read.promise.id: read for read in fresh}
    terms = ((row.id, (read_now[row.id].text_pairs | read_now[row.id].context_pairs) if row.id in read_now
              else f"{row.text_pairs} {row.context_pairs}".split()) for row in rows)
    index = TermIndex(terms, sentence_pairs(sentences))
    index.add(read_now.values())
    read_reached(db, index, sentences, indexes)
    return index


def read_reached(db: Database, index: TermIndex, sentences: list, indexes: dict) -> set[int]:
    """Give ``index`` the promises ``sentences`` reach that it has not been given: read from
    the terms the store kept (the index was built from them). Returns the ids of all they reach."""
    reached = index.reached(sentences)
    wanted = reached - index.read.keys()
    if wanted:
        kept: dict = {}
        promises = store.promises(db, wanted, indexes["departments"], kept)
        index.add(from_stored(p, kept[p.id]) for p in promises)
    return reached


def originals(db: Database, index: TermIndex, reached: set[int], indexes: dict) -> dict:
    """{id: the earlier promise} for the promises ``reached`` that a later reply made again
    (restated an earlier promise): a report on the promise made again reports on the first.
    The first ones the index has not been given are read now (a few)."""
    restated = store.restated(db, reached)
    missing = set(restated.values()) - index.read.keys()
    if missing:
        index.add(read_promise(p) for p in store.with_headings(
            db, store.promises(db, missing, indexes["departments"])))
    return {later: index.read[earlier] for later, earlier in restated.items()}


def link_document(db: Database, item: dict, indexes: dict) -> dict:
    """Store one later document and propose its links, in ``db``'s transaction. ``indexes`` keeps
    the index of the last places linked, and ``indexes["sentences"]`` may give, by places, the
    sentences of every document of those places to come: one index serves them all."""
    text = item["text"]
    letter = item["letter"]
    letter_id = letter.letter_id if letter is not None and letter.ok else None
    later = item["later"]
    document, status = store.save_document(
        db, file=item["file"], path=item["path"], text=text, digest=content_hash(text) if text else "",
        doc_date=later.date if later else None, author=later.author.name if later and later.author else None,
        letter_id=letter_id, problem=item["problem"])
    proposals = []
    if later is not None and later.sentences:
        sentences = item.get("sentences") or [read_sentence(s) for s in later.sentences]
        key, index = later.places, indexes.get("index")
        # One at a time: the documents come grouped by their places.
        if index is None or indexes["key"] != key or not sentence_pairs(sentences) <= index.wanted:
            indexes["key"] = key
            indexes["index"] = promise_index(
                db, key, indexes.get("sentences", {}).get(key, sentences), indexes)
        reached = read_reached(db, indexes["index"], sentences, indexes)
        proposals = link(later, indexes["index"], rejected=store.rejected(db, document),
                         exclude_letter=document.letter_id, sentences=sentences,
                         restated=originals(db, indexes["index"], reached, indexes))
    count = store.save_links(db, document, proposals)
    return {"file": item["file"], "path": item["path"], "document": document.id,
            "kind": "letter" if letter_id is not None else "document", "status": status,
            "links": count, "problem": item["problem"],
            "letter": letter.to_dict() if letter is not None else None}
