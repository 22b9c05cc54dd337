"""Summaries read the database in a fixed number of statements, however many commitments it holds.

Two databases are built from the benchmark letters through the real extraction: a small one and
one with five times the letters (and commitments, partners, policies, events), with done, rated
and rated-letter rows in the same proportion. Each command runs once to warm up, then once with
every SQL statement counted (SQLAlchemy's ``before_cursor_execute`` on every engine, so it counts
however the engine was made; the transaction's own BEGIN included). The count must be the same on
both: a summary that asks once per row or per letter shows up as a difference, named statement by
statement.
"""
from __future__ import annotations

import json
import re
from collections import Counter
from contextlib import contextmanager

import pytest
from sqlalchemy import event
from sqlalchemy.engine import Engine
from typer.testing import CliRunner

import ouhai_tracker.extract
from conftest import fresh_database
from ouhai_tracker.cli import app
from ouhai_tracker.extract.pipeline import run as real_extraction
from ouhai_tracker.store import fastread
from test_benchmarks_generate import generate

SMALL, LARGE = 4, 20  # letters: about 40 and 200 commitments
AS_OF = "2025-06-30"
ON = "2025-03-01"  # done and rated on: after every letter (their dates end in 2024), before AS_OF


def _real_extract(text, file_name="", settings=None, fallbacks=None):
    from ouhai_tracker.extract.model import Settings

    return real_extraction(text, file_name, settings or Settings(), fallbacks or {})


def invoke(runner: CliRunner, *args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, (args, result.output, result.exception)
    return result.stdout


def build(runner: CliRunner, db: str, letters: int, folder) -> int:
    """Import ``letters`` generated letters into ``db``, then follow some of them up: every fourth
    commitment done, every fifth rated, every third letter rated by the members. Returns the
    number of commitments."""
    generate.write(folder, letters)
    invoke(runner, "--db", db, "import", "--jobs", "1", str(folder))
    rows = json.loads(invoke(runner, "--db", db, "list", "--status", "all", "--json"))
    ids = [r["id"] for r in rows]
    invoke(runner, "--db", db, "done", *map(str, ids[::4]), "--on", ON)
    for number, id in enumerate(ids[1::5]):
        outcome = ("in-the-works", "stalled", "partly-kept", "broken")[number % 4]
        invoke(runner, "--db", db, "rate", str(id), "--outcome", outcome, "--on", ON)
    docs = json.loads(invoke(runner, "--db", db, "docs", "--json"))
    for number, doc in enumerate(docs[::3]):
        invoke(runner, "--db", db, "feedback", str(doc["id"]), "--rating", ("不满意", "满意")[number % 2])
    invoke(runner, "--db", db, "config", "set", "class.B", "正在解决")
    return len(ids)


@pytest.fixture(scope="module")
def databases(tmp_path_factory):
    """(small, large): each a dict with the --db value and the number of commitments."""
    runner = CliRunner()
    made = {}
    with fresh_database(tmp_path_factory.mktemp("small") / "t.db") as small, \
            fresh_database(tmp_path_factory.mktemp("large") / "t.db") as large:
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(ouhai_tracker.extract, "extract_letter", _real_extract)
            for name, db, letters in (("small", small, SMALL), ("large", large, LARGE)):
                made[name] = {"db": db, "commitments": build(runner, db, letters, tmp_path_factory.mktemp(name))}
        assert made["large"]["commitments"] >= 4 * made["small"]["commitments"], made
        yield made["small"], made["large"]


@contextmanager
def counted():
    statements: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    event.listen(Engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(Engine, "before_cursor_execute", count)


def statements_of(db: str, args: list[str], tmp_path, tag: str) -> list[str]:
    runner = CliRunner()
    out = [str(tmp_path / f"{tag}-warm"), str(tmp_path / f"{tag}-counted")]
    invoke(runner, "--db", db, *[a.replace("{out}", out[0]) for a in args])  # warm-up: caches, first opening
    with counted() as statements:
        invoke(runner, "--db", db, *[a.replace("{out}", out[1]) for a in args])
    return statements


def _shape(statement: str) -> str:
    """A statement with its expanded IN lists and whitespace folded, for the message."""
    return re.sub(r"\s+", " ", re.sub(r"\((?:\s*(?:\?|%\(\w+\)s|%s|:\w+)\s*,?)+\)", "(…)", statement)).strip()[:160]


COMMANDS = {
    "report json": ["report", "--as-of", AS_OF, "--format", "json"],
    "report html": ["report", "--as-of", AS_OF, "--format", "html", "--output", "{out}.html"],
    "stats": ["stats", "--as-of", AS_OF],
    "export csv": ["export", "--format", "csv", "--output", "{out}"],
}


@pytest.mark.parametrize("command", list(COMMANDS))
def test_statements_do_not_grow_with_the_commitments(databases, command, tmp_path, monkeypatch):
    small, large = databases
    # On a SQLite file these read through the stdlib, a fixed set of statements compiled ahead
    # (fast_sql.py); the path through SQLAlchemy (every other database) is the one counted here.
    for stdlib_read in ("scorecard", "report", "letter_reading", "export"):
        monkeypatch.setattr(fastread, stdlib_read, lambda *args: None)
    few = statements_of(small["db"], COMMANDS[command], tmp_path, "small")
    many = statements_of(large["db"], COMMANDS[command], tmp_path, "large")
    assert few, f"`{command}` ran no statement through SQLAlchemy: the count would prove nothing"
    grown = Counter(map(_shape, many))
    grown.subtract(Counter(map(_shape, few)))
    worst = "\n".join(f"  +{n}: {s}" for s, n in grown.most_common(5) if n > 0)
    on_few, on_many = len(few), len(many)  # plain numbers: pytest would print both lists whole
    assert on_many == on_few, (
        f"`tracker {command}` ran {on_few} statements on {small['commitments']} commitments and "
        f"{on_many} on {large['commitments']}; the ones that grew:\n{worst}")
