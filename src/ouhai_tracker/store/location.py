"""Which database a --db value names (else $TRACKER_DB, else the default file), read one way.

Plain: the stdlib fast paths (fastread.py, fastwrite.py, an import's first look at the stored
letters) and the store (engine.resolve_url) both start from here, so they open the same file.
"""
from __future__ import annotations

import os
from pathlib import Path

ENV_VAR = "TRACKER_DB"


def default_path() -> Path:
    """The default database: tracker.db in the user's data folder (neither made here)."""
    import platformdirs

    return Path(platformdirs.user_data_dir("ouhai-tracker")) / "tracker.db"


def named(db: str | None) -> Path | str:
    """What ``db`` (an option value), else $TRACKER_DB, else the default names: a SQLite file's
    absolute path, or a URL as given (another database, or SQLite written as a URL)."""
    value = (db or os.environ.get(ENV_VAR) or "").strip()
    if not value:
        return default_path()
    if "://" not in value:
        return Path(value).expanduser().resolve()
    return value


def sqlite_file(db: str | None) -> Path | None:
    """The SQLite file ``db`` names, or None for other databases and for a SQLite URL with
    options (the store alone reads those)."""
    target = named(db)
    if isinstance(target, Path):
        return target
    if target.startswith("sqlite:///") and "?" not in target:
        return Path(target.removeprefix("sqlite:///")).expanduser().resolve()
    return None
