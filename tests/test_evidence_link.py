"""The evidence linker, pure: what a sentence of a later document reports (its aspect), which
earlier promise it speaks of by what both name, and which it must not link (another body,
place or named thing), on invented later documents in the genre's shapes."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ouhai_tracker.evidence.later import aspects, read_later
from ouhai_tracker.evidence.link import (
    PromiseIndex,
    TermIndex,
    conflict,
    link,
    named,
    read_promise,
    read_sentence,
    sentence_pairs,
)
from ouhai_tracker.evidence.model import DONE, NOT_DONE, POSTPONED, PROGRESS, REMAINDER, Body, Promise

FIXTURES = Path(__file__).parent / "fixtures" / "evidence"
MZJ = Body("青溪市松岭区民政局", "松岭区", "区", ("民政",))
CZJ = Body("青溪市松岭区财政局", "松岭区", "区", ("财政",))
RSJ = Body("青溪市松岭区人力资源和社会保障局", "松岭区", "区", ("人社",))
EARLIER = date(2023, 5, 10)


def promise(id: int, text: str, owner: Body = MZJ, partners: tuple[Body, ...] = (), due: date | None = None) -> Promise:
    return Promise(id=id, text=text, sentence=text, owner=owner, partners=partners, letter_date=EARLIER, due=due,
                   place="松岭区", letter_id=1)


PROMISES = [
    promise(1, "我局将于2023年底前建成桂花街道居家养老服务中心，新增日间照料床位40张"),
    promise(2, "力争2024年底前全区所有社区居家养老服务中心达到三星级标准"),
    promise(3, "年内在全区新建老年食堂6家，推动老年助餐服务覆盖所有镇街"),
    promise(4, "我局将每年组织养老护理员职业技能培训不少于300人次，并会同区人力资源和社会保障局落实护理员岗位补贴",
            partners=(RSJ,)),
    promise(5, "待市级智慧养老平台上线后，我局将同步接入全区养老机构数据，实现服务订单统一派发"),
    promise(6, "将在2024年部门预算中安排困难老年人家庭适老化改造资金200万元", owner=CZJ),
]


def proposals(file: str) -> dict[int, list[tuple[str, str]]]:
    document = read_later((FIXTURES / file).read_text(encoding="utf-8"))
    out: dict[int, list[tuple[str, str]]] = {}
    for p in link(document, PROMISES):
        out.setdefault(p.commitment, []).append((p.evidence, p.outcome))
    return out


# ---- the aspect of a sentence -------------------------------------------------------------------

@pytest.mark.parametrize("sentence, expected", [
    ("桂花街道居家养老服务中心12月建成投用。", {DONE}),
    ("去年9月，我局举办专题研修班。", set()),  # narrated without a cue: done by default
    ("平台建设推迟至2024年下半年，数据接入工作暂未开展。", {POSTPONED, NOT_DONE}),
    ("项目原定上半年启动，已调整至明年实施。", {POSTPONED}),
    ("修订稿已形成，目前正在区财政局会签。", {DONE, PROGRESS}),
    ("全年开展专项检查2轮，未发现违规行为。", set()),  # a clean inspection is no failure
    ("对仍未谈拢的9个单元，我局委托调解组织介入。", set()),  # 仍未…的 qualifies the units
    ("全年新建老年食堂4家，其余2家尚未开工。", {DONE, NOT_DONE, REMAINDER}),
    ("新购置新能源公交车24辆，其余6辆因供货延迟将于明年一季度到位。", {DONE, POSTPONED, REMAINDER}),
    ("大桥仍在建设中，公交延伸工作需待大桥通车后实施。", {PROGRESS, NOT_DONE}),
    ("平台已全部建成，较原计划延后两个月完成。", {DONE}),  # done late: done
    ("补助办法至今尚未正式出台。", {NOT_DONE}),  # the act denied is not done
    ("已建档312户，其余尚未完成建档。", {DONE, NOT_DONE, REMAINDER}),
    ("养老服务行业协会的成立条件尚不成熟，正在走访行业龙头企业。", {NOT_DONE, PROGRESS}),  # a condition unmet
    ("全年建成老年食堂6家，其余2家因选址调整延至今年下半年建成。", {DONE, POSTPONED, REMAINDER}),
])
def test_aspects(sentence, expected):
    assert set(aspects(sentence)) == expected


# ---- named things -------------------------------------------------------------------------------

def test_named_things_by_kind_and_name():
    assert named("推动临湖二中与城北初中组建教育集团")["school"] == {("临湖", "二中"), ("城北", "初中")}
    assert named("在全区建成标准化零工市场2家")["facility"] == {("", "零工市场")}  # a kind, no name
    assert named("按照《西塘区零工市场建设方案》")  == {}  # a policy's title names no thing
    assert named("正在走访行业龙头企业") == {}  # the leaders of an industry named before: no industry


def test_another_named_thing_of_the_kind_conflicts():
    p = read_promise(promise(9, "推动城东小学与湖畔中学组建紧密型教育集团"))
    other = read_later("二、集团化办学\n城南小学与柳岸中学也组建了紧密型教育集团，共享课程12门。\n").sentences[0]
    same = read_later("二、集团化办学\n城东小学教育集团正式挂牌，湖畔中学作为成员校纳入集团。\n").sentences[0]
    assert conflict(p, read_sentence(other)).startswith("another school")
    assert conflict(p, read_sentence(same)) is None


def test_another_body_or_place_conflicts():
    p = read_promise(promises_by_id()[1])
    city = read_later("一、养老设施\n同期，市民政局建成全市居家养老服务中心示范点。\n").sentences[0]
    neighbour = read_later("一、养老设施\n同属青溪市的枫林区已建成居家养老服务中心。\n").sentences[0]
    assert "another body" in conflict(p, read_sentence(city))
    assert "another place" in conflict(p, read_sentence(neighbour))


def test_the_body_above_that_a_promise_waits_on_is_none_other():
    # The promise waits on the city's bureau: its act (or its delay) speaks of the promise; the
    # city bureau of a promise that names it nowhere is another body (above).
    waiting = read_promise(promises_by_id()[5])
    text = "一、智慧养老\n市民政局的智慧养老平台仍在开发测试中，尚不具备接入条件。\n青溪市松岭区民政局\n2024年1月20日\n"
    sentence = read_later(text, letter=False).sentences[0]
    assert conflict(waiting, read_sentence(sentence)) is None
    assert sentence.aspects == {PROGRESS, NOT_DONE}
    assert [(p.commitment, p.outcome) for p in link(read_later(text, letter=False), PROMISES)] == [(5, "not_kept")]


def test_the_signature_is_no_sentence_even_under_the_plans():
    text = ("张三代表：\n您的建议收悉。现答复如下：\n一、办理情况\n桂花街道居家养老服务中心已建成投用。\n二、下一步打算\n"
            "我局将继续推动老年助餐服务覆盖所有镇街。\n青溪市松岭区民政局\n2024年1月20日\n")
    assert "青溪市松岭区民政局" not in [s.text.strip("。\n") for s in read_later(text).sentences]


def test_a_report_on_two_districts_places_each_ones_bodies_in_it():
    text = ("关于部分建议提案办理落实情况的通报\n一、青溪市松岭区\n松岭区民政局完成老年食堂建设6家。\n"
            "二、青溪市枫林区\n枫林区财政局统筹安排资金200万元。\n省政府办公厅督查室\n2024年3月1日\n")
    bodies = {b.name: b.place for s in read_later(text, letter=False).sentences for b in s.bodies}
    assert (bodies["松岭区民政局"], bodies["枫林区财政局"]) == ("松岭区", "枫林区")


def promises_by_id() -> dict[int, Promise]:
    return {p.id: p for p in PROMISES}


# ---- linking invented later documents -----------------------------------------------------------

def test_summary_links_each_report_to_its_promise_with_its_outcome():
    found = proposals("summary_songling.txt")
    assert {i: [outcome for _, outcome in links] for i, links in found.items()} == {
        1: ["kept"], 2: ["partly"], 3: ["partly"], 4: ["kept"], 5: ["not_kept"]}
    assert "桂花街道居家养老服务中心12月建成投用" in found[1][0][0]
    assert "14家社区居家养老服务中心中已有9家" in found[2][0][0]


def test_summary_links_no_distractor():
    evidence = " ".join(e for links in proposals("summary_songling.txt").values() for e, _ in links)
    for distractor in ("枫林区民政局", "全市养老护理员技能大赛", "城南老年大学"):
        assert distractor not in evidence


def test_reply_reports_and_promises_again():
    found = proposals("reply_songling.txt")
    assert found[6] == [("区财政局在2024年部门预算中安排困难老年人家庭适老化改造资金200万元，已完成首批86户改造。", "kept")]
    assert [outcome for _, outcome in found[3]] == ["repeated"]
    assert [outcome for _, outcome in found[4]] == ["repeated"]
    assert set(found) == {3, 4, 6}


def test_a_report_on_a_promise_made_again_speaks_of_the_first():
    # A later reply restated promise 1 in the words the summary uses; the summary's sentence
    # reports on the promise as first made.
    document = read_later((FIXTURES / "summary_songling.txt").read_text(encoding="utf-8"))
    again = Promise(id=11, text="桂花街道居家养老服务中心12月建成投用，设日间照料床位40张",
                    sentence="桂花街道居家养老服务中心12月建成投用，设日间照料床位40张。", owner=MZJ,
                    letter_date=date(2023, 9, 1), place="松岭区", letter_id=2)
    on_garden_street = [(p.commitment, p.outcome) for p in link(document, [*PROMISES, again]) if "桂花街道" in p.evidence]
    assert (11, "kept") in on_garden_street
    restated = {11: read_promise(PROMISES[0])}
    assert [(p.commitment, p.outcome) for p in link(document, [*PROMISES, again], restated=restated)
            if "桂花街道" in p.evidence] == [(1, "kept")]


def test_rejected_pair_is_not_proposed_and_the_promise_may_take_its_next_sentence():
    document = read_later((FIXTURES / "summary_songling.txt").read_text(encoding="utf-8"))
    first = next(p for p in link(document, PROMISES) if p.commitment == 1)
    again = link(document, PROMISES, rejected=frozenset({(1, first.evidence)}))
    assert all(p.evidence != first.evidence for p in again if p.commitment == 1)


def test_later_promises_and_the_documents_own_letter_are_left_out():
    document = read_later((FIXTURES / "summary_songling.txt").read_text(encoding="utf-8"))
    late = [Promise(id=p.id, text=p.text, sentence=p.text, owner=p.owner, letter_date=date(2025, 1, 1),
                    place="松岭区", letter_id=1) for p in PROMISES]
    assert link(document, late) == []
    assert link(document, PROMISES, exclude_letter=1) == []


def test_an_index_serves_many_documents_alike():
    index = PromiseIndex(PROMISES)
    for file in ("summary_songling.txt", "reply_songling.txt"):
        document = read_later((FIXTURES / file).read_text(encoding="utf-8"))
        assert link(document, index) == link(document, PROMISES)


def term_index(document, promises) -> TermIndex:
    """A TermIndex as the store builds one: from the promises' pairs, then the reached ones read."""
    reads = [read_promise(p) for p in promises]
    sentences = [read_sentence(s) for s in document.sentences]
    index = TermIndex(((r.promise.id, r.text_pairs | r.context_pairs) for r in reads), sentence_pairs(sentences))
    reached = index.reached(sentences)
    index.add(r for r in reads if r.promise.id in reached)
    assert reached <= {r.promise.id for r in reads}
    return index


def test_an_index_of_the_documents_pairs_links_as_an_index_of_every_pair():
    many = PROMISES + [promise(100 + i, f"将在{place}新建{thing}{i}处，年底前完成") for i, (place, thing) in
                       enumerate((p, t) for p in ("桂花街道", "松岭镇", "湖滨街道") for t in ("老年食堂", "公园", "停车场"))]
    for file in ("summary_songling.txt", "reply_songling.txt"):
        document = read_later((FIXTURES / file).read_text(encoding="utf-8"))
        expected = link(document, PromiseIndex(many))
        assert expected  # the documents speak of these promises
        assert link(document, term_index(document, many)) == expected


@settings(max_examples=40, deadline=None)
@given(st.text(alphabet="已完成尚未推迟至正在建成老年食堂养老服务中心民政局区市，。的12345", max_size=120))
def test_a_term_index_links_any_text_as_a_promise_index(text):
    document = read_later("一、情况\n" + text + "\n")
    assert link(document, term_index(document, PROMISES)) == link(document, PROMISES)


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet="已完成尚未推迟至正在建成老年食堂养老服务中心民政局区市，。的12345", max_size=120))
def test_any_text_links_without_error_and_within_itself(text):
    document = read_later("一、情况\n" + text + "\n")
    for p in link(document, PROMISES):
        assert document.text[p.start:p.end] == p.evidence
        assert p.outcome in ("kept", "partly", "not_kept", "repeated")
        assert 0 <= p.confidence <= 1


def test_outcomes_of_a_part_put_off_and_of_a_wait_not_over():
    bus = promise(21, "今年年底前新购置新能源公交车30辆，优先用于新开线路运营",
                  owner=Body("青溪市松岭区公交集团", "松岭区", "区", ("公交",)))
    bridge = promise(22, "待松岭大桥建成通车后，将108路公交延伸至桂花街道中心")
    text = ("松岭区民政局2023年工作总结（节选）\n一、公交出行\n区公交集团年底前新购置新能源公交车24辆，其余6辆因供货"
            "延迟将于明年一季度到位。松岭大桥仍在建设中，108路公交延伸工作需待大桥通车后实施。\n"
            "青溪市松岭区民政局\n2024年1月20日\n")
    found = {p.commitment: p.outcome for p in link(read_later(text, letter=False), [bus, bridge])}
    assert found == {21: "partly", 22: "not_kept"}


@pytest.mark.parametrize("due, expected", [(date(2024, 6, 30), "partly"), (date(2023, 12, 31), "not_kept")])
def test_a_delay_with_a_milestone_is_partly_kept_until_the_deadline(due, expected):
    plan = promise(23, "2024年6月底前完成全区养老服务设施布局专项规划编制", due=due)
    text = ("松岭区民政局2023年工作总结（节选）\n一、专项规划\n养老服务设施布局专项规划编制工作有所延后，目前规划初稿已完成，"
            "正在征求相关部门意见。\n青溪市松岭区民政局\n2024年1月20日\n")
    assert [p.outcome for p in link(read_later(text, letter=False), [plan, *PROMISES]) if p.commitment == 23] == [expected]


@pytest.mark.parametrize("promised, expected", [
    ("我局将推动各乡镇卫生院与敬老院开展医养签约服务", "partly"),  # the kind of thing: every one of them
    ("年内推动5家乡镇卫生院与敬老院开展医养签约服务", "kept"),  # five of them
])
def test_a_part_of_the_things_promised_is_partly_kept(promised, expected):
    contract = promise(24, promised)
    text = ("松岭区民政局2023年工作总结（节选）\n一、医养结合\n全区9家乡镇卫生院中，已有5家与敬老院签订了医养服务协议。\n"
            "青溪市松岭区民政局\n2024年1月20日\n")
    assert [p.outcome for p in link(read_later(text, letter=False), [contract, *PROMISES])
            if p.commitment == 24] == [expected]


@pytest.mark.parametrize("reported, expected", [
    ("老年助餐服务已推广至桂花街道等5个镇街，全年助餐12万人次。", "partly"),  # some of every 镇街
    ("老年助餐服务已推广至全区所有镇街，全年助餐12万人次。", "kept"),
])
def test_some_of_every_one_promised_is_partly_kept(reported, expected):
    spread = promise(25, "逐步将老年助餐服务推广至全区各镇街")
    text = f"松岭区民政局2023年工作总结（节选）\n一、助餐服务\n{reported}\n青溪市松岭区民政局\n2024年1月20日\n"
    assert [p.outcome for p in link(read_later(text, letter=False), [spread]) if p.commitment == 25] == [expected]


@pytest.mark.parametrize("sentence, forward", [
    ("区民政局起草了养老服务补贴办法修订稿，目前正在征求意见，预计6月印发。", False),  # a report, with a forecast
    ("9月，我局对全区养老机构开展消防安全专项检查，督促整改隐患21处。", False),  # what was urged, done
    ("全年建成老年食堂6家，其余2家因选址调整延至今年下半年建成。", False),  # put off, not promised
    ("年内督促各养老机构完成消防设施改造。", True),
    ("下一步，我局将继续督促各养老机构落实消防安全责任。", True),
])
def test_a_summary_sentence_reports_or_plans(sentence, forward):
    text = f"松岭区民政局2023年工作总结（节选）\n一、养老服务\n{sentence}\n青溪市松岭区民政局\n2024年1月20日\n"
    assert read_later(text, letter=False).sentences[0].forward is forward


def test_only_a_letter_promises_again():
    text = ("松岭区民政局2023年工作总结（节选）\n一、养老服务\n下一步，我局将继续推动老年助餐服务覆盖所有镇街。\n"
            "青溪市松岭区民政局\n2024年1月20日\n")
    assert [p.outcome for p in link(read_later(text, letter=True), PROMISES) if p.commitment == 3] == ["repeated"]
    # A summary's plan is no promise of its own, and no evidence that anything was done either.
    summary = read_later(text, letter=False)
    assert summary.sentences[0].forward
    assert [p for p in link(summary, PROMISES) if p.commitment == 3] == []


def test_a_summary_links_what_it_reports_not_what_it_plans():
    # The plan names the promise more fully than the report does: it must still not be taken for
    # a report that the promise was kept.
    text = ("松岭区民政局2023年工作总结（节选）\n一、养老服务\n全区老年助餐点由12个增加到16个，其余镇街正在选址。\n"
            "二、明年打算\n下一步，我局将加快推进老年食堂建设，力争老年助餐服务覆盖所有镇街。\n"
            "青溪市松岭区民政局\n2024年1月20日\n")
    found = [(p.evidence, p.outcome) for p in link(read_later(text, letter=False), PROMISES) if p.commitment == 3]
    assert found == [("全区老年助餐点由12个增加到16个，其余镇街正在选址。", "partly")]
