"""Golden checks on the user's own letter (seeds/): every fact a careful reader finds in it.

The expected facts are written out here, so the project checks itself without ../shared.
"""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from ouhai_tracker.extract import extract_letter

SEED = Path(__file__).resolve().parents[1] / "seeds" / "000_f0f5a9deaa56be68.txt"

# (anchor inside the commitment's text, owner fragment, deadline kind, partner fragments); a body
# the letter calls by its usual short form (区工商联, 住建局) goes by it
REQUIRED = [
    ("待正式入选后制定相应的实施方案", "经济和信息化局", "conditional", []),
    ("区工商联将积极做好相关成立指导工作", "工商联", "conditional", []),
    ("梳理我区企业在实施数字化转型过程中的人才需求", "经济和信息化局", "none", []),
    ("计划开展专精特新专题培训班", "经济和信息化局", "none", []),
    ("两大工程", "经济和信息化局", "none", ["工商联"]),
    ("住建局牵头在谋划制定企业人才购房的相关政策", "住建局", "vague", []),
    ("区教育局将分类分批统筹照顾安排人才子女入学", "教育局", "conditional", []),
    ("在瓯海的招生计划内尽可能保障", "教育局", "none", []),
]

POLICIES = {
    "瓯海区数字经济创新提质“一号发展工程”实施方案": (None, 2023),
    "瓯海区推广智能制造八法三年行动计划(2018-2020)": ("温瓯政办发〔2018〕36", 2018),
    "2020 年瓯海区制造业智能化技术改造工作实施方案": ("温瓯工强办〔2020〕7 号", 2020),
    "瓯海区鞋革行业智能化技术改造三年行动计划(2021-2023)": (None, 2021),
    "产业人才开发指引": (None, None),
    "关于大力实施“瓯越英才计划”高水平建设浙南重要人才中心和创新高地的40条意见": (None, None),
    "瓯海区进一步构筑热带雨林式人才生态的十项举措": ("瓯委改发〔2023〕1号", 2023),
    "瓯海区专业技术、技能人才及人才平台奖补申报指南(试行)": (None, None),
    "关于开展温州市面向全球招引高校毕业生招引“510+行动计划”的方案": ("温委人〔2022〕2号", 2022),
    "瓯海区民营企业家龙脊卡使用办法(试行)": (None, None),
    "温州市瓯海区高层次人才和企业人才子女入学管理办法": (None, 2022),
}


@pytest.fixture(scope="module")
def facts():
    return extract_letter(SEED.read_text(encoding="utf-8"), SEED.name)


def test_metadata(facts):
    meta = facts.meta
    assert meta.title == "关于加强数字化人才体系建设加快产业数字化转型发展的提案"
    assert meta.proposers == ["余晓平", "麻胜芝", "陈艳"]
    assert meta.session == "区政协十届二次会议"
    assert meta.replying_unit == "温州市瓯海区经济和信息化局"
    assert meta.replying_department.name == "温州市瓯海区经济和信息化局"
    assert (meta.unit_source, meta.date_source, meta.places) == (
        "signature", "signature", {"市": "温州市", "区": "温州市瓯海区"})
    assert meta.date == date(2023, 6, 16)
    assert (meta.contact_name, meta.contact_phone) == ("梅建中", "88502273")
    assert meta.addressee == "工商(经济)界1组"
    assert meta.kind == "政协提案答复"


@pytest.mark.parametrize(("anchor", "owner", "kind", "partners"), REQUIRED)
def test_required_commitments(facts, anchor, owner, kind, partners):
    hits = [c for c in facts.commitments if anchor in c.text]
    assert len(hits) == 1, f"{anchor!r} found {len(hits)} times"
    c = hits[0]
    assert owner in c.owner.name
    assert c.deadline.kind == kind
    for fragment in partners:
        assert any(fragment in p.department.name for p in c.partners)


def test_no_past_report_is_a_commitment(facts):
    texts = "\n".join(c.text for c in facts.commitments)
    for past in ("2023年5月19日区委区政府印发了", "2020年由我局牵头组建", "今年3月22日", "同时我们在微信小程序打造了",
                 "2022年建立产教融合站点94个", "分别给予10万元、4万元奖励"):
        assert past not in texts


def test_deadlines_resolve_against_the_letter_date(facts):
    by_anchor = {a: next(c for c in facts.commitments if a in c.text) for a, *_ in REQUIRED}
    vague = by_anchor["住建局牵头在谋划制定企业人才购房的相关政策"].deadline
    assert (vague.due, vague.inferred, vague.text) == (date(2023, 9, 16), True, "近期")
    undated = by_anchor["计划开展专精特新专题培训班"].deadline
    assert (undated.due, undated.inferred, undated.text) == (date(2024, 6, 16), True, "下一步")
    conditional = by_anchor["待正式入选后制定相应的实施方案"].deadline
    assert (conditional.due, conditional.condition) == (None, "正式入选")


def test_policies(facts):
    found = {p.title: (p.doc_number, p.year) for p in facts.policies}
    assert found == POLICIES
    assert "关于加强数字化人才体系建设加快产业数字化转型发展的提案" not in found


def test_every_commitment_points_back_into_the_letter(facts):
    for c in facts.commitments:
        assert facts.text[c.start:c.end] == c.text
        assert c.text in c.sentence
        assert facts.text[c.sentence_start:c.sentence_start + len(c.sentence)] == c.sentence
        assert c.paragraph_start <= c.start < c.end <= c.paragraph_end


def test_a_copy_that_lost_its_line_breaks_reads_the_same():
    """Web copies often arrive as one long paragraph: headings and items inline."""
    lines = [line.strip() for line in SEED.read_text(encoding="utf-8").splitlines() if line.strip()]
    flat = "\n".join([lines[0], "".join(lines[1:-3]), *lines[-3:]])
    facts = extract_letter(flat, SEED.name)
    for anchor, owner, kind, _ in REQUIRED:
        [c] = [c for c in facts.commitments if anchor in c.text]
        assert owner in c.owner.name and c.deadline.kind == kind, anchor
