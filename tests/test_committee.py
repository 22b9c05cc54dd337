"""What a committee reads: one letter (`docs ID`), one department's sheet (`report --dept`, also as
a Word document), honest overdue counts (written apart from inferred) and a timeline that spans
every due date. All through the command line, as a member or the department's staff use it."""
from __future__ import annotations

import json
import re

import pytest

from conftest import ECON_FILE, EDU_FILE
from ouhai_tracker.cli import app

AS_OF = "2025-03-01"
TITLE = "关于加强数字化人才体系建设的提案"


def run(runner, *args, lang: str = "en") -> str:
    result = runner.invoke(app, list(args), env={"TRACKER_LANG": lang, "COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.fixture
def followed(runner, imported):
    """#4 (a date the letter wrote) kept with a note, #2 partly kept with evidence. As of AS_OF:
    #7 is overdue by a date its letter wrote (2024年9月开学前), #1, #2 and #5 by inferred ones."""
    run(runner, "done", "4", "--note", "指南已修订印发", "--on", "2024-05-01")
    run(runner, "rate", "2", "--outcome", "partly-kept", "--evidence", "https://www.example.gov.cn/art/2024/6/1",
        "--note", "已举办两期", "--on", "2024-06-01")
    return imported


def report_json(runner, *args) -> dict:
    return json.loads(run(runner, "report", "--as-of", AS_OF, "--format", "json", *args))


# ---- honest numbers ---------------------------------------------------------------------------

def test_overdue_is_counted_apart_by_where_its_date_came_from(runner, followed, tmp_path):
    total = report_json(runner)["total"]
    assert (total["overdue"], total["overdue_written"], total["overdue_inferred"]) == (4, 1, 3)

    page = run(runner, "report", "--as-of", AS_OF, "--format", "html")
    tiles = dict((label, int(n)) for n, label in re.findall(r'<div class="tile"><b>(\d+)</b><span>([^<]+)</span>', page))
    assert tiles["Overdue, date written"] == 1 and tiles["Overdue, date inferred"] == 3
    assert "Overdue" not in tiles  # no tile adds the two up

    stats = json.loads(run(runner, "stats", "--as-of", AS_OF, "--json"))["total"]
    assert (stats["overdue_written"], stats["overdue_inferred"]) == (1, 3)
    table = run(runner, "stats", "--as-of", AS_OF)
    assert "Overdue*" in table and "Overdue*: past a date inferred by a default rule" in table
    tsv = run(runner, "stats", "--as-of", AS_OF, "--format", "tsv").splitlines()
    assert tsv[0].split("\t")[3:6] == ["overdue", "overdue_written", "overdue_inferred"]

    from openpyxl import load_workbook

    book = tmp_path / "book.xlsx"
    run(runner, "export", "--format", "xlsx", "--output", str(book))
    heads = [c.value for c in load_workbook(book)["部门得分"][1]]
    assert "逾期·期限写明\noverdue, date written" in heads and "逾期·期限推定\noverdue, date inferred" in heads


def test_the_timeline_spans_every_due_date_whatever_the_span(runner, followed, tmp_path):
    run(runner, "edit", "5", "--due", "2012-01-31")
    run(runner, "edit", "1", "--due", "2026-12-31")
    months = [m["month"] for m in report_json(runner)["timeline"]]
    assert months[0] == "2012-01" and months[-1] == "2026-12" and len(months) == 15 * 12
    page = run(runner, "report", "--as-of", AS_OF, "--format", "html")
    assert "<title>2026-12: 1 open</title>" in page and "<title>2012-01: 1 overdue, date written</title>" in page

    from openpyxl import load_workbook

    book = tmp_path / "book.xlsx"
    run(runner, "export", "--format", "xlsx", "--output", str(book))
    timeline = [row[0] for row in load_workbook(book)["到期时间线"].iter_rows(min_row=2, values_only=True) if row[0]]
    assert timeline[0].strftime("%Y-%m") == "2012-01" and timeline[-1].strftime("%Y-%m") == "2026-12"


# ---- one letter -------------------------------------------------------------------------------

def test_docs_shows_one_letter_with_all_its_promises(runner, followed):
    out = run(runner, "docs", ECON_FILE, "--as-of", AS_OF, "--format", "table")
    lines = out.splitlines()
    assert lines[0] == f"《{TITLE}》"
    assert "温州市瓯海区经济和信息化局" in lines[1] and "2023-06-16" in lines[1] and "members’ rating: not yet given" in lines[1]
    assert "6 promises, 1 kept; overdue: 0 by a date the letter wrote, 3 by an inferred date" in out
    assert "指南已修订印发" in out and "https://www.example.gov.cn/art/2024/6/1" in out and "已举办两期" in out
    assert "2024-06-16*" in out and "* inferred from a default rule" in out

    by_id = run(runner, "docs", "1", "--as-of", AS_OF, "--format", "table")
    assert by_id.splitlines()[0] == f"《{TITLE}》"

    letter = json.loads(run(runner, "docs", ECON_FILE, "--as-of", AS_OF, "--json"))
    assert letter["title"] == TITLE and [c["id"] for c in letter["commitments"]] == [1, 2, 3, 4, 5, 6]
    partly = letter["commitments"][1]
    assert partly["outcome"] == "partly-kept" and partly["due_inferred"] is True
    assert partly["evidence"] == [{"on": "2024-06-01", "outcome": "partly-kept",
                                   "source": "https://www.example.gov.cn/art/2024/6/1", "note": "已举办两期"}]
    assert letter["commitments"][3]["notes"] == [{"on": "2024-05-01", "action": "done", "note": "指南已修订印发"}]
    assert letter["contact_name"] is None  # contacts only with --with-contacts

    piped = run(runner, "docs", EDU_FILE, "--as-of", AS_OF, "--format", "tsv").splitlines()
    assert piped[0].split("\t") == ["id", "due", "status", "outcome", "owner", "commitment", "follow_up"]
    assert [line.split("\t")[0] for line in piped[1:]] == ["7", "8"]


def test_docs_of_an_unknown_letter_is_one_line(runner, followed):
    result = runner.invoke(app, ["docs", "L99.txt"])
    assert result.exit_code == 1 and result.stderr.startswith("tracker: error: no letter matches 'L99.txt'")


def test_html_report_has_a_section_per_letter_linked_from_the_scorecard(runner, followed):
    page = run(runner, "report", "--as-of", AS_OF, "--format", "html")
    sections = re.findall(r'<section class="letter" id="letter-(\d+)"><div class="keep"><h3>([^<]+)</h3>', page)
    assert sections == [("1", f"《{TITLE}》"), ("2", "《关于改善新市民子女入学的建议》")]
    scorecard = page[page.index('<table class="cards scorecard">'):]
    scorecard = scorecard[:scorecard.index("</table>")]
    assert '<a href="#letter-1">' in scorecard and '<a href="#letter-2">' in scorecard
    letter = page[page.index('id="letter-1"'):page.index('id="letter-2"')]
    assert "指南已修订印发" in letter and "https://www.example.gov.cn/art/2024/6/1" in letter
    assert letter.count("<tr>") == 6 + 1  # every promise of it, and its header row


def test_each_promise_is_printed_once_and_letters_by_title(runner, followed):
    page = run(runner, "report", "--as-of", AS_OF, "--format", "html")
    overdue = page[page.index("Overdue, by a date inferred (not written in the letter)"):page.index("Letters for a second")]
    assert overdue.count("住建局牵头在谋划制定企业人才购房的相关政策") == 1  # the promise, bold in its sentence
    assert f"《{TITLE}》</a>" in overdue and ECON_FILE not in overdue


# ---- one department ---------------------------------------------------------------------------

def test_report_dept_is_the_departments_accountability_sheet(runner, followed):
    md = run(runner, "report", "--as-of", AS_OF, "--dept", "经信局")
    assert md.startswith("# Commitments of 经信局: what became of them\n")
    assert ("6 promises (5 as the owner): 1 kept, 1 partly kept, 4 not yet kept: 0 overdue by a date the letter "
            "wrote, 1 overdue by an inferred date, 1 waiting on a condition, 2 not yet due.") in md
    headings = re.findall(r"^## (.+)$", md, re.M)
    assert headings[:5] == ["一、Kept（1）", "二、Partly kept（1）",
                            "三、Overdue, by a date inferred (not written in the letter)（1）",
                            "四、Waiting on a condition（1）", "五、Open, not yet due（2）"]
    kept = md[md.index("一、Kept"):md.index("二、Partly kept")]
    assert "#4" in kept and "2024-05-01 指南已修订印发" in kept
    partly = md[md.index("二、Partly kept"):md.index("三、")]
    assert "https://www.example.gov.cn/art/2024/6/1" in partly and "已举办两期" in partly
    # #8 is the education bureau's, 经信局 takes part: the sheet says so
    assert "区教育局 (partner: 区经济和信息化局)" in md[md.index("五、Open"):]

    sheet = report_json(runner, "--dept", "经信局")["sheet"]
    assert {g["key"]: [r["id"] for r in g["promises"]] for g in sheet["groups"]} == {
        "kept": [4], "partly-kept": [2], "broken": [], "overdue-written": [], "overdue-inferred": [1],
        "conditional": [3], "open": [6, 8]}


def test_the_sheet_in_chinese_reads_as_a_department_writes_it(runner, followed):
    md = run(runner, "report", "--as-of", AS_OF, "--dept", "教育局", lang="zh")
    assert md.startswith("# 教育局承诺事项落实情况\n")
    assert "承诺2项（其中牵头负责2项），已兑现0项，部分兑现0项，尚未兑现2项：超过答复函写明期限1项" in md
    assert "## 一、超过答复函写明的期限（1）" in md


def test_report_as_a_word_document(runner, followed, tmp_path):
    from docx import Document
    from docx.oxml.ns import qn

    path = tmp_path / "经信局.docx"
    result = runner.invoke(app, ["report", "--as-of", AS_OF, "--dept", "经信局", "--format", "docx",
                                 "--output", str(path)], env={"TRACKER_LANG": "zh"})
    assert result.exit_code == 0 and result.stdout.strip() == f"报告已写入 {path}"
    document = Document(str(path))
    texts = [(p.style.name, p.text) for p in document.paragraphs]
    assert texts[0] == ("Title", "经信局承诺事项落实情况")
    assert texts[2][1].startswith("承诺6项（其中牵头负责5项），已兑现1项，部分兑现1项")
    headings = [text for style, text in texts if style == "Heading 1"]
    assert headings[:2] == ["一、已兑现（1）", "二、部分兑现（1）"]
    kept = document.tables[0]
    assert [c.text for c in kept.rows[0].cells][:4] == ["编号", "承诺事项", "责任单位", "期限"]
    assert kept.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None  # repeated on every page
    assert kept.rows[1].cells[0].text == "#4" and "指南已修订印发" in kept.rows[1].cells[6].text


def test_a_word_document_needs_an_output_file(runner, followed):
    result = runner.invoke(app, ["report", "--format", "docx"])
    assert result.exit_code == 2 and "--output" in result.stderr
