"""`tracker export --format ics`: one all-day event per dated open commitment, stable UIDs."""
from __future__ import annotations

import re
from datetime import date

from icalendar import Calendar

from ouhai_tracker.cli import app

UID = re.compile(r"commitment-(\d+)-([0-9a-f]{32})@ouhai-tracker")


def events(data: bytes) -> dict[str, object]:
    """The calendar's events by their commitment's id (the UID also carries the database's id)."""
    found = {}
    for e in Calendar.from_ical(data).walk("VEVENT"):
        match = UID.fullmatch(str(e["uid"]))
        assert match, e["uid"]
        found[f"commitment-{match.group(1)}"] = e
    return found


def test_ics_has_one_all_day_event_per_dated_open_commitment(runner, imported):
    runner.invoke(app, ["done", "4"])
    runner.invoke(app, ["review"], input="r\nq\n")  # all 0.5: letter order breaks the tie, so #1 is rejected
    result = runner.invoke(app, ["export", "--format", "ics"])
    assert result.exit_code == 0, result.output
    found = events(result.stdout_bytes)
    # Open and dated: 2, 5, 6 (recurring), 7, 8; not 1 (rejected), 3 (conditional), 4 (done).
    assert sorted(found) == [f"commitment-{i}" for i in (2, 5, 6, 7, 8)]
    event = found["commitment-7"]
    assert event.decoded("dtstart") == date(2024, 8, 31) and event.decoded("dtend") == date(2024, 9, 1)
    assert str(event["summary"]).startswith("区教育局: 我局将于2024年9月开学前完成积分入学办法")
    description = str(event["description"])
    assert "依据《温州市瓯海区高层次人才和企业人才子女入学管理办法》" in description and "L_edu.txt" in description
    assert "日期推定" in str(found["commitment-5"]["summary"])  # 近期: inferred date


def test_ics_uids_are_stable_and_file_output(runner, imported, tmp_path):
    first = events(runner.invoke(app, ["export", "--format", "ics"]).stdout_bytes)
    path = tmp_path / "deadlines.ics"
    result = runner.invoke(app, ["export", "--format", "ics", "--dept", "教育局", "--output", str(path)])
    assert result.exit_code == 0 and str(path) in result.stdout
    second = events(path.read_bytes())
    assert sorted(second) == ["commitment-7", "commitment-8"]
    assert set(second) <= set(first)


def test_export_errors(runner, imported, tmp_path):
    result = runner.invoke(app, ["export", "--format", "xml"])
    assert result.exit_code == 2 and result.stderr.strip() == "tracker: error: bad --format 'xml': expected json, csv, ics or xlsx"
    result = runner.invoke(app, ["export", "--output", str(tmp_path / "no" / "such" / "x.ics")])
    assert result.exit_code == 1 and result.stderr.startswith("tracker: error: cannot write")


def test_every_new_command_has_help_with_an_example(runner):
    for command in ["review", "rate", "feedback", "config", "config set", "config get", "config unset",
                    "config list", "report", "stats", "export", "docs"]:
        result = runner.invoke(app, [*command.split(), "--help"])
        assert result.exit_code == 0 and "Example: tracker" in result.stdout, command


def test_uids_differ_between_databases(runner, imported, tmp_path, letters_dir):
    """Two databases (two departments' trackers) both have a commitment #2: one calendar must not
    take one's event for the other's."""
    from conftest import fresh_database

    first = runner.invoke(app, ["export", "--format", "ics"]).stdout_bytes
    with fresh_database(tmp_path / "other.db") as other:
        assert runner.invoke(app, ["--db", other, "import", str(letters_dir)]).exit_code == 0
        second = runner.invoke(app, ["--db", other, "export", "--format", "ics"]).stdout_bytes
    uids = [{str(e["uid"]) for e in Calendar.from_ical(data).walk("VEVENT")} for data in (first, second)]
    assert uids[0] and uids[1] and not uids[0] & uids[1]
    assert uids[0] == {str(e["uid"]) for e in Calendar.from_ical(
        runner.invoke(app, ["export", "--format", "ics"]).stdout_bytes).walk("VEVENT")}  # stable
