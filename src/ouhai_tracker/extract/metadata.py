"""Letter metadata: who asked, what, at which session; who answers, when, contact.

Read from the letter's shape: the addressee line and opening paragraph at the
top, the signature (unit, then date) and the contact line at the bottom.
"""
from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter
from datetime import date

from ouhai_tracker.extract.departments import (
    PLACE_LEVEL,
    department_for_field,
    find_departments,
    innermost_place,
    level_of,
    place_chain,
    place_ending_at,
    same_body,
    unit_from_name,
)
from ouhai_tracker.extract.model import LetterMeta
from ouhai_tracker.extract.prefilter import guarded
from ouhai_tracker.extract.rules import letters as L
from ouhai_tracker.extract.rules.cues import OPENING, PAST_MARKERS, THANKS_FIELD
from ouhai_tracker.extract.rules.departments import PLACE_SELF
from ouhai_tracker.extract.timeexpr import cn_number

# A signature's date line: 2023年6月16日, 2020年4月27, 二〇二三年七月十二日, 二0一七年五月二十六日,
# 2023-07-12, 2023.7.12, and run together as pages print them (2022711, 20240829).
DATE_LINE = re.compile(
    rf"^\s*(?P<y>\d{{4}}|[{L.YEAR_DIGITS}]{{4}})\s*[年.\-/]\s*(?P<m>\d{{1,2}}|{L.CN_MONTH})\s*[月.\-/]\s*"
    rf"(?P<d>\d{{1,2}}|{L.CN_DAY})\s*日?[\s|｜]*$")
RUN_TOGETHER_DATE = re.compile(r"^\s*(?P<digits>20\d{5,6}|19\d{5,6})[\s|｜]*$")
THANKS = re.compile(guarded(THANKS_FIELD))
SELF_PLACE = re.compile("|".join(PLACE_SELF))
SEAL = re.compile(r"\s*[（(](?:" + "|".join(L.SEAL_NOTES) + r")[）)]\s*$")  # 温州市瓯海区经济和信息化局（盖章）
CONTACT_NAME = re.compile(r"联\s*系\s*人\s*[:：]?\s*(?P<name>[\u4e00-\u9fff]{2,4}?)(?=[\s，,；;。、（(]|联系|电话|$)")
CONTACT_PHONE = re.compile(guarded(r"(?:联系)?电\s*话\s*[:：]?\s*(?P<phone>[\d\-－—()（）\s]{5,}\d)"))
SESSION = re.compile(guarded(
    # (each number from the start of its run: a long run of digits is not tried at every digit)
    rf"[省市区县]?(?:政协|人大)?第?(?<![〇零{L.CN_NUMERALS}百\d])[〇零{L.CN_NUMERALS}百\d]+届"
    rf"(?:全国|省|市|区|县)?(?:政协|人大)?第?(?<![〇零{L.CN_NUMERALS}\d])[〇零{L.CN_NUMERALS}\d]+次(?:全体)?会议"))
PROPOSERS = re.compile(
    r"(?P<names>(?:[\u4e00-\u9fff]{2,4}[、，,])*[\u4e00-\u9fff]{2,4}?)(?:等)?(?:\d+名|[" + L.CN_NUMERALS + r"]+位)?(?:委员|代表)(?![会团处])")
PARTY_GROUP = re.compile(r"^(?:中国)?(?:" + "|".join(L.PARTY_GROUPS) + ")")
NOT_NAMES = L.NOT_PROPOSER_NAMES
# The letter's class mark as printed: B类, (A类), 类 别:B, 办复类别:B, [办理结果标注(A2)], (B), a lone C.
CLASS_MARK = re.compile(guarded(r"(?:(?:类\s*别|类\s*型|办复类别|答复类别|办理结果标注|办理结果)\s*[:：(（]?\s*(?P<mark>[ABC]\d?)(?![A-Za-z])"
                        r"|(?<![A-Za-z])(?P<mark2>[ABC]\d?)\s*类|^[(（](?P<mark3>[ABC])[)）]|^(?P<mark4>[ABC])$"
                        r"|答复[(（](?P<mark5>[ABC])[)）]$)"))
OPENING_LINE = re.compile(OPENING)
# An addressee line, where the letter proper begins (张三委员：, 尊敬的李四代表).
ADDRESSEE = re.compile(r"^(?:尊敬的)?[^\s:：，,。]{1,30}?(?:委员|代表|同志|组)(?:们)?\s*(?:[:：]|$)")
# A signature run into a line: a unit's name, spaces, its date (宝鸡市体育局 2023年6月12日).
RUN_IN_SIGNATURE = re.compile(r"(?<![^\s。！!；;)）])(?P<unit>[^\s，,。；;：:、]{4,30}?)\s+" + L.WRITTEN_DATE)
# A signature's date at the end of another line (联系电话:3221671 2021年7月15日 |).
END_DATE = re.compile(r"(?<!\d)" + L.WRITTEN_DATE + r"[\s|｜]*$")
NUMBER = re.compile(r"第\s*(?P<n>\d+)\s*号")
def own_level_from_text(text: str) -> str | None:
    """The letter's own level when no unit says it: the place it speaks as most (我县 …)."""
    counts = Counter(m.group() for m in SELF_PLACE.finditer(text))
    return PLACE_SELF[counts.most_common(1)[0][0]] if counts else None


DOC_NUMBER = re.compile(r"^(?P<doc>[\u4e00-\u9fff]{2,12}[〔\[［]\d{4}[〕\]］]\s*\d+\s*号)")
BARE_TITLE = re.compile(r"(?:提出的|所提的?)(?P<title>关于[^，。；《》（()\n]{2,80}?的(?:提案|建议|议案))")
TITLE_LINE = re.compile(r"^关于.{2,80}(?:提案|建议|议案).{0,12}的?(?:答复|复函)")
# A title line that names the replying unit: X关于…的答复, X对…的答复, X关于办理…的函.
UNIT_TITLE = re.compile(r"^(?P<unit>[^\s:：，,。]{2,40}?)\s*(?:关于|对)")
# A title line that names the unit after it: 对…第3号建议的答复（水利局）.
UNIT_AFTER_TITLE = re.compile(r"(?:答复|复函|回复|意见)\s*[(（](?P<unit>[^()（）\s]{2,30})[)）]\s*$")

# A web page's labelled fields, as copied pages carry them ("来源:市住建局  发布时间:2023-05-22",
# "[ 发布机构 ] 云州区生态环境局", "发布机构: | 县水利局 |"). Units best first: the page's
# publisher is often the portal's government, its source the bureau.
PAGE_UNIT_LABELS, PAGE_DATE_LABELS, PAGE_PLACE_LABELS = L.PAGE_UNIT_LABELS, L.PAGE_DATE_LABELS, L.PAGE_PLACE_LABELS
_LABELS = sorted({*PAGE_UNIT_LABELS, *PAGE_DATE_LABELS, *PAGE_PLACE_LABELS}, key=len, reverse=True)
# (a label's brackets as a page may print them, half- or full-width: 主办单位（分办单位）)
_WIDTHS = {"(": "[(（]", ")": "[)）]"}
_LABEL = "|".join(r"\s*".join(_WIDTHS.get(ch, re.escape(ch)) for ch in label) for label in _LABELS)
PAGE_LABEL = re.compile(r"(?<![\u4e00-\u9fff])(?P<label>" + _LABEL + r")(?:及电话)?\s*[\]】]?\s*[:：]?\s*[|｜]?\s*")
# Any label at all: a quick test of a line, as PAGE_LABEL's opening lookbehind makes the regex
# engine try it at every character (few lines hold a label).
ANY_LABEL = re.compile(_LABEL)
# Date labels run into the text before them on some pages (来源:清溪县民政局发布时间:2024-10-08).
PAGE_DATE_LABEL = re.compile(r"(?P<label>" + "|".join(map(re.escape, sorted(PAGE_DATE_LABELS, key=len, reverse=True)))
                             + r")\s*[:：]\s*(?=\d{4})")
PAGE_DATE = re.compile(r"(?P<y>\d{4})\s*[-年/.]\s*(?P<m>\d{1,2})\s*[-月/.]\s*(?P<d>\d{1,2})")
POLICY_TITLE = re.compile(r"《([^《》\n]{4,80})》")
BREADCRUMB = re.compile(r"[>＞»]\s*(?P<unit>[^>＞»\s]{4,30})\s*(?=[>＞»])")
# The part of the page around the letter where its fields stand.
PAGE_HEAD_LINES, PAGE_TAIL_LINES = 16, 16


def _date_from_match(m: re.Match) -> date | None:
    try:
        return date(*(cn_number(m.group(part)) for part in ("y", "m", "d")))  # type: ignore[arg-type]  # None: TypeError
    except (TypeError, ValueError):
        return None


def signature_date(line: str) -> date | None:
    """The date of a signature line, including dates run together (2022711 is 2022-07-11); None
    when the line is no date or a run-together date reads two ways (2022111)."""
    m = DATE_LINE.match(line)
    if m:
        return _date_from_match(m)
    m = RUN_TOGETHER_DATE.match(line)
    if not m:
        return None
    digits = m.group("digits")
    year, rest = int(digits[:4]), digits[4:]
    readings = set()
    for cut in (1, 2):
        month, day = rest[:cut], rest[cut:]
        if len(day) in (1, 2) and not (len(day) == 2 and day.startswith("0") and len(rest) == 3):
            try:
                readings.add(date(year, int(month), int(day)))
            except ValueError:
                pass
    return readings.pop() if len(readings) == 1 else None


def _unit_line(line: str) -> str | None:
    """The line itself when it is nothing but a body's name (a signature's unit)."""
    line = SEAL.sub("", line.strip(L.LINE_MARKS)).strip()
    if not line or len(line) > 40 or line.startswith(L.CLOSE_LINE_STARTS):
        return None
    return line if unit_from_name(line) is not None else None


def page_fields(lines: list[str]) -> list[tuple[str, str, str]]:
    """(label, value, line) for every labelled field of a copied web page, in order; a value is
    what follows its label up to the next label or separator."""
    fields = []
    for line in lines:
        matches = list(PAGE_LABEL.finditer(line)) if ANY_LABEL.search(line) else []
        for number, m in enumerate(matches):
            end = matches[number + 1].start() if number + 1 < len(matches) else len(line)
            value = re.split(r"[|｜\[【]|\s{2,}", line[m.end():end].strip(), maxsplit=1)[0].strip()
            label = re.sub(r"\s+", "", m.group("label")).replace("（", "(").replace("）", ")")
            if label in PAGE_DATE_LABELS:
                date_match = PAGE_DATE.match(line, m.end())
                value = date_match.group() if date_match else ""
            if value:
                fields.append((label, value, line))
        for m in PAGE_DATE_LABEL.finditer(line):
            date_match = PAGE_DATE.match(line, m.end())
            if date_match and (m.group("label"), date_match.group(), line) not in fields:
                fields.append((m.group("label"), date_match.group(), line))
    return fields


def _unit_at_start(value: str) -> str | None:
    """The body's name a field's value starts with (市自然资源局 in "市自然资源局 发布时间…")."""
    found = find_departments(value)
    if not found or found[0].start != 0:
        first = re.split(r"[\s|｜,，;；]", value.strip(), maxsplit=1)[0]  # 河东区公路中心 | …
        return first if unit_from_name(first) is not None else None
    end = found[0].end
    sub = [m for m in found if m.start == end]  # 市公安局 + 交警支队
    return value[:sub[0].end if sub else end]


def _site_owner(label: str, line: str) -> bool:
    """A 主办单位 in the page's footer (beside 版权所有, 地址, ICP) owns the site, not the letter."""
    return label.startswith("主办") and any(word in line for word in L.FOOTER_WORDS)


def _is_government(unit: str) -> bool:
    dept = unit_from_name(unit)
    return dept is not None and bool({"政府", "政府办"} & set(dept.functions))


def _spells_out(fuller: str, unit: str) -> bool:
    """Whether ``fuller`` names the body ``unit`` names, with its place (湖北省农业农村厅 for 省农业厅)."""
    a, b = unit_from_name(fuller), unit_from_name(unit)
    return a is not None and b is not None and a.place is not None and b.place is None and same_body(a, b)


def read_replying_unit_and_date(meta: LetterMeta, lines: list[str], fallbacks: dict) -> None:
    """The replying unit and the letter's date from wherever the letter or its page states them:
    the signature, the title line, the page's fields, the contact unit; each noted with its source."""
    # Signature: the last date line, and the unit line just above it.
    for idx in range(len(lines) - 1, -1, -1):
        signed_on = signature_date(lines[idx])
        if signed_on:
            meta.date, meta.date_source = signed_on, "signature"
            for back in (idx - 1, idx - 2):
                unit = _unit_line(lines[back]) if back >= 0 else None
                if unit:
                    meta.replying_unit, meta.unit_source = unit, "signature"
                    break
            break
    if meta.date is None:
        for line in reversed(lines[-PAGE_TAIL_LINES:]):
            m = END_DATE.search(line)
            if m and (found := _date_from_match(m)):
                meta.date, meta.date_source = found, "signature"
                break
    if meta.date is None or meta.replying_unit is None:
        # A signature run into the text (…支持。 宝鸡市体育局 2023年6月12日 联系人:…): a page saved
        # without its line breaks; the last unit followed by a date.
        tail = "\n".join(lines[-PAGE_TAIL_LINES:])
        signed = None
        for m in RUN_IN_SIGNATURE.finditer(tail):
            if unit_from_name(m.group("unit")) is not None and _date_from_match(m):
                signed = m
        if signed is not None:
            if meta.date is None:
                meta.date, meta.date_source = _date_from_match(signed), "signature"
            if meta.replying_unit is None:
                meta.replying_unit, meta.unit_source = signed.group("unit"), "signature"
    head = lines[:PAGE_HEAD_LINES]
    page_lines = head + lines[-PAGE_TAIL_LINES:]
    fields = page_fields(page_lines)
    if meta.replying_unit is None:
        for line in [*head, fallbacks.get("title") or ""]:
            m = UNIT_TITLE.match(line) or UNIT_AFTER_TITLE.search(line)
            if m and not line.endswith(("：", ":")) and (unit := _unit_at_start(m.group("unit"))) == m.group("unit"):
                meta.replying_unit, meta.unit_source = unit, "title line"
                break
    if meta.replying_unit is None:
        # A letterhead: the unit alone on a line before the letter opens (柳林县教育科技局).
        for line in head:
            if ADDRESSEE.match(line) or "收悉" in line:
                break
            unit = _unit_line(line)
            if unit:
                meta.replying_unit, meta.unit_source = unit, "letterhead"
                break
    field_unit = None
    for label in PAGE_UNIT_LABELS:
        field_unit = next(((u, label) for lab, value, line in fields if lab == label and not _site_owner(label, line)
                           and (u := _unit_at_start(value))), None)
        if field_unit:
            break
    if meta.replying_unit is None and field_unit:
        meta.replying_unit, meta.unit_source = field_unit[0], f"page field {field_unit[1]}"
    elif meta.unit_source == "title line" and field_unit and _spells_out(field_unit[0], meta.replying_unit):  # type: ignore[arg-type]  # the title named it
        # 省农业厅 in the title, 湖北省农业农村厅 in the page's 发布机构: the same body, named in full.
        meta.replying_unit, meta.unit_source = field_unit[0], f"page field {field_unit[1]}"
    if meta.replying_unit is None and fallbacks.get("replying_unit"):
        meta.replying_unit, meta.unit_source = fallbacks["replying_unit"], "page's publisher"
    # A portal's government publishes every bureau's letters: the bureau its breadcrumb files the
    # letter under (首页 > 信息公开 > 舒城县体育中心 > 建议提案办理) is the writer.
    portal = meta.replying_unit is not None and meta.unit_source != "signature" and _is_government(meta.replying_unit)
    if meta.replying_unit is None or portal:
        for line in head:
            unit = next((u for m in BREADCRUMB.finditer(line) if (u := _unit_line(m.group("unit")))
                         and not (portal and _is_government(u))), None)
            if unit:
                meta.replying_unit, meta.unit_source = unit, "page's breadcrumb"
                break
    if meta.date is None:
        for label in PAGE_DATE_LABELS:
            value = next((v for lab, v, _ in fields if lab == label), None)
            m = PAGE_DATE.match(value) if value else None
            if m and (found := _date_from_match(m)):
                meta.date, meta.date_source = found, f"page field {label}"
                break
    if meta.date is None:
        # A page's date with no label (• 2025-06-05 15:40, 2022-06-28 17:28 来源:…) at a line's start.
        for line in head:
            m = PAGE_DATE.match(line.strip(L.LINE_MARKS))
            if m and (found := _date_from_match(m)):
                meta.date, meta.date_source = found, "page's date"
                break
    if meta.date is None and fallbacks.get("date"):
        try:
            meta.date, meta.date_source = date.fromisoformat(fallbacks["date"]), "page's publication date"
        except ValueError:
            pass
    # The letter's places: its unit's own, then the page's (主办:松江市东岸区人民政府), then the
    # places its policy titles start with (《江州市…条例》).
    chains = [place_chain(meta.replying_unit)] if meta.replying_unit else []
    chains += [place_chain(value) for _, value, _ in fields]
    chains += [place_chain(line.strip(L.LINE_MARKS)) for line in head]
    chains += [place_chain(title) for title in POLICY_TITLE.findall("\n".join(lines))]
    meta.places = merge_places(chains)
    unit_dept = unit_from_name(meta.replying_unit, meta.places) if meta.replying_unit else None
    meta.level = unit_dept.level if unit_dept else None


def _place_named(text: str, level: str) -> str | None:
    """The place at ``level`` the text names most often (with the places it names it under)."""
    counts: Counter[str] = Counter()
    for m in PLACE_LEVEL.finditer(text):
        if level_of(m.group()) != level:
            continue
        start = place_ending_at(text, m.end())
        if start is not None:
            counts[text[start:m.end()]] += 1
    # (a place named once and alone may be a misreading: 在承办县十七届人大…建议的过程中)
    sure = [place for place, n in counts.items() if n >= 2 or len(place_chain(place)) >= 2]
    return max(sure, key=lambda place: (counts[place], len(place))) if sure else None


def merge_places(chains: list[dict[str, str]]) -> dict[str, str]:
    """One place per level, the first source's; a later source may only spell out the same place
    more fully (东岸区 -> 松江市东岸区)."""
    places: dict[str, str] = {}
    for chain in chains:
        for level, place in chain.items():
            current = places.get(level)
            if current is None:
                places[level] = place
            elif place.endswith(current) and len(place) > len(current) \
                    and place_chain(place[:-len(current)]):  # 松江市|东岸区, not 民革|江州市
                places[level] = place
    return places


def read_metadata(text: str, fallbacks: dict | None = None) -> LetterMeta:
    fallbacks = fallbacks or {}
    meta = LetterMeta()
    lines = [(m.start(), m.group().strip()) for m in re.finditer(r"[^\n]+", text) if m.group().strip()]
    read_replying_unit_and_date(meta, [line for _, line in lines], fallbacks)
    if meta.level is None:
        meta.level = own_level_from_text(text)
    if meta.level and meta.level not in meta.places:
        # 根据桐川市西塘区实际情况，我区将…: the place at the letter's own level its body names most.
        meta.places = merge_places([meta.places, place_chain(named) if (named := _place_named(text, meta.level)) else {}])
    if meta.replying_unit:
        meta.replying_department = unit_from_name(meta.replying_unit, meta.places, meta.level)
        dept = meta.replying_department
        if dept is not None and dept.place and innermost_place(dept.place) not in meta.replying_unit:
            meta.replying_unit = dept.name  # 区住建局 under a page of 通化市东昌区: that district's
    else:
        # Nothing names the writer: its field, as its closing thanks names it, says which body
        # 我局 is (感谢您对我县交通运输工作的关心). The unit itself stays unnamed.
        m = THANKS.search(text)
        field = m and (m.group("field") or m.group("field2"))
        meta.replying_department = department_for_field(field, meta.level, meta.places) if field else None
        if meta.replying_department is not None:
            meta.unit_source = f"{meta.replying_department.name} inferred from the thanks for {field}工作"

    # Contact (the last one in the letter).
    for m in CONTACT_NAME.finditer(text):
        meta.contact_name = m.group("name")
    for m in CONTACT_PHONE.finditer(text):
        meta.contact_phone = re.sub(r"\s", "", m.group("phone"))

    # Header: doc number, class mark, title line, addressee: the lines before the opening (收悉,
    # 现答复如下), where a copied page's furniture may stand first.
    opening = next((i for i, (_, line) in enumerate(lines) if "收悉" in line or OPENING_LINE.search(line)), None)
    head_lines = lines[:opening] if opening else lines[:PAGE_HEAD_LINES]
    opening_end = lines[opening][0] + len(lines[opening][1]) if opening is not None else 0
    head = text[:opening_end] if opening_end else "\n".join(line for _, line in head_lines)
    for _, line in head_lines:
        m = DOC_NUMBER.match(line)
        if m and not meta.doc_number:
            meta.doc_number = m.group("doc").replace(" ", "")
    for _, line in [*head_lines, *lines[-PAGE_TAIL_LINES:]]:
        if meta.class_mark or len(line) > 60:
            continue  # (tested first: the mark's pattern is slow to rule out on a long line)
        m = CLASS_MARK.search(line)
        if m:
            meta.class_mark = next(g for g in m.groups() if g)
    for _, line in (reversed(head_lines) if opening else head_lines):
        if line.endswith(("：", ":")) and len(line) <= 40 and not PAGE_LABEL.match(line) \
                and not line.startswith(L.BREADCRUMBS):
            meta.addressee = line.rstrip("：:").strip()
            break
    m = NUMBER.search(head)
    if m:
        meta.number = m.group("n")

    # The proposal's title: the first 《…》 in the opening that names a proposal.
    titles = re.findall(r"《([^《》]+)》", head)
    for title in titles:
        if title.endswith(L.PROPOSAL_WORDS) or title.startswith("关于"):
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
    meta.kind = next((kind for kind, words in L.LETTER_KINDS if any(word in blob for word in words)), meta.kind)

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


# The genre's marks: what a reply letter has that another file (a README, a report) does not.
PROPOSAL_MARK = re.compile("|".join(L.PROPOSAL_WORDS))
REPLY_ACT = re.compile("|".join(L.REPLY_ACTS))


# The marks of a reply letter, as missing_reply_marks names them.
PROPOSAL, ANSWER, PROSE = "proposal", "answer", "prose"


def missing_reply_marks(text: str) -> list[str]:
    """Which marks of a reply letter ``text`` lacks: PROPOSAL (提案/建议/议案), ANSWER (收悉,
    现答复如下, a title line 关于…建议的答复), PROSE (Chinese prose, not a README about letters).
    An addressee line or a signature is not asked for: real letters open with 您好！ or were cut
    off before their signature."""
    missing = []
    if not PROPOSAL_MARK.search(text):
        missing.append(PROPOSAL)
    if not REPLY_ACT.search(text):
        missing.append(ANSWER)
    if chinese_share(text) < L.CHINESE_SHARE_MIN:
        missing.append(PROSE)
    return missing


def chinese_share(text: str) -> float:
    """Of the text's letters (Han characters and Latin letters), the share that are Han."""
    han = sum(1 for ch in text if "\u4e00" <= ch <= "\u9fff")
    latin = sum(1 for ch in text if ch.isascii() and ch.isalpha())
    return han / (han + latin) if han + latin else 0.0


TITLE = re.compile(r"《[^《》]*》")


def _outside_titles(text: str, mentions):
    """Names inside 《titles》 are part of the title, not bodies acting in the letter."""
    spans = [(m.start(), m.end()) for m in TITLE.finditer(text)]  # in order, never overlapping
    starts = [s for s, _ in spans]

    def inside(position: int) -> bool:
        i = bisect_left(starts, position)  # the last title starting before the position
        return i > 0 and position < spans[i - 1][1]

    return [m for m in mentions if not inside(m.start)]


YEAR = re.compile(r"(?<![\d〔\[［(（])((?:19|20)\d{2})年")
REPORTED = re.compile("|".join(PAST_MARKERS))


def estimated_date(text: str) -> date:
    """A day to resolve a letter's relative dates against when it states none: the end of the
    latest year it reports as done, else the start of the latest year it names, else today."""
    today = date.today()
    reported, named = [], []
    for sentence in re.split(r"[。！？\n]", TITLE.sub("", text)):
        years = [int(y) for y in YEAR.findall(sentence) if int(y) <= today.year]
        named += years
        if years and REPORTED.search(sentence):
            reported.append(min(years) if len(years) > 1 else years[0])
    if reported:
        return date(max(reported), 12, 31)
    return date(max(named), 1, 1) if named else today
