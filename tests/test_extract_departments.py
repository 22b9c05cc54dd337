"""Department names read by their shape, [place][level][function][suffix]: every table row, the
bodies no table lists, places kept apart, and what a person's --dept means."""
from __future__ import annotations

import pytest

from ouhai_tracker.extract import extract_letter  # the real one: conftest fakes the module's attribute
from ouhai_tracker.extract.departments import (department_from_name, find_departments, place_chain, read_query,
                                               table)
from ouhai_tracker.extract.rules import departments as R

SHORT_FORMS = [(form, full, key) for key, names, _ in R.FUNCTIONS for full, shorts in names for form in shorts]
FULL_NAMES = [(full, key) for key, names, _ in R.FUNCTIONS for full, _ in names]
LIST_STEMS = [(stem, key) for key, _, stems in R.FUNCTIONS for stem in stems]


@pytest.mark.parametrize(("full", "key"), FULL_NAMES)
def test_every_full_name_is_recognised_and_kept(full, key):
    department = department_from_name("临湖区" + full if not full.startswith("委") else "中共临湖区" + full)
    assert department is not None and department.name.endswith(full), department
    assert key in department.functions


@pytest.mark.parametrize(("form", "full", "key"), SHORT_FORMS)
def test_every_short_form_is_one_body_with_its_full_name(form, full, key):
    """住建局 is 住房和城乡建设局 written short: the short form people know a body by is kept as the
    letter writes it, another variant (住房城乡建设局) is written out in full, and 发展改革委员会 is
    how a body spells its own name (kept); the other forms stay aliases, so every one matches."""
    department = department_from_name("县" + form)
    known_by = full.replace("和", "") == form.replace("和", "") or table().forms[form][1] == form
    assert department is not None and department.name == "县" + (form if known_by else full)
    assert key in department.functions
    names = {department.name, department.short, *department.aliases}
    assert {"县" + form, "县" + full} <= names


@pytest.mark.parametrize(("stem", "key"), LIST_STEMS)
def test_every_list_stem_names_its_class_in_a_list(stem, key):
    other = "审计" if stem != "审计" else "统计"
    found = find_departments(f"加强与{other}、{stem}等部门的沟通", {"市": "宝江市"}, "市")
    assert any(key in m.department.functions and m.department.place == "宝江市" for m in found), found


@pytest.mark.parametrize(("written", "name", "place", "functions"), [
    ("温州市瓯海区经济和信息化局", "温州市瓯海区经济和信息化局", "温州市瓯海区", ("经信",)),
    ("湖南省自然资源厅", "湖南省自然资源厅", "湖南省", ("资规",)),
    ("金川市东区人民政府办公室", "金川市东区人民政府办公室", "金川市东区", ("政府办",)),
    ("白河瑶族自治县人民政府办公室", "白河瑶族自治县人民政府办公室", "白河瑶族自治县", ("政府办",)),
    ("江州市西岛区李家楼镇人民政府", "江州市西岛区李家楼镇人民政府", "江州市西岛区李家楼镇", ("政府",)),
    ("云岭市文化体育旅游和广播电视局", "云岭市文化体育旅游和广播电视局", "云岭市", ("文旅",)),
    ("石门县科技经信局", "石门县科技经信局", "石门县", ("科技", "经信")),
    ("广德市教育体育局", "广德市教育体育局", "广德市", ("教育",)),
    ("青砚县林业和草原局", "青砚县林业和草原局", "青砚县", ("林业",)),
    ("大石市城市管理执法局", "大石市城市管理执法局", "大石市", ("城管",)),
    ("南江市云州区生态环境局", "南江市云州区生态环境局", "南江市云州区", ("环保",)),
    ("白蒙县环境保护局", "白蒙县环境保护局", "白蒙县", ("环保",)),
    ("温州市生态环境局瓯海分局", "温州市生态环境局瓯海分局", "温州市", ("环保",)),
    ("区住建局", "区住建局", None, ("住建",)),  # the short form people know it by
    ("团区委", "区团委", None, ("团委",)),
    ("区政府", "区政府", None, ("政府",)),
    ("南湖街道办事处", "南湖街道办事处", "南湖街道", ("政府",)),
    ("高新区管委会", "高新区管委会", "高新区", ("管委会",)),
    ("省森林消防总队", "省森林消防总队", None, ("消防",)),
    ("高新区规划建设局", "高新区规划建设局", "高新区", ("资规", "住建")),
])
def test_names_by_their_shape(written, name, place, functions):
    department = department_from_name(written)
    assert (department.name, department.place, department.functions) == (name, place, functions)


def test_two_districts_bureaus_are_two_bodies():
    a, b = department_from_name("江州市临湖区教育局"), department_from_name("江州市江北区教育局")
    assert a.name != b.name and a.functions == b.functions == ("教育",)


def test_a_bare_name_is_the_letters_own_place():
    places = {"市": "温州市", "区": "温州市瓯海区"}
    found = find_departments("近期住建局牵头，每年配合市经信局，区教育局负责落实", places, "区")
    assert [m.department.name for m in found] == ["温州市瓯海区住建局", "温州市经信局",
                                                 "温州市瓯海区教育局"]


def test_a_named_town_and_a_later_bare_town_government():
    found = find_departments("给兴隆地镇人民政府下发通知。由镇政府划定限养区范围", {"县": "白蒙县"}, "县")
    assert [m.department.name for m in found] == ["兴隆地镇人民政府", "兴隆地镇人民政府"]


def test_sub_units_and_their_later_short_name():
    found = find_departments("市公安局交警支队没有依据。交警支队将借此机会试点", {"市": "衡江市"}, "市")
    assert [m.department.name for m in found] == ["衡江市公安局交警支队"] * 2


def test_the_replying_unit_under_another_of_its_names():
    replying = department_from_name("石门县科技经信局")
    [m] = find_departments("县科技工信局担任牵头部门", {"县": "石门县"}, "县", replying)
    assert m.department is replying


def test_a_list_by_stem_and_by_level():
    found = find_departments("衔接县、市、省发改等部门", {"县": "灵石县"}, "县")
    assert [m.department.name for m in found] == ["灵石县发展和改革委员会", "市发展和改革委员会", "省发展和改革委员会"]


def test_a_verb_before_a_place_is_not_part_of_it():
    [m] = find_departments("县政府已成立石门县通信发展办公室", {}, "县")[1:]
    assert m.department.name == "石门县通信发展办公室"
    [m] = find_departments("同时会同区财政局研究", {"区": "临湖区"}, "区")
    assert m.department.name == "临湖区财政局"


def test_local_bodies_are_named_as_written():
    found = find_departments("由各街道负责日常管理，候车亭由所在镇负责保洁，各镇（街道）配合", {}, "区")
    assert [m.department.name for m in found] == ["各街道", "所在镇", "各镇（街道）"]


@pytest.mark.parametrize("text", ["社区卫生服务中心", "政府购买服务", "城市布局", "全区教育", "有关部门", "上级部门"])
def test_words_that_only_look_like_bodies(text):
    assert find_departments(text, {}, "区") == []


def test_city_bureau_called_the_city_bureau():
    replying = department_from_name("安澜市河西区市场监督管理局")
    [m] = find_departments("待市局平台上线后", {"市": "安澜市"}, "区", replying)
    assert m.department.name == "安澜市市场监督管理局"


def test_a_party_group_is_no_place():
    assert place_chain("民建市委会：") == {}
    assert place_chain("民盟青川市基层委员会") == {}  # a party's branch: 民盟 is no league (盟)
    assert place_chain("兴安盟教育局") == {"盟": "兴安盟"}


def test_place_chains():
    assert place_chain("松江市东岸区住房和城乡建设局") == {"市": "松江市", "区": "松江市东岸区"}
    assert place_chain("南江市云州区生态环境局") == {"市": "南江市", "区": "南江市云州区"}
    # A body's name that begins with a level's character (市场监督管理局) does not swallow the district.
    assert place_chain("松江市东岸区市场监督管理局") == {"市": "松江市", "区": "松江市东岸区"}
    assert place_chain("东岸区市场监管局") == {"区": "东岸区"}


@pytest.mark.parametrize(("query", "parts"), [
    ("瓯海区经信局", ("经信", "区", "瓯海区")),
    ("经信局", ("经信", None, None)),
    ("工商联", ("工商联", None, None)),
    ("瓯海区", (None, None, "瓯海区")),
    ("温州市瓯海区", (None, None, "瓯海区")),
    ("县教育局", ("教育", "县", None)),
    ("临湖区教育局", ("教育", "区", "临湖区")),
    ("梅建中", (None, None, None)),
])
def test_what_a_dept_option_names(query, parts):
    assert read_query(query) == parts


def test_tables_are_consistent():
    t = table()
    assert len(set(R.PLACE_SELF.values()) - set(R.LEVEL_PREFIXES)) == 0
    # every short form stands for a full name of its own row
    for form, (full, _, key) in t.forms.items():
        assert full in t.class_names[key]


SELF_NAMED = """青山县文化和旅游发展委员会关于县政协三届二次会议第12号提案的答复

李某委员：
    您提出的《关于加强乡村图书室建设的提案》收悉。现答复如下：
    近年来，县文化旅游委组织县图书馆开展送书下乡。下一步，县文化旅游委将落实场地和经费，年底前建成10个乡村图书室。
    县文化旅游委将会同县财政局争取上级补助资金。

青山县文化和旅游发展委员会
2024年5月8日
"""


def test_the_replying_unit_is_named_as_its_letter_calls_it():
    """A title and a signature spell the name out; the body uses the short form people know the
    body by, and the owner carries that form with its place. The spelled-out name still matches."""
    facts = extract_letter(SELF_NAMED, "self_named.txt")
    owners = {c.owner.name for c in facts.commitments if c.owner is not None}
    assert owners == {"青山县文化旅游委"}
    unit = facts.meta.replying_department
    assert unit is not None and unit.name == "青山县文化旅游委"
    assert "青山县文化和旅游发展委员会" in unit.aliases
    assert facts.meta.replying_unit == "青山县文化和旅游发展委员会"  # as the letter signs it


def test_a_sub_unit_is_not_renamed_to_what_it_calls_itself():
    text = SELF_NAMED.replace("青山县文化和旅游发展委员会", "青山市生态环境局青山县分局").replace("县文化旅游委", "分局")
    unit = extract_letter(text, "sub_unit.txt").meta.replying_department
    assert unit is not None and unit.name.endswith("生态环境局青山县分局")


def test_a_name_that_is_no_short_form_of_the_units_own_is_not_taken():
    """县科技工信局 is not 县科技经信局 written short (工 is not in it): an older name, or another body."""
    text = SELF_NAMED.replace("青山县文化和旅游发展委员会", "青山县科技经信局").replace("县文化旅游委", "县科技工信局")
    unit = extract_letter(text, "other_name.txt").meta.replying_department
    assert unit is not None and unit.name == "青山县科技经信局"
