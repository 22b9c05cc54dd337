"""Cue words, as data: what marks a promise, a past report, a condition, a role.

Everything the commitment spotter and the owner resolver key on is here, so a
reader can see (and change) the tracker's idea of the genre in one place.
"""
from __future__ import annotations

from ouhai_tracker.extract.rules import letters as L

# A modal 将 (will) is a promise; 已将 / 均将 / 未将 are the 把-sense in a report, 将 before a
# number (将32项任务分解到…) is the 把-sense too, and 提出将… / 明确将… report what another said.
MODAL_JIANG = (r"(?<![已均即并经未就没])(?<!没有)(?<!提出)(?<!明确)(?<!要求)(?<!规定)(?<!指出)(?<!建议)"
               # 将起到…作用, 建成后将更好地为…: what a thing will do, not an undertaking
               r"将(?![来近要\d]|起到|产生|带来|成为|极大|大大|更好|更加|有力)")
# After a report, a clause that opens with 将 is a promise when a preposition or an adverb
# follows it (…已开展了X，将根据方案开展…); otherwise 将 is the 把-sense (…打造了X，将专家的信息挂在…).
MODAL_JIANG_FOLLOWERS = ("根据", "按照", "依据", "结合", "在", "于", "对", "与", "继续", "进一步", "积极", "加快", "全面",
                         "尽快", "适时", "进行", "开展", "加强", "逐步", "认真", "持续", "做好", "切实", "严格", "及时",
                         "采取", "通过", "组织", "协调", "主动", "大力", "力争", "争取", "会同", "联合", "配合", "予以")

# A modal 会 (我们会积极争取…, 会逐步改造): before the adverbs and prepositions that open a
# promise, never in a noun (社会, 大会, 协会) nor before 同 (会同 is a partner's cue) or 得到 (a hope).
MODAL_HUI = (r"(?<![社工商协委学大议机开约都体领理误照晚年省宴集聚博峰例盛常董总再运])会(?=积极|逐步|尽快|认真|继续|进一步|及时|加快"
             r"|加大|在|按照|根据|结合|努力|全力|主动|切实|持续|紧跟|适时|优先|做好|对|与|向|把|将|给予|予以|考虑|尽早|陆续"
             r"|跟进|密切|一如既往|不断|认真|全面|重点|协调|督促|联系|组织|安排|配合)")

# Words that make a clause forward-looking on their own.
STRONG_CUES = (
    MODAL_JIANG,
    r"(?<![原按度设动作生资划此该的项目入列])计划(?=[\u4e00-\u9fff])(?![书表内中外的])",
    r"拟(?=[\u4e00-\u9fff])(?![定稿])",
    r"力争", r"(?<!前期)(?<!做好)(?<![的和])准备(?!工作|阶段|之中|中)", r"(?<!工作)打算",
    MODAL_HUI,
    r"预计(?=[^，。；]{0,4}(?:\d{4}|[今明]年|年底|年内|年末|\d{1,2}月|[上下]半年))",  # 预计可新增300张: a projection
    r"还将", r"即将", r"将于", r"(?<!明)确保(?!了)", r"届时",
    # a decision to act (经区政府同意，决定在…建设…): what was decided is still to be done
    r"(?<![的已])决定(?=在|于|将|对|从|由|实施|建设|开展|启动|新建|投资)",
)

# Words that suggest a commitment only when nothing in the unit reports the past.
WEAK_CUES = (
    r"继续", r"持续(?!上升|增长|下降|加大|扩大|减少|提高|提升|改善|向好|攀升|增加|走高|低迷)", r"(?<!为)进一步",
    r"逐步", r"着力", r"谋划", r"(?<!已)责成",
    # 将 before a number (将3所村小的改造纳入规划) is the 把-sense, a promise only where nothing
    # beside it reports the past (去年将32项任务分解到…).
    r"(?<![已均即并经未就没])(?<!没有)将(?=\d)",
)

# Words that give an act to the body after them, which owns it: 由区自然资源局实施…, 请青石镇
#人民政府将资金统筹安排, 责成交警大队负责….
# (A body the owner 责成s takes part in the owner's act: a partner, not the owner.)
ASSIGNING = ("由", "请", "责令")
# 报请区政府审议 asks the body to decide, not to act: not an assignment.
NOT_ASSIGNING = ("报请", "提请", "商请", "申请", "呈请", "邀请", "恳请", "敬请", "提交")
# ... unless the act is handling the proposal itself (该提案由我局主办，市财政局协办).
HANDLING_VERBS = ("主办", "协办", "承办", "办理", "答复", "会办")

# Responsibility: 由X负责 / X牵头 / X负责 name the body that will act.
RESPONSIBILITY = r"(?:负责|牵头)"

# Past markers. 了 as an aspect particle, not in 了解 / 为了 / 除了.
PAST_MARKERS = (
    r"已(?!于)", r"已经", r"(?<![为除罢])了(?![解结])", r"截至", r"截止", r"累计", r"先后",
    r"曾(?!经)", r"曾经", r"共计", r"荣获", r"被评为", r"当时", r"(?<!自)己(?=[过经将])", r"(?<![还])没有(?!得到)",
    r"交由", r"划归", r"上划", r"才(?=筹集|完成|到位|结束|落实|拨付|完毕)", r"历届", r"历年来", r"(?<![比较与同])(?:去年|前年)(?!同期)",
    r"共(?=[\u4e00-\u9fff]{0,2}?(?:下达|投入|完成|安排|组织|发放|拨付|建成|开展|实施|争取|筹集|办理|培训))",
)
# 了 as the aspect particle of a done act (将X纳入了规划: 将 in the 把 sense, reported).
PERFECTIVE = r"(?<![为除罢])了(?![解结])"

# Phrases that mark a whole unit as a report of an old plan (原计划…已…).
PAST_PLAN = (r"原计划", r"原定计划", r"按原计划", r"此前制定的计划", r"已于", r"已经于", r"如期")

# A yearly sum or count is a statistic, not a recurring promise (我县每年支出1700多万元用于…).
RECURRING_STATISTIC = (r"每年(?:度)?(?:支出|投入|安排|下达|拨付|发放|补助|新增|增加|减少|约|近|超过?)[^，。；]{0,6}?"
                       r"\d[\d.,]*(?:多|余)?(?:万|亿|千)?(?:元|人次|人|次|个|家|项|户|吨|公里|亩|%)")

# A count of what was done (建成医养结合机构12家, 培训1106人次): with a bare year (2023年我市建成…)
# it reports that year's results, it does not promise them.
COMPLETED_COUNT = (r"(?:建成|完成|新增|实现|达到|培训|举办|开展|投入|下达|发放|办理|受理|帮助|解决)[^，。；]{0,12}?"
                   r"\d[\d.,]*(?:多|余)?(?:万|亿|千)?(?:元|人次|人|次|个|家|项|户|吨|公里|亩|所|座|处|件|场|期|%)")

# Descriptions of the present state (目前全区有…): facts, never promises by inheritance.
PRESENT_MARKERS = r"目前|当前|现有|现阶段|据摸底|据统计|据调查|据了解|共有|总数|占比|比例|例如|比如"

# Conditions. Each regex has a group ``cond`` holding the condition text. A condition of
# its own (待…后, 若…, 一旦…) makes a clause forward-looking; a qualified object (对于暂未安装
#信号灯的路口，…; 无法避让的，…; 在…的前提下) only makes a promise conditional.
QUALIFIERS = r"(?:未|没有|不|无法|符合|达到|满足|具备|存在|涉及|需要|有条件|具有|出现)"
CONDITIONS = (
    r"(?<![期对接有等看款招优虐])待(?!遇)(?P<cond>[^，,。；;]{2,60}?)(?:之后|后|时|即|再|就|方可|(?=[，,]))",
    r"(?<![倘])若(?!干)(?P<cond>[^，,。；;]{2,60}?)(?:[，,]|$)",
    r"(?<![例比假譬诸不])如(?=在|有|需|遇|发现|出现|确需|符合|具备|涉及|属于|存在|无法|不能|未)(?P<cond>[^，,。；;]{2,40}?)(?:[，,]|$)",
    # 如项目争取成功，将优先…: 如 before a noun phrase, when a consequence follows the comma.
    r"(?<![例比假譬诸不])如(?=今后|以后|将来)(?P<cond>[^，,。；;]{2,30}?)(?:[，,]|$)",
    r"(?<![例比假譬诸不])如(?![下图期实何此今同果前上所数意])(?P<cond>[^，,。；;]{2,24}?(?:成功|批准|获批|到位|落实|通过|同意|允许|可行|具备|成熟))"
    r"[，,](?=[^，,。；;]{0,8}?(?:将|再|即|则|就|会|可|予以|优先))",
    r"在(?P<cond>[^，,。；;]{0,20}?(?:建成|完成|竣工|到位|批准|获批|通过|落实|确定|验收|启动|实施))(?:之后|以后|后)",
    r"如果(?P<cond>[^，,。；;]{2,60}?)(?:[，,]|$)",
    r"只要(?P<cond>[^，,。；;]{2,60}?)(?:[，,]|$)",
    r"一旦(?P<cond>[^，,。；;]{2,60}?)(?:[，,]|$)",
    r"视(?P<cond>[^，,。；;]{2,60}?(?:情况|结果|进展|需要|进度))(?:而定)?",
    r"在(?P<cond>(?:没有|未|尚未)[^，,。；;]{2,30}?)(?:之前|以前|前)",
    r"(?P<cond>(?:条件|时机)成熟)(?:后|时)?",
    r"(?<=[，,。；;：:\n])(?P<cond>[^，,。；;]{1,8}?(?:后))(?=再|即可|方可)",
    r"(?:(?<=[，,。；;：:\n])|(?<=[" + L.CN_NUMERALS + r"]是))(?![随然此之今以最前其会事])(?P<cond>[^，,。；;\d]{2,10}?(?:确定|批准|到位|下达|落实|审批|获批|通过|成立)后)[，,]",
)
QUALIFIED_CONDITIONS = (
    r"在(?P<cond>[^，,。；;]{2,40}?)的?(?:前提|情况|条件)下",
    r"随着(?P<cond>[^，,。；;]{2,30}?)(?=[，,]|$)",
    rf"(?:对于?|针对)(?P<cond>[^，,。；;]{{0,20}}?{QUALIFIERS}[^，,。；;]{{0,24}}?的[^，,。；;]{{1,12}})(?:[，,]|$)",
    rf"(?<=[，,。；;：:])(?P<cond>[^，,。；;]{{0,16}}?{QUALIFIERS}[^，,。；;]{{0,24}}?的)[，,]",
    # 在条件具备的乡镇建设… / 对具备条件的学校…: only where the condition holds.
    r"(?P<cond>条件具备|具备条件|条件成熟|有条件)的",
)
# Where any of the conditions above can start: at one of their first characters, or right after
# the marks (or the 一是 …) their lookbehinds ask for. The quick test for any condition at all
# tries them only there, not all of them at every character.
CONDITION_START = r"(?=[待若如只一视在条时对针随具有])|(?<=[，,。；;：:\n])|(?<=[" + L.CN_NUMERALS + "]是)"

# Partners and roles: the word before a department that says how it takes part. A body the
# owner directs (督促 / 要求 / 指导 / 协调 X做…) takes part too.
PARTNER_CUES = {
    "会同": "partner", "联合": "partner", "配合": "partner", "协同": "partner",
    "协助": "partner", "会商": "partner", "携手": "partner", "协办": "co-organizer",
    "主办": "lead", "督促": "directed", "责成": "directed", "要求": "directed", "指导": "directed", "协调": "directed",
}
# What a directed body no table lists ends with (协调新建办…, 督促属地社区…, 要求以上学校…).
DIRECTED_HEADS = ("办公室", "办", "局", "委", "中心", "所", "站", "大队", "中队", "部门", "社区", "街道", "学校",
                  "村委会", "居委会", "政府")
# Bodies named by no name: not partners (上级部门, 有关部门, 各相关单位).
# In a list of bodies, 各 before one means each body of that kind (区民政局及各街道办事处).
EACH = "各"
UNNAMED_BODIES = ("有关", "相关", "上级", "各相关", "各有关", "其他", "各级", "各部门", "职能")
# 与住建、城管等部门的沟通协调 / 我厅与省发改委将…: what after 与X makes X a partner.
WITH_VERBS = ("沟通", "协调", "对接", "合作", "衔接", "联系", "共同", "联合", "一起", "配合", "协作", "将")
# Between a list of bodies and the role it plays: X、Y等部门全力配合.
ROLE_ADVERBS = ("全力", "积极", "共同", "密切", "主动", "协同", "做好", "负责")

# Speech: "区财政局表示：我们将…" makes 我们 the 财政局.
SPEAKER_AFTER = r"(?:表示|反馈|回复|答复|认为|提出|介绍)"
# Prepositions before a body that is spoken to, not speaking (向市住建局进行反馈).
SPOKEN_TO = ("向", "对", "给", "与", "同", "和")

# Lines that close a letter's body: contact, 抄送, attachments, signer.
CLOSING_LINE = r"^(?:办理单位)?(?:联\s*系\s*人|联系电话|抄\s*送|附件|签发|承办)"
# A coordinated clause that brings its own date starts a promise of its own (…，并于明年上半年…).
CONJUNCTION_BEFORE_TIME = r"(?:并且|并|同时|此后|另外|此外|还将|并将)(?:于|在|从)?"
# A part that opens with these continues the promise before it (…；同时会同区财政局研究…).
CONTINUING = r"同时|并且|并|还将|还|此外|另外|以及|再"
# Characters that join the bodies of a list (区财政局、区教育局和区民政局).
LIST_JOINERS = "、和及与,，"

# Words between a clause's start and its subject that do not stop the subject
# being the subject (同时，我局… / 年内由区总工会牵头 / 经研究，…).
SUBJECT_PREFIXES = (
    "同时", "并且", "并", "此外", "另外", "另", "此后", "今后", "下一步是", "下一步", "是", "经研究", "经征求意见",
    "则", "再由", "由", "目前", "当前", "近期", "同步", "届时", "对此", "为此", "最后",
)

# Verbs and adverbs that may follow a subject directly.
AFTER_SUBJECT = (
    "将", "负责", "牵头", "表示", "计划", "拟", "要", "会同", "联合", "配合", "已", "正", "还", "也",
    "均", "都", "在", "于", "对", "每", "定期", "适时", "尽快", "近期", "年内", "同步", "统筹",
    "按照", "根据", "依据", "继续", "持续", "进一步", "积极", "力争", "主动", "全面", "加快",
    "加强", "第一时间", "作为", "为此", "高度", "通过", "组织", "开展", "会", "主办", "协办", "研究", "督促",
    "指导", "推动", "推进", "做好", "落实", "今年", "明年", "及时", "认真", "立即", "专门", "召开",
)

# The proposal's own words reported back (您在提案中提出，要将…): the proposer's wish, not a promise.
PROPOSER_SPEECH = (rf"(?:{L.ITEM_IS}|{L.ITEM_COMMA}|{L.ITEM_DIGITS})?"
                   r"(?:(?:针对|对于|关于)(?:您|你们)[^，。；的]{0,16}?(?:提出|指出|建议|认为|反映|希望|要求|呼吁)(?!的)|"
                   r"(?:鉴于)?(?:您|你们|贵单位|贵会|委员们?|代表们?|各位(?:委员|代表)|提案|建议|议案|《提案》|《建议》|该(?:提案|建议))"
                   r"[^，。；]{0,16}?(?:提出|指出|建议|认为|反映|希望|要求|呼吁))")
# The proposal's words quoted back (您提出的“建议…”): never the letter's promises.
QUOTED_PROPOSAL = r"(?:提出|所提|建议|提案|反映)的?[:：]?“(?P<quote>[^”]{8,400})”"

# Verbs of a slogan-like item title (一、强化监督，确保施工质量。): they head the item, the item's
# body promises.
SLOGAN_CUES = ("确保", "力争")

# The fields of a page that quotes the proposal (建议内容(摘要):…, 案由:…): its words, not the reply's.
PROPOSAL_FIELDS = r"^(?:建议|提案|议案)?(?:内容|标题|案由|名称)(?:[(（]摘要[)）])?\s*[:：]|^案由\s*[:：]"

# A sentence opening with these makes the sentences after it in its paragraph its measures
# (下一步，我局将…。依托…，开展…活动。推介…): they continue its promise.
FORWARD_OPENERS = ("下一步", "下步", "今后", "接下来", "下阶段", "下一阶段")
# ... unless they state what there is (安防学院有智能装备专业，…: a fact, not a measure).
EXISTENTIAL = r"[^，,。；;]{0,12}?(?<![没还具])有(?![效序力关利助])"

# A signature run into a line (镇康县水务局 2019年7月15日 |, 联系电话:3221671 2021年7月15日): a name or a
# number, then the date that ends the line.
SIGNED_LINE = r"[^，,。；;]{0,30}?" + L.WRITTEN_DATE + r"[\s|｜]*$"

# A part that only names its topic (关于委员提出的提高津贴标准的建议，…): no act in it.
TOPIC_FRAME = r"(?:关于|对于|针对|就)[^，,。；;]*?(?:建议|提案|议案|问题|意见|诉求|事项)"

# Where a letter's close begins when a page ran it into the text before (…支持。 某某局 2023年6月12日
# 联系人:… 版权所有:…): nothing from there on promises.
PAGE_CLOSE = (r"版权所有|ICP|联\s*系\s*人\s*[:：及(（]|联系电话|联系方式\s*[:：]|经办人|承办人\s*[:：]|主\s*办(?:单位)?\s*[:：]|"
              r"(?:承办|联系)单位\s*[:：]|"
              r"地\s*址\s*[:：]|邮\s*编\s*[:：]|扫一扫|上一[条篇]\s*[:：]|下一[条篇]\s*[:：]|[【\[]\s*(?:打印|关闭)|打印\s+关闭|"
              r"网站地图|责任编辑|阅读数|浏览次数|分享到|"
              rf"(?<=[局厅委办府会心处队所站室])\s+(?:(?:19|20)\d{{2}}|[{L.YEAR_DIGITS}]{{4}})\s*年\s*[\d{L.CN_NUMERALS}]{{1,3}}\s*月"
              rf"\s*[\d{L.CN_NUMERALS}]{{1,3}}\s*日")

# Where the writer's own voice takes over from a retold proposal (您提出的…，我们认为…，下一步将…).
WRITER_VOICE = ("我", "本局", "本委", "下一步", "下步", "今后", "对此", "为此", "经研究", "经认真研究")

# Words after a department that make it a partner: 由区住建局牵头，区财政局、区教育局配合.
PARTNER_AFTER = {"配合": "partner", "协助": "partner", "协同": "partner", "参与": "partner", "协办": "co-organizer"}

# Sentences that thank, invite or announce the answer, or ask for the members' feedback:
# never commitments.
BOILERPLATE = (r"感谢", r"谢谢", r"欢迎", r"恳请", r"希望(?:你们|您|各位)", r"建言献策", r"(?:答复|回复|函复|复函|函告|说明)如下", r"收悉",
               r"特此", r"专此", r"此复", r"敬请", r"请填写", r"回执",
               r"征询意见", r"反馈意见表", r"以便(?:我们)?(?:进一步)?改进", r"虚心听取", r"一如既往", r"宝贵意见", r"如有(?:不同|其他)?意见",
               r"不妥之处", r"如有不妥", r"批评指正", r"希望(?:今后|继续|您|你)",
               # who handles the proposal, not what will be done about it
               r"负责[^，。；]{0,4}?(?:解释|答复)", r"(?:承办|办理|答复)(?:该|此|本|您的|你的)?[^，。；]{0,16}?(?:提案|建议|议案)的?过程")
# The closing thanks names the writer's field when nothing else names the writer:
# 感谢您对我县交通运输工作的关心 / 感谢您对义务教育发展的关注 / 对你们关心、重视和支持林业工作表示感谢.
_FIELD = r"(?:(?!关心|支持|重视|关注)[\u4e00-\u9fff]){2,8}?"
THANKS_FIELD = (rf"(?:感谢|谢谢)[^。！!]{{0,12}}?(?:对|关心|支持|重视|关注)(?:我[省市区县乡镇])?(?P<field>{_FIELD})(?:工作|事业|发展)"
                rf"|(?:关心|支持|重视|关注)(?:我[省市区县乡镇])?(?P<field2>{_FIELD})(?:工作|事业)[^。]{{0,6}}?表示(?:衷心的)?感谢")

# A paragraph that opens by looking back reports practice (近年来，各有关部门…。一是持续…).
REPORT_OPENING = r"\s*(?:近年来|近几年来?|多年来|长期以来|今年以来|近年以来|一直以来|这几年来?|这些年来?|近些年来?|几年来)"
# What a promise leads to, in a sentence of its own (…。以此推动乡村旅游工作。): no promise of its own.
RESULT_OPENINGS = ("以此", "借此", "从而", "进而", "由此")
# A rule's words: a clause that forbids (不得挪用, 严禁占用) states what a rule requires of others.
PROHIBITIONS = ("不得", "严禁", "禁止")
# A lead that cites what a rule says (…第八条规定：各乡镇人民政府负责…): its body is the rule's content.
CONTENT_LEAD = r"(?:规定|明确|指出)$"

# A meeting's decision: what follows (…研究讨论决定，一是…) is to be done.
DECISION = r"(?:研究|讨论|会议|审议)决定[，,：:]"

# A clause that gives a reason (鉴于…已不符合…, 且因设备老化…): its past words report nothing.
REASON = rf"(?:{L.ITEM_IS})?(?:且|并)?(?:鉴于|由于|因为|因)"
# A purpose clause (为深入贯彻落实…，进一步打好…。): with no main clause of its own, it promises nothing.
PURPOSE = (rf"(?:{L.ITEM_IS})?" r"(?:为了|为(?=深入|进一步|切实|全面|充分|更好|更加|加快|有效|积极|逐步|认真|贯彻|落实|推进"
           r"|推动|提升|提高|改善|解决|保障|加强|促进|满足|确保|做好|实现|打好|巩固|维护|强化|优化|完善|规范|方便|减轻|缓解|加大))")
# An action that is not needed (为节约资源无需新建…) is no undertaking, whatever frames it.
NEGATED_ACTION = r"无需|无须|不需要|不必|没有必要"

# Where the answer starts: the opening's 现答复如下 (what comes before it is the proposal retold).
OPENING = r"(?:答复|回复|函复|复函|说明|意见|情况|函告|通报)如下[:：。，,]?"

# What a cited policy says (《办法》规定，对…将给予奖励) is its content, not a promise of the letter.
POLICY_SAYS = r"》[^，。；]{0,12}?(?:规定|明确|要求|指出)|(?:根据|按照|依据)[^，。；]{0,30}?规定[，,]"

# Describing what an existing policy grants (对…给予10万元奖励) is not a promise.
POLICY_GRANT = r"(?:给予|发放|补助|补贴|奖励)[^，。；]{0,20}?\d[\d.,，]*(?:万?元|%)|给予(?:最高|每[人台处个])"

# Section headings that mark a section as a report of the past, or as plans.
PAST_SECTION = r"基本情况|现状|已开展|已做|已采取|开展情况|主要做法|工作成效|进展情况|工作开展"
FUTURE_SECTION = r"下一步|下步|今后|打算|工作计划|工作安排|努力方向|下阶段"

# Web-page furniture that a copied page may carry as lines of text.
FURNITURE = L.PAGE_FURNITURE_START

# Item markers that open a list item: 一是 (一) 1. ① 一、
ITEM_MARKER = "(?:" + "|".join((L.ITEM_IS, L.ITEM_IN_BRACKETS, rf"(?<!\d){L.ITEM_DIGITS}(?!\d)", L.ITEM_CIRCLED,
                                  L.ITEM_COMMA, L.ITEM_ORDINAL)) + ")"
