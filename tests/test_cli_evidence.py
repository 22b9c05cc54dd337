"""What became of each promise, through the CLI: `import --evidence` of later documents (a
reply stored as a letter, a work summary as evidence), `evidence` (the contract's --json),
`review --evidence` (accept, reject, change; undo), re-import, promises made again (`show`,
`list --repeated`, the report), and bad input stored, not refused. The fixtures are invented
later documents in the genre's shapes, read by the real extraction."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import fresh_database, run_counting_modules, sqlite_only

import ouhai_tracker.extract
from ouhai_tracker.cli import app
from ouhai_tracker.extract.pipeline import run as real_extraction
from ouhai_tracker.store import fastread, fastwrite
from ouhai_tracker.tracker import Tracker

FIXTURES = Path(__file__).parent / "fixtures" / "evidence"
CONTRACT = {"commitment", "document", "evidence", "outcome", "confidence"}


@pytest.fixture(autouse=True)
def real(monkeypatch):
    monkeypatch.setattr(ouhai_tracker.extract, "extract_letter",
                        lambda text, name="", settings=None, fallbacks=None: real_extraction(
                            text, name, settings, fallbacks or {}))


def ok(runner, *args: str, input: str | None = None):
    result = runner.invoke(app, list(args), input=input, env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    return result


@pytest.fixture
def later(tmp_path) -> Path:
    folder = tmp_path / "later"
    folder.mkdir()
    for name in ("summary_songling.txt", "reply_songling.txt"):
        shutil.copy(FIXTURES / name, folder / name)
    return folder


@pytest.fixture
def earlier(db, runner) -> str:
    ok(runner, "import", "--jobs", "1", str(FIXTURES / "earlier_songling.txt"))
    return db


def links(runner, *args: str) -> list[dict]:
    return json.loads(ok(runner, "evidence", "--json", *args).stdout)


def commitment_id(runner, text: str) -> int:
    rows = json.loads(ok(runner, "list", "--status", "all", "--json").stdout)
    return next(r["id"] for r in rows if text in r["text"])


def test_import_evidence_stores_a_summary_and_a_reply_and_proposes_links(earlier, runner, later):
    out = ok(runner, "import", "--evidence", "--jobs", "1", str(later)).stdout
    assert "reply_songling.txt: reply letter, added; 3 links proposed" in out
    assert "summary_songling.txt: evidence document, added; 5 links proposed" in out
    assert "2 files: 1 reply letters, 1 evidence documents; 8 links proposed" in out
    found = links(runner)
    assert all(CONTRACT <= set(row) for row in found)
    by_sentence = {(row["document"], row["evidence"][:12]): row for row in found}
    kept = by_sentence[("summary_songling.txt", "桂花街道居家养老服务中心")]
    assert kept["outcome"] == "kept" and kept["commitment"] == commitment_id(runner, "桂花街道")
    assert 0 < kept["confidence"] <= 1
    assert {row["outcome"] for row in found if row["document"] == "reply_songling.txt"} == {"kept", "repeated"}
    assert not any("枫林区" in row["evidence"] or "全市养老护理员" in row["evidence"] for row in found)
    # the summary is no letter: no promises of its own; the reply is one, with its own
    docs = json.loads(ok(runner, "docs", "--json").stdout)
    assert {d["file"] for d in docs} == {"earlier_songling.txt", "reply_songling.txt"}


@sqlite_only
def test_linking_into_a_sqlite_file_loads_no_sqlalchemy_and_stores_what_sqlalchemy_would(
        earlier, runner, tmp_path, monkeypatch):
    # One more document into a large database must not wait for SQLAlchemy to load: on a SQLite
    # file the same linking code runs the same statements through the standard library.
    summary = str(FIXTURES / "summary_songling.txt")
    printed, loaded = run_counting_modules(["import", "--evidence", "--jobs", "1", summary])
    assert "summary_songling.txt: evidence document, added; 5 links proposed" in printed
    assert loaded == []
    by_stdlib = links(runner, "--state", "all")
    with fresh_database(tmp_path / "other.db") as other:
        monkeypatch.setenv("TRACKER_DB", other)
        ok(runner, "import", "--jobs", "1", str(FIXTURES / "earlier_songling.txt"))
        monkeypatch.setattr(fastwrite, "link", lambda db, work: None)  # SQLAlchemy's path
        ok(runner, "import", "--evidence", "--jobs", "1", summary)
        assert links(runner, "--state", "all") == by_stdlib


def test_evidence_table_shows_the_promise_beside_the_sentence(earlier, runner, later):
    ok(runner, "import", "--evidence", "--jobs", "1", str(later / "summary_songling.txt"))
    out = ok(runner, "evidence", "--dept", "民政局").stdout
    assert out.startswith("summary_songling.txt · 2024-01-20 · 青溪市松岭区民政局2023年工作总结（节选）")
    row = next(line for line in out.splitlines() if "#1 " in line)
    assert "(earlier_songling.txt, 2023-05-10)" in row
    assert "桂花街道居家养老服务中心12月建成投用" in row and row.rstrip().endswith("kept")
    assert ok(runner, "evidence", "--dept", "财政局").stdout.startswith("No links proposed")


def test_accept_rates_with_the_sentence_as_evidence_and_undo_takes_it_back(earlier, runner, later):
    ok(runner, "import", "--evidence", "--jobs", "1", str(later / "summary_songling.txt"))
    link = next(row for row in links(runner) if row["evidence"].startswith("桂花街道"))
    out = ok(runner, "review", "--evidence", "--link", str(link["id"]), "--accept").stdout
    assert f"link #{link['id']}: accepted as kept; #{link['commitment']} rated kept" in out
    shown = json.loads(ok(runner, "show", str(link["commitment"]), "--json").stdout)
    assert shown["outcome"] == "kept" and shown["status"] == "done"
    rated = [e for e in shown["history"] if e["evidence"]]
    assert "summary_songling.txt [" in rated[-1]["evidence"] and link["evidence"] in rated[-1]["evidence"]
    assert rated[-1]["on"] == "2024-01-20"
    ok(runner, "undo", "--yes")
    shown = json.loads(ok(runner, "show", str(link["commitment"]), "--json").stdout)
    assert shown["outcome"] == "not-yet-rated" and shown["status"] == "open"
    assert next(row for row in links(runner) if row["id"] == link["id"])["state"] == "proposed"


def test_change_the_outcome(earlier, runner, later):
    ok(runner, "import", "--evidence", "--jobs", "1", str(later / "summary_songling.txt"))
    link = next(row for row in links(runner) if "推迟至" in row["evidence"])
    assert link["outcome"] == "not_kept"
    out = ok(runner, "review", "--evidence", "--link", str(link["id"]), "--outcome", "partly").stdout
    assert "accepted as partly" in out and "rated partly-kept" in out
    assert next(row for row in links(runner) if row["id"] == link["id"])["outcome"] == "partly"
    bad = runner.invoke(app, ["review", "--evidence", "--link", str(link["id"]), "--outcome", "done"])
    assert bad.exit_code != 0 and "bad outcome 'done'" in bad.output


def test_rejected_links_are_not_proposed_again_on_reimport(earlier, runner, later):
    ok(runner, "import", "--evidence", "--jobs", "1", str(later / "summary_songling.txt"))
    link = links(runner)[0]
    ok(runner, "review", "--evidence", "--link", str(link["id"]), "--reject")
    assert link["id"] not in {row["id"] for row in links(runner)}
    out = ok(runner, "import", "--evidence", "--jobs", "1", str(later / "summary_songling.txt")).stdout
    assert "summary_songling.txt: evidence document, unchanged; 4 links proposed" in out
    again = links(runner)
    assert not any(row["commitment"] == link["commitment"] and row["evidence"] == link["evidence"] for row in again)
    assert [row["state"] for row in links(runner, "--state", "rejected")] == ["rejected"]


def test_a_changed_document_replaces_its_text_and_its_proposals(earlier, runner, later, tmp_path):
    ok(runner, "import", "--evidence", "--jobs", "1", str(later / "summary_songling.txt"))
    before = links(runner)
    changed = tmp_path / "summary_songling.txt"
    text = (later / "summary_songling.txt").read_text(encoding="utf-8")
    changed.write_text("（修订稿）\n" + text, encoding="utf-8")
    out = ok(runner, "import", "--evidence", "--jobs", "1", str(changed)).stdout
    assert "summary_songling.txt: evidence document, updated;" in out
    after = links(runner)
    assert len(after) == len(before) and {row["commitment"] for row in after} == {row["commitment"] for row in before}
    assert all(a["start"] == b["start"] + len("（修订稿）\n") for a, b in zip(after, before))  # offsets in the new text
    assert {row["document_id"] for row in after} == {before[0]["document_id"]}  # the same document, not a second


def test_review_evidence_walks_the_proposals(earlier, runner, later):
    ok(runner, "import", "--evidence", "--jobs", "1", str(later / "summary_songling.txt"))
    out = ok(runner, "review", "--evidence", input="a\nr\nn\nq\n").stdout
    assert "1/5" in out and "Promise #" in out and "Later (summary_songling.txt, 2024-01-20):" in out
    assert "reviewed: 2 accepted, 1 rejected, 0 skipped; 2 proposed links left" in out
    states = [row["state"] for row in links(runner, "--state", "all")]
    assert states.count("accepted") == 2 and states.count("rejected") == 1
    assert ok(runner, "review", "--evidence", "--doc", "nothing-such").stdout.startswith("Nothing to review")


def test_promises_made_again(earlier, runner, later, monkeypatch):
    ok(runner, "import", "--evidence", "--jobs", "1", str(later))
    again = json.loads(ok(runner, "list", "--repeated", "--status", "all", "--json").stdout)
    assert [row["document"] for row in again] == ["reply_songling.txt", "reply_songling.txt"]
    later_id = next(row["id"] for row in again if "助餐" in row["text"])
    shown = ok(runner, "show", str(later_id)).stdout
    assert "Promised before: #" in shown and "earlier_songling.txt (2023-05-10)" in shown
    assert "(proposed, not reviewed)" in shown
    repeated = next(row for row in links(runner) if row["outcome"] == "repeated" and "助餐" in row["evidence"])
    ok(runner, "review", "--evidence", "--link", str(repeated["id"]), "--accept")
    report = json.loads(ok(runner, "report", "--format", "json", "--as-of", "2024-07-01").stdout)
    row = next(r for r in report["scorecard"] if r["department"] == "青溪市松岭区民政局")
    assert row["repeated"] == 1 and row["proposed_links"] >= 1
    assert report["total"]["repeated"] == 1
    # stats reads the scorecard alone: the same rows, links counted alike
    stats = json.loads(ok(runner, "stats", "--json", "--as-of", "2024-07-01").stdout)
    assert stats == {key: report[key] for key in ("as_of", "scorecard", "total")}
    narrowed = json.loads(ok(runner, "report", "--format", "json", "--as-of", "2024-07-01", "--dept", "民政局").stdout)
    stats = json.loads(ok(runner, "stats", "--json", "--as-of", "2024-07-01", "--dept", "民政局").stdout)
    assert stats == {key: narrowed[key] for key in ("as_of", "scorecard", "total")}
    assert stats["total"]["promised"] < report["total"]["promised"]
    # on SQLite stats reads through the stdlib: SQLAlchemy's reading gives the same
    monkeypatch.setattr(fastread, "scorecard", lambda *args: None)
    assert json.loads(ok(runner, "stats", "--json", "--as-of", "2024-07-01", "--dept", "民政局").stdout) == stats


def test_the_report_shows_kept_promises_with_their_evidence(earlier, runner, later, tmp_path):
    ok(runner, "import", "--evidence", "--jobs", "1", str(later / "summary_songling.txt"))
    link = next(row for row in links(runner) if row["evidence"].startswith("桂花街道"))
    ok(runner, "review", "--evidence", "--link", str(link["id"]), "--accept")
    md = ok(runner, "report", "--format", "md", "--as-of", "2024-07-01").stdout
    assert "、Evidence of kept promises" in md
    assert f"> {link['evidence']}" in md and "— summary_songling.txt, 2024-01-20" in md
    assert "links from later documents are not reviewed yet" in md
    page = tmp_path / "report.html"
    ok(runner, "report", "--format", "html", "--as-of", "2024-07-01", "--output", str(page))
    html = page.read_text(encoding="utf-8")
    assert link["evidence"] in html and "Promised again" in html


def test_letter_text_in_evidence_is_escaped(earlier, runner, tmp_path):
    hostile = tmp_path / "summary_hostile.txt"
    hostile.write_text((FIXTURES / "summary_songling.txt").read_text(encoding="utf-8").replace(
        "设日间照料床位40张", "设日间照料床位40张<script>alert(1)</script>[bold]x[/]"), encoding="utf-8")
    ok(runner, "import", "--evidence", "--jobs", "1", str(hostile))
    link = next(row for row in links(runner) if row["evidence"].startswith("桂花街道"))
    ok(runner, "review", "--evidence", "--link", str(link["id"]), "--accept")
    page = tmp_path / "report.html"
    ok(runner, "report", "--format", "html", "--as-of", "2024-07-01", "--output", str(page))
    html = page.read_text(encoding="utf-8")
    assert "<script>alert" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "40张<script>alert(1)</script>[bold]x[/]。" in ok(runner, "evidence", "--format", "tsv").stdout


def test_bad_later_documents_are_stored_and_reported_not_refused(earlier, runner, tmp_path):
    before = ok(runner, "list", "--status", "all", "--json").stdout
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    (tmp_path / "scan.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    (tmp_path / "notes.txt").write_text("会议纪要\n今天天气很好。\n", encoding="utf-8")
    out = ok(runner, "import", "--evidence", "--jobs", "1", str(tmp_path / "empty.txt"), str(tmp_path / "scan.doc"),
             str(tmp_path / "notes.txt")).stdout
    assert "empty.txt: evidence document, added; 0 links proposed (not read: empty file)" in out
    assert "scan.doc: evidence document, added; 0 links proposed (not read:" in out
    assert "notes.txt: evidence document, added; 0 links proposed" in out
    assert ok(runner, "list", "--status", "all", "--json").stdout == before


def test_a_document_that_takes_too_long_to_read_is_stored_and_reported(earlier, runner, tmp_path, monkeypatch):
    import time

    import ouhai_tracker.readers

    real = ouhai_tracker.readers.read_document

    def slow(path, *args, **kwargs):  # the workers are forked: they read with this
        if Path(path).name == "slow.txt":
            time.sleep(30)
        return real(path, *args, **kwargs)

    monkeypatch.setattr(ouhai_tracker.readers, "read_document", slow)
    (tmp_path / "slow.txt").write_text("会议纪要\n今天天气很好。\n", encoding="utf-8")
    (tmp_path / "notes.txt").write_text("会议纪要\n今天天气很好。\n", encoding="utf-8")
    started = time.monotonic()
    out = ok(runner, "import", "--evidence", "--file-timeout", "1", str(tmp_path / "slow.txt"),
             str(tmp_path / "notes.txt")).stdout
    assert time.monotonic() - started < 20
    assert "slow.txt: evidence document, added; 0 links proposed (not read: took longer than 1 s to read" in out
    assert "notes.txt: evidence document, added; 0 links proposed" in out


def test_evidence_options_are_checked(earlier, runner):
    for args, words in ((["evidence", "--state", "maybe"], "bad state 'maybe'"),
                        (["evidence", "--outcome", "done"], "bad outcome 'done'"),
                        (["review", "--evidence", "--link", "1"], "--link needs one of"),
                        (["review", "--evidence", "--link", "99", "--accept"], "no proposed link #99"),
                        (["import", "--evidence", "--dry-run", "x.txt"], "--dry-run and --force do not apply")):
        result = runner.invoke(app, args)
        assert result.exit_code != 0 and words in result.output, result.output


def test_a_plain_import_of_a_follow_up_reply_proposes_links_too(db, runner):
    out = ok(runner, "import", "--jobs", "1", str(FIXTURES / "earlier_songling.txt"),
             str(FIXTURES / "reply_songling.txt")).stdout
    assert "reply_songling.txt: follows up an earlier reply; 3 links proposed to earlier promises" in out
    assert "earlier_songling.txt: follows up" not in out  # a first reply reports on no earlier one
    assert {row["document"] for row in links(runner)} == {"reply_songling.txt"}


@pytest.mark.skipif(not Path("/usr/bin/chromium").exists(), reason="needs Debian's chromium at /usr/bin/chromium")
def test_the_evidence_section_renders_in_chromium(earlier, runner, later, tmp_path):
    """The report as a browser reads it: the evidence table is in the page Chromium built, the
    sentence in its cell as text, and the page is drawn."""
    import subprocess
    import tempfile

    from test_report_chromium import read_png, screenshot

    ok(runner, "import", "--evidence", "--jobs", "1", str(later / "summary_songling.txt"))
    link = next(row for row in links(runner) if row["evidence"].startswith("桂花街道"))
    ok(runner, "review", "--evidence", "--link", str(link["id"]), "--accept")
    page = tmp_path / "report.html"
    ok(runner, "report", "--format", "html", "--as-of", "2024-07-01", "--output", str(page))
    profile = tempfile.mkdtemp(prefix="tracker-chromium-")
    try:
        dom = subprocess.run(["/usr/bin/chromium", "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                              f"--user-data-dir={profile}", "--dump-dom", page.resolve().as_uri()],
                             check=True, capture_output=True, text=True, timeout=120).stdout
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    table = dom[dom.index('<table class="cards evidence">'):]
    table = table[:table.index("</table>")]
    assert f'<div class="sentence">{link["evidence"]}</div>' in table and "summary_songling.txt, 2024-01-20" in table
    width, height, rows = read_png(screenshot(page, tmp_path / "report.png"))
    assert any(len(set(row)) > 1 for row in rows[:400]), "the page is blank"


def test_export_has_the_later_documents_and_every_link(earlier, runner, later, tmp_path):
    ok(runner, "import", "--evidence", "--jobs", "1", str(later))
    proposed = links(runner)
    accepted, rejected = proposed[0], proposed[1]
    ok(runner, "review", "--evidence", "--link", str(accepted["id"]), "--outcome", "partly")
    ok(runner, "review", "--evidence", "--link", str(rejected["id"]), "--reject")
    out = tmp_path / "all.json"
    assert "8 evidence links" in ok(runner, "export", "--output", str(out)).stdout
    tables = json.loads(out.read_text(encoding="utf-8"))["tables"]
    documents = {d["id"]: d for d in tables["evidence_documents"]}
    assert {d["file"] for d in documents.values()} == {"summary_songling.txt", "reply_songling.txt"}
    reply = next(d for d in documents.values() if d["file"] == "reply_songling.txt")
    assert reply["letter_id"] is not None and reply["date"]
    states = {row["id"]: row for row in tables["evidence_links"]}
    assert len(states) == 8  # the rejected one too: it is what keeps it from being proposed again
    assert (states[accepted["id"]]["state"], states[accepted["id"]]["decided_outcome"]) == ("accepted", "partly")
    assert states[accepted["id"]]["outcome"] == accepted["proposed_outcome"]
    assert states[rejected["id"]]["state"] == "rejected"
    assert {row["state"] for row in states.values()} == {"proposed", "accepted", "rejected"}
    for row in states.values():  # the offsets hold in the document's text
        assert documents[row["document_id"]]["text"][row["start"]:row["end"]] == row["sentence"]
    # Under a selection: the links of the commitments selected, and the documents they cite
    narrowed = json.loads(ok(runner, "export", "--search", "桂花街道居家养老").stdout)["tables"]
    guihua = commitment_id(runner, "桂花街道居家养老")
    assert [c["id"] for c in narrowed["commitments"]] == [guihua]
    assert narrowed["evidence_links"] == [row for row in tables["evidence_links"] if row["commitment_id"] == guihua]
    assert narrowed["evidence_links"]
    assert [d["id"] for d in narrowed["evidence_documents"]] == sorted({row["document_id"]
                                                                       for row in narrowed["evidence_links"]})


@sqlite_only  # the stdlib path reads SQLite files only
def test_export_of_everything_is_the_same_without_sqlalchemy(earlier, runner, later, monkeypatch, tmp_path):
    # An export of everything from a SQLite file reads through the stdlib; every table, masked or
    # not, is what the SQLAlchemy path writes (compared as JSON text: the order of keys counts).
    ok(runner, "import", "--evidence", "--jobs", "1", str(later))
    first, second = links(runner)[:2]
    ok(runner, "review", "--evidence", "--link", str(first["id"]), "--outcome", "partly")
    ok(runner, "review", "--evidence", "--link", str(second["id"]), "--reject")
    promise = commitment_id(runner, "桂花街道居家养老")
    ok(runner, "done", str(promise), "--note", "龚晓萍电话56781234确认")  # a note naming a letter's contact
    ok(runner, "rate", str(promise), "--outcome", "kept", "--evidence", "见联系人龚晓萍的说明")
    for contacts in ([], ["--with-contacts"]):
        with monkeypatch.context() as fast_only:  # the stdlib path serves it: no session is opened
            fast_only.setattr(Tracker, "_session", None)
            fast = ok(runner, "export", *contacts).stdout
        with monkeypatch.context() as other_path:
            other_path.setattr(fastread, "export", lambda *args: None)
            assert ok(runner, "export", *contacts).stdout == fast
        assert ("龚晓萍" in fast) == bool(contacts)
    printed, loaded = run_counting_modules(["export", "--format", "csv", "--output", str(tmp_path / "csv")])
    assert "12 history lines, 2 later documents, 8 evidence links" in printed and loaded == []


def test_exported_evidence_is_inert_in_a_spreadsheet_and_masks_contacts(earlier, runner, tmp_path):
    import csv

    hostile = tmp_path / "summary_hostile.txt"
    hostile.write_text((FIXTURES / "summary_songling.txt").read_text(encoding="utf-8")
                       .replace("青溪市松岭区民政局2023年工作总结", "=HYPERLINK(1)青溪市松岭区民政局2023年工作总结", 1)
                       .replace("桂花街道居家养老服务中心12月", "+桂花街道居家养老服务中心12月")
                       + "联系人：王小明，联系电话：88501234\n", encoding="utf-8")
    ok(runner, "import", "--evidence", "--jobs", "1", str(hostile))
    assert any(row["evidence"].startswith("+桂花街道") for row in links(runner))
    folder = tmp_path / "export"
    out = ok(runner, "export", "--format", "csv", "--output", str(folder)).stdout
    assert "1 later documents" in out
    with (folder / "evidence_links.csv").open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert {"commitment_id", "document_id", "start", "end", "sentence", "outcome", "state"} <= set(rows[0])
    assert any(row["sentence"].startswith("'+桂花街道") for row in rows)
    assert not any(row["sentence"].startswith("+") for row in rows)
    with (folder / "evidence_documents.csv").open(encoding="utf-8-sig", newline="") as handle:
        documents = list(csv.DictReader(handle))
    assert documents[0]["title"] == "'=HYPERLINK(1)青溪市松岭区民政局2023年工作总结（节选）"
    assert "88501234" not in documents[0]["text"] and "联系电话：＊＊＊＊＊＊＊＊" in documents[0]["text"]
    assert "88501234" in json.loads(ok(runner, "export", "--with-contacts").stdout)["tables"][
        "evidence_documents"][0]["text"]


def test_doc_filter_takes_percent_and_underscore_as_characters(earlier, runner, tmp_path):
    for name in ("总结_2023.txt", "总结-2023.txt"):
        (tmp_path / name).write_text((FIXTURES / "summary_songling.txt").read_text(encoding="utf-8")
                                     .replace("2023年工作总结", name.removesuffix(".txt")), encoding="utf-8")
        ok(runner, "import", "--evidence", "--jobs", "1", str(tmp_path / name))
    assert {row["document"] for row in links(runner, "--doc", "_")} == {"总结_2023.txt"}
    assert {row["document"] for row in links(runner, "--doc", "总结_")} == {"总结_2023.txt"}
    assert links(runner, "--doc", "%") == []
