"""Where a pattern can start, so that a search does not try it at every character.

The regex engine skips ahead by itself to a pattern's first character when the pattern opens
with a plain character or a class (住建局, [省市区县]局). A pattern that opens with a
lookbehind (已(?<!…)了), an optional part ((?:今年)?3月) or a group of classes (\\d{4}|[〇一…]{4})
is tried, whole, at every character. ``guarded`` puts a lookahead on the characters it can
start with before such a pattern: the same matches, found without trying it where none can start.

The characters are read from the pattern as the rules write it (``first_characters``): the
words, characters and classes it opens with, past what reads no character (lookbehinds,
lookaheads, ^) and what may be absent (?, *, {0,n}). An opening not read here (., [^…], \\D,
a flag) gets no guard: slower, never wrong.
"""
from __future__ import annotations

import re
from collections.abc import Iterator

_QUANTIFIER = re.compile(r"(?:[?*+]|\{(\d*)(?:,\d*)?\})\??")
_CLASS_ESCAPES = ("\\d", "\\s", "\\w")  # escapes that stand for a class, written in a class as they are
_LOOKAROUND = ("(?=", "(?!", "(?<=", "(?<!")


class _Unread(Exception):
    """An opening not read here: the pattern is left without a guard."""


def _skip_class(pattern: str, i: int) -> int:
    """The index just past the class opening at ``i``."""
    i += 1 + (pattern[i + 1:i + 2] == "^")
    i += pattern[i:i + 1] == "]"
    while i < len(pattern) and pattern[i] != "]":
        i += 2 if pattern[i] == "\\" else 1
    if i >= len(pattern):
        raise _Unread(pattern)
    return i + 1


def _scan(pattern: str, i: int = 0) -> Iterator[tuple[int, str, int]]:
    """(index, character, group depth after it) of each character from ``i`` on that is neither
    escaped nor inside a class."""
    depth = 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\":
            i += 2
            continue
        if ch == "[":
            i = _skip_class(pattern, i)
            continue
        depth += (ch == "(") - (ch == ")")
        yield i, ch, depth
        i += 1


def _skip_group(pattern: str, i: int) -> int:
    """The index just past the group opening at ``i``."""
    for j, _, depth in _scan(pattern, i):
        if depth == 0:
            return j + 1
    raise _Unread(pattern)


def _branches(pattern: str) -> list[str]:
    """``pattern`` split at its top-level |."""
    out, start = [], 0
    for i, ch, depth in _scan(pattern):
        if ch == "|" and depth == 0:
            out.append(pattern[start:i])
            start = i + 1
    return [*out, pattern[start:]]


def _item(branch: str, i: int) -> tuple[str, str, int]:
    """The item of ``branch`` at ``i``: (kind, text, end) with kind zero-width (^, a lookaround),
    group (text: its alternatives), class (text: its body), char (text: as a class holds it)."""
    ch = branch[i]
    if ch == "^":
        return "zero-width", "", i + 1
    if branch.startswith(_LOOKAROUND, i):  # reads no character (skipping a lookahead only widens the set)
        return "zero-width", "", _skip_group(branch, i)
    if ch == "(":
        end = _skip_group(branch, i)
        inner = branch[i + 1:end - 1]
        if inner.startswith("?:"):
            return "group", inner[2:], end
        if inner.startswith("?P<"):
            return "group", inner[inner.index(">") + 1:], end
        if inner.startswith("?"):
            raise _Unread(branch)  # flags, comments, back references, conditions
        return "group", inner, end
    if ch == "[":
        end = _skip_class(branch, i)
        if branch[i + 1] == "^":
            raise _Unread(branch)
        return "class", branch[i + 1:end - 1], end
    if ch == "\\":
        escape = branch[i:i + 2]
        if escape in _CLASS_ESCAPES:
            return "class", escape, i + 2
        if escape == "\\u":
            return "char", branch[i:i + 6], i + 6
        if escape[1:].isalnum():
            raise _Unread(branch)  # \D, \b, \1 …
        return "char", escape, i + 2
    if ch in ".$)|*+?{":
        raise _Unread(branch)
    return "char", re.escape(ch), i + 1


def _quantified(branch: str, end: int) -> tuple[bool, bool, int]:
    """(whether the item ending at ``end`` is quantified, whether it may be absent, the end past it)."""
    quantifier = _QUANTIFIER.match(branch, end)
    if not quantifier:
        return False, False, end
    text = quantifier.group()
    return True, text[0] in "?*" or (text[0] == "{" and quantifier.group(1) in ("", "0")), quantifier.end()


def _opening(pattern: str) -> tuple[set[str], bool]:
    """(the class members a match of ``pattern`` can start with; whether it can match nothing)."""
    found: set[str] = set()
    empty = False
    for branch in _branches(pattern):
        i = 0
        while True:
            if i == len(branch):
                empty = True
                break
            kind, text, end = _item(branch, i)
            _, absent, i = _quantified(branch, end)
            if kind == "zero-width":
                continue
            if kind == "group":
                chars, absent_inside = _opening(text)
                found |= chars
                absent = absent or absent_inside
            else:
                found.add(text)
            if not absent:
                break
    return found, empty


def opens_plainly(pattern: str) -> bool:
    """Whether the engine already skips to the pattern's first character: it opens with a
    character or a class, or with alternatives that each open with a character."""
    try:
        branches = _branches(pattern)
        if len(branches) > 1:
            return all(b and _item(b, 0)[0] == "char" and not _quantified(b, _item(b, 0)[2])[0] for b in branches)
        if not pattern:
            return False
        kind, text, end = _item(pattern, 0)
        if _quantified(pattern, end)[0]:
            return False
        return opens_plainly(text) if kind == "group" else kind in ("char", "class")
    except _Unread:
        return False


def first_characters(pattern: str) -> str | None:
    """The characters a match of ``pattern`` can start with, as the body of a class ([…]); None
    when any may, the pattern can match nothing, or its opening is not one read here."""
    try:
        chars, empty = _opening(pattern)
    except _Unread:
        return None
    return None if empty or not chars else "".join(sorted(chars))


def guarded(pattern: str) -> str:
    """``pattern`` behind a lookahead on the characters its matches can start with
    (``first_characters``), when the engine would otherwise try it at every character."""
    if re.match(r"\(\?[aiLmsux]+\)", pattern) or opens_plainly(pattern):
        return pattern  # (?i)…: flags that must open the pattern, and may change its characters
    first = first_characters(pattern)
    return pattern if first is None else f"(?=[{first}])(?:{pattern})"
