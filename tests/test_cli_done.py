"""`tracker done / reopen / edit`: status changes with a history that keeps old and new values."""
from __future__ import annotations

import json

from ouhai_tracker.cli import app


def show(runner, commitment_id: int, *more: str) -> dict:
    return json.loads(runner.invoke(app, ["show", str(commitment_id), "--json", *more]).stdout)


def test_done_with_note_and_date_then_reopen(runner, imported):
    result = runner.invoke(app, ["done", "1", "2", "--note", "培训班已于5月举办", "--on", "2024-05-20"])
    texts = [show(runner, i)["text"] for i in (1, 2)]
    assert result.exit_code == 0 and result.stdout.splitlines() == [f"#1: done: {texts[0]}", f"#2: done: {texts[1]}"]
    assert runner.invoke(app, ["done", "1"]).stdout.strip() == f"#1: already done: {texts[0]}"
    done_event = show(runner, 1)["history"][-1]
    assert done_event == {**done_event, "action": "done", "old": "open", "new": "done",
                          "note": "培训班已于5月举办", "on": "2024-05-20"}

    assert runner.invoke(app, ["reopen", "1", "--note", "回头看: 未举办"]).stdout.strip() == "#1: reopened"
    commitment = show(runner, 1)
    assert commitment["status"] == "open" and commitment["history"][-1]["action"] == "reopened"


def test_recurring_done_moves_to_next_period(runner, imported):
    result = runner.invoke(app, ["done", "6", "--on", "2023-06-20"])  # 每季度, due 2023-06-30
    assert result.exit_code == 0
    assert "stays open" in result.stdout and "next due 2023-09-30" in result.stdout
    commitment = show(runner, 6, "--as-of", "2023-07-01")
    assert commitment["status"] == "open" and commitment["due"] == "2023-09-30"
    assert commitment["history"][-1]["old"] == "2023-06-30"


def test_edit_due_and_owner_records_old_and_new(runner, imported):
    result = runner.invoke(app, ["edit", "1", "--due", "2024-09-30", "--owner", "住建局", "--note", "协调会"])
    assert result.exit_code == 0
    assert "due 2024-06-16 -> 2024-09-30" in result.stdout
    commitment = show(runner, 1)
    assert commitment["due"] == "2024-09-30" and commitment["due_inferred"] is False
    assert commitment["owner"] == "区住房和城乡建设局" and commitment["owner_rule"] == "set by hand"
    edits = [(e["field"], e["old"], e["new"]) for e in commitment["history"] if e["action"] == "edited"]
    assert edits == [("due", "2024-06-16", "2024-09-30"), ("owner", "区经济和信息化局", "区住房和城乡建设局")]


def test_unknown_id_changes_nothing(runner, imported):
    result = runner.invoke(app, ["done", "1", "999"])
    assert result.exit_code == 1
    assert result.stderr.strip() == "tracker: error: no commitment with id 999 (see `tracker list --status all`)"
    assert show(runner, 1)["status"] == "open"


def test_user_errors(runner, imported):
    cases = [
        # a malformed option is a usage error (2); a well-formed request
        # the data cannot satisfy is an ordinary error (1)
        (["done", "1", "--on", "2024/13/20"], "bad --on '2024/13/20'", 2),
        (["reopen", "42"], "no commitment with id 42", 1),
        (["edit", "1", "--due", "tomorrow"], "bad --due 'tomorrow'", 2),
        (["edit", "1", "--owner", "财政局"], "no department matches '财政局'", 1),
        (["edit", "1"], "nothing to edit", 2),
    ]
    for args, message, code in cases:
        result = runner.invoke(app, args)
        assert result.exit_code == code, (args, result.exit_code, result.stderr)
        assert result.stderr.startswith("tracker: error: ") and message in result.stderr, result.stderr
    assert len(show(runner, 1)["history"]) == 1  # only 'imported': nothing half-written
