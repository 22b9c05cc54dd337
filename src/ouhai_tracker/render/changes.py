"""What `tracker undo` will take back, and the changes people made, as lines for the terminal.

Department names, aliases and settings are data: each line goes through ``visible`` (no
control characters reach the terminal) and is printed as plain text, never as markup.
"""
from __future__ import annotations

from ouhai_tracker.render import one_line


def change_line(change: dict) -> str:
    """change #12, 2025-03-01 14:30:05 by mei: done #3 #5 (undone by #14)"""
    line = f"change #{change['id']}, {change['at']}" + (f" by {change['by']}" if change["by"] else "")
    line += f": {change['command']} {change['target']}".rstrip()
    if change.get("undone_by"):
        line += f" (undone by #{change['undone_by']})"
    return one_line(line)


def effect_line(effect: dict) -> str:
    """One thing undoing a change does, in words."""
    kind = effect["kind"]
    if kind == "field":
        line = f"#{effect['commitment']} {effect['field']}: {effect['now'] or '—'} -> back to {effect['back'] or '—'}"
    elif kind == "history":
        line = f"#{effect['commitment']}: its {effect['action']} line stays in the history, marked undone"
    elif kind == "setting":
        line = f"{effect['key']}: {effect['now'] or 'unset'} -> back to {effect['back'] or 'unset (the default)'}"
    elif kind == "alias":
        line = (f"alias {effect['alias']} of {effect['now']}: removed" if effect["back"] is None
                else f"alias {effect['alias']}: {effect['now']} -> back to {effect['back']}")
    elif kind == "feedback":
        line = f"rating {effect['rating']} of {effect['file']}: taken back"
    else:  # merge
        line = (f"{effect['merged']} split out of {effect['into']} again, with its {effect['commitments']} "
                f"commitments, {effect['partners']} partner roles and {effect['aliases']} aliases")
    return "  " + one_line(line)


def undo_plan(changes: list[dict]) -> list[str]:
    """The lines shown before undoing: each change, then what undoing it does."""
    lines = ["This will undo:" if len(changes) == 1 else f"This will undo {len(changes)} changes, newest first:"]
    for change in changes:
        lines.append(change_line(change))
        lines += [effect_line(effect) for effect in change["effects"]]
    return lines


def undone(result: dict) -> str:
    names = ", ".join(f"change #{c['id']} ({c['command']} {c['target']})" for c in result["undone"])
    return one_line(f"undone: {names}; recorded as change #{result['id']}")
