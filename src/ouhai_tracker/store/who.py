"""Who is running the tracker: the login each change a person makes records (no database here,
so that the SQLite fast path for `done` needs no SQLAlchemy either)."""
from __future__ import annotations


def login() -> str | None:
    """The name of the person running the tracker, as the operating system knows them."""
    import getpass

    try:
        return getpass.getuser()
    except (OSError, KeyError, ImportError):
        return None
