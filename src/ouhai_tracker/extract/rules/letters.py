"""The shape of a letter and of the page it was copied from, as data: labelled fields, marks of the
genre, what a proposer's name is not.
"""
from __future__ import annotations

# Numerals as letters write them: the digits one to nine, with 十 in an item's number (一是,
# （十二）, 第三，), and a year in numerals whose 〇 a page may print as ○, 零 or 0 (二0一七年).
CN_DIGITS = "一二三四五六七八九"
CN_NUMERALS = CN_DIGITS + "十"
YEAR_DIGITS = "〇○零0" + CN_DIGITS
CN_MONTH = rf"(?:十[一二]?|[{CN_DIGITS}])"
CN_DAY = rf"(?:[一二三]?十[{CN_DIGITS}]?|[{CN_DIGITS}])"

# How a letter numbers its items: 一是, （一） (1), 1. 1、, ① ⑴, 一、, 第一，
ITEM_IS = rf"[{CN_NUMERALS}]+是"
ITEM_IN_BRACKETS = rf"[（(][{CN_NUMERALS}\d]+[)）]"
ITEM_DIGITS = r"\d+[.．、]"
ITEM_CIRCLED = "[①-⑳⑴-⒇]"
ITEM_COMMA = rf"[{CN_NUMERALS}]+、"
ITEM_ORDINAL = rf"第[{CN_NUMERALS}]+[，,、]"

# A web page's labelled fields (来源:市住建局  发布时间:2023-05-22, [ 发布机构 ] 云州区生态环境局).
# Units best first: the page's publisher is often the portal's government, its source the bureau.
PAGE_UNIT_LABELS = ("发文机关", "所属机构", "信息来源", "文章来源", "来源", "发文单位", "发布机构", "联系单位",
                    "承办单位", "主办单位(分办单位)", "主办单位")
PAGE_DATE_LABELS = ("成文日期", "发文日期", "答复时间", "答复日期", "发布日期", "发布时间", "发表时间", "发表日期",
                    "发文时间", "办结时间", "办结日期", "日期", "时间", "生成日期")
PAGE_TITLE_LABELS = ("名称", "标题", "文件名称")
# Labels of a page's fields that name neither the letter, its unit nor its date.
PAGE_OTHER_LABELS = ("索引号", "主题分类", "分类", "文号", "发文字号", "浏览次数", "访问量", "点击数", "字号", "字体",
                     "公开方式", "公开范围", "有效性", "生效日期", "作者", "编辑")
# Marks a page sets around a field or a line (| 河东区公路中心 |, • 2025-06-05), not part of it.
LINE_MARKS = " \t\u3000|｜•·●▪-—"
# A date as a signature writes it in digits (2023年6月12日, 2023 年 6 月 12 日).
WRITTEN_DATE = r"(?P<y>\d{4})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日"

# A breadcrumb line (当前位置：首页 > 政务公开): never the addressee, though it ends with a colon.
BREADCRUMBS = ("当前位置", "您当前的位置", "您的位置", "您现在的位置")
# A line of a web page's furniture starts with one of these (索引号, 当前位置, 【打印】, 版权所有):
# page labels, breadcrumbs, buttons and footers, never the letter's own words.
PAGE_FURNITURE = (
    r"首\s*页", *BREADCRUMBS, "位置[:：]", "您访问的链接", r"索\s*引\s*号", "主题分类",
    "发布机构", "发文机关", "发布日期", "发布时间", "成文日期", "发文日期", "生效日期", "信息来源", r"来\s*源",
    r"文\s*号", "发文字号", r"名\s*称[:：]", r"标\s*题[:：]", "公开方式", "公开范围", r"有\s*效\s*性", r"字\s*[号体]",
    "分享到", "浏览次数", "访问量", "点击数", "阅读数", "版权所有", "(?i:copyright)", "©", "网站标识码", "主办单位",
    "承办单位", "技术支持", "上一篇", "下一篇", "扫一扫", "打印", "关闭", "返回顶部", "网站地图", "联系我们", "收藏本页",
)
# Where a furniture line starts: after a bracket a button may open with (【打印】).
PAGE_FURNITURE_START = r"^[【\[［(（]?\s*(?:" + "|".join(PAGE_FURNITURE) + ")"

# Words of a page's footer: a 主办单位 beside them owns the site, it did not write the letter.
FOOTER_WORDS = ("版权", "地址", "ICP", "备案", "网站", "邮编", "技术支持")
# Labels whose value only tells the place (the site's owner: 主办:松江市东岸区人民政府).
PAGE_PLACE_LABELS = ("主办", "承办", "版权所有", "主管")

# A line with one of these holds a person's contact (masked in exports unless asked for).
CONTACT_WORDS = ("联系人", "联系电话", "电话", "手机", "联系方式")

# Lines of a letter's close that are no signature, though a body's name may follow (联系单位：…).
CLOSE_LINE_STARTS = ("联系", "抄送", "抄报", "主办", "承办", "版权")

# What kind of reply a letter is, by the words its session, title or opening use, tried in order.
LETTER_KINDS = (("政协提案答复", ("政协", "提案")), ("人大代表建议答复", ("人大", "建议", "代表")))

# A seal note after a signature's unit (温州市瓯海区经济和信息化局（盖章）).
SEAL_NOTES = ("盖章", "印章", "章", "公章", "签章")

# Parties and people's organisations that write a proposal as a group (民革江州市委会：).
PARTY_GROUPS = ("民革", "民盟", "民建", "民进", "农工党", "致公党", "九三学社", "台盟", "国民党革命委员会", "民主同盟",
                "民主建国会", "民主促进会", "农工民主党", "台湾民主自治同盟", "无党派", "工商联", "共青团", "妇联", "科协", "侨联")

# Words before 委员 / 代表 that are no proposer's name (各位代表, 第十九届人民代表大会).
NOT_PROPOSER_NAMES = ("各位", "全体", "相关", "有关", "您", "你们", "尊敬的", "联名", "人大", "政协", "提案", "建议", "届",
                      "会议", "答复", "人民", "大会")

# The genre's marks: what a reply letter has that another file (a README, a news item) does not.
# A file that names a proposal and answers one is a reply letter; an addressee or a signature
# only adds confidence (real letters open with 您好！, or lose their signature where a page was cut).
PROPOSAL_WORDS = ("提案", "建议", "议案")
# The act of answering, as the genre writes it: 收悉, 现答复如下, a title line ending in
# 关于…建议的答复 / 第12号提案的复函, 现将办理情况函告, 协办意见. Not the noun 答复函 in running text.
REPLY_ACTS = (
    r"收悉",
    r"(?:答复|回复|函复|复函|说明|意见|情况|函告)如下",
    r"(?:提案|建议|议案)[^\n。，,]{0,24}?的(?:答复|回复|复函|答复函|答复意见|回复意见|办理意见|办理情况)(?:[(（][^\n]{0,12}[)）])?"
    r"(?![\u4e00-\u9fff])",
    r"现(?:将|就)[^\n。]{0,24}?(?:答复|回复|函复|函告)",
    r"(?:协办|会办|办理)意见",
)
# A letter is Chinese prose: of its letters (Han characters and Latin letters; digits, marks and
# markup aside), the share that are Han. Real letters copied with their web page's furniture stay
# above 0.85 (one with a web address or stray markup in it too); a README or notes about letters,
# written in English around Chinese examples, fall below 0.25.
CHINESE_SHARE_MIN = 0.3

# A reply written by a co-organising unit (协办/会办), not the lead one: how its head or body says so.
CO_ORGANISER_MARKS = ("协办意见", "会办意见", "协办答复", "会办答复", "作为协办单位", "作为会办单位", "协办单位意见",
                      "会办单位意见")
