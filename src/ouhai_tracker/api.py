"""What the CLI and a user's script call. Plain dicts and dataclasses out, never ORM objects.

Every function takes ``db``: a SQLAlchemy URL or a file path, or None for
$TRACKER_DB or the default database. Dates may be given as ``date`` or as
'YYYY-MM-DD' strings. Changes happen in one transaction each.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from ouhai_tracker import fastread
from ouhai_tracker.errors import BadInput, NotFound
from ouhai_tracker.extract.model import DEADLINE_KINDS, Settings
from ouhai_tracker.fastread import STATUSES

if TYPE_CHECKING:
    from ouhai_tracker.store.models import Commitment, Letter

# The store (SQLAlchemy, ~300 ms to import) is imported in the functions that use it, so the
# reads fastread serves from SQLite never load it.

FAILED, NOT_A_LETTER, WOULD_ADD = "failed", "not a reply letter", "would add"


@dataclass
class ImportResult:
    file: str  # the file's name
    path: str
    status: str  # added, updated, unchanged, would add (dry run), failed, not a reply letter
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
    # The stored letter the file was taken for: the name it had, and what matched (file name,
    # proposal number and session, replying unit, date and title). None for a new letter.
    matched_file: str | None = None
    matched_by: str | None = None

    @property
    def ok(self) -> bool:
        return self.status not in (FAILED, NOT_A_LETTER)

    def to_dict(self) -> dict:
        return asdict(self)


def as_date(value: date | str | None, what: str = "date") -> date | None:
    """``value`` as a date; a malformed string is BadInput naming the option it came from."""
    if value is None or isinstance(value, date):
        return value
    match = re.fullmatch(r"\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*", value)
    try:
        if match:
            return date(*map(int, match.groups()))
    except ValueError:
        pass
    raise BadInput(f"bad {what} {value!r}: expected a date as YYYY-MM-DD, e.g. 2024-06-30")


# ---- import ---------------------------------------------------------------------------------

MONTHS = (1, 120)  # the range of --vague-months and --undated-months


def import_paths(paths: Iterable[str | Path], db: str | None = None, settings: Settings | None = None,
                 dry_run: bool = False, jobs: int = 1, progress=None, on_result=None,
                 file_timeout: float | None = None, force: bool = False) -> list[ImportResult]:
    """Import every letter in ``paths`` (files, or folders walked for non-hidden files).

    Each letter is stored in its own transaction; a file that fails is reported and the
    others still import. With ``dry_run`` nothing is written (the database is not opened).
    Files are read and extracted in ``jobs`` worker processes (see importer.py), each given
    ``file_timeout`` seconds (default 60); ``progress(done, total)`` is called after each
    letter, ``on_result(result)`` with each file's result as soon as it is final (stored).
    When every letter is stored but the closing step fails, importer.ClosingStepFailed
    (a DatabaseError) carries the results. ``force`` stores a file that does not look like a
    reply letter all the same.
    """
    # Imported here: reading and extraction are the slow imports, and only `import` needs them.
    from ouhai_tracker import importer

    settings = settings or Settings()
    for name, months in (("--vague-months", settings.vague_months), ("--undated-months", settings.undated_months)):
        if not MONTHS[0] <= months <= MONTHS[1]:
            raise BadInput(f"bad {name} {months}: expected {MONTHS[0]} to {MONTHS[1]} months")
    return importer.import_paths(paths, db, settings, dry_run=dry_run, jobs=jobs, progress=progress,
                                 on_result=on_result, force=force,
                                 file_timeout=importer.FILE_TIMEOUT if file_timeout is None else file_timeout)


# ---- commitments ----------------------------------------------------------------------------

def find_commitments(db: str | None = None, *, dept: str | None = None, status: str = "open",
                     kind: str | None = None, due_before: date | str | None = None,
                     due_after: date | str | None = None, overdue: bool = False,
                     as_of: date | str | None = None, search: str | None = None,
                     doc: str | None = None, policy: str | None = None,
                     class_mark: str | None = None, review: str | None = None) -> list[dict]:
    """Commitments matching every filter given, by due date (undated last) then id.

    Ones a reviewer rejected are left out unless ``review`` asks for them (or ``status`` is all).
    """
    if status != "all" and status not in STATUSES:
        raise BadInput(f"bad status {status!r}: expected one of {', '.join((*STATUSES, 'all'))}")
    if kind is not None and kind not in DEADLINE_KINDS:
        raise BadInput(f"bad deadline kind {kind!r}: expected one of {', '.join(DEADLINE_KINDS)}")
    today = as_date(as_of, "--as-of") or date.today()
    # The daily read (a department's open or done ones): SQLite through the stdlib, without SQLAlchemy.
    if status != "all" and not (kind or due_before or due_after or overdue or search or doc or policy
                                or class_mark or review):
        rows = fastread.find_commitments(db, dept, status, today)
        if rows is not None:
            return rows
    from ouhai_tracker.store import followup_queries, queries
    from ouhai_tracker.store.engine import session_scope

    followup_queries.check_review_filter(review)
    if review is None and status == "all":
        review = "all"
    if class_mark is not None:
        class_mark = followup_queries.normalize_class_mark(class_mark)

    filters = queries.Filters(dept=dept, status=None if status == "all" else status, kind=kind,
                              due_before=as_date(due_before, "--due-before"),
                              due_after=as_date(due_after, "--due-after"),
                              overdue_on=today if overdue else None, search=search, doc=doc, policy=policy,
                              class_mark=class_mark, review=review)
    with session_scope(db) as session:
        return [commitment_dict(c, today) for c in queries.find_commitments(session, filters)]


def due_page(db: str | None = None, *, dept: str | None = None, within: int | None = None,
             as_of: date | str | None = None, limit: int) -> tuple[list[dict], int]:
    """The first ``limit`` of ``due``, and how many are due in all: a page reads only its own rows."""
    if within is not None:  # the horizon is applied to the rows, so read them all
        rows = due(db, dept=dept, within=within, as_of=as_of)
        return rows[:limit], len(rows)
    today = as_date(as_of, "--as-of") or date.today()
    page = fastread.find_page(db, dept, "open", today, limit)  # SQLite, without loading SQLAlchemy
    if page is not None:
        return page
    from ouhai_tracker.store import queries
    from ouhai_tracker.store.engine import session_scope

    filters = queries.Filters(dept=dept, status="open")
    with session_scope(db) as session:
        rows = [commitment_dict(c, today) for c in queries.find_commitments(session, filters, limit)]
        return rows, queries.count_commitments(session, filters)


MAX_DAYS = 36500  # a hundred years: the widest horizon a date can take


def due(db: str | None = None, *, dept: str | None = None, within: int | None = None,
        as_of: date | str | None = None) -> list[dict]:
    """Open commitments by effective due date (overdue ones come first by nature), then the
    undated (conditional) ones. ``within`` keeps dated ones due up to that many days ahead."""
    if within is not None and not 0 <= within <= MAX_DAYS:
        raise BadInput(f"bad --within {within}: expected a number of days, 0 to {MAX_DAYS}")
    today = as_date(as_of, "--as-of") or date.today()
    rows = find_commitments(db, dept=dept, status="open", as_of=today)  # rejected ones are not due
    horizon = (today + timedelta(days=within)).isoformat() if within is not None else None
    dated = [r for r in rows if r["due"] and (horizon is None or r["due"] <= horizon)]
    undated = [r for r in rows if r["due"] is None]  # due whenever their condition is met
    return dated + undated


def commitment_dict(c: Commitment, today: date) -> dict:
    """The contract's fields (CONTRACT.md) first, then extras for people and scripts."""
    return {
        "id": c.id, "text": c.text,
        "owner": c.owner.name if c.owner else None,
        "partners": [p.department.name for p in c.partners],
        "status": c.status,
        "due": c.due.isoformat() if c.due else None,
        "due_kind": c.due_kind, "due_text": c.due_text, "due_inferred": c.due_inferred,
        "condition": c.due_condition,
        "document": c.letter.file,
        "policies": [p.title for p in c.policies],
        # extras
        "owner_short": c.owner.short if c.owner else None,
        "overdue": c.status == "open" and c.due is not None and c.due < today,
        "owner_rule": c.owner_rule,
        "partner_roles": [{"name": p.department.name, "role": p.role, "cue": p.cue} for p in c.partners],
        "due_rule": c.due_rule, "due_period": c.due_period,
        "section": c.section, "item": c.item, "sentence": c.sentence,
        "start": c.start, "end": c.end, "cue": c.cue, "confidence": c.confidence,
        "letter_title": c.letter.title,
        "letter_date": c.letter.letter_date.isoformat() if c.letter.letter_date else None,
        **_followup_fields(c, today),
    }


def _followup_fields(c: Commitment, today: date) -> dict:
    """Outcome (a verdict, dated), schedule (derived on ``today``), review state, the letter's class mark."""
    from ouhai_tracker.store import followup_queries

    return {"outcome": c.outcome or "not-yet-rated",
            "outcome_on": c.outcome_on.isoformat() if c.outcome_on else None,
            "schedule": followup_queries.schedule_state(c, today),
            "review": followup_queries.review_state(c),
            "class_mark": c.letter.class_mark}


def mark_done(ids: Iterable[int], db: str | None = None, note: str | None = None,
              on: date | str | None = None, as_of: date | str | None = None) -> list[dict]:
    """Mark commitments done (all of them or, if one id is unknown, none)."""
    from ouhai_tracker.store import queries
    from ouhai_tracker.store.engine import session_scope

    on_date = as_date(on, "--on")
    today = as_date(as_of, "--as-of") or date.today()
    from ouhai_tracker.store import followup_queries

    with session_scope(db, write=True) as session:
        results = []
        for c in queries.get_commitments(session, list(ids)):
            followup_queries.record_done(c, on_date, today, note)  # done means kept
            results.append(queries.mark_done(c, note, on_date, today))
        return results


def reopen(commitment_id: int, db: str | None = None, note: str | None = None) -> dict:
    from ouhai_tracker.store import followup_queries, queries
    from ouhai_tracker.store.engine import session_scope

    with session_scope(db, write=True) as session:
        commitment = queries.get_commitment(session, commitment_id)
        result = queries.reopen(commitment, note)
        if result["result"] == "reopened":  # an open one stays as it is, its outcome too
            followup_queries.record_reopen(commitment, note)
        return result


def edit(commitment_id: int, db: str | None = None, *, due: date | str | None = None,
         owner: str | None = None, note: str | None = None) -> list[dict]:
    """Set the due date and/or owner by hand; returns the changes as {field, old, new}."""
    from ouhai_tracker.store import queries
    from ouhai_tracker.store.engine import session_scope

    due_date = as_date(due, "--due")
    with session_scope(db, write=True) as session:
        commitment = queries.get_commitment(session, commitment_id)
        return queries.edit(session, commitment, due_date, owner, note, date.today())


def context_window(text: str, lo: int, hi: int, start: int, end: int) -> tuple[str, int, int]:
    """The commitment with one sentence either side, inside its paragraph; '…' marks a cut.

    Returns the excerpt and the commitment's offsets within it.
    """
    enders = "。！？!?"
    before = start
    for _ in range(2):  # back to the start of the sentence before
        i = before - 1
        while i > lo and text[i - 1] not in enders:
            i -= 1
        before = max(lo, i)
        if before == lo:
            break
    after = end
    for _ in range(2):  # on to the end of the sentence after
        i = after
        while i < hi and text[i] not in enders:
            i += 1
        after = min(hi, i + 1)
        if after >= hi:
            break
    head = "…" if before > lo else ""
    tail = "…" if after < hi else ""
    excerpt = head + text[before:after] + tail
    return excerpt, start - before + len(head), end - before + len(head)


def show(commitment_id: int, db: str | None = None, as_of: date | str | None = None) -> dict:
    """One commitment with its paragraph, letter and history: the trail back to the sentence."""
    from ouhai_tracker.store import queries
    from ouhai_tracker.store.engine import session_scope

    today = as_date(as_of, "--as-of") or date.today()
    with session_scope(db) as session:
        c = queries.get_commitment(session, commitment_id)
        letter = c.letter
        if letter.text[c.start:c.end] == c.text:
            paragraph, start, end = context_window(letter.text, c.paragraph_start, c.paragraph_end, c.start, c.end)
        else:  # offsets that no longer fit: show the sentence instead
            paragraph = c.sentence
            start = max(paragraph.find(c.text), 0)
            end = start + len(c.text) if c.text in paragraph else 0
        return {
            **commitment_dict(c, today),
            "paragraph": paragraph, "highlight": [start, end],
            "policy_details": [{"title": p.title, "doc_number": p.doc_number, "issuer": p.issuer,
                                "year": p.year} for p in c.policies],
            "letter": _letter_dict(letter),
            "history": [{"at": e.at.isoformat(sep=" "), "action": e.action, "field": e.field,
                         "old": e.old_value, "new": e.new_value, "note": e.note,
                         "on": e.on_date.isoformat() if e.on_date else None,
                         "evidence": e.evidence} for e in c.events],
        }


# ---- export ---------------------------------------------------------------------------------

EXPORT_FORMATS = ("json", "csv")


def export(db: str | None = None, *, format: str = "json", output: str | Path | None = None,
           with_contacts: bool = False, force: bool = False) -> dict:
    """Everything, for other tools. JSON: one document (returned, and written to ``output`` if
    given). CSV: one file per table, ``<table>.csv`` (UTF-8 with BOM, for spreadsheets), in the
    folder ``output``. Contact names and phone numbers only ``with_contacts``. An existing file
    (or a folder's CSV files) is replaced only with ``force``; never the database (outputs.py)."""
    import json

    from ouhai_tracker import outputs
    from ouhai_tracker.store.engine import session_scope
    from ouhai_tracker.store.export import FORMAT, VERSION, export_tables
    from ouhai_tracker.store.migrations import HEAD

    if format not in EXPORT_FORMATS:
        raise BadInput(f"bad --format {format!r}: expected json, csv, ics or xlsx")
    if format == "csv" and output is None:
        raise BadInput("CSV export writes one file per table: give a folder with --output PATH")
    if output is not None:  # refused before anything is read
        outputs.check_target(output, db, force) if format == "json" else outputs.check_folder(output, db, force)
    with session_scope(db) as session:
        tables = export_tables(session, with_contacts)
    document = {"format": FORMAT, "version": VERSION, "schema_revision": HEAD,
                "with_contacts": with_contacts, "tables": tables}
    counts = {name: len(rows) for name, rows in tables.items()}
    if output is None:
        return {"document": document, "counts": counts, "written": None}
    if format == "json":
        written = [str(outputs.write_file(output, json.dumps(document, ensure_ascii=False, indent=1) + "\n",
                                          db, force))]
    else:
        written = _write_csv(output, tables, db, force)
    return {"document": None, "counts": counts, "written": written}


def _write_csv(folder: str | Path, tables: dict[str, list[dict]], db: str | None, force: bool) -> list[str]:
    import csv
    import io
    import json

    from ouhai_tracker import outputs

    path = outputs.check_folder(folder, db, force)
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise BadInput(f"cannot write {folder}: {err.strerror or err}") from None
    written = []
    for name, rows in tables.items():
        buffer = io.StringIO(newline="")
        writer = csv.writer(buffer)
        writer.writerow(list(rows[0]) if rows else [])
        for row in rows:
            writer.writerow([inert_cell(json.dumps(v, ensure_ascii=False) if isinstance(v, list) else
                                        ("" if v is None else v)) for v in row.values()])
        written.append(str(outputs.write_file(path / f"{name}.csv", buffer.getvalue().encode("utf-8-sig"),
                                              db, force=True)))
    return written


# OWASP's rule for CSV injection: a spreadsheet runs a cell that starts with one of these.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def inert_cell(value):
    """A spreadsheet cell that is data, never a formula: text starting with = + - @ tab or CR gets
    a leading ' (which spreadsheets show as text and do not print); numbers stay numbers."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


# ---- the database itself ----------------------------------------------------------------------

def db_upgrade(db: str | None = None) -> dict:
    """Bring the database's schema to this version's head (after a backup copy, for SQLite)."""
    from ouhai_tracker.store import engine as store

    url = store.resolve_url(db)
    result = store.upgrade(store.get_engine(url, migrate=False))
    store.forget_engines()
    return {"database": store.shown(url), "old": result.old, "new": result.new, "backup": result.backup}


def db_backup(destination: str | Path, db: str | None = None) -> str:
    """A copy of a SQLite database at ``destination`` (never over an existing file), checked
    (every table there, integrity_check ok) before it takes its name."""
    from ouhai_tracker import outputs
    from ouhai_tracker.store import engine as store

    url = store.resolve_url(db)
    source = store.sqlite_path(url)
    if source is None:
        raise BadInput(f"{store.shown(url)} is not a SQLite file: back a PostgreSQL database up with pg_dump, "
                       "e.g. pg_dump -Fc tracker > tracker.dump")
    target = outputs.not_the_database(destination, db)
    if target.exists():
        raise BadInput(f"{Path(destination).expanduser()} exists: give a new file name")
    if not source.is_file():
        raise NotFound(f"no database at {source}")
    store.get_engine(url, migrate=False)  # a damaged file fails here with one line
    store.backup_sqlite(source, target)
    return str(Path(destination).expanduser())


def db_check(db: str | None = None) -> dict:
    """Integrity (SQLite's integrity_check) and schema revision, without changing anything."""
    from ouhai_tracker.store import engine as store
    from ouhai_tracker.store.migrations import HEAD, REVISIONS

    url = store.resolve_url(db)
    engine = store.get_engine(url, migrate=False)
    state = store.current_revision(engine)
    revision = state.revision or ("none (made before migrations)" if state.has_schema else "none (empty)")
    if state.revision == HEAD or not state.has_schema:
        schema = "current"
    elif state.revision is None or state.revision in REVISIONS:
        schema = "older: upgraded on next use, or now with `tracker db upgrade`"
    else:
        schema = "newer than this tracker: upgrade the tracker"
    problems = store.integrity_problems(engine) if engine.dialect.name == "sqlite" else None
    return {"database": store.shown(url), "revision": revision, "head": HEAD, "schema": schema,
            "integrity": "not checked (PostgreSQL checks its own pages; see pg_amcheck)" if problems is None
            else ("ok" if not problems else "; ".join(problems[:5])),
            "ok": not problems and schema != "newer than this tracker: upgrade the tracker"}


# ---- summaries ------------------------------------------------------------------------------

def departments(db: str | None = None) -> list[dict]:
    from ouhai_tracker.store import queries
    from ouhai_tracker.store.engine import session_scope

    with session_scope(db) as session:
        return queries.department_summaries(session)


def add_alias(name: str, alias: str, db: str | None = None) -> dict:
    """Teach the registry that ``alias`` names the department ``name`` (kept across re-imports)."""
    from ouhai_tracker.store import queries
    from ouhai_tracker.store.engine import session_scope

    with session_scope(db, write=True) as session:
        return queries.add_alias(session, name, alias)


def merge_departments(keep: str, other: str, db: str | None = None, note: str | None = None) -> dict:
    """Merge department ``other`` into ``keep``; ``other``'s names become aliases of ``keep``."""
    from ouhai_tracker.store import queries
    from ouhai_tracker.store.engine import session_scope

    with session_scope(db, write=True) as session:
        return queries.merge_departments(session, keep, other, note)


def policies(db: str | None = None) -> list[dict]:
    from ouhai_tracker.store import queries
    from ouhai_tracker.store.engine import session_scope

    with session_scope(db) as session:
        return queries.policy_summaries(session)


def documents(db: str | None = None) -> list[dict]:
    from ouhai_tracker.store import queries
    from ouhai_tracker.store.engine import session_scope

    with session_scope(db) as session:
        return [_letter_dict(letter) for letter in queries.letters(session)]


def _replying_unit(letter: Letter) -> str | None:
    """The unit the letter names, by its full name with its place (a page's 区住建局 is
    通化市东昌区住房和城乡建设局); None when nothing names it, even if its owner was inferred."""
    if letter.replying_unit is None:
        return None
    department = letter.replying_department
    return department.name if department is not None and department.place else letter.replying_unit


def _letter_dict(letter: Letter) -> dict:
    counted = [c for c in letter.commitments if c.status != "withdrawn"]
    return {
        "file": letter.file, "title": letter.title, "replying_unit": _replying_unit(letter),
        "date": letter.letter_date.isoformat() if letter.letter_date else None,
        "proposers": list(letter.proposers or []), "session": letter.session,
        "contact_name": letter.contact_name, "contact_phone": letter.contact_phone,
        # extras
        "kind": letter.kind, "addressee": letter.addressee, "class_mark": letter.class_mark,
        "number": letter.number, "doc_number": letter.doc_number,
        "unit_as_written": letter.replying_unit, "unit_source": letter.unit_source, "date_source": letter.date_source,
        "replying_department": letter.replying_department.name if letter.replying_department else None,
        "commitments": len(counted), "open": sum(c.status == "open" for c in counted),
        "path": letter.path,
    }
