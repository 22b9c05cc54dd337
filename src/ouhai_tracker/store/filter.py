"""The filters of every listing, declared once, and what a listing asks for as plain data (Filter).

``FILTERS`` holds one row per filter that list, due, export, report, stats and the calendar take:
its name (the service's keyword and the Filter's field), its command-line option with help and
completion, how a typed value is checked and read, the names it must find in the database, and
the condition it puts on the commitments. The command line's options (cli.filter_option), the
service's keywords (``read_filters``), the Filter dataclass and the read layer's conditions
(store/read.py) are all made from these rows: a new filter is one row (and its help's translation).

No SQLAlchemy here, so that the command line builds its options and a filter is checked without
loading it: a condition is built from the read layer's names, handed to it as ``q``
(read.Terms: the models, SQLAlchemy's constructs, the effective due date and the as-of day).
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields, make_dataclass
from datetime import date
from typing import TYPE_CHECKING, Any, ClassVar

from ouhai_tracker.dates import as_date
from ouhai_tracker.errors import BadOption
from ouhai_tracker.i18n import N_, _
from ouhai_tracker.store.limits import MAX_ID
from ouhai_tracker.store.states import OPEN, OUTCOMES, REVIEW_STATES, STATUSES

ORDERS = ("due", "confidence", "letter", "id", "owner")
SORTS = ("due", "id", "owner", "letter")  # the orders a user picks with --sort (confidence is the review's)

Read = Callable[[Any, Mapping[str, Any]], Any]  # (typed value, every typed value) -> the value the Filter holds
Where = Callable[[Any, Any], Any]  # (the Filter's value, read.Terms) -> a condition, a list of them, or None


@dataclass(frozen=True)
class FilterSpec:
    """One filter, everywhere it appears."""

    name: str  # the service's keyword and the Filter's field; the option is --name (_ as -) unless ``option``
    type: type  # what the command line parses: str, int or bool
    help: str  # the option's help, in English (N_: translated when help is printed)
    metavar: str | None = None
    option: str | None = None
    default: Any = None  # when not given, on the command line, in the service and in a Filter
    choices: Callable[[], tuple[str, ...]] | None = None  # the values it takes (completed; typed in Chinese too)
    bad: str | None = None  # the error for a value not among ``choices`` ({value!r}, {choices})
    low: int | None = None  # the range of a number (the command line checks it)
    high: int | None = None
    names: str | None = None  # what it names in the database (department, letter or policy): a value that
    # names nothing is refused with the nearest names; departments are completed on the command line
    read: Read | None = None  # the typed value (checked against ``choices``) as the Filter holds it
    where: Where | None = None  # the condition for a value that is set (None: the statement applies it)

    @property
    def flag(self) -> str:
        return self.option or "--" + self.name.replace("_", "-")


def _deadline_kinds() -> tuple[str, ...]:
    from ouhai_tracker.extract.model import DEADLINE_KINDS  # imported when asked: its dataclasses cost a start

    return DEADLINE_KINDS


def _day(flag: str) -> Read:
    return lambda value, given: as_date(value, flag)


def _status(value, given):
    return None if value == "all" else value  # every status


def _review(value, given):
    # Rejected ones are hidden unless asked for, or every status is.
    return "all" if value is None and given.get("status") == "all" else value


def _class_mark(value, given) -> str | None:
    """'b', 'B类', ' B ' -> 'B': the letter prints a class as a letter followed by 类."""
    if value is None:
        return None
    mark = value.strip().removesuffix("类").strip().upper()
    if not mark:
        raise BadOption(_("bad class mark {value!r}: expected a letter such as A, B or C").format(value=value))
    return mark


def _year(value, given) -> int | None:
    if value is not None and not 1900 <= value <= 2999:
        raise BadOption(_("bad --year {value}: expected a year such as 2024").format(value=value))
    return value


def _text(value, given) -> str | None:
    return value or None  # an empty one narrows nothing


def _class_where(mark: str, q):
    return q.Letter.class_mark.in_([mark, f"{mark}类", f"{mark.lower()}类", mark.lower()])  # stored as printed


def _doc_where(doc: str, q):
    return q.or_(*(column.contains(doc, autoescape=True)
                   for column in (q.Letter.file, q.Letter.title, q.Letter.number, q.Letter.doc_number)))


def _policy_where(title: str, q):
    return q.Commitment.id.in_(q.select(q.commitment_policies.c.commitment_id).join(q.Policy)
                               .where(q.Policy.title.contains(title, autoescape=True)))


FILTERS: tuple[FilterSpec, ...] = (
    FilterSpec("dept", str, N_("Owner or partner, by any name, short form or part of one (工商联 matches 区工商业联合会)."),
               metavar="DEPT", names="department", read=_text,
               where=lambda name, q: q.owned_or_shared(q.department_ids_matching(name))),
    FilterSpec("status", str, N_("open, done, withdrawn, deleted or all."), metavar="STATUS", default=OPEN,
               choices=lambda: (*STATUSES, "all"), bad=N_("bad status {value!r}: expected one of {choices}"),
               read=_status, where=lambda status, q: q.Commitment.status == q.bindparam("status", status)),
    FilterSpec("kind", str, N_("Deadline kind: date, vague, recurring, conditional or none."), metavar="KIND",
               choices=_deadline_kinds, bad=N_("bad deadline kind {value!r}: expected one of {choices}"),
               where=lambda kind, q: q.Commitment.due_kind == q.bindparam("kind", kind)),
    FilterSpec("due_before", str, N_("Due on or before DATE."), metavar="DATE", read=_day("--due-before"),
               where=lambda day, q: q.due <= q.bindparam("due_before", day)),
    FilterSpec("due_after", str, N_("Due on or after DATE."), metavar="DATE", read=_day("--due-after"),
               where=lambda day, q: q.due >= q.bindparam("due_after", day)),
    FilterSpec("overdue", bool, N_("Only open ones past their due date."), default=False,
               where=lambda _, q: q.and_(q.Commitment.status == OPEN, q.due < q.bindparam("overdue_on", q.as_of))),
    FilterSpec("search", str, N_("Words that must all appear in the commitment's text; -word excludes those "
                                 "containing it (学位 建设 -幼儿园)."), metavar="WORDS", read=_text,
               where=lambda words, q: q.search_conditions(words)),
    FilterSpec("doc", str, N_("Part of the letter's file name, title or number."), metavar="LETTER",
               names="letter", read=_text, where=_doc_where),
    FilterSpec("policy", str, N_("Part of a cited policy's title."), metavar="TITLE", names="policy", read=_text,
               where=_policy_where),
    FilterSpec("class_mark", str, N_("The letter's own class mark as printed: A, B, C (see tracker config)."),
               metavar="MARK", option="--class", read=_class_mark, where=_class_where),
    FilterSpec("review", str, N_("Review state: unreviewed, accepted, corrected, rejected or all. "
                                 "Rejected ones are hidden unless asked for (or --status all)."), metavar="STATE",
               choices=lambda: (*REVIEW_STATES, "all"), bad=N_("bad review state {value!r}: expected one of {choices}"),
               read=_review, where=lambda state, q: q.review_clause(state)),
    FilterSpec("outcome", str, N_("not-yet-rated, in-the-works, stalled, kept, partly-kept or broken."),
               metavar="OUTCOME", choices=lambda: OUTCOMES, bad=N_("bad outcome {value!r}: expected one of {choices}"),
               where=lambda outcome, q: q.Commitment.outcome == q.bindparam("outcome", outcome)),
    FilterSpec("year", int, N_("Only letters dated in this year."), metavar="YYYY", low=1900, high=2999, read=_year,
               where=lambda year, q: q.Letter.letter_date.between(q.bindparam("year_start", date(year, 1, 1)),
                                                                  q.bindparam("year_end", date(year, 12, 31)))),
    FilterSpec("partner", str, N_("Only those with this department as a partner, by any name, short form or part of one (as --dept)."),
               metavar="DEPT", names="department", read=_text,
               where=lambda name, q: q.Commitment.id.in_(
                   q.select(q.CommitmentPartner.commitment_id)
                   .where(q.CommitmentPartner.department_id.in_(q.department_ids_matching(name, "partner_"))))),
    FilterSpec("sort", str, N_("due (undated last; the default), id, owner or letter (letter by letter)."),
               metavar="ORDER", default="due", choices=lambda: SORTS,
               bad=N_("bad --sort {value!r}: expected one of {choices}")),
    FilterSpec("limit", int, N_("Only the first N."), metavar="N", low=1, high=MAX_ID),
)
FILTER = {spec.name: spec for spec in FILTERS}


def read_filters(given: Mapping[str, Any]) -> dict[str, Any]:
    """The Filter's values of what a person typed (every filter's name, as the options give
    them: 'all', Chinese words, dates as text), checked: a value a filter does not take is a
    BadOption saying which ones it does."""
    from ouhai_tracker.words import choices, from_words

    unknown = set(given) - FILTER.keys()
    if unknown:
        raise TypeError(f"unknown filters: {', '.join(sorted(unknown))}")
    typed = {spec.name: given.get(spec.name, spec.default) for spec in FILTERS}
    values = {}
    for spec in FILTERS:
        value = typed[spec.name]
        if spec.choices is not None and value is not None:
            value = typed[spec.name] = from_words(value, spec.choices())  # as the later filters read it
            if value not in spec.choices():
                raise BadOption(_(spec.bad or "").format(value=value, choices=choices(spec.choices())))
        values[spec.name] = spec.read(value, typed) if spec.read is not None else value
    return values


class _Selection:
    def only(self, *names: str) -> bool:
        """Whether every field but ``names`` (and the as-of day) is at its default (what the fast path serves)."""
        return all(getattr(self, f.name) == f.default for f in fields(self)  # type: ignore[arg-type]
                   if f.name not in (*names, "as_of"))


# What a listing asks for beyond the filters a person types: the service's use cases set these.
SELECTION: list[tuple[str, Any, Any]] = [
    ("due_until", date | None, field(default=None)),  # due on or before this day, or undated (`due --within`)
    ("live", bool, field(default=False)),  # leave out what a re-import withdrew or a person deleted
    ("queue", str | None, field(default=None)),  # the review queue: the live commitments in this review state
    ("id", int | None, field(default=None)),  # one commitment
    ("letter_id", int | None, field(default=None)),  # one letter's commitments
    ("as_of", date | None, field(default=None)),  # the day recurring ones roll forward to, overdue is judged by
]

if TYPE_CHECKING:
    class Filter(_Selection):
        """The fields are made from FILTERS and SELECTION when the module loads."""

        __dataclass_fields__: ClassVar[dict[str, Any]]

        def __init__(self, **values: Any) -> None: ...

        def __getattr__(self, name: str) -> Any: ...
else:
    # What a listing asks for; every field left at its default selects everything (but the open
    # ones, rejected ones left out); ``sort`` may also be an order the service uses (ORDERS).
    Filter = make_dataclass("Filter", [*((spec.name, Any, field(default=spec.default)) for spec in FILTERS),
                                       *SELECTION], bases=(_Selection,), frozen=True)
    Filter.__module__ = __name__
