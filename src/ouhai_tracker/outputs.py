"""Files the tracker writes for a person (reports, exports, calendars, backups).

The command line writes them, here: the service and the renderers return data and bytes (a
backup is the store's copy, checked here first).

An output never lands on the database (its file, nor its -wal, -shm or -journal, however the
path reaches it: a link, a hard link, `..`); an existing file is replaced only when asked
(``force``, the commands' --force), and only a regular file (never a pipe, a device or a folder); and a file is written whole or not at all: into a temporary
file beside it, then renamed over the target.
"""
from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path

from ouhai_tracker.errors import BadInput
from ouhai_tracker.i18n import _

SIDE_FILES = ("-wal", "-shm", "-journal")  # SQLite's files beside a database


def database_files(db: str | None) -> list[Path]:
    """The SQLite database ``db`` names and the files SQLite keeps beside it (none for a server)."""
    from ouhai_tracker.store.location import named, sqlite_file

    path = sqlite_file(db)  # a file, without loading SQLAlchemy
    if path is None and str(named(db)).startswith("sqlite"):  # a SQLite URL with options: the store reads it
        from ouhai_tracker.store.engine import resolve_url, sqlite_path

        path = sqlite_path(resolve_url(db))
    if path is None:
        return []
    path = path.expanduser().resolve()
    return [path, *(path.with_name(path.name + suffix) for suffix in SIDE_FILES)]


def not_the_database(target: str | Path, db: str | None) -> Path:
    """``target`` resolved, after making sure it is neither the database nor a file SQLite keeps
    beside it, however the path gets there (a link, a hard link, ``..``)."""
    path = Path(target).expanduser().resolve()  # through links: a link to the database is the database
    for number, database in enumerate(database_files(db)):
        if path == database or (path.exists() and database.exists() and os.path.samefile(path, database)):
            what = _("the database") if number == 0 else \
                _("a file of the database ({name})").format(name=database.name)
            raise BadInput(_("{path} is {what}: give another file name for the output").format(path=target, what=what))
    return path


def check_target(target: str | Path, db: str | None, force: bool = False) -> Path:
    """``target`` resolved, after making sure it may be written: not the database, and not an
    existing file unless ``force``."""
    given = str(target)
    path = not_the_database(target, db)
    if path.is_dir():
        raise BadInput(_("{path} is a folder: give a file name").format(path=given))
    try:
        mode = path.stat().st_mode
    except OSError:
        mode = None
    if mode is not None and not stat.S_ISREG(mode):  # replaced by a file even with --force, it would be lost
        what = (_("a named pipe (FIFO)") if stat.S_ISFIFO(mode) else _("a device") if stat.S_ISCHR(mode) or
                stat.S_ISBLK(mode) else _("a socket") if stat.S_ISSOCK(mode) else _("not a regular file"))
        raise BadInput(_("{path} is {what}: the tracker replaces regular files only; give a file name").format(
            path=given, what=what))
    if path.exists() and not force:
        raise BadInput(_("{path} exists: give --force to replace it, or another file name").format(path=given))
    return path


def write_file(target: str | Path, data: bytes | str, db: str | None, force: bool = False) -> Path:
    """Write ``data`` to ``target`` (see ``check_target``) through a temporary file and a rename,
    so a reader never sees half a file and a failure leaves the old one as it was."""
    path = check_target(target, db, force)
    if isinstance(data, str):
        data = data.encode("utf-8")
    try:
        mode = stat.S_IMODE(path.stat().st_mode) if path.exists() else _default_mode()
        handle = tempfile.NamedTemporaryFile(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp", delete=False)
    except OSError as err:
        raise BadInput(_("cannot write {path}: {reason}").format(path=target, reason=err.strerror or err)) from None
    temporary = Path(handle.name)
    try:
        with handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except OSError as err:
        temporary.unlink(missing_ok=True)
        raise BadInput(_("cannot write {path}: {reason}").format(path=target, reason=err.strerror or err)) from None
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return path


def check_folder(folder: str | Path, db: str | None, force: bool = False) -> Path:
    """A folder to write files into: new, empty, or (with ``force``) one whose files may be replaced."""
    given = str(folder)
    path = Path(folder).expanduser().resolve()
    if path.exists() and not path.is_dir():
        check_target(path, db, force=False)  # the database itself is named as such
        raise BadInput(_("{path} exists and is not a folder: give a new folder for the files").format(path=given))
    if path.is_dir() and any(path.iterdir()) and not force:
        raise BadInput(_("{path} exists and is not an empty folder: give a new folder for the files, "
                         "or --force to replace the files in it").format(path=given))
    return path


def _default_mode() -> int:
    """What open() would give a new file: 0666 less the umask."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def write_csv(folder: str | Path, tables: dict[str, list[dict]], db: str | None, force: bool) -> list[str]:
    """One ``<table>.csv`` per table in ``folder`` (csv_bytes)."""
    path = check_folder(folder, db, force)
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise BadInput(_("cannot write {path}: {reason}").format(path=folder, reason=err.strerror or err)) from None
    return [str(write_file(path / f"{name}.csv", csv_bytes(rows), db, force=True)) for name, rows in tables.items()]


def csv_bytes(rows: list[dict]) -> bytes:
    """A table as a CSV file's bytes: UTF-8 with a byte-order mark (Excel reads Chinese by it),
    lists as JSON in a cell, every cell inert."""
    import csv
    import io
    import json

    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(list(rows[0]) if rows else [])
    # inert_cell's rule, inlined: this loop meets every cell of the database (800,000 at 20,000
    # promises). Numbers first: a third of the cells, and nothing to do.
    writer.writerows([(v if (kind := type(v)) is int or kind is float
                       else ("'" + v if v[:1] in FORMULA_FIRST else v) if kind is str
                       else "" if v is None
                       else inert_cell(json.dumps(v, ensure_ascii=False)) if kind is list
                       else inert_cell(v)) for v in row.values()] for row in rows)
    return buffer.getvalue().encode("utf-8-sig")


# OWASP's rule for CSV injection: a spreadsheet runs a cell that starts with one of these.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
FORMULA_FIRST = frozenset(FORMULA_STARTS)


def inert_cell(value):
    """A spreadsheet cell that is data, never a formula: text starting with = + - @ tab or CR gets
    a leading ' (which spreadsheets show as text and do not print); numbers stay numbers."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value
