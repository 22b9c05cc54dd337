"""Government bodies, as data: the grammar of their names and the short forms people use.

A body's name reads [place][level][function words][suffix]: 温州市瓯海区 + 经济和信息化 + 局,
青石 + 镇 + 人民政府, 省 + 科学技术 + 厅. The recogniser (extract/departments.py) reads names by
that shape, so bodies no table lists (林业和草原局, 退役军人和社会事务局, 通信发展办公室)
are found too. The tables below only say which function class a name belongs to (for
matching: 教育体育局 and 教育局 are both education) and which short forms stand for which
full name (住建局 = 住房和城乡建设局). A body keeps the name it uses: only a short form is
written out in full.
"""
from __future__ import annotations

from typing import NamedTuple


class Name(NamedTuple):
    """A full name a class of bodies uses (住房和城乡建设局), and the short forms that stand for it."""

    full: str
    shorts: tuple[str, ...] = ()


class Function(NamedTuple):
    """A function class: its key (住建), the names its bodies use, and the stems that name it in a
    list (与住建、城管等部门)."""

    key: str
    names: tuple[Name, ...]
    stems: tuple[str, ...] = ()


class LocalBodies(NamedTuple):
    """Bodies a letter hands work to without naming one (各街道, 所在镇): the kind, and its forms."""

    kind: str
    forms: tuple[str, ...]


# Function classes, one row each: its key, its names, its list stems.
#   names       full names bodies of the class use, each with the short forms that stand for it
#   list stems  the class named by stem alone in a list (与住建、城管、水利等部门)
# A class with list stems is a function: its names without their suffix are stems too, and a
# name that starts with a stem is recognised even when no table lists it (科技经信局).
FUNCTIONS: tuple[Function, ...] = (
    # --- governments and party offices
    # 区政府 and 区人民政府 are each kept as the letter writes them.
    Function("政府", (Name("人民政府"), Name("政府"), Name("办事处"))),
    Function("政府办", (Name("人民政府办公室", ("政府办", "政府办公室")), Name("人民政府办公厅", ("政府办公厅",)),
               Name("党政办公室", ("党政办",)))),
    Function("行署", (Name("行政公署办公室", ("行署办",)), Name("行政公署", ("行署",)))),
    Function("管委会", (Name("管理委员会", ("管委会",)),)),
    Function("编办", (Name("委机构编制委员会办公室", ("编办", "委编办", "编委办", "机构编制委员会办公室")),)),
    Function("宣传", (Name("委宣传部", ("宣传部",)),)),
    Function("组织", (Name("委组织部", ("组织部",)),)),
    Function("统战", (Name("委统战部", ("统战部",)),)),
    Function("政法", (Name("委政法委员会", ("政法委", "委政法委")),)),
    Function("人大", (Name("人大常委会", ("人民代表大会常务委员会",)),
              Name("人大常委会代表工作委员会", ("代表工作委员会", "人大代表工委", "人大常委会代工委")))),
    Function("政协", (Name("政协提案委员会", ("提案委员会", "提案委", "政协提案委")),)),
    Function("法院", (Name("人民法院", ("法院",)),)),
    Function("检察院", (Name("人民检察院", ("检察院",)),)),
    # --- bureaus, commissions and departments (厅) by function
    Function("发改", (Name("发展和改革委员会", ("发改委", "发展改革委", "发展改革委员会")),
              Name("发展和改革局", ("发改局", "发展改革局"))), ("发改", "发展改革", "发展和改革")),
    Function("教育", (Name("教育局"), Name("教育体育局", ("教体局",)), Name("教育和体育局"), Name("教育委员会", ("教委",)),
              Name("教育厅")), ("教育", "教体")),
    Function("科技", (Name("科学技术局", ("科技局",)), Name("科学技术厅", ("科技厅",)), Name("科学技术委员会", ("科委",))), ("科技",)),
    Function("经信", (Name("经济和信息化局", ("经信局", "经济信息化局")), Name("经济和信息化委员会", ("经信委",)),
              Name("工业和信息化局", ("工信局",)), Name("工业和信息化厅", ("工信厅",))), ("经信", "工信", "经济和信息化", "工业和信息化")),
    Function("公安", (Name("公安局"), Name("公安厅"), Name("公安分局"), Name("交通警察支队", ("交警支队",)),
              Name("交通警察大队", ("交警大队",)), Name("交通管理大队", ("交管大队",)), Name("派出所")),
     ("公安", "交警", "交管", "交通管理")),
    Function("民政", (Name("民政局"), Name("民政厅")), ("民政",)),
    Function("司法", (Name("司法局"), Name("司法厅"), Name("司法所")), ("司法",)),
    Function("财政", (Name("财政局"), Name("财政厅"), Name("财政所")), ("财政",)),
    Function("人社", (Name("人力资源和社会保障局", ("人社局", "人力资源社会保障局", "人力社保局")),
              Name("人力资源和社会保障厅", ("人社厅", "人力资源社会保障厅"))), ("人社", "人力资源和社会保障", "人力社保")),
    Function("资规", (Name("自然资源和规划局", ("资规局",)), Name("自然资源局"), Name("规划和自然资源局"),
              Name("自然资源厅"), Name("国土资源局", ("国土局",))),
     ("资规", "自然资源", "自然资源和规划", "国土", "规划")),
    Function("经发", (Name("经济发展局", ("经发局",)), Name("经济发展和科技局")), ("经发", "经济发展")),
    Function("环保", (Name("生态环境局"), Name("生态环境分局"), Name("生态环境厅"), Name("环境保护局", ("环保局",)),
              Name("生态环境保护委员会办公室", ("环委办",))), ("生态环境", "环保", "环境保护")),
    Function("住建", (Name("住房和城乡建设局", ("住建局", "住房城乡建设局")), Name("住房和城乡建设厅", ("住建厅",)),
              Name("住房和城乡建设委员会", ("住建委",)), Name("建设局")), ("住建", "住房和城乡建设", "住房城乡建设", "建设")),
    Function("交通", (Name("交通运输局", ("交通局",)), Name("交通运输厅", ("交通厅",)), Name("交通运输委员会", ("交委",))),
     ("交通", "交通运输")),
    Function("水利", (Name("水利局"), Name("水务局"), Name("水利厅")), ("水利", "水务")),
    Function("农业", (Name("农业农村局", ("农业局",)), Name("农业农村厅"), Name("农开办")), ("农业", "农业农村", "农开")),
    Function("商务", (Name("商务局"), Name("商务厅")), ("商务",)),
    Function("文旅", (Name("文化和旅游局", ("文旅局", "文化旅游局")), Name("文化广电和旅游局", ("文广旅局", "文化广电旅游局")),
              Name("文化和旅游厅", ("文旅厅",)), Name("文化和广电旅游体育局", ("文广旅体局", "文化广电旅游体育局")),
              Name("文化体育旅游和广播电视局", ("文体旅广局",)), Name("文化体育和旅游局", ("文体旅局",))),
     ("文旅", "文化和旅游", "文化旅游", "文化")),
    Function("体育", (Name("体育局"),), ("体育",)),
    Function("卫健", (Name("卫生健康局", ("卫健局", "卫生和健康局")), Name("卫生健康委员会", ("卫健委", "卫生健康委")),
              Name("卫生健康厅")), ("卫健", "卫生健康", "卫生")),
    Function("退役军人", (Name("退役军人事务局", ("退役军人局",)), Name("退役军人事务厅")), ("退役军人",)),
    Function("应急", (Name("应急管理局", ("应急局",)), Name("应急管理厅")), ("应急", "应急管理")),
    Function("审计", (Name("审计局"), Name("审计厅")), ("审计",)),
    Function("市场监管", (Name("市场监督管理局", ("市场监管局", "市监局")), Name("市场监督管理分局", ("市场监管分局",)),
                  Name("市场监督管理厅")), ("市场监管", "市场监督管理")),
    Function("统计", (Name("统计局"),), ("统计",)),
    Function("医保", (Name("医疗保障局", ("医保局",)),), ("医保", "医疗保障")),
    Function("城管", (Name("城市管理局", ("城管局",)), Name("综合行政执法局", ("综合执法局",)),
              Name("城市管理和综合行政执法局"), Name("城市管理执法局", ("城管执法局",)),
              Name("城市管理行政执法局")), ("城管", "城市管理", "综合执法", "综合行政执法")),
    Function("审批", (Name("行政审批局", ("审批局", "行政审批服务局")), Name("政务服务管理局", ("政务服务局",)),
              Name("政务服务中心")), ("审批", "行政审批", "政务服务")),
    Function("数据", (Name("数据资源管理局", ("数据局",)), Name("大数据发展管理局", ("大数据局", "大数据管理局"))), ("大数据",)),
    Function("信访", (Name("信访局"),), ("信访",)),
    Function("林业", (Name("林业局"), Name("林业和草原局", ("林草局",)), Name("林业草原局")), ("林业", "林草")),
    Function("税务", (Name("税务局"),), ("税务",)),
    Function("机关事务", (Name("机关事务管理局", ("机关事务局",)),), ("机关事务",)),
    Function("投促", (Name("投资促进局", ("投促局",)),), ("投促",)),
    Function("国资", (Name("国有资产监督管理委员会", ("国资委",)), Name("国资局")), ("国资",)),
    Function("民宗", (Name("民族宗教事务局", ("民宗局",)),), ("民宗",)),
    Function("乡村振兴", (Name("乡村振兴局"), Name("扶贫办")), ("乡村振兴", "扶贫")),
    Function("人防", (Name("人民防空办公室", ("人防办",)),), ("人防",)),
    Function("消防", (Name("消防救援大队", ("消防大队",)), Name("消防救援支队", ("消防支队",)), Name("森林消防总队")), ("消防",)),
    Function("气象", (Name("气象局"),), ("气象",)),
    Function("粮食", (Name("粮食和物资储备局", ("粮食局",)),), ("粮食",)),
    # --- people's organisations
    Function("工商联", (Name("工商业联合会", ("工商联",)),), ("工商联",)),
    Function("工会", (Name("总工会"),), ("工会",)),
    Function("团委", (Name("团委", ("共青团委员会",)),), ("团委",)),
    Function("妇联", (Name("妇女联合会", ("妇联",)),), ("妇联",)),
    Function("残联", (Name("残疾人联合会", ("残联",)),), ("残联",)),
    Function("科协", (Name("科学技术协会", ("科协",)),), ("科协",)),
    Function("供销社", (Name("供销合作社联合社", ("供销社", "供销合作社")),)),
    Function("红十字会", (Name("红十字会"),)),
    Function("侨联", (Name("归国华侨联合会", ("侨联",)),)),
    Function("文联", (Name("文学艺术界联合会", ("文联",)),)),
    # --- state-owned groups a letter may name as owners (区公交集团, 市城投集团)
    Function("公交", (Name("公交集团"), Name("公交公司"))),
    Function("城投", (Name("城投集团"), Name("城市建设投资集团"), Name("城投公司"))),
    Function("交投", (Name("交投集团"),)),
    Function("国投", (Name("国投集团"),)),
    Function("水务集团", (Name("水务集团"),)),
)

# Suffixes that close a body's name. Strong ones may follow function words no table lists
# (县通信发展办公室); weak ones only close a name some table lists (扶贫办, 派出所).
STRONG_SUFFIXES = ("人民政府", "管理委员会", "管委会", "委员会", "党政办公室", "办公室", "办公厅", "办事处", "分局",
                   "局", "厅", "总队", "大队", "支队", "中队", "部门", "联合会", "总工会", "集团", "委")
WEAK_SUFFIXES = ("政府", "中心", "办", "所", "站", "部", "院", "社", "会")

# Suffixes that close a unit's name only where the text is known to name a unit (a signature,
# a page's 发布机构, a breadcrumb) and a place or a level opens it: 河东区公路中心, 县体育中心.
UNIT_ONLY_SUFFIXES = ("中心", "处", "站", "所", "院", "办", "队", "社", "馆")

# Names too generic to stand without a level or a place (区政府 yes, 政府购买服务 no).
NEEDS_LEVEL = ("政府", "人民政府", "办事处", "团委", "管委会", "管理委员会", "党政办公室", "党政办")
# Sub-units written right after their parent (市公安局交警支队, 市生态环境局瓯海分局); 分局 last:
# a name ending in one of the others already is a sub-unit.
SUB_UNIT_SUFFIXES = ("支队", "大队", "中队", "派出所", "分局")
# Characters after 镇 / 乡 / 街道 that make it part of a word (镇区, 镇村, 乡镇级, 镇长, 镇党委), not a town.
TOWN_NOT_BEFORE = "区村级域内外里街长党"

# Level words a place ends with, longest first where one ends another.
PLACE_LEVELS = ("特别行政区", "自治区", "自治州", "自治县", "自治旗", "新区", "开发区", "高新区", "经开区", "地区",
                "街道", "省", "市", "州", "盟", "区", "县", "旗", "镇", "乡")
# The level each level word stands for, as a letter's bare level prefix writes it (县 for 自治县).
LEVEL_OF = {"特别行政区": "区", "自治区": "省", "自治州": "州", "自治县": "县", "自治旗": "旗", "新区": "区",
            "开发区": "区", "高新区": "区", "经开区": "区", "地区": "地区", "街道": "街道"}
# Zones that are places by their level word alone (高新区管委会, 开发区党政办公室).
ZONES = ("高新区", "开发区", "经开区", "新区", "自贸区", "保税区")
# Names of groups that look like places before a level word (民建市委会 is no city's).
NOT_PLACE_NAMES = ("民革", "民盟", "民建", "民进", "农工", "致公", "九三", "台盟", "共青")
# A bare level prefix before a body's name (区住建局, 县交通部门, 镇政府).
LEVEL_PREFIXES = ("街道", "省", "市", "州", "区", "县", "旗", "镇", "乡")

# A character before 区/市/县 that makes it part of another word (社区, 城区, 全市 ...), not a level.
NOT_LEVEL_BEFORE = "社园城片校辖全各本该街小郊景山矿厂营分市"

# Characters that never stand inside a body's function words, or a place name: particles,
# prepositions, verbs that join a name to its sentence.
STOP_CHARS = set("的对在将与已为及了是把向从被由等或并以于其这该此各每个年月日中和、，。；：,;:!！?？“”《》（）() "
                 "\u3000\n\t我您你他她它们请给到至据要使让向也都还又再均即就所")
# 贵 before a level is the addressee (贵局, 贵县); before a name it is a place's (贵州省, 贵阳市).
HONORIFIC = "贵"
# Stop characters that stand inside a place's name, never first (科右中旗, 市中区).
IN_PLACE_NAMES = "中"
# ... except inside a name where a table puts them (住房和城乡建设, 中共), and 和 in long names
# (林业和草原局, 退役军人和社会事务局).
STOP_CHARS_IN_FUNCTION = STOP_CHARS - set("和")

# Verbs that stand right before a body's name, never part of its place (成立石门县通信发展办公室).
NAME_LEADING_VERBS = ("成立", "组建", "设立", "协调", "配合", "会同", "联合", "协同", "携手", "会商", "承办", "主办", "协办", "指导", "督促", "责成", "要求", "联系",
                      "对接", "报送", "上报", "提交", "函送", "下发", "印发", "通过", "依托", "委托", "协助", "邀请",
                      "组织", "支持", "争取", "申请", "汇报", "反映", "沟通", "报请", "移交", "转交", "交由", "呈报",
                      "商请", "提请", "牵头", "负责", "推动", "积极", "主动", "及时", "经过", "根据", "按照")

# Bodies a place's own office is named under (上海市嘉定区人民政府嘉定镇街道办事处).
PARENT_BODIES = ("人民政府", "政府")

# Words never inside a body's function words (镇政府会同有关部门 is two things).
NOT_IN_FUNCTION_WORDS = ("有关", "相关", "政府", "会同", "联合", "配合", "协调", "负责", "牵头")

# Words never inside a place's name: those verbs, conjunctions and time words (同时会同区财政局).
NOT_IN_PLACE_WORDS = (*NAME_LEADING_VERBS, "同时", "并且", "以及", "此外", "另外", "今后", "下一步", "进一步", "目前",
                      "近期", "同步", "届时", "为此", "对此", "其中", "全面", "加强", "加快", "做好", "开展")

# Words a place name never starts with (全市, 本县, 该区 are not places; in 区委区政府 the
# party committee 区委 stands before the government, so 委区 is no place).
NOT_PLACE_START = set("全本该各每我其此这那贵委")

# First-person forms that mean the writing body itself.
SELF_WORDS = ("我局", "本局", "我委", "本委", "我厅", "本厅", "我办", "本办", "我会", "本会", "我院", "我中心",
              "我单位", "本单位", "我部门", "我处", "我站", "我所", "我队", "我支队", "我大队", "我们")
# The addressee of a letter to another body (a 协办 letter to the lead unit): 配合贵局开展….
ADDRESSEE_WORDS = ("贵局", "贵委", "贵厅", "贵办", "贵会", "贵院", "贵中心", "贵单位", "贵部门")
# First-person places: the place's government (我区 = the district's), or the writer when it
# is that place's government (我乡 in a township's letter).
PLACE_SELF = {"我省": "省", "我市": "市", "我区": "区", "我县": "县", "我州": "州", "我旗": "旗", "我镇": "镇",
              "我乡": "乡", "我街道": "街道"}

# Youth league written with its level inside: 团区委 / 团市委 / 团县委.
YOUTH_LEAGUE = {"团区委": "区", "团市委": "市", "团县委": "县", "团省委": "省"}

# Parties that are no government body but may own a plan a letter reports (该院建设方计划8月份
# 建成, 县电信公司将新建基站): recognised only as the subject of their clause, named as written.
OTHER_PARTY_HEADS = ("建设方", "施工方", "建设单位", "施工单位", "业主单位", "项目业主", "开发商", "运营商", "公司",
                     # offices under a bureau, named as written where they act (市政处将…, 县体育中心计划…)
                     "处", "中心", "站", "所")
OTHER_PARTY = "其他"

# 该馆 / 该中心 / 该院: the body of that kind the letter named last (县档案馆…，该馆将…).
ANAPHORA_HEADS = ("馆", "院", "校", "中心", "所", "站", "处", "局", "委", "办", "公司", "集团")

# The function class of the bodies below, none named by itself.
LOCAL = "属地"

# Bodies a letter hands work to without naming one: the towns and sub-districts (由各街道负责,
# 由所在镇负责), the counties of a city. Matched only in these forms, named as written.
LOCAL_BODIES: tuple[LocalBodies, ...] = (
    LocalBodies("县（市、区）", ("各县（市、区）", "各县(市、区)", "县（市、区）", "县(市、区)", "各县市区", "各区县（市）",
                   "各区（县、市）", "各县区", "各区县")),
    LocalBodies("镇街", ("各镇街", "镇街", "各镇（街道）", "各镇(街道)", "各乡镇（街道）", "各乡镇(街道)", "镇（街道）", "镇(街道)")),
    LocalBodies("街道", ("各街道", "所在街道", "相关街道", "属地街道")),
    LocalBodies("镇", ("各镇", "所在镇", "各乡镇", "相关镇", "属地乡镇", "各乡镇人民政府")),
    LocalBodies("社区", ("各社区", "所在社区", "属地社区", "社区居委会")),
)

# How sure an owner is, by how it was found (0-1; below 0.5 the owner is flagged owner? for a
# person to check). The clause's own named subject is surest; the replying unit is as sure as
# the place it was read from; a unit guessed from the letter's field of work, a place's
# government with no place, or a body with neither level nor place are guesses.
OWNER_CONFIDENCE = {
    "subject": 0.9,  # 区工商联将…
    "speaker": 0.85,  # 区财政局表示：我们将…
    "context": 0.75,  # the body the paragraph is about
    "other party": 0.6,  # 该院建设方计划…: named as written
    "local": 0.8,  # 由各乡镇负责…
    "no place": 0.4,  # 旗人民政府, 交通局: neither the letter nor the text says where
    # no subject in the clause, and another body was the subject of an earlier one in the paragraph
    "after another body": 0.45,
    "none": 0.0,
}
# The replying unit, by where the letter names it (LetterMeta.unit_source).
UNIT_CONFIDENCE = {
    "signature": 0.9, "title line": 0.9, "page field": 0.85, "page's publisher": 0.8, "page's breadcrumb": 0.8,
    "inferred": 0.35,  # read from the closing thanks' field of work (感谢您对我县交通运输工作的关心)
    "government": 0.45,  # no unit named: the government of the place the letter speaks for
    "portal": 0.45,  # a government named only by the page (来源, 发布机构): often the portal's owner
}
