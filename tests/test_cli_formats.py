"""Output that fits its reader (tables at a terminal, whole lines in a pipe, tsv/csv/json on
request) and one filter set for list, due, export, report, stats and the calendar."""
from __future__ import annotations

import csv
import io
import json

import pytest

from conftest import ECON_FILE, EDU_FILE
from ouhai_tracker.cli import app


@pytest.fixture
def piped(monkeypatch):
    """stdout as a pipe sees it: no TRACKER_FORMAT to keep the tables."""
    monkeypatch.delenv("TRACKER_FORMAT", raising=False)


def as_json(runner, *args) -> list[dict]:
    result = runner.invoke(app, [*args, "--format", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_piped_list_is_one_whole_line_per_row_with_its_id(runner, imported, piped):
    rows = as_json(runner, "list")
    result = runner.invoke(app, ["list"])
    lines = result.stdout.splitlines()
    assert result.exit_code == 0 and len(lines) == len(rows) == 8
    assert [line.split("\t")[0] for line in lines] == [str(r["id"]) for r in rows]
    assert all(line == line.rstrip() for line in lines)  # no padding
    assert [line.split("\t")[4] for line in lines] == [r["text"] for r in rows]  # never wrapped or cut
    grepped = [line for line in lines if "入学" in line]
    assert grepped and all(line.split("\t")[0].isdigit() for line in grepped)


def test_a_newline_in_a_cell_stays_on_its_line(runner, imported, piped, monkeypatch):
    from ouhai_tracker.render import listing

    out = io.StringIO()
    monkeypatch.setattr("sys.stdout", out)
    listing.write([{"id": 1, "text": "a\tb\nc"}], [("id", lambda r: r["id"]), ("text", lambda r: r["text"])], "lines")
    assert out.getvalue() == "1\ta\\tb\\nc\n"


def test_tsv_has_a_header_and_csv_parses(runner, imported):
    tsv = runner.invoke(app, ["list", "--format", "tsv"]).stdout.splitlines()
    assert tsv[0] == "id\tdue\tstatus\towner\tcommitment\tletter" and len(tsv) == 9
    rows = list(csv.DictReader(io.StringIO(runner.invoke(app, ["list", "--format", "csv"]).stdout)))
    assert [r["id"] for r in rows] == [line.split("\t")[0] for line in tsv[1:]]
    assert any(r["commitment"].endswith("[bold]x[/]") for r in rows)  # letter text as it is


def test_json_format_is_the_json_flag(runner, imported):
    assert runner.invoke(app, ["due", "--format", "json"]).stdout == runner.invoke(app, ["due", "--json"]).stdout


@pytest.mark.parametrize("command", [["list"], ["due"], ["docs"], ["depts"], ["policies"], ["config", "list"],
                                     ["stats"]])
def test_every_listing_takes_every_format(runner, imported, command):
    for format in ("table", "tsv", "csv", "json"):
        result = runner.invoke(app, [*command, "--format", format])
        assert result.exit_code == 0 and result.stdout, (command, format, result.output)
    bad = runner.invoke(app, [*command, "--format", "xml"])
    assert bad.exit_code == 2 and bad.stderr.startswith("tracker: error: bad --format 'xml'")


def test_docs_tsv_names_the_letters(runner, imported):
    lines = runner.invoke(app, ["docs", "--format", "tsv"]).stdout.splitlines()
    assert lines[0].startswith("id\tfile\ttitle") and {line.split("\t")[1] for line in lines[1:]} == {ECON_FILE, EDU_FILE}


def test_a_narrow_terminal_keeps_the_commitment(runner, imported):
    wide = runner.invoke(app, ["due", "--as-of", "2024-01-01"], env={"COLUMNS": "120"}).stdout
    narrow = runner.invoke(app, ["due", "--as-of", "2024-01-01"], env={"COLUMNS": "40"}).stdout
    assert "Letter" in wide and "When" in wide and "Owner" in wide
    assert "Commitment" in narrow and "When" not in narrow and "Letter" not in narrow
    assert "Due" in narrow and "2024-06-16" in narrow  # the date stays: a due list without dates says little
    assert "培训班" in narrow.replace("\n", "").replace(" ", "")
    from ouhai_tracker.render.grid import width

    table = [line for line in narrow.splitlines() if not line.startswith(("*", "…"))]
    assert max(width(line) for line in table) <= 40


# ---- one filter set ----------------------------------------------------------------------------

def ids(runner, *args) -> list[int]:
    return [r["id"] for r in as_json(runner, *args)]


def test_list_sort_limit_outcome_year(runner, imported):
    assert ids(runner, "list", "--sort", "id") == list(range(1, 9))
    assert ids(runner, "list", "--sort", "id", "--limit", "3") == [1, 2, 3]
    owners = [r["owner"] for r in as_json(runner, "list", "--sort", "owner")]
    assert owners == sorted(owners, key=lambda name: name.encode("gb18030"))  # pinyin order
    assert ids(runner, "list", "--year", "2024", "--sort", "id") == [7, 8]
    runner.invoke(app, ["rate", "4", "--outcome", "in-the-works"])
    assert ids(runner, "list", "--outcome", "in-the-works") == [4]
    bad = runner.invoke(app, ["list", "--sort", "random"])
    assert bad.exit_code == 2 and "bad --sort 'random'" in bad.stderr


def test_doc_matches_file_title_or_number(runner, imported):
    assert set(ids(runner, "list", "--doc", "edu")) == {7, 8}
    assert set(ids(runner, "list", "--doc", "新市民子女")) == {7, 8}  # the title
    assert set(ids(runner, "list", "--doc", "数字化人才")) == set(range(1, 7))


def test_due_takes_the_filters_of_list(runner, imported):
    assert ids(runner, "due", "--kind", "recurring") == [6, 8]
    assert ids(runner, "due", "--search", "入学") == [7, 8]
    assert ids(runner, "due", "--overdue", "--as-of", "2024-01-01") == [5]  # the quarterly one rolled forward
    bad = runner.invoke(app, ["due", "--status", "done"])
    assert bad.exit_code == 2 and "No such option: --status" in bad.stderr


def test_export_report_stats_and_calendar_are_narrowed_alike(runner, imported, tmp_path):
    everything = json.loads(runner.invoke(app, ["export", "--format", "json"]).stdout)["tables"]
    narrowed = json.loads(runner.invoke(app, ["export", "--format", "json", "--dept", "教育局"]).stdout)["tables"]
    assert len(everything["commitments"]) == 8
    assert {c["id"] for c in narrowed["commitments"]} == {7, 8}
    assert [letter["file"] for letter in narrowed["letters"]] == [EDU_FILE]
    assert {e["commitment_id"] for e in narrowed["events"]} == {7, 8}
    assert {p["commitment_id"] for p in narrowed["commitment_partners"]} == {8}

    report = json.loads(runner.invoke(app, ["report", "--format", "json", "--search", "入学"]).stdout)
    assert report["total"]["promised"] == 2
    stats = json.loads(runner.invoke(app, ["stats", "--json", "--kind", "recurring"]).stdout)
    assert stats["total"]["promised"] == 2

    calendar = runner.invoke(app, ["export", "--format", "ics", "--kind", "date"]).stdout
    assert calendar.count("BEGIN:VEVENT") == 2  # 修订 (2024-12-31) and 积分入学 (2024-08-31)
