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

``plan_merge`` decides this from plain values and ``merge`` makes it a change plan (written by
change_write.write) whose record holds what ``unmerge`` needs: `tracker undo` and `tracker docs
split` take it back exactly. A letter an import updated in place cannot be split: an import
keeps no copy of the text it replaced.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from ouhai_tracker.errors import BadInput
from ouhai_tracker.i18n import _
from ouhai_tracker.store.change_plan import COLUMNS, ChangePlan, Write, history_line, now
from ouhai_tracker.store.change_write import Database
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
    Letter,
)
from ouhai_tracker.store.plan import COMMITMENT_COLUMNS, match_commitments
from ouhai_tracker.store.undo_plan import Now, Recorded, put_back, refuse

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
# What a merge reads comes through change_write.Database (named statements, change_sql.py); what
# it writes is a change plan, written by change_write.write; undoing it is planned here too.

GROUPS = {"status": ("status",), "outcome": ("outcome", "outcome_on"), "review": ("review_state",),
          "due": DUE, "owner": OWNER}
# A commitment's columns as a merge reads them (change_sql's select_commitment_row, in order).
ROW_COLUMNS = ("id", "letter_id", *COMMITMENT_COLUMNS, "status", "outcome", "outcome_on", "review_state")
LETTER_ROW = ("id", *LETTER_COLUMNS, "identity", "superseded_by_id")  # select_letter_row's
TABLES = {"letter_policies": "policy_id", "letter_departments": "department_id"}  # a letter's rows elsewhere


def check_letters(keep: Letter, other: Letter) -> None:
    """Why the two letters cannot be merged, if they cannot."""
    if keep.id == other.id:
        raise BadInput(_("#{id} is one letter: name two letters to merge").format(id=keep.id))
    for letter in (keep, other):
        if letter.superseded_by_id is not None:
            raise BadInput(_("letter #{id} is merged into #{into} already (`tracker docs split {id}` takes it "
                             "back)").format(id=letter.id, into=letter.superseded_by_id))


@dataclass
class Rows:
    """The rows of two letters a merge (or its undoing) changes, as plain values: read, then
    changed here as the writes it plans will change them."""

    letters: dict[int, dict]
    commitments: dict[int, dict]
    tables: dict[str, list[tuple[int, int]]]  # letter_policies, letter_departments: (letter id, other id)


def _read(db: Database, keep: int, other: int, commitment_ids: list[int] | None = None) -> Rows:
    letters = {i: dict(zip(LETTER_ROW, db.rows("select_letter_row", {"id": i})[0])) for i in (keep, other)}
    if commitment_ids is None:
        found = db.rows("select_letters_commitments", {"keep": keep, "other": other})
    else:
        found = [row for i in commitment_ids for row in db.rows("select_commitment_row", {"id": i})]
    commitments = {row[0]: dict(zip(ROW_COLUMNS, row)) for row in found}
    tables = {table: [(letter_id, row[0]) for letter_id in (keep, other)
                      for row in db.rows(f"select_{table}_of", {"letter_id": letter_id})] for table in TABLES}
    return Rows(letters, commitments, tables)


def _side(db: Database, rows: Rows, letter_id: int) -> LetterSide:
    by_hand: dict[int, set[str]] = {}
    for commitment_id, name in db.rows("select_by_hand", {"letter_id": letter_id}):
        by_hand.setdefault(commitment_id, set()).add(str(name))
    letter = rows.letters[letter_id]
    commitments = tuple(Side(c["id"], c["text"], c["sentence"], c["start_offset"], c["status"], c["outcome"],
                             c["review_state"], frozenset(by_hand.get(c["id"], ())), (c["due"], c["owner_id"]))
                        for c in sorted(rows.commitments.values(), key=lambda c: c["id"]) if c["letter_id"] == letter_id)
    return LetterSide(letter_id, (letter["letter_date"] or date.min, letter["file_modified"] or datetime.min,
                                  letter["path"]), commitments)


def _stored(value):
    return value.isoformat() if isinstance(value, date) else value


def merge(db: Database, keep: int, other: int, target: str) -> ChangePlan:
    """Merging letter ``other`` into ``keep``, planned: its answer is what it did, for the screen."""
    rows = _read(db, keep, other)
    plan = plan_merge(_side(db, rows, keep), _side(db, rows, other))
    change = ChangePlan(MERGE, target, now())
    record = {"keep": keep, "other": other, "swap": plan.swap, "pairs": plan.pairs,
              "kept_by_hand": {str(k): v for k, v in plan.kept_by_hand.items()}, "moving": plan.moving}
    change.writes += _exchange(rows, record)
    # After the exchange: an undo puts these back, then exchanges again.
    before = {i: {column: _stored(c[column]) for column in COLUMNS} for i, c in rows.commitments.items()}
    moved_events: list[int] = []
    moved_links: list[int] = []
    moved_later: list[int] = []
    verdicts: list[list[int]] = []
    commitments = rows.commitments
    for k_id, o_id in plan.pairs:
        k, o = commitments[k_id], commitments[o_id]
        for group, source in plan.take.get(k_id, {}).items():
            for column in GROUPS[group]:
                k[column] = commitments[source][column]
        ids = [row[0] for row in db.rows("select_event_ids_of", {"commitment_id": o_id})]
        change.writes += [Write("update_event", {"_id": i, "commitment_id": k_id}) for i in ids]
        moved_events += ids
        ids, both = _links_to_move(db, o_id, k_id)
        change.writes += [Write("update_link", {"_id": i, "commitment_id": k_id}) for i in ids]
        moved_links += ids
        for pair in both:
            change.writes += _exchange_verdicts(db, *pair)
        verdicts += both
        ids = [row[0] for row in db.rows("select_later_links_of", {"commitment_id": o_id})]
        change.writes += [Write("update_link", {"_id": i, "later_commitment_id": k_id}) for i in ids]
        moved_later += ids
        change.events.append(history_line(k_id, "merged", note=f"letter #{other} merged into #{keep}: "
                                                                f"#{o_id} is the same promise"))
        if o["status"] != DELETED:
            change.events.append(history_line(o_id, "deleted", "status", o["status"], DELETED,
                                              f"the same promise as #{k_id}: letter #{other} merged into #{keep}"))
            o["status"] = DELETED
    note = f"not in the newer version: letter #{other} merged into #{keep}"
    for c_id in plan.withdrawn:
        change.events.append(history_line(c_id, "withdrawn", "status", OPEN, WITHDRAWN, note))
        commitments[c_id]["status"] = WITHDRAWN
    for c_id in plan.noted:
        change.events.append(history_line(c_id, "noted", note=note))
    changed: dict[str, dict] = {}
    for i, c in commitments.items():
        columns = {column: [before[i][column], _stored(c[column])] for column in COLUMNS
                   if before[i][column] != _stored(c[column])}
        if columns:
            changed[str(i)] = columns
            change.writes.append(Write("update_commitment_columns", {"_id": i, **{column: c[column]
                                                                                   for column in columns}}))
    feedback = [row[0] for row in db.rows("select_feedback_of", {"letter_id": other})]
    change.writes += [Write("update_feedback", {"_id": i, "letter_id": keep}) for i in feedback]
    change.writes.append(Write("update_letter", {"_id": other, "superseded_by_id": keep}))
    record.update(events=moved_events, links=moved_links, later=moved_later, verdicts=verdicts, feedback=feedback,
                  hashes=[rows.letters[keep]["content_hash"], rows.letters[other]["content_hash"]])
    change.data["letters"] = record
    if changed:
        change.data["commitments"] = changed
    change.answer = {"keep": keep, "other": other, "file": rows.letters[keep]["file"],
                     "same": len(plan.pairs), "moved": len(plan.arriving), "withdrawn": len(plan.withdrawn),
                     "feedback": len(feedback), "links": len(moved_links) + len(verdicts),
                     "conflicts": [{"kept": k, "duplicate": o, "what": what} for k, o, what in plan.conflicts]}
    return change


LINK_COLUMNS = ("id", "document_id", "sentence_hash", "state", "decided_outcome", "decided_at")


def _links(db: Database, commitment_id: int) -> list[dict]:
    return [dict(zip(LINK_COLUMNS, row)) for row in db.rows("select_links_of", {"commitment_id": commitment_id})]


def _links_to_move(db: Database, from_id: int, to_id: int) -> tuple[list[int], list[list[int]]]:
    """The duplicate's evidence links to move to the kept commitment (it has none to the same
    sentence), and the pairs of links to one sentence where only the duplicate's was decided
    (kept's link, duplicate's link): those exchange their verdicts."""
    has = {(row["document_id"], row["sentence_hash"]): row for row in _links(db, to_id)}
    move, both = [], []
    for row in _links(db, from_id):
        kept = has.get((row["document_id"], row["sentence_hash"]))
        if kept is None:
            move.append(row["id"])
        elif kept["state"] == PROPOSED and row["state"] != PROPOSED:
            both.append([kept["id"], row["id"]])
    return move, both


def _exchange_verdicts(db: Database, a: int, b: int) -> list[Write]:
    """Two links to one sentence exchange what a person decided of them. Its own inverse."""
    first, second = (dict(zip(("state", "decided_outcome", "decided_at"), db.rows("select_verdict_of", {"id": i})[0]))
                     for i in (a, b))
    return [Write("update_link", {"_id": a, **second}), Write("update_link", {"_id": b, **first})]


def _exchange(rows: Rows, record: dict) -> list[Write]:
    """When the other letter is the newer: the two letters' texts and facts change rows, and so do
    the commitments that point into them; each pair exchanges what extraction read. Its own
    inverse. ``rows`` become what the writes make them."""
    if not record["swap"]:
        return []
    keep_id, other_id = record["keep"], record["other"]
    keep, other = rows.letters[keep_id], rows.letters[other_id]
    # identity is unique: never the same value on two rows, even for a moment
    writes = [Write("update_letter", {"_id": keep_id, "identity": None})]
    for letter_id, values in ((other_id, keep), (keep_id, other)):
        writes.append(Write("update_letter", {"_id": letter_id, **{column: values[column]
                                                                   for column in (*LETTER_COLUMNS, "identity")}}))
    for column in (*LETTER_COLUMNS, "identity"):
        keep[column], other[column] = other[column], keep[column]
    flip = {keep_id: other_id, other_id: keep_id}
    for table, column in TABLES.items():
        writes += [Write(f"delete_{table}_of", {"letter_id": letter_id}) for letter_id in (keep_id, other_id)]
        rows.tables[table] = [(flip[letter_id], value) for letter_id, value in rows.tables[table]]
        writes += [Write(f"insert_{table}_row", {"letter_id": letter_id, column: value})
                   for letter_id, value in rows.tables[table]]
    commitments = rows.commitments
    for c_id in record["moving"]:
        commitments[c_id]["letter_id"] = flip[commitments[c_id]["letter_id"]]
        writes.append(Write("update_commitment_columns", {"_id": c_id, "letter_id": commitments[c_id]["letter_id"]}))
    for k_id, o_id in record["pairs"]:
        k, o = commitments[k_id], commitments[o_id]
        kept = record["kept_by_hand"].get(str(k_id), [])
        columns = EXTRACTED + (() if "due" in kept else DUE) + (() if "owner" in kept else OWNER)
        for column in columns:
            k[column], o[column] = o[column], k[column]
        writes += [Write("update_commitment_columns", {"_id": i, **{column: row[column] for column in columns}})
                   for i, row in ((k_id, k), (o_id, o))]
    return writes


def unmerge(db: Database, change: Recorded, record: dict, now: Now) -> list[Write]:
    """Taking a merge back: its commitments' columns put back (undo_plan.put_back), then every
    row where it was."""
    writes = put_back(change, now)
    keep_id, other_id = record["keep"], record["other"]
    letters = {i: db.rows("select_letter_row", {"id": i}) for i in (keep_id, other_id)}
    if not letters[keep_id] or not letters[other_id] or \
            dict(zip(LETTER_ROW, letters[other_id][0]))["superseded_by_id"] != keep_id:
        refuse(change, _("letter #{id} is no longer merged into #{into}").format(id=other_id, into=keep_id))
    for letter_id, was in zip((keep_id, other_id), record["hashes"]):
        if dict(zip(LETTER_ROW, letters[letter_id][0]))["content_hash"] != was:
            refuse(change, _("letter #{id} holds another text since (imported again, or merged)").format(
                id=letter_id))
    writes += [Write("update_feedback", {"_id": i, "letter_id": other_id}) for i in record["feedback"]]
    back = dict(record["pairs"])  # kept -> its duplicate
    for event_id in record["events"]:
        for (now_on,) in db.rows("select_event_commitment", {"id": event_id}):
            writes.append(Write("update_event", {"_id": event_id, "commitment_id": back.get(now_on, now_on)}))
    for pair in record.get("verdicts", []):
        writes += _exchange_verdicts(db, *pair)
    for column, ids in (("commitment_id", record["links"]), ("later_commitment_id", record["later"])):
        for link_id in ids:
            for (points_to,) in db.rows(f"select_link_{column}", {"id": link_id}):
                if back.get(points_to) is not None:
                    writes.append(Write("update_link", {"_id": link_id, column: back[points_to]}))
    writes.append(Write("update_letter", {"_id": other_id, "superseded_by_id": None}))
    if record["swap"]:
        rows = _read(db, keep_id, other_id, [i for pair in record["pairs"] for i in pair] + record["moving"])
        for write in writes:  # the columns as put back above, which the exchange exchanges
            if write.statement == "update_commitment_columns" and write.params["_id"] in rows.commitments:
                rows.commitments[write.params["_id"]].update(
                    {name: value for name, value in write.params.items() if name != "_id"})
        writes += _exchange(rows, record)
    return writes


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
