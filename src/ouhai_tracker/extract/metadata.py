"""Letter metadata: who asked, what, at which session; who answers, when, contact.

Read from the letter's shape: the addressee line and opening paragraph at the
top, the signature (unit, then date) and the contact line at the bottom.
"""
from __future__ import annotations

import re
from datetime import date

from ouhai_tracker.extract.departments import department_from_name
from ouhai_tracker.extract.model import LetterMeta
from ouhai_tracker.extract.timeexpr import cn_number

DATE_LINE = re.compile(
    r"^\s*(?P<y>\d{4}|[〇零一二三四五六七八九]{4})\s*[年.\-/]\s*(?P<m>\d{1,2}|十[一二]?|[一二三四五六七八九])\s*[月.\-/]\s*"
    r"(?P<d>\d{1,2}|[一二三]?十[一二三四五六七八九]?|[一二三四五六七八九])\s*日?\s*$")
SEAL = re.compile(r"\s*[（(](?:盖章|印章|章|公章|签章)[）)]\s*$")  # 温州市瓯海区经济和信息化局（盖章）
UNIT_LINE = re.compile(r"(?:局|委员会|委|办公室|办|联合会|总工会|工会|院|社|中心|集团|政府|分局|大队|支队|公司)$")
CONTACT_NAME = re.compile(r"联\s*系\s*人\s*[:：]?\s*(?P<name>[\u4e00-\u9fff]{2,4}?)(?=[\s，,；;。、（(]|联系|电话|$)")
CONTACT_PHONE = re.compile(r"(?:联系)?电\s*话\s*[:：]?\s*(?P<phone>[\d\-－—()（）\s]{5,}\d)")
SESSION = re.compile(
    r"[省市区县]?(?:政协|人大)?第?[〇零一二三四五六七八九十百\d]+届(?:全国|省|市|区|县)?(?:政协|人大)?"
    r"第?[〇零一二三四五六七八九十\d]+次(?:全体)?会议")
PROPOSERS = re.compile(
    r"(?P<names>(?:[\u4e00-\u9fff]{2,4}[、，,])*[\u4e00-\u9fff]{2,4}?)(?:等)?(?:\d+名|[一二三四五六七八九十]+位)?(?:委员|代表)(?![会团处])")
PARTY_GROUP = re.compile(r"^(?:中国)?(?:民革|民盟|民建|民进|农工党|致公党|九三学社|台盟|国民党革命委员会|民主同盟|民主建国会|"
                         r"民主促进会|农工民主党|台湾民主自治同盟|无党派|工商联|共青团|妇联|科协|侨联)")
NOT_NAMES = ("各位", "全体", "相关", "有关", "您", "你们", "尊敬的", "联名", "人大", "政协", "提案", "建议")
CLASS_MARK = re.compile(r"(?:答复类别|类别|办理结果)?[:：]?\s*(?P<mark>[ABC])\s*类")
NUMBER = re.compile(r"第\s*(?P<n>\d+)\s*号")
DOC_NUMBER = re.compile(r"^(?P<doc>[\u4e00-\u9fff]{2,12}[〔\[［]\d{4}[〕\]］]\s*\d+\s*号)")
BARE_TITLE = re.compile(r"(?:提出的|所提的?)(?P<title>关于[^，。；《》（()\n]{2,80}?的(?:提案|建议|议案))")
# A copied web page's metadata lines, and a title line that names the replying unit.
PAGE_UNIT = re.compile(r"^(?:发布机构|发文机关|发布单位|信息来源|来\s*源)\s*[:：]\s*(?P<unit>[\u4e00-\u9fff（）()]{2,40})")
PAGE_DATE = re.compile(r"(?:成文日期|发布日期|发布时间)\s*[:：]\s*(?P<y>\d{4})\s*[-年/.]\s*(?P<m>\d{1,2})\s*[-月/.]\s*(?P<d>\d{1,2})")
UNIT_TITLE = re.compile(r"^(?P<unit>[\u4e00-\u9fff]{2,30}?(?:局|委员会|委|办公室|办|联合会|总工会|政府|分局))关于")
TITLE_LINE = re.compile(r"^关于.{2,80}(?:提案|建议|议案).{0,12}的?(?:答复|复函)")


def _date_from_match(m: re.Match) -> date | None:
    try:
        return date(cn_number(m.group("y")), cn_number(m.group("m")), cn_number(m.group("d")))
    except (TypeError, ValueError):
        return None


def read_metadata(text: str, fallbacks: dict | None = None) -> LetterMeta:
    fallbacks = fallbacks or {}
    meta = LetterMeta()
    lines = [(m.start(), m.group().strip()) for m in re.finditer(r"[^\n]+", text) if m.group().strip()]

    # Signature: the last date line, and the unit line just above it.
    for idx in range(len(lines) - 1, -1, -1):
        m = DATE_LINE.match(lines[idx][1])
        if m:
            meta.date = _date_from_match(m)
            for back in (idx - 1, idx - 2):
                unit = SEAL.sub("", lines[back][1]) if back >= 0 else ""
                if unit and UNIT_LINE.search(unit) and len(unit) <= 40 and not unit.startswith(("联系", "抄送")):
                    meta.replying_unit = unit
                    break
            break
    # A letter without a signature: a title line naming the unit (瓯海区经信局关于…的答复) says
    # more than the page's publisher, which may be the portal's office; then the page's metadata.
    page_date = next((m for _, line in lines[:12] if (m := PAGE_DATE.search(line))), None)
    if meta.date is None and page_date and not fallbacks.get("date"):
        meta.date = _date_from_match(page_date)
    if meta.replying_unit is None:
        titles = [line for _, line in lines[:12]] + [fallbacks.get("title") or ""]
        meta.replying_unit = next((m.group("unit") for line in titles if (m := UNIT_TITLE.match(line))
                                   and department_from_name(m.group("unit"))), None)
    if meta.replying_unit is None and not fallbacks.get("replying_unit"):
        meta.replying_unit = next((m.group("unit") for _, line in lines[:12] if (m := PAGE_UNIT.match(line))
                                   and department_from_name(m.group("unit"))), None)
    if meta.date is None and fallbacks.get("date"):
        try:
            meta.date = date.fromisoformat(fallbacks["date"])
        except ValueError:
            pass
    if meta.replying_unit is None and fallbacks.get("replying_unit"):
        meta.replying_unit = fallbacks["replying_unit"]
    if meta.replying_unit:
        meta.replying_department = department_from_name(meta.replying_unit)
    if meta.replying_department and meta.replying_department.level:
        meta.place = meta.replying_department.level
    elif meta.replying_unit:
        for level in ("县", "区", "市", "省"):
            if level in meta.replying_unit:
                meta.place = level
                break

    # Contact (the last one in the letter).
    for m in CONTACT_NAME.finditer(text):
        meta.contact_name = m.group("name")
    for m in CONTACT_PHONE.finditer(text):
        meta.contact_phone = re.sub(r"\s", "", m.group("phone"))

    # Header: doc number, class mark, title line, addressee.
    head_lines = lines[:6]
    opening_end = 0
    for start, line in lines:
        if "收悉" in line or "答复如下" in line:
            opening_end = start + len(line)
            break
    head = text[:opening_end] if opening_end else "\n".join(line for _, line in head_lines)
    for _, line in head_lines[:3]:
        m = DOC_NUMBER.match(line)
        if m and not meta.doc_number:
            meta.doc_number = m.group("doc").replace(" ", "")
        m = CLASS_MARK.search(line)
        if m and not meta.class_mark and len(line) <= 60:
            meta.class_mark = m.group("mark")
    for _, line in head_lines:
        if line.endswith(("：", ":")) and len(line) <= 40:
            meta.addressee = line.rstrip("：:")
            break
    m = NUMBER.search(head)
    if m:
        meta.number = m.group("n")

    # The proposal's title: the first 《…》 in the opening that names a proposal.
    titles = re.findall(r"《([^《》]+)》", head)
    for title in titles:
        if title.endswith(("提案", "建议", "议案")) or title.startswith("关于"):
            meta.title = title
            break
    if meta.title is None:  # 您提出的关于…的建议（第18号）收悉: a title without 《》
        m = BARE_TITLE.search(head)
        if m:
            meta.title = m.group("title")
    if meta.title is None:
        for _, line in head_lines:
            if TITLE_LINE.match(line):
                meta.title = line
                break
    if meta.title is None and fallbacks.get("title"):
        meta.title = fallbacks["title"]

    m = SESSION.search(head)
    if m:
        meta.session = m.group()
    blob = (meta.session or "") + (meta.title or "") + head[:200]
    if "政协" in blob or "提案" in blob:
        meta.kind = "政协提案答复"
    elif "人大" in blob or "建议" in blob or "代表" in blob:
        meta.kind = "人大代表建议答复"

    # Proposers: a party group or organisation addressed as such, else the names before 委员 / 代表.
    if meta.addressee and PARTY_GROUP.match(meta.addressee):
        meta.proposers = [meta.addressee]
        return meta
    # Proposers: the names before 委员 / 代表 in the addressee or the opening.
    for m in PROPOSERS.finditer(head.replace("尊敬的", "")):  # 尊敬的张伟代表：
        names = [n for n in re.split(r"[、，,]", m.group("names")) if n]
        names = [n for n in names if not any(bad in n for bad in NOT_NAMES)]
        # The match may have swallowed words before the first name (…界别组：\n陶明远): keep 2-3 chars.
        names = [n[-3:] if len(n) > 3 else n for n in names]
        if names:
            meta.proposers = names
            break
    return meta
