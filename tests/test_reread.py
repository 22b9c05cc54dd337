"""`tracker reread`: stored letters read again with today's rules and settings, keeping what people
did; `import` of the same text with other settings says so and points there."""
from __future__ import annotations

import json

import pytest

from ouhai_tracker.cli import app
from test_letter_identity import letter
from test_robust_bad_input import real_extraction

VAGUE = letter(36, "马文清", promise="出台办法。近期我局将开展专项检查。我局将尽快完善制度")


@pytest.fixture
def stored(runner, db, tmp_path, monkeypatch):
    real_extraction(monkeypatch)
    folder = tmp_path / "letters"
    folder.mkdir()
    (folder / "a.txt").write_text(VAGUE, encoding="utf-8")
    (folder / "b.txt").write_text(letter(37, "李华", promise="出台细则。近期我局将召开座谈会"), encoding="utf-8")
    assert runner.invoke(app, ["import", str(folder)]).exit_code == 0
    return folder


def rows(runner) -> dict[str, dict]:
    return {r["text"]: r for r in json.loads(runner.invoke(app, ["list", "--status", "all", "--json"]).stdout)}


def test_import_with_other_settings_says_unchanged_and_points_to_reread(runner, stored):
    """Re-importing with --vague-months 6 said `unchanged`: the stored letters kept the old dates."""
    result = runner.invoke(app, ["import", "--vague-months", "6", str(stored)])
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0] == ("a.txt: 3 commitments, 0 policies, 1 departments, unchanged; its stored "
                                             "facts were read with --vague-months 3 (not 6)")
    assert result.stderr.strip() == ("tracker: note: 2 unchanged letters were read with other settings or earlier "
                                     "rules than these: `tracker reread --vague-months 6` reads them again "
                                     "(statuses, notes and edits kept)")
    assert runner.invoke(app, ["import", str(stored)]).stderr == ""  # the same settings: nothing to say


def test_reread_applies_todays_settings_and_keeps_what_people_did(runner, stored):
    before = rows(runner)
    checked, rules = before["近期我局将开展专项检查"], before["我局将尽快完善制度"]
    assert checked["due"] == "2024-08-20"
    assert runner.invoke(app, ["done", str(checked["id"]), "--note", "已检查"]).exit_code == 0
    assert runner.invoke(app, ["edit", str(rules["id"]), "--due", "2024-10-01"]).exit_code == 0
    result = runner.invoke(app, ["reread", "--vague-months", "6", str(stored / "a.txt")])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "a.txt: 3 commitments, 0 policies, 1 departments, updated (0 added, 1 updated, 2 unchanged, 0 withdrawn)",
        "1 file: 1 updated"]
    after = rows(runner)
    assert after["近期我局将开展专项检查"]["due"] == "2024-11-20"  # read again with 6 months
    assert after["近期我局将开展专项检查"]["status"] == "done" and after["近期我局将开展专项检查"]["id"] == checked["id"]
    assert after["我局将尽快完善制度"]["due"] == "2024-10-01"  # a person's date outranks a rule's
    assert after["近期我局将召开座谈会"]["due"] == before["近期我局将召开座谈会"]["due"]  # b.txt was not named
    history = json.loads(runner.invoke(app, ["show", str(checked["id"]), "--json"]).stdout)["history"]
    assert ("done", "已检查") in [(e["action"], e["note"]) for e in history]
    # Every letter, and again: nothing more to change.
    everything = runner.invoke(app, ["reread", "--vague-months", "6"])
    assert everything.stdout.splitlines()[-1] == "2 files: 1 updated, 1 unchanged"
    again = runner.invoke(app, ["reread", "--vague-months", "6"])
    assert again.stdout.splitlines()[-1] == "2 files: 2 unchanged"
    assert runner.invoke(app, ["import", "--vague-months", "6", str(stored)]).stderr == ""


def test_reread_of_a_path_no_letter_came_from_is_one_error(runner, stored, tmp_path):
    result = runner.invoke(app, ["reread", str(tmp_path / "elsewhere")])
    assert result.exit_code == 1
    assert result.stderr.strip() == (f"tracker: error: no stored letter was imported from {tmp_path / 'elsewhere'} "
                                     "(see `tracker docs`)")
