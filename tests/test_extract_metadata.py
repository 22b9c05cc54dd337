"""Letter metadata in the shapes letters come in: header marks, addressees, sessions, contacts, signatures."""
from __future__ import annotations

from datetime import date

import pytest

from ouhai_tracker.extract.metadata import SESSION, read_metadata


@pytest.mark.parametrize("session", ["区政协十届二次会议", "区第十七届人大第三次会议", "市十五届人大三次会议",
                                     "县政协十一届二次会议", "区八届人大二次会议"])
def test_sessions(session):
    assert SESSION.search(f"您在{session}期间提出的建议").group() == session


def letter(*head: str, tail: tuple[str, ...] = ("江州市临湖区教育局", "2023年7月12日")) -> str:
    return "\n".join([*head, "您提出的《关于改进教育工作的提案》收悉，现答复如下：", "下一步，我局将加强管理。",
                      "感谢您的关心和支持。", *tail])


def test_header_marks_and_addressee():
    meta = read_metadata(letter("临教提〔2023〕27号                    B类", "教育界别组：",
                                "钟思远、柯雨桐、邵立群等委员在区政协八届四次会议期间提出的提案（第41号）收悉。"))
    assert (meta.doc_number, meta.class_mark, meta.addressee) == ("临教提〔2023〕27号", "B", "教育界别组")
    assert meta.proposers == ["钟思远", "柯雨桐", "邵立群"] and meta.number == "41"


@pytest.mark.parametrize(("line", "name", "phone"), [
    ("联系人：滕雨宁　　联系电话：86631942", "滕雨宁", "86631942"),
    ("办理单位联系人：梅建中，联系电话：88502273。", "梅建中", "88502273"),
    ("联系人:葛晓丹;联系电话:26873415", "葛晓丹", "26873415"),
    ("（联系人：陈某某，联系电话：0577-88888888）", "陈某某", "0577-88888888"),
])
def test_contacts(line, name, phone):
    meta = read_metadata(letter("张三委员：", tail=("江州市临湖区教育局", "2023年7月12日", line)))
    assert (meta.contact_name, meta.contact_phone) == (name, phone)


def test_signature_in_chinese_numerals():
    meta = read_metadata(letter("张三委员：", tail=("江州市临湖区教育局", "二〇二三年七月十二日")))
    assert meta.date == date(2023, 7, 12) and meta.replying_department.name == "江州市临湖区教育局"


def test_fallbacks_when_the_letter_has_no_signature():
    meta = read_metadata(letter("张三委员：", tail=()), {"replying_unit": "临湖区教育局", "date": "2023-07-20"})
    assert (meta.replying_unit, meta.date, meta.level) == ("临湖区教育局", date(2023, 7, 20), "区")
    assert meta.replying_department.name == "临湖区教育局" and meta.replying_department.place == "临湖区"


def test_a_title_naming_the_unit_outranks_the_pages_publisher():
    text = "\n".join(["瓯海区经信局关于区政协十届二次会议第12号提案的答复", "张三委员：",
                      "您提出的《关于数字经济的提案》收悉，现答复如下：", "下一步，我局将加强培训。"])
    meta = read_metadata(text, {"replying_unit": "瓯海区人民政府办公室", "date": "2023-07-20"})
    assert meta.replying_department.name == "瓯海区经信局" and meta.unit_source == "title line"
    meta = read_metadata(text.split("\n", 1)[1], {"replying_unit": "瓯海区人民政府办公室",
                                                  "title": "瓯海区经信局关于区政协十届二次会议第12号提案的答复"})
    assert meta.replying_department.name == "瓯海区经信局"


@pytest.mark.parametrize(("unit_line", "date_line"), [
    ("江州市临湖区教育局（盖章）", "2023年7月12日"),
    ("江州市临湖区教育局", "2023-07-12"),
    ("江州市临湖区教育局", "2023.7.12"),
])
def test_signatures_with_a_seal_note_or_a_numeric_date(unit_line, date_line):
    meta = read_metadata(letter("张三委员：", tail=(unit_line, date_line)))
    assert meta.date == date(2023, 7, 12) and meta.replying_unit == "江州市临湖区教育局"


def test_a_polite_addressee():
    meta = read_metadata(letter("尊敬的张伟代表："))
    assert meta.proposers == ["张伟"]


@pytest.mark.parametrize(("lines", "unit"), [
    # a unit named by its place and a suffix no table lists, in the page's 发布机构
    (("发布机构: | 江州市临湖区公路中心 |", "成文日期: | 2023-07-12 |"), "江州市临湖区公路中心"),
    # a bureau's breadcrumb over the portal's government in 信息来源
    (("当前位置:首页 > 信息公开 > 临湖县体育中心 > 建议提案办理 > 政协提案", "发布时间:2023-07-12 信息来源:临湖县人民政府"),
     "临湖县体育中心"),
    # a one-character county where the name stands alone
    (("发布机构: 房县林业局",), "房县林业局"),
    # a letterhead line with the unit alone
    (("临湖县教育科技局",), "临湖县教育科技局"),
    # a label's brackets in either width
    (("主办单位(分办单位): 江州省科技厅",), "江州省科技厅"),
    (("主办单位（分办单位）：江州省科技厅",), "江州省科技厅"),
])
def test_units_where_pages_name_them(lines, unit):
    meta = read_metadata(letter(*lines, "张三委员：", tail=()))
    assert meta.replying_unit == unit


def test_a_unit_written_without_its_place_gets_the_pages_place():
    meta = read_metadata(letter("来源:区住房和城乡建设局", "张三代表：", tail=("主办:江州市临湖区人民政府 版权所有:临湖区人民政府办公室",)))
    assert meta.replying_unit == "江州市临湖区住房和城乡建设局"


@pytest.mark.parametrize("date_line", ["2018年6月28日 |", "• 2018-06-28 15:40"])
def test_dates_with_page_marks(date_line):
    meta = read_metadata(letter(date_line, "张三代表：", tail=()) if date_line.startswith("•")
                         else letter("张三代表：", tail=("江州市临湖区教育局", date_line)))
    assert meta.date == date(2018, 6, 28)
