"""What a --dept value asks for, as the parameters of one SQL condition (store.queries.department_match).

No SQLAlchemy here: the stdlib fast path (fastread.py) uses it too.
"""
from __future__ import annotations


def dept_query(name: str) -> dict[str, str]:
    """The parameters of a --dept value, as LIKE patterns (ESCAPE '/'): the text itself, its
    function class (as the functions column holds it: " 经信 "), its place; and its level. An
    empty one switches its condition off."""
    from ouhai_tracker.extract.departments import read_query

    text = name.strip()
    function, level, place = read_query(text)
    return {"text": f"%{like_escape(text)}%", "function": f"% {function} %" if function else "",
            "level": level or "", "place": f"%{like_escape(place)}%" if place else ""}


def like_escape(value: str) -> str:
    """A LIKE pattern's wildcards taken literally (ESCAPE '/')."""
    return value.replace("/", "//").replace("%", "/%").replace("_", "/_")
