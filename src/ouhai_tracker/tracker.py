"""The tracker as one object: ``Tracker(db)`` holds the database and every use case.

The CLI parses options, makes one call here and renders what comes back; a script does the
same (``Tracker("tracker.db").due(dept="工商联")``). Plain dicts and dataclasses come out,
never ORM objects. Transactions open here and nowhere else (an import's batches: in the
importer's store, store/importing.py): one per change, one per read.
Dates may be given as ``date`` or as 'YYYY-MM-DD' strings. Every change a person makes is
planned in plain Python (store/change_plan.py) and written, as one undoable change, by
store/change_write.py (``_commitments_change``, ``_write``; store/changes.py).

SQLAlchemy (~300 ms to import) is imported in the methods that use it, so the daily reads
the stdlib fast path serves (store/fastread.py, store/fastwrite.py) never load it.
"""
from __future__ import annotations

from collections.abc import Iterable
from contextlib import contextmanager, nullcontext
from datetime import date, datetime, timedelta
from pathlib import Path

from ouhai_tracker.dates import as_date, as_datetime, as_of_day
from ouhai_tracker.errors import BadInput, BadOption, NotFound
from ouhai_tracker.extract.model import Settings
from ouhai_tracker.i18n import N_, _
from ouhai_tracker.importer import ImportResult
from ouhai_tracker.rows import context_window, id_list, letter_dict
from ouhai_tracker.store import fastread
from ouhai_tracker.words import one_line_value

MONTHS = (1, 120)  # the range of --vague-months and --undated-months
MAX_DAYS = 36500  # a hundred years: the widest horizon a date can take


class Tracker:
    """Every use case of the tracker on one database (a SQLAlchemy URL, a SQLite path, or None
    for $TRACKER_DB or the default file)."""

    def __init__(self, db: str | None = None) -> None:
        self.db = db

    # ---- transactions -------------------------------------------------------------------------

    @contextmanager
    def _session(self, write: bool = False, durable: bool = True):
        from ouhai_tracker.store.engine import session_scope

        with session_scope(self.db, write=write, durable=durable) as session:
            yield session

    def _write(self, decide):
        """A person's change beside the commitments' columns alone (a setting, an alias, a rating of a
        letter, a verdict on a link, a merge): ``decide(session, db)`` reads what it needs (through
        ``db``, or the ORM for a name to look up) and plans it (store/change_plan.py), written in a
        transaction of its own by change_write.write, through SQLAlchemy; the plan."""
        from ouhai_tracker.store import change_sql

        with self._session(write=True) as session:
            return change_sql.write(session, lambda db: decide(session, db))

    # ---- import -------------------------------------------------------------------------------

    def import_paths(self, paths: Iterable[str | Path], settings: Settings | None = None, *,
                     dry_run: bool = False, jobs: int = 1, progress=None, on_result=None,
                     file_timeout: float | None = None, force: bool = False,
                     link_followups: bool = True) -> list[ImportResult]:
        """Import every letter in ``paths`` (files, or folders walked for non-hidden files).

        Each letter is stored in its own transaction; a file that fails is reported and the
        others still import. With ``dry_run`` nothing is written: each letter is stored and
        rolled back, so the results say what an import would do (a missing database is not created).
        ``jobs`` worker processes read and extract (importer.py); ``progress(done, total)`` is
        called after each letter and ``on_result(result)`` as soon as a file's result is final.
        ``force`` stores a file that does not read as a reply letter. A reply that reports on an
        earlier reply is linked to the earlier promises as well (``link_followups``).
        """
        from ouhai_tracker import importer

        settings = settings or Settings()
        self._check_months(settings)
        from ouhai_tracker.store.engine import without_upgrade
        from ouhai_tracker.store.importing import LetterStore

        with without_upgrade("import --dry-run") if dry_run else nullcontext():
            results = importer.import_paths(paths, LetterStore(self.db), settings, dry_run=dry_run, jobs=jobs,
                                            progress=progress, on_result=on_result,
                                            file_timeout=importer.FILE_TIMEOUT if file_timeout is None else file_timeout,
                                            force=force)
        if not dry_run and link_followups:
            self._link_followups(results)
        return results

    def reread(self, paths: Iterable[str] = (), settings: Settings | None = None, *,
               on_result=None) -> list[ImportResult]:
        """Read the stored letters again (their stored text, with today's rules and ``settings``)
        and store what they hold as a re-import does: statuses, notes, edits, ratings, evidence
        and history kept, what changed counted. ``paths``: the letters stored from these files or
        folders (or with these file names); every letter when empty. Each letter in a savepoint of
        its own, a hundred to a transaction; ``on_result(result)`` when its transaction commits."""
        from ouhai_tracker import extract
        from ouhai_tracker.importer import FAILED, ImportResult, _take_outcome, _why
        from ouhai_tracker.store import queries
        from ouhai_tracker.store.engine import savepoint
        from ouhai_tracker.store.upsert import store_letter

        settings = settings or Settings()
        self._check_months(settings)
        paths = list(paths)
        with self._session() as session:
            letters = queries.letters_to_reread(session, paths)
        results: list[ImportResult] = []
        for start in range(0, len(letters), 100):
            chunk = []
            with self._session(write=True, durable=False) as session:
                for letter in letters[start:start + 100]:
                    result = ImportResult(file=letter.file, path=letter.path, status=FAILED)
                    try:
                        facts = extract.extract_letter(letter.text, letter.file, settings, letter.fallbacks)
                        with savepoint(session):
                            outcome = store_letter(session, facts, letter.file, letter.path, settings=settings,
                                                   reread=letter.id)
                        _take_outcome(result, outcome)
                        result.matched_file = None
                    except Exception as err:  # noqa: BLE001 - one letter's failure must not stop the others
                        result.reason = _why(err)
                    chunk.append(result)
            results += chunk
            for result in chunk:
                if on_result:
                    on_result(result)
        return results

    def _check_months(self, settings: Settings) -> None:
        for name, months in (("--vague-months", settings.vague_months), ("--undated-months", settings.undated_months)):
            if not MONTHS[0] <= months <= MONTHS[1]:
                raise BadOption(_("bad {name} {months}: expected {low} to {high} months").format(
                    name=name, months=months, low=MONTHS[0], high=MONTHS[1]))

    def _link_followups(self, results: list[ImportResult]) -> None:
        """A reply stored now that reports on an earlier reply (落实情况, 同类提案作过答复) is
        evidence too: its links to earlier promises are proposed, as `import --evidence` does."""
        from ouhai_tracker import importer, readers

        indexes: dict = {"departments": {}}
        for result in results:
            if result.status not in ("added", "updated") or result.letter_id is None or not result.follows_up:
                continue
            try:
                text = readers.read_document(Path(result.path)).text
            except readers.ReadError:
                continue
            if not importer.follows_up(text):  # changed since it was read
                continue
            from ouhai_tracker.evidence.later import read_later

            item = {"file": result.file, "path": result.path, "text": text, "problem": None, "letter": result,
                    "later": read_later(text)}
            result.links = self._link_document(item, indexes)["links"]

    # ---- evidence: later documents -----------------------------------------------------------

    def import_evidence(self, paths: Iterable[str | Path], settings: Settings | None = None, *, jobs: int = 1,
                        file_timeout: float | None = None, on_letter=None) -> list[dict]:
        """Read later documents as evidence of what became of earlier promises. A reply letter
        among them is imported as a letter (with its own commitments; ``on_letter(result)`` as
        soon as it is stored); any other document (a 回头看 report, a work summary) is stored as
        an evidence document, never refused and never searched for promises. Then each is linked:
        its sentences that report on earlier promises are proposed as evidence (`tracker evidence`),
        and nothing earlier changes until a person accepts one. A file that cannot be read, or
        is empty, is stored and reported with 0 links proposed. Returns one dict per file."""
        from ouhai_tracker import importer

        def load_the_store() -> None:  # while the workers read: what linking needs, loaded meanwhile
            import ouhai_tracker.evidence.linking  # noqa: F401
            import ouhai_tracker.store.fast_sql  # noqa: F401

        read = importer.read_later_files(list(importer._walk(paths)), jobs,
                                         file_timeout if file_timeout is not None else importer.FILE_TIMEOUT,
                                         meanwhile=load_the_store)
        letters = [item for item in read if item["is_letter"]]
        if letters:
            results = self.import_paths([item["path"] for item in letters], settings, jobs=jobs,
                                        file_timeout=file_timeout, on_result=on_letter, link_followups=False)
            for item, result in zip(letters, results):
                item["letter"] = result
        # Documents of the same places are linked one after another against one index of their
        # candidates, built once; the results come back in the order the files were given.
        group: dict[frozenset[str], list] = {}  # the sentences of the documents of the same places
        for item in read:
            if item["later"] is not None:
                group.setdefault(item["later"].places, []).extend(item["sentences"])
        # Replies first, and the earlier first: the promises a reply makes again are known before
        # a report on them is linked (a report on a promise made again speaks of the first).
        order = sorted(range(len(read)), key=lambda i: (
            not read[i]["is_letter"], sorted(read[i]["later"].places), str(read[i]["later"].date))
            if read[i]["later"] else (True, [], ""))
        indexes: dict = {"departments": {}, "sentences": group}
        linked: list[dict] = [{}] * len(read)
        for i in order:
            linked[i] = self._link_document(read[i], indexes)
        from ouhai_tracker.store import fastwrite

        fastwrite.checkpoint(self.db)  # what the standard library's path wrote, folded in
        return linked

    def _link_document(self, item: dict, indexes: dict) -> dict:
        """Store one later document and propose its links, in one transaction (evidence/linking.py):
        on a SQLite file through the standard library (fastwrite.link), else through SQLAlchemy."""
        from ouhai_tracker.evidence.linking import link_document
        from ouhai_tracker.store import fastwrite

        linked = fastwrite.link(self.db, lambda db: link_document(db, item, indexes))
        if linked is not None:
            return linked
        from ouhai_tracker.store.change_sql import Connected
        from ouhai_tracker.store.link_sql import STATEMENTS

        # A later document can be imported again: its commit need not wait for the disk (as a letter's).
        with self._session(write=True, durable=False) as session:
            return link_document(Connected(session.connection(), STATEMENTS), item, indexes)

    def evidence(self, *, dept: str | None = None, doc: str | None = None, state: str | None = None,
                 outcome: str | None = None) -> list[dict]:
        """The links proposed between earlier promises and sentences of later documents, with
        what people decided: by document, then by sentence. ``dept``: the promise's owner or partner."""
        from ouhai_tracker.evidence.model import LINK_OUTCOMES
        from ouhai_tracker.store import evidence as store
        from ouhai_tracker.store.models import LINK_STATES

        if state is not None and state not in (*LINK_STATES, "all"):
            raise BadOption(_("bad state {value!r}: expected one of {choices}").format(
                value=state, choices=", ".join((*LINK_STATES, "all"))))
        if outcome is not None and outcome not in LINK_OUTCOMES:
            raise BadOption(_("bad outcome {value!r}: expected one of {choices}").format(
                value=outcome, choices=", ".join(LINK_OUTCOMES)))
        ids = None
        if dept:
            ids = {row["id"] for row in self.find_commitments(dept=dept, status="all")}
        with self._session() as session:
            return store.links(session, state=state, doc=doc or None,
                               outcome=outcome, commitment_ids=ids)

    def decide_evidence(self, link_id: int, action: str, *, outcome: str | None = None,
                        note: str | None = None) -> dict:
        """A person's verdict on a proposed link: ``accept`` (as proposed, or as ``outcome``),
        ``reject``, or ``change`` its outcome (and accept it). Accepting records the rating on the
        earlier commitment, with the sentence, its document and offsets as evidence; `undo`
        takes it back. A rejected link is never proposed again."""
        from ouhai_tracker.evidence.model import LINK_OUTCOMES
        from ouhai_tracker.store import change_kinds, change_write

        if action not in ("accept", "reject", "change"):
            raise BadOption(_("bad action {value!r}: expected one of accept, reject, change").format(value=action))
        if outcome is not None and outcome not in LINK_OUTCOMES:
            raise BadOption(_("bad outcome {value!r}: expected one of {choices}").format(
                value=outcome, choices=", ".join(LINK_OUTCOMES)))
        if action == "change" and outcome is None:
            raise BadOption(_("change needs the outcome: one of {choices}").format(choices=", ".join(LINK_OUTCOMES)))

        def decide(session, db):
            found = change_write.read_link(db, link_id)
            if found is None:
                raise NotFound(_("no proposed link #{id} (see `tracker evidence`)").format(id=link_id))
            state = change_write.read_states(db, [found.commitment_id])[0]
            return change_kinds.plan_verdict(action, found, state, outcome, note, date.today())
        return self._write(decide).answer

    # ---- reading commitments --------------------------------------------------------------------

    def find_commitments(self, *, as_of: date | str | None = None, repeated: bool = False, brief: bool = False,
                         **filters) -> list[dict]:
        """Commitments matching every filter given (store/filter.py: ``FILTERS``), by due date (undated
        last) then id unless ``sort`` says otherwise. Ones a reviewer rejected are left out
        unless ``review`` asks for them (or ``status`` is all). ``repeated``: only promises made
        again (a later letter's promise that repeats an earlier one, see store/evidence.py).
        ``brief``: only what a table shows is read (rows.BRIEF_COLUMNS)."""
        if repeated:
            from ouhai_tracker.store import evidence as evidence_store

            with self._session() as session:
                again = evidence_store.repeated_ids(session)
            limit = filters.pop("limit", None)
            rows = [r for r in self._page(self._filter(as_of=as_of, **filters), as_of, brief)[0] if r["id"] in again]
            return rows[:limit] if limit is not None else rows
        return self._page(self._filter(as_of=as_of, **filters), as_of, brief)[0]

    def due(self, *, within: int | None = None, as_of: date | str | None = None, **filters) -> list[dict]:
        """Open commitments by effective due date (overdue ones come first by nature), then the
        undated (conditional) ones. ``within`` keeps dated ones due up to that many days ahead."""
        return self.due_page(within=within, as_of=as_of, **filters)[0]

    def due_page(self, *, within: int | None = None, as_of: date | str | None = None, limit: int | None = None,
                 **filters) -> tuple[list[dict], int]:
        """The first ``limit`` of ``due`` (all with None), and how many are due in all."""
        if within is not None and not 0 <= within <= MAX_DAYS:
            raise BadOption(_("bad --within {value}: expected a number of days, 0 to {most}").format(
                value=within, most=MAX_DAYS))
        if filters.get("status", "open") != "open":
            raise BadOption(_("due lists open commitments: use `tracker list --status …` for the others"))
        today = as_of_day(as_of)
        if within is None:
            return self._page(self._filter(as_of=today, limit=limit, **filters), today)
        horizon = today + timedelta(days=within)
        return self._page(self._filter(as_of=today, limit=limit, due_until=horizon, **filters), today)

    def _filter(self, *, as_of: date | str | None = None, live: bool = False, due_until: date | None = None,
                **filters):
        """The store's Filter for the listing filters a person gave (store/filter.py: FILTERS,
        each checked there), judged on ``as_of``."""
        from ouhai_tracker.store.filter import Filter, read_filters

        today = as_of_day(as_of)
        return Filter(**read_filters(filters), live=live, due_until=due_until, as_of=today)

    def _page(self, f, as_of: date | str | None, brief: bool = False) -> tuple[list[dict], int]:
        """The rows a filter selects (``brief``: a table's) and how many there are in all (beyond its limit)."""
        today = as_of_day(as_of)
        if f.only("dept", "status", "limit"):  # the daily read: SQLite through the stdlib, no SQLAlchemy
            page = fastread.find_page(self.db, f.dept, f.status or "all", today, f.limit, brief)
            if page is not None:
                if not page[0]:
                    self._check_names(f)
                return page
        from dataclasses import replace

        from ouhai_tracker.store import read

        by_owner = f.sort == "owner"  # by the owner's name in pinyin order: sorted here, then cut
        with self._session() as session:
            connection = session.connection()
            rows = read.commitments(connection, replace(f, limit=None) if by_owner else f, today, brief)
            total = len(rows) if f.limit is None or len(rows) < f.limit else read.count(connection, f)
        if by_owner:
            from ouhai_tracker.rows import pinyin_key

            rows.sort(key=lambda r: (r["owner"] is None, pinyin_key(r["owner"]), r["due"] is None, r["due"] or "",
                                     r["id"]))
            rows = rows[:f.limit] if f.limit is not None else rows
        if not rows:
            self._check_names(f)
        return rows, total

    def _check_names(self, f) -> None:
        """A filter that names something in the database (--dept, --doc, --policy …) but names
        nothing there is a usage error naming the nearest known names: a typo must not read as
        "nothing due". Asked only when nothing was found (a name that matches nothing finds
        nothing), so a listing pays nothing for it."""
        from ouhai_tracker.store.filter import FILTERS

        asked = [(spec.flag, spec.names, getattr(f, spec.name)) for spec in FILTERS
                 if spec.names and getattr(f, spec.name)]
        if not asked:
            return
        from ouhai_tracker.store import queries

        with self._session() as session:
            unknown = queries.unknown_name(session, asked)
        if unknown is None:
            return
        what, see = {"department": (_("no department is named {value!r}"), "tracker depts"),
                     "letter": (_("no letter matches {value!r}"), "tracker docs"),
                     "policy": (_("no policy matches {value!r}"), "tracker policies")}[unknown["names"]]
        what = what.format(value=unknown["value"])
        if unknown["nearest"]:
            raise BadOption(_("{option}: {what}; did you mean {names}? (see `{see}`)").format(
                option=unknown["option"], what=what, names=_("、").join(unknown["nearest"]), see=see))
        raise BadOption(_("{option}: {what} (see `{see}`)").format(option=unknown["option"], what=what, see=see))

    def show(self, commitment_id: int, *, as_of: date | str | None = None, with_contacts: bool = False) -> dict:
        """One commitment with its paragraph, letter and history: the trail back to the sentence.

        The letter's contact name and phone are None, and masked (＊, one per character) in the
        paragraph, the sentence and the history, unless ``with_contacts``."""
        from ouhai_tracker.store import queries, read
        from ouhai_tracker.store.export import contact_mask

        today = as_of_day(as_of)
        with self._session() as session:
            c = queries.get_commitment(session, commitment_id)
            [row] = read.commitments(session.connection(), read.Filter(status=None, review="all", id=c.id, as_of=today),
                                     today)
            letter = c.letter
            if letter.text[c.start:c.end] == c.text:
                paragraph, start, end = context_window(letter.text, c.paragraph_start, c.paragraph_end,
                                                       c.start, c.end)
            else:  # offsets that no longer fit: show the sentence instead
                paragraph = c.sentence
                start = max(paragraph.find(c.text), 0)
                end = start + len(c.text) if c.text in paragraph else 0
            shown = {
                **row,
                "paragraph": paragraph, "highlight": [start, end],
                "policy_details": [{"title": p.title, "doc_number": p.doc_number, "issuer": p.issuer,
                                    "year": p.year} for p in c.policies],
                "letter": letter_dict(queries.letters(session, letter.id)[0], with_contacts),
                "history": [{"at": e.at.isoformat(sep=" "), "action": e.action, "field": e.field,
                             "old": e.old_value, "new": e.new_value, "note": e.note,
                             "on": e.on_date.isoformat() if e.on_date else None,
                             "evidence": e.evidence} for e in c.events],
            }
            from ouhai_tracker.store import evidence as evidence_store

            shown["promised_before"] = evidence_store.repeated_before(session, [c.id]).get(c.id, [])
            shown["evidence"] = [{key: link[key] for key in ("id", "document", "document_date", "evidence", "outcome",
                                                             "state", "start", "end", "confidence")}
                                 for link in evidence_store.for_commitments(session, [c.id])]
            if not with_contacts:  # the letter's own in its text, anyone's in a person's note
                hide = contact_mask(queries.contacts(session))
                shown["paragraph"], shown["sentence"] = hide(shown["paragraph"]), hide(shown["sentence"])
                for event in shown["history"]:
                    event["old"], event["new"], event["note"] = hide(event["old"]), hide(event["new"]), hide(event["note"])
            return shown

    # ---- changing commitments ---------------------------------------------------------------------

    def mark_done(self, ids: Iterable[int], *, note: str | None = None, on: date | str | None = None,
                  as_of: date | str | None = None) -> list[dict]:
        """Mark commitments done (all of them or, if one id is unknown, none); done means kept."""
        from ouhai_tracker.store import change_plan

        on_date = as_date(on, "--on")
        today = as_of_day(as_of)
        ids = list(ids)
        return self._commitments_change(ids, lambda states: change_plan.plan_done(states, id_list(ids), note,
                                                                                   on_date, today))

    def reopen(self, commitment_id: int, *, note: str | None = None) -> dict:
        from ouhai_tracker.store import change_plan

        target = id_list([commitment_id])
        return self._commitments_change([commitment_id], lambda states: change_plan.plan_reopen(states, target, note))[0]

    def _commitments_change(self, ids: list[int], decide) -> list[dict]:
        """A person's change to the commitments ``ids``, decided by ``decide`` (change_plan.py):
        on a SQLite file through the stdlib, elsewhere through SQLAlchemy, written the same way."""
        from ouhai_tracker.store import fastwrite

        results = fastwrite.change(self.db, ids, decide)
        if results is not None:
            return results
        from ouhai_tracker.store import change_sql

        with self._session(write=True) as session:
            return change_sql.change(session, ids, decide)

    def edit(self, commitment_id: int, *, due: date | str | None = None, owner: str | None = None,
             note: str | None = None) -> list[dict]:
        """Set the due date and/or owner by hand; returns the changes as {field, old, new}."""
        from ouhai_tracker.store import change_plan

        due_date = as_date(due, "--due")
        target = id_list([commitment_id])
        return self._owner_change(commitment_id, owner, lambda states, found: change_plan.plan_edit(
            states, target, due_date, found, note, date.today()))[0]

    def _owner_change(self, commitment_id: int, owner: str | None, decide) -> list:
        """A change that may name an owner (edit, review): the department the name means, found
        as the commitment's letter reads it, then ``decide(states, owner)``; through SQLAlchemy."""
        from ouhai_tracker.store import change_plan, change_sql, queries

        def with_owner(states):
            change_plan.check_not_deleted(states)  # before the name is looked up, as everywhere
            found = queries.resolve_department(session, owner, states[0].letter_place) if owner is not None else None
            return decide(states, (found.id, found.name) if found is not None else None)
        with self._session(write=True) as session:
            return change_sql.change(session, [commitment_id], with_owner)

    def delete(self, ids: Iterable[int], *, note: str | None = None) -> list[dict]:
        """Delete commitments (all of them or, if one id is unknown, none), softly: a deleted one
        leaves listings, reports and exports' counts as a rejected one does, but stays in the
        database, in `show` and in its history, and `restore` brings it back as it was."""
        from ouhai_tracker.store import change_plan

        ids = list(ids)
        return self._commitments_change(ids, lambda states: change_plan.plan_delete(states, id_list(ids), note))

    def restore(self, ids: Iterable[int], *, note: str | None = None) -> list[dict]:
        """Bring deleted commitments back with the status they had (all of them or none)."""
        from ouhai_tracker.store import change_plan

        ids = list(ids)
        return self._commitments_change(ids, lambda states: change_plan.plan_restore(states, id_list(ids), note))

    # ---- undo ---------------------------------------------------------------------------------------

    def undo_plan(self, *, since: datetime | date | str | None = None, anyone: bool = False) -> list[dict]:
        """What `undo` would take back, newest first, changing nothing: the last change the person
        running it made that is not undone yet (``anyone``: anybody's), or with ``since`` every
        one made since then. Each is {id, at, by, command, target, undone_by, effects: [...]}
        (store/changes.py's effects)."""
        from ouhai_tracker.store import changes
        from ouhai_tracker.store.who import login

        when = as_datetime(since, "--all-since") if since is not None else None
        with self._session() as session:
            return [{**changes.summary(c), "effects": changes.effects(session, c)}
                    for c in changes.undoable(session, when, by=None if anyone else login())]

    def undo(self, change_ids: Iterable[int]) -> dict:
        """Take back the changes ``change_ids`` (as `undo_plan` listed them), newest first, in one
        transaction: all or, if one cannot be undone (changed since), none."""
        from ouhai_tracker.store import changes

        change_ids = list(change_ids)
        with self._session(write=True) as session:
            found = changes.locked(session, change_ids)
            missing = sorted(set(change_ids) - {c.id for c in found})
            if missing:
                raise NotFound(_("no change #{id} (see `tracker undo --list`)").format(id=missing[0]))
            # Undone meanwhile (another `undo` got there first): said, not undone twice.
            raced = [{**changes.summary(c), "undone_by_who": c.undone_by.by if c.undone_by else None}
                     for c in found if c.undone_by_id is not None]
            found = [c for c in found if c.undone_by_id is None]
            if not found:
                return {"id": None, "undone": [], "raced": raced}
            undoing = changes.undo(session, found)
            return {**changes.summary(undoing), "undone": [changes.summary(c) for c in found], "raced": raced}

    def changes(self, *, limit: int = 20) -> list[dict]:
        """The last ``limit`` changes people made, newest first, undone or not (undoes too)."""
        from ouhai_tracker.store import changes

        with self._session() as session:
            return [changes.summary(c) for c in changes.recent(session, limit)]

    # ---- departments, policies, letters --------------------------------------------------------------

    def departments(self) -> list[dict]:
        from ouhai_tracker.store import queries

        with self._session() as session:
            return queries.department_summaries(session)

    def add_alias(self, name: str, alias: str) -> dict:
        """Teach the registry that ``alias`` names the department ``name`` (kept across re-imports)."""
        from ouhai_tracker.store import change_kinds, change_write, queries

        one_line_value(name, "NAME")
        one_line_value(alias, "ALIAS")

        def decide(session, db):
            found = queries.resolve_department(session, name)
            department = change_kinds.Named(found.id, found.name, found.short)
            return change_kinds.plan_alias(f"{name} {alias}", department, alias,
                                          change_write.named_as(db, alias.strip(), found.id),
                                          change_write.read_alias(db, alias.strip()))
        return self._write(decide).answer

    def merge_departments(self, keep: str, other: str, *, note: str | None = None) -> dict:
        """Merge department ``other`` into ``keep``; ``other``'s names become aliases of ``keep``."""
        from ouhai_tracker.store import change_kinds, change_write, queries

        def decide(session, db):
            into, merged = queries.resolve_department(session, keep), queries.resolve_department(session, other)
            return change_kinds.plan_merge_departments(
                keep, other, change_write.read_department(db, into.id), change_write.read_department(db, merged.id),
                change_write.holdings(db, merged.id, into.id), note)
        return self._write(decide).answer

    def merge_letters(self, keep: str, other: str) -> dict:
        """Two stored letters are one: ``other`` (id or file name) becomes a superseded version of
        ``keep``, as a re-import of the newer of the two over the older would have made it, nothing
        lost (store/letter_merge.py); `undo` or `split_letter` takes it back."""
        from ouhai_tracker.store import followup_queries as fq
        from ouhai_tracker.store import letter_merge

        def decide(session, db):
            keep_letter, other_letter = fq.find_letter(session, keep), fq.find_letter(session, other)
            letter_merge.check_letters(keep_letter, other_letter)
            return letter_merge.merge(db, keep_letter.id, other_letter.id, f"#{keep_letter.id} #{other_letter.id}")
        return self._write(decide).answer

    def split_letter(self, doc: str) -> dict:
        """Take back the merge that made letter ``doc`` (a superseded version, or the letter a version
        was merged into) one letter with another: that merge undone, recorded as an undo."""
        from ouhai_tracker.store import changes, letter_merge
        from ouhai_tracker.store import followup_queries as fq

        with self._session(write=True) as session:
            merge = letter_merge.merge_to_split(session, fq.find_letter(session, doc))
            undoing = changes.undo(session, [merge])
            record = merge.data["letters"]
            return {"id": undoing.id, "merge": merge.id, "keep": record["keep"], "other": record["other"]}

    def policies(self) -> list[dict]:
        from ouhai_tracker.store import queries

        with self._session() as session:
            return queries.policy_summaries(session)

    def documents(self, *, second_reply: bool = False, with_contacts: bool = False,
                  superseded: bool = False) -> list[dict]:
        """Every letter with its members' latest rating and what its class mark means here;
        ``second_reply``: only the letters whose latest rating is 不满意. Contact name and phone
        are None unless ``with_contacts`` (the keys stay, so scripts read the same fields). A
        version merged into another letter only with ``superseded``."""
        return letter_rows(self._letter_reading(), second_reply=second_reply, with_contacts=with_contacts,
                           superseded=superseded)

    def _letter_reading(self) -> dict[str, list]:
        """The rows of store/letter_sql.py's statements: from a SQLite file through the stdlib."""
        reading = fastread.letter_reading(self.db)
        if reading is None:
            from ouhai_tracker.store import letter_sql

            with self._session() as session:
                reading = letter_sql.reading(session.connection())
        return reading

    def letter(self, doc: str, *, as_of: date | str | None = None, with_contacts: bool = False) -> dict:
        """One letter (DOC: its id, file name or a part of it only one letter's name has) as `docs`
        lists it, with ``commitments``: every live promise of it in the letter's order, each with
        its status, due date (written or inferred), outcome, evidence and notes."""
        from ouhai_tracker.store import followup_queries as fq
        from ouhai_tracker.store import letter_sql, read

        today = as_of_day(as_of)
        with self._session() as session:
            letter_id = fq.find_letter(session, doc).id
            rows = read.commitments(session.connection(),
                                    read.Filter(status=None, letter_id=letter_id, live=True, sort="letter",
                                                as_of=today), today)
            reading = letter_sql.reading(session.connection())
        hide = with_follow_ups(reading, rows, with_contacts)
        if not with_contacts:  # as `show` gives the sentence
            for r in rows:
                r["sentence"] = hide(r["sentence"])
        [shown] = [d for d in letter_rows(reading, with_contacts=with_contacts, superseded=True) if d["id"] == letter_id]
        return {**shown, "as_of": today.isoformat(), "commitments": rows}

    # ---- following up ------------------------------------------------------------------------------

    def review_queue(self, *, order: str = "confidence", dept: str | None = None,
                     state: str = "unreviewed") -> list[int]:
        """Ids of the live commitments in review ``state`` (unreviewed; rejected to reconsider them):
        lowest confidence first (``order='letter'``: letter by letter)."""
        from ouhai_tracker.store import read
        from ouhai_tracker.store.states import REVIEW_STATES

        if order not in ("confidence", "letter"):
            raise BadOption(_("bad order {value!r}: expected one of confidence, letter").format(value=order))
        if state not in REVIEW_STATES:
            raise BadOption(_("bad review state {value!r}: expected one of {choices}").format(
                value=state, choices=", ".join(REVIEW_STATES)))
        f = read.Filter(dept=dept or None, status=None, queue=state, sort=order)
        with self._session() as session:
            ids = read.ids(session.connection(), f)
        if not ids:
            self._check_names(f)
        return ids

    def review(self, commitment_id: int, action: str, *, owner: str | None = None,
               due: date | str | None = None, note: str | None = None) -> dict:
        """accept, reject, or correct (owner and/or due); each verdict is a dated 'reviewed' event."""
        from ouhai_tracker.store import change_plan

        due_date = as_date(due, "due date")
        target = f"{id_list([commitment_id])} {action}"
        # Only a correction names an owner: accept and reject take none.
        return self._owner_change(commitment_id, owner if action == "correct" else None,
                                  lambda states, found: change_plan.plan_review(
            states, target, action, due_date, found, note, date.today()))[0]

    def rate(self, commitment_id: int, outcome: str, *, evidence: str | None = None, note: str | None = None,
             on: date | str | None = None) -> dict:
        """Record an outcome (a dated event with its evidence). Kept closes an open commitment,
        as `done` would; any other outcome leaves the status alone."""
        from ouhai_tracker.followup import evidence_reference
        from ouhai_tracker.store import change_plan
        from ouhai_tracker.store.states import OUTCOMES
        from ouhai_tracker.words import from_words

        outcome = from_words(outcome, OUTCOMES)  # 已兑现 is kept
        on_date = as_date(on, "--on")
        reference = evidence_reference(evidence)
        target = f"{id_list([commitment_id])} {outcome}"
        return self._commitments_change([commitment_id], lambda states: change_plan.plan_rate(
            states, target, outcome, reference, note, on_date, date.today()))[0]

    def feedback(self, doc: str, rating: str, *, note: str | None = None, on: date | str | None = None) -> dict:
        """Record a member's rating of a letter (DOC: id, file name, or a unique part of one)."""
        from ouhai_tracker.store import change_kinds, change_write
        from ouhai_tracker.store import followup_queries as fq

        on_date = as_date(on, "--on")

        def decide(session, db):
            letter = fq.find_letter(session, doc)
            return change_kinds.plan_feedback(f"{doc} {rating}", change_kinds.LetterRef(
                letter.id, letter.file, letter.superseded_by_id), rating, note, on_date,
                change_write.last_rating(db, letter.id))
        plan = self._write(decide)
        return {**plan.data["feedback"], **plan.answer}  # the rating as written (its id), and the one before

    def config_set(self, key: str, value: str) -> dict:
        from ouhai_tracker.followup import DEFAULT_SETTINGS, setting_key
        from ouhai_tracker.store import change_kinds, change_write

        key = setting_key(key)
        one_line_value(value, key)
        if not value.strip():
            raise BadOption(_("empty value for {key}: use `tracker config unset {key}` to go back to the default").format(
                key=key))
        old = self._write(lambda session, db: change_kinds.plan_setting(key, value.strip(),
                                                                       change_write.setting(db, key))).answer
        return {"key": key, "value": value.strip(), "old": old if old is not None else DEFAULT_SETTINGS.get(key)}

    def config_unset(self, key: str) -> dict:
        from ouhai_tracker.followup import DEFAULT_SETTINGS, setting_key
        from ouhai_tracker.store import change_kinds, change_write

        key = setting_key(key)
        old = self._write(lambda session, db: change_kinds.plan_unset(key, change_write.setting(db, key))).answer
        return {"key": key, "old": old, "value": DEFAULT_SETTINGS.get(key)}

    def config_list(self) -> list[dict]:
        from ouhai_tracker.followup import settings_rows
        from ouhai_tracker.store import followup_queries as fq

        with self._session() as session:
            return settings_rows(fq.get_settings(session))

    def config_get(self, key: str) -> dict:
        from ouhai_tracker.followup import setting_key

        key = setting_key(key)
        return next((row for row in self.config_list() if row["key"] == key),
                    {"key": key, "value": None, "source": "unset"})

    def report(self, *, as_of: date | str | None = None, scorecard_only: bool = False, **filters) -> dict:
        """Everything a report shows, as plain data (also what `tracker report --format json` prints):
        the live commitments (not withdrawn, not rejected) the filters select, and their letters.
        ``scorecard_only`` (`tracker stats`): the scorecard alone (followup.report.scorecard_report),
        without reading the letters and what people noted."""
        from dataclasses import replace

        from ouhai_tracker.followup.report import build_report, scorecard_report

        today = as_of_day(as_of)
        f = self._filter(**{"status": "all", **filters}, as_of=today, live=True)
        if filters.get("review") is None:
            f = replace(f, review=None)  # rejected ones out
        stdlib = f.only("dept", "status", "live") and f.status is None  # SQLite through the stdlib, no SQLAlchemy
        if stdlib and scorecard_only:
            found = fastread.scorecard(self.db, f.dept, today)
            if found is not None:
                if not found[0]:
                    self._check_names(f)
                return scorecard_report(*found, today)
        everything = fastread.report(self.db, f.dept, today) if stdlib and not scorecard_only else None
        if everything is not None:
            rows, links, selected, reading = everything
        else:
            from ouhai_tracker.store import evidence as evidence_store
            from ouhai_tracker.store import letter_sql, read

            with self._session() as session:
                rows = read.commitments(session.connection(), f, today)
                reading = {} if scorecard_only else letter_sql.reading(session.connection())
                links = evidence_store.for_commitments(session, read.selected_ids(f))
            selected = None if scorecard_only else self.letter_ids(as_of=today, **filters)
        if not rows:
            self._check_names(f)
        if scorecard_only:
            return scorecard_report(rows, links, today)
        with_follow_ups(reading, rows)
        letters = [d for d in letter_rows(reading) if selected is None or d["id"] in selected]
        return build_report(rows, letters, today=today, dept=filters.get("dept"), year=filters.get("year"),
                            links=links)

    def _selection(self, filters: dict, as_of: date | str | None = None):
        """The store's Filter for what ``filters`` (those of `tracker export`) select, every state
        included as an export writes them; None when nothing narrows it (every status is none)."""
        if not any(value not in (None, False) and not (key == "status" and value == "all")
                   for key, value in filters.items()):
            return None
        return self._filter(**{"status": "all", **filters}, as_of=as_of)

    def letter_ids(self, *, as_of: date | str | None = None, **filters) -> set[int] | None:
        """The ids of the letters ``filters`` select (store.read.letters_of: the letters of the
        commitments they select), or None for every letter. The report, the workbook and the
        exports all go by it."""
        f = self._selection(filters, as_of)
        if f is None:
            return None
        from ouhai_tracker.store import read

        with self._session() as session:
            return read.letter_ids(session.connection(), f)

    def calendar(self, *, remind: str = "7d", **filters) -> bytes:
        """An iCalendar file: one all-day event per dated open commitment on its due date (a
        recurring one from its current period, repeating), each with a reminder ``remind``
        before ('7d', '12h'; '0' for none)."""
        from ouhai_tracker.followup import ics, remind_before
        from ouhai_tracker.store import followup_queries as fq
        from ouhai_tracker.store.models import DATABASE_ID

        before = remind_before(remind)
        with self._session() as session:
            database_id = fq.get_settings(session).get(DATABASE_ID, "")
        rows = [row for row in self.find_commitments(**{"status": "open", **filters}) if row["due"]]
        return ics(rows, database_id, before)

    # ---- export ---------------------------------------------------------------------------------

    def export(self, *, with_contacts: bool = False, **filters) -> dict:
        """Everything, for other tools: ``document`` (format, version, schema_revision,
        with_contacts, and ``tables``: each table's rows) and ``counts`` (rows per table). Contact
        names and phone numbers only ``with_contacts``. ``filters`` (those of `tracker list`, every
        status unless ``status``) narrow the commitments, their history and their letters. The
        CLI prints it or writes it as JSON or CSV files (outputs.py)."""
        from ouhai_tracker.store.export import FORMAT, VERSION, export_tables
        from ouhai_tracker.store.migrations import HEAD

        f = self._selection(filters)
        # everything, from a SQLite file: through the stdlib, no SQLAlchemy
        tables = fastread.export(self.db, with_contacts) if f is None else None
        if tables is None:
            from ouhai_tracker.store import export_sql, read

            if f is not None:
                self._check_names(f)
            with self._session() as session:
                connection = session.connection()
                chosen = export_sql.statements(f and read.statements(f)["ids"], read.letters_of(f))

                def rows(name: str):
                    result = connection.execute(chosen[name])
                    return list(result.keys()), result.all()
                tables = export_tables(rows, with_contacts, selected=f is not None)
        document = {"format": FORMAT, "version": VERSION, "schema_revision": HEAD,
                    "with_contacts": with_contacts, "tables": tables}
        return {"document": document, "counts": {name: len(rows) for name, rows in tables.items()}}

    def workbook(self, *, with_contacts: bool = False, as_of: date | str | None = None, **filters) -> dict:
        """What the workbook of `export --format xlsx` holds (render/xlsx.py makes it), as plain
        data: ``commitments`` (every status unless ``filters`` say), the ``report`` of them, and
        their ``letters``. Contact names and phone numbers are None, and masked wherever they stand,
        unless ``with_contacts``."""
        from ouhai_tracker.store.export import contact_pattern, mask_contacts

        today = as_of_day(as_of)
        commitments = self.find_commitments(**{"status": "all", **filters}, as_of=today)
        report = self.report(**filters, as_of=today)
        every_letter = self.documents(with_contacts=True)  # the names to mask
        selected = self.letter_ids(as_of=today, **filters)
        letters = [d for d in every_letter if selected is None or d["id"] in selected]
        if not with_contacts:  # every letter's contacts, masked wherever they stand
            pattern = contact_pattern(value for letter in every_letter
                                      for value in (letter["contact_name"], letter["contact_phone"]))
            for c in commitments:
                c["sentence"] = mask_contacts(c["sentence"], pattern) if c["sentence"] and pattern else c["sentence"]
            for letter in letters:
                if letter["feedback_note"] and pattern:
                    letter["feedback_note"] = mask_contacts(letter["feedback_note"], pattern)
                letter["contact_name"] = letter["contact_phone"] = None
        return {"commitments": commitments, "report": report, "letters": letters}

    # ---- the database itself --------------------------------------------------------------------

    def db_upgrade(self) -> dict:
        """Bring the database's schema to this version's head (after a backup copy, for SQLite)."""
        from ouhai_tracker.store import engine as store

        url = store.resolve_url(self.db)
        result = store.upgrade(store.get_engine(url, migrate=False))
        store.forget_engines()
        return {"database": store.shown(url), "old": result.old, "new": result.new, "backup": result.backup}

    def db_backup(self, destination: str | Path) -> str:
        """A copy of a SQLite database at ``destination`` (never over an existing file), checked
        (every table there, integrity_check ok) before it takes its name."""
        from ouhai_tracker import outputs
        from ouhai_tracker.store import engine as store

        url = store.resolve_url(self.db)
        source = store.sqlite_path(url)
        if source is None:
            raise BadInput(_("{database} is not a SQLite file: back a PostgreSQL database up with pg_dump, "
                             "e.g. pg_dump -Fc tracker > tracker.dump").format(database=store.shown(url)))
        target = outputs.not_the_database(destination, self.db)
        if target.exists():
            raise BadInput(_("{path} exists: give a new file name").format(path=Path(destination).expanduser()))
        if not source.is_file():
            raise NotFound(_("no database at {path}").format(path=source))
        store.get_engine(url, migrate=False)  # a damaged file fails here with one line
        store.backup_sqlite(source, target)
        return str(Path(destination).expanduser())

    def db_check(self) -> dict:
        """Integrity (SQLite's integrity_check) and schema revision, without changing anything."""
        from ouhai_tracker.store import engine as store
        from ouhai_tracker.store.migrations import HEAD, REVISIONS

        url = store.resolve_url(self.db)
        store.refuse_missing(url)
        engine = store.get_engine(url, migrate=False)
        state = store.current_revision(engine)
        revision = state.revision or (N_("none (made before migrations)") if state.has_schema else N_("none (empty)"))
        if state.revision == HEAD or not state.has_schema:
            schema = N_("current")
        elif state.revision is None or state.revision in REVISIONS:
            schema = N_("older: upgraded on next use, or now with `tracker db upgrade`")
        else:
            schema = N_("newer than this tracker: upgrade the tracker")
        problems = store.integrity_problems(engine) if engine.dialect.name == "sqlite" else None
        return {"database": store.shown(url), "revision": revision, "head": HEAD, "schema": schema,
                "integrity": N_("not checked (PostgreSQL checks its own pages; see pg_amcheck)") if problems is None
                else (N_("ok") if not problems else "; ".join(problems[:5])),
                "ok": not problems and schema != "newer than this tracker: upgrade the tracker"}


def letter_rows(reading: dict[str, list], *, second_reply: bool = False, with_contacts: bool = False,
                superseded: bool = False) -> list[dict]:
    """The letters of ``reading`` (store/letter_sql.py's rows) as `docs` lists them (see
    Tracker.documents): each with its members' latest rating and what its class mark means here."""
    from ouhai_tracker.followup import class_meaning, class_meanings
    from ouhai_tracker.rows import contacts, latest_feedback
    from ouhai_tracker.store.export import contact_mask
    from ouhai_tracker.store.states import DISSATISFIED

    latest = latest_feedback(reading["feedback"])
    meanings = class_meanings({row["key"]: row["value"] for row in reading["settings"]})
    rows = []
    for letter in reading["letters"]:
        if letter["superseded_by_id"] is not None and not superseded:
            continue
        given = latest.get(letter["id"]) or {}
        if second_reply and given.get("rating") != DISSATISFIED:
            continue
        rows.append({**letter_dict(letter, with_contacts), "id": letter["id"],
                     "class_meaning": class_meaning(letter["class_mark"], meanings),
                     "feedback": given.get("rating"), "feedback_note": given.get("note"),
                     "feedback_on": given.get("on") or (given.get("at") or "")[:10] or None,
                     "feedback_ratings": given.get("ratings", 0),
                     "second_reply": given.get("rating") == DISSATISFIED})
    if not with_contacts:  # a member's note may name anyone's contact
        hide = contact_mask(contacts(reading["contacts"]))
        for row in rows:
            row["feedback_note"] = hide(row["feedback_note"])
    return rows


def with_follow_ups(reading: dict[str, list], rows: list[dict], with_contacts: bool = False):
    """Give each row what people recorded on it (from ``reading``, store/letter_sql.py's rows):
    ``notes`` and ``evidence`` (today the evidence given to `rate --evidence`), contacts masked
    unless asked for. The masking function, for the caller's other text."""
    from ouhai_tracker.rows import contacts, follow_ups
    from ouhai_tracker.store.export import contact_mask

    found = follow_ups(reading["follow_ups"])
    hide = (lambda text: text) if with_contacts else contact_mask(contacts(reading["contacts"]))
    for r in rows:
        entry = found.get(r["id"]) or {"notes": [], "evidence": []}
        r["notes"] = [{**n, "note": hide(n["note"])} for n in entry["notes"]]
        r["evidence"] = [{**e, "note": hide(e["note"])} for e in entry["evidence"]]
    return hide
