"""--search is a word search: every word must occur in the commitment's text, -word must not;
the same words select the same commitments in every command, through the trigram index on
SQLite (or LIKE where there is none) and ILIKE on PostgreSQL.

The imported letters' commitments, by id:
1 我局计划开展专精特新专题培训班
2 同时联合区工商联等部门,继续实施“瓯商提升”工程
3 待正式入选后制定相应的实施方案
4 我局将修订《瓯海区专业技术人才奖补申报指南》
5 住建局牵头在谋划制定企业人才购房的相关政策
6 每季度对规上企业进行人才密度调研
7 我局将于2024年9月开学前完成积分入学办法修订[bold]x[/]
8 区教育局将会同区经信局每年开展人才子女入学调研
"""
from __future__ import annotations

import json
import sqlite3

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import create_engine, event, text

from ouhai_tracker.cli import app
from ouhai_tracker.store.search import matches, parse_words
from ouhai_tracker.store import engine as store_engine
from ouhai_tracker.store import word_search
from ouhai_tracker.store.migrations import HEAD, SCRIPT_LOCATION
from ouhai_tracker.tracker import Tracker

from conftest import postgres_only, sqlite_only


def ids(runner, *args, db: str | None = None) -> set[int]:
    result = runner.invoke(app, [*(["--db", str(db)] if db else []), "list", "--json", "--status", "all", *args])
    assert result.exit_code == 0, result.output
    return {row["id"] for row in json.loads(result.stdout)}


def found(runner, words: str) -> set[int]:
    return ids(runner, "--search", words)


# ---- the words ---------------------------------------------------------------------------------

def test_words_are_split_on_ascii_and_full_width_spaces():
    assert parse_words("学位 建设") == (("学位", "建设"), ())
    assert parse_words("学位\u3000建设\t-幼儿园\n") == (("学位", "建设"), ("幼儿园",))
    assert parse_words("  学位  学位 -幼儿园 -幼儿园 ") == (("学位",), ("幼儿园",))  # each once
    assert parse_words("- 学位 -") == (("学位",), ())  # a lone - is no word
    assert parse_words("-幼儿园") == ((), ("幼儿园",))
    assert parse_words("a-b --c") == (("a-b",), ("-c",))
    assert parse_words("") == parse_words("\u3000 ") == parse_words(None) == ((), ())


# ---- through the CLI ---------------------------------------------------------------------------

def test_all_words_must_occur(runner, imported):
    assert found(runner, "我局") == {1, 4, 7}
    assert found(runner, "人才") == {4, 5, 6, 8}
    assert found(runner, "我局 人才") == {4}  # both, not either
    assert found(runner, "人才 调研") == {6, 8}
    assert found(runner, "我局将 人才") == {4}  # a long word (the index) and a short one (LIKE)
    assert found(runner, "专业技术 申报指南") == {4}  # two long words
    assert found(runner, "我局\u3000人才") == {4}  # a full-width space splits too
    assert found(runner, "专题培训班 人才") == set()


def test_minus_word_leaves_out(runner, imported):
    assert found(runner, "人才 -调研") == {4, 5}
    assert found(runner, "人才 -企业人才") == {4, 6, 8}  # a long excluded word
    assert found(runner, "-人才") == {1, 2, 3, 7}  # only words left out: everything else
    assert found(runner, "-人才 -我局") == {2, 3}
    assert found(runner, "人才 -人才") == set()
    assert found(runner, "人才 -") == found(runner, "人才")  # a lone - is ignored


def test_two_character_chinese_word(runner, imported):
    # Below the trigram index's three characters: still a substring match.
    assert found(runner, "入学") == {7, 8}
    assert found(runner, "调研") == {6, 8}
    assert found(runner, "修订") == {4, 7}
    assert found(runner, "局") == {1, 4, 5, 7, 8}


def test_latin_words_ignore_case(runner, imported):
    assert found(runner, "BOLD") == found(runner, "bold") == found(runner, "BoLd") == {7}
    assert found(runner, "[Bold]X") == {7}
    assert found(runner, "X") == {7}
    assert found(runner, "-bOLD 入学") == {8}


def test_wildcards_and_quotes_are_literal(runner, imported):
    for words in ("%", "_", "//", '"', "%人才", "人_", "我局*", "NEAR(我局"):
        assert found(runner, words) == set(), words
    assert found(runner, "[/]") == {7}  # the escape character itself


def test_a_phrase_in_quotes_is_one_word_without_its_quotes(runner, imported):
    """--search '"学位"' found nothing: the quotes were taken as part of the word."""
    assert found(runner, '"我局"') == found(runner, "“我局”") == found(runner, "我局") != set()
    assert found(runner, '"我局 将"') == set()  # one phrase, space and all: no text has it
    assert found(runner, '"人才 密度"') == set() and found(runner, "人才 密度") == {6}
    assert found(runner, '-"我局" 局') == found(runner, "局 -我局")


def test_list_due_and_export_select_the_same(runner, imported):
    for words in ("人才 -调研", "入学", "我局将 -BOLD", "-人才"):
        listed = found(runner, words)
        due = runner.invoke(app, ["due", "--json", "--all", "--search", words])
        assert due.exit_code == 0, due.output
        exported = runner.invoke(app, ["export", "--format", "json", "--search", words])
        assert exported.exit_code == 0, exported.output
        tables = json.loads(exported.stdout)["tables"]
        assert {row["id"] for row in json.loads(due.stdout)} == listed, words  # every one is open
        assert {row["id"] for row in tables["commitments"]} == listed, words
    assert found(runner, "人才 -调研") == {4, 5}


def test_report_and_stats_count_the_same(runner, imported):
    report = json.loads(runner.invoke(app, ["report", "--format", "json", "--search", "人才 -调研"]).stdout)
    stats = json.loads(runner.invoke(app, ["stats", "--json", "--search", "人才 -调研"]).stdout)
    assert report["total"]["promised"] == stats["total"]["promised"] == 2


# ---- the index (SQLite) ------------------------------------------------------------------------

FTS_OBJECTS = "SELECT name FROM sqlite_master WHERE name LIKE 'commitments_fts%'"


def fts_rows(path, words: str) -> set[int]:
    with sqlite3.connect(path) as connection:
        rows = connection.execute(f"SELECT rowid FROM {word_search.FTS_TABLE} WHERE {word_search.FTS_TABLE} MATCH ?",
                                  (words,)).fetchall()
    connection.close()
    return {row[0] for row in rows}


@sqlite_only
def test_new_database_has_the_index_kept_by_triggers(runner, imported):
    assert fts_rows(imported, '"专业技术"') == {4}
    with sqlite3.connect(imported) as connection:
        connection.execute("UPDATE commitments SET text = '我局将建设学位' WHERE id = 4")
        connection.execute("DELETE FROM commitments WHERE id = 6")
        connection.execute("UPDATE commitments SET status = 'done' WHERE id = 8")  # not the text: index as it was
    connection.close()
    assert fts_rows(imported, '"专业技术"') == set() and fts_rows(imported, '"建设学位"') == {4}
    assert found(runner, "专业技术") == set()
    assert found(runner, "建设学位") == found(runner, "建设 学位") == {4}
    assert found(runner, "人才 调研") == {8}
    with sqlite3.connect(imported) as connection:  # the index agrees with the table
        connection.execute(f"INSERT INTO {word_search.FTS_TABLE} ({word_search.FTS_TABLE}) VALUES ('integrity-check')")
    connection.close()


@sqlite_only
def test_long_words_are_looked_up_in_the_index(runner, imported):
    from ouhai_tracker.store import read

    engine = store_engine.get_engine(store_engine.resolve_url(imported))

    def explain(connection, cursor, statement, parameters, context, executemany):
        return "EXPLAIN QUERY PLAN " + statement, parameters

    event.listen(engine, "before_cursor_execute", explain, retval=True)
    try:
        with engine.connect() as connection:
            def plan(words):
                rows = connection.execute(read.statements(read.Filter(search=words))["rows"]).all()
                return "\n".join(row[-1] for row in rows)

            long, short = plan("专业技术 人才"), plan("人才")
    finally:
        event.remove(engine, "before_cursor_execute", explain)
    assert f"SCAN {word_search.FTS_TABLE} VIRTUAL TABLE INDEX" in long, long
    assert "USING INTEGER PRIMARY KEY" in long, long
    assert word_search.FTS_TABLE not in short, short


@sqlite_only
def test_long_and_short_words_fold_case_alike(runner, imported):
    # The index folds more than A-Z; LIKE, which decides, folds A-Z only, for every word alike.
    with sqlite3.connect(imported) as connection:
        connection.execute("UPDATE commitments SET text = 'ÉCOLE Sport' WHERE id = 3")
    connection.close()
    assert found(runner, "ÉC") == found(runner, "ÉCO") == found(runner, "SPORT") == found(runner, "sp") == {3}
    assert found(runner, "éc") == found(runner, "éco") == set()


def build_0006_db(path) -> None:
    """A database as the previous version (revision 0006_changes) left it, with one promise."""
    from alembic import command
    from alembic.config import Config

    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as connection:
        config = Config()
        config.set_main_option("script_location", SCRIPT_LOCATION)
        config.attributes["connection"] = connection
        command.upgrade(config, "0006_changes")
    engine.dispose()
    with sqlite3.connect(path) as connection:
        assert not connection.execute(FTS_OBJECTS).fetchall()
        connection.execute("INSERT INTO letters (id, file, path, content_hash, text, proposers, imported_at) "
                           "VALUES (1, 'old.txt', '/old.txt', 'x', '我局将修订学位建设指南。', '[]', '2023-01-01 00:00:00')")
        connection.execute("INSERT INTO commitments (id, letter_id, text, start_offset, end_offset, sentence, "
                           "sentence_start, paragraph_start, paragraph_end, owner_rule, status, cue, confidence, "
                           "due_kind, due_inferred, due_rule, created_at, updated_at) VALUES (7, 1, "
                           "'我局将修订学位建设指南', 0, 11, '我局将修订学位建设指南。', 0, 0, 12, '', 'open', '将', 0.5, "
                           "'none', 0, '', '2023-01-01 00:00:00', '2023-01-01 00:00:00')")
    connection.close()


@sqlite_only
def test_older_database_gets_the_index_filled(runner, tmp_path):
    path = tmp_path / "tracker.db"
    build_0006_db(path)
    assert ids(runner, "--search", "学位建设 -幼儿园", db=path) == {7}
    with sqlite3.connect(path) as connection:
        assert connection.execute("SELECT version_num FROM alembic_version").fetchall() == [(HEAD,)]
        triggers = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")}
    connection.close()
    # Changed and removed rows reach the index through triggers; new ones in bulk as their write commits.
    assert {f"{word_search.FTS_TABLE}_{name}" for name in ("update", "delete")} <= triggers
    assert word_search.INSERT_TRIGGER not in triggers
    assert fts_rows(path, '"学位建设"') == {7}  # the row stored before the upgrade is in the index
    assert ids(runner, "--search", "学位 建设", db=path) == {7}
    assert ids(runner, "--search", "指南 -学位", db=path) == set()


@sqlite_only
def test_without_the_trigram_tokenizer_search_reads_like(runner, imported, tmp_path, monkeypatch, letters_dir):
    """A SQLite without FTS5's trigram tokenizer: no index, no failed migration, the same answers."""
    words = ["我局 人才", "人才 -调研", "入学", "专业技术 申报指南", "BOLD", "-人才", "人才 -企业人才"]
    expected = [found(runner, w) for w in words]
    monkeypatch.setattr(word_search, "sqlite_trigram", lambda: False)

    plain = tmp_path / "plain.db"
    assert runner.invoke(app, ["--db", str(plain), "import", str(letters_dir)]).exit_code == 0
    old = tmp_path / "old.db"
    build_0006_db(old)
    for path in (plain, old):
        assert ids(runner, db=path) != set()  # opened (and upgraded) at head
        with sqlite3.connect(path) as connection:
            assert connection.execute("SELECT version_num FROM alembic_version").fetchall() == [(HEAD,)]
            assert not connection.execute(FTS_OBJECTS).fetchall()
        connection.close()
    assert [ids(runner, "--search", w, db=plain) for w in words] == expected
    assert ids(runner, "--search", "学位 建设", db=old) == {7}


# ---- the property: the database agrees with plain Python -----------------------------------------

# Latin letters of both cases, Chinese, and what LIKE, FTS5 and the command line treat specially.
ALPHABET = "abcXYZ学位建设教育局人才 %_/\\\"'*-:()^"
texts = st.text(alphabet=ALPHABET, min_size=1, max_size=12)


@st.composite
def searches(draw, stored: list[str]) -> str:
    words = []
    for _ in range(draw(st.integers(1, 4))):
        if draw(st.booleans()):  # a piece of a stored text, so that words often match
            source = draw(st.sampled_from(stored))
            start = draw(st.integers(0, len(source) - 1))
            word = source[start:start + draw(st.integers(1, 5))]
        else:
            word = draw(st.text(alphabet=ALPHABET, min_size=1, max_size=4))
        word = word.replace(" ", "")
        words.append(("-" if draw(st.booleans()) else "") + word)
    return draw(st.sampled_from([" ", "\u3000"])).join(words)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_search_equals_the_python_reference(imported, data):
    engine = store_engine.get_engine(store_engine.resolve_url(imported))
    stored = data.draw(st.lists(texts, min_size=8, max_size=8), label="texts")
    with engine.begin() as connection:  # the triggers keep the index in step
        for commitment_id, value in enumerate(stored, start=1):
            connection.execute(text("UPDATE commitments SET text = :text WHERE id = :id"),
                               {"text": value, "id": commitment_id})
    words = data.draw(searches(stored), label="search")
    include, exclude = parse_words(words)
    expected = {i for i, value in enumerate(stored, start=1) if matches(value, include, exclude)}
    got = {row["id"] for row in Tracker(imported).find_commitments(status="all", search=words)}
    assert got == expected


def test_reference_ignores_the_case_of_latin_letters():
    assert matches("Bold X", ("bOLD", "x"), ())
    assert not matches("Bold X", ("bold",), ("X",))
    assert matches("学位建设", ("学位", "建设"), ("幼儿园",))


@pytest.mark.parametrize("words", ["", "   ", "-", "\u3000-\u3000"])
def test_no_words_select_everything(runner, imported, words):
    assert found(runner, words) == ids(runner)


# ---- PostgreSQL --------------------------------------------------------------------------------

def pg_trgm_index(connection) -> bool:
    return connection.execute(text("SELECT count(*) FROM pg_indexes WHERE indexname = :name"),
                              {"name": word_search.PG_INDEX}).scalar_one() == 1


@postgres_only
def test_postgres_gets_a_trigram_index_new_or_upgraded(runner, imported, tmp_path):
    from alembic import command
    from alembic.config import Config

    with store_engine.get_engine(store_engine.resolve_url(imported)).connect() as connection:
        assert pg_trgm_index(connection)
    from conftest import fresh_database

    with fresh_database(tmp_path / "unused.db") as url:
        engine = create_engine(url)
        with engine.begin() as connection:
            config = Config()
            config.set_main_option("script_location", SCRIPT_LOCATION)
            config.attributes["connection"] = connection
            command.upgrade(config, "0006_changes")
            assert not pg_trgm_index(connection)
        assert ids(runner, "--search", "人才", db=url) == set()  # upgraded on open
        with engine.connect() as connection:
            assert pg_trgm_index(connection)
        engine.dispose()


@postgres_only
def test_postgres_without_the_right_to_create_pg_trgm_goes_on(imported):
    from sqlalchemy.exc import DBAPIError

    engine = store_engine.get_engine(store_engine.resolve_url(imported))
    with engine.connect() as connection:
        transaction = connection.begin()
        try:  # all rolled back, the role too
            connection.exec_driver_sql("DROP EXTENSION pg_trgm CASCADE")
            try:
                with connection.begin_nested():
                    connection.exec_driver_sql("CREATE ROLE tracker_search_test NOLOGIN")
                    connection.exec_driver_sql("GRANT ALL ON ALL TABLES IN SCHEMA public TO tracker_search_test")
            except DBAPIError:
                pytest.skip("this server user may not create roles")
            connection.exec_driver_sql("SET LOCAL ROLE tracker_search_test")
            assert word_search.create_index(connection) is False
            assert not pg_trgm_index(connection)
            assert connection.execute(text("SELECT count(*) FROM commitments")).scalar_one() == 8  # still usable
        finally:
            transaction.rollback()


@sqlite_only
def test_the_index_holds_every_commitment_as_stored_after_imports_and_corrections(runner, imported, letters_dir,
                                                                                  monkeypatch):
    from conftest import BUILDERS, ECON_FILE
    from test_robust_reimport import corrected_facts, corrected_text

    (letters_dir / ECON_FILE).write_text(corrected_text(), encoding="utf-8")
    monkeypatch.setitem(BUILDERS, ECON_FILE, corrected_facts)
    assert runner.invoke(app, ["import", str(letters_dir)]).exit_code == 0  # one reworded, one added
    with sqlite3.connect(imported) as connection:
        # FTS5 compares its index with the commitments' text: it raises if a row is missing or stale.
        connection.execute(f"INSERT INTO {word_search.FTS_TABLE} ({word_search.FTS_TABLE}) "
                           "VALUES ('integrity-check')")
        stored = connection.execute("SELECT count(*) FROM commitments").fetchone()[0]
        indexed = connection.execute(f"SELECT count(*) FROM {word_search.FTS_TABLE}_docsize").fetchone()[0]
    connection.close()
    assert indexed == stored == 9
    assert ids(runner, "--search", "数字化研修班") and ids(runner, "--search", "人才服务驿站")
