"""Which sentences are promises, who owns them, and by when: the genre's rules, one case a line.

Each case wraps a paragraph in a minimal letter signed by a district education bureau on 2023-07-12.
"""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from ouhai_tracker.extract import extract_letter

FIXTURES = Path(__file__).parent / "fixtures"


def letter(*paragraphs: str, unit: str = "江州市临湖区教育局", signed: str = "2023年7月12日"):
    text = "\n".join(["张三委员：", "您提出的《关于改进教育工作的提案》收悉，现答复如下：", *paragraphs,
                      "感谢您对教育工作的关心和支持。", unit, signed])
    return extract_letter(text, "case.txt")


def one(*paragraphs: str, **kw):
    found = letter(*paragraphs, **kw).commitments
    assert len(found) == 1, [c.text for c in found]
    return found[0]


@pytest.mark.parametrize("sentence", [
    "原计划2021年底前建成的枫林中学已于2021年9月竣工，当年秋季如期开学。",
    "按2020年确定的建设计划，桃源幼儿园将于2021年3月建成投用，目前该园已如期开学。",
    "2021年，区政府已将滨河片区5所幼儿园建设列入全区十大民生实事。",
    "对新引进的博士给予10万元奖励，对硕士给予4万元奖励。",
    "2019年区政府印发了《临湖区教育设施布点规划（2018—2030年）》，明确到2030年新建中小学校24所。",
    "同时我们在微信小程序打造了“智造管家”，将专家的信息挂在小程序中，供企业咨询。",
    "今年春季学期，我局已督促各校增开课后服务，学生接送问题已得到缓解。",
    "目前，全区在建校舍项目9个，建成后可新增学位4620个。",
    "《临湖区人才引进办法》规定，对新引进的博士将给予一次性安家补助。",
    "该项目总投资1.2亿元，预计可新增学位900个。",
    "通过加强巡查，确保了校园周边环境整洁有序。",
])
def test_reports_of_the_past_are_not_promises(sentence):
    assert letter(sentence).commitments == []


def test_dated_promise_with_partner():
    c = one("下一步，我局将会同区财政局于2024年6月底前完成学校布局规划修编。")
    assert c.owner.name == "江州市临湖区教育局" and c.owner_rule == "subject"
    assert [p.department.name for p in c.partners] == ["江州市临湖区财政局"]
    assert (c.deadline.kind, c.deadline.due, c.deadline.inferred) == ("date", date(2024, 6, 30), False)


def test_a_new_subject_starts_a_new_commitment():
    found = letter("区发改局将尽快完成校舍立项批复，我局同步做好建设方案的技术审查。").commitments
    assert [(c.owner.name, c.deadline.kind) for c in found] == [("江州市临湖区发改局", "vague"),
                                                                    ("江州市临湖区教育局", "none")]


def test_responsibility_and_recurrence_in_one_sentence():
    found = letter("校园体育场馆建成后由各街道负责日常管理和维护，我局每年委托第三方对场馆器材开展一次安全评估。").commitments
    assert [(c.owner.name, c.deadline.kind) for c in found] == [("各街道", "none"), ("江州市临湖区教育局", "recurring")]


def test_quoted_department_owns_its_we():
    c = one("经征求意见，区财政局表示：我们将优先安排新建幼儿园的启动资金。")
    assert c.owner.name == "江州市临湖区财政局"


def test_reported_speaker_owns_its_we():
    c = one("据区公交集团反馈，我们计划今年年底前增购电动校车24辆。")
    assert c.owner.name == "江州市临湖区公交集团" and c.deadline.due == date(2023, 12, 31)


def test_a_letter_speaking_as_the_place_means_its_government():
    c = one("我区将持续推进义务教育优质均衡发展。")
    assert c.owner.name == "江州市临湖区人民政府"


@pytest.mark.parametrize(("sentence", "condition"), [
    ("若西溪公园三期建设用地获批，我局将同步规划建设室外篮球场。", "西溪公园三期建设用地获批"),
    ("待北湖片区土地利用规划修改获批后，我局将同步开展学校选址论证。", "北湖片区土地利用规划修改获批"),
    ("视全区财力情况，由区财政局会同我局逐步提高乡村教师生活补助标准。", "全区财力情况"),
    # a qualified object: only where the condition holds
    ("下一步，我局将在条件具备的中小学建设室内体育馆。", "条件具备"),
    ("对于出现渗漏的校舍，我局将安排专项资金及时维修。", "出现渗漏的校舍"),
])
def test_conditions(sentence, condition):
    c = one(sentence)
    assert (c.deadline.kind, c.deadline.condition, c.deadline.due) == ("conditional", condition, None)


def test_what_a_meeting_decided_is_its_conveners_to_do():
    found = letter("2023年5月9日，区政府召开第12次常务会议，听取青石镇污水处理厂建设情况汇报，区住建局负责人列席会议，"
                   "经研究讨论决定，一是原则同意对青石镇污水处理厂实施改扩建；二是青石镇对镇区污水排放总量进行测算。",
                   unit="江州市临湖区人民政府办公室").commitments
    assert [(c.text[:6], c.owner.name) for c in found] == [("原则同意对青", "江州市临湖区政府"), ("青石镇对镇区", "青石镇人民政府")]


def test_what_a_promise_leads_to_is_no_promise_of_its_own():
    found = letter("下一步，我局将在各校设立心理咨询室。以此推动学生心理健康工作。").commitments
    assert [c.text for c in found] == ["下一步，我局将在各校设立心理咨询室"]


def test_jiang_before_a_number_promises_where_nothing_reports_the_past():
    # 将 before a number is the 把-sense: a weak cue, a promise only where no report stands beside it.
    c = one("我局将3所村小的改造纳入“十五五”规划。")
    assert (c.cue, c.confidence) == ("将", 0.7)
    assert letter("我局将32项任务分解到各科室，做到了逐项落实。").commitments == []
    # 比去年 compares with last year: the promise stands.
    assert one("我局将持续加大投入，力争入学率比去年提高2个百分点。").cue == "将"


def test_a_date_wins_over_a_qualified_objects_condition():
    c = one("我局将于年内在有条件的中小学设立心理咨询室。")
    assert (c.deadline.kind, c.deadline.due) == ("date", date(2023, 12, 31))


def test_partner_we_is_the_replying_unit():
    c = one("视全区财力情况，由区财政局会同我局逐步提高乡村教师生活补助标准。")
    assert c.owner.name == "江州市临湖区财政局"
    assert [p.department.name for p in c.partners] == ["江州市临湖区教育局"]


def test_list_after_a_lead_splits_at_semicolons():
    found = letter("针对协调难的问题，我们将从以下方面改进：一是若多次协商仍无法形成共识，则由我局联合属地街道聘请专业机构调解；"
                   "二是由各街道牵头负责建立工作台账；三是每季度召开一次推进会，协调解决共性难题。").commitments
    assert [(c.owner.name, c.deadline.kind, c.item) for c in found] == [
        ("江州市临湖区教育局", "conditional", "一是"), ("各街道", "none", "二是"), ("江州市临湖区教育局", "recurring", "三是")]


def test_thanks_and_boilerplate_are_not_promises():
    assert letter("欢迎您继续对我局工作多提宝贵意见。").commitments == []


def test_items_under_a_promise_across_sentences():
    text = (FIXTURES / "city_letter_items.txt").read_text(encoding="utf-8")
    facts = extract_letter(text, "city_letter_items.txt")
    found = {c.text: c for c in facts.commitments}
    assert facts.meta.level == "市" and facts.meta.replying_department.name == "江州市民政局"
    publicity = next(c for t, c in found.items() if "通过多种渠道广泛宣传" in t)
    assert publicity.text.startswith("强化宣传引导") and publicity.owner.name == "江州市民政局"
    place = next(c for t, c in found.items() if "适老化改造" in t)
    assert place.owner.name == "江州市人民政府" and place.deadline.due == date(2025, 12, 31)
    training = next(c for t, c in found.items() if "每年培训" in t)
    assert training.deadline.kind == "recurring"
    assert [p.department.name for p in training.partners] == ["江州市人力资源和社会保障局"]
    assert not any("主办" in t for t in found), "who hosts the reply is not a promise"
    assert not any("2024年5月10日" == t for t in found), "the signature is not a promise"
    finance = next(c for t, c in found.items() if "统筹安排资金" in t)
    assert finance.owner.name == "江州市财政局"


def test_circled_items_and_county_level():
    text = (FIXTURES / "county_letter_circled.txt").read_text(encoding="utf-8")
    facts = extract_letter(text, "county_letter_circled.txt")
    got = [(c.owner.name, c.deadline.kind) for c in facts.commitments]
    assert got == [("龙泉县水利局", "date"), ("各乡镇", "none"), ("龙泉县水利局", "recurring"),
                   ("龙泉县卫健局", "none"), ("龙泉县财政局", "none")]
    assert facts.meta.title == "关于加强农村饮用水安全保障的建议"
    assert facts.meta.contact_phone == "0577-12345678"


def test_extraction_is_pure_and_repeatable():
    text = (FIXTURES / "county_letter_circled.txt").read_text(encoding="utf-8")
    assert extract_letter(text, "a") == extract_letter(text, "a")


def test_copied_web_page_without_signature():
    text = (FIXTURES / "web_copy_no_signature.txt").read_text(encoding="utf-8")
    facts = extract_letter(text, "web_copy_no_signature.txt")
    meta = facts.meta
    assert (meta.replying_unit, meta.date) == ("龙港市教育局", date(2023, 8, 2))
    assert meta.title == "关于增加学校课后服务供给的建议" and meta.proposers == ["王芳"]
    got = [(c.owner.name, c.deadline.kind) for c in facts.commitments]
    assert got == [("龙港市人民政府", "date"), ("龙港市教育局", "date"), ("龙港市教育局", "none")]
    assert not any("浏览次数" in c.text or "目前" in c.text for c in facts.commitments)


def test_party_group_addressee_and_items_under_a_lead():
    text = (FIXTURES / "city_letter_party_group.txt").read_text(encoding="utf-8")
    facts = extract_letter(text, "city_letter_party_group.txt")
    assert facts.meta.proposers == ["九三学社温州市委会"]
    assert facts.meta.number == "20230156"
    got = [(c.item, c.deadline.kind, [p.department.name for p in c.partners]) for c in facts.commitments]
    assert got == [("一是", "date", []), ("二是", "recurring", []),
                   ("三是", "date", ["温州市人力资源和社会保障局", "温州市教育局"]), ("四是", "none", ["温州市财政局"])]
    assert not any("入选省级" in c.text or "仍存在" in c.text for c in facts.commitments)


def test_unit_named_in_the_title_line_and_a_reported_speaker():
    text = (FIXTURES / "district_letter_title_unit.txt").read_text(encoding="utf-8")
    facts = extract_letter(text, "district_letter_title_unit.txt")
    assert facts.meta.replying_department.name == "瓯海区交通运输局"
    assert facts.meta.proposers == ["李明", "王强"]
    got = [(c.owner.name, c.deadline.kind) for c in facts.commitments]
    # The study now, the works once the road is rebuilt: two promises.
    assert got == [("瓯海区交通运输局", "none"), ("瓯海区交通运输局", "conditional"), ("瓯海区交通运输局", "date"),
                   ("瓯海区公安分局交警大队", "recurring")]


def test_the_proposals_own_words_are_not_promises():
    assert letter("您在提案中提出，要将老旧小区改造纳入民生实事项目，并建立长效管护机制。").commitments == []


def test_partners_named_after_the_lead():
    c = one("下一步，由区住建局牵头，区财政局、区民政局配合，年内完成改造方案编制。")
    assert c.owner.name == "江州市临湖区住建局"
    assert [(p.department.name, p.role) for p in c.partners] == [("江州市临湖区财政局", "partner"),
                                                                 ("江州市临湖区民政局", "partner")]


def test_a_letterhead_with_signer_unit_and_date_is_not_the_close():
    text = "\n".join(["签发人：王五", "（此件公开发布）", "瓯海区民政局", "2023年6月1日", "关于区政协十届二次会议第12号提案的答复",
                      "张三委员：", "您提出的《关于养老服务的提案》收悉，现答复如下：", "下一步，我局将于年底前出台养老服务补贴办法。",
                      "感谢您的关心和支持。", "瓯海区民政局", "2023年6月1日"])
    facts = extract_letter(text, "letterhead.txt")
    assert [(c.text, c.deadline.due) for c in facts.commitments] == [
        ("下一步，我局将于年底前出台养老服务补贴办法", date(2023, 12, 31))]


def test_ordinal_items_and_a_share_handed_on():
    text = (FIXTURES / "county_letter_ordinals.txt").read_text(encoding="utf-8")
    facts = extract_letter(text, "county_letter_ordinals.txt")
    got = [(c.item, c.owner.name, c.deadline.kind) for c in facts.commitments]
    assert got[:3] == [("第一，", "永嘉县农业农村局", "date"), ("第一，", "各乡镇", "none"),
                       ("第一，", "永嘉县综合行政执法局", "none")]
    assert ("第三，", "永嘉县财政局", "none") in got and ("2、", "永嘉县人民政府", "conditional") in got
    assert [c.deadline.due for c in facts.commitments if c.item in ("（1）", "（2）")] == [
        date(2023, 12, 31), date(2024, 6, 30)]


# ---- shapes real published letters take ------------------------------------------------------

@pytest.mark.parametrize(("sentence", "expected"), [
    # (fragment of the commitment, its owner, its deadline kind)
    ("目前项目前期工作已基本完成，我局将适时启动项目建设。", [("适时启动项目建设", "江州市临湖区教育局", "vague")]),
    ("下一步将根据审批进度，适时拿出方案。", [("适时拿出方案", "江州市临湖区教育局", "vague")]),
    ("拟作为2024年重点项目报请区政府审议。", [("报请区政府审议", "江州市临湖区教育局", "date")]),
    ("该院建设方已完成主体工程，计划8月份建成投用。", [("计划8月份建成投用", "该院建设方", "date")]),
    ("县交通部门计划明年实施该路段改造。", [("实施该路段改造", "县交通部门", "date")]),
    ("目前施工单位已进场，12月15日前该工程项目可完工。", [("该工程项目可完工", "江州市临湖区教育局", "date")]),
    ("下一步，我们将积极向上争取资金，如果争取到资金，我们将给予解决。",
     [("积极向上争取资金", "江州市临湖区教育局", "none"), ("给予解决", "江州市临湖区教育局", "conditional")]),
    ("对于暂未能及时设置信号灯的路段，区公安交管部门将采取部署移动信号灯等方式。",
     [("部署移动信号灯", "江州市临湖区公安交管部门", "conditional")]),
    ("现补助资金已下拨到位，请青石镇人民政府将拨付的资金进行统筹安排。", [("统筹安排", "青石镇人民政府", "none")]),
    ("下一步我局将指导区农业农村局做好项目策划储备。", [("项目策划储备", "江州市临湖区教育局", "none")]),
    ("预计9月上旬确定中标单位并开工建设，全部工程预计12月份完成。",
     [("开工建设", "江州市临湖区教育局", "date"), ("12月份完成", "江州市临湖区教育局", "date")]),
    # A body's own task, then a conditional one: two commitments, the first undated.
    ("由街道办事处核实违建范围，如在违建范围内，由街道办事处会同有关部门依法拆除。",
     [("核实违建范围", "街道办事处", "none"), ("依法拆除", "街道办事处", "conditional")]),
])
def test_shapes_of_real_letters(sentence, expected):
    found = letter(sentence).commitments
    assert [(next(f for f, _, _ in expected if f in c.text), c.owner.name, c.deadline.kind) for c in found] == expected


@pytest.mark.parametrize("sentence", [
    "您对以上答复有什么意见，请填写回执卡，并寄给县政协提案委和我单位，以便进一步改进工作。",
    "希望你们继续建言献策。",
    "我县每年支出1700多万元用于农村公路养护。",
    "2020年，我局将该项目列入年度计划，已于当年完成建设。",
    "2017年3月，省发改委印发了《实施意见》，提出将在下一步统筹推进海绵城市建设。",
    "近年来，我们适时亮化提升了街道路段亮化工程。",
    "现阶段，我区还尚未将校园安保设备的更新经费纳入财政预算。",
    "鉴于你们提出的当时领导答复3年内完成改造的问题，我们作必要的说明。",
    "此方案已上报纳入市教育局的2021-2022年农村学校改薄项目库。",
    "公厕日常保洁交由物业公司负责，日常监管由市城管局负责。",
    "2023年我市建成医养结合机构12家。",
])
def test_what_real_letters_report_is_no_promise(sentence):
    assert letter(sentence).commitments == []


def test_a_promise_after_the_courtesy_in_one_sentence():
    c = one("感谢您对教育工作的关心和支持，我们将在今后工作中进一步加强与上级部门的沟通对接。")
    assert c.text.startswith("我们将在今后工作中") and c.deadline.kind == "none"
    assert letter("衷心希望你们一如既往地关心教育事业，我们将虚心听取各位的意见。").commitments == []


def test_what_a_meeting_decided_is_to_be_done():
    found = letter("2023年6月9日，区政府召开了常务会议，研究讨论决定，一是鉴于原校舍已不符合抗震标准，原则同意对该校实施改扩建。"
                   "二是由区教育局会同区财政局对改扩建方案进行论证。").commitments
    assert [c.text[:8] for c in found] == ["鉴于原校舍已不符", "由区教育局会同区"]
    assert found[1].owner.name == "江州市临湖区教育局"


def test_bodies_that_take_part_after_you_are_partners():
    c = one("下一步，由区发改局、区财政局配合，做好项目审批和资金保障工作。")
    assert c.owner.name == "江州市临湖区教育局"
    assert [p.department.name for p in c.partners] == ["江州市临湖区发改局", "江州市临湖区财政局"]


def test_partners_real_letters_name():
    found = letter("下一步，我局将加强与住建、城管、水利、自然资源和规划等部门的协调对接，督促属地社区设立标识牌。").commitments
    assert [p.department.name for p in found[0].partners] == [
        "江州市临湖区住房和城乡建设局", "江州市临湖区城市管理局", "江州市临湖区水利局", "江州市临湖区自然资源和规划局",
        "属地社区"]


# ---- rules read on real letters, in sentences of our own -----------------------------------------

@pytest.mark.parametrize("sentence", [
    "由于我区教育基础薄弱，即使每年区财政对教育的投入不断加大，也只能优先保障教室改造。",  # a reason
    "为深入贯彻落实省、市关于教育强区的部署，进一步办好人民满意的教育。",  # a purpose with no main clause
    "2022年3月，省教育厅要求各地上报拟改造的薄弱学校名单。",  # a month reported, 拟 inside it
    "如果现有校舍能够满足需求，为节约资金无需新建教学楼。",  # no act undertaken
    "该校建成后将起到很好的示范带动作用。",  # what a thing will do
    "我局向区政府建议将学校修缮纳入明年的民生实事。",  # 将 inside a proposal to another body
    "两个规划将学前教育设施纳入了规划范畴。",  # 将 in the 把 sense, reported
    "目前该项目正在前期准备设计之中。",  # 准备 as a noun
    "由区教育局副局长李某负责解释办理。",  # who handles the proposal
    "以上答复如有不妥之处，请批评指正。",  # courtesy
    "针对您提出的“建议区教育局与区体育局联合开放校园体育场馆，每年定期组织学生参加校外拓展活动”，我们十分重视。",
])
def test_frames_predictions_and_reports_promise_nothing(sentence):
    assert letter(sentence).commitments == []


@pytest.mark.parametrize(("sentence", "kind"), [
    ("我们会积极向上争取资金。", "none"),  # modal 会
    ("待市级项目库启用时，我局将优先安排该校改造。", "conditional"),  # 待…时
    ("下一步，待省厅全面启动改薄项目，我们将优先考虑该校。", "conditional"),  # 待…，
    ("如项目争取成功，将优先安排在贵校实施。", "conditional"),  # 如 + a noun phrase
    ("我局会在新校区建成后随时进行安全观测。", "conditional"),  # 在…建成后
])
def test_promises_the_genre_writes_other_ways(sentence, kind):
    assert one(sentence).deadline.kind == kind


def test_the_writers_words_after_a_retold_proposal_are_read():
    c = one("您提出的《关于改进教育工作的提案》，我们认为很有必要，下一步我局将会同区财政局争取专项资金。")
    assert c.owner.name == "江州市临湖区教育局" and "争取专项资金" in c.text


def test_a_slogan_title_heads_its_item():
    found = letter("一、强化监督，确保施工质量。下一步我局将组织专家对在建校舍开展质量抽检。").commitments
    assert [c.text for c in found] == ["下一步我局将组织专家对在建校舍开展质量抽检"]


def test_owners_say_how_sure_they_are():
    sure = one("下一步，我局将加强校园安全管理。")
    assert sure.owner.name == "江州市临湖区教育局" and sure.owner_confidence >= 0.5
    # No unit named anywhere: 我们 has no owner, flagged for a person to check.
    text = "\n".join(["张三委员：", "您提出的关于改进校园安全的提案收悉，现答复如下：", "下一步，我们将加强校园安全管理。"])
    [guess] = extract_letter(text, "case.txt").commitments
    assert guess.owner is None and guess.owner_confidence < 0.5 and guess.confidence < 0.5
    # A unit guessed from the closing thanks' field of work is a guess too.
    text = "\n".join(["张三委员：", "您提出的关于改进校园安全的提案收悉，现答复如下：", "下一步，我局将加强校园安全管理。",
                      "感谢您对我县教育工作的关心和支持。"])
    [guessed] = extract_letter(text, "case.txt").commitments
    assert guessed.owner.name == "县教育局" and guessed.owner_confidence < 0.5
    # The thanks may name the field's 发展 rather than its 工作.
    text = "\n".join(["张三委员：", "您提出的关于改进校园安全的提案收悉，现答复如下：", "感谢您对我县义务教育发展的关注。",
                      "下一步，我们将积极争取资金，逐步改善学校条件。"])
    [guessed] = extract_letter(text, "case.txt").commitments
    assert guessed.owner.name == "县教育局" and guessed.owner_confidence < 0.5


def test_a_clause_without_subject_after_another_bodys_is_flagged():
    found = letter("区政府为此启动了新体育中心项目的谋划。目前选址已基本确定，预计明年开工建设。").commitments
    assert [c.owner_confidence < 0.5 for c in found] == [True]


def test_a_clause_without_subject_continues_its_sentences_subject():
    # 区政府 leads a list of bodies in the clause before; the promise that follows is its own.
    c = one("目前全区正在调整社区设置，近日区政府、区民政局及各街道办事处对社区用房进行了摸底，将对部分社区用房进行整合。")
    assert c.owner.name == "江州市临湖区政府" and c.owner_confidence >= 0.5
    assert [p.department.name for p in c.partners] == ["江州市临湖区民政局", "街道办事处"]
    # 政府 alone as the subject of one clause, its promise in the next.
    c = one("近年来城区建设加快，政府已将老旧小区改造纳入规划，会逐步分批进行改造。")
    assert c.owner.name == "江州市临湖区政府"


@pytest.mark.parametrize("sentence", [
    "下一步，由区住房和城乡建设局、区财政局和区自然资源和规划局牵头，年底前完成校舍改造。",
    "区住房和城乡建设局、区财政局及区自然资源和规划局将于年底前完成校舍改造。",
])
def test_the_first_of_bodies_listed_as_one_subject_owns_and_the_others_take_part(sentence):
    c = one(sentence)
    assert c.owner.name == "江州市临湖区住房和城乡建设局"
    assert [(p.department.name, p.role) for p in c.partners] == [
        ("江州市临湖区财政局", "partner"), ("江州市临湖区自然资源和规划局", "partner")]


def test_bodies_a_clause_gives_the_lead_of_anothers_act_take_part_as_leads():
    c = one("我区正在推进教师管理体制改革，由区委改革办、区人力社保局和区财政局等单位牵头负责，拟于明年上半年完成。")
    assert c.owner.name == "江州市临湖区人民政府"
    assert [(p.department.name, p.role) for p in c.partners] == [
        ("江州市临湖区委改革办", "lead"), ("江州市临湖区人力资源和社会保障局", "lead"), ("江州市临湖区财政局", "lead")]


def test_a_paragraph_about_a_named_body_gives_it_its_undertakings():
    c = one("区档案馆现有库房面积不足，待经费落实后，该馆将启动新馆建设。")
    assert c.owner.name == "江州市临湖区档案馆" and c.deadline.kind == "conditional"


@pytest.mark.parametrize(("sentence", "owner", "partners"), [
    # a body the owner 责成s or 督促s takes part in the owner's act
    ("我局将责成青石镇人民政府做好安置工作。", "江州市临湖区教育局", ["青石镇人民政府"]),
    ("我局将督促属地街道做好校园周边环境整治。", "江州市临湖区教育局", ["属地街道办事处"]),
    # a body the letter asks (请) owns its act
    ("请青石镇人民政府将资金统筹安排。", "青石镇人民政府", []),
    # a body no table lists, in a list after 会同
    ("我局将会同区史志办、区文旅局收集整理校史资料。", "江州市临湖区教育局",
     ["江州市临湖区史志办", "江州市临湖区文旅局"]),
])
def test_directed_bodies_take_part_and_asked_bodies_own(sentence, owner, partners):
    c = one(sentence)
    assert c.owner.name == owner and [p.department.name for p in c.partners] == partners


def test_the_measures_after_a_next_step_continue_it():
    found = letter("下一步，我局将加强学校体育工作。依托校园场馆，开展青少年体育联赛。推介优秀体育项目，打造校园体育品牌。"
                   "区体育中心有标准田径场一个，专门用于训练。").commitments
    assert [c.text[:4] for c in found] == ["下一步，", "依托校园", "推介优秀"]


def test_a_years_plan_dates_its_months():
    found = letter("今年我们计划举办学生体育赛事三项。4月份举办田径运动会，9月份举办篮球联赛。", signed="2023年1月12日").commitments
    assert [c.deadline.due for c in found[1:]] == [date(2023, 4, 30), date(2023, 9, 30)]


def test_a_place_the_body_names_is_the_letters_own():
    text = "\n".join(["张三代表：", "您提出的关于增设公交站点的建议收悉，现答复如下：",
                      "根据桐川市西塘区实际情况，我区将在明年新增公交线路两条。", "同时，财政局将安排专项资金。"])
    found = extract_letter(text, "case.txt").commitments
    assert [(c.owner.name, c.owner_rule, c.owner_confidence >= 0.5) for c in found] == [
        ("桐川市西塘区人民政府", "place", True), ("桐川市西塘区财政局", "subject", True)]


@pytest.mark.parametrize("sentence", [
    "根据《临湖区学校安全管理办法》规定，区公安分局负责校园周边治安巡查。",  # what a cited rule says
    "2020年我局争取到省级补助资金150万元。",  # a past year's action
    "我局完全赞同您的建议。",  # agreement
    "欢迎继续关注和监督。",  # courtesy
    # practice reported by a sentence that opens by looking back, in the middle of a paragraph
    "您的建议收悉，我们十分重视。这几年，全区学校的办学条件逐步在改善，但风雨操场不在标准化建设之列。",
    "感谢您的关注。一直以来，校园周边巡查由区公安分局负责，区城管局负责对占道经营进行整治。",
    "由于资金有限，没有将3个校区的操场全部改造，致使部分学生活动不便。",  # 没有将: not done
    "去年我局将32项任务分解到各科室，逐项落实。",  # last year's act
    "前年我局继续加大校舍维修投入。",
    # what a rule requires of others
    "新建小区要严格落实配建幼儿园的要求，确保与住宅同步交付使用，不得挪作他用。",
])
def test_what_is_not_an_undertaking(sentence):
    assert letter(sentence).commitments == []


def test_a_page_saved_without_its_line_breaks():
    """Furniture, fields, the letter, its signature and the page's footer run into one line."""
    text = ("当前位置: 首页 > 信息公开 > 建议提案办理  索引号: 0001/2023-01  发布机构: 桐川市西塘区教育局  "
            "关于第12号建议的答复  张三代表: 您提出的关于增设学位的建议收悉，现答复如下: 目前全区学位总体充足。"
            "下一步，我局将于2024年9月前新建幼儿园一所。感谢您对教育工作的关心和支持。  "
            "桐川市西塘区教育局  2023年7月12日  联系人:李某  联系电话:86631942  版权所有:桐川市西塘区人民政府")
    facts = extract_letter(text, "flat.txt")
    assert [c.text for c in facts.commitments] == ["下一步，我局将于2024年9月前新建幼儿园一所"]
    assert facts.commitments[0].owner.name == "桐川市西塘区教育局"
    assert (facts.meta.replying_unit, facts.meta.date) == ("桐川市西塘区教育局", date(2023, 7, 12))
    # The same page with its signature on a line of its own: the short line that opens with the
    # page's furniture still holds the letter.
    facts = extract_letter(text.replace("支持。  桐川", "支持。\n桐川"), "flat.txt")
    assert [c.text for c in facts.commitments] == ["下一步，我局将于2024年9月前新建幼儿园一所"]


def test_headings_run_into_a_line_still_open_their_sections():
    # 一、基本情况 reports what is (its 将 is the 把-sense of a story); 二、下一步打算 promises.
    text = ("关于第12号建议的答复  张三代表: 您提出的关于修建机耕道的建议收悉，现答复如下: 一、基本情况 "
            "当地村民只能人背马驮，将农产品运回家，生产成本较高。 二、下一步打算 我局将积极争取资金，逐步修建机耕道。"
            "  桐川市西塘区农业农村局  2023年7月12日")
    facts = extract_letter(text, "flat.txt")
    assert [c.text for c in facts.commitments] == ["我局将积极争取资金，逐步修建机耕道"]
    assert facts.commitments[0].section == "二、下一步打算"


def test_items_run_into_a_line_are_items_still():
    # A co-organiser's opinions, numbered 1. 2. in one line: each item is a measure it undertakes.
    text = ("区林业局: 代表提出的关于山林保护的建议已收悉。现提出协办意见如下: 1.镇切实做好山林保护工作，搞好山林资源普查。"
            " 2.积极配合上级部门编制山林保护规划，明确保护范围。  青川市东岸区青石镇人民政府  2023年7月12日")
    found = extract_letter(text, "flat.txt").commitments
    assert [c.text[:6] for c in found] == ["镇切实做好山", "积极配合上级"]
