"""The links proposed from later documents, as `tracker evidence`, `show`, `stats` and the
reports read them: the earlier promise beside the later sentence, what people decided, and the
promises made again. What linking reads and writes is store/link_store.py's.
"""
from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Select, and_, or_, select
from sqlalchemy.orm import Session, aliased

from ouhai_tracker.store.link_store import CHUNK
from ouhai_tracker.store.literal import constant
from ouhai_tracker.store.models import (
    LINK_REJECTED,
    Commitment,
    Department,
    EvidenceDocument,
    EvidenceLink,
    Letter,
)

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
