"""Schema versions: new databases are stamped at head, older ones backed up and upgraded,
newer ones refused; `tracker db upgrade | backup | check`."""
from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import create_engine

from ouhai_tracker.cli import app
from ouhai_tracker.store import engine as store_engine
from ouhai_tracker.store.migrations import BASE, HEAD, REVISIONS, SCRIPT_LOCATION

from conftest import sqlite_only


def alembic_config(connection):
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", SCRIPT_LOCATION)
    config.attributes["connection"] = connection
    return config


def build_base_revision_db(path: Path, stamped: bool = True) -> None:
    """A database as the first release made it, holding one letter with one promise and its history."""
    from alembic import command

    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as connection:
        command.upgrade(alembic_config(connection), BASE)
    engine.dispose()
    with sqlite3.connect(path) as con:
        con.execute("INSERT INTO letters (id, file, path, content_hash, text, proposers, imported_at) "
                    "VALUES (1, 'old.txt', '/old.txt', 'x', '我局将修订指南。', '[]', '2023-01-01 00:00:00')")
        con.execute("INSERT INTO commitments (id, letter_id, text, start_offset, end_offset, sentence, "
                    "sentence_start, paragraph_start, paragraph_end, owner_rule, status, cue, confidence, "
                    "due_kind, due_inferred, due_rule, created_at, updated_at) VALUES (7, 1, '我局将修订指南', "
                    "0, 7, '我局将修订指南。', 0, 0, 8, '', 'done', '将', 0.5, 'none', 0, '', "
                    "'2023-01-01 00:00:00', '2023-01-01 00:00:00')")
        con.execute("INSERT INTO events (commitment_id, at, action, note) "
                    "VALUES (7, '2023-02-01 00:00:00', 'done', '已修订')")
        if not stamped:  # as the tracker made it before it had migrations
            con.execute("DROP TABLE alembic_version")
    con.close()


def test_revision_list_matches_the_scripts():
    from alembic.script import ScriptDirectory

    scripts = ScriptDirectory(SCRIPT_LOCATION)
    assert scripts.get_current_head() == HEAD
    assert [s.revision for s in scripts.walk_revisions()][::-1] == list(REVISIONS)


@sqlite_only
@pytest.mark.filterwarnings("ignore:.*expression-based index:UserWarning")  # compared below, by its SQL
@pytest.mark.filterwarnings("ignore:Skipped unsupported reflection of expression-based index")
def test_upgraded_database_matches_the_models(tmp_path):
    """Migrations and the models describe the same schema: nothing left for autogenerate to find
    (which cannot compare an index on an expression: that one is compared as SQLite keeps it)."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from ouhai_tracker.store.models import Base
    from ouhai_tracker.store.word_search import schema_object

    path = tmp_path / "old.db"
    build_base_revision_db(path)
    store_engine.get_engine(store_engine.resolve_url(str(path)))
    engine = create_engine(f"sqlite:///{path}")
    with engine.connect() as connection:  # the search index is kept outside the models, as env.py says
        context = MigrationContext.configure(connection, opts={"include_name": schema_object})
        assert compare_metadata(context, Base.metadata) == []
        upgraded = connection.exec_driver_sql("SELECT sql FROM sqlite_master WHERE name = 'uq_policies_title_number'")
        assert upgraded.scalar() == "CREATE UNIQUE INDEX uq_policies_title_number ON policies (title, coalesce(doc_number, ''))"
    engine.dispose()
    fresh = tmp_path / "fresh.db"
    store_engine.get_engine(store_engine.resolve_url(str(fresh)))
    with sqlite3.connect(fresh) as con:
        made = con.execute("SELECT sql FROM sqlite_master WHERE name = 'uq_policies_title_number'").fetchone()[0]
    con.close()
    assert made == "CREATE UNIQUE INDEX uq_policies_title_number ON policies (title, coalesce(doc_number, ''))"


@sqlite_only
def test_fresh_database_is_stamped_at_head(runner, db):
    assert runner.invoke(app, ["config", "set", "class.B", "正在解决"]).exit_code == 0  # the first write makes it
    with sqlite3.connect(db) as con:
        assert con.execute("SELECT version_num FROM alembic_version").fetchall() == [(HEAD,)]
    assert not list(Path(db).parent.glob("*.bak-*"))  # nothing to back up


@sqlite_only
@pytest.mark.parametrize("stamped", [True, False], ids=["base-revision", "unversioned"])
def test_older_database_is_backed_up_and_upgraded(runner, tmp_path, stamped):
    path = tmp_path / "tracker.db"
    build_base_revision_db(path, stamped=stamped)
    result = runner.invoke(app, ["--db", str(path), "list", "--status", "all", "--json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert [(r["id"], r["text"], r["status"]) for r in rows] == [(7, "我局将修订指南", "done")]
    shown = json.loads(runner.invoke(app, ["--db", str(path), "show", "7", "--json"]).stdout)
    assert [(e["action"], e["note"]) for e in shown["history"]] == [("done", "已修订")]

    backups = list(tmp_path.glob("tracker.db.bak-*"))
    assert len(backups) == 1 and len(backups[0].name) == len("tracker.db.bak-20240101120000")
    with sqlite3.connect(backups[0]) as old:
        assert old.execute("SELECT text FROM commitments").fetchall() == [("我局将修订指南",)]
    with sqlite3.connect(path) as new:
        assert new.execute("SELECT version_num FROM alembic_version").fetchall() == [(HEAD,)]
        columns = {row[1] for row in new.execute("PRAGMA table_info(commitments)")}
        indexes = {row[1] for row in new.execute("PRAGMA index_list(letters)")}
    assert "review_state" in columns and "ix_letters_identity" in indexes


@sqlite_only
def test_newer_database_is_refused(runner, db):
    runner.invoke(app, ["config", "set", "class.B", "正在解决"])
    with sqlite3.connect(db) as con:
        con.execute("UPDATE alembic_version SET version_num = '9999'")
    con.close()
    store_engine.forget_engines()  # as a new `tracker` process would find it
    result = runner.invoke(app, ["list"])
    assert result.exit_code == 1
    assert result.stderr.startswith("tracker: error: ") and len(result.stderr.strip().splitlines()) == 1
    assert "revision 9999" in result.stderr and "newer ouhai-tracker" in result.stderr
    with sqlite3.connect(db) as con:  # refused, not touched
        assert con.execute("SELECT version_num FROM alembic_version").fetchall() == [("9999",)]


@sqlite_only
def test_db_upgrade_command_reports_and_backs_up(runner, tmp_path):
    path = tmp_path / "tracker.db"
    build_base_revision_db(path)
    result = runner.invoke(app, ["--db", str(path), "db", "upgrade"])
    assert result.exit_code == 0, result.output
    assert f"upgraded from {BASE} to {HEAD}" in result.stdout and "backup: " in result.stdout
    assert len(list(tmp_path.glob("tracker.db.bak-*"))) == 1
    again = runner.invoke(app, ["--db", str(path), "db", "upgrade"])
    assert again.exit_code == 0 and f"already at {HEAD}" in again.stdout


@sqlite_only
def test_db_backup_and_check(runner, imported, tmp_path):
    copy = tmp_path / "copy.db"
    result = runner.invoke(app, ["db", "backup", str(copy)])
    assert result.exit_code == 0, result.output
    assert str(copy) in result.stdout
    check = runner.invoke(app, ["--db", str(copy), "db", "check"])
    assert check.exit_code == 0, check.output
    assert "integrity: ok" in check.stdout and f"revision: {HEAD}" in check.stdout
    docs = json.loads(runner.invoke(app, ["--db", str(copy), "docs", "--json"]).stdout)
    assert len(docs) == 2
    refused = runner.invoke(app, ["db", "backup", str(copy)])  # never overwrite a file
    assert refused.exit_code == 1 and "exists" in refused.stderr


@sqlite_only
def test_db_check_finds_damage(runner, imported):
    with sqlite3.connect(imported) as con:  # break an index behind SQLite's back
        con.execute("PRAGMA writable_schema=ON")
        con.execute("UPDATE sqlite_master SET sql = replace(sql, 'status, due', 'due, status') "
                    "WHERE name = 'ix_commitments_status_due'")
    con.close()
    store_engine.forget_engines()
    result = runner.invoke(app, ["db", "check"])
    assert result.exit_code == 1
    assert "integrity:" in result.stdout and "integrity: ok" not in result.stdout


def test_db_backup_on_postgres_says_pg_dump(runner, monkeypatch):
    monkeypatch.setenv("TRACKER_DB", "postgresql+psycopg://nobody@127.0.0.1:1/none")
    result = runner.invoke(app, ["db", "backup", "/tmp/x.sql"])
    assert result.exit_code == 1 and "pg_dump" in result.stderr and "Traceback" not in result.output


@sqlite_only
def test_departments_get_their_places_and_what_a_person_taught_survives(runner, tmp_path, monkeypatch):
    """A 0003 database: its departments are read again for place and function classes; a person's
    alias and merge stay, and --dept matches by short form and by place."""
    from alembic import command

    path = tmp_path / "old.db"
    build_base_revision_db(path)
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as connection:
        command.upgrade(alembic_config(connection), "0003_followup")
    engine.dispose()
    with sqlite3.connect(path) as con:
        con.execute("INSERT INTO departments (id, name, short, level) VALUES "
                    "(1, '温州市瓯海区经济和信息化局', '温州市瓯海区经信局', '区'), (2, '区工商业联合会', '区工商联', '区')")
        con.execute("INSERT INTO department_aliases (department_id, alias, source) VALUES (1, '瓯海经信', 'user'),"
                    " (1, '区科技局', 'user')")  # a merge left the other body's name as a person's alias
        con.execute("UPDATE commitments SET owner_id = 1, status = 'open'")
    con.close()
    monkeypatch.setenv("TRACKER_DB", str(path))
    depts = {d["name"]: d for d in json.loads(runner.invoke(app, ["depts", "--json"]).stdout)}
    assert (depts["温州市瓯海区经济和信息化局"]["place"], depts["温州市瓯海区经济和信息化局"]["functions"]) == (
        "温州市瓯海区", ["经信"])
    assert {"瓯海经信", "区科技局"} <= set(depts["温州市瓯海区经济和信息化局"]["aliases"])
    assert depts["区工商业联合会"]["functions"] == ["工商联"]
    for query in ("经信局", "瓯海区经信局", "瓯海区", "瓯海经信", "区科技局"):
        listed = json.loads(runner.invoke(app, ["list", "--dept", query, "--json"]).stdout)
        assert [c["id"] for c in listed] == [7], query
    elsewhere = runner.invoke(app, ["list", "--dept", "临湖区经信局", "--json"])  # no such body: a usage error
    assert elsewhere.exit_code == 2 and "临湖区经信局" in elsewhere.stderr



def _file_state(folder: Path) -> dict[str, bytes]:
    """The files in ``folder`` (SQLite's -wal and -shm of an open database aside: reading makes them)."""
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())
            if p.is_file() and not p.name.endswith(("-wal", "-shm"))}


def _as_the_tracker_made_it(path: Path) -> None:
    with sqlite3.connect(path) as con:
        con.execute("PRAGMA journal_mode=WAL")
    con.close()


@sqlite_only
def test_a_dry_run_never_upgrades_nor_writes(runner, tmp_path, letters_dir):
    """`import --dry-run` on an older database upgraded it and wrote a backup, saying "nothing written"."""
    folder = tmp_path / "db"
    folder.mkdir()
    path = folder / "old.db"
    build_base_revision_db(path)
    _as_the_tracker_made_it(path)
    before = _file_state(folder)
    result = runner.invoke(app, ["--db", str(path), "import", "--dry-run", str(letters_dir)])
    assert result.exit_code == 1, result.output
    assert result.stderr.strip() == (
        f"tracker: error: database sqlite:///{path} has schema revision 0001, older than this tracker's ({HEAD}): "
        "import --dry-run writes nothing, so it does not upgrade it; `tracker db upgrade` does (after a backup "
        "copy), then run it again")
    assert _file_state(folder) == before  # no backup, no upgrade, no WAL
    assert runner.invoke(app, ["--db", str(path), "db", "upgrade"]).exit_code == 0
    again = runner.invoke(app, ["--db", str(path), "import", "--dry-run", str(letters_dir)])
    assert again.exit_code == 0 and "would add" in again.stdout, again.output


@sqlite_only
def test_an_older_database_in_a_read_only_folder_is_read_and_never_changed(runner, tmp_path, monkeypatch):
    """An older database that cannot be upgraded where it is (a read-only folder) is read through
    an upgraded copy: list, show and due work, a change is refused saying why and how, and the
    folder is as it was."""
    folder = tmp_path / "shared"
    folder.mkdir()
    path = folder / "old.db"
    build_base_revision_db(path)
    before = _file_state(folder)
    real_access = os.access
    # The folder is read-only (root would write it anyway: so it is for this process, as for a user's).
    monkeypatch.setattr(os, "access", lambda p, mode, **kw: False if (mode & os.W_OK and Path(p) in (folder, path))
                        else real_access(p, mode, **kw))
    folder.chmod(0o555)
    try:
        listed = runner.invoke(app, ["--db", str(path), "list", "--status", "all", "--json"])
        shown = runner.invoke(app, ["--db", str(path), "show", "7"])
        due = runner.invoke(app, ["--db", str(path), "due", "--all"])
        changed = runner.invoke(app, ["--db", str(path), "reopen", "7"])
        imported = runner.invoke(app, ["--db", str(path), "import", str(tmp_path / "nothing.txt")])
    finally:
        folder.chmod(0o755)
    assert listed.exit_code == 0, listed.output
    assert [(c["id"], c["text"], c["status"]) for c in json.loads(listed.stdout)] == [(7, "我局将修订指南", "done")]
    assert shown.exit_code == 0 and "已修订" in shown.stdout, shown.output
    assert due.exit_code == 0, due.output
    why = (f"tracker: error: database sqlite:///{path} has schema revision 0001, older than this tracker's ({HEAD}), "
           "and it cannot be upgraded here: the file or its folder is read-only; run `tracker db upgrade` where it "
           "can be written, or read a copy of it in a folder you may write")
    for result in (changed, imported):
        assert result.exit_code == 1 and result.stderr.strip() == why, result.output
    assert _file_state(folder) == before


@sqlite_only
def test_ctrl_c_during_an_upgrade_leaves_the_database_as_it_was(runner, tmp_path, monkeypatch):
    """Ctrl-C while a table is rebuilt left `Can't reconnect until invalid transaction is rolled back`."""
    from sqlalchemy import Engine, event

    path = tmp_path / "old.db"
    build_base_revision_db(path)
    seen = []

    def interrupt(conn, cursor, statement, params, context, many):
        if "_alembic_tmp" in statement:  # alembic rebuilding a table, midway through the upgrade
            seen.append(statement)
            if len(seen) == 3:
                raise KeyboardInterrupt

    event.listen(Engine, "before_cursor_execute", interrupt)
    try:
        result = runner.invoke(app, ["--db", str(path), "list", "--status", "all"])
    finally:
        event.remove(Engine, "before_cursor_execute", interrupt)
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        f"tracker: error: interrupted while upgrading the schema of sqlite:///{path}: nothing was changed, the "
        "database is as it was (revision 0001); run the command again to upgrade it")
    with sqlite3.connect(path) as con:
        assert con.execute("SELECT version_num FROM alembic_version").fetchall() == [("0001",)]
        assert con.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert con.execute("SELECT count(*) FROM commitments").fetchone() == (1,)
    con.close()
    store_engine.forget_engines()
    again = runner.invoke(app, ["--db", str(path), "list", "--status", "all"])
    assert again.exit_code == 0 and "我局将修订指南" in again.stdout


@sqlite_only
def test_a_policy_stored_twice_without_a_number_is_one_after_the_upgrade(runner, tmp_path):
    """Two rows of one unnumbered policy (stored by two importers at once) become one: the first,
    cited by every letter and commitment that cited either; a numbered one stays apart."""
    from alembic import command

    path = tmp_path / "old.db"
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as connection:
        command.upgrade(alembic_config(connection), "0012_superseded_letters")
    engine.dispose()
    with sqlite3.connect(path) as con:
        for letter_id in (1, 2):
            con.execute("INSERT INTO letters (id, file, path, content_hash, text, proposers, role, imported_at) "
                        f"VALUES ({letter_id}, '{letter_id}.txt', '/x', 'x{letter_id}', '我局将修订规划。', '[]', "
                        "'lead', '2023-01-01 00:00:00')")
        con.executemany("INSERT INTO policies (id, title, doc_number) VALUES (?, ?, ?)",
                        [(1, "快递业发展规划", None), (2, "快递业发展规划", None), (3, "快递业发展规划", "瓯政发〔2023〕1号")])
        con.executemany("INSERT INTO letter_policies (letter_id, policy_id) VALUES (?, ?)", [(1, 1), (2, 2), (1, 2), (2, 3)])
    con.close()
    result = runner.invoke(app, ["--db", str(path), "policies", "--json"])
    assert result.exit_code == 0, result.output
    assert sorted((p["title"], p["doc_number"] or "", p["documents"]) for p in json.loads(result.stdout)) == [
        ("快递业发展规划", "", ["1.txt", "2.txt"]), ("快递业发展规划", "瓯政发〔2023〕1号", ["2.txt"])]
