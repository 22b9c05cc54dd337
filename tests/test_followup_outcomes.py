"""`tracker rate`: outcomes apart from status, dated, with evidence; the schedule state is derived."""
from __future__ import annotations

import json

from ouhai_tracker.cli import app


def show(runner, commitment_id: int, *args) -> dict:
    result = runner.invoke(app, ["show", str(commitment_id), *args, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def rows(runner, *args) -> dict[int, dict]:
    return {r["id"]: r for r in json.loads(runner.invoke(app, ["list", "--status", "all", *args, "--json"]).stdout)}


def test_rate_records_a_dated_event_with_evidence_and_leaves_status(runner, imported):
    result = runner.invoke(app, ["rate", "4", "--outcome", "partly-kept", "--evidence", "https://example.gov.cn/a?b=1",
                                 "--note", "指南已修订一半", "--on", "2024-10-01"])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("#4: outcome not-yet-rated -> partly-kept (on 2024-10-01); schedule ")
    c = show(runner, 4)
    assert c["status"] == "open" and c["outcome"] == "partly-kept" and c["outcome_on"] == "2024-10-01"
    event = c["history"][-1]
    assert {k: event[k] for k in ("action", "field", "old", "new", "note", "on", "evidence")} == {
        "action": "rated", "field": "outcome", "old": "not-yet-rated", "new": "partly-kept",
        "note": "指南已修订一半", "on": "2024-10-01", "evidence": "https://example.gov.cn/a?b=1"}
    runner.invoke(app, ["rate", "4", "--outcome", "kept", "--on", "2024-12-20"])
    assert [(e["old"], e["new"]) for e in show(runner, 4)["history"] if e["action"] == "rated"] == [
        ("not-yet-rated", "partly-kept"), ("partly-kept", "kept")]


def test_show_prints_outcome_schedule_and_evidence(runner, imported, tmp_path):
    proof = tmp_path / "会议纪要.pdf"
    proof.write_bytes(b"%PDF")
    runner.invoke(app, ["rate", "5", "--outcome", "stalled", "--evidence", str(proof), "--on", "2024-01-05"])
    out = runner.invoke(app, ["show", "5", "--as-of", "2024-02-01"], env={"COLUMNS": "200"}).stdout
    assert "Outcome" in out and "stalled (since 2024-01-05)" in out
    assert "Schedule" in out and "overdue" in out
    assert "Evidence" in out and str(proof) in out


def test_relative_evidence_path_is_stored_absolute(runner, imported, tmp_path, monkeypatch):
    (tmp_path / "photo.jpg").write_bytes(b"x")
    monkeypatch.chdir(tmp_path)
    runner.invoke(app, ["rate", "1", "--outcome", "in-the-works", "--evidence", "photo.jpg"])
    assert show(runner, 1)["history"][-1]["evidence"] == str(tmp_path / "photo.jpg")


def test_done_means_kept_and_reopen_unrates(runner, imported):
    runner.invoke(app, ["done", "4", "--on", "2024-11-30"])
    c = show(runner, 4)
    assert (c["status"], c["outcome"], c["outcome_on"], c["schedule"]) == ("done", "kept", "2024-11-30", "kept-on-time")
    assert [e["action"] for e in c["history"]][-2:] == ["done", "done"]  # the outcome, then the status
    runner.invoke(app, ["reopen", "4", "--note", "回头看: 未修订"])
    c = show(runner, 4)
    assert (c["status"], c["outcome"], c["outcome_on"]) == ("open", "not-yet-rated", None)


def test_recurring_period_done_is_not_the_promise_kept(runner, imported):
    runner.invoke(app, ["done", "6"])
    assert show(runner, 6)["outcome"] == "not-yet-rated"


def test_schedule_is_derived_from_due_outcome_and_day(runner, imported):
    runner.invoke(app, ["done", "1", "--on", "2024-09-01"])  # due 2024-06-16: kept late
    runner.invoke(app, ["done", "4", "--on", "2024-12-31"])  # due 2024-12-31: on the day is on time
    runner.invoke(app, ["rate", "5", "--outcome", "broken", "--on", "2024-01-01"])  # due 2023-09-16
    before = rows(runner, "--as-of", "2024-01-01")
    assert {i: before[i]["schedule"] for i in (1, 2, 3, 4, 5)} == {
        1: "kept-late", 2: "on-time", 3: "no-date", 4: "kept-on-time", 5: "overdue"}
    after = rows(runner, "--as-of", "2025-01-01")
    assert after[2]["schedule"] == "overdue" and after[1]["schedule"] == "kept-late"
    # Nothing stored: the same commitment, judged on another day, reads differently.
    assert after[2]["outcome"] == before[2]["outcome"] == "not-yet-rated"


def test_list_and_due_json_keep_the_contract_and_add_fields(runner, imported):
    contract = {"id", "text", "owner", "partners", "status", "due", "due_kind", "due_text", "due_inferred",
                "condition", "document", "policies"}
    for command in (["list", "--status", "all"], ["due"]):
        row = json.loads(runner.invoke(app, [*command, "--json"]).stdout)[0]
        assert contract <= set(row) and {"outcome", "outcome_on", "schedule", "review", "class_mark"} <= set(row)


def test_rate_errors_are_one_line(runner, imported):
    cases = [(["rate", "4", "--outcome", "done"], "bad outcome 'done': expected one of not-yet-rated, in-the-works", 2),
             (["rate", "99", "--outcome", "kept"], "no commitment with id 99", 1),
             (["rate", "4", "--outcome", "kept", "--on", "2024/13/1"], "bad --on '2024/13/1'", 2),
             (["rate", "4", "--outcome", "kept", "--on", "2199-01-01"], "cannot be dated in the future", 2)]
    for args, message, code in cases:
        result = runner.invoke(app, args)
        assert result.exit_code == code and result.stderr.startswith("tracker: error: "), args
        assert message in result.stderr and len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert show(runner, 4)["outcome"] == "not-yet-rated"
