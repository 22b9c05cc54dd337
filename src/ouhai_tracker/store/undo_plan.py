"""Undoing a person's changes, decided in plain Python.

`undo` reads each change it takes back (newest first) and what stands now, decides here what puts
it back or why it cannot be (a refusal undoes nothing: the transaction is rolled back), and
change_write.undo writes it as one change of its own, command 'undo'. store/changes.py says what
each kind of change keeps for this; store/letter_merge.py takes back a merge of letters.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, NoReturn, Protocol

from ouhai_tracker.errors import BadInput
from ouhai_tracker.i18n import _
from ouhai_tracker.store.change_kinds import setting_write
from ouhai_tracker.store.change_plan import COLUMNS, ChangePlan, Made, Write, now

UNDO = "undo"


@dataclass(frozen=True)
class Recorded:
    """A change as undoing reads it: its row, and the events it wrote (commitment_id, action, field,
    old_value, new_value, at), in order."""

    id: int
    command: str
    target: str
    undone_by_id: int | None
    data: dict
    events: tuple[dict, ...] = ()


class Now(Protocol):
    """What stands now, read where undoing a change needs it (change_write.Standing)."""

    def commitment(self, commitment_id: int) -> dict[str, Any]:
        """The columns of COLUMNS as a change records them (dates as YYYY-MM-DD)."""

    def department(self, department_id: int) -> str | None:
        """Its name; None when there is no such department."""

    def setting(self, key: str) -> str | None: ...

    def alias(self, alias_id: int) -> list | None:
        """[department id, source], or None when the row is gone."""

    def link(self, link_id: int) -> tuple[str, str | None] | None:
        """(state, decided outcome), or None when the link is gone."""

    def rating(self, rating_id: int) -> bool:
        """Is the member's rating there?"""

    def department_named(self, name: str) -> bool: ...

    def points_to(self, kind: str, row_id: int) -> tuple[int | None] | None:
        """The department a row points to (a commitment's owner, an alias's or partner role's
        department, a letter's replying unit), or None when the row is gone."""


def refuse(change: Recorded, what: str) -> NoReturn:
    raise BadInput(_("cannot undo change #{id} ({command} {target}): {reason}; nothing was undone").format(
        id=change.id, command=change.command, target=change.target, reason=what))


def check_undoable(change: Recorded) -> None:
    if change.command == UNDO:
        refuse(change, _("an undo is not undone: run the command again"))
    if change.undone_by_id is not None:
        refuse(change, _("it was undone already (change #{id})").format(id=change.undone_by_id))


def plan_undo(changes: list[Recorded], at: datetime | None = None) -> ChangePlan:
    """The undo itself, as a change: what it takes back. Each change's reverse is ``reverse``'s."""
    return ChangePlan(UNDO, " ".join(f"#{c.id}" for c in changes), at or now(), data={"undid": [c.id for c in changes]})


def reverse(change: Recorded, now: Now, undo_id: int, at: datetime, commitments: bool = True) -> list[Write]:
    """What takes ``change`` back (its rows where they were, an 'undone' event for each event it
    wrote, the change marked undone by ``undo_id``), or a refusal when what it made was changed
    since. ``commitments``: its commitments' columns too (a merge of letters puts them back itself,
    before the merge is taken back)."""
    data, writes = change.data or {}, []
    if "merge" in data:
        writes += unmerge_departments(change, data["merge"], now)
    if "alias" in data:
        writes += _unalias(change, data["alias"], now)
    if "setting" in data:
        s = data["setting"]
        if now.setting(s["key"]) != s["after"]:
            refuse(change, _("{key} was changed since").format(key=s["key"]))
        writes.append(setting_write(s["key"], s["after"], s["before"]))
    if "evidence" in data:
        e = data["evidence"]
        if now.link(e["id"]) != (e["after"]["state"], e["after"]["decided_outcome"]):
            refuse(change, _("the proposed link #{id} was changed since").format(id=e["id"]))
        before = e["before"]
        writes.append(Write("update_link", {"_id": e["id"], "state": before["state"],
                                            "decided_outcome": before["decided_outcome"],
                                            "decided_at": datetime.fromisoformat(before["decided_at"])
                                            if before["decided_at"] else None}))
    if "feedback" in data:
        if not now.rating(data["feedback"]["id"]):
            refuse(change, _("the rating of {file} is gone").format(file=data["feedback"]["file"]))
        writes.append(Write("delete_feedback", {"_id": data["feedback"]["id"]}))
    if commitments:
        writes += put_back(change, now)
    for e in change.events:
        writes.append(Write("insert_event", {
            "commitment_id": e["commitment_id"], "at": at, "action": "undone", "field": e["field"],
            "old_value": e["new_value"], "new_value": e["old_value"], "on_date": None, "evidence": None,
            "change_id": undo_id,
            "note": f"undid {e['action']} of {e['at'].isoformat(sep=' ')} (change #{change.id})"}))
    writes.append(Write("mark_undone", {"_id": change.id, "undone_by_id": undo_id}))
    return writes


def put_back(change: Recorded, now: Now) -> list[Write]:
    """The commitments' columns as they were before ``change``, if they are as it left them."""
    writes = []
    for commitment_id, columns in (change.data or {}).get("commitments", {}).items():
        stands = now.commitment(int(commitment_id))
        values: dict[str, Any] = {}
        for column, (before, after) in columns.items():
            if stands[column] != after:
                was, then = stands[column], after
                if column == "owner_id":
                    was, then = _department_name(now, was), _department_name(now, then)
                refuse(change, _("#{id}'s {field} is {now} now, not {then}: it was changed since").format(
                    id=commitment_id, field=COLUMNS[column] or column, now=was, then=then))
            if column == "owner_id" and before is not None and now.department(before) is None:
                before = None  # the department is gone (merged away since): no owner, as the ORM did
            elif column in ("due", "outcome_on"):
                before = date.fromisoformat(before) if before else None
            values[column] = before
        writes.append(Write("update_commitment_columns", {"_id": int(commitment_id), **values}))
    return writes


def _department_name(now: Now, department_id: int | None) -> str | None:
    if department_id is None:
        return None
    name = now.department(department_id)
    return name if name is not None else f"department #{department_id}"


def _unalias(change: Recorded, a: dict, now: Now) -> list[Write]:
    if now.alias(a["id"]) != a["after"]:
        refuse(change, _("the alias {alias} was changed since").format(alias=a["alias"]))
    if a["before"] is None:
        return [Write("delete_alias", {"_id": a["id"]})]
    if now.department(a["before"][0]) is None:
        refuse(change, _("the department {alias} was moved from is gone").format(alias=a["alias"]))
    return [Write("update_alias", {"_id": a["id"], "department_id": a["before"][0], "source": a["before"][1]})]


def unmerge_departments(change: Recorded, m: dict, now: Now) -> list[Write]:
    """The merged department back, with its own id (or a new one, when SQLite gave its id to a
    department made since), names, commitments, partner roles, letters and aliases."""
    d = m["department"]
    into = now.department(m["into"])
    if into is None:
        refuse(change, _("the department it was merged into is gone"))
    if now.department_named(d["name"]):
        refuse(change, _("a department named {name} exists again").format(name=d["name"]))
    if now.department(d["id"]) is not None:
        d = {key: value for key, value in d.items() if key != "id"}

    def restored(kind: str, item: dict, values: dict) -> Write:
        # A row the merge deleted comes back with its own id while that id is free: an earlier
        # merge, undone next, finds the rows it moved by their ids. (A change recorded before
        # the ids were kept, or an id taken since, gets a new row.)
        if "id" in item and now.points_to(kind, item["id"]) is None:
            return Write("restore_" + kind, {"id": item["id"], **values})
        return Write("insert_" + kind, values)

    def pointing(kind: str, ids: list[int]) -> list[int | None]:
        found = [now.points_to(kind, i) for i in ids]
        if any(row is None for row in found):
            refuse(change, _("something it moved was changed since"))
        return [row[0] for row in found if row is not None]

    owned, aliases, partners = (pointing("commitment", m["owned"]), pointing("alias", m["aliases_moved"]),
                                pointing("partner", m["partners_moved"]))
    if any(department != m["into"] for department in owned + aliases + partners):
        refuse(change, _("{name}'s commitments, partner roles or aliases were changed since").format(name=into))
    pointing("alias", m["aliases_added"])
    pointing("alias", [item["id"] for item in m["aliases_sourced"]])
    pointing("letter", m["replying"])
    back = Made("department")
    writes = [Write("insert_department" if "id" in d else "insert_new_department", d, made="department")]
    writes += [Write("delete_alias", {"_id": i}) for i in m["aliases_added"]]
    writes += [Write("update_alias", {"_id": item["id"], "source": item["source"]}) for item in m["aliases_sourced"]]
    writes += [Write("update_alias", {"_id": i, "department_id": back}) for i in m["aliases_moved"]]
    writes += [restored("alias", item, {"department_id": back, "alias": item["alias"], "source": item["source"]})
               for item in m["aliases_removed"]]
    writes += [Write("update_partner", {"_id": i, "department_id": back}) for i in m["partners_moved"]]
    writes += [restored("partner", item, {"commitment_id": item["commitment_id"], "department_id": back,
                                          "role": item["role"], "cue": item["cue"]}) for item in m["partners_removed"]]
    writes += [Write("update_commitment_columns", {"_id": i, "owner_id": back}) for i in m["owned"]]
    writes += [Write("insert_letter_department", {"letter_id": i, "department_id": back}) for i in m["letters"]]
    writes += [Write("delete_letter_department", {"letter_id": i, "department_id": m["into"]})
               for i in m["letters_added"]]
    writes += [Write("update_letter", {"_id": i, "replying_department_id": back}) for i in m["replying"]]
    return writes
