"""The content hashes of the letters stored under some file names (where an import starts from).

One statement and one loop, run by whichever driver is open: the stdlib one on a SQLite file
before SQLAlchemy has loaded (fastread.stored_hashes, so that an import's workers start at
once), SQLAlchemy's on any other database. Plain SQL with named parameters, which both take.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

BATCH = 500  # file names a statement asks for: under any driver's parameter limit

Execute = Callable[[str, Mapping[str, str]], Iterable[tuple[str, str]]]


def statement(count: int) -> str:
    """The letters' (file, content hash) for ``count`` file names, given as :f0, :f1 …"""
    return f"SELECT file, content_hash FROM letters WHERE file IN ({', '.join(f':f{i}' for i in range(count))})"


def stored_hashes(execute: Execute, files: list[str]) -> dict[str, frozenset[str]]:
    """{file name: the content hashes of the letters stored under it}, ``execute`` running a
    statement with its parameters on the open connection."""
    hashes: dict[str, set[str]] = {}
    for start in range(0, len(files), BATCH):
        batch = files[start:start + BATCH]
        for file, digest in execute(statement(len(batch)), {f"f{i}": name for i, name in enumerate(batch)}):
            hashes.setdefault(file, set()).add(digest)
    return {file: frozenset(digests) for file, digests in hashes.items()}
