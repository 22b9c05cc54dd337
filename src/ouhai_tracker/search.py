"""What a --search value asks for: words that must all occur in a commitment's text, and
words (written -word) that must not.

Words are split on whitespace (the full-width space 　 too); a lone ``-`` is no word. Each word
is a substring match (Chinese has no spaces between words), case-insensitive for the Latin
letters A-Z. No SQLAlchemy here: the read layer builds its SQL from these, and ``matches`` is
the plain-Python meaning every backend must agree with.
"""
from __future__ import annotations

import functools
import sqlite3
from contextlib import closing

MIN_INDEXED = 3  # a trigram index finds words of at least three characters


def parse_words(text: str | None) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(include, exclude): the words of ``text`` that must occur and those that must not,
    each once, in the order given. ``str.split`` splits on U+3000 as on ASCII whitespace."""
    include: list[str] = []
    exclude: list[str] = []
    for word in (text or "").split():
        words = include
        if word.startswith("-"):
            word, words = word[1:], exclude
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
