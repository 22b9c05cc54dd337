"""What `tracker undo` will take back, and the changes people made, as lines for the terminal.

Department names, aliases and settings are data: each line goes through ``visible`` (no
control characters reach the terminal) and is printed as plain text, never as markup.
"""
from __future__ import annotations

from ouhai_tracker import words
from ouhai_tracker.i18n import _
from ouhai_tracker.render import one_line


def change_line(change: dict) -> str:
    """change #12, 2025-03-01 14:30:05 by mei: done #3 #5 (undone by #14)"""
    line = _("change #{id}, {at}").format(id=change["id"], at=change["at"])
    line += _(" by {user}").format(user=change["by"]) if change["by"] else ""
    line += f": {words.command(change['command'])} {words.target(change['target'])}".rstrip()
    if change.get("undone_by"):
        line += _(" (undone by #{id})").format(id=change["undone_by"])
    return one_line(line)


def effect_line(effect: dict) -> str:
    """One thing undoing a change does, in words."""
    kind = effect["kind"]
    if kind == "field":
        line = _("#{id} {field}: {now} -> back to {back}").format(
            id=effect["commitment"], field=effect["field"], now=effect["now"] or "—", back=effect["back"] or "—")
    elif kind == "history":
        line = _("#{id}: its {action} line stays in the history, marked undone").format(
            id=effect["commitment"], action=effect["action"])
    elif kind == "setting":
        line = _("{key}: {now} -> back to {back}").format(
            key=effect["key"], now=effect["now"] or _("unset"), back=effect["back"] or _("unset (the default)"))
    elif kind == "alias":
        line = (_("alias {alias} of {department}: removed").format(alias=effect["alias"], department=effect["now"])
                if effect["back"] is None else
                _("alias {alias}: {now} -> back to {back}").format(alias=effect["alias"], now=effect["now"],
                                                                  back=effect["back"]))
    elif kind == "feedback":
        line = _("rating {rating} of {file}: taken back").format(rating=effect["rating"], file=effect["file"])
    elif kind == "evidence":
        line = _("proposed link #{link}: {now} -> back to {back}").format(
            link=effect["link"], now=_(effect["now"]), back=_(effect["back"]))
    elif kind == "letters":
        line = _("letter #{other} a letter of its own again, out of #{keep}, with its text and its "
                 "commitments").format(other=effect["other"], keep=effect["keep"])
    else:  # merge
        line = _("{merged} split out of {into} again, with its {commitments} commitments, {partners} partner "
                 "roles and {aliases} aliases").format(**{k: effect[k] for k in (
                     "merged", "into", "commitments", "partners", "aliases")})
    return "  " + one_line(line)


def undo_plan(changes: list[dict]) -> list[str]:
    """The lines shown before undoing: each change, then what undoing it does."""
    lines = [_("This will undo:") if len(changes) == 1
             else _("This will undo {n} changes, newest first:").format(n=len(changes))]
    for change in changes:
        lines.append(change_line(change))
        lines += [effect_line(effect) for effect in change["effects"]]
    return lines


def undone(result: dict) -> str:
    raced = "; ".join(_("change #{id} ({command} {target}) was undone meanwhile by {who} (change #{by})").format(
        id=c["id"], command=words.command(c["command"]), target=words.target(c["target"]), who=c["undone_by_who"] or "?",
        by=c["undone_by"]) for c in result.get("raced", []))
    if not result["undone"]:
        return one_line(raced + _("; nothing left to undo"))
    if raced:
        raced = "; " + raced
    names = _(", ").join(_("change #{id} ({command} {target})").format(
        id=c["id"], command=words.command(c["command"]), target=words.target(c["target"])) for c in result["undone"])
    return one_line(_("undone: {names}; recorded as change #{id}").format(names=names, id=result["id"]) + raced)
