"""Where a pattern can start, so that a search does not try it at every character.

The regex engine skips ahead by itself to a pattern's first character when the pattern opens
with a plain character or a class (住建局, [省市区县]局). A pattern that opens with a
lookbehind (已(?<!…)了), an optional part ((?:今年)?3月) or a group of classes (\\d{4}|[〇一…]{4})
is tried, whole, at every character. ``guarded`` puts a lookahead on the characters it can
start with before such a pattern: the same matches, found without trying it where none can start.
"""
from __future__ import annotations

import re

try:  # the regex module's own parser: private, so a Python that moved it only loses the guards
    import re._parser as sre_parse  # type: ignore[import-not-found]  # private: typeshed has no stubs
    from re._constants import (  # type: ignore[import-not-found]
        ASSERT,
        ASSERT_NOT,
        AT,
        BRANCH,
        CATEGORY,
        CATEGORY_DIGIT,
        CATEGORY_SPACE,
        CATEGORY_WORD,
        IN,
        LITERAL,
        MAX_REPEAT,
        MIN_REPEAT,
        RANGE,
        SUBPATTERN,
    )
except ImportError:  # pragma: no cover - Python 3.11 to 3.13 have it
    sre_parse = None

GLOBAL_FLAGS = re.compile(r"\(\?[aiLmsux]+\)")
_CATEGORIES = {CATEGORY_DIGIT: r"\d", CATEGORY_SPACE: r"\s", CATEGORY_WORD: r"\w"}


def _first(items) -> tuple[set[str] | None, bool]:
    """(the class members a match of the parsed sequence ``items`` can start with, or None for
    any character; whether the sequence can match the empty string)."""
    out: set[str] = set()
    for op, av in items:
        if op in (ASSERT, ASSERT_NOT, AT):
            continue  # reads no character (skipping a lookahead only widens the set)
        if op is LITERAL:
            return out | {re.escape(chr(av))}, False
        if op is IN:
            for member, value in av:
                if member is LITERAL:
                    out.add(re.escape(chr(value)))
                elif member is RANGE:
                    out.add(re.escape(chr(value[0])) + "-" + re.escape(chr(value[1])))
                elif member is CATEGORY and value in _CATEGORIES:
                    out.add(_CATEGORIES[value])
                else:
                    return None, False  # a negated class, or one this does not read
            return out, False
        if op is SUBPATTERN:
            if av[1] & re.IGNORECASE:
                return None, False  # (?i:…): a class of the written characters would miss the others
            found, empty = _first(av[-1])
        elif op is BRANCH:
            found, empty = set(), False
            for branch in av[1]:
                chars, branch_empty = _first(branch)
                if chars is None:
                    return None, False
                found |= chars
                empty = empty or branch_empty
        elif op in (MAX_REPEAT, MIN_REPEAT):
            found, empty = _first(av[2])
            empty = empty or av[0] == 0
        else:
            return None, False
        if found is None:
            return None, False
        out |= found
        if not empty:
            return out, False
    return out, True


def _skips_ahead(parsed) -> bool:
    """Whether the engine already skips to the pattern's first character: it opens with a
    character, a class, or alternatives that each open with a character."""
    items = list(parsed)
    while items and items[0][0] is SUBPATTERN:
        items = list(items[0][1][-1])
    if not items:
        return False
    op, av = items[0]
    return op in (LITERAL, IN) or (op is BRANCH and all(b and b[0][0] is LITERAL for b in av[1]))


def guarded(pattern: str) -> str:
    """``pattern``, behind a lookahead on the characters its matches start with when the engine
    would otherwise try it at every character (and those characters are known)."""
    if sre_parse is None or GLOBAL_FLAGS.match(pattern):
        return pattern  # (?i)…, (?x)…: flags that must open the pattern, and may change its characters
    parsed = sre_parse.parse(pattern)
    if _skips_ahead(parsed):
        return pattern
    chars, empty = _first(parsed)
    if chars is None or empty:
        return pattern
    return f"(?=[{''.join(sorted(chars))}])(?:{pattern})"
