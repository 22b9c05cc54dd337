"""`tracker docs merge KEEP OTHER` and `tracker docs split ID`: two stored letters that are one.

When the matcher cannot tell whether a file is a stored letter (extract/identity.py), it keeps
both; a person says which are one. A merge does what importing the newer of the two over the
older would have done, without losing either:

- the kept letter (KEEP: its id, and the ids of its commitments) carries the newer version's
  text and facts (by the letter's own date, then the file's time); OTHER keeps the older
  version's, marked as a superseded version of KEEP (``letters.superseded_by_id``), out of the
  listings; the matcher takes a file with its text for KEEP's older version (store/upsert.py);
- every commitment stays with the text its offsets point into: when OTHER is the newer, the two
  letters' texts change rows and so do the commitments found in one text only, and within each
  pair of one promise (``plan.match_commitments``) the two commitments exchange what extraction
  read (text, offsets, deadline, owner), except what a person set by hand;
- of each pair the kept letter's commitment lives on, with what a person did to the other
  (done, an outcome, a review, a date or owner set by hand) when it had nothing of its own, the
  other's history, notes and evidence links; the other is deleted as its duplicate (it stays in
  `show`); a conflict (both rated, differently) keeps the kept one's and is reported;
- a commitment only the older version holds is withdrawn, as a re-import withdraws it;
- the members' ratings of OTHER move to KEEP.

``plan_merge`` decides this from plain values; ``merge`` writes it in the caller's change
(store/changes.Recorder), which records what ``unmerge`` needs: `tracker undo` and `tracker docs
split` take it back exactly. A letter an import updated in place cannot be split: an import
keeps no copy of the text it replaced.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session

from ouhai_tracker.errors import BadInput
from ouhai_tracker.i18n import _
from ouhai_tracker.store.models import (
    DELETED,
    DONE,
    NOT_YET_RATED,
    OPEN,
    PROPOSED,
    WITHDRAWN,
    Change,
    Commitment,
    Event,
    EvidenceLink,
    Letter,
    LetterFeedback,
    letter_departments,
    letter_policies,
)
from ouhai_tracker.store.plan import COMMITMENT_COLUMNS, match_commitments

MERGE = "docs merge"
# What extraction read of a letter: what the two rows exchange when the other is the newer.
LETTER_COLUMNS = ("file", "path", "content_hash", "text", "title", "kind", "addressee", "proposers", "session",
                  "replying_unit", "unit_source", "replying_department_id", "letter_date", "date_source",
                  "contact_name", "contact_phone", "class_mark", "number", "doc_number", "role", "file_modified",
                  "extracted_with", "imported_at")
# What a person may have set by hand on a commitment, in groups that go together.
DUE = ("due", "due_inferred", "due_rule")
OWNER = ("owner_id", "owner_rule", "owner_confidence")
EXTRACTED = tuple(c for c in COMMITMENT_COLUMNS if c not in DUE + OWNER)
_RANK = {WITHDRAWN: 0, OPEN: 1, DONE: 2}  # a status a person moved further wins


# ---- what is read ------------------------------------------------------------------------------

@dataclass(frozen=True)
class Side:
    """A commitment as the plan reads it."""

    id: int
    text: str
    sentence: str
    start: int
    status: str
    outcome: str
    review_state: str | None
    by_hand: frozenset[str] = frozenset()  # 'due', 'owner': set by a person (edit, a recurring done)
    values: tuple = ()  # (due, owner_id): what conflicts are told by


@dataclass(frozen=True)
class LetterSide:
    id: int
    newer_key: tuple  # (letter date, file time, path): the larger is the newer version
    commitments: tuple[Side, ...] = ()


# ---- the plan ----------------------------------------------------------------------------------

@dataclass
class MergePlan:
    keep: int
    other: int
    swap: bool  # OTHER is the newer: the two texts (and what points into them) change rows
    pairs: list[tuple[int, int]] = field(default_factory=list)  # (kept commitment, its duplicate)
    kept_by_hand: dict[int, list[str]] = field(default_factory=dict)  # pair: groups not exchanged ('due', 'owner')
    moving: list[int] = field(default_factory=list)  # found in one text only: they follow it to the other row
    arriving: list[int] = field(default_factory=list)  # the other's, only in the newer text: now the kept letter's
    take: dict[int, dict[str, int]] = field(default_factory=dict)  # survivor: {group: the duplicate to take it from}
    conflicts: list[tuple[int, int, str]] = field(default_factory=list)  # (kept, duplicate, what differs)
    withdrawn: list[int] = field(default_factory=list)  # only in the older version, open: withdrawn
    noted: list[int] = field(default_factory=list)  # only in the older version, done: a line in its history

    @property
    def newer(self) -> int:
        return self.other if self.swap else self.keep


def plan_merge(keep: LetterSide, other: LetterSide) -> MergePlan:
    """What merging ``other`` into ``keep`` does, as a re-import of the newer version over the older."""
    swap = other.newer_key > keep.newer_key
    plan = MergePlan(keep.id, other.id, swap)
    newer, older = (other, keep) if swap else (keep, other)
    pairs, left = match_commitments(list(older.commitments), list(newer.commitments))
    kept_ids = {c.id for c in keep.commitments}
    for found, stored in pairs:
        if stored is None:  # only in the newer text
            if swap:
                plan.moving.append(found.id)
                plan.arriving.append(found.id)
            continue
        k, o = (stored, found) if stored.id in kept_ids else (found, stored)
        plan.pairs.append((k.id, o.id))
        if swap:
            plan.kept_by_hand[k.id] = sorted(k.by_hand | o.by_hand)
        _reconcile(plan, k, o)
    for stored in left:  # only in the older text
        if swap:
            plan.moving.append(stored.id)
        if stored.status == OPEN:
            plan.withdrawn.append(stored.id)
        elif stored.status == DONE:
            plan.noted.append(stored.id)
    return plan


def _reconcile(plan: MergePlan, k: Side, o: Side) -> None:
    """What of the duplicate ``o`` a person did the kept ``k`` takes: what ``k`` lacks; a conflict
    (both have it, differently) keeps ``k``'s and is reported."""
    if o.status == DELETED:  # a person said it is no promise: nothing of it to keep
        return
    take: dict[str, int] = {}
    if o.status in _RANK and k.status in _RANK and _RANK[o.status] > _RANK[k.status]:
        take["status"] = o.id
    if o.outcome != NOT_YET_RATED:
        if k.outcome == NOT_YET_RATED:
            take["outcome"] = o.id
        elif k.outcome != o.outcome:
            plan.conflicts.append((k.id, o.id, "outcome"))
    if o.review_state is not None:
        if k.review_state is None:
            take["review"] = o.id
        elif k.review_state != o.review_state:
            plan.conflicts.append((k.id, o.id, "review"))
    for index, group in enumerate(("due", "owner")):
        if group in o.by_hand:
            if group not in k.by_hand:
                take[group] = o.id
            elif k.values[index] != o.values[index]:
                plan.conflicts.append((k.id, o.id, group))
    if take:
        plan.take[k.id] = take


# ---- reading and writing ------------------------------------------------------------------------

GROUPS = {"status": ("status",), "outcome": ("outcome", "outcome_on"), "review": ("review_state",),
          "due": DUE, "owner": OWNER}


def check_letters(keep: Letter, other: Letter) -> None:
    """Why the two letters cannot be merged, if they cannot."""
    if keep.id == other.id:
        raise BadInput(_("#{id} is one letter: name two letters to merge").format(id=keep.id))
    for letter in (keep, other):
        if letter.superseded_by_id is not None:
            raise BadInput(_("letter #{id} is merged into #{into} already (`tracker docs split {id}` takes it "
                             "back)").format(id=letter.id, into=letter.superseded_by_id))


def _side(session: Session, letter: Letter) -> LetterSide:
    by_hand: dict[int, set[str]] = {}
    rows = session.execute(select(Event.commitment_id, Event.field).join(Commitment).where(
        Commitment.letter_id == letter.id, Event.change_id.is_not(None), Event.field.in_(("due", "owner")))).all()
    for commitment_id, name in rows:
        by_hand.setdefault(commitment_id, set()).add(str(name))
    commitments = tuple(Side(c.id, c.text, c.sentence, c.start, c.status, c.outcome, c.review_state,
                             frozenset(by_hand.get(c.id, ())), (c.due, c.owner_id))
                        for c in letter.commitments)
    return LetterSide(letter.id, (letter.letter_date or date.min, letter.file_modified or datetime.min, letter.path),
                      commitments)


def merge(session: Session, keep: Letter, other: Letter, change) -> dict:
    """Merge ``other`` into ``keep`` in ``change`` (a Recorder): what it did, for the screen."""
    plan = plan_merge(_side(session, keep), _side(session, other))
    record = {"keep": keep.id, "other": other.id, "swap": plan.swap, "pairs": plan.pairs,
              "kept_by_hand": {str(k): v for k, v in plan.kept_by_hand.items()}, "moving": plan.moving}
    _exchange(session, record)
    commitments = {c.id: c for c in session.scalars(select(Commitment).where(
        Commitment.letter_id.in_((keep.id, other.id))))}
    change.track(*commitments.values())  # after the exchange: an undo puts these back, then exchanges again
    moved_events, moved_links, moved_later, verdicts = [], [], [], []
    for k_id, o_id in plan.pairs:
        k, o = commitments[k_id], commitments[o_id]
        for group, source in plan.take.get(k_id, {}).items():
            for column in GROUPS[group]:
                column = "owner" if column == "owner_id" else column  # the relationship, which the recorder reads
                setattr(k, column, getattr(commitments[source], column))
        ids = list(session.scalars(select(Event.id).where(Event.commitment_id == o_id)))
        session.execute(update(Event).where(Event.id.in_(ids)).values(commitment_id=k_id))
        moved_events += ids
        ids, both = _links_to_move(session, o_id, k_id)
        session.execute(update(EvidenceLink).where(EvidenceLink.id.in_(ids)).values(commitment_id=k_id))
        moved_links += ids
        for pair in both:
            _exchange_verdicts(session, *pair)
        verdicts += both
        ids = list(session.scalars(select(EvidenceLink.id).where(EvidenceLink.later_commitment_id == o_id)))
        session.execute(update(EvidenceLink).where(EvidenceLink.id.in_(ids)).values(later_commitment_id=k_id))
        moved_later += ids
        session.expire(k, ["events"])
        session.expire(o, ["events"])
        k.events.append(Event(action="merged", note=f"letter #{other.id} merged into #{keep.id}: "
                                                     f"#{o_id} is the same promise"))
        if o.status != DELETED:
            o.events.append(Event(action="deleted", field="status", old_value=o.status, new_value=DELETED,
                                  note=f"the same promise as #{k_id}: letter #{other.id} merged into #{keep.id}"))
            o.status = DELETED
    note = f"not in the newer version: letter #{other.id} merged into #{keep.id}"
    for c_id in plan.withdrawn:
        c = commitments[c_id]
        c.events.append(Event(action="withdrawn", field="status", old_value=OPEN, new_value=WITHDRAWN, note=note))
        c.status = WITHDRAWN
    for c_id in plan.noted:
        commitments[c_id].events.append(Event(action="noted", note=note))
    feedback = list(session.scalars(select(LetterFeedback.id).where(LetterFeedback.letter_id == other.id)))
    session.execute(update(LetterFeedback).where(LetterFeedback.id.in_(feedback)).values(letter_id=keep.id))
    other.superseded_by_id = keep.id
    record.update(events=moved_events, links=moved_links, later=moved_later, verdicts=verdicts, feedback=feedback,
                  hashes=[keep.content_hash, other.content_hash])
    change.data["letters"] = record
    session.flush()
    return {"keep": keep.id, "other": other.id, "file": keep.file,
            "same": len(plan.pairs), "moved": len(plan.arriving),
            "withdrawn": len(plan.withdrawn), "feedback": len(feedback), "links": len(moved_links) + len(verdicts),
            "conflicts": [{"kept": k, "duplicate": o, "what": what} for k, o, what in plan.conflicts]}


def _links_to_move(session: Session, from_id: int, to_id: int) -> tuple[list[int], list[list[int]]]:
    """The duplicate's evidence links to move to the kept commitment (it has none to the same
    sentence), and the pairs of links to one sentence where only the duplicate's was decided
    (kept's link, duplicate's link): those exchange their verdicts."""
    columns = (EvidenceLink.id, EvidenceLink.document_id, EvidenceLink.sentence_hash, EvidenceLink.state)
    has = {(row.document_id, row.sentence_hash): row for row in session.execute(
        select(*columns).where(EvidenceLink.commitment_id == to_id))}
    move, both = [], []
    for row in session.execute(select(*columns).where(EvidenceLink.commitment_id == from_id)):
        kept = has.get((row.document_id, row.sentence_hash))
        if kept is None:
            move.append(row.id)
        elif kept.state == PROPOSED and row.state != PROPOSED:
            both.append([kept.id, row.id])
    return move, both


def _exchange_verdicts(session: Session, a: int, b: int) -> None:
    """Two links to one sentence exchange what a person decided of them. Its own inverse."""
    first, second = session.get_one(EvidenceLink, a), session.get_one(EvidenceLink, b)
    for column in ("state", "decided_outcome", "decided_at"):
        x, y = getattr(first, column), getattr(second, column)
        setattr(first, column, y)
        setattr(second, column, x)


def _exchange(session: Session, record: dict) -> None:
    """When the other letter is the newer: the two letters' texts and facts change rows, and so do
    the commitments that point into them; each pair exchanges what extraction read. Its own inverse."""
    if not record["swap"]:
        return
    keep, other = session.get_one(Letter, record["keep"]), session.get_one(Letter, record["other"])
    identities = keep.identity, other.identity
    keep.identity = other.identity = None
    session.flush()  # a unique column: never the same value on two rows, even for a moment
    for column in LETTER_COLUMNS:
        column = "replying_department" if column == "replying_department_id" else column
        a, b = getattr(keep, column), getattr(other, column)
        setattr(keep, column, b)
        setattr(other, column, a)
    keep.identity, other.identity = identities[1], identities[0]
    for table in (letter_policies, letter_departments):
        rows = session.execute(select(table).where(table.c.letter_id.in_((keep.id, other.id)))).mappings().all()
        session.execute(delete(table).where(table.c.letter_id.in_((keep.id, other.id))))
        flipped = [{**row, "letter_id": other.id if row["letter_id"] == keep.id else keep.id} for row in rows]
        if flipped:
            session.execute(insert(table), flipped)
    commitments = {c.id: c for c in session.scalars(select(Commitment).where(
        Commitment.id.in_([i for pair in record["pairs"] for i in pair] + record["moving"])))}
    for c_id in record["moving"]:
        c = commitments[c_id]
        c.letter = other if c.letter_id == keep.id else keep
    for k_id, o_id in record["pairs"]:
        k, o = commitments[k_id], commitments[o_id]
        kept = record["kept_by_hand"].get(str(k_id), [])
        columns = EXTRACTED + (() if "due" in kept else DUE) + (() if "owner" in kept else OWNER)
        for column in columns:
            column = {"start_offset": "start", "end_offset": "end", "owner_id": "owner"}.get(column, column)
            a, b = getattr(k, column), getattr(o, column)
            setattr(k, column, b)
            setattr(o, column, a)
    session.flush()


def unmerge(session: Session, change: Change, record: dict, refuse) -> None:
    """Take a merge back (after its commitments' columns were put back): every row where it was."""
    keep, other = session.get(Letter, record["keep"]), session.get(Letter, record["other"])
    if keep is None or other is None or other.superseded_by_id != keep.id:
        refuse(change, _("letter #{id} is no longer merged into #{into}").format(id=record["other"],
                                                                                   into=record["keep"]))
        return
    for letter, was in zip((keep, other), record["hashes"]):
        if letter.content_hash != was:
            refuse(change, _("letter #{id} holds another text since (imported again, or merged)").format(
                id=letter.id))
    session.execute(update(LetterFeedback).where(LetterFeedback.id.in_(record["feedback"])).values(
        letter_id=other.id))
    back = dict(record["pairs"])  # kept -> its duplicate
    for event_id, now in session.execute(select(Event.id, Event.commitment_id).where(
            Event.id.in_(record["events"]))).all():
        session.execute(update(Event).where(Event.id == event_id).values(commitment_id=back.get(now, now)))
    for pair in record.get("verdicts", []):
        _exchange_verdicts(session, *pair)
    for column, ids in (("commitment_id", record["links"]), ("later_commitment_id", record["later"])):
        for link in session.scalars(select(EvidenceLink).where(EvidenceLink.id.in_(ids))):
            duplicate = back.get(getattr(link, column))
            if duplicate is not None:
                setattr(link, column, duplicate)
    other.superseded_by_id = None
    session.flush()
    _exchange(session, record)
    session.expire_all()


# ---- split ----------------------------------------------------------------------------------------

def merge_to_split(session: Session, letter: Letter) -> Change:
    """The merge `tracker docs split` takes back for ``letter`` (a superseded version, or the letter
    one version was merged into), or why there is none."""
    merges = [c for c in session.scalars(select(Change).where(Change.command == MERGE, Change.undone_by_id.is_(None))
                                         .order_by(Change.id.desc()))
              if letter.id in ((c.data or {}).get("letters", {}).get("keep"), (c.data or {}).get("letters", {}).get("other"))]
    if letter.superseded_by_id is not None:
        found = [c for c in merges if c.data["letters"]["other"] == letter.id]
        if found:
            return found[0]
    else:
        found = [c for c in merges if c.data["letters"]["keep"] == letter.id]
        if len(found) > 1:
            raise BadInput(_("several letters were merged into #{id} ({ids}): name the one to split off").format(
                id=letter.id, ids=", ".join(f"#{c.data['letters']['other']}" for c in found)))
        if found:
            return found[0]
    updated = session.execute(select(Event.note, Event.at).join(Commitment).where(
        Commitment.letter_id == letter.id, Event.action.in_(("updated", "withdrawn", "restored")),
        Event.change_id.is_(None)).order_by(Event.id.desc()).limit(1)).first()
    if updated is not None:
        raise BadInput(_("letter #{id} cannot be split: an import updated it in place ({note}, {at}), and an "
                         "import keeps no copy of the text it replaced; its commitments' history (`tracker show "
                         "ID`) keeps what each said before").format(id=letter.id, note=updated.note,
                                                                     at=updated.at.isoformat(sep=" ")))
    raise BadInput(_("letter #{id} is one letter: nothing was merged into it and no import updated it").format(
        id=letter.id))
