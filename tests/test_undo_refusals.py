"""`undo` of what is not a commitment's column (a setting, an alias, a member's rating) refuses when
it was changed since, saying what, and undoes nothing; changes to one column undone newest first
each find what the one after them put back."""
from __future__ import annotations

import json

import pytest

from ouhai_tracker.cli import app
from ouhai_tracker.errors import BadInput
from ouhai_tracker.tracker import Tracker


def ok(runner, *args: str):
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result


@pytest.mark.parametrize("first, then, reason", [
    (["config", "set", "class.B", "正在解决"], ["config", "set", "class.B", "已列入计划"],
     "class.B was changed since"),
    (["config", "set", "class.B", "正在解决"], ["config", "unset", "class.B"], "class.B was changed since"),
    (["depts", "alias", "区经信局", "瓯海经信局"], ["depts", "alias", "区教育局", "瓯海经信局"],
     "the alias 瓯海经信局 was changed since"),
])
def test_a_later_change_of_the_same_thing_is_refused(runner, imported, first, then, reason):
    ok(runner, *first)
    ok(runner, *then)
    with pytest.raises(BadInput) as refused:
        Tracker(imported).undo([1])
    assert str(refused.value) == (f"cannot undo change #1 ({' '.join(first[:2])} {' '.join(first[2:])}): {reason}; "
                                  "nothing was undone")
    assert [c["undone_by"] for c in Tracker(imported).changes()] == [None, None]


def test_a_rating_gone_is_refused(runner, imported):
    from sqlalchemy import delete

    from ouhai_tracker.store.engine import session_scope
    from ouhai_tracker.store.models import LetterFeedback

    ok(runner, "feedback", "L_edu.txt", "--rating", "满意")
    with session_scope(imported, write=True) as session:
        session.execute(delete(LetterFeedback))
    result = runner.invoke(app, ["undo", "--yes"])
    assert result.exit_code == 1
    assert result.stderr == ("tracker: error: cannot undo change #1 (feedback L_edu.txt 满意): the rating of "
                             "L_edu.txt is gone; nothing was undone\n")


def test_changes_to_one_column_undone_newest_first(runner, imported):
    ok(runner, "done", "1")
    ok(runner, "reopen", "1")
    ok(runner, "config", "set", "class.B", "正在解决")
    ok(runner, "config", "set", "class.B", "已列入计划")
    ok(runner, "undo", "--all-since", "2000-01-01", "--yes")
    shown = json.loads(ok(runner, "show", "1", "--json").stdout)
    assert shown["status"] == "open" and shown["outcome"] == "not-yet-rated"
    assert [row["key"] for row in Tracker(imported).config_list() if row["source"] != "default"] == []
    assert [c["undone_by"] for c in Tracker(imported).changes()] == [None, 5, 5, 5, 5]


def test_a_rating_is_recorded_with_its_row(runner, imported):
    """The change keeps the id of the rating it added (what undoing removes), as the answer gives it."""
    from ouhai_tracker.store.engine import session_scope
    from ouhai_tracker.store.models import Change, LetterFeedback

    answer = Tracker(imported).feedback("L_edu.txt", "不满意", note="未答复")
    with session_scope(imported) as session:
        row = session.query(LetterFeedback).one()
        data = session.query(Change).one().data
    assert data == {"feedback": {"id": row.id, "letter_id": row.letter_id, "file": "L_edu.txt", "rating": "不满意",
                                 "note": "未答复", "on": None}}
    assert answer == {**data["feedback"], "previous": None}
