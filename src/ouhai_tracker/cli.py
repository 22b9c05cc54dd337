"""The `tracker` command: parse options, make one call into the API, render.

Only typer is imported at the top; the database, rich, the readers and the
extraction are imported inside the commands that need them, so `--help` and
quick queries start fast (see STACK.md).
"""
from __future__ import annotations

import functools
from datetime import date
from typing import Annotated, Optional

import typer

from ouhai_tracker.errors import TrackerError

app = typer.Typer(
    name="tracker",
    help="Track the commitments (promises) made in government reply letters (答复函).",
    rich_markup_mode=None,  # plain help: rich is not imported just to print --help
    pretty_exceptions_enable=False,
    no_args_is_help=True,
    add_completion=False,
)

# Options shared by several commands, declared once so they read the same everywhere.
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON on stdout (and nothing else).")]
DeptOption = Annotated[Optional[str], typer.Option(
    "--dept", metavar="DEPT", help="Owner or partner, by any name, short form or part of one (工商联 matches 区工商业联合会).")]
AsOfOption = Annotated[Optional[str], typer.Option(
    "--as-of", metavar="DATE", help="Judge overdue against this day (YYYY-MM-DD) instead of today.")]
NoteOption = Annotated[Optional[str], typer.Option("--note", metavar="TEXT", help="Why, or the evidence, kept in the history.")]


def _user_errors(function):
    """User errors end as one line on stderr and exit 1."""
    @functools.wraps(function)
    def run(*args, **kwargs):
        try:
            return function(*args, **kwargs)
        except TrackerError as err:
            from ouhai_tracker.render import visible

            typer.echo(f"tracker: error: {visible(str(err))}", err=True)
            raise typer.Exit(1) from None
    return run


def command(name: str | None = None, group: typer.Typer | None = None):
    """Register a command of ``group`` (the main app by default)."""
    def register(function):
        return (group or app).command(name)(_user_errors(function))
    return register


def _group(name: str, help: str | None, **more) -> typer.Typer:
    group = typer.Typer(name=name, help=help, rich_markup_mode=None, pretty_exceptions_enable=False,
                        add_completion=False, **more)
    app.add_typer(group)
    return group


@app.callback()
def options(ctx: typer.Context,
            db: Annotated[Optional[str], typer.Option(
                "--db", metavar="URL|PATH",
                help="Database: a SQLAlchemy URL or a SQLite file path. Default: $TRACKER_DB, "
                     "else tracker.db in your user data directory.")] = None) -> None:
    """Track the commitments (promises) made in government reply letters (答复函).

    Example: tracker import letters/ && tracker due --dept 工商联
    """
    ctx.obj = db


def _today(as_of: str | None) -> date:
    from ouhai_tracker.api import as_date

    return as_date(as_of, "--as-of") or date.today()


@command("import")
def import_(ctx: typer.Context,
            paths: Annotated[list[str], typer.Argument(metavar="PATH", help="Letter files or folders.")],
            dry_run: Annotated[bool, typer.Option("--dry-run", help="Extract and show, write nothing.")] = False,
            vague_months: Annotated[int, typer.Option(help="Due date for 近期/尽快: letter date + N months.")] = 3,
            undated_months: Annotated[int, typer.Option(help="Due date for 下一步/no time: letter date + N months.")] = 12,
            jobs: Annotated[Optional[int], typer.Option(
                "--jobs", metavar="N", min=1, help="Worker processes reading letters (default: one per CPU; 1: none).")] = None,
            json: JsonOption = False) -> None:
    """Import reply letters from files or folders; re-importing is safe.

    One line per letter: commitments, policies and departments found, and
    added / updated / unchanged; for an updated letter, how many of its
    commitments were added, updated, unchanged and withdrawn. A letter is
    matched by file name, or by replying unit, date and proposal title.
    Files that fail are named on stderr and leave nothing behind; the others
    still import, and the exit status is 1. Files over 20 MB are refused; a
    file with no date, title or commitment is refused as not a letter; a
    letter without commitments is stored with a warning.

    Example: tracker import ~/letters/2023 第36号答复.txt --dry-run --jobs 2
    """
    from ouhai_tracker import api, importer, render
    from ouhai_tracker.extract.model import Settings

    settings = Settings(vague_months=vague_months, undated_months=undated_months)
    with render.import_progress() as progress:
        results = api.import_paths(paths, ctx.obj, settings, dry_run=dry_run,
                                   jobs=jobs or importer.default_jobs(), progress=progress)
    if json:
        render.print_json([r.to_dict() for r in results])
    for result in results:
        if not result.ok:
            typer.echo(render.visible(f"tracker: error: {result.path}: {result.status}: {result.reason}"), err=True)
            continue
        if not json:
            typer.echo(render.import_line(result))
            if dry_run:
                render.preview_table(result)
        if result.warning:
            typer.echo(render.visible(f"tracker: warning: {result.path}: {result.warning}"), err=True)
    if not all(r.ok for r in results):
        raise typer.Exit(1)


@command("list")
def list_(ctx: typer.Context, dept: DeptOption = None,
          status: Annotated[str, typer.Option(metavar="STATUS", help="open, done, withdrawn or all.")] = "open",
          kind: Annotated[Optional[str], typer.Option(metavar="KIND", help="Deadline kind: date, vague, recurring, conditional, none.")] = None,
          due_before: Annotated[Optional[str], typer.Option(metavar="DATE", help="Due on or before DATE.")] = None,
          due_after: Annotated[Optional[str], typer.Option(metavar="DATE", help="Due on or after DATE.")] = None,
          overdue: Annotated[bool, typer.Option("--overdue", help="Only open ones past their due date.")] = False,
          as_of: AsOfOption = None,
          search: Annotated[Optional[str], typer.Option(metavar="TEXT", help="Text the commitment contains.")] = None,
          doc: Annotated[Optional[str], typer.Option(metavar="FILE", help="Part of the letter's file name.")] = None,
          policy: Annotated[Optional[str], typer.Option(metavar="TITLE", help="Part of a cited policy's title.")] = None,
          json: JsonOption = False) -> None:
    """List commitments, by due date (undated last), filtered.

    Example: tracker list --dept 经信局 --status all --due-before 2024-12-31
    """
    from ouhai_tracker import api, render

    rows = api.find_commitments(ctx.obj, dept=dept, status=status, kind=kind, due_before=due_before,
                                due_after=due_after, overdue=overdue, as_of=as_of, search=search,
                                doc=doc, policy=policy)
    if json:
        render.print_json(rows)
    else:
        render.commitments_table(rows, show_status=status != "open")


@command()
def due(ctx: typer.Context, dept: DeptOption = None,
        within: Annotated[Optional[int], typer.Option(metavar="DAYS", help="Only those due within DAYS (and overdue).")] = None,
        as_of: AsOfOption = None, json: JsonOption = False) -> None:
    """What is due: open commitments, overdue first, then those waiting on a condition.

    Dates marked * are inferred from a default rule, not written in the letter.

    Example: tracker due --dept 工商联 --within 30
    """
    from ouhai_tracker import api, render

    today = _today(as_of)
    rows = api.due(ctx.obj, dept=dept, within=within, as_of=today)
    if json:
        render.print_json(rows)
    else:
        render.due_view(rows, today)


@command()
def done(ctx: typer.Context,
         ids: Annotated[list[int], typer.Argument(metavar="ID", help="Commitment ids (see tracker list).")],
         note: NoteOption = None,
         on: Annotated[Optional[str], typer.Option(metavar="DATE", help="The day it was done (YYYY-MM-DD).")] = None) -> None:
    """Mark commitments done; a recurring one closes this period and moves to the next.

    Example: tracker done 12 15 --note "培训班已于5月举办" --on 2024-05-20
    """
    from ouhai_tracker import api

    for result in api.mark_done(ids, ctx.obj, note=note, on=on):
        if result["result"] == "period done":
            typer.echo(f"#{result['id']}: {result['period']} period due {result['period_due']} done; "
                       f"recurring, so it stays open, next due {result['next_due']}")
        else:
            typer.echo(f"#{result['id']}: {result['result']}")


@command()
def reopen(ctx: typer.Context, id: Annotated[int, typer.Argument(metavar="ID")], note: NoteOption = None) -> None:
    """Reopen a commitment marked done by mistake, or found undone after all.

    Example: tracker reopen 12 --note "回头看: 培训班未举办"
    """
    from ouhai_tracker import api

    result = api.reopen(id, ctx.obj, note=note)
    typer.echo(f"#{result['id']}: {result['result']}")


@command()
def edit(ctx: typer.Context, id: Annotated[int, typer.Argument(metavar="ID")],
         due: Annotated[Optional[str], typer.Option(metavar="DATE", help="Set the due date (YYYY-MM-DD).")] = None,
         owner: Annotated[Optional[str], typer.Option(metavar="DEPT", help="Set the owner (a known department).")] = None,
         note: NoteOption = None) -> None:
    """Correct a commitment's due date or owner; the history keeps the old value.

    Example: tracker edit 12 --due 2024-09-30 --owner 住建局 --note "经协调由住建局牵头"
    """
    from ouhai_tracker import api

    changes = api.edit(id, ctx.obj, due=due, owner=owner, note=note)
    for change in changes:
        typer.echo(f"#{id}: {change['field']} {change['old'] or '—'} -> {change['new']}")
    if not changes:
        typer.echo(f"#{id}: note added")


@command()
def show(ctx: typer.Context, id: Annotated[int, typer.Argument(metavar="ID")], as_of: AsOfOption = None,
         json: JsonOption = False) -> None:
    """Show one commitment in its paragraph, with owner, deadline, policies, letter and history.

    Example: tracker show 12
    """
    from ouhai_tracker import api, render

    commitment = api.show(id, ctx.obj, as_of=as_of)
    if json:
        render.print_json(commitment)
    else:
        render.commitment_view(commitment)


depts_app = _group("depts", "Departments with their aliases and how many commitments they own or share.\n\n"
                   "With a subcommand, teach the registry: `alias` and `merge`. What a person teaches "
                   "survives re-imports.\n\nExample: tracker depts --json", invoke_without_command=True)


@depts_app.callback()
@_user_errors
def depts(ctx: typer.Context, json: JsonOption = False) -> None:
    """List departments (the group's help above says more)."""
    if ctx.invoked_subcommand is not None:
        return
    from ouhai_tracker import api, render

    rows = api.departments(ctx.obj)
    render.print_json(rows) if json else render.departments_table(rows)


@command("alias", depts_app)
def depts_alias(ctx: typer.Context,
                name: Annotated[str, typer.Argument(metavar="NAME", help="A known department (any of its names).")],
                alias: Annotated[str, typer.Argument(metavar="ALIAS", help="Another name for it.")]) -> None:
    """Teach another name for a department; letters that use it are then read as this one.

    Example: tracker depts alias 区经信局 瓯海经信局
    """
    from ouhai_tracker import api, render

    result = api.add_alias(name, alias, ctx.obj)
    typer.echo(render.visible(f"{result['alias']} is now an alias of {result['department']}"
                              + (f" (moved from {result['moved_from']})" if result["moved_from"] else "")))


@command("merge", depts_app)
def depts_merge(ctx: typer.Context,
                keep: Annotated[str, typer.Argument(metavar="A", help="The department to keep.")],
                other: Annotated[str, typer.Argument(metavar="B", help="The department merged into A.")],
                note: NoteOption = None) -> None:
    """Merge B into A: B's commitments, partner roles and aliases move to A, B's name becomes an alias.

    Example: tracker depts merge 区经济和信息化局 瓯海区经信局
    """
    from ouhai_tracker import api, render

    result = api.merge_departments(keep, other, ctx.obj, note=note)
    typer.echo(render.visible(f"merged {result['merged']} into {result['into']}: {result['commitments']} "
                              f"commitments, {result['partners']} partner roles, {result['aliases']} aliases moved"))


@command()
def policies(ctx: typer.Context, json: JsonOption = False) -> None:
    """Policies the letters cite, with the letters citing them.

    Example: tracker policies --json
    """
    from ouhai_tracker import api, render

    rows = api.policies(ctx.obj)
    render.print_json(rows) if json else render.policies_table(rows)


@command()
def docs(ctx: typer.Context, json: JsonOption = False) -> None:
    """Imported letters: title, replying unit, date and commitments.

    Example: tracker docs --json
    """
    from ouhai_tracker import api, render

    rows = api.documents(ctx.obj)
    render.print_json(rows) if json else render.documents_table(rows)


@command()
def export(ctx: typer.Context,
           format: Annotated[str, typer.Option("--format", metavar="json|csv", help="json: one document; csv: one file per table in a folder.")] = "json",
           output: Annotated[Optional[str], typer.Option("--output", "-o", metavar="PATH", help="File (json) or new folder (csv). json without it: stdout.")] = None,
           with_contacts: Annotated[bool, typer.Option("--with-contacts", help="Include contact names and phone numbers (left out and masked otherwise).")] = False) -> None:
    """Export everything for other tools: letters, departments and aliases, policies,
    commitments with deadlines, partners and the whole history.

    JSON is one document {"format", "version", "tables": {letters, departments, ...}};
    CSV writes letters.csv, departments.csv, department_aliases.csv, policies.csv,
    commitments.csv, commitment_partners.csv, commitment_policies.csv,
    letter_policies.csv and events.csv into the folder PATH (lists as JSON in a cell).

    Example: tracker export --format csv --output export-2024/
    """
    from ouhai_tracker import api, render

    result = api.export(ctx.obj, format=format, output=output, with_contacts=with_contacts)
    if result["document"] is not None:
        render.print_json(result["document"])
    else:
        counts = ", ".join(f"{n} {name}" for name, n in result["counts"].items())
        typer.echo(render.visible(f"exported {counts} to {output}"))


db_app = _group("db", "The database itself: upgrade its schema, back it up, check it.\n\n"
                "Example: tracker db check", no_args_is_help=True)


@command("upgrade", db_app)
def db_upgrade(ctx: typer.Context) -> None:
    """Upgrade the database's schema to this version (SQLite: a backup copy is written beside it first).

    Every command does this by itself when needed; this does it now and says what it did.

    Example: tracker db upgrade
    """
    from ouhai_tracker import api

    result = api.db_upgrade(ctx.obj)
    if result["old"] == result["new"]:
        typer.echo(f"{result['database']}: already at {result['new']}")
    else:
        typer.echo(f"{result['database']}: upgraded from {result['old'] or 'unversioned'} to {result['new']}"
                   + (f"; backup: {result['backup']}" if result["backup"] else ""))


@command("backup", db_app)
def db_backup(ctx: typer.Context,
              path: Annotated[str, typer.Argument(metavar="PATH", help="The copy to write (a new file).")]) -> None:
    """Copy a SQLite database safely, even while others use it (PostgreSQL: use pg_dump).

    Example: tracker db backup ~/backups/tracker-2024-06-30.db
    """
    from ouhai_tracker import api

    typer.echo(f"backed up to {api.db_backup(path, ctx.obj)}")


@command("check", db_app)
def db_check(ctx: typer.Context, json: JsonOption = False) -> None:
    """Check the database: SQLite's integrity check and the schema revision. Exit 1 if not sound.

    Example: tracker db check
    """
    from ouhai_tracker import api, render

    result = api.db_check(ctx.obj)
    if json:
        render.print_json(result)
    else:
        for key in ("database", "revision", "head", "schema", "integrity"):
            typer.echo(f"{key}: {result[key]}")
    if not result["ok"]:
        raise typer.Exit(1)


def main() -> None:
    import gc

    try:
        app(prog_name="tracker")
    finally:
        gc.freeze()  # skip the exit-time collection of SQLAlchemy's objects (~100 ms)
