"""One read layer: every list of commitments is one Filter and the same few Core statements.

``statements(filter)`` gives, for the commitments a filter selects, the row statement (the
columns rows.ROW_COLUMNS names, in order; "brief": only a table's, rows.BRIEF_COLUMNS), their
partners, their policies and their count;
each filter value is a named bind parameter, so the statements of the common filters can be
compiled once for the stdlib fast path (fastread.py) and run the same there. list, due, the
review queue, the report, stats, the calendar and the export all read through here, on
SQLite and PostgreSQL alike: a fixed number of statements however many rows there are.
"""
from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

from sqlalchemy import (
    ColumnClause,
    Date,
    Select,
    and_,
    bindparam,
    case,
    extract,
    func,
    literal_column,
    null,
    or_,
    select,
    union,
)
from sqlalchemy.engine import Connection
from sqlalchemy.orm import aliased

from ouhai_tracker.extract.model import RECURRING
from ouhai_tracker.periods import MONTH_STEPS, PERIOD_MONTHS, WEEK, period_params
from ouhai_tracker.rows import BRIEF_COLUMNS, ROW_COLUMNS, commitment_dicts, mark_roles
from ouhai_tracker.store.dept_filter import dept_query
from ouhai_tracker.store.filter import FILTERS, ORDERS, Filter
from ouhai_tracker.store.literal import constant
from ouhai_tracker.store.models import (
    GONE,
    OPEN,
    REJECTED,
    UNREVIEWED,
    Commitment,
    CommitmentPartner,
    Department,
    DepartmentAlias,
    Letter,
    Policy,
    commitment_policies,
)
from ouhai_tracker.store.word_search import search_conditions  # noqa: F401  (a filter's condition, through Terms)


def effective_due(as_of: date | None = None):
    """The due date every listing filters, orders and shows by: an open recurring commitment
    whose stored period has ended is due at the end of the period containing ``as_of`` (periods.py);
    every other one as stored. The candidate ends are parameters (periods.period_params), chosen
    by the commitment's period and where in the year (or week) its stored periods end."""
    days = period_params(as_of or date.today())

    def param(name: str):
        return bindparam(name, days[name], type_=Date)

    month = extract("month", Commitment.due)
    lengths: dict[int, list[str]] = {}
    for period, months in PERIOD_MONTHS.items():
        lengths.setdefault(months, []).append(period)

    def step(months: int):
        if months == 1:
            return param("months1_0")
        offset = (month - constant(1)) % constant(months)
        return case(*((offset == constant(r), param(f"months{months}_{r}")) for r in range(months - 1)),
                    else_=param(f"months{months}_{months - 1}"))

    weekday = extract("dow", Commitment.due)
    rolled = case((Commitment.due_period == constant(WEEK),
                   case(*((weekday == constant(d), param(f"week_{d}")) for d in range(6)), else_=param("week_6"))),
                  *((Commitment.due_period.in_([constant(p) for p in lengths[months]]), step(months))
                    for months in MONTH_STEPS if months != 12),
                  else_=step(12))  # a year, or a period not named
    stale = and_(Commitment.status == constant(OPEN), Commitment.due_kind == constant(RECURRING),
                 Commitment.due < bindparam("as_of", as_of or date.today(), type_=Date))
    return case((stale, rolled), else_=Commitment.due).label("due")


def department_match(text, function, level, place) -> Select:
    """Ids of the departments a --dept value names (dept_filter.dept_query's parameters): by
    any name, short form or alias, by function class, level and place, or by place alone."""
    def has(column, pattern):
        return column.like(pattern, escape="/")

    empty: ColumnClause[str] = literal_column("''")
    by_alias = select(DepartmentAlias.department_id).where(has(DepartmentAlias.alias, text))
    by_function = and_(function != empty, has(Department.functions, function),
                       or_(level == empty, Department.level == level), or_(place == empty, has(Department.place, place)))
    by_place = and_(function == empty, place != empty, has(Department.place, place))
    return select(Department.id).where(or_(has(Department.name, text), has(Department.short, text),
                                           Department.id.in_(by_alias), by_function, by_place))


def department_ids_matching(name: str, prefix: str = "") -> Select:
    """Ids of the departments a --dept value names, its parameters named with ``prefix`` (two
    filters that name departments in one statement keep theirs apart)."""
    return department_match(**{key: bindparam(prefix + key, value) for key, value in dept_query(name).items()})


def owned_or_shared(department_ids: Select):
    """Commitments the departments own or take part in: one id list from each index (an OR of
    the two would make SQLite scan by status)."""
    owned = aliased(Commitment, name="owned")
    return Commitment.id.in_(union(
        select(owned.id).where(owned.owner_id.in_(department_ids)),
        select(CommitmentPartner.commitment_id).where(CommitmentPartner.department_id.in_(department_ids))))


def review_clause(review: str | None):
    """The condition for a review filter; None keeps all. Rejected ones are left out unless asked for."""
    if review == "all":
        return None
    if review is None:
        # A literal, not a parameter: the fast path's statements hold it as they are.
        return or_(Commitment.review_state.is_(None), Commitment.review_state != literal_column(f"'{REJECTED}'"))
    if review == UNREVIEWED:
        return Commitment.review_state.is_(None)
    return Commitment.review_state == bindparam("review", review)


class Terms:
    """What a filter's condition is built from (store/filter.py's ``where``): this module's names
    (the models, SQLAlchemy's constructs, the helpers above), the effective due date's expression
    and the as-of day."""

    def __init__(self, due, as_of: date) -> None:
        self.due, self.as_of = due, as_of

    def __getattr__(self, name: str) -> Any:
        try:
            return globals()[name]
        except KeyError:
            raise AttributeError(name) from None


def conditions(f: Filter, due) -> list:
    """The filter as conditions on commitments joined to their letter, values as named parameters;
    ``due`` is the effective due date's expression."""
    out = []
    if f.id is not None:
        out.append(Commitment.id == bindparam("id", f.id))
    if f.letter_id is not None:
        out.append(Commitment.letter_id == bindparam("letter_id", f.letter_id))
    terms = Terms(due, f.as_of or date.today())
    for spec in FILTERS:
        value = getattr(f, spec.name)
        made = spec.where(value, terms) if spec.where is not None and value else None
        out.extend(made if isinstance(made, list) else [] if made is None else [made])
    if f.due_until:
        out.append(or_(Commitment.due.is_(None), due <= bindparam("due_until", f.due_until)))
    if f.live or f.queue:
        out.append(Commitment.status.not_in([constant(status) for status in GONE]))
    if f.queue:
        out.append(Commitment.review_state.is_(None) if f.queue == UNREVIEWED
                   else Commitment.review_state == bindparam("queue", f.queue))
    elif f.review is None:  # rejected ones are left out unless asked for
        out.append(review_clause(None))
    return out


def _order(order: str, due) -> tuple:
    in_letter = (Letter.letter_date.is_(None), Letter.letter_date, Letter.file, Commitment.start)
    return {"due": (Commitment.due.is_(None), due, Commitment.id),
            "confidence": (Commitment.confidence, *in_letter, Commitment.id),
            "letter": (*in_letter, Commitment.id),
            "id": (Commitment.id,),
            "owner": (Department.name.is_(None), Department.name, Commitment.due.is_(None), due, Commitment.id)}[order]


def row_columns(brief: bool = False) -> tuple:
    """The row statement's columns, as rows.ROW_COLUMNS names them ("due": the effective due date);
    with ``brief``, NULL in place of those not in rows.BRIEF_COLUMNS (the row keeps its shape)."""
    models = {"Commitment": Commitment, "Department": Department, "Letter": Letter}

    def column(name: str, source: str):
        if brief and name not in BRIEF_COLUMNS:
            return null().label(name)
        if source == "due":
            return source
        model, attribute = source.split(".")
        return getattr(models[model], attribute)
    return tuple(column(name, source) for name, source in ROW_COLUMNS.items())


def _selected(columns, f: Filter) -> Select:
    due = effective_due(f.as_of)
    columns = [due if column == "due" else column for column in columns]  # the row's due: the effective one
    query = (select(*columns).select_from(Commitment).join(Letter, Letter.id == Commitment.letter_id)
             .outerjoin(Department, Department.id == Commitment.owner_id).where(*conditions(f, due.element)))
    query = query.order_by(*_order(f.sort, due.element))
    if f.limit is None:
        return query
    # An explicit OFFSET 0: else SQLite's compiler adds one as an unnamed parameter.
    return query.limit(bindparam("limit", f.limit)).offset(literal_column("0"))


def statements(f: Filter) -> dict[str, Select]:
    """rows (and brief ones), partners, policies and count for the commitments ``f`` selects."""
    if f.sort not in ORDERS:
        raise ValueError(f"unknown order {f.sort!r}")
    ids = _selected((Commitment.id,), f)
    chosen = selected_ids(f)  # their partners' and policies' IN (...): no order to sort for, unless a limit
    unlimited = replace(f, limit=None)
    matched = {}
    if f.dept:  # the departments --dept names: whether each row's is the owner or a partner
        matched["matched"] = select(Department.name).where(Department.id.in_(department_ids_matching(f.dept)))
    return {**matched,
        "rows": _selected(row_columns(), f),
        "brief": _selected(row_columns(brief=True), f),
        "partners": (select(CommitmentPartner.commitment_id, Department.name, CommitmentPartner.role,
                            CommitmentPartner.cue)
                     .join(Department, Department.id == CommitmentPartner.department_id)
                     .where(CommitmentPartner.commitment_id.in_(chosen)).order_by(CommitmentPartner.id)),
        "policies": (select(commitment_policies.c.commitment_id, Policy.title)
                     .join(Policy, Policy.id == commitment_policies.c.policy_id)
                     .where(commitment_policies.c.commitment_id.in_(chosen))
                     .order_by(commitment_policies.c.commitment_id, commitment_policies.c.policy_id)),
        "count": select(func.count()).select_from(_selected((Commitment.id,), unlimited).order_by(None).subquery()),
        "ids": ids,
    }


def selected_ids(f: Filter) -> Select:
    """The ids of the commitments ``f`` selects, as a statement for another's IN (...): one
    statement, however many they are (unordered, unless a limit makes the order count)."""
    ids = _selected((Commitment.id,), f)
    return ids if f.limit is not None else ids.order_by(None)


def letters_of(f: Filter | None) -> Select | None:
    """The ids of the letters of a selection: those of the commitments ``f`` selects, whatever
    their state, or None (every letter, those without a commitment too) when nothing narrows
    it. The report, the workbook and the exports all take their letters from here, so that
    they agree on the letters of any selection (two letters under one file name stay two)."""
    if f is None:
        return None
    ids = _selected((Commitment.id,), f).order_by(None)
    return select(Commitment.letter_id).where(Commitment.id.in_(ids)).distinct()


def letter_ids(connection: Connection, f: Filter) -> set[int]:
    """The ids of the letters of the selection ``f`` (``letters_of``)."""
    statement = letters_of(f)
    assert statement is not None  # a filter given: a statement made
    return set(connection.execute(statement).scalars())


def commitments(connection: Connection, f: Filter, today: date, brief: bool = False) -> list[dict]:
    """The commitments ``f`` selects, as rows.commitment_dict's dicts: three statements (one when
    ``brief``: a table's, see rows.BRIEF_COLUMNS). Recurring ones roll forward to ``today`` unless
    the filter names its own as-of day."""
    if f.as_of is None:
        f = replace(f, as_of=today)
    st = statements(f)
    rows = connection.execute(st["brief" if brief else "rows"]).all()
    if not rows or brief:
        return commitment_dicts(rows, [], [], today)
    found = commitment_dicts(rows, connection.execute(st["partners"]).all(),
                             connection.execute(st["policies"]).all(), today)
    if "matched" in st:
        mark_roles(found, set(connection.execute(st["matched"]).scalars()))
    return found


def count(connection: Connection, f: Filter) -> int:
    return connection.execute(statements(f)["count"]).scalar_one()


def ids(connection: Connection, f: Filter) -> list[int]:
    return list(connection.execute(statements(f)["ids"]).scalars())
