"""Re-import is an upsert: identical letters skipped, changed ones updated in place (ids, statuses,
history and a person's corrections kept), dropped promises withdrawn, never deleted; and what a
person teaches the department registry (aliases, merges) survives re-imports."""
from __future__ import annotations

import json

from conftest import BUILDERS, ECON_FILE, ECON_TEXT, econ_facts, ids_by_text
from ouhai_tracker.tracker import Tracker
from ouhai_tracker.cli import app

TRAINING = "我局计划开展专精特新专题培训班"
HOUSING = "住建局牵头在谋划制定企业人才购房的相关政策"
SURVEY = "每季度对规上企业进行人才密度调研"
REVISION = "我局将修订《瓯海区专业技术人才奖补申报指南》"


def corrected_text() -> str:
    """The econ letter corrected: one promise reworded, one dropped, one added."""
    return (ECON_TEXT.replace("我局计划开展专精特新专题培训班", "我局计划开展专精特新专题培训班和数字化研修班")
            .replace("每季度对规上企业进行人才密度调研。", "")
            .replace("最后,感谢", "我局将于年内建成人才服务驿站。\n最后,感谢"))


def corrected_facts(text: str):
    facts = econ_facts(text)
    from conftest import JXJ, commitment
    from ouhai_tracker.extract.model import DATE, Deadline
    from datetime import date

    reworded = commitment(text, "我局计划开展专精特新专题培训班和数字化研修班", JXJ, facts.commitments[0].deadline)
    added = commitment(text, "我局将于年内建成人才服务驿站", JXJ, Deadline(DATE, date(2023, 12, 31), False, "年内"))
    facts.commitments = [reworded, *facts.commitments[1:], added]
    return facts


def test_reimport_upserts_and_summarises(runner, imported, letters_dir, monkeypatch):
    before = ids_by_text(imported)
    Tracker(imported).edit(before[TRAINING], due="2024-03-31", note="agreed at the review")
    Tracker(imported).mark_done([before[HOUSING]], note="政策已出台")
    (letters_dir / ECON_FILE).write_text(corrected_text(), encoding="utf-8")
    monkeypatch.setitem(BUILDERS, ECON_FILE, corrected_facts)

    result = runner.invoke(app, ["import", str(letters_dir)])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        f"{ECON_FILE}: 6 commitments, 1 policies, 3 departments, updated "
        "(1 added, 1 updated, 4 unchanged, 1 withdrawn)",
        "L_edu.txt: 2 commitments, 1 policies, 2 departments, unchanged",
        "2 files: 1 updated, 1 unchanged"]

    rows = {c["text"]: c for c in json.loads(runner.invoke(app, ["list", "--status", "all", "--json"]).stdout)}
    reworded = rows["我局计划开展专精特新专题培训班和数字化研修班"]
    assert reworded["id"] == before[TRAINING] and reworded["due"] == "2024-03-31"  # matched by similarity
    assert rows[HOUSING]["id"] == before[HOUSING] and rows[HOUSING]["status"] == "done"
    assert rows[SURVEY]["id"] == before[SURVEY] and rows[SURVEY]["status"] == "withdrawn"  # kept, not deleted
    assert rows["我局将于年内建成人才服务驿站"]["id"] > max(before.values())
    assert len(rows) == 9
    history = json.loads(runner.invoke(app, ["show", str(before[TRAINING]), "--json"]).stdout)["history"]
    assert [e["action"] for e in history] == ["imported", "edited", "updated"]
    assert history[-1]["old"] == TRAINING
    assert json.loads(runner.invoke(app, ["show", str(before[HOUSING]), "--json"]).stdout)["history"][1]["note"] == "政策已出台"

    again = runner.invoke(app, ["import", str(letters_dir / ECON_FILE)])  # identical now: skipped
    assert again.stdout.strip().endswith("unchanged")


def test_renamed_letter_is_the_same_letter(runner, imported, letters_dir, tmp_path, monkeypatch):
    """Same replying unit, date and title under another file name: updated in place."""
    before = ids_by_text(imported)
    Tracker(imported).mark_done([before[REVISION]])
    renamed = tmp_path / "econ_v2.txt"
    text = ECON_TEXT.replace("每季度对规上企业进行人才密度调研。", "")
    renamed.write_text(text, encoding="utf-8")
    monkeypatch.setitem(BUILDERS, "econ_v2.txt", econ_facts)
    result = runner.invoke(app, ["import", str(renamed)])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("econ_v2.txt: 5 commitments") and "updated" in result.stdout
    assert "0 added, 0 updated, 5 unchanged, 1 withdrawn" in result.stdout
    docs = json.loads(runner.invoke(app, ["docs", "--json"]).stdout)
    assert sorted(d["file"] for d in docs) == ["L_edu.txt", "econ_v2.txt"]  # one letter, newest name
    rows = {c["text"]: c for c in Tracker(imported).find_commitments(status="all")}
    assert rows[REVISION]["status"] == "done" and rows[REVISION]["id"] == before[REVISION]
    assert rows[SURVEY]["status"] == "withdrawn"


def test_withdrawn_promise_comes_back(imported, letters_dir):
    before = ids_by_text(imported)
    (letters_dir / ECON_FILE).write_text(ECON_TEXT.replace("每季度对规上企业进行人才密度调研。", ""), encoding="utf-8")
    Tracker(imported).import_paths([letters_dir / ECON_FILE])
    (letters_dir / ECON_FILE).write_text(ECON_TEXT + "\n", encoding="utf-8")
    [result] = Tracker(imported).import_paths([letters_dir / ECON_FILE])
    assert (result.status, result.updated, result.withdrawn) == ("updated", 1, 0)
    survey = next(c for c in Tracker(imported).find_commitments(status="all") if c["text"] == SURVEY)
    assert survey["id"] == before[SURVEY] and survey["status"] == "open"


def test_hand_set_owner_survives_reimport(imported, letters_dir):
    before = ids_by_text(imported)
    Tracker(imported).edit(before[TRAINING], owner="工商联")
    (letters_dir / ECON_FILE).write_text(ECON_TEXT.replace("最后,", "附件略。\n最后,"), encoding="utf-8")
    [result] = Tracker(imported).import_paths([letters_dir / ECON_FILE])
    assert result.status == "updated"
    training = next(c for c in Tracker(imported).find_commitments(status="all") if c["id"] == before[TRAINING])
    assert training["owner"] == "区工商业联合会"


def test_depts_alias_is_taught_and_used(runner, imported):
    result = runner.invoke(app, ["depts", "alias", "区经信局", "瓯海经信"])
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == "瓯海经信 is now an alias of 区经济和信息化局"
    rows = {d["name"]: d for d in json.loads(runner.invoke(app, ["depts", "--json"]).stdout)}
    assert "瓯海经信" in rows["区经济和信息化局"]["aliases"]
    listed = json.loads(runner.invoke(app, ["list", "--dept", "瓯海经信", "--json"]).stdout)
    assert listed and all(c["owner"] == "区经济和信息化局" or "区经济和信息化局" in c["partners"] for c in listed)
    # An alias another department holds moves, and says so; a department's own name is refused.
    moved = runner.invoke(app, ["depts", "alias", "区住建局", "工商联"])
    assert moved.exit_code == 0 and "moved from 区工商业联合会" in moved.stdout
    refused = runner.invoke(app, ["depts", "alias", "区住建局", "区教育局"])
    assert refused.exit_code == 1 and "tracker depts merge" in refused.stderr
    unknown = runner.invoke(app, ["depts", "alias", "没有这个局", "x"])
    assert unknown.exit_code == 1 and unknown.stderr.startswith("tracker: error: no department matches")


def test_depts_merge_moves_everything_and_survives_reimport(runner, imported, letters_dir):
    before = ids_by_text(imported)
    housing = before[HOUSING]
    result = runner.invoke(app, ["depts", "merge", "区经信局", "住建局"])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("merged 区住房和城乡建设局 into 区经济和信息化局: 1 commitments")
    names = {d["name"]: d for d in json.loads(runner.invoke(app, ["depts", "--json"]).stdout)}
    assert "区住房和城乡建设局" not in names
    assert {"区住房和城乡建设局", "区住建局", "住建局"} <= set(names["区经济和信息化局"]["aliases"])
    shown = json.loads(runner.invoke(app, ["show", str(housing), "--json"]).stdout)
    assert shown["owner"] == "区经济和信息化局" and shown["history"][-1]["action"] == "merged"

    # Extraction still says 区住房和城乡建设局: the person's merge wins on re-import.
    (letters_dir / ECON_FILE).write_text(ECON_TEXT.replace("最后,", "附件略。\n最后,"), encoding="utf-8")
    assert [r.status for r in Tracker(imported).import_paths([letters_dir / ECON_FILE])] == ["updated"]
    names = {d["name"] for d in Tracker(imported).departments()}
    assert "区住房和城乡建设局" not in names
    owner = next(c["owner"] for c in Tracker(imported).find_commitments(status="all") if c["id"] == housing)
    assert owner == "区经济和信息化局"
    same = runner.invoke(app, ["depts", "merge", "经信局", "区经济和信息化局"])
    assert same.exit_code == 1 and "same department" in same.stderr


def test_partner_merge_does_not_duplicate(runner, imported):
    """区教育局 partners 区经信局 in one letter; merging 经信局 into 教育局 must not make it its own partner."""
    result = runner.invoke(app, ["depts", "merge", "区教育局", "区经信局"])
    assert result.exit_code == 0, result.output
    rows = Tracker(imported).find_commitments(status="all")
    assert all(c["owner"] not in c["partners"] for c in rows)
    assert any(c["partners"] == ["区工商业联合会"] and c["owner"] == "区教育局" for c in rows)
