"""Importing many letters: read and extract in worker processes, store in this one.

Reading and extraction are pure and CPU-bound, so ``jobs`` worker processes do
them in parallel; the database has one writer (this process), which stores each
letter in its own transaction exactly as a one-letter import does. Results come
back in the order the files were given, and at most a few chunks per worker are
in flight, so memory stays flat however many letters there are.

A letter whose stored text is unchanged is recognised in the worker by its hash
and not extracted again, so re-importing a folder stays cheap.
"""
from __future__ import annotations

import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path

from ouhai_tracker.api import FAILED, NOT_A_LETTER, WOULD_ADD, ImportResult
from ouhai_tracker.extract.model import LetterFacts, Settings

Progress = Callable[[int, int], None]  # (letters done, letters in all)

MAX_LETTER_MB = 20  # a reply letter is a few pages; a bigger file is something else
CHUNK = 8  # letters per task sent to a worker: fewer round trips, still a smooth progress bar
IN_FLIGHT_PER_WORKER = 4  # chunks queued per worker; bounds the parsed letters waiting for the writer


def default_jobs() -> int:
    return os.cpu_count() or 1


def import_paths(paths: Iterable[str | Path], db: str | None, settings: Settings, dry_run: bool = False,
                 jobs: int = 1, progress: Progress | None = None, force: bool = False) -> list[ImportResult]:
    results: list[ImportResult] = []
    todo: list[int] = []  # indexes into results of the files to read
    seen: dict[str, Path] = {}
    for path, problem in _walk(paths):
        result = ImportResult(file=path.name, path=str(path), status=FAILED, reason=problem)
        results.append(result)
        if problem:
            continue
        if path.name in seen:
            result.reason = f"same file name as {seen[path.name]}; the file name is a letter's key, rename one"
            continue
        seen[path.name] = path
        size = _size(path)
        if size > MAX_LETTER_MB * 1024 * 1024:
            result.reason = (f"file is {size / 1024 / 1024:.1f} MB, over the {MAX_LETTER_MB} MB limit for a "
                             "letter; is it really a reply letter?")
            continue
        result.reason = None
        todo.append(len(results) - 1)
    if not dry_run:  # a database that cannot be opened is one error before any file is read
        from ouhai_tracker.store.engine import get_engine, resolve_url

        get_engine(resolve_url(db))
    if not todo:
        return results

    stored = {} if dry_run else _stored_hashes(db, [results[i].file for i in todo])
    tasks = [(i, results[i].file, results[i].path, stored.get(results[i].file)) for i in todo]
    for done, (index, result, parsed) in enumerate(_parse_all(tasks, settings, dry_run, jobs, force), 1):
        results[index] = result
        if parsed is not None and not dry_run:
            _store(result, parsed, db)
        if progress:
            progress(done, len(tasks))
    if not dry_run and any(r.status in ("added", "updated") for r in results):
        _analyze(db)
    return results


# ---- reading and extraction (in a worker, or here when jobs == 1) -----------------------------

def _parse_all(tasks: list[tuple], settings: Settings, dry_run: bool,
               jobs: int, force: bool) -> Iterator[tuple[int, ImportResult, LetterFacts | str | None]]:
    chunks = [tasks[i:i + CHUNK] for i in range(0, len(tasks), CHUNK)]
    if jobs <= 1 or len(chunks) == 1:
        for chunk in chunks:
            yield from _parse_chunk(chunk, settings, dry_run, force)
        return
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        pending: deque[Future] = deque()
        queue = iter(chunks)
        for chunk in queue:
            pending.append(pool.submit(_parse_chunk, chunk, settings, dry_run, force))
            if len(pending) >= jobs * IN_FLIGHT_PER_WORKER:
                yield from pending.popleft().result()
        while pending:
            yield from pending.popleft().result()


def _parse_chunk(chunk: list[tuple], settings: Settings, dry_run: bool, force: bool) -> list[tuple]:
    return [(index, *_parse(file, path, stored_hash, settings, dry_run, force))
            for index, file, path, stored_hash in chunk]


def _parse(file: str, path: str, stored_hash: str | None, settings: Settings,
           dry_run: bool, force: bool = False) -> tuple[ImportResult, LetterFacts | str | None]:
    """The result so far and what the writer stores: facts, the text of a letter stored with the
    same text already (the writer confirms it), or None when there is nothing to store. A file
    without the genre's marks is not a reply letter (``force`` stores it all the same)."""
    from ouhai_tracker import extract, readers  # the module, so a test's patch of extract_letter is seen
    from ouhai_tracker.store.upsert import content_hash

    result = ImportResult(file=file, path=path, status=FAILED)
    try:
        document = readers.read_document(Path(path))
    except readers.ReadError as err:
        result.reason = str(err).removeprefix(f"{path}: ")  # the CLI names the file itself
        return result, None
    except Exception as err:  # noqa: BLE001 - a reader bug must not stop the other letters
        result.reason = f"could not read it ({type(err).__name__}: {err}); please report this file"
        return result, None
    if stored_hash is not None and content_hash(document.text) == stored_hash:
        return result, document.text
    try:
        facts: LetterFacts = extract.extract_letter(document.text, file, settings, document.fallbacks)
    except Exception as err:  # an extraction bug must not stop the other letters
        result.reason = f"extraction failed ({type(err).__name__}: {err}); please report this letter"
        return result, None
    missing = extract.missing_reply_marks(document.text)
    if not force and (missing or not (facts.meta.date or facts.meta.title or facts.commitments)):
        found = "no " + ", no ".join(missing) if missing else "no date, no proposal title and no commitments"
        result.status, result.reason = NOT_A_LETTER, f"{found} (`tracker import --force` stores it anyway)"
        return result, None
    if dry_run:
        result.status = WOULD_ADD
        result.commitments, result.policies = len(facts.commitments), len(facts.policies)
        result.departments = len(facts.departments)
        result.preview = [_preview(c) for c in facts.commitments]
        return result, None
    return result, facts


# ---- the one writer ---------------------------------------------------------------------------

def _stored_hashes(db: str | None, files: list[str]) -> dict[str, str]:
    from sqlalchemy import select

    from ouhai_tracker.store.engine import session_scope
    from ouhai_tracker.store.models import Letter

    hashes: dict[str, str] = {}
    with session_scope(db) as session:
        for start in range(0, len(files), 500):  # stay under any driver's parameter limit
            batch = files[start:start + 500]
            hashes.update(session.execute(select(Letter.file, Letter.content_hash)
                                          .where(Letter.file.in_(batch))).all())
    return hashes


def _store(result: ImportResult, parsed: LetterFacts | str, db: str | None) -> None:
    """One letter, one transaction: it lands whole or, reported as failed, not at all."""
    from ouhai_tracker.errors import TrackerError
    from ouhai_tracker.store.engine import session_scope
    from ouhai_tracker.store.upsert import store_letter, unchanged

    try:
        with session_scope(db, write=True, durable=False) as session:
            if isinstance(parsed, str):  # stored with this text already: report what is there
                outcome = unchanged(session, result.file, parsed)
                if outcome is None:  # changed since we looked: nothing to store without the facts
                    result.reason = "the stored letter changed during the import; import it again"
                    return
            else:
                outcome = store_letter(session, parsed, result.file, result.path)
    except Exception as err:  # noqa: BLE001 - one letter's failure must not stop the others
        result.status = FAILED
        result.reason = (str(err) if isinstance(err, TrackerError)
                         else f"could not store it ({type(err).__name__}: {err}); nothing of it was kept")
        return
    _take_outcome(result, outcome)
    if isinstance(parsed, LetterFacts) and not parsed.commitments:
        result.warning = "no commitments found: is it a reply letter? (stored; see `tracker docs`)"


def _analyze(db: str | None) -> None:
    """Refresh SQLite's table statistics: without them its planner reads `--dept X` open items
    through the status index (every open commitment) instead of the department's own ids."""
    from sqlalchemy import text

    from ouhai_tracker.store.engine import session_scope

    with session_scope(db) as session:
        if session.get_bind().dialect.name == "sqlite":
            session.execute(text("ANALYZE"))


# ---- small helpers ----------------------------------------------------------------------------

def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0  # the reader says why it cannot read it


def _take_outcome(result: ImportResult, outcome) -> None:
    result.status, result.reason = outcome.status, None
    result.commitments, result.policies, result.departments = (
        outcome.commitments, outcome.policies, outcome.departments)
    result.added, result.updated = outcome.added, outcome.updated
    result.unchanged, result.withdrawn = outcome.unchanged, outcome.withdrawn


def _walk(paths: Iterable[str | Path]) -> Iterator[tuple[Path, str | None]]:
    """(file, problem) for each path; folders give their non-hidden files, sorted."""
    for given in map(Path, paths):
        if given.is_dir():
            found = False
            for path in sorted(given.rglob("*")):
                hidden = any(part.startswith(".") for part in path.relative_to(given).parts)
                if path.is_file() and not hidden:
                    found = True
                    yield path, None
            if not found:
                yield given, "no letters in this folder (no files; hidden ones are skipped)"
        elif given.is_file():
            yield given, None
        elif given.exists():
            yield given, "not a regular file"
        else:
            yield given, "no such file or directory"


def _preview(found) -> dict:
    deadline = found.deadline
    return {"text": found.text, "owner": found.owner.name if found.owner else None,
            "partners": [p.department.name for p in found.partners],
            "due": deadline.due.isoformat() if deadline.due else None, "due_kind": deadline.kind,
            "due_text": deadline.text, "due_inferred": deadline.inferred, "condition": deadline.condition,
            "policies": list(found.policies)}
