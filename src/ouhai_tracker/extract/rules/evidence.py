"""Cue words for reading later documents as evidence, as data: what a sentence reports (done,
in progress, not done, postponed), what makes it a new promise, and which words say nothing
about which promise a sentence speaks of.

The linker (evidence/) reads these; a reader can see and change its idea of the genre here.
"""
from __future__ import annotations

from ouhai_tracker.extract.rules import letters as L

# ---- the aspect of a sentence ---------------------------------------------------------------

# Postponed or dropped: the promise was not kept by its deadline, whatever else was done
# (已调整至明年 says nothing was done: its 已 goes with it).
POSTPONED = tuple(r"已?" + cue for cue in (
    r"推迟(?:至|到)", r"延期(?:至|到)?", r"延(?:至|到)", r"延后", r"延迟", r"暂缓", r"搁置", r"取消", r"中止", r"终止",
    r"(?:调整|顺延|改)(?:至|到|为)(?:明年|下一?年|次年|\d{4}年|今年[下年]|下半年|[一二三四]季度)",
))
# How a promise names a body of the level above it that it waits on or works with (待市局…后,
# 配合省级…): the level's character, then one of these. Such a body's act is no other body's.
LEVEL_BODY_WORDS = ("局", "级", "里", "委", "厅", "政府")
# Done late: a delay of some length, then the act (延后两个月完成, 推迟半年建成): done, not put off.
LATE_DONE = (r"(?:延后|推迟|延期|延迟|滞后)了?[\d一二两三四五六七八九十半几多]+个?(?:月|周|天|日|年)(?:才|后)?"
             r"(?:完成|建成|投用|开通|启用|上线|印发|出台|交付|到位|实现)",)
# How many characters may stand between a not-done cue and the act it denies (尚未正式出台).
NEGATED_VERB_GAP = 2
# Not done: nothing delivered (yet). 未 only before the verbs of an act, so 未发现违规 (a
# clean inspection) and 未满 are no report of failure; a cue right before 的 qualifies a noun
# (仍未谈拢的9个单元: the units the promise was about), it reports nothing.
NOT_DONE = (
    r"尚未", r"暂未", r"仍未", r"还未", r"迟迟未", r"未能", r"没有", r"未予", r"无法", r"不具备", r"尚不",
    r"未(?=开展|启动|实施|形成|召开|完成|建成|出台|印发|落实|到位|达到|实现|开工|动工|上线|签订|取得|通过|"
    r"明确|开通|运行|投用|投入|启用|交付|举办|组建|成立|推开|推行|覆盖|解决|兑现|执行|列入|纳入|批复|获批)",
    r"尚待", r"仍待", r"需待", r"须待", r"等待", r"有待(?=[\u4e00-\u9fff]{0,6}(?:批复|审批|批准|出台|明确|确定|完成))",
    r"因[^，。；]{1,20}(?:搁置|暂停|停滞)",
)
# A not-done cue that qualifies a noun, not the sentence: up to this many characters before 的.
ATTRIBUTIVE_SPAN = 6
# In progress, or a first part only: a milestone short of the whole.
PROGRESS = (
    r"正在", r"仍在", r"目前在", r"推进中", r"建设中", r"施工中", r"办理中", r"试运行", r"试点运行",
    r"一期", r"首期", r"第一阶段", r"初步", r"部分(?!省份|地区|县)", r"修订稿", r"征求意见稿", r"送审稿", r"初稿",
    r"草案", r"会签", r"封顶", r"主体结构", r"前期工作", r"前期手续", r"基本完成", r"大部分",
    rf"(?:[{L.CN_DIGITS}]|\d)成(?:多|左右|以上)?(?![员本果功为效立绩交熟])", r"过半",
)
# Done: the act reported complete. A sentence with no cue at all reports done too (去年9月，我局
#举办…); these words matter where a sentence also reports something not done (partly kept).
DONE = (
    r"已(?!调整|推迟|延期|延后|暂缓|取消)", r"完成", r"建成", r"出台", r"印发", r"上线", r"挂牌", r"启用",
    r"投入使用", r"投用", r"开业", r"开园", r"配齐", r"办结", r"到位", r"如期", r"全部", r"全覆盖",
    r"其余", r"剩余", r"余下",  # the rest not done (其余2家…尚未开工): the first part was
)
# The rest of something (其余6辆…延迟至明年): what came before it was delivered, a part.
REMAINDER = (r"其余", r"剩余", r"余下")
# A part of a whole: 17个项目中，已有14个…; 6家中心中已有4家…; 两处…中，城北….
PART_OF_WHOLE = (r"(?P<whole>\d+|[两二三四五六七八九十百]+)(?:个|家|所|项|台|处|座|条|批|名|间|户)"
                 r"[^。；]{0,16}?中(?![心国央标学小专])")
# A sentence that opens with one of these (within its first words) speaks of the one before it
# (该校区…, 此次…, 研修期间…).
REFERS_BACK_WORDS = ("该", "此", "其", "上述", "前述", "这些", "这一", "期间", "其间", "同期", "随后", "此外")
# A district or county name never ends with one of these (片区, 示范区, 开发区, 老城区), nor starts
# with one of PLACE_NOT_FIRST (全区, 我县, 该区).
PLACE_NOT_LAST = frozenset("片社小园景校辖城街试示范功能服务集聚保护核心开发新老全本该各我其城郊")
PLACE_NOT_FIRST = "全我本该各其"
# What a place's name ends with: a body named after one (鹿鸣街道卫生服务中心) is a place's facility.
PLACE_WORDS = ("街道", "镇", "乡", "村", "区", "县", "市", "省")

# Words in a promise that make it about the whole, so a part of it is partly kept.
WHOLE_WORDS = ("所有", "全部", "全面", "全覆盖", "各个", "每个", "逐一", "覆盖全", "全区各", "全县各", "全市各")
# Some of them, counted after the first named (推广至南塘街道等4个镇): a part of a whole promised.
SOME_OF = r"等\s*(?:\d+|[两二三四五六七八九十]+)(?:个|家|所|项|处|座|条|批|名|间|户)"

# Sentences that report nothing: a letter's opening and closing words.
BOILERPLATE = (r"收悉", r"答复如下", r"如下[：:。]", r"感谢", r"联系人", r"联系电话", r"特此", r"专此")

# A reply letter that reports on an earlier reply (去年我局已就同类提案作过答复，现将落实情况…):
# a plain import links it to the earlier promises too.
FOLLOWS_UP = (r"同类(?:提案|建议|议案)", r"作过答复", r"落实情况", r"再次答复", r"前次答复", r"去年答复", r"答复事项")

# ---- new promises in a later document -----------------------------------------------------

# A section about what comes next: its sentences promise (下一步工作打算, 今后工作安排).
FORWARD_SECTION = (r"下一步", r"打算", r"工作安排", r"工作计划", r"今后", r"努力方向", r"工作思路", r"整改措施",
                   r"明年", r"下阶段", r"下一阶段")
# A sentence that promises on its own. (将 as the 把-sense after 已/均 is no promise.)
FORWARD = (r"(?<![已均即并经未])将(?![\d来近要])", r"力争", r"争取", r"拟(?=[\u4e00-\u9fff])(?![定稿])",
           r"计划(?=于|在|年|今年|明年|\d)", r"确保", r"预计", r"下一步", r"还将", r"继续",
           r"(?:今年|明年|年内|年底前|月底前|季度起)")
# A sentence that reports: past cues beside a forward word make it a report with a forecast
# (起草了…修订稿，目前正在…审查，预计5月印发). 了 after a verb is the act done (not 为了, 除了, 了解).
REPORTED = (r"已", r"去年", r"截至", r"截止", r"全年", r"累计", r"原定", r"原计划", r"如期", r"当月", r"此前",
            r"目前", r"正在", r"(?<=[\u4e00-\u9fff])(?<![为除])了(?!解)")

# ---- words that name nothing in particular --------------------------------------------------

# Character pairs every reply and report is full of: matching on them would link anything to
# anything. The aspect and time words are here too: they say what happened, not to what.
STOP_PAIRS = frozenset("""
工作 推进 开展 加强 进一步 全区 全市 全县 我局 我区 我市 我县 相关 有关 部门 情况 实施 落实 做好 积极 努力 持续
继续 加快 推动 完善 提升 提高 服务 建设 发展 管理 组织 推进 单位 问题 重点 方面 以上 以下 进行 目前 今年 去年
明年 年底 月底 年内 季度 上半 下半 半年 下一 一步 将于 已于 已有 已经 完成 建成 出台 印发 实现 启动 确保 力争
争取 计划 原定 原计划 推迟 尚未 未能 暂未 正在 仍在 同时 通过 按照 根据 结合 围绕 对照 督促 要求 明确 统筹
有效 切实 及时 全面 不断 逐步 大力 充分 认真 稳步 扎实 各项 各类 一批 一是 二是 三是 四是 五是 六是 区级
市级 县级 省级 主要 重要 以及 并且 其中 共计 累计 截至 期间 以来 当年 全年 上年 同比 比较 较好 一定 方面
答复 提案 建议 委员 代表 办理 办法 方案 意见 通知 政策 制度 机制 体系 能力 水平 质量 效率 群众 居民 社会
""".split())
# Synonyms and short forms written out before matching (加梯 is 加装电梯): the words a later
# document uses for what an earlier letter named in full.
EXPANSIONS = (
    ("加梯", "加装电梯"), ("家医", "家庭医生"), ("控规", "控制性详细规划"), ("研修班", "培训班"),
    ("研修", "培训"), ("参训", "培训"), ("考察", "参观"), ("续签", "续约"), ("医保", "医疗保障"),
    ("掌上办", "网上办理"), ("网办", "网上办理"), ("镇街", "镇街道"), ("招录", "招聘"), ("应届生", "大学生"),
    ("细则", "办法"), ("两处", "2处"), ("两家", "2家"), ("两个", "2个"), ("两所", "2所"), ("两项", "2项"),
)

# ---- named things that tell one project, place or body from another --------------------------

# Kinds of named things, by the words their names end with. A sentence naming a thing of a
# kind the promise names too, but a different one (城南小学 for 临湖二中), speaks of another.
NAMED_KINDS = {
    "school": ("小学", "中学", "初中", "高中", "幼儿园", "一中", "二中", "三中", "四中", "五中", "六中", "七中",
               "八中", "九中", "十中", "十五中", "职高"),
    "facility": ("卫生服务中心", "卫生服务站", "人民医院", "中医院", "医院", "保健院", "卫生院", "大楼", "体育馆",
                 "图书馆", "文化馆", "养老院", "敬老院", "福利院", "零工市场", "驿站", "产业园"),
    "industry": ("行业", "产业", "物流业", "服务业", "制造业", "零售业", "餐饮业", "建筑业", "运输业", "快递业",
                 "旅游业"),
}
# Kind words that name the same kind of thing (眼镜产业 is 眼镜行业).
SAME_KIND_WORDS = {"产业": "行业"}
# Words made of a kind word that name no thing (中小学 is every school; 行业龙头企业, the leaders
# of an industry named before).
NOT_NAMED = ("中小学", "大中专", "中学生", "小学生", "幼儿园教师", "行业性", "行业协会", "行业龙头", "行业主管",
             "产业链", "产业园区")
# The name is the characters before the kind word, at most this many, after the last of the
# characters that end a phrase (particles and the verbs a name follows: 推动临湖二中 -> 临湖).
NAME_SPAN = 6
NAME_BREAKS = frozenset("的对在将与和及、为由把向从被等或并以于其这该此各每个成建设进推动展施快保现增立织完善至到了是有"
                        "，。；：,;:（）()“”《》")
# Words that are no name, taken out of one (新建, 所有, 社区: 鹿鸣街道社区卫生服务中心 is 鹿鸣街道's).
NOT_NAMES = (
    "新建", "改扩建", "扩建", "所有", "各个", "全部", "全区", "全市", "全县", "城区", "基层", "区级", "市级",
    "县级", "民办", "公办", "各类", "相关", "有关", "重点", "主要", "一批", "这些", "同类", "其他", "其它", "本地",
    "辖区", "规上", "规模", "家庭", "农村", "社区", "现有", "原有", "周边", "标准化", "数字化", "传统", "新兴",
    "我区", "我市", "我县", "我省", "全省",
)
