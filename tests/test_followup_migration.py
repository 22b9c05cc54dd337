"""Migration 0003_followup: fresh databases get the following-up tables; a 0002 database is upgraded
in place, its done commitments taken as kept on the day of their last 'done' event."""
from __future__ import annotations

import json
import sqlite3

from sqlalchemy import create_engine

from ouhai_tracker.cli import app
from ouhai_tracker.store.migrations import HEAD, REVISIONS

from conftest import sqlite_only
from test_migrations import alembic_config, build_base_revision_db


@sqlite_only
def test_the_followup_revision_is_in_the_chain():
    assert "0003_followup" in REVISIONS and REVISIONS.index("0003_followup") < REVISIONS.index(HEAD) + 1


def build_0002_db(path) -> None:
    from alembic import command

    build_base_revision_db(path)
    with sqlite3.connect(path) as con:  # a second promise, still open, and a later done event for #7
        con.execute("INSERT INTO commitments (id, letter_id, text, start_offset, end_offset, sentence, "
                    "sentence_start, paragraph_start, paragraph_end, owner_rule, status, cue, confidence, "
                    "due_kind, due, due_inferred, due_rule, created_at, updated_at) VALUES (8, 1, '指南', "
                    "4, 6, '我局将修订指南。', 0, 0, 8, '', 'open', '将', 0.5, 'date', '2023-12-31', 0, '', "
                    "'2023-01-01 00:00:00', '2023-01-01 00:00:00')")
        con.execute("INSERT INTO events (commitment_id, at, action, on_date) "
                    "VALUES (7, '2023-03-09 10:00:00', 'done', '2023-03-05')")
    con.close()
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as connection:
        command.upgrade(alembic_config(connection), "0002")
    engine.dispose()


@sqlite_only
def test_0002_database_is_upgraded_with_done_taken_as_kept(runner, tmp_path):
    path = tmp_path / "tracker.db"
    build_0002_db(path)
    result = runner.invoke(app, ["--db", str(path), "list", "--status", "all", "--json", "--as-of", "2024-01-01"])
    assert result.exit_code == 0, result.output
    rows = {r["id"]: r for r in json.loads(result.stdout)}
    assert (rows[7]["outcome"], rows[7]["outcome_on"]) == ("kept", "2023-03-05")
    assert (rows[8]["outcome"], rows[8]["schedule"], rows[8]["review"]) == ("not-yet-rated", "overdue", "unreviewed")
    # The new tables work on the upgraded database.
    assert runner.invoke(app, ["--db", str(path), "feedback", "old.txt", "--rating", "不满意"]).exit_code == 0
    assert runner.invoke(app, ["--db", str(path), "config", "set", "class.B", "在办"]).exit_code == 0
    assert runner.invoke(app, ["--db", str(path), "rate", "8", "--outcome", "stalled",
                               "--evidence", "https://x.example"]).exit_code == 0
    with sqlite3.connect(path) as con:
        assert con.execute("SELECT version_num FROM alembic_version").fetchall() == [(HEAD,)]
        assert con.execute("SELECT evidence FROM events WHERE commitment_id = 8").fetchall()[-1] == ("https://x.example",)
    assert len(list(tmp_path.glob("tracker.db.bak-*"))) == 1


@sqlite_only
def test_fresh_database_has_the_followup_schema(runner, db):
    assert runner.invoke(app, ["config", "set", "class.B", "正在解决"]).exit_code == 0  # the first write makes it
    with sqlite3.connect(db) as con:
        tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        columns = {r[1] for r in con.execute("PRAGMA table_info(commitments)")}
    assert {"letter_feedback", "settings"} <= tables and {"outcome", "outcome_on", "review_state"} <= columns


@sqlite_only
def test_downgrade_to_0002_and_up_again(tmp_path):
    from alembic import command

    path = tmp_path / "tracker.db"
    build_0002_db(path)
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as connection:
        command.upgrade(alembic_config(connection), "head")
    with engine.begin() as connection:
        command.downgrade(alembic_config(connection), "0002")
    with sqlite3.connect(path) as con:
        assert "outcome" not in {r[1] for r in con.execute("PRAGMA table_info(commitments)")}
    with engine.begin() as connection:
        command.upgrade(alembic_config(connection), "head")
    engine.dispose()
