"""Any sequence of a person's changes (settings, aliases, members' ratings, department and letter
merges, commitments' columns, undos among them), undone since the start, leaves the database as it was:
each change's reverse is decided on what the ones undone after it put back."""
from __future__ import annotations

import shutil
from datetime import date

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from conftest import ECON_FILE, EDU_FILE, fresh_database, sqlite_only
from ouhai_tracker.errors import TrackerError
from ouhai_tracker.store.engine import forget_engines
from ouhai_tracker.tracker import Tracker
from test_undo import state

pytestmark = sqlite_only  # each example starts from a copy of the imported file

DEPT = st.sampled_from(["区经信局", "区教育局", "工商联", "住建局"])
STEP = st.one_of(
    st.tuples(st.just("config set"), st.sampled_from(["class.A", "class.B"]), st.sampled_from(["已解决", "正在解决"])),
    st.tuples(st.just("config unset"), st.sampled_from(["class.A", "class.B"])),
    st.tuples(st.just("alias"), DEPT, st.sampled_from(["瓯海经信局", "工商联", "区教育局"])),
    st.tuples(st.just("merge"), DEPT, DEPT),
    st.tuples(st.just("feedback"), st.sampled_from([ECON_FILE, EDU_FILE]), st.sampled_from(["满意", "不满意"])),
    st.tuples(st.just("done"), st.integers(1, 8)),
    st.tuples(st.just("reopen"), st.integers(1, 8)),
    st.tuples(st.just("edit"), st.integers(1, 8), DEPT),
    st.tuples(st.just("rate"), st.integers(1, 8), st.sampled_from(["kept", "stalled"])),
    st.tuples(st.just("docs merge"), st.sampled_from([ECON_FILE, EDU_FILE]), st.sampled_from([ECON_FILE, EDU_FILE])),
    st.tuples(st.just("undo")),
)


# Changes that all stand, for the example that shows the test is not vacuous.
ALL_STAND = [("done", 2), ("config set", "class.A", "已解决"), ("alias", "区经信局", "瓯海经信局")]


def run(tracker: Tracker, step) -> None:
    kind, *args = step
    actions = {
        "config set": lambda: tracker.config_set(*args),
        "config unset": lambda: tracker.config_unset(*args),
        "alias": lambda: tracker.add_alias(*args),
        "merge": lambda: tracker.merge_departments(*args),
        "feedback": lambda: tracker.feedback(*args),
        "done": lambda: tracker.mark_done([args[0]]),
        "reopen": lambda: tracker.reopen(args[0]),
        "edit": lambda: tracker.edit(args[0], owner=args[1]),
        "rate": lambda: tracker.rate(args[0], args[1], on=date(2024, 6, 1)),
        "docs merge": lambda: tracker.merge_letters(*args),
        "undo": lambda: tracker.undo([c["id"] for c in tracker.undo_plan()]),
    }
    try:
        actions[kind]()
    except TrackerError:
        pass  # refused (a name merged away, a deleted one): nothing changed


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(STEP, min_size=1, max_size=7))
@example(steps=ALL_STAND)
# The second merge removes a partner role the first moved (its owner's own); undoing both finds it.
@example(steps=[("merge", "区教育局", "工商联"), ("merge", "区经信局", "区教育局")])
@example(steps=[("config set", "class.A", "已解决"), ("config unset", "class.A")])  # they cancel out, yet stand
def test_undoing_everything_leaves_the_database_as_it_was(imported, tmp_path_factory, steps):
    forget_engines()
    copy = tmp_path_factory.mktemp("undo") / "tracker.db"
    shutil.copy(imported, copy)
    with fresh_database(copy) as db:
        before = state(db)
        tracker = Tracker(db)
        for step in steps:
            run(tracker, step)
        if steps == ALL_STAND:  # not vacuous: the undo has something to take back
            assert state(db) != before
        tracker.undo([c["id"] for c in tracker.undo_plan(since="2000-01-01")])
        assert state(db) == before
        assert tracker.undo_plan(since="2000-01-01") == []
    forget_engines()
