"""`tracker depts / policies / docs`: counts for people, the contract's fields for scripts."""
from __future__ import annotations

import json

from ouhai_tracker.cli import app


def as_json(runner, command: str) -> list[dict]:
    result = runner.invoke(app, [command, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_policies_json(runner, imported):
    rows = {p["title"]: p for p in as_json(runner, "policies")}
    assert rows["温州市瓯海区高层次人才和企业人才子女入学管理办法"] == {
        "title": "温州市瓯海区高层次人才和企业人才子女入学管理办法", "doc_number": "瓯教〔2022〕5号",
        "issuer": None, "year": 2022, "documents": ["L_edu.txt"], "commitments": 1}


def test_docs_json(runner, imported):
    econ = next(d for d in as_json(runner, "docs") if d["file"] == "L_econ.txt")
    assert econ == {**econ, "title": "关于加强数字化人才体系建设的提案", "replying_unit": "温州市瓯海区经济和信息化局",
                    "date": "2023-06-16", "proposers": ["余晓平", "麻胜芝"], "session": "区政协十届二次会议",
                    "contact_name": None, "contact_phone": None, "commitments": 6}


def test_depts_json_and_table(runner, imported):
    rows = {d["name"]: d for d in as_json(runner, "depts")}
    assert "工商联" in rows["区工商业联合会"]["aliases"] and rows["区工商业联合会"]["partner_in"] == 1
    out = runner.invoke(app, ["depts"], env={"COLUMNS": "200"}).stdout
    assert "区经济和信息化局" in out and "区工商业联合会" in out


def test_tables_on_an_empty_database(runner, empty_db):
    for command, message in [("docs", "No letters yet"), ("policies", "No policies yet"),
                             ("depts", "No departments yet")]:
        result = runner.invoke(app, [command])
        assert result.exit_code == 0 and message in result.stdout
    assert as_json(runner, "docs") == []
