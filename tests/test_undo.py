"""Mistakes are not permanent: `tracker undo` takes back a person's last change (or every one since
a time), shown before it is applied; `delete` and `restore`; `review --review rejected`
reconsiders a rejection. Every change and its undoing stay in the history."""
from __future__ import annotations

import json
from datetime import datetime

import pytest

from ouhai_tracker import cli
from ouhai_tracker.cli import app
from ouhai_tracker.tracker import Tracker


def ok(runner, *args: str, input: str | None = None):
    result = runner.invoke(app, list(args), input=input, env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    return result


def show(runner, commitment_id: int) -> dict:
    return json.loads(ok(runner, "show", str(commitment_id), "--json").stdout)


def state(db: str) -> dict:
    """Everything a person can change, as the export has it (the history aside: it only grows)."""
    tables = Tracker(db).export(with_contacts=True)["document"]["tables"]
    del tables["events"]
    for row in tables["commitments"]:
        del row["updated_at"]
    for name in ("department_aliases", "commitment_partners"):
        tables[name] = sorted(tables[name], key=lambda row: json.dumps(row, ensure_ascii=False))
    for row in tables["departments"]:
        row["aliases"] = sorted(row["aliases"])
    return {"tables": tables, "rows": Tracker(db).find_commitments(status="all", as_of="2024-01-01"),
            "docs": Tracker(db).documents(with_contacts=True), "config": Tracker(db).config_list()}


def changes_made(runner) -> int:
    return len(ok(runner, "undo", "--list").stdout.replace("No changes yet.\n", "").splitlines())


def test_undo_after_done_brings_it_back_with_both_in_the_history(runner, imported):
    ok(runner, "done", "2", "--note", "协会已成立", "--on", "2024-03-01")
    result = ok(runner, "undo", "--yes")
    assert "change #1" in result.stdout and "done #2" in result.stdout
    assert "#2 status: done -> back to open" in result.stdout
    assert "#2 outcome: kept -> back to not-yet-rated" in result.stdout
    assert "undone: change #1 (done #2); recorded as change #2" in result.stdout
    commitment = show(runner, 2)
    assert commitment["status"] == "open" and commitment["outcome"] == "not-yet-rated"
    assert commitment["outcome_on"] is None and 2 in [r["id"] for r in Tracker(imported).due()]
    history = [(e["action"], e["field"], e["old"], e["new"]) for e in commitment["history"]]
    assert history[1:] == [("done", "outcome", "not-yet-rated", "kept"), ("done", "status", "open", "done"),
                           ("undone", "outcome", "kept", "not-yet-rated"), ("undone", "status", "done", "open")]
    done_at = commitment["history"][1]["at"]
    assert commitment["history"][-1]["note"] == f"undid done of {done_at} (change #1)"


def test_without_a_terminal_or_yes_it_shows_and_changes_nothing(runner, imported):
    ok(runner, "done", "2")
    result = runner.invoke(app, ["undo"])  # the runner's input is no terminal
    assert result.exit_code == 1
    assert "This will undo:" in result.stdout and "#2 status: done -> back to open" in result.stdout
    assert result.stderr == "tracker: error: nothing undone: confirm at a terminal, or give --yes\n"
    assert show(runner, 2)["status"] == "done"


@pytest.mark.parametrize("answer, status", [("y\n", "open"), ("n\n", "done"), ("\n", "done")])
def test_at_a_terminal_it_asks(runner, imported, monkeypatch, answer, status):
    monkeypatch.setattr(cli, "_interactive", lambda: True)
    ok(runner, "done", "2")
    result = ok(runner, "undo", input=answer)
    assert "Undo it? [y/N]" in result.stdout
    assert show(runner, 2)["status"] == status
    assert ("Nothing undone." in result.stdout) == (status == "done")


def test_undo_again_goes_further_back_and_an_undo_is_not_undone(runner, imported):
    ok(runner, "done", "1")
    ok(runner, "edit", "1", "--due", "2030-01-01")
    assert "edit #1" in ok(runner, "undo", "--yes").stdout
    assert show(runner, 1)["due"] == "2024-06-16" and show(runner, 1)["status"] == "done"
    assert "done #1" in ok(runner, "undo", "--yes").stdout
    assert show(runner, 1)["status"] == "open"
    assert ok(runner, "undo", "--yes").stdout == "Nothing to undo.\n"
    listed = ok(runner, "undo", "--list").stdout.splitlines()
    assert [line.split(": ", 1)[1] for line in listed] == [
        "undo #1", "undo #2", "edit #1 (undone by #3)", "done #1 (undone by #4)"]


def test_nothing_to_undo(runner, empty_db):
    assert ok(runner, "undo").stdout == "Nothing to undo.\n"
    assert ok(runner, "undo", "--list").stdout == "No changes yet.\n"


def test_a_change_that_changed_nothing_is_not_recorded(runner, imported):
    ok(runner, "done", "1")
    ok(runner, "done", "1")  # already done
    ok(runner, "config", "set", "class.B", "正在解决")
    ok(runner, "config", "set", "class.B", "正在解决")  # as it was
    assert len(ok(runner, "undo", "--list").stdout.splitlines()) == 2


# Every command a person runs, undone: the database is as it was before, exactly.
COMMANDS = [
    ["done", "1", "6", "--on", "2024-05-01"],  # 6 is recurring: its period moves
    ["reopen", "4"],
    ["edit", "1", "--due", "2030-01-01", "--owner", "住建局", "--note", "协调会"],
    ["rate", "2", "--outcome", "stalled", "--evidence", "https://example.org/a", "--on", "2024-06-01"],
    ["review", "--order", "letter", "--limit", "3"],
    ["feedback", "L_edu.txt", "--rating", "不满意", "--note", "未答复"],
    ["config", "set", "class.B", "正在解决"],
    ["config", "unset", "class.A"],
    ["depts", "alias", "区经信局", "瓯海经信局"],
    ["depts", "alias", "区经信局", "工商联"],  # moved from 区工商业联合会
    ["depts", "merge", "区经信局", "区教育局"],  # 7 and 8 move, and the letter naming 区教育局
    ["depts", "merge", "区教育局", "区经信局"],  # the other way: 8's partner role goes (区教育局 owns 8)
    ["depts", "merge", "区住建局", "工商联"],  # 2's partner role moves
    ["delete", "2", "4"],
    ["restore", "4"],
]
SETUP = {"reopen": [["done", "4"]], "config": [["config", "set", "class.A", "已解决"]], "restore": [["delete", "4"]]}


@pytest.mark.parametrize("args", COMMANDS, ids=lambda args: " ".join(args[:2]))
def test_every_command_is_undone_exactly(runner, imported, args):
    for setup in SETUP.get(args[0], []):
        ok(runner, *setup)
    before, made = state(imported), changes_made(runner)
    ok(runner, *args, input="r\no\n住建局\na\na\n" if args[0] == "review" else None)  # review: 3 verdicts
    assert state(imported) != before
    for _ in range(changes_made(runner) - made):
        result = ok(runner, "undo", "--yes")
        assert f"{args[0]}" in result.stdout and "undone: change #" in result.stdout
    assert state(imported) == before


def test_a_note_stays_in_the_history_marked_undone(runner, imported):
    ok(runner, "edit", "3", "--note", "只是备注")
    assert "#3: its noted line stays in the history, marked undone" in ok(runner, "undo", "--yes").stdout
    assert [(e["action"], e["note"]) for e in show(runner, 3)["history"]][1:] == [
        ("noted", "只是备注"), ("undone", f"undid noted of {show(runner, 3)['history'][1]['at']} (change #1)")]


def test_undo_shows_what_a_merge_and_an_alias_move_take_back(runner, imported):
    ok(runner, "depts", "alias", "区经信局", "工商联")
    ok(runner, "depts", "merge", "区经信局", "区教育局")
    lines = runner.invoke(app, ["undo", "--all-since", "2000-01-01"]).stdout.splitlines()
    assert lines[0] == "This will undo 2 changes, newest first:"
    assert "区教育局 split out of 区经济和信息化局 again, with its 2 commitments, 0 partner roles and 1 aliases" in lines[2]
    assert lines[4] == "  alias 工商联: 区经济和信息化局 -> back to 区工商业联合会"
    ok(runner, "undo", "--all-since", "2000-01-01", "--yes")
    history = [(e["action"], e["field"], e["old"], e["new"]) for e in show(runner, 7)["history"]]
    assert history[-2:] == [("merged", "owner", "区教育局", "区经济和信息化局"),
                            ("undone", "owner", "区经济和信息化局", "区教育局")]


def test_a_merged_department_comes_back_when_its_id_was_taken(runner, imported):
    from sqlalchemy import insert

    from ouhai_tracker.store.engine import session_scope
    from ouhai_tracker.store.models import Department

    last = max(Tracker(imported).export()["document"]["tables"]["departments"], key=lambda d: d["id"])
    keep = "区经济和信息化局" if last["name"] != "区经济和信息化局" else "区教育局"
    owned = [r["id"] for r in Tracker(imported).find_commitments(status="all") if r["owner"] == last["name"]]
    ok(runner, "depts", "merge", keep, last["name"])
    with session_scope(imported, write=True) as session:  # a new letter's department: SQLite gives it the freed id
        session.execute(insert(Department).values(name="区财政局", short="区财政局", functions=""))
    ok(runner, "undo", "--yes")
    rows = {r["id"]: r for r in Tracker(imported).find_commitments(status="all")}
    assert owned and all(rows[i]["owner"] == last["name"] for i in owned)
    names = {d["name"] for d in Tracker(imported).departments()}
    assert {"区财政局", last["name"], keep} <= names


def test_all_since_undoes_every_change_since_then_newest_first(runner, imported):
    from sqlalchemy import update

    from ouhai_tracker.store.engine import session_scope
    from ouhai_tracker.store.models import Change

    ok(runner, "done", "1")
    ok(runner, "edit", "2", "--due", "2030-01-01")
    ok(runner, "rate", "4", "--outcome", "broken")
    with session_scope(imported, write=True) as session:  # as if made on three days
        for change_id, at in ((1, "2025-02-27 10:00:00"), (2, "2025-03-01 09:00:00"), (3, "2025-03-02 18:00:00")):
            session.execute(update(Change).where(Change.id == change_id).values(at=datetime.fromisoformat(at)))
    plan = runner.invoke(app, ["undo", "--all-since", "2025-03-01 09:30"]).stdout
    assert "rate #4 broken" in plan and "edit #2" not in plan
    result = ok(runner, "undo", "--all-since", "2025-03-01", "--yes")
    assert "This will undo 2 changes, newest first:" in result.stdout
    assert result.stdout.index("rate #4") < result.stdout.index("edit #2")
    assert "undone: change #3 (rate #4 broken), change #2 (edit #2)" in result.stdout
    assert show(runner, 4)["outcome"] == "not-yet-rated" and show(runner, 2)["due"] == "2024-06-16"
    assert show(runner, 1)["status"] == "done"  # before the time: kept
    assert ok(runner, "undo", "--all-since", "2025-03-01").stdout == "Nothing to undo since 2025-03-01.\n"


@pytest.mark.parametrize("value", ["yesterday", "2025-13-01", "2025-03-01 25:00"])
def test_a_bad_time_is_one_line(runner, imported, value):
    result = runner.invoke(app, ["undo", "--all-since", value])
    assert result.exit_code == 2 and result.stderr.startswith(f"tracker: error: bad --all-since {value!r}")


def test_it_refuses_what_was_changed_since_and_undoes_nothing(runner, imported):
    from sqlalchemy import update

    from ouhai_tracker.store.engine import session_scope
    from ouhai_tracker.store.models import Commitment

    ok(runner, "edit", "1", "--due", "2030-01-01")
    ok(runner, "done", "2")
    with session_scope(imported, write=True) as session:  # another tool, or a colleague's older tracker
        session.execute(update(Commitment).where(Commitment.id == 1).values(due=datetime(2031, 1, 1).date()))
    result = runner.invoke(app, ["undo", "--all-since", "2000-01-01", "--yes"])
    assert result.exit_code == 1
    assert result.stderr == ("tracker: error: cannot undo change #1 (edit #1): #1's due is 2031-01-01 now, not "
                             "2030-01-01: it was changed since; nothing was undone\n")
    assert show(runner, 2)["status"] == "done"  # the other change stays too: all or nothing
    assert "undone" not in [e["action"] for e in show(runner, 2)["history"]]


# ---- delete and restore --------------------------------------------------------------------------

def test_delete_leaves_the_listings_but_not_the_database(runner, imported):
    ok(runner, "done", "4")
    result = ok(runner, "delete", "2", "4", "--note", "重复")
    assert result.stdout.splitlines() == ["#2: deleted (was open; `tracker restore 2` brings it back)",
                                          "#4: deleted (was done; `tracker restore 4` brings it back)"]
    tracker = Tracker(imported)
    assert {2, 4}.isdisjoint(r["id"] for r in tracker.find_commitments())
    assert {2, 4}.isdisjoint(r["id"] for r in tracker.due())
    assert {2, 4}.isdisjoint(r["id"] for r in tracker.find_commitments(status="done"))
    assert [r["id"] for r in tracker.find_commitments(status="deleted")] == [2, 4]
    assert {2, 4} <= {r["id"] for r in tracker.find_commitments(status="all")}
    report = tracker.report(as_of="2025-01-01")
    assert report["total"]["promised"] == 6 and report["total"]["kept"] == 0
    assert b"commitment-2-" not in tracker.calendar()
    econ = next(d for d in tracker.documents() if d["file"] == "L_econ.txt")
    assert (econ["commitments"], econ["open"]) == (4, 4)  # 1, 3, 5, 6
    exported = {r["id"]: r for r in tracker.export()["document"]["tables"]["commitments"]}
    assert exported[2]["status"] == "deleted"
    shown = show(runner, 2)
    assert shown["status"] == "deleted" and shown["schedule"] == "closed"
    assert shown["history"][-1] == {**shown["history"][-1], "action": "deleted", "old": "open", "new": "deleted",
                                    "note": "重复"}
    assert "#2  deleted" in ok(runner, "show", "2").stdout


def test_a_deleted_one_is_changed_only_by_restore(runner, imported):
    ok(runner, "delete", "2")
    for args in (["done", "1", "2"], ["reopen", "2"], ["edit", "2", "--due", "2030-01-01"],
                 ["rate", "2", "--outcome", "kept"]):
        result = runner.invoke(app, args)
        assert result.exit_code == 1 and result.stderr == \
            "tracker: error: #2 is deleted: `tracker restore 2` brings it back first\n"
    assert show(runner, 1)["status"] == "open"  # the batch did not half-happen


def test_restore_brings_back_the_status_it_had(runner, imported):
    ok(runner, "done", "4")
    ok(runner, "delete", "4")
    assert ok(runner, "restore", "4", "--note", "误删").stdout == "#4: restored (done)\n"
    assert ok(runner, "restore", "4").stdout == "#4: not deleted (done)\n"
    assert ok(runner, "delete", "4").stdout.startswith("#4: deleted")
    assert ok(runner, "delete", "4").stdout == "#4: already deleted\n"
    history = [(e["action"], e["old"], e["new"]) for e in show(runner, 4)["history"] if e["field"] == "status"]
    assert history == [("done", "open", "done"), ("deleted", "done", "deleted"), ("undeleted", "deleted", "done"),
                       ("deleted", "done", "deleted")]


def test_delete_unknown_id_changes_nothing(runner, imported):
    result = runner.invoke(app, ["delete", "1", "999"])
    assert result.exit_code == 1 and "no commitment with id 999" in result.stderr
    assert show(runner, 1)["status"] == "open"


def test_a_reimport_keeps_a_deleted_one_deleted(runner, imported, letters_dir):
    import conftest

    ok(runner, "delete", "5")
    (letters_dir / conftest.ECON_FILE).write_text(conftest.ECON_TEXT + "附件:无\n", encoding="utf-8")
    assert [r.status for r in Tracker(imported).import_paths([letters_dir / conftest.ECON_FILE])] == ["updated"]
    assert show(runner, 5)["status"] == "deleted"


# ---- reconsidering a rejection ---------------------------------------------------------------------

def test_review_rejected_reconsiders_a_rejection(runner, imported):
    ok(runner, "review", "--order", "letter", "--limit", "2", input="r\nr\n")  # rejects 1 and 2
    assert {1, 2}.isdisjoint(r["id"] for r in Tracker(imported).due())
    result = ok(runner, "review", "--review", "rejected", "--order", "letter", input="a\nr\n")
    assert "1/2  #1" in result.stdout and "2/2  #2" in result.stdout
    assert result.stdout.strip().endswith("reviewed: 1 accepted, 0 corrected, 0 rejected, 0 skipped; 1 left rejected")
    assert show(runner, 1)["review"] == "accepted" and 1 in [r["id"] for r in Tracker(imported).due()]
    assert show(runner, 2)["review"] == "rejected"
    # A correction makes one live again too.
    ok(runner, "review", "--review", "rejected", input="d\n2030-06-30\na\n")
    assert show(runner, 2)["review"] == "corrected" and show(runner, 2)["due"] == "2030-06-30"
    assert ok(runner, "review", "--review", "rejected").stdout == "Nothing to review: no commitment is rejected.\n"
    # And each verdict can be undone.
    ok(runner, "undo", "--yes")
    assert show(runner, 2)["review"] == "rejected" and show(runner, 2)["due"] == "2024-06-16"


def test_review_of_a_bad_state_is_one_line(runner, imported):
    result = runner.invoke(app, ["review", "--review", "maybe"])
    assert result.exit_code == 2 and result.stderr.startswith("tracker: error: bad review state 'maybe'")


@pytest.mark.parametrize("command", ["undo", "delete", "restore"])
def test_help_has_an_example(runner, command):
    result = runner.invoke(app, [command, "--help"])
    assert result.exit_code == 0 and f"Example: tracker {command}" in result.stdout


def as_person(name: str) -> dict:
    return {"LOGNAME": name, "USER": name, "LNAME": name, "USERNAME": name, "COLUMNS": "200"}


def test_undo_takes_back_your_own_change_unless_anyone(runner, imported):
    """On a shared database, `USER=li tracker undo` undid mei's `done`."""
    assert runner.invoke(app, ["done", "2"], env=as_person("mei")).exit_code == 0
    assert runner.invoke(app, ["edit", "3", "--due", "2025-01-31"], env=as_person("li")).exit_code == 0
    assert runner.invoke(app, ["done", "4"], env=as_person("mei")).exit_code == 0
    li = runner.invoke(app, ["undo", "--yes"], env=as_person("li"))
    assert li.exit_code == 0, li.output
    assert "by li: edit #3" in li.stdout and "undone: change #2 (edit #3)" in li.stdout
    nothing = runner.invoke(app, ["undo", "--yes"], env=as_person("li"))
    assert nothing.exit_code == 0
    assert nothing.stdout.splitlines() == [
        "Nothing to undo.", "(Others' changes are theirs to undo: `tracker undo --anyone` takes back the last one, "
        "whoever made it.)"]
    assert show(runner, 2)["status"] == "done" and show(runner, 4)["status"] == "done"
    anyone = runner.invoke(app, ["undo", "--anyone", "--yes"], env=as_person("li"))
    assert anyone.exit_code == 0 and "by mei: done #4" in anyone.stdout, anyone.output
    assert show(runner, 4)["status"] == "open" and show(runner, 2)["status"] == "done"
    mei = runner.invoke(app, ["undo", "--yes"], env=as_person("mei"))
    assert "by mei: done #2" in mei.stdout and show(runner, 2)["status"] == "open"


def test_a_raced_undo_is_explained_not_an_error(runner, imported, monkeypatch):
    """Two people undo the same change at once: the second is told who got there first."""
    ok(runner, "done", "2")
    plan_of = Tracker.undo_plan

    def other_person_undoes_first(self, **kwargs):
        plan = plan_of(self, **kwargs)
        if plan:
            Tracker(imported).undo([change["id"] for change in plan])  # in between: another tracker
        return plan

    monkeypatch.setattr(Tracker, "undo_plan", other_person_undoes_first)
    result = runner.invoke(app, ["undo", "--yes"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    login = __import__("getpass").getuser()
    assert result.stdout.splitlines()[-1] == (f"change #1 (done #2) was undone meanwhile by {login} (change #2); "
                                              "nothing left to undo")
    assert show(runner, 2)["status"] == "open"
    assert changes_made(runner) == 2  # the done and one undo: not two
