"""A person's changes beside the commitments' columns, decided in plain Python: a setting
(`config set`, `config unset`), a member's rating of a letter (`feedback`), a department's
alias (`depts alias`), a verdict on a proposed evidence link, a merge of two departments (`depts
merge`).

Each reads what it needs first (through change_write.Database), is decided here as a
change_plan.ChangePlan (the rows it writes, the events, the change's data that store/changes.py
reads to undo it, its answer), and is written by change_write.write, as the commitments' changes
are. Kept apart from change_plan.py, which `tracker done` loads on its fast path.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from ouhai_tracker.errors import BadInput, BadOption
from ouhai_tracker.i18n import _
from ouhai_tracker.store.change_plan import (
    ChangePlan,
    State,
    Write,
    check_not_deleted,
    history_line,
    iso_day,
    now,
    rate_step,
)


def plan_setting(key: str, value: str, old: str | None) -> ChangePlan:
    """`config set`: ``old`` is the value stored now (None: not set). Set again as it was, nothing to undo."""
    change = ChangePlan("config set", f"{key} {value}", now(), answer=old)
    if old != value:
        change.data["setting"] = {"key": key, "before": old, "after": value}
        change.writes.append(setting_write(key, old, value))
    return change


def plan_unset(key: str, old: str | None) -> ChangePlan:
    """`config unset`: back to the default; a key not set is refused."""
    from ouhai_tracker.errors import NotFound

    if old is None:
        raise NotFound(_("no setting {key!r} (see `tracker config list`)").format(key=key))
    change = ChangePlan("config unset", key, now(), answer=old)
    change.data["setting"] = {"key": key, "before": old, "after": None}
    change.writes.append(setting_write(key, old, None))
    return change


def setting_write(key: str, now: str | None, value: str | None) -> Write:
    """A setting from ``now`` to ``value`` (None: not set)."""
    if value is None:
        return Write("delete_setting", {"key": key})
    if now is None:
        return Write("insert_setting", {"key": key, "value": value})
    return Write("update_setting", {"_id": key, "value": value})


@dataclass(frozen=True)
class LetterRef:
    """A stored letter as a person named it (followup_queries.find_letter)."""

    id: int
    file: str
    superseded_by_id: int | None


def plan_feedback(target: str, letter: LetterRef, rating: str, note: str | None, on: date | None,
                  previous: str | None) -> ChangePlan:
    """A member's rating of a letter (``previous``: its latest rating before, for the answer). Undoing
    it removes the row; the change keeps what it was."""
    from ouhai_tracker.store.states import FEEDBACK_RATINGS

    if letter.superseded_by_id is not None:
        raise BadInput(_("letter #{id} is merged into #{into}: rate #{into}").format(
            id=letter.id, into=letter.superseded_by_id))
    rating = rating.strip()
    if rating not in FEEDBACK_RATINGS:
        raise BadOption(_("bad rating {value!r}: expected one of {choices}").format(
            value=rating, choices=", ".join(FEEDBACK_RATINGS)))
    change = ChangePlan("feedback", target, now(), answer={"previous": previous})
    change.data["feedback"] = {"id": None, "letter_id": letter.id, "file": letter.file, "rating": rating,
                               "note": note, "on": iso_day(on)}  # its id once written
    change.writes.append(Write("insert_feedback", {"letter_id": letter.id, "rating": rating, "note": note,
                                                   "on_date": on, "at": change.at}, fills=("feedback", "id")))
    return change


@dataclass(frozen=True)
class Named:
    """A department a person named, found in the registry."""

    id: int
    name: str
    short: str


@dataclass(frozen=True)
class AliasRow:
    """A stored alias: its row, its department and where it came from."""

    id: int
    department_id: int
    department_name: str
    source: str


def plan_alias(target: str, department: Named, alias: str, taken_by: str | None, row: AliasRow | None) -> ChangePlan:
    """`depts alias`: ``alias`` names ``department`` (a person's alias, kept across re-imports), taken
    from the department that had it. ``taken_by``: another department whose own name or short form
    ``alias`` is (refused: that is a merge); ``row``: the alias as stored now. Taught again as it
    was: nothing to undo."""
    from ouhai_tracker.store.states import USER

    alias = alias.strip()
    if not alias:
        raise BadInput(_("empty alias: give the other name, e.g. tracker depts alias 区经信局 瓯海经信局"))
    if alias in (department.name, department.short):
        raise BadInput(_("{alias!r} is already the name of {name}").format(alias=alias, name=department.name))
    if taken_by is not None:
        raise BadInput(_("{alias!r} is the name of another department, {other}; to make them one: "
                         "tracker depts merge {name} {other}").format(alias=alias, other=taken_by,
                                                                     name=department.name))
    moved_from = row.department_name if row is not None and row.department_id != department.id else None
    change = ChangePlan("depts alias", target, now(),
                        answer={"department": department.name, "alias": alias, "moved_from": moved_from})
    before = [row.department_id, row.source] if row is not None else None
    after = [department.id, USER]
    if before != after:
        change.data["alias"] = {"id": row.id if row is not None else None, "alias": alias, "before": before,
                                "after": after}
        if row is None:
            change.writes.append(Write("insert_alias", {"department_id": department.id, "alias": alias,
                                                        "source": USER}, fills=("alias", "id")))
        else:
            change.writes.append(Write("update_alias", {"_id": row.id, "department_id": department.id,
                                                        "source": USER}))
    return change


@dataclass(frozen=True)
class Link:
    """A proposed link between a commitment and a sentence of a later document, as a verdict reads it."""

    id: int
    commitment_id: int
    state: str
    outcome: str  # as proposed: kept, partly, not_kept, repeated
    decided_outcome: str | None
    decided_at: datetime | None
    file: str  # the later document's
    doc_date: date | None
    start: int
    end: int
    sentence: str


LINK_ACCEPTED, LINK_REJECTED = "accepted", "rejected"  # as store/models.py's link states


def plan_verdict(action: str, link: Link, state: State, outcome: str | None, note: str | None,
                 today: date) -> ChangePlan:
    """A person's verdict on a proposed link (``action``: accept, reject, change, checked by the
    caller): the link's state, and, accepted, the rating it gives the commitment, with the
    sentence as evidence, dated by the document; kept closes an open one as `done` does."""
    from ouhai_tracker.followup import link_rating

    check_not_deleted([state])
    chosen = outcome or link.decided_outcome or link.outcome
    verdict = LINK_REJECTED if action == "reject" else LINK_ACCEPTED
    change = ChangePlan(f"evidence {action}", f"link #{link.id}", now())
    after = {"state": verdict, "decided_outcome": chosen if verdict == LINK_ACCEPTED else None,
             "decided_at": change.at}
    change.data["evidence"] = {
        "id": link.id,
        "before": {"state": link.state, "decided_outcome": link.decided_outcome,
                   "decided_at": link.decided_at.isoformat(sep=" ") if link.decided_at else None},
        "after": {**after, "decided_at": change.at.isoformat(sep=" ")}}
    change.writes.append(Write("update_link", {"_id": link.id, **after}))
    change.answer = {"id": link.id, "commitment": state.id, "state": verdict, "outcome": chosen}
    if verdict == LINK_ACCEPTED:
        rating = link_rating(chosen, state.due, link.doc_date)
        where = f"{link.file} [{link.start}-{link.end}]: {link.sentence}"
        change.steps.append(rate_step(state, rating, where, note, link.doc_date, today))
        change.answer["rating"] = rating
    return change


# ---- merging departments ------------------------------------------------------------------------

@dataclass(frozen=True)
class Department:
    id: int
    name: str
    short: str
    level: str | None
    place: str | None
    functions: str


@dataclass(frozen=True)
class Partner:
    """A partner role of a commitment that has one for the department merged away."""

    id: int
    commitment_id: int
    department_id: int
    role: str
    cue: str
    owner_id: int | None  # the commitment's owner


@dataclass(frozen=True)
class Alias:
    id: int
    alias: str
    source: str


@dataclass(frozen=True)
class Holdings:
    """What a department merged away holds, and what the one it is merged into has already."""

    owned: list[int]  # commitments it owns
    partners: list[Partner]  # every partner role of the commitments it is a partner of
    letters: list[int]  # letters naming it
    into_letters: set[int]  # letters naming the one kept
    replying: list[int]  # letters it replied
    aliases: list[Alias]  # its aliases
    into_aliases: list[Alias]  # the kept one's


def plan_merge_departments(keep: str, other: str, into: Department, merged: Department, held: Holdings,
                           note: str | None) -> ChangePlan:
    """`depts merge`: ``merged`` into ``into``: commitments, partner roles, letters and aliases move;
    the merged department's name and short form become a person's aliases of ``into``. The
    change records every row it moved, removed or added (store/changes.py), so that undoing puts
    each back."""
    from ouhai_tracker.store.states import USER

    if into.id == merged.id:
        raise BadInput(_("{keep!r} and {other!r} are the same department ({name})").format(
            keep=keep, other=other, name=into.name))
    change = ChangePlan("depts merge", f"{keep} {other}", now())
    moved: dict[str, Any] = {
        "department": {"id": merged.id, "name": merged.name, "short": merged.short, "level": merged.level,
                       "place": merged.place, "functions": merged.functions},
        "into": into.id, "owned": [], "partners_moved": [], "partners_removed": [], "letters": [], "letters_added": [],
        "replying": [], "aliases_moved": [], "aliases_removed": [], "aliases_added": [], "aliases_sourced": []}
    change.data["merge"] = moved
    note = note or f"{merged.name} merged into {into.name}"
    for commitment_id in held.owned:
        change.writes.append(Write("update_commitment_columns", {"_id": commitment_id, "owner_id": into.id}))
        change.events.append(history_line(commitment_id, "merged", "owner", merged.name, into.name, note))
        moved["owned"].append(commitment_id)
    partners: dict[int, dict[int, int]] = {}  # commitment: {partner row: its department}, as the merge leaves them
    for p in held.partners:
        partners.setdefault(p.commitment_id, {})[p.id] = p.department_id
    mine = [p for p in held.partners if p.department_id == merged.id]
    for p in mine:
        already = any(department == into.id for row, department in partners[p.commitment_id].items() if row != p.id)
        if already or p.owner_id in (into.id, merged.id):  # a department cannot partner itself, nor twice
            change.writes.append(Write("delete_partner", {"_id": p.id}))
            del partners[p.commitment_id][p.id]
            moved["partners_removed"].append({"id": p.id, "commitment_id": p.commitment_id, "role": p.role,
                                              "cue": p.cue})
        else:
            change.writes.append(Write("update_partner", {"_id": p.id, "department_id": into.id}))
            partners[p.commitment_id][p.id] = into.id
            moved["partners_moved"].append(p.id)
    for letter_id in held.letters:
        moved["letters"].append(letter_id)
        if letter_id not in held.into_letters:
            change.writes.append(Write("insert_letter_department", {"letter_id": letter_id, "department_id": into.id}))
            moved["letters_added"].append(letter_id)
    change.writes.append(Write("delete_letter_departments", {"department_id": merged.id}))
    for letter_id in held.replying:
        change.writes.append(Write("update_letter", {"_id": letter_id, "replying_department_id": into.id}))
        moved["replying"].append(letter_id)
    into_aliases = list(held.into_aliases)
    for a in held.aliases:
        if a.alias in (into.name, into.short):
            change.writes.append(Write("delete_alias", {"_id": a.id}))
            moved["aliases_removed"].append({"id": a.id, "alias": a.alias, "source": a.source})
        else:
            change.writes.append(Write("update_alias", {"_id": a.id, "department_id": into.id}))
            moved["aliases_moved"].append(a.id)
            into_aliases.append(a)
    for name in dict.fromkeys((merged.name, merged.short)):
        if name in (into.name, into.short):
            continue
        existing = next((a for a in into_aliases if a.alias == name), None)
        if existing is None:
            change.writes.append(Write("insert_alias", {"department_id": into.id, "alias": name, "source": USER},
                                       fills=("merge", "aliases_added")))
        elif existing.source != USER:
            moved["aliases_sourced"].append({"id": existing.id, "source": existing.source})
            change.writes.append(Write("update_alias", {"_id": existing.id, "source": USER}))
    change.writes.append(Write("delete_department", {"_id": merged.id}))
    change.answer = {"into": into.name, "merged": merged.name, "commitments": len(held.owned),
                     "partners": len(mine), "aliases": len(held.aliases)}
    return change
