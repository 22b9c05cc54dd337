"""The statements linking a later document runs (store/linking.py), declared once from the
models. The SQLAlchemy path runs them on a session's connection (change_sql.Connected);
scripts/generate_fast_sql.py compiles them for SQLite's stdlib path (fast_sql.LINK).

A list of ids is one expanding parameter, ``ids``: SQLAlchemy writes it out on its path, the
stdlib path's driver (fastwrite.SqliteFile) on the other.
"""
from __future__ import annotations

from sqlalchemy import BindParameter, and_, bindparam, delete, func, insert, or_, select, union, update

from ouhai_tracker.evidence.model import REPEATED
from ouhai_tracker.store.literal import constant
from ouhai_tracker.store.models import Base
from ouhai_tracker.store.states import GONE, LINK_REJECTED, PROPOSED, REJECTED

TABLES = Base.metadata.tables
COMMITMENTS, LETTERS, PARTNERS = TABLES["commitments"], TABLES["letters"], TABLES["commitment_partners"]
DEPARTMENTS, TERMS = TABLES["departments"], TABLES["evidence_terms"]
DOCUMENTS, LINKS = TABLES["evidence_documents"], TABLES["evidence_links"]
C, L, T, D, K = COMMITMENTS.c, LETTERS.c, TERMS.c, DOCUMENTS.c, LINKS.c
IDS: BindParameter[list[int]] = bindparam("ids", expanding=True)

# The columns each row is written with, in the order store/linking.py gives them.
TERM_COLUMNS = ("commitment_id", "digest", "text_pairs", "context_pairs", "numbers", "whole", "context")
DOCUMENT_COLUMNS = ("file", "path", "title", "doc_date", "author", "problem", "letter_id")
TEXT_COLUMNS = ("text", "content_hash", "imported_at")  # only when the document's text is new
LINK_COLUMNS = ("start_offset", "end_offset", "sentence", "outcome", "confidence", "reason", "later_commitment_id")
NEW_LINK_COLUMNS = ("commitment_id", "document_id", "sentence_hash", "state", "created_at")


def _values(columns, prefix: str = "") -> dict:
    # An update's parameters are prefixed: SQLAlchemy keeps a column's own name for its SET.
    return {name: bindparam(prefix + name) for name in columns}


# The commitments owned by, shared with, or in a letter of the departments ``ids``: three indexed
# look-ups in one statement, not one OR the database answers by reading every commitment.
_THEIRS = union(select(C.id).where(C.owner_id.in_(IDS)),
                select(PARTNERS.c.commitment_id).where(PARTNERS.c.department_id.in_(IDS)),
                select(C.id).where(C.letter_id.in_(select(L.id).where(L.replying_department_id.in_(IDS)))))
# Live: not withdrawn or deleted, not rejected by a reviewer.
_LIVE = (C.status.not_in([constant(status) for status in GONE]),
         or_(C.review_state.is_(None), C.review_state != constant(REJECTED)))

STATEMENTS = {
    # every department, as the linker places it (store/linking.Department's fields)
    "departments": select(DEPARTMENTS.c.id, DEPARTMENTS.c.name, DEPARTMENTS.c.place, DEPARTMENTS.c.level,
                          DEPARTMENTS.c.functions).order_by(DEPARTMENTS.c.id),
    # the candidates of departments ``ids``, with the terms kept for them (None when never read)
    "candidates": (select(C.id, C.text, C.sentence, T.digest, T.text_pairs, T.context_pairs)
                   .outerjoin(TERMS, T.commitment_id == C.id)
                   .where(C.id.in_(_THEIRS), *_LIVE)),
    # the commitments ``ids`` as the linker compares them, with their terms (store/linking.promises)
    "promises": (select(C.id, C.text, C.sentence, C.owner_id, C.letter_id, C.due, L.letter_date,
                        L.replying_department_id, T.digest, T.text_pairs, T.context_pairs, T.numbers, T.whole,
                        T.context)
                 .join(LETTERS, C.letter_id == L.id)
                 .outerjoin(TERMS, T.commitment_id == C.id)
                 .where(C.id.in_(IDS)).order_by(C.id)),
    "partners": (select(PARTNERS.c.commitment_id, PARTNERS.c.department_id)
                 .where(PARTNERS.c.commitment_id.in_(IDS)).order_by(PARTNERS.c.id)),
    # where each commitment of an item stands in its letter, to find the item's heading
    "items": (select(C.id, C.letter_id, C.item, C.paragraph_start, C.sentence_start, C.start_offset)
              .where(C.id.in_(IDS), C.item.is_not(None))),
    "letter_texts": select(L.id, L.text).where(L.id.in_(IDS)),
    # the live earlier promises that the commitments ``ids`` make again (links found repeated, not rejected)
    "restated": (select(K.later_commitment_id, K.commitment_id)
                 .join(COMMITMENTS, C.id == K.commitment_id)
                 .where(K.later_commitment_id.in_(IDS), K.state != constant(LINK_REJECTED),
                        or_(and_(K.decided_outcome.is_(None), K.outcome == constant(REPEATED)),
                            K.decided_outcome == constant(REPEATED)), *_LIVE)
                 .order_by(K.commitment_id)),
    "delete_terms": delete(TERMS).where(T.commitment_id.in_(IDS)),
    "insert_terms": insert(TERMS).values(_values(TERM_COLUMNS)),
    # a later document: found by its text (the first stored), else by its file name (the latest)
    "document_by_hash": select(D.id, D.letter_id).where(D.content_hash == bindparam("digest")).order_by(D.id),
    "document_by_file": select(D.id, D.letter_id).where(D.file == bindparam("file")).order_by(D.id.desc()),
    "insert_document": insert(DOCUMENTS).values(_values(DOCUMENT_COLUMNS + TEXT_COLUMNS)),
    "update_document": (update(DOCUMENTS).where(D.id == bindparam("document_id"))
                        .values(_values(DOCUMENT_COLUMNS, "set_"))),
    "update_document_text": (update(DOCUMENTS).where(D.id == bindparam("document_id"))
                             .values(_values(DOCUMENT_COLUMNS + TEXT_COLUMNS, "set_"))),
    # its links: what a person rejected, what stands, the later letter's own commitments
    "delete_proposed_links": delete(LINKS).where(K.document_id == bindparam("document_id"),
                                                 K.state == constant(PROPOSED)),
    "rejected_links": select(K.commitment_id, K.sentence).where(K.document_id == bindparam("document_id"),
                                                                K.state == constant(LINK_REJECTED)),
    "document_links": (select(K.id, K.commitment_id, K.sentence_hash, K.state)
                       .where(K.document_id == bindparam("document_id"))),
    "letter_commitments": (select(C.id, C.start_offset, C.end_offset)
                           .where(C.letter_id == bindparam("letter_id"))),
    "insert_link": insert(LINKS).values(_values(LINK_COLUMNS + NEW_LINK_COLUMNS)),
    "update_link": update(LINKS).where(K.id == bindparam("link_id")).values(_values(LINK_COLUMNS, "set_")),
    "delete_links": delete(LINKS).where(K.id.in_(IDS)),
    "count_links": (select(func.count()).select_from(LINKS)
                    .where(K.document_id == bindparam("document_id"), K.state != constant(LINK_REJECTED))),
}
