"""A constant in a statement, written into its SQL rather than bound as a parameter.

SQLite's stdlib path runs statements compiled ahead (fast_sql.py) with only the parameters it
knows by name; a constant bound as a parameter would have no value there.
"""
from __future__ import annotations

from sqlalchemy import ColumnClause, literal_column


def constant(value: str | int) -> ColumnClause:
    """``value`` as SQL text: a string quoted (the tracker's own state names, never a person's text)."""
    if isinstance(value, str):
        if "'" in value:
            raise ValueError(f"not a constant: {value!r}")
        return literal_column(f"'{value}'")
    return literal_column(str(int(value)))
