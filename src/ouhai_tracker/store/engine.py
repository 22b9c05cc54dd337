"""Which database, opened how: `--db` / TRACKER_DB / the user's data directory.

A value with ``://`` is a SQLAlchemy URL; anything else is a file path taken as
SQLite. The schema is created on first use.
"""
from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

from sqlalchemy import Engine, create_engine, event, exc, inspect
from sqlalchemy.engine import URL, make_url
from sqlalchemy.orm import Session

from ouhai_tracker.errors import DatabaseError
from ouhai_tracker.store.models import Base

ENV_VAR = "TRACKER_DB"


def default_path() -> Path:
    import platformdirs

    folder = Path(platformdirs.user_data_dir("ouhai-tracker"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder / "tracker.db"


def resolve_url(db: str | None = None) -> URL:
    """The SQLAlchemy URL for ``db`` (an option value), else $TRACKER_DB, else the default file."""
    value = (db or os.environ.get(ENV_VAR) or "").strip()
    if not value:
        return _sqlite_file(default_path())
    if "://" not in value:
        return _sqlite_file(Path(value).expanduser().resolve())
    try:
        return make_url(value)
    except exc.ArgumentError:
        raise DatabaseError(f"malformed database URL {value!r}: expected e.g. sqlite:///tracker.db "
                            "or postgresql+psycopg://user@host/db") from None


def _sqlite_file(path: Path) -> URL:
    # Built, not formatted: a path may hold characters that mean something in a URL (?, #).
    return URL.create("sqlite", database=str(path))


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    # WAL lets `tracker list` read while an import writes; busy_timeout waits instead of failing.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


@lru_cache(maxsize=8)
def get_engine(url: URL) -> Engine:
    """An engine for ``url`` with the schema in place; one per URL per process."""
    shown = url.render_as_string(hide_password=True)
    try:
        engine = create_engine(url)
    except (exc.ArgumentError, exc.NoSuchModuleError) as err:
        raise DatabaseError(f"cannot use database {shown}: {err}") from None
    except ImportError as err:
        raise DatabaseError(f"cannot use database {shown}: driver not installed ({err.name})") from None
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    try:
        if not inspect(engine).has_table("commitments"):
            Base.metadata.create_all(engine)
    except exc.SQLAlchemyError as err:
        engine.dispose()
        raise DatabaseError(f"cannot open database {shown}: {_reason(err)}") from None
    return engine


def _reason(err: exc.SQLAlchemyError) -> str:
    """The driver's own message, without SQLAlchemy's SQL echo and background link."""
    orig = getattr(err, "orig", None)
    return str(orig if orig is not None else err).strip().splitlines()[0]


@contextmanager
def session_scope(db: str | None = None) -> Iterator[Session]:
    """One transaction: committed when the block ends, rolled back whole if it raises."""
    engine = get_engine(resolve_url(db))
    session = Session(engine, expire_on_commit=False)
    try:
        yield session
        session.commit()
    except exc.SQLAlchemyError as err:
        session.rollback()
        raise DatabaseError(f"database error: {_reason(err)}") from None
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()
