"""What a --search value asks for: words that must all occur in a commitment's text, and
words (written -word) that must not.

Words are split on whitespace (the full-width space 　 too); a lone ``-`` is no word; a phrase
in quotes ("学位 建设") is one word. Each word
is a substring match (Chinese has no spaces between words), case-insensitive for the Latin
letters A-Z. No SQLAlchemy here: the read layer builds its SQL from these, and ``matches`` is
the plain-Python meaning every backend must agree with.
"""
from __future__ import annotations

import functools
import re
import sqlite3
from contextlib import closing

MIN_INDEXED = 3  # a trigram index finds words of at least three characters


# A word, or a phrase in quotes ("学位 建设", “学位 建设”; an unclosed quote runs to the end), maybe after -.
_WORD = re.compile(r'(-?)(?:"([^"]*)"?|“([^”]*)”?|(\S+))')


def parse_words(text: str | None) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(include, exclude): the words of ``text`` that must occur and those that must not,
    each once, in the order given. Words are split on whitespace (U+3000 too); a phrase in
    quotes is one word, spaces and all, and the quotes are not part of it."""
    include: list[str] = []
    exclude: list[str] = []
    for m in _WORD.finditer(text or ""):
        minus, *forms = m.groups()
        word = next((form for form in forms if form is not None), "")
        if not word and forms[2] is None:  # "" or a lone ": the quote itself
            word = m.group()[len(minus):]
        if forms[2] is not None and not minus and word.startswith("-"):  # a lone -: no word
            minus, word = "-", word[1:]
        words = exclude if minus else include
        if word and word not in words:
            words.append(word)
    return tuple(include), tuple(exclude)


def fold(text: str) -> str:
    """``text`` with A-Z lowered and nothing else changed: what SQLite's LIKE compares."""
    return text.translate(_ASCII_LOWER)


_ASCII_LOWER = {code: code + 32 for code in range(ord("A"), ord("Z") + 1)}


def matches(text: str, include: tuple[str, ...], exclude: tuple[str, ...]) -> bool:
    """Whether ``text`` holds every include word and no exclude word."""
    folded = fold(text)
    return all(fold(w) in folded for w in include) and not any(fold(w) in folded for w in exclude)


def like_pattern(word: str) -> str:
    """A LIKE pattern (ESCAPE '/') matching any text that contains ``word``."""
    return "%" + word.replace("/", "//").replace("%", "/%").replace("_", "/_") + "%"


def fts_phrase(word: str) -> str:
    """``word`` as one FTS5 string: with the trigram tokenizer, a substring match."""
    return '"' + word.replace('"', '""') + '"'


@functools.cache
def sqlite_trigram() -> bool:
    """Whether this Python's SQLite has FTS5 with the trigram tokenizer (SQLite 3.34+)."""
    try:
        with closing(sqlite3.connect(":memory:")) as connection:
            connection.execute("CREATE VIRTUAL TABLE probe USING fts5(text, tokenize='trigram')")
        return True
    except sqlite3.Error:
        return False
