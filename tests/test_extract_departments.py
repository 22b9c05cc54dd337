"""Department names: levels kept apart, every short form recognised, branches and towns named."""
from __future__ import annotations

import pytest

from ouhai_tracker.extract.departments import department_from_name, find_departments


@pytest.mark.parametrize(("written", "name"), [
    ("温州市瓯海区经济和信息化局", "区经济和信息化局"),
    ("区经信局", "区经济和信息化局"),
    ("市经信局", "市经济和信息化局"),
    ("区工商联", "区工商业联合会"),
    ("区住建局", "区住房和城乡建设局"),
    ("区人社局", "区人力资源和社会保障局"),
    ("区委编办", "区委机构编制委员会办公室"),
    ("团区委", "区团委"),
    ("区市场监管局", "区市场监督管理局"),
    ("区综合行政执法局", "区综合行政执法局"),
    ("碧山市南溪区文化和广电旅游体育局", "区文化和广电旅游体育局"),
    ("区卫健委", "区卫生健康委员会"),
    ("区政府", "区人民政府"),
    ("温州市瓯海区泽雅镇人民政府", "泽雅镇人民政府"),
    ("瓯海区梧田街道办事处", "梧田街道办事处"),
    ("温州市生态环境局瓯海分局", "区生态环境分局"),
    ("温州市公安局瓯海区分局", "区公安分局"),
    ("中共温州市瓯海区委组织部", "区委组织部"),
    ("区公交集团", "区公交集团"),
    ("江州市临湖区教育局", "区教育局"),
])
def test_names(written, name):
    assert department_from_name(written).name == name


def test_unprefixed_names_take_the_letters_level():
    [m] = find_departments("近期住建局牵头在谋划制定相关政策", default_level="区")
    assert (m.text, m.department.name, m.department.short) == ("住建局", "区住房和城乡建设局", "区住建局")
    assert "住建局" in m.department.aliases and "住房和城乡建设局" in m.department.aliases


def test_city_and_district_bureaus_are_different_bodies():
    found = find_departments("每年配合市经信局制定指引，区经信局负责落实", default_level="区")
    assert [m.department.name for m in found] == ["市经济和信息化局", "区经济和信息化局"]
    assert "市经信局" not in found[1].department.aliases


def test_local_bodies_are_matched_only_in_their_forms():
    found = find_departments("由各街道负责日常管理，候车亭建成后由所在镇负责保洁，各镇（街道）配合", default_level="区")
    assert [m.department.name for m in found] == ["街道", "镇", "镇街"]


@pytest.mark.parametrize("text", ["社区卫生服务中心", "政府购买服务", "城市布局", "全区教育"])
def test_words_that_only_look_like_bodies(text):
    assert find_departments(text, default_level="区") == []


def test_city_bureau_called_the_city_bureau():
    replying = department_from_name("安澜市江北区市场监督管理局")
    [m] = find_departments("待市局平台上线后", default_level="区", replying=replying)
    assert m.department.name == "市市场监督管理局"


def test_a_city_letter_hands_work_to_its_counties():
    [m] = find_departments("由各县（市、区）负责组织实施", default_level="市")
    assert m.department.name == "县（市、区）"
