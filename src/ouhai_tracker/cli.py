"""The `tracker` command: parse options, make one call into the API, render.

Only typer is imported at the top; the database, rich, the readers and the
extraction are imported inside the commands that need them, so `--help` and
quick queries start fast. The annotations are evaluated where the commands are defined (no
``from __future__ import annotations``): Typer reads every command's annotations on each run,
and evaluating them from strings cost a sixth of `tracker --help`.
"""
import functools
import re
import sys
from datetime import date
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from ouhai_tracker.errors import BadInput, BadOption, TrackerError
from ouhai_tracker.i18n import N_, _, choose, language, translate_message
from ouhai_tracker.store.filter import FILTER, FILTERS, FilterSpec
from ouhai_tracker.store.limits import MAX_ID  # every number is checked here, so none reaches SQLite unchecked

GLOBAL_OPTIONS = ("--db",)  # options of `tracker` itself, given before the command


HELP_OPTION_HELP = N_("Show this message and exit.")
# Typer's own words in help and errors, which it looks up through gettext (typer.core._).
TYPER_WORDS = (N_("Options"), N_("Commands"), N_("Arguments"), N_("default: {default}"), N_("required"),
               N_("env var: {var}"), N_("(dynamic)"), N_("Missing command."), N_("Aborted!"), N_("Usage: "))


def _error(message: str) -> None:
    """A user error: one line on stderr (the caller exits non-zero)."""
    typer.echo(_("tracker: error: ") + message, err=True)


def _file_failed(result) -> None:
    """A file an import or a reread could not read or store: its path, what became of it, why."""
    from ouhai_tracker.render import one_line

    _error(f"{one_line(result.path)}: {_(result.status)}: {one_line(translate_message(result.reason or ''))}")


def _wrapping_by_width(wrap_text):
    """click's wrap_text, folding at screen columns rather than characters: a Chinese character
    takes two columns, so a text of them gets a width in characters that fills the line."""
    from ouhai_tracker.render.grid import width as display_width

    def wrap(text, columns=78, *args, **kwargs):
        import re

        shown = display_width(text)
        if shown > len(text):
            columns = max(20, columns * len(text) // shown)
        # Never at a hyphen: --with-contacts and not-yet-rated are what a person types, whole.
        text = re.sub(r"(?<=\w)-(?=\w)", "\u2011", text)
        return wrap_text(text, columns, *args, **kwargs).replace("\u2011", "-")
    return wrap


class Translated:
    """Help in the user's language: the help texts (English in the code) are looked up in the
    catalog while help is printed, and put back after. Typer's own words (Options, Commands,
    default, required) are looked up in the same catalog."""

    def format_help(self, ctx, formatter):
        import inspect

        if language() == "en":
            return super().format_help(ctx, formatter)
        typer.core._ = _
        formatting = sys.modules[type(formatter).__module__]
        wrap_text = formatting.wrap_text
        formatting.wrap_text = _wrapping_by_width(wrap_text)
        texts = [self, *self.get_params(ctx), *getattr(self, "commands", {}).values()]
        kept = [(item, item.help, getattr(item, "short_help", None)) for item in texts]
        try:
            for item, help, short_help in kept:
                item.help = _(inspect.cleandoc(help)) if help else help
                if short_help:
                    item.short_help = _(short_help)
            super().format_help(ctx, formatter)
        finally:
            formatting.wrap_text = wrap_text
            for item, help, short_help in kept:
                item.help = help
                if short_help:
                    item.short_help = short_help

    def get_help_option(self, ctx):
        option = super().get_help_option(ctx)
        if option is not None:
            option.help = _(HELP_OPTION_HELP)
        return option

    def format_usage(self, ctx, formatter):
        formatter.write_usage(ctx.command_path, " ".join(self.collect_usage_pieces(ctx)), prefix=_("Usage: "))


class TrackerGroup(Translated, typer.core.TyperGroup):
    """The command group, with click's usage errors as one line on stderr (`tracker: error: …`,
    exit 2) instead of three or four, and a hint when a global option follows the command."""

    def main(self, *args, **kwargs):
        choose(language())  # once per command, not at each of a table's lookups
        try:
            return self._main(*args, **kwargs)
        finally:
            choose(None)

    def _main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        from typer._click.exceptions import ClickException, NoArgsIsHelpError, UsageError
        from typer.exceptions import Abort, Exit

        try:
            result = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except NoArgsIsHelpError as err:  # `tracker` alone: its help
            err.show()
            sys.exit(err.exit_code)
        except UsageError as err:
            message = err.format_message()
            if err.ctx is not None and message.startswith("No such option:"):
                option = message.split(":", 1)[1].split()[0]
                if option in GLOBAL_OPTIONS:
                    hint = _(" ({option} goes before the command: tracker {option} VALUE {command} …)")
                    message += hint.format(option=option, command=err.ctx.info_name)
            hint = _(" (see `{command} --help`)").format(command=err.ctx.command_path) if err.ctx is not None else ""
            _error(translate_message(message) + hint)
            sys.exit(2)
        except Abort:
            _error(_("aborted"))
            sys.exit(1)
        except ClickException as err:
            _error(err.format_message())
            sys.exit(err.exit_code)
        except Exit as err:
            sys.exit(err.exit_code)
        sys.exit(result if isinstance(result, int) else 0)


class TrackerCommand(Translated, typer.core.TyperCommand):
    """A command whose usage line reads `tracker done [OPTIONS] ID...`, without typer's braces."""

    def collect_usage_pieces(self, ctx):
        return [p[1:-1] if p.startswith("{") and p.endswith("}") else p for p in super().collect_usage_pieces(ctx)]


HELP = {"help_option_names": ["-h", "--help"]}

app = typer.Typer(
    name="tracker",
    cls=TrackerGroup,
    help="Track the commitments (promises) made in government reply letters (答复函).\n\n"
         "Example: tracker import letters/ && tracker due --dept 工商联",
    rich_markup_mode=None,  # plain help: rich is not imported just to print --help
    pretty_exceptions_enable=False,
    no_args_is_help=True,
    context_settings=HELP,
)


# Options shared by several commands, declared once so they read the same everywhere.
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON on stdout (and nothing else).")]


def _complete_dept(ctx: typer.Context, incomplete: str) -> list[str]:
    # The names in the database the command would open (--db is parsed before the command's options).
    from ouhai_tracker.store.fastread import department_names

    return department_names(ctx.find_root().params.get("db"), incomplete)


def _choices(values):
    """Shell completion for an option that takes one of a few values (``values()``, imported only to complete)."""
    def complete(incomplete: str) -> list[str]:
        return [value for value in values() if value.startswith(incomplete)]
    return complete


def _formats() -> tuple[str, ...]:
    from ouhai_tracker.render.listing import FORMATS

    return FORMATS


def filter_option(spec: FilterSpec):
    """The option of a listing filter (store/filter.py), as its row declares it."""
    completion = _complete_dept if spec.names == "department" else _choices(spec.choices) if spec.choices else None
    option = typer.Option(spec.flag, metavar=spec.metavar, help=spec.help, autocompletion=completion,
                          min=spec.low, max=spec.high)
    return Annotated[spec.type if spec.default is not None else Optional[spec.type], option]


if TYPE_CHECKING:
    DeptOption = Optional[str]
else:  # also the option of the commands that take --dept alone (review, evidence)
    DeptOption = filter_option(FILTER["dept"])
AsOfOption = Annotated[Optional[str], typer.Option(
    "--as-of", metavar="DATE", help="Judge overdue against this day (YYYY-MM-DD) instead of today.")]
ContactsOption = Annotated[bool, typer.Option(
    "--with-contacts", envvar="TRACKER_WITH_CONTACTS",
    help="Show the letters' contact names and phone numbers (null and masked otherwise).")]
NoteOption = Annotated[Optional[str], typer.Option("--note", metavar="TEXT", help="Why, or the evidence, kept in the history.")]
_DIGITS = re.compile(r"[0-9]+")


def _one_id(value: str | int) -> int:
    """A commitment's id: ASCII digits, 1 to MAX_ID (int() would take 1_000 and ٣ too)."""
    if isinstance(value, int):
        return value
    if not _DIGITS.fullmatch(value) or not 1 <= int(value) <= MAX_ID:
        raise typer.BadParameter(_("{value!r} is not an id: expected ids from 1 to {most}, in ASCII digits").format(
            value=value, most=MAX_ID))
    return int(value)


IdArgument = Annotated[int, typer.Argument(metavar="ID", parser=_one_id,
                                           help="A commitment's id (see tracker list).")]
IdsArgument = Annotated[list[str], typer.Argument(
    metavar="ID...", help="Commitment ids (see tracker list): 12, several (12 15) or a range (12-15).")]
FormatOption = Annotated[Optional[str], typer.Option(
    "--format", metavar="FORMAT", autocompletion=_choices(_formats),
    help="table, tsv, csv or json. Default: a table on a terminal; in a pipe, "
         "one tab-separated line per row, no header (tsv adds one).")]

def filtered(*, without: tuple[str, ...] = (), **defaults):
    """Give a command the listing filters (store/filter.py: FILTERS) as options (all but ``without``,
    with ``defaults``); it receives them as one dict, ``filters``, for the Tracker."""
    import inspect

    def wrap(function):
        own = [p.replace(kind=inspect.Parameter.KEYWORD_ONLY) if p.name != "ctx" else p
               for p in inspect.signature(function, eval_str=True).parameters.values() if p.name != "filters"]
        names = [spec.name for spec in FILTERS if spec.name not in without]
        added = [inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, annotation=filter_option(FILTER[name]),
                                   default=defaults.get(name, FILTER[name].default)) for name in names]

        @functools.wraps(function)
        def run(*args, **kwargs):
            filters = {name: kwargs.pop(name) for name in names}
            return function(*args, filters=filters, **kwargs)

        run.__signature__ = inspect.Signature([*own[:1], *added, *own[1:]])
        return run
    return wrap


def parse_ids(values: list[str]) -> list[int]:
    """12 15 20-22 -> [12, 15, 20, 21, 22]; anything else is a usage error."""
    ids: list[int] = []
    for value in values:
        low, dash, high = value.partition("-")
        try:
            if not _DIGITS.fullmatch(low) or (dash and not _DIGITS.fullmatch(high)):
                raise ValueError(value)  # 1_000 and ٣ are numbers to int(), not ids a person types
            first, last = int(low), int(high if dash else low)
        except ValueError:
            raise BadOption(_("bad id {value!r}: expected a number such as 12, or a range such as 12-15").format(
                value=value)) from None
        if not 1 <= first <= last <= MAX_ID or last - first > 100000:
            raise BadOption(_("bad id {value!r}: expected ids from 1 to {most}, a range low-high").format(
                value=value, most=MAX_ID))
        ids.extend(range(first, last + 1))
    return ids


def _user_errors(function):
    """User errors end as one line on stderr and exit 1. When a command that wrote to a SQLite
    database ends, its WAL is folded back into the database file, which then stands alone."""
    @functools.wraps(function)
    def run(*args, **kwargs):
        try:
            return function(*args, **kwargs)
        except TrackerError as err:
            from ouhai_tracker.render import one_line

            _error(one_line(str(err)))
            raise typer.Exit(2 if isinstance(err, BadOption) else 1) from None
        finally:
            engine = sys.modules.get("ouhai_tracker.store.engine")  # loaded only by commands that use it
            if engine is not None:
                engine.checkpoint_written()
    return run


def command(name: str | None = None, group: typer.Typer | None = None):
    """Register a command of ``group`` (the main app by default)."""
    def register(function):
        return (group or app).command(name, cls=TrackerCommand)(_user_errors(function))
    return register


def _group(name: str, help: str | None, **more) -> typer.Typer:
    group = typer.Typer(name=name, cls=TrackerGroup, help=help, rich_markup_mode=None, pretty_exceptions_enable=False,
                        context_settings=HELP, **more)
    app.add_typer(group)
    return group


def _version(value: bool) -> None:
    if value:
        from importlib.metadata import version

        typer.echo(f"tracker {version('ouhai-tracker')}")
        raise typer.Exit()


@app.callback()
def options(ctx: typer.Context,
            db: Annotated[Optional[str], typer.Option(
                "--db", metavar="URL|PATH",
                help="Database: a SQLAlchemy URL or a SQLite file path. Default: $TRACKER_DB, "
                     "else tracker.db in your user data directory.")] = None,
            version: Annotated[bool, typer.Option(
                "--version", is_eager=True, callback=_version, help="Print the version and exit.")] = False) -> None:
    """Track the commitments (promises) made in government reply letters (答复函).

    Example: tracker import letters/ && tracker due --dept 工商联
    """
    ctx.obj = db
    if ctx.invoked_subcommand in READING:
        import gc

        if gc.isenabled():  # (see READING) until the command ends, for a caller that goes on
            gc.disable()
            ctx.call_on_close(gc.enable)


# Commands that read a selection and print it, then exit: the cyclic collector's passes over
# their rows (a million objects at 20,000 commitments, a tenth of a second and more) free
# nothing, since what they drop is freed as it is dropped; none of them runs for long.
READING = frozenset({"list", "due", "stats", "report", "export"})


def _today(as_of: str | None) -> date:
    from ouhai_tracker import dates

    return dates.as_of_day(as_of)


def _tracker(ctx: typer.Context):
    """The one object every command calls: the database the --db option names."""
    from ouhai_tracker.tracker import Tracker

    return Tracker(ctx.obj)


def _listing(rows: list[dict], format: str | None, json: bool, table, fields: str) -> None:
    """Print ``rows`` in the chosen format: ``table`` draws it for a person, ``fields`` names the
    columns (in render.listing) for tsv and csv."""
    from ouhai_tracker import render
    from ouhai_tracker.render import listing

    format = listing.chosen(format, json)
    if format == "table":
        table(rows)
    elif format == "json":
        render.print_json(rows)
    else:
        listing.write(rows, getattr(listing, fields), format)


@command("import")
def import_(ctx: typer.Context,
            paths: Annotated[list[str], typer.Argument(metavar="PATH", help="Letter files or folders.")],
            dry_run: Annotated[bool, typer.Option(
                "--dry-run", help="Say what importing would do (would add, would update with counts, unchanged), "
                                  "and show the commitments found; write nothing.")] = False,
            vague_months: Annotated[int, typer.Option(
                min=1, max=120, help="Due date for 近期/尽快: letter date + N months (1-120).")] = 3,
            undated_months: Annotated[int, typer.Option(
                min=1, max=120, help="Due date for 下一步/no time: letter date + N months (1-120).")] = 12,
            jobs: Annotated[Optional[int], typer.Option(
                "--jobs", metavar="N", min=1, max=256,
                help="Worker processes reading letters (default: one per CPU).")] = None,
            file_timeout: Annotated[int, typer.Option(
                "--file-timeout", metavar="SECONDS", min=1, max=86400,
                help="Give up a file that takes longer than this to read (it fails alone).")] = 60,
            force: Annotated[bool, typer.Option(
                "--force", help="Store a file even when it does not read as a reply letter.")] = False,
            evidence: Annotated[bool, typer.Option(
                "--evidence", help="Read later documents (a reply a year on, a 回头看 report, a work summary) as "
                                   "evidence of what became of earlier promises: reply letters are imported as "
                                   "letters, any other document is stored as evidence; then links are proposed "
                                   "(`tracker evidence`).")] = False,
            json: JsonOption = False) -> None:
    """Import reply letters from files or folders; re-importing is safe.

    One line per letter as soon as it is stored: commitments, policies and departments
    found, and added / updated / unchanged; for an updated letter, how many of its
    commitments were added, updated, unchanged and withdrawn; a last line counts the files
    by what became of them. A letter is identified by its proposal's number and session (by
    the proposers when it has no number) and its replying unit; the file name is a hint. A file taken for a letter stored under another name says
    which one. Files that fail are named on stderr and leave nothing behind, and so is every
    entry of a folder that is not read (a broken link, a pipe, a folder that cannot be read);
    the others still import, and the exit status is 1. Files over 20 MB are refused, and a
    file that takes longer than --file-timeout to read; a file without the marks of a reply
    letter (a proposal or suggestion, and an answer to it) is refused as not
    a reply letter unless --force; a letter without commitments is stored with a warning.

    With --evidence the files are later documents: each is stored (a reply letter as a letter,
    anything else as an evidence document, never refused), and its sentences that report on
    earlier promises are proposed as evidence, one line per file with how many links were
    proposed. Nothing earlier changes until a person accepts a link (`tracker review --evidence`).

    Example: tracker import ~/letters/2023 第36号答复.txt --dry-run --jobs 2

    Example: tracker import --evidence 回头看通报.docx 2024年工作总结.pdf
    """
    from ouhai_tracker import importer, render
    from ouhai_tracker.extract.model import Settings
    from ouhai_tracker.render import listing

    if evidence:
        if dry_run or force:
            raise BadOption(_("--evidence stores every document as it is: --dry-run and --force do not apply"))
        _import_evidence(ctx, paths, Settings(vague_months=vague_months, undated_months=undated_months),
                         jobs or importer.default_jobs(), file_timeout, json)
        return

    def report(result) -> None:
        if not result.ok:
            _file_failed(result)
            return
        if not json:
            typer.echo(render.import_line(result))
            if dry_run and result.preview:
                if listing.chosen(None) == "table":
                    render.preview_table(result)
                else:  # in a pipe: a line per commitment
                    listing.write(result.preview, listing.PREVIEW, listing.LINES)
        if result.warning:
            typer.echo(_("tracker: warning: ") + f"{render.one_line(result.path)}: "
                       f"{render.one_line(translate_message(result.warning))}", err=True)

    settings = Settings(vague_months=vague_months, undated_months=undated_months)
    closing_error = None
    with render.import_progress() as progress:
        try:
            results = _tracker(ctx).import_paths(paths, settings, dry_run=dry_run,
                                                 jobs=jobs or importer.default_jobs(), progress=progress,
                                                 on_result=report, file_timeout=file_timeout, force=force)
        except importer.ClosingStepFailed as err:
            results, closing_error = err.results, err
    if json:
        render.print_json([r.to_dict() for r in results])
    else:
        for result in results:
            if result.links is not None:
                typer.echo(_("{file}: follows up an earlier reply; {links} links proposed to earlier promises "
                             "(`tracker evidence`)").format(file=render.one_line(result.file), links=result.links))
        typer.echo(render.import_summary(results, dry_run))
        note = render.reread_note(results, settings)
        if note:
            typer.echo(_("tracker: note: ") + note, err=True)
    if closing_error is not None:
        raise closing_error
    if not all(r.ok for r in results):
        raise typer.Exit(1)


def _import_evidence(ctx: typer.Context, paths: list[str], settings, jobs: int, file_timeout: int, json: bool) -> None:
    from ouhai_tracker import render
    from ouhai_tracker.render import evidence as evidence_render

    def letter_line(result) -> None:
        if not json and result.ok:
            typer.echo(render.import_line(result))

    results = _tracker(ctx).import_evidence(paths, settings, jobs=jobs, file_timeout=file_timeout,
                                            on_letter=letter_line)
    if json:
        render.print_json(results)
        return
    for result in results:
        typer.echo(evidence_render.import_line(result))
    typer.echo(evidence_render.import_summary(results))


@command()
def reread(ctx: typer.Context,
           paths: Annotated[Optional[list[str]], typer.Argument(
               metavar="[PATH]...", help="The letters imported from these files or folders (or with these file "
                                         "names); every stored letter when none is given.")] = None,
           vague_months: Annotated[int, typer.Option(
               min=1, max=120, help="Due date for 近期/尽快: letter date + N months (1-120).")] = 3,
           undated_months: Annotated[int, typer.Option(
               min=1, max=120, help="Due date for 下一步/no time: letter date + N months (1-120).")] = 12,
           json: JsonOption = False) -> None:
    """Read stored letters again with today's rules and these settings, keeping what people did.

    Each letter's stored text is read again and what it holds stored as a re-import stores a
    corrected letter: ids, statuses, notes, edits, ratings, evidence and history stay; new
    promises are added, changed ones updated, ones no longer found withdrawn. One line per
    letter, then a count. Importing the same text again says 'unchanged' (and, when it was read
    with other settings or earlier rules, points here).

    Example: tracker reread --vague-months 6

    Example: tracker reread ~/letters/2023 第36号答复.txt
    """
    from ouhai_tracker import render
    from ouhai_tracker.extract.model import Settings

    def report(result) -> None:
        if not result.ok:
            _file_failed(result)
        elif not json:
            typer.echo(render.import_line(result))

    results = _tracker(ctx).reread(paths or [], Settings(vague_months=vague_months, undated_months=undated_months),
                                   on_result=report)
    if json:
        render.print_json([r.to_dict() for r in results])
    else:
        typer.echo(render.import_summary(results, False))
    if not all(r.ok for r in results):
        raise typer.Exit(1)


@command("list")
@filtered()
def list_(ctx: typer.Context, filters: dict, as_of: AsOfOption = None, format: FormatOption = None,
          json: JsonOption = False,
          repeated: Annotated[bool, typer.Option(
              "--repeated", help="Only promises made again: a later letter's promise that repeats an earlier "
                                 "one (see `tracker evidence --outcome repeated`).")] = False) -> None:
    """List commitments, by due date (undated last), filtered.

    Example: tracker list --dept 经信局 --status all --due-before 2024-12-31
    Example: tracker list --search "学位 -幼儿园" --format csv > 学位.csv
    Example: tracker list --repeated --status all
    """
    from ouhai_tracker import render
    from ouhai_tracker.render import listing

    format = listing.chosen(format, json)
    rows = _tracker(ctx).find_commitments(as_of=as_of, repeated=repeated, brief=format == "table", **filters)
    if format == "table":
        render.commitments_table(rows, show_status=filters["status"] != "open" or filters["review"] is not None)
    elif format == "json":
        render.print_json(rows)
    else:
        listing.write(rows, listing.COMMITMENTS, format)


@command()
@filtered(without=("status",))
def due(ctx: typer.Context, filters: dict,
        within: Annotated[Optional[int], typer.Option(
            metavar="DAYS", min=0, max=36500, help="Only those due within DAYS (and overdue), 0-36500.")] = None,
        as_of: AsOfOption = None, format: FormatOption = None, json: JsonOption = False,
        all_: Annotated[bool, typer.Option("--all", help="Show every one in a table, however many.")] = False) -> None:
    """What is due: open commitments, overdue first, then those waiting on a condition.

    Dates marked * are inferred from a default rule, not written in the letter. A table
    shows the most urgent 50 and says how many more there are; other formats give all.

    Example: tracker due --dept 工商联 --within 30
    """
    from ouhai_tracker import render
    from ouhai_tracker.render import listing

    format = listing.chosen(format, json)
    today = _today(as_of)
    if all_:
        filters["limit"] = None
    elif format == "table" and filters["limit"] is None:
        filters["limit"] = render.DUE_ROWS
    rows, total = _tracker(ctx).due_page(within=within, as_of=today, **filters)
    if format == "table":
        render.due_view(rows, today, more=total - len(rows))
    elif format == "json":
        render.print_json(rows)
    else:
        listing.write(rows, listing.due_fields(today), format)


@command()
def done(ctx: typer.Context,
         ids: IdsArgument,
         note: NoteOption = None,
         on: Annotated[Optional[str], typer.Option(metavar="DATE", help="The day it was done (YYYY-MM-DD).")] = None) -> None:
    """Mark commitments done; a recurring one closes this period and moves to the next.

    Example: tracker done 12 15 --note "培训班已于5月举办" --on 2024-05-20
    """
    from ouhai_tracker.render import one_line

    for result in _tracker(ctx).mark_done(parse_ids(ids), note=note, on=on):
        if result["result"] == "period done":
            typer.echo(_("#{id}: {period} period due {period_due} done; recurring, so it stays open, "
                         "next due {next_due}: {text}").format(**{**result, "text": one_line(result["text"])}))
        elif result["result"] == "period already done":
            typer.echo(_("#{id}: {period} period due {period_due} was done already; next due {next_due}: "
                         "{text}").format(**{**result, "text": one_line(result["text"])}))
        else:  # what was closed, in words, as Taskwarrior says it
            typer.echo(f"#{result['id']}: {_(result['result'])}: {one_line(result['text'])}")


@command()
def reopen(ctx: typer.Context, id: IdArgument, note: NoteOption = None) -> None:
    """Reopen a commitment marked done by mistake, or found undone after all.

    Example: tracker reopen 12 --note "回头看: 培训班未举办"
    """
    result = _tracker(ctx).reopen(id, note=note)
    typer.echo(f"#{result['id']}: {_(result['result'])}")


@command()
def edit(ctx: typer.Context, id: IdArgument,
         due: Annotated[Optional[str], typer.Option(metavar="DATE", help="Set the due date (YYYY-MM-DD).")] = None,
         owner: Annotated[Optional[str], typer.Option(metavar="DEPT", help="Set the owner (a known department).")] = None,
         note: NoteOption = None) -> None:
    """Correct a commitment's due date or owner; the history keeps the old value.

    Example: tracker edit 12 --due 2024-09-30 --owner 住建局 --note "经协调由住建局牵头"
    """
    from ouhai_tracker import words

    changes = _tracker(ctx).edit(id, due=due, owner=owner, note=note)
    for change in changes:
        typer.echo(f"#{id}: {words.field(change['field'])} {change['old'] or '—'} -> {change['new']}")
    if not changes:
        typer.echo(f"#{id}: {_('note added')}" if note else
                   _("#{id}: nothing changed: it has that value already (nothing recorded)").format(id=id))


@command()
def delete(ctx: typer.Context,
           ids: IdsArgument, note: NoteOption = None,
           yes: Annotated[bool, typer.Option("--yes", "-y", help="Delete several without asking.")] = False) -> None:
    """Delete commitments that are no promise (a misread sentence, a duplicate); `restore` brings them back.

    A deleted commitment leaves list, due, report and the calendar, as a rejected one does, but
    stays in the database, in `show`, in exports (status deleted) and in `list --status deleted`;
    its history keeps the deletion. `tracker undo` takes a deletion back too. Deleting more than
    one at a terminal asks first (--yes does not).

    Example: tracker delete 12 15 --note "重复: 与#11相同"
    """
    chosen = parse_ids(ids)
    if len(chosen) > 1 and not yes and _interactive():  # `delete 1-179` is one keystroke from a typo
        if not typer.confirm(_("Delete these {n} commitments ({first} … {last})?").format(
                n=len(chosen), first=f"#{chosen[0]}", last=f"#{chosen[-1]}"), default=False):
            typer.echo(_("Nothing deleted."))
            return
    for result in _tracker(ctx).delete(chosen, note=note):
        if result["result"] == "deleted":
            typer.echo(_("#{id}: deleted (was {status}; `tracker restore {id}` brings it back)").format(
                id=result["id"], status=_(result["status"])))
        else:
            typer.echo(f"#{result['id']}: {_(result['result'])}")


@command()
def restore(ctx: typer.Context,
            ids: Annotated[list[str], typer.Argument(
                metavar="ID...", help="Deleted commitments' ids (tracker list --status deleted): 12, 12 15 or 12-15.")],
            note: NoteOption = None) -> None:
    """Bring deleted commitments back, with the status they had; the history keeps both.

    Example: tracker restore 12 --note "误删"
    """
    for result in _tracker(ctx).restore(parse_ids(ids), note=note):
        if result["result"] == "restored":
            typer.echo(_("#{id}: restored ({status})").format(id=result["id"], status=_(result["status"])))
        else:
            typer.echo(_("#{id}: not deleted ({status})").format(id=result["id"], status=_(result["status"])))


def _interactive() -> bool:
    """Whether a person at a terminal reads the question and answers it (not a pipe, not a script)."""
    return sys.stdin.isatty() and sys.stdout.isatty()


@command()
def undo(ctx: typer.Context,
         all_since: Annotated[Optional[str], typer.Option(
             "--all-since", metavar="DATETIME|DATE",
             help="Undo every change made since then (2025-03-01, or '2025-03-01 14:30'), newest first.")] = None,
         yes: Annotated[bool, typer.Option("--yes", "-y", help="Undo without asking.")] = False,
         list_: Annotated[bool, typer.Option("--list", help="List the last 20 changes, undone or not, and stop.")] = False,
         anyone: Annotated[bool, typer.Option(
             "--anyone", help="Undo the database's last change, whoever made it (by default: your own).")] = False
         ) -> None:
    """Undo your last change: done, reopen, edit, rate, review, feedback, config, depts, delete, restore.

    Shows what it will undo, then asks (on a terminal); --yes undoes without asking. Not at a
    terminal and without --yes (a script, a pipe), it shows what it would undo and exits 1,
    changing nothing. Each undo takes back the newest change not undone yet, so undoing again
    goes further back; --all-since takes back every change since a day or time at once. On a
    shared database only your own changes are taken back (the login that made them), unless
    --anyone. An undo that another got to first says so. The
    history keeps the change and, after it, an 'undone' line naming it; an undo is not undone
    (run the command again). Imports are not undone: import the corrected letter again.

    Example: tracker undo

    Example: tracker undo --all-since "2025-03-01 14:00" --yes
    """
    from ouhai_tracker.render import changes as changes_render

    tracker = _tracker(ctx)
    if list_:
        rows = tracker.changes()
        for change in rows:
            typer.echo(changes_render.change_line(change))
        if not rows:
            typer.echo(_("No changes yet."))
        return
    plan = tracker.undo_plan(since=all_since, anyone=anyone)
    if not plan:
        typer.echo(_("Nothing to undo.") if all_since is None else _("Nothing to undo since {day}.").format(day=all_since))
        if not anyone and tracker.undo_plan(since=all_since, anyone=True):
            typer.echo(_("(Others' changes are theirs to undo: `tracker undo --anyone` takes back the last one, "
                         "whoever made it.)"))
        return
    for line in changes_render.undo_plan(plan):
        typer.echo(line)
    if not yes:
        if not _interactive():
            raise BadInput(_("nothing undone: confirm at a terminal, or give --yes"))
        if not typer.confirm(_("Undo it?") if len(plan) == 1 else _("Undo these {n} changes?").format(n=len(plan)),
                             default=False):
            typer.echo(_("Nothing undone."))
            return
    typer.echo(changes_render.undone(tracker.undo([change["id"] for change in plan])))


@command()
def show(ctx: typer.Context, id: IdArgument, as_of: AsOfOption = None,
         json: JsonOption = False, with_contacts: ContactsOption = False) -> None:
    """Show one commitment in its paragraph, with owner, deadline, policies, letter and history.

    The letter's contact name and phone number are masked (＊) unless --with-contacts.

    Example: tracker show 12
    """
    from ouhai_tracker import render

    commitment = _tracker(ctx).show(id, as_of=as_of, with_contacts=with_contacts)
    if json:
        render.print_json(commitment)
    else:
        from ouhai_tracker.render import followup as followup_render

        render.commitment_view(commitment)
        followup_render.commitment_followup(commitment)


depts_app = _group("depts", "Departments with their aliases and how many commitments they own or share.\n\n"
                   "With a subcommand, teach the registry: `alias` and `merge`. What a person teaches "
                   "survives re-imports.\n\nExample: tracker depts --json", invoke_without_command=True)


@depts_app.callback()
@_user_errors
def depts(ctx: typer.Context, format: FormatOption = None, json: JsonOption = False) -> None:
    """List departments (the group's help above says more)."""
    if ctx.invoked_subcommand is not None:
        return
    from ouhai_tracker import render

    _listing(_tracker(ctx).departments(), format, json, render.departments_table, "DEPARTMENTS")


@command("alias", depts_app)
def depts_alias(ctx: typer.Context,
                name: Annotated[str, typer.Argument(metavar="NAME", help="A known department (any of its names).")],
                alias: Annotated[str, typer.Argument(metavar="ALIAS", help="Another name for it.")]) -> None:
    """Teach another name for a department; letters that use it are then read as this one.

    Example: tracker depts alias 区经信局 瓯海经信局
    """
    from ouhai_tracker import render

    result = _tracker(ctx).add_alias(name, alias)
    typer.echo(render.visible(_("{alias} is now an alias of {department}").format(**result)
                              + (_(" (moved from {department})").format(department=result["moved_from"])
                                 if result["moved_from"] else "")))


@command("merge", depts_app)
def depts_merge(ctx: typer.Context,
                keep: Annotated[str, typer.Argument(metavar="A", help="The department to keep.")],
                other: Annotated[str, typer.Argument(metavar="B", help="The department merged into A.")],
                note: NoteOption = None) -> None:
    """Merge B into A: B's commitments, partner roles and aliases move to A, B's name becomes an alias.

    Example: tracker depts merge 区经济和信息化局 瓯海区经信局
    """
    from ouhai_tracker import render

    result = _tracker(ctx).merge_departments(keep, other, note=note)
    typer.echo(render.visible(_("merged {merged} into {into}: {commitments} commitments, {partners} partner roles, "
                                "{aliases} aliases moved").format(**result)))


@command()
def policies(ctx: typer.Context, format: FormatOption = None, json: JsonOption = False) -> None:
    """Policies the letters cite, with the letters citing them.

    Example: tracker policies --json
    """
    from ouhai_tracker import render

    _listing(_tracker(ctx).policies(), format, json, render.policies_table, "POLICIES")


class LetterGroup(TrackerGroup):
    """`tracker docs` lists the letters, `tracker docs ID|FILE` shows one, and `tracker docs merge`
    and `split` say which letters are one: a first argument that names no subcommand is a letter."""

    def parse_args(self, ctx, args):
        takes_value = {name for p in self.get_params(ctx) if p.param_type_name == "option"
                       and not getattr(p, "is_flag", True) for name in p.opts}
        index = 0
        while index < len(args):
            arg = args[index]
            if arg == "--":
                index += 1
            elif arg.startswith("-") and len(arg) > 1:
                index += 2 if arg in takes_value else 1
                continue
            if index < len(args) and args[index] not in self.commands:
                args = [*args[:index], "--letter", args[index], *args[index + 1:]]
            break
        return super().parse_args(ctx, args)


docs_app = typer.Typer(
    name="docs", cls=LetterGroup, rich_markup_mode=None, pretty_exceptions_enable=False, context_settings=HELP,
    invoke_without_command=True, subcommand_metavar="[ID|FILE] | COMMAND [ARGS]...",
    help="Imported letters: title, replying unit, date, class mark, open commitments, members' rating.\n\n"
         "With a letter's id or file name, that letter: its title, unit, date and the members' rating, then "
         "every promise in it with its status, due date (written or inferred), outcome, evidence and notes. "
         "JSON has contact_name and contact_phone only with --with-contacts (null otherwise). `merge` and "
         "`split` say which letters are one.\n\nExample: tracker docs --second-reply\n\n"
         "Example: tracker docs L01.txt")
app.add_typer(docs_app)


@docs_app.callback()
@_user_errors
def docs(ctx: typer.Context,
         doc: Annotated[Optional[str], typer.Option("--letter", metavar="ID|FILE", hidden=True)] = None,
         format: FormatOption = None, json: JsonOption = False,
         second_reply: Annotated[bool, typer.Option(
             "--second-reply", help="Only letters the members rated 不满意: they need a second reply.")] = False,
         as_of: AsOfOption = None,
         with_contacts: ContactsOption = False) -> None:
    """List letters, or show one (the group's help above says more)."""
    if ctx.invoked_subcommand is not None:
        return
    from ouhai_tracker.render import followup as followup_render

    if doc is not None:
        if second_reply:
            raise BadOption(_("--second-reply lists letters: give it without a letter"))
        letter = _tracker(ctx).letter(doc, as_of=as_of, with_contacts=with_contacts)
        from ouhai_tracker.render import listing

        chosen = listing.chosen(format, json)
        if chosen == "json":
            from ouhai_tracker import render

            render.print_json(letter)
        elif chosen == "table":
            followup_render.letter_view(letter)
        else:
            listing.write(letter["commitments"], listing.LETTER_PROMISES, chosen)
        return
    _listing(_tracker(ctx).documents(second_reply=second_reply, with_contacts=with_contacts), format, json,
             lambda rows: followup_render.documents_table(rows, second_reply), "LETTERS")


@command("merge", docs_app)
def docs_merge(ctx: typer.Context,
               keep: Annotated[str, typer.Argument(metavar="KEEP", help="The letter to keep (id or file name).")],
               other: Annotated[str, typer.Argument(metavar="OTHER", help="The letter that is a version of it.")]
               ) -> None:
    """Say that two letters are one: OTHER becomes a superseded version of KEEP.

    KEEP keeps its id and its commitments' ids and takes the newer version's text (by the letters'
    dates, then the files' times); each promise in both is one commitment, with what a person did
    to either (status, outcome, review, notes, evidence, history); a promise only the older version
    holds is withdrawn, as a re-import would withdraw it. OTHER stays in the database with its
    text. `tracker undo` or `tracker docs split OTHER` takes the merge back.

    Example: tracker docs merge 3 7
    """
    from ouhai_tracker import render

    result = _tracker(ctx).merge_letters(keep, other)
    typer.echo(render.visible(_(
        "merged letter #{other} into #{keep}, which holds the newer version's text ({file}): {same} promises in both, "
        "{moved} moved, {withdrawn} withdrawn (only in the older version), {feedback} members' ratings and "
        "{links} evidence links moved; `tracker undo` takes it back").format(**result)))
    for conflict in result["conflicts"]:
        typer.echo(_("tracker: warning: ") + _("#{kept} and #{duplicate} differ in their {what}: #{kept} keeps its own; #{duplicate} stays "
                "in `tracker show {duplicate}` as it was").format(
                    kept=conflict["kept"], duplicate=conflict["duplicate"], what=_(conflict["what"])), err=True)


@command("split", docs_app)
def docs_split(ctx: typer.Context,
               doc: Annotated[str, typer.Argument(metavar="ID", help="A letter merged into another, or the letter "
                                                                    "one was merged into (id or file name).")]
               ) -> None:
    """Say that a letter is two: take back the merge that made it one (`tracker docs merge`).

    A letter that an import updated in place (a file taken for a stored letter) cannot be split:
    an import keeps no copy of the text it replaced. The command says so.

    Example: tracker docs split 7
    """
    result = _tracker(ctx).split_letter(doc)
    typer.echo(_("letter #{other} is a letter of its own again, apart from #{keep} (change #{merge} undone; "
                 "recorded as change #{id}; `tracker docs merge {keep} {other}` merges them again)").format(**result))


ForceOption = Annotated[bool, typer.Option("--force", help="Replace an existing output file (never the database).")]


@command()
@filtered(without=("sort", "limit"), status="all")
def export(ctx: typer.Context, filters: dict,
           format: Annotated[str, typer.Option("--format", metavar="json|csv|ics|xlsx", help="json: one document; csv: one file per table in a folder; ics: a calendar of the open dated commitments; xlsx: a workbook for Excel and WPS.")] = "json",
           output: Annotated[Optional[str], typer.Option("--output", "-o", metavar="PATH", help="File (json, ics, xlsx), or new folder (csv: one file per table; a name ending in .csv: the commitments alone, one file). json and ics without it: stdout.")] = None,
           with_contacts: Annotated[bool, typer.Option(
               "--with-contacts", envvar="TRACKER_WITH_CONTACTS",
               help="Include contact names and phone numbers (left out and masked otherwise).")] = False,
           force: ForceOption = False,
           remind: Annotated[Optional[str], typer.Option(
               "--remind", metavar="TIME", help="ics: a reminder this long before each due day, in days or "
                                                "hours (7d, 12h; 0 for none; at most 365d). Default 7d.")] = None) -> None:
    """Export for other tools: everything as JSON or CSV, a workbook, or the deadlines as a calendar.

    JSON is one document {"format", "version", "tables": {letters, departments, ...}};
    CSV writes letters.csv, departments.csv, department_aliases.csv, policies.csv,
    commitments.csv, commitment_partners.csv, commitment_policies.csv,
    letter_policies.csv and events.csv into the folder PATH (lists as JSON in a cell; a cell
    starting with = + - @ is prefixed with ' so that spreadsheets do not run it).
    ICS holds one all-day event on the due date of each open dated commitment; each event's
    UID is stable, so importing again updates rather than doubles. A recurring commitment is
    one repeating event (RRULE) from the end of its current period; every event reminds
    --remind before its day (7 days unless asked otherwise).
    XLSX (--output required) has a sheet of every commitment with its letter's title, due
    dates as date cells, and sheets for the scorecard per department, the letters and the due
    dates by month; header frozen, filters on.
    The filters are those of `tracker list` (every status unless --status): they narrow the
    commitments, their history and their letters.
    An existing file (or CSV files in the folder) is replaced only with --force; the
    database itself never.

    Example: tracker export --format csv --output export-2024/
    Example: tracker export --format ics --dept 经信局 --remind 3d --output deadlines.ics
    Example: tracker export --format xlsx --output 承诺事项.xlsx
    """
    if format == "ics":  # a calendar of what is still to do, unless a status is asked for
        _export_ics(ctx, {**filters, "status": "open" if filters["status"] == "all" else filters["status"]},
                    output, force, "7d" if remind is None else remind)
        return
    if remind is not None:
        raise BadOption(_("--remind is for calendars: give --format ics"))
    if format == "xlsx":
        _export_xlsx(ctx, filters, output, with_contacts, force)
        return
    _export_tables(ctx, filters, format, output, with_contacts, force)


# The tables an export writes, as a person reads their counts.
EXPORT_TABLES = {"letters": N_("letters"), "departments": N_("departments"), "department_aliases": N_("department aliases"),
                 "policies": N_("policies"), "commitments": N_("commitments"), "commitment_partners": N_("partner roles"),
                 "commitment_policies": N_("policy citations"), "letter_policies": N_("letters' policies"),
                 "events": N_("history lines"), "evidence_documents": N_("later documents"),
                 "evidence_links": N_("evidence links")}


def _counts(counts: dict) -> str:
    return _(", ").join(f"{n} {_(EXPORT_TABLES.get(name, name))}" for name, n in counts.items())


def _export_tables(ctx: typer.Context, filters: dict, format: str, output: str | None, with_contacts: bool,
                   force: bool) -> None:
    """JSON (one document, to stdout without --output) or CSV (one file per table in a folder, or the
    commitments alone in a file whose name ends in .csv)."""
    import json as json_module

    from ouhai_tracker import outputs, render

    if format not in ("json", "csv"):
        raise BadOption(_("bad --format {value!r}: expected json, csv, ics or xlsx").format(value=format))
    if format == "csv" and output is None:
        raise BadInput(_("CSV export writes one file per table: give a folder with --output PATH"))
    # A name ending in .csv is a file: the commitments alone, as a spreadsheet opens them.
    one_file = format == "csv" and str(output).lower().endswith(".csv")
    if output is not None:  # refused before anything is read
        outputs.check_target(output, ctx.obj, force) if format == "json" or one_file else \
            outputs.check_folder(output, ctx.obj, force)
    result = _tracker(ctx).export(with_contacts=with_contacts, **filters)
    document, counts = result["document"], result["counts"]
    if output is None:
        render.print_json(document)
        return
    if one_file:
        outputs.write_file(output, outputs.csv_bytes(document["tables"]["commitments"]), ctx.obj, force)
        counts = {"commitments": counts["commitments"]}
    elif format == "json":
        outputs.write_file(output, json_module.dumps(document, ensure_ascii=False, indent=1) + "\n", ctx.obj, force)
    else:
        outputs.write_csv(output, document["tables"], ctx.obj, force)
    typer.echo(render.one_line(_("exported to {path}: {counts}").format(path=output, counts=_counts(counts))))


def _export_xlsx(ctx: typer.Context, filters: dict, output: str | None, with_contacts: bool, force: bool) -> None:
    from ouhai_tracker import outputs, render
    from ouhai_tracker.render.xlsx import workbook_bytes

    if output is None:
        raise BadInput(_("an xlsx workbook is a binary file: give one with --output FILE.xlsx"))
    outputs.check_target(output, ctx.obj, force)  # refused before anything is read
    data = _tracker(ctx).workbook(with_contacts=with_contacts, **filters)
    counts = {"commitments": len(data["commitments"]), "departments": len(data["report"]["scorecard"]),
              "letters": len(data["letters"])}
    outputs.write_file(output, workbook_bytes(**data, with_contacts=with_contacts), ctx.obj, force)
    typer.echo(render.one_line(_("workbook written to {path}: {counts}").format(path=output, counts=_counts(counts))))


def _export_ics(ctx: typer.Context, filters: dict, output: str | None, force: bool, remind: str) -> None:
    import sys

    from ouhai_tracker import outputs, render

    if output is not None:
        outputs.check_target(output, ctx.obj, force)  # refused before anything is read
    data = _tracker(ctx).calendar(remind=remind, **filters)
    if output is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    outputs.write_file(output, data, ctx.obj, force)
    typer.echo(render.one_line(_("calendar written to {path}").format(path=output)))


db_app = _group("db", "The database itself: upgrade its schema, back it up, check it.\n\n"
                "Example: tracker db check", no_args_is_help=True)


@command("upgrade", db_app)
def db_upgrade(ctx: typer.Context) -> None:
    """Upgrade the database's schema to this version (SQLite: a backup copy is written beside it first).

    Every command does this by itself when needed; this does it now and says what it did.

    Example: tracker db upgrade
    """
    result = _tracker(ctx).db_upgrade()
    if result["old"] == result["new"]:
        typer.echo(_("{database}: already at {revision}").format(database=result["database"], revision=result["new"]))
    else:
        typer.echo(_("{database}: upgraded from {old} to {new}").format(
            database=result["database"], old=result["old"] or _("unversioned"), new=result["new"])
                   + (_("; backup: {path}").format(path=result["backup"]) if result["backup"] else ""))


@command("backup", db_app)
def db_backup(ctx: typer.Context,
              path: Annotated[str, typer.Argument(metavar="PATH", help="The copy to write (a new file).")]) -> None:
    """Copy a SQLite database safely, even while others use it (PostgreSQL: use pg_dump).

    Example: tracker db backup ~/backups/tracker-2024-06-30.db
    """
    typer.echo(_("backed up to {path}").format(path=_tracker(ctx).db_backup(path)))


@command("check", db_app)
def db_check(ctx: typer.Context, json: JsonOption = False) -> None:
    """Check the database: SQLite's integrity check and the schema revision. Exit 1 if not sound.

    Example: tracker db check
    """
    from ouhai_tracker import render

    result = _tracker(ctx).db_check()
    if json:
        render.print_json(result)
    else:
        labels = {"database": N_("database"), "revision": N_("schema revision"), "head": N_("this tracker's revision"),
                  "schema": N_("schema"), "integrity": N_("integrity")}
        for key, label in labels.items():
            typer.echo(f"{_(label)}: {_(result[key])}")
    if not result["ok"]:
        raise typer.Exit(1)


# ---- following up: review, outcomes, feedback, settings, reports, calendar ----------------------

@command()
def review(ctx: typer.Context,
           order: Annotated[str, typer.Option(metavar="ORDER", help="confidence (lowest first, the default) "
                                                                     "or letter (letter by letter, in text order).")] = "confidence",
           dept: DeptOption = None,
           limit: Annotated[Optional[int], typer.Option(metavar="N", min=1, max=MAX_ID,
                                                         help="Stop after N commitments.")] = None,
           state: Annotated[str, typer.Option(
               "--review", metavar="STATE", help="Walk the commitments in this review state: unreviewed (the "
                                                 "default), or rejected to reconsider them; accepted, corrected.")
           ] = "unreviewed",
           evidence: Annotated[bool, typer.Option(
               "--evidence", help="Review the proposed links of later documents instead (`tracker evidence`).")
           ] = False,
           link: Annotated[Optional[int], typer.Option(
               "--link", metavar="ID", min=1, max=MAX_ID,
               help="With --evidence: decide this link at once (with --accept, --reject or --outcome).")] = None,
           accept: Annotated[bool, typer.Option("--accept", help="With --link: accept it.")] = False,
           reject: Annotated[bool, typer.Option("--reject", help="With --link: reject it.")] = False,
           outcome: Annotated[Optional[str], typer.Option(
               metavar="OUTCOME", help="With --link: accept it as kept, partly, not_kept or repeated.")] = None,
           doc: Annotated[Optional[str], typer.Option(
               metavar="FILE", help="With --evidence: only the links of this later document.")] = None) -> None:
    """Review extracted commitments one at a time: accept, correct owner or due, reject, skip, quit.

    Each shows the sentence in its paragraph. Answer with one key and Enter:
    a accept, o edit the owner, d edit the due date, r reject, s skip (Enter), q quit.
    Every verdict is saved at once as a dated event; rejected commitments leave
    `list` and `due` but stay in the database (`tracker list --review rejected`).
    To reconsider them, `--review rejected` walks the rejected ones: a (accept) or a
    correction makes one live again, r keeps it rejected. `tracker undo` takes a verdict back.

    Example: tracker review --order letter --dept 经信局

    Example: tracker review --review rejected

    With --evidence it walks the proposed links of later documents, each an earlier promise
    beside the later sentence: a accepts the outcome proposed; k, p, n or t accepts it as kept,
    partly, not kept or repeated; r rejects it (it is not proposed again on re-import); s skips,
    q quits. Accepting rates the promise, with the sentence, its document and offsets as
    evidence; `tracker undo` takes it back. --link ID with --accept, --reject or --outcome
    decides one link without asking.

    Example: tracker review --evidence --dept 卫健局

    Example: tracker review --evidence --link 12 --outcome partly
    """
    from ouhai_tracker import words
    from ouhai_tracker.render import followup as followup_render
    from ouhai_tracker.render import visible
    from ouhai_tracker.review import ReviewSession

    if evidence or link is not None:
        _review_evidence(ctx, dept, doc, link, accept, reject, outcome)
        return

    session = ReviewSession.start(_tracker(ctx), order=order, dept=dept, limit=limit, state=state)
    if session.finished:
        typer.echo(_("Nothing to review: every commitment has been reviewed.") if state == "unreviewed"
                   else _("Nothing to review: no commitment is {state}.").format(state=_(state)))
        return

    def ask(text: str, default: str | None = None) -> str | None:
        try:
            return typer.prompt(text, default=default, show_default=False)
        except typer.Abort:  # end of input or Ctrl-C: stop, keeping what was saved
            return None

    while not session.finished:
        item = session.current()
        followup_render.review_screen(item, item["position"], item["total"])
        key = ((ask(_(followup_render.REVIEW_KEYS), default="s") or "q").strip().lower()[:1]) or "s"
        if key not in "aodrsq":
            typer.echo(_("press a, o, d, r, s or q"))
            continue
        value = None
        if key in ("o", "d"):
            value = ask(_("Owner (a department name)") if key == "o" else _("Due date (YYYY-MM-DD)"))
            if value is None:
                break
        try:
            result = session.answer(key, value)
        except TrackerError as err:
            _error(visible(str(err)))
            continue
        if result["done"] in ("accepted", "rejected"):
            typer.echo(f"#{item['id']}: {_(result['done'])}")
        for change in result["changes"]:
            typer.echo(visible(f"#{item['id']}: {words.field(change['field'])} {change['old'] or '—'} -> {change['new']}"))
        if result["done"] == "corrected":
            typer.echo(_("corrected; a or s goes on, o or d corrects more"))
    counts = session.counts
    typer.echo(_("reviewed: {accepted} accepted, {corrected} corrected, {rejected} rejected, {skipped} skipped; "
                 "{left} left {state}").format(**counts, left=session.left(), state=_(state)))


@command("evidence")
def evidence_(ctx: typer.Context, dept: DeptOption = None,
              doc: Annotated[Optional[str], typer.Option(
                  metavar="FILE", help="Only links to this later document (its file name or a part of it).")] = None,
              state: Annotated[Optional[str], typer.Option(
                  "--state", metavar="STATE", help="proposed, accepted, rejected or all (default: all but "
                                                  "rejected).")] = None,
              outcome: Annotated[Optional[str], typer.Option(
                  metavar="OUTCOME", help="kept, partly, not_kept or repeated.")] = None,
              format: FormatOption = None, json: JsonOption = False) -> None:
    """The links proposed between earlier promises and sentences of later documents.

    A table per later document: each link's id, the earlier promise (its id, owner, letter and
    date) beside the later sentence, and the outcome proposed (or accepted). `tracker review
    --evidence` decides them. --json prints the contract's fields (commitment, document,
    evidence, outcome, confidence) and more.

    Example: tracker evidence --dept 教育局

    Example: tracker evidence --doc 回头看 --json
    """
    from ouhai_tracker.render import evidence as evidence_render

    rows = _tracker(ctx).evidence(dept=dept, doc=doc, state=state, outcome=outcome)
    _listing(rows, format, json, evidence_render.links_table, "EVIDENCE")


def _review_evidence(ctx: typer.Context, dept: str | None, doc: str | None, link: int | None, accept: bool,
                     reject: bool, outcome: str | None) -> None:
    from ouhai_tracker.render import evidence as evidence_render
    from ouhai_tracker.render import visible

    tracker = _tracker(ctx)

    def said(result: dict) -> str:
        line = _("link #{id}: {state} as {outcome}").format(id=result["id"], state=_(result["state"]),
                                                          outcome=_(result["outcome"]))
        if result["state"] == "rejected":
            line = _("link #{id}: rejected").format(id=result["id"])
        elif result.get("rating"):
            line += _("; #{commitment} rated {rating}").format(commitment=result["commitment"], rating=_(result["rating"]))
        return visible(line)

    if link is not None:
        if accept + reject + (outcome is not None) != 1 and not (accept and outcome is not None):
            raise BadOption(_("--link needs one of --accept, --reject or --outcome"))
        action = "reject" if reject else "change" if outcome is not None else "accept"
        typer.echo(said(tracker.decide_evidence(link, action, outcome=outcome)))
        return
    rows = tracker.evidence(dept=dept, doc=doc, state="proposed")
    if not rows:
        typer.echo(_("Nothing to review: no proposed link is waiting."))
        return
    counts = {"accepted": 0, "rejected": 0, "skipped": 0}
    position = 0
    while position < len(rows):
        row = rows[position]
        evidence_render.review_screen(row, position + 1, len(rows))
        try:
            answer = typer.prompt(_(evidence_render.REVIEW_KEYS), default="s", show_default=False)
        except typer.Abort:
            break
        key = (answer or "s").strip().lower()[:1] or "s"
        if key == "q":
            break
        if key not in "akpntrs":
            typer.echo(_("press a, k, p, n, t, r, s or q"))
            continue
        position += 1
        if key == "s":
            counts["skipped"] += 1
            continue
        try:
            result = tracker.decide_evidence(row["id"], "reject" if key == "r" else "accept" if key == "a" else "change",
                                             outcome=evidence_render.KEY_OUTCOMES.get(key))
        except TrackerError as err:
            _error(visible(str(err)))
            continue
        counts["rejected" if key == "r" else "accepted"] += 1
        typer.echo(said(result))
    left = len(tracker.evidence(dept=dept, doc=doc, state="proposed"))
    typer.echo(_("reviewed: {accepted} accepted, {rejected} rejected, {skipped} skipped; {left} proposed links left").format(
        **counts, left=left))


@command()
def rate(ctx: typer.Context, id: IdArgument,
         outcome: Annotated[str, typer.Option(
             metavar="OUTCOME", help="not-yet-rated, in-the-works, stalled, kept, partly-kept or broken.")],
         evidence: Annotated[Optional[str], typer.Option(metavar="URL|PATH", help="What shows it: a link or a file.")] = None,
         note: NoteOption = None,
         on: Annotated[Optional[str], typer.Option(metavar="DATE", help="The day it became so (YYYY-MM-DD); default today.")] = None) -> None:
    """Rate a commitment's outcome, with evidence; kept also closes it (done is the quick path for kept).

    Every rating is a dated event shown by `tracker show`. not-yet-rated is no
    verdict yet; stalled is a verdict of no progress.

    Example: tracker rate 12 --outcome partly-kept --evidence https://www.ouhai.gov.cn/art/2024/5/20 --on 2024-05-20
    """
    result = _tracker(ctx).rate(id, outcome, evidence=evidence, note=note, on=on)
    typer.echo(_("#{id}: outcome {old} -> {new}").format(id=id, old=_(result["old"]), new=_(result["outcome"]))
               + (_(" (on {day})").format(day=result["on"]) if result["on"] else "")
               + _("; schedule {schedule}").format(schedule=_(result["schedule"]))
               + (_("; closed, as done") if result.get("closed") else ""))


@command()
def feedback(ctx: typer.Context,
             doc: Annotated[str, typer.Argument(metavar="DOC", help="The letter: its id or file name (see tracker docs).")],
             rating: Annotated[str, typer.Option(metavar="RATING", help="满意, 基本满意 or 不满意.")],
             note: NoteOption = None,
             on: Annotated[Optional[str], typer.Option(metavar="DATE", help="The day the members rated it.")] = None) -> None:
    """Record the members' rating of a reply letter; 不满意 lists it for a second reply.

    Example: tracker feedback L_econ.txt --rating 不满意 --note "未回应人才公寓问题"
    """
    from ouhai_tracker.render import visible

    result = _tracker(ctx).feedback(doc, rating, note=note, on=on)
    line = f"{result['file']}: {result['rating']}" + (_(" (was {rating})").format(rating=result["previous"])
                                                      if result["previous"] else "")
    if result["rating"] == "不满意":
        line += _("; listed for a second reply (tracker docs --second-reply)")
    typer.echo(visible(line))


config_app = _group("config", "Settings kept in the database: what each class mark (A/B/C) means here.\n\n"
                    "Example: tracker config set class.B 正在解决", no_args_is_help=True)


@command("set", config_app)
def config_set(ctx: typer.Context, key: Annotated[str, typer.Argument(metavar="KEY", help="class.A, class.B, class.C …")],
               value: Annotated[str, typer.Argument(metavar="VALUE")]) -> None:
    """Set what a class mark means in this jurisdiction.

    Example: tracker config set class.B "正在解决或已列入计划"
    """
    from ouhai_tracker.render import visible

    result = _tracker(ctx).config_set(key, value)
    typer.echo(visible(f"{result['key']} = {result['value']}" + (_(" (was {value})").format(value=result["old"])
                                                                   if result["old"] else "")))


@command("get", config_app)
def config_get(ctx: typer.Context, key: Annotated[str, typer.Argument(metavar="KEY")]) -> None:
    """Print one setting's value.

    Example: tracker config get class.A
    """
    from ouhai_tracker.render import visible

    typer.echo(visible(_tracker(ctx).config_get(key)["value"] or ""))


@command("unset", config_app)
def config_unset(ctx: typer.Context, key: Annotated[str, typer.Argument(metavar="KEY")]) -> None:
    """Go back to the default meaning of a class mark.

    Example: tracker config unset class.B
    """
    from ouhai_tracker.render import visible

    result = _tracker(ctx).config_unset(key)
    typer.echo(visible(_("{key} unset").format(key=result["key"])
                       + (_("; default: {value}").format(value=result["value"]) if result["value"] else "")))


@command("list", config_app)
def config_list(ctx: typer.Context, format: FormatOption = None, json: JsonOption = False) -> None:
    """Every setting, set or default.

    Example: tracker config list --json
    """
    from ouhai_tracker.render import followup as followup_render

    _listing(_tracker(ctx).config_list(), format, json, followup_render.settings_table, "SETTINGS")


@command()
@filtered(without=("sort", "limit"), status="all")
def report(ctx: typer.Context, filters: dict, as_of: AsOfOption = None,
           format: Annotated[str, typer.Option("--format", metavar="FORMAT", help="md, html, docx or json.")] = "md",
           output: Annotated[Optional[str], typer.Option("--output", "-o", metavar="PATH", help="Write here instead of stdout (docx: required).")] = None,
           force: ForceOption = False) -> None:
    """Report for the annual review: scorecard per department, timeline of due dates, overdue list, second replies, each letter with its promises.

    With --dept, the department's sheet comes first: the summary line a department writes
    (promised, kept, partly kept, overdue by a written date, by an inferred one, conditional),
    then every promise of it grouped by what became of it, with its evidence and notes.
    The HTML report is one self-contained file (inline charts and styles, nothing fetched) that
    prints and reads on a phone; docx is a Word document in the style of official material.
    An existing file is replaced only with --force; the database itself never.

    Example: tracker report --year 2024 --as-of 2025-03-01 --format html --output 回头看.html

    Example: tracker report --dept 住建局 --format docx --output 住建局.docx
    """
    from ouhai_tracker import outputs, render
    from ouhai_tracker.followup import report as reports

    if format not in ("md", "html", "docx", "json"):
        raise BadOption(_("bad --format {value!r}: expected md, html, docx or json").format(value=format))
    if format == "docx" and output is None:
        raise BadOption(_("a Word document is a binary file: give one with --output FILE.docx"))
    if output is not None:
        outputs.check_target(output, ctx.obj, force)  # refused before anything is read
    data = _tracker(ctx).report(as_of=as_of, **filters)
    if format == "json":
        import json as json_module

        body: str | bytes = json_module.dumps(data, ensure_ascii=False, indent=2) + "\n"
    elif format == "docx":
        from ouhai_tracker.followup.word import docx_report

        body = docx_report(data)
    else:
        body = reports.markdown(data) if format == "md" else reports.html_report(data)
    if output is None:
        typer.echo(body, nl=False)
        return
    outputs.write_file(output, body, ctx.obj, force)
    typer.echo(render.one_line(_("report written to {path}").format(path=output)))


@command()
@filtered(without=("sort", "limit"), status="all")
def stats(ctx: typer.Context, filters: dict, as_of: AsOfOption = None, format: FormatOption = None,
          json: JsonOption = False) -> None:
    """The scorecard in the terminal: per department promised, kept, overdue, conditional, not yet rated, with bars.

    Example: tracker stats --year 2024 --as-of 2025-03-01
    """
    from ouhai_tracker import render
    from ouhai_tracker.render import followup as followup_render
    from ouhai_tracker.render import listing

    format = listing.chosen(format, json)
    data = _tracker(ctx).report(as_of=as_of, scorecard_only=True, **filters)
    if format == "table":
        followup_render.stats_view(data)
    elif format == "json":
        render.print_json({"as_of": data["as_of"], "scorecard": data["scorecard"], "total": data["total"]})
    else:
        listing.write(data["scorecard"], listing.SCORECARD, format)


def main() -> None:
    import gc

    # A command is a short process that reads or writes, then exits. Its full collections (every
    # object alive: twenty thousand rows are a million of them, a tenth of a second a pass) find
    # nothing to free; the young generations, where cycles are made and dropped, are still collected.
    young, middle, _full = gc.get_threshold()
    gc.set_threshold(young, middle, 1000)
    try:
        app(prog_name="tracker")
    finally:
        gc.freeze()  # skip the exit-time collection of SQLAlchemy's objects (~100 ms)
