"""Contact names and phone numbers leave the tracker only with --with-contacts: `docs --json`,
`show` and `show --json` keep the keys with null values and mask the contacts in the letter's
text and the history, as `export` does."""
from __future__ import annotations

import json

import pytest

import conftest
from ouhai_tracker.cli import app
from ouhai_tracker.tracker import Tracker

MASKED_NAME, MASKED_PHONE = "＊" * 3, "＊" * 8


@pytest.fixture
def contact_near_a_promise(db, tmp_path) -> int:
    """The econ letter with its contact line in the paragraph of its quarterly promise; that promise's id."""
    text = conftest.ECON_TEXT.replace("人才密度调研。\n", "人才密度调研。联系人:梅建中,联系电话:88502273。\n")
    folder = tmp_path / "near"
    folder.mkdir()
    (folder / conftest.ECON_FILE).write_text(text, encoding="utf-8")
    assert [r.status for r in Tracker(db).import_paths([folder])] == ["added"]
    return conftest.ids_by_text(db)["每季度对规上企业进行人才密度调研"]


def test_docs_json_has_null_contacts_unless_asked(runner, imported):
    plain = {d["file"]: d for d in json.loads(runner.invoke(app, ["docs", "--json"]).stdout)}
    assert (plain["L_econ.txt"]["contact_name"], plain["L_econ.txt"]["contact_phone"]) == (None, None)
    assert "梅建中" not in json.dumps(plain, ensure_ascii=False)
    full = {d["file"]: d for d in json.loads(runner.invoke(app, ["docs", "--json", "--with-contacts"]).stdout)}
    assert (full["L_econ.txt"]["contact_name"], full["L_econ.txt"]["contact_phone"]) == ("梅建中", "88502273")
    assert set(plain["L_econ.txt"]) == set(full["L_econ.txt"])  # the same keys either way


@pytest.mark.parametrize("value, shown", [("1", True), ("true", True), ("0", False), ("", False)])
def test_contacts_by_default_only_where_the_environment_asks(runner, imported, value, shown):
    # TRACKER_WITH_CONTACTS=1: a desk that always works with the contacts gives --with-contacts once.
    docs = {d["file"]: d for d in json.loads(
        runner.invoke(app, ["docs", "--json"], env={"TRACKER_WITH_CONTACTS": value}).stdout)}
    assert (docs["L_econ.txt"]["contact_name"] == "梅建中") is shown
    exported = json.loads(runner.invoke(app, ["export", "--format", "json"], env={"TRACKER_WITH_CONTACTS": value}).stdout)
    assert ("88502273" in json.dumps(exported, ensure_ascii=False)) is shown


def test_docs_masks_contacts_in_members_notes(runner, imported):
    assert runner.invoke(app, ["feedback", "L_edu.txt", "--rating", "不满意",
                               "--note", "联系人梅建中电话88502273未回复"]).exit_code == 0
    plain = {d["file"]: d for d in json.loads(runner.invoke(app, ["docs", "--json"]).stdout)}
    assert plain["L_edu.txt"]["feedback_note"] == f"联系人{MASKED_NAME}电话{MASKED_PHONE}未回复"
    full = {d["file"]: d for d in json.loads(runner.invoke(app, ["docs", "--json", "--with-contacts"]).stdout)}
    assert full["L_edu.txt"]["feedback_note"] == "联系人梅建中电话88502273未回复"


def test_show_json_has_null_contacts_and_masks_paragraph_and_sentence(runner, contact_near_a_promise):
    shown = json.loads(runner.invoke(app, ["show", str(contact_near_a_promise), "--json"]).stdout)
    assert (shown["letter"]["contact_name"], shown["letter"]["contact_phone"]) == (None, None)
    assert f"联系人:{MASKED_NAME},联系电话:{MASKED_PHONE}。" in shown["paragraph"]
    assert "梅建中" not in json.dumps(shown, ensure_ascii=False) and "88502273" not in json.dumps(shown)
    start, end = shown["highlight"]
    assert shown["paragraph"][start:end] == shown["text"]  # masking keeps the offsets
    full = json.loads(runner.invoke(app, ["show", str(contact_near_a_promise), "--json", "--with-contacts"]).stdout)
    assert (full["letter"]["contact_name"], full["letter"]["contact_phone"]) == ("梅建中", "88502273")
    assert "联系人:梅建中,联系电话:88502273。" in full["paragraph"]


def test_show_masks_contacts_on_screen_and_in_notes(runner, contact_near_a_promise):
    cid = str(contact_near_a_promise)
    assert runner.invoke(app, ["edit", cid, "--note", "已电话联系梅建中"]).exit_code == 0
    out = runner.invoke(app, ["show", cid], env={"COLUMNS": "200"}).stdout
    assert "梅建中" not in out and "88502273" not in out
    assert f"已电话联系{MASKED_NAME}" in out
    full = runner.invoke(app, ["show", cid, "--with-contacts"], env={"COLUMNS": "200"}).stdout
    assert "联系人:梅建中" in full and "已电话联系梅建中" in full
