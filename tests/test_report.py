"""`tracker report` (md / html / json) and `tracker stats`: scorecard, timeline, overdue list, second replies."""
from __future__ import annotations

import dataclasses
import json
import re

import pytest

import conftest
from ouhai_tracker.cli import app

AS_OF = "2024-07-01"


@pytest.fixture
def followed(runner, imported):
    """Some promises kept, rated, rejected; one letter rated 不满意."""
    runner.invoke(app, ["done", "4", "--on", "2024-05-01"])
    runner.invoke(app, ["rate", "2", "--outcome", "stalled", "--on", "2024-06-01"])
    runner.invoke(app, ["review", "--order", "letter", "--limit", "1"], input="r\n")  # rejects #1
    runner.invoke(app, ["feedback", "L_edu.txt", "--rating", "不满意", "--note", "积分办法未公开"])
    return imported


def report(runner, *args) -> str:
    result = runner.invoke(app, ["report", "--as-of", AS_OF, *args])
    assert result.exit_code == 0, result.output
    return result.stdout


def test_json_scorecard_counts(runner, followed):
    data = json.loads(report(runner, "--format", "json"))
    rows = {r["department"]: r for r in data["scorecard"]}
    econ = rows["区经济和信息化局"]  # 2..4 and 6 (1 was rejected)
    assert (econ["promised"], econ["kept"], econ["stalled"], econ["not_yet_rated"]) == (4, 1, 1, 2)
    # 2 (2024-06-16) is overdue; 6 (每季度, stored 2023-06-30) rolled on to its current quarter; 3 waits.
    assert econ["overdue"] == 1 and econ["conditional"] == 1
    assert (rows["区住房和城乡建设局"]["promised"], rows["区住房和城乡建设局"]["overdue"]) == (1, 1)
    assert data["total"]["promised"] == 7 and data["total"]["kept"] == 1
    assert [d["file"] for d in data["second_reply"]] == ["L_edu.txt"]
    assert data["unreviewed"] == 7
    months = {m["month"]: m for m in data["timeline"]}
    assert months["2024-12"] == {"month": "2024-12", "kept": 1, "open": 1, "overdue": 0, "overdue_written": 0,
                                 "overdue_inferred": 0}
    # Both overdue ones were given their dates by a default rule (下一步, 近期), none by the letter.
    assert (econ["overdue_written"], econ["overdue_inferred"]) == (0, 1)
    assert (data["total"]["overdue"], data["total"]["overdue_written"], data["total"]["overdue_inferred"]) == (2, 0, 2)
    assert months["2023-09"]["overdue_inferred"] == 1
    assert months["2023-09"]["overdue"] == 1 and "2023-11" in months  # empty months kept, so gaps show
    assert [r["id"] for r in data["overdue"]] == [5, 2]  # longest overdue first
    assert months["2024-09"]["open"] == 1  # 6, due at the end of the quarter containing the as-of day


def test_markdown_report(runner, followed):
    md = report(runner)  # md is the default
    assert md.startswith("# Commitments report\n")
    assert "| 区经济和信息化局 | 4 | 1 | 0 | 0 | 1 | 0 | 2 | 0 | 1 | 1 |" in md
    assert "| 合计 (all) | 7 |" in md
    assert "## 二、Timeline of due dates" in md and "| 2024-12 | 1 | 1 | 0 | 0 |" in md
    assert "## 三、Overdue, by a date the letter wrote（0）" in md
    assert "## 四、Overdue, by a date inferred (not written in the letter)（2）" in md
    # the promise once, in bold inside its sentence; the letter by its title
    assert ("**#5** 区住建局, due 2023-09-16 (inferred), 289 days overdue (not-yet-rated): "
            "近期**住建局牵头在谋划制定企业人才购房的相关政策**。 — 《关于加强数字化人才体系建设的提案》") in md
    assert "- 《关于改善新市民子女入学的建议》, 区教育局 — 积分办法未公开" in md


def test_filters_by_department_and_year(runner, followed):
    data = json.loads(report(runner, "--format", "json", "--dept", "住建局"))
    assert [r["department"] for r in data["scorecard"]] == ["区住房和城乡建设局"] and data["letters"] == 1
    data = json.loads(report(runner, "--format", "json", "--year", "2024"))
    assert [r["department"] for r in data["scorecard"]] == ["区教育局"] and data["total"]["promised"] == 2
    assert json.loads(report(runner, "--format", "json", "--year", "2020"))["scorecard"] == []
    assert "## 一、Scorecard" in report(runner, "--year", "2020")


def test_html_report_is_self_contained(runner, followed, tmp_path):
    path = tmp_path / "回头看.html"
    result = runner.invoke(app, ["report", "--as-of", AS_OF, "--format", "html", "--output", str(path)])
    assert result.exit_code == 0 and str(path) in result.stdout
    page = path.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and page.count("<svg") == 2
    assert 'id="scorecard-chart"' in page and 'id="timeline-chart"' in page and "<rect" in page
    # Nothing fetched: no scripts, stylesheets, images, fonts or links to load.
    assert not re.search(r"<script|<link|<img|<iframe|@import|url\(|src=", page, re.I)
    assert set(re.findall(r"https?://[^\s\"']+", page)) == {"http://www.w3.org/2000/svg"}


def test_html_escapes_letter_text(runner, db, letters_dir, monkeypatch):
    from ouhai_tracker.tracker import Tracker

    def hostile(text):
        facts = conftest.econ_facts(text)
        facts.meta = dataclasses.replace(facts.meta, title="<script>alert('title')</script>")
        first = facts.commitments[4]  # 住建局, overdue: its clause and sentence reach the report
        text = first.text + "<img src=x onerror=alert(1)>"
        facts.commitments[4] = dataclasses.replace(first, text=text,
                                                   sentence="<b>&amp;</b>" + first.sentence.replace(first.text, text))
        return facts

    monkeypatch.setitem(conftest.BUILDERS, conftest.ECON_FILE, hostile)
    Tracker(db).import_paths([letters_dir])
    from typer.testing import CliRunner

    runner = CliRunner()
    runner.invoke(app, ["feedback", "L_econ.txt", "--rating", "不满意", "--note", "</td><script>x</script>"])
    page = runner.invoke(app, ["report", "--as-of", AS_OF, "--format", "html"]).stdout
    assert "<script" not in page and "<img" not in page and "<b>&" not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page and "&lt;b&gt;&amp;amp;&lt;/b&gt;" in page
    assert "&lt;script&gt;alert(&#x27;title&#x27;)&lt;/script&gt;" in page
    assert "&lt;/td&gt;&lt;script&gt;x&lt;/script&gt;" in page


def test_stats_shows_the_scorecard_with_bars(runner, followed):
    result = runner.invoke(app, ["stats", "--as-of", AS_OF], env={"COLUMNS": "100"})
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "Scorecard, as of 2024-07-01" in out and "区经信局" in out and "合计" in out
    assert "█" in out and "░" in out and "·" in out  # kept, stalled, not yet rated
    line = next(l for l in out.splitlines() if "区经信局" in l)
    assert re.search(r"区经信局\s+4\s+1\s+0\s+1\s+1\s+2\s", line), line  # overdue: 0 written, 1 inferred
    data = json.loads(runner.invoke(app, ["stats", "--as-of", AS_OF, "--json"]).stdout)
    assert data["total"]["promised"] == 7


def test_report_errors_are_one_line(runner, followed, tmp_path):
    for args, message, code in [(["report", "--format", "pdf"], "bad --format 'pdf': expected md, html, docx or json", 2),
                                (["report", "--as-of", "July"], "bad --as-of 'July'", 2),
                                (["report", "--output", str(tmp_path / "no" / "r.md")], "cannot write", 1),
                                (["stats", "--as-of", "x"], "bad --as-of 'x'", 2)]:
        result = runner.invoke(app, args)
        assert result.exit_code == code and result.stderr.startswith("tracker: error: ") and message in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1
    bad_year = runner.invoke(app, ["report", "--year", "24"])  # a number out of range: a usage error
    assert bad_year.exit_code == 2 and "Invalid value for '--year'" in bad_year.stderr


def test_empty_database(runner, empty_db):
    assert "Nothing is overdue." in runner.invoke(app, ["report"]).stdout
    assert "No commitments to count." in runner.invoke(app, ["stats"]).stdout
    assert "<svg" not in runner.invoke(app, ["report", "--format", "html"]).stdout
