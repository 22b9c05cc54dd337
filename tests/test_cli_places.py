"""Departments with places, end to end on real extraction: --dept by place-qualified name, by short
form (every place, shown with its place), by place alone; docs says where unit and date were read."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

import ouhai_tracker.extract
from ouhai_tracker.cli import app
from ouhai_tracker.extract import extract_letter

SEED = Path(__file__).resolve().parents[1] / "seeds" / "000_f0f5a9deaa56be68.txt"

# Another district's letter, with a page's furniture and no signature: its unit and date come
# from the page's fields.
OTHER_DISTRICT = """当前位置：首页 > 信息公开 > 建议提案
来源：江州市临湖区教育局  发布时间：2023-07-20 09:30
张三委员：
您提出的《关于改进教育工作的提案》收悉，现答复如下：
下一步，我局将会同区经信局于2024年6月底前完成学校布局规划修编。
感谢您对教育工作的关心和支持。
"""


@pytest.fixture
def places(runner, db, tmp_path, monkeypatch):
    monkeypatch.setattr(ouhai_tracker.extract, "extract_letter", extract_letter)
    folder = tmp_path / "letters"
    folder.mkdir()
    (folder / SEED.name).write_text(SEED.read_text(encoding="utf-8"), encoding="utf-8")
    (folder / "linhu.txt").write_text(OTHER_DISTRICT, encoding="utf-8")
    result = runner.invoke(app, ["import", "--jobs", "1", str(folder)])
    assert result.exit_code == 0, result.output
    return db


def listed(runner, *args: str) -> list[dict]:
    result = runner.invoke(app, ["list", "--status", "all", "--json", *args])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_a_place_qualified_name(runner, places):
    rows = listed(runner, "--dept", "瓯海区经信局")
    assert rows and {r["document"] for r in rows} == {SEED.name}
    assert all("温州市瓯海区经济和信息化局" in [r["owner"], *r["partners"]] for r in rows)


def test_another_districts_body_is_not_listed(runner, places):
    rows = listed(runner, "--dept", "临湖区教育局")
    assert [r["owner"] for r in rows] == ["江州市临湖区教育局"] and rows[0]["document"] == "linhu.txt"
    assert listed(runner, "--dept", "临湖区经信局")[0]["partners"] == ["江州市临湖区经信局"]  # as the letter writes it


def test_a_short_form_matches_every_place_and_shows_it(runner, places):
    owners = {r["owner"] for r in listed(runner, "--dept", "教育局")}
    assert owners == {"温州市瓯海区教育局", "江州市临湖区教育局"}
    table = runner.invoke(app, ["list", "--status", "all", "--dept", "教育局"], env={"COLUMNS": "200"}).stdout
    assert "温州市瓯海区教育局" in table and "江州市临湖区教育局" in table


def test_a_place_alone(runner, places):
    assert {r["document"] for r in listed(runner, "--dept", "临湖区")} == {"linhu.txt"}


def test_depts_show_the_place(runner, places):
    depts = {d["name"]: d for d in json.loads(runner.invoke(app, ["depts", "--json"]).stdout)}
    assert depts["江州市临湖区教育局"]["place"] == "江州市临湖区"
    assert depts["温州市瓯海区工商联"]["place"] == "温州市瓯海区"


def test_docs_say_where_unit_and_date_were_read(runner, places):
    docs = {d["file"]: d for d in json.loads(runner.invoke(app, ["docs", "--json"]).stdout)}
    assert (docs[SEED.name]["unit_source"], docs[SEED.name]["date_source"]) == ("signature", "signature")
    other = docs["linhu.txt"]
    assert (other["replying_unit"], other["unit_source"]) == ("江州市临湖区教育局", "page field 来源")
    assert (other["date"], other["date_source"]) == ("2023-07-20", "page field 发布时间")
    table = runner.invoke(app, ["docs"], env={"COLUMNS": "200"}).stdout
    assert "(page field 来源)" in table and "(signature)" in table


# A unit that signs with its full name and goes by a short form of it in the body.
SHORT_IN_BODY = """青山县文化和旅游发展委员会关于县政协三届二次会议第12号提案的答复

李某委员：
    您提出的《关于加强乡村图书室建设的提案》收悉。现答复如下：
    下一步，县文化旅游委将落实场地和经费，年底前建成10个乡村图书室。
    县文化旅游委将会同县财政局争取上级补助资金。

青山县文化和旅游发展委员会
2024年5月8日
"""


def test_a_unit_goes_by_its_body_name_and_signs_with_its_full_one(runner, db, tmp_path, monkeypatch):
    monkeypatch.setattr(ouhai_tracker.extract, "extract_letter", extract_letter)
    letter = tmp_path / "qingshan.txt"
    letter.write_text(SHORT_IN_BODY, encoding="utf-8")
    assert runner.invoke(app, ["import", "--jobs", "1", str(letter)]).exit_code == 0
    assert {r["owner"] for r in listed(runner)} == {"青山县文化旅游委"}
    assert [r["owner"] for r in listed(runner, "--dept", "文化和旅游发展委员会")] == ["青山县文化旅游委"] * 2
    docs = json.loads(runner.invoke(app, ["docs", "--json"]).stdout)
    assert docs[0]["replying_unit"] == "青山县文化和旅游发展委员会"


def test_one_body_written_two_ways_in_two_letters_is_one_department(runner, db, tmp_path, monkeypatch):
    monkeypatch.setattr(ouhai_tracker.extract, "extract_letter", extract_letter)
    short = SHORT_IN_BODY.replace("县文化旅游委将会同县财政局", "县住建局将会同县财政局")
    full = SHORT_IN_BODY.replace("第12号", "第13号").replace("县文化旅游委将会同县财政局", "县住房和城乡建设局将会同县财政局")
    for name, text in (("a.txt", short), ("b.txt", full)):
        (tmp_path / name).write_text(text, encoding="utf-8")
        assert runner.invoke(app, ["import", "--jobs", "1", str(tmp_path / name)]).exit_code == 0
    depts = [d["name"] for d in json.loads(runner.invoke(app, ["depts", "--json"]).stdout) if "住" in d["name"]]
    assert depts == ["青山县住建局"]
    assert {r["document"] for r in listed(runner, "--dept", "青山县住房和城乡建设局")} == {"a.txt", "b.txt"}
