"""Importing many letters: read and extract in worker processes, store in this one.

Reading and extraction are pure and CPU-bound, so ``jobs`` worker processes do them in
parallel; the database has one writer (this process). Letters are stored in the order the
files were given, each as soon as it and those before it are read, and at most a few letters
per worker are read ahead, so memory stays flat however many letters there are.

The writer stores letters in batches: one transaction for up to BATCH_LETTERS letters or
BATCH_SECONDS seconds, each letter in a savepoint of its own, so a letter that fails rolls back
alone, exactly as in a one-letter import. One commit for many letters is what lets an import
keep up with the workers. A letter's line comes out when its batch has committed, never before
(a killed import has said nothing of letters it did not keep), and a batch commits as soon as
the next letter is not ready, so lines keep pace with a slow file.

Each file is read in a worker that this process kills when the file takes longer than the
time limit (``--file-timeout``): a hostile or broken file fails alone and the others go on.
Workers die with this process (a parent-death signal, else a watcher thread), so a killed
import leaves no process behind.

A letter whose stored text is unchanged is recognised in the worker by its hash and not
extracted again, so re-importing a folder stays cheap.
"""
from __future__ import annotations

import errno
import functools
import os
import re
import stat
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, cast

from ouhai_tracker.errors import DatabaseError
from ouhai_tracker.extract.model import LetterFacts, Settings, content_hash
from ouhai_tracker.i18n import N_

if TYPE_CHECKING:  # the worker pool is imported only when letters are parsed in parallel
    from ouhai_tracker.workers import Pool

FAILED, NOT_A_LETTER, OLDER = "failed", "not a reply letter", "older version, not stored"
# What a dry run says for what an import would do; unchanged is the same word for both.
WOULD = {"added": "would add", "updated": "would update", "unchanged": "unchanged",
         OLDER: OLDER}


@dataclass
class ImportResult:
    file: str  # the file's name
    path: str
    # added, updated, unchanged, older version, not stored (a newer version is stored), would add /
    # would update (dry run), failed, not a reply letter
    status: str
    commitments: int = 0
    policies: int = 0
    departments: int = 0
    reason: str | None = None  # why it failed
    preview: list[dict] = field(default_factory=list)  # dry run: the commitments that would be stored
    # The letter's commitments: new, changed, untouched, and no longer in the letter (withdrawn).
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    withdrawn: int = 0
    warning: str | None = None  # stored, but something looks wrong
    letter_id: int | None = None  # the stored letter (added, updated or unchanged)
    links: int | None = None  # a reply that follows up an earlier one: the links proposed to earlier promises
    follows_up: bool = False  # it reports on an earlier reply (落实情况, 同类提案作过答复 …): see follows_up()
    # The stored letter the file was taken for: the name it had, and what matched (file name,
    # proposal number and session, replying unit, date and title). None for a new letter.
    matched_file: str | None = None
    matched_by: str | None = None
    newer: str | None = None  # an older version: the stored letter that is newer
    # Unchanged, but its stored facts were read otherwise than this import would read them
    # (--vague-months 3 (not 6), earlier rules): `tracker reread` reads it again.
    read_with: str | None = None

    @property
    def ok(self) -> bool:
        return self.status not in (FAILED, NOT_A_LETTER)

    def to_dict(self) -> dict:
        return asdict(self)


class LetterBatch(Protocol):
    """Letters stored in one transaction, each in a savepoint (a dry run rolls each back)."""

    def store(self, parsed: LetterFacts | str, file: str, path: str, claimed: dict[int, str]): ...
    def commit(self) -> None: ...  # ends the batch; the next store opens another
    def close(self) -> None: ...  # rolls back what is not committed


class LetterStore(Protocol):
    """Where the one writer stores letters (the Tracker gives it; it opens the transactions)."""

    def check(self) -> None: ...
    def exists(self) -> bool: ...
    def stored_hashes(self, files: list[str]) -> dict[str, frozenset[str]]: ...
    def batch(self, dry_run: bool = False, settings: Settings | None = None) -> LetterBatch: ...
    def analyze(self) -> None: ...

Progress = Callable[[int, int], None]  # (letters done, letters in all)
OnResult = Callable[[ImportResult], None]  # called with each file's result as soon as it is final

# What a file lacks to be a reply letter (extract.missing_reply_marks), as the user reads it.
MISSING = {"proposal": N_("no proposal or suggestion (提案/建议/议案)"),
           "answer": N_("no answer to it (收悉, 现答复如下, 关于…建议的答复)"),
           "prose": N_("no Chinese prose (it is mostly markup or another language)")}
MAX_LETTER_MB = 20  # a reply letter is a few pages; a bigger file is something else
FILE_TIMEOUT = 60.0  # seconds to read and extract one file before it is given up
IN_FLIGHT_PER_WORKER = 4  # letters read ahead per worker; bounds the parsed letters waiting for the writer
# A batch of letters commits at this many letters or seconds, or when the writer would wait
# IDLE_SECONDS for the next letter: a lock held a moment, lines that keep pace.
BATCH_LETTERS, BATCH_SECONDS, IDLE_SECONDS = 100, 0.25, 0.05


class ClosingStepFailed(DatabaseError):
    """Every letter was stored (or failed) as ``results`` say, but the step after them failed."""

    def __init__(self, message: str, results: list[ImportResult]) -> None:
        super().__init__(message)
        self.results = results


def default_jobs() -> int:
    return os.cpu_count() or 1


def import_paths(paths: Iterable[str | Path], store: LetterStore, settings: Settings, dry_run: bool = False,
                 jobs: int = 1, progress: Progress | None = None, on_result: OnResult | None = None,
                 file_timeout: float = FILE_TIMEOUT, force: bool = False) -> list[ImportResult]:
    results: list[ImportResult] = []
    todo: list[int] = []  # indexes into results of the files to read
    sources: dict[int, str] = {}  # the paths to read, as the system names them (results' are for people)
    for path, problem in _walk(paths):
        sources[len(results)] = str(path)
        result = ImportResult(file=shown(path.name), path=shown(str(path)), status=FAILED, reason=problem)
        results.append(result)
        if problem:
            continue
        size = _size(path)
        if size > MAX_LETTER_MB * 1024 * 1024:
            result.reason = N_("file is {size} MB, over the {most} MB limit for a letter; is it really a reply "
                               "letter?").format(size=f"{size / 1024 / 1024:.1f}", most=MAX_LETTER_MB)
            continue
        result.reason = None
        todo.append(len(results) - 1)
    # A dry run compares with the database when there is one (a missing one is not created).
    compare = not dry_run or store.exists()
    # The letters stored under these names, by their hashes: a worker does not extract a letter
    # stored with the same text. Read first, on SQLite without SQLAlchemy, so that the workers
    # start while it loads; a database that cannot be opened is one error before any line.
    stored = {} if not compare or not todo else store.stored_hashes([results[i].file for i in todo])
    tasks = [(i, results[i].file, results[i].path, sources[i], stored.get(results[i].file, frozenset()))
             for i in todo]
    # Lines in the order the files were given: the ones that fail before reading come out as
    # soon as every file before them is done.
    reported = 0

    def report_up_to(index: int) -> None:
        nonlocal reported
        while reported < index:
            if on_result:
                on_result(results[reported])
            reported += 1

    claimed: dict[int, str] = {}  # letters stored by this import: id -> the file they came from

    def unreported(letter_id: int) -> ImportResult | None:
        """The result, not printed yet, of the file this import stored letter ``letter_id`` from."""
        return next((results[i] for i in waiting if results[i].letter_id == letter_id and results[i].status in
                     ("added", "updated")), None)

    batch = store.batch(dry_run, settings) if compare else None
    waiting: list[int] = []  # the results stored in the open batch: final when it commits
    opened = 0.0  # when the open batch stored its first letter
    seen = 0  # the results before this one are final once the open batch commits

    def commit() -> None:
        if batch is not None and waiting:
            try:
                batch.commit()
            except Exception as err:  # noqa: BLE001 - the batch is lost: say so of each of its letters
                _lost(results, waiting, claimed, err)
            waiting.clear()
        report_up_to(seen)

    reading = _Reading(tasks, settings, dry_run, jobs, file_timeout, force, idle=commit)
    try:
        reading.start()
        if compare:
            store.check()
        for done, (index, result, parsed) in enumerate(reading, 1):
            results[index], seen = result, index + 1
            if parsed is not None and batch is not None:
                if not waiting:
                    opened = time.monotonic()
                if _store(result, parsed, batch, claimed, dry_run, unreported, settings):
                    waiting.append(index)
            if len(waiting) >= BATCH_LETTERS or (waiting and time.monotonic() - opened >= BATCH_SECONDS):
                commit()
            report_up_to(waiting[0] if waiting else seen)
            if progress:
                progress(done, len(tasks))
        commit()
    finally:
        reading.close()
        if batch is not None:
            batch.close()  # what an interruption left uncommitted is rolled back, and was never reported
    report_up_to(len(results))
    if not dry_run and any(r.status in ("added", "updated") for r in results):
        try:
            store.analyze()
        except Exception as err:  # noqa: BLE001 - the letters are stored; say so, then what failed
            reason = str(err) if isinstance(err, DatabaseError) else f"{type(err).__name__}: {err}"
            raise ClosingStepFailed(f"the letters above were stored, but refreshing the database's statistics "
                                    f"(ANALYZE) failed: {reason}", results) from None
    return results


# ---- reading and extraction (in worker processes) ----------------------------------------------

class _Reading:
    """The tasks' files read and extracted in worker processes, a few letters ahead of the
    writer. ``start()`` sets the workers going (forked before the database opens, they need not
    wait for SQLAlchemy to load); iterating gives (index, result, parsed) in the tasks' order,
    calling ``idle()`` when the next one has kept the caller waiting IDLE_SECONDS; ``close()``
    stops the workers."""

    def __init__(self, tasks: list[tuple], settings: Settings, dry_run: bool, jobs: int, timeout: float,
                 force: bool = False, idle: Callable[[], None] | None = None) -> None:
        self.tasks, self.jobs, self.timeout, self.idle = tasks, jobs, timeout, idle
        self.args = (settings, dry_run, force)
        self.pool: Pool | None = None
        self.sent = 0

    def start(self) -> None:
        if self.pool is None and self.tasks:
            from ouhai_tracker import workers

            self.pool = workers.Pool(min(max(self.jobs, 1), len(self.tasks)), _parse_task, self.args,
                                     depth=IN_FLIGHT_PER_WORKER)
            self._send(0)

    def _send(self, next_out: int) -> None:
        """Keep each worker's queue full, up to a window ahead of the next one the caller needs."""
        assert self.pool is not None, "start() makes the pool"
        window = self.pool.size * IN_FLIGHT_PER_WORKER
        while self.sent < len(self.tasks) and self.sent < next_out + window and self.pool.can_take():
            self.pool.submit(self.sent, self.tasks[self.sent])
            self.sent += 1

    def __iter__(self) -> Iterator[tuple[int, ImportResult, LetterFacts | str | None]]:
        from ouhai_tracker import workers

        self.start()
        tasks, timeout, idle = self.tasks, self.timeout, self.idle
        done: dict[int, tuple] = {}
        next_out = 0
        started, idled = None, idle is None  # since when the next one is awaited; idle() called
        while next_out < len(tasks):
            self._send(next_out)
            if next_out not in done:
                started = time.monotonic() if started is None else started
                waited = time.monotonic() - started
                if idle is not None and waited >= IDLE_SECONDS and not idled:
                    idle()
                    idled = True
                assert self.pool is not None
                for position, outcome, problem in self.pool.wait(timeout, None if idled else IDLE_SECONDS - waited):
                    index, file, path, _, _ = tasks[position]
                    if problem is None:
                        done[position] = cast(tuple, outcome)  # what _parse_task returned
                        continue
                    result = ImportResult(file=file, path=path, status=FAILED)
                    result.reason = (N_("took longer than {seconds} s to read (--file-timeout); is it really a "
                                        "reply letter?").format(seconds=f"{timeout:g}") if problem == workers.TIMEOUT
                                     else N_("the process reading it stopped ({reason}); please report this "
                                             "file").format(reason=problem))
                    done[position] = (index, result, None)
                continue
            yield done.pop(next_out)
            next_out += 1
            started, idled = None, idle is None

    def close(self) -> None:
        if self.pool is not None:
            self.pool.close()


def read_later_files(files: list[tuple[Path, str | None]], jobs: int = 1, timeout: float = FILE_TIMEOUT,
                     meanwhile: Callable[[], None] | None = None) -> list[dict]:
    """Later documents read for `import --evidence`, in the order given: each file's text, whether
    it is a reply letter, and its sentences as the linking reads them (a problem, if it could not
    be read). Read in worker processes, forked before the database opens: ``meanwhile()`` runs
    here as they read (loading SQLAlchemy costs more than reading a document)."""
    from ouhai_tracker import workers

    todo = [i for i, (_, problem) in enumerate(files) if problem is None]
    done: dict[int, dict] = {i: _later_item(path, problem) for i, (path, problem) in enumerate(files)
                             if problem is not None}
    pool = workers.Pool(min(max(jobs, 1), len(todo)), _read_later_task, depth=IN_FLIGHT_PER_WORKER) if todo else None
    waiting = iter(todo)

    def send() -> None:  # keep each worker's queue full
        while pool is not None and pool.can_take() and (position := next(waiting, None)) is not None:
            pool.submit(position, files[position])

    try:
        send()
        if meanwhile is not None:
            meanwhile()
        while pool is not None and len(done) < len(files):
            for position, item, problem in pool.wait(timeout):
                path = files[position][0]
                done[position] = cast(dict, item) if problem is None else _later_item(path, (
                    N_("took longer than {seconds} s to read (--file-timeout)").format(seconds=f"{timeout:g}")
                    if problem == workers.TIMEOUT else
                    N_("the process reading it stopped ({reason}); please report this file").format(reason=problem)))
            send()
    finally:
        if pool is not None:
            pool.close()
    return [done[i] for i in range(len(files))]


def _later_item(path: Path, problem: str | None) -> dict:
    return {"file": shown(path.name), "path": shown(str(path)), "text": "", "problem": problem, "letter": None,
            "is_letter": False, "later": None, "sentences": []}


def _read_later_task(task: tuple[Path, str | None]) -> dict:
    """One later document read (in a worker): its text, whether it is a reply letter, its sentences."""
    from ouhai_tracker import readers
    from ouhai_tracker.evidence.later import read_later
    from ouhai_tracker.evidence.link import read_sentence
    from ouhai_tracker.extract import missing_reply_marks
    from ouhai_tracker.extract.metadata import read_metadata

    path, _ = task
    item = _later_item(path, None)
    try:
        item["text"] = text = readers.read_document(path).text
    except readers.ReadError as err:
        item["problem"] = str(err).removeprefix(f"{path}: ")
        return item
    except Exception as err:  # noqa: BLE001 - a reader bug must not stop the other documents
        item["problem"] = f"could not read it ({type(err).__name__}: {err})"
        return item
    if text and not missing_reply_marks(text):
        meta = read_metadata(text)
        item["is_letter"] = bool(meta.title or meta.number)
    if text:
        item["later"] = later = read_later(text, letter=item["is_letter"])
        item["sentences"] = [read_sentence(s) for s in later.sentences]
    return item


def _parse_task(task: tuple, settings: Settings, dry_run: bool, force: bool) -> tuple:
    index, file, path, source, stored_hashes = task
    return (index, *_parse(file, path, stored_hashes, settings, dry_run, force, source))


@functools.cache
def _follow_up_cue() -> re.Pattern:
    from ouhai_tracker.extract.rules.evidence import FOLLOWS_UP

    return re.compile("|".join(FOLLOWS_UP))


def follows_up(text: str) -> bool:
    """Does a reply report on an earlier one (落实情况, 同类提案作过答复 …)? Its links to earlier
    promises are proposed once it is stored. Asked where the letter is read (a worker), so that
    the writer need not read every letter again."""
    return _follow_up_cue().search(text) is not None


def shown(name: str) -> str:
    """A file name as text: a name that is not UTF-8 (GBK bytes from another system) keeps its
    bytes, escaped (\\xb4\\xf0.txt), so it can be stored, printed and found again."""
    return os.fsencode(name).decode("utf-8", "backslashreplace")


def _parse(file: str, path: str, stored_hashes: frozenset[str], settings: Settings,
           dry_run: bool, force: bool = False, source: str | None = None) -> tuple[ImportResult, LetterFacts | str | None]:
    """The result so far and what the writer stores: facts, the text of a letter stored with the
    same text already (the writer confirms it), or None when there is nothing to store. A file
    without the genre's marks is not a reply letter (``force`` stores it all the same)."""
    from ouhai_tracker import extract, readers  # the module, so a test's patch of extract_letter is seen

    result = ImportResult(file=file, path=path, status=FAILED)
    try:
        document = readers.read_document(Path(source or path))
    except readers.ReadError as err:
        result.reason = shown(str(err)).removeprefix(f"{path}: ")  # the CLI names the file itself
        return result, None
    except Exception as err:  # noqa: BLE001 - a reader bug must not stop the other letters
        result.reason = N_("could not read it ({reason}); please report this file").format(
            reason=f"{type(err).__name__}: {err}")
        return result, None
    if stored_hashes and content_hash(document.text) in stored_hashes:
        return result, document.text
    try:
        facts: LetterFacts = extract.extract_letter(document.text, file, settings, document.fallbacks)
    except Exception as err:  # an extraction bug must not stop the other letters
        result.reason = N_("extraction failed ({reason}); please report this letter").format(
            reason=f"{type(err).__name__}: {err}")
        return result, None
    result.follows_up = follows_up(document.text)
    missing = extract.missing_reply_marks(document.text)
    if not force and (missing or not (facts.meta.date or facts.meta.title or facts.commitments)):
        found = "; ".join(MISSING[mark] for mark in missing) if missing else N_("no date, no proposal title and no commitments")
        result.status = NOT_A_LETTER
        result.reason = N_("{reason} (`tracker import --force` stores it anyway)").format(reason=found)
        return result, None
    if dry_run:  # what the letter holds; the writer, if there is a database, says what would change
        result.status = WOULD["added"]
        result.commitments, result.policies = len(facts.commitments), len(facts.policies)
        result.departments = len(facts.departments)
        result.preview = [_preview(c) for c in facts.commitments]
    return result, facts


# ---- the one writer ---------------------------------------------------------------------------

def _store(result: ImportResult, parsed: LetterFacts | str, batch: LetterBatch, claimed: dict[int, str],
           dry_run: bool = False, unreported: Callable[[int], ImportResult | None] = lambda _: None,
           settings: Settings | None = None) -> bool:
    """One letter, one savepoint: it lands whole or, reported as failed, not at all. A dry run
    stores it the same way and rolls it back, so it says exactly what the import would.
    Whether it was stored (its batch's commit makes it final)."""
    try:
        outcome = batch.store(parsed, result.file, result.path, claimed)
        if outcome is None:  # changed since we looked: nothing to store without the facts
            result.reason = N_("the stored letter changed during the import; import it again")
            return False
    except Exception as err:  # noqa: BLE001 - one letter's failure must not stop the others
        result.status, result.reason = FAILED, _why(err)
        return False
    _take_outcome(result, outcome)
    if outcome.status == "unchanged":
        from ouhai_tracker.extract.version import differences

        result.read_with = ", ".join(differences(outcome.extracted_with, settings or Settings())) or None
    if dry_run:
        result.status = WOULD[outcome.status]
        if outcome.status == "added":
            result.letter_id = None  # rolled back: it has no id yet
    elif outcome.status in ("added", "updated"):
        earlier = claimed.get(outcome.letter_id)
        claimed[outcome.letter_id] = result.path
        older = unreported(outcome.letter_id) if earlier not in (None, result.path) else None
        if older is not None:  # an older version stored moments ago: its line says so, this one adds
            if older.status == "added":
                result.status, result.matched_file, result.matched_by = "added", None, None
                result.added, result.updated, result.unchanged, result.withdrawn = result.commitments, 0, 0, 0
            older.status, older.newer, older.matched_file = OLDER, result.file, result.file
    warnings = []
    if outcome.undecided:
        warnings.append(f"stored as a new letter, though it may be {outcome.undecided}: nothing tells whether "
                        "they are one letter; both are kept (`tracker docs merge` makes them one)")
    if outcome.same_name:
        warnings.append(f"stored as a new letter: the letter stored under the same file name, {outcome.same_name}, "
                        "answers another proposal (or is another unit's reply); both are kept")
    if isinstance(parsed, LetterFacts) and not parsed.commitments:
        warnings.append(N_("no commitments found: is it a reply letter? (stored; see `tracker docs`)"))
    result.warning = "; ".join(warnings) or None
    return True


def _lost(results: list[ImportResult], indexes: list[int], claimed: dict[int, str], err: Exception) -> None:
    """The batch holding these letters could not commit: none of them was kept."""
    for i in indexes:
        lost = results[i]
        if lost.letter_id is not None and claimed.get(lost.letter_id) == lost.path:
            del claimed[lost.letter_id]  # its id may be given to another letter now
        results[i] = ImportResult(file=lost.file, path=lost.path, status=FAILED, reason=_why(err))


def _why(err: Exception) -> str:
    from ouhai_tracker.errors import TrackerError

    return str(err) if isinstance(err, TrackerError) else (
        N_("could not store it ({reason}); nothing of it was kept").format(reason=f"{type(err).__name__}: {err}"))


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
    result.letter_id = outcome.letter_id
    if outcome.match is not None:
        result.matched_file, result.matched_by = outcome.match.file, outcome.match.by
    result.newer = outcome.newer


def _walk(paths: Iterable[str | Path]) -> Iterator[tuple[Path, str | None]]:
    """(file, problem) for each path given; a folder gives its files, sorted, and every entry
    in it that is not a letter file with the reason (hidden entries, named .*, are left out)."""
    for given in map(Path, paths):
        kind, problem = _kind(given)
        if kind == "dir":
            entries = list(_walk_folder(given, set()))
            yield from entries
            if not any(problem is None for _, problem in entries):
                yield given, N_("no letters in this folder (no files; hidden ones are skipped)")
        elif kind == "file":
            yield given, None
        else:
            yield given, problem


def _walk_folder(folder: Path, ancestors: set[tuple[int, int]]) -> Iterator[tuple[Path, str | None]]:
    """Depth first, names sorted: the files, and each entry that cannot be read, with why."""
    try:
        info = folder.stat()
        names = sorted(os.listdir(folder))
    except OSError as err:
        yield folder, f"cannot read this folder ({err.strerror or err})"
        return
    here = (info.st_dev, info.st_ino)
    if here in ancestors:
        yield folder, N_("a link back to a folder that contains it (a loop); not followed")
        return
    ancestors = ancestors | {here}
    for name in names:
        if name.startswith("."):
            continue  # hidden: .DS_Store, .git, editors' backups
        path = folder / name
        kind, problem = _kind(path)
        if kind == "dir":
            yield from _walk_folder(path, ancestors)
        elif kind == "file":
            yield path, None
        else:
            yield path, problem


def _kind(path: Path) -> tuple[str, str | None]:
    """("file" | "dir" | "other", why it is not read) for a path, links followed."""
    try:
        mode = path.stat().st_mode
    except OSError as err:
        if os.path.islink(path):
            if err.errno == errno.ELOOP:
                return "other", N_("a link loop (the link leads back to itself); not followed")
            return "other", N_("a broken link (its target {target} does not exist)").format(target=os.readlink(path))
        if not os.path.lexists(path):
            return "other", N_("no such file or directory")
        return "other", N_("cannot read it ({reason})").format(reason=err.strerror or err)
    if stat.S_ISDIR(mode):
        return "dir", None
    if stat.S_ISREG(mode):
        return "file", None
    what = (N_("a named pipe (FIFO)") if stat.S_ISFIFO(mode) else N_("a socket") if stat.S_ISSOCK(mode)
            else N_("a device") if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) else N_("not a regular file"))
    return "other", N_("{what}, not a letter file; not read").format(what=what)


def _preview(found) -> dict:
    deadline = found.deadline
    return {"text": found.text, "owner": found.owner.name if found.owner else None,
            "partners": [p.department.name for p in found.partners],
            "due": deadline.due.isoformat() if deadline.due else None, "due_kind": deadline.kind,
            "due_text": deadline.text, "due_inferred": deadline.inferred, "condition": deadline.condition,
            "policies": list(found.policies)}


__all__ = ["ClosingStepFailed", "FILE_TIMEOUT", "MAX_LETTER_MB", "default_jobs", "import_paths"]
