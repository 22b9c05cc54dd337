"""Recognise government bodies in text: a dictionary scan plus a level prefix.

``find_departments(text, default_level, replying)`` returns every mention with
its canonical Department. A name written without a level (住建局) takes the
letter's own level, since a district's letter means its district bureau;
市局 / 区局 mean the replying bureau's counterpart at that level.
"""
from __future__ import annotations

import re
from functools import lru_cache

from ouhai_tracker.extract.model import Department, Mention
from ouhai_tracker.extract.rules import departments as R

# Forms too generic to stand without a level prefix (区政府 yes, 政府购买服务 no).
NEEDS_LEVEL = {"政府", "委政府", "委区政府", "团委"}
# Characters that never occur inside the name part of a generic X局 match.
NAMED_LOCAL = re.compile(r"(?P<place>[\u4e00-\u9fff]{2})(?P<level>镇|乡|街道)(?P<body>人民政府|办事处)")
BRANCH = re.compile(r"[\u4e00-\u9fff]{2}区?分局")
STOP_CHARS = set("的对在将与已为及了是把向从被由等或并以于其这该此各每个年月日中和、，。；：")


@lru_cache(maxsize=1)
def _tables():
    form_to_row: dict[str, tuple[str, str, tuple[str, ...]]] = {}
    for canonical, short, others in R.DEPARTMENTS:
        for form in (canonical, short, *others):
            form_to_row.setdefault(form, (canonical, short, others))
    forms = sorted(form_to_row, key=len, reverse=True)
    known = re.compile("|".join(map(re.escape, forms)))
    local_forms: dict[str, str] = {}
    for canonical, forms_ in R.LOCAL_BODIES:
        for f in forms_:
            local_forms[f] = canonical
    local = re.compile("|".join(map(re.escape, sorted(local_forms, key=len, reverse=True))))
    league = re.compile("|".join(map(re.escape, R.YOUTH_LEAGUE)))
    generic = re.compile(r"(?P<level>[省市区县])(?P<body>[\u4e00-\u9fff]{2,8}?)(?P<kind>分局|局|委员会|集团)")
    counterpart = re.compile(r"(?P<level>[省市区县])局")
    return form_to_row, known, local_forms, local, league, generic, counterpart


def make_department(canonical: str, short: str, others: tuple[str, ...], level: str | None) -> Department:
    prefix = level or ""
    aliases = {canonical, short, *others, *(prefix + f for f in others)}
    if canonical == "团委" and level:  # the youth league writes its level inside: 团区委, 团市委
        aliases.add(f"团{level}委")
    aliases.discard(prefix + canonical)
    aliases.discard(prefix + short)
    return Department(name=prefix + canonical, short=prefix + short, level=level,
                      aliases=tuple(sorted(a for a in aliases if a)))


def _level_before(text: str, start: int) -> str | None:
    """The level character right before a name, unless it belongs to another word (社区, 全市)."""
    if start == 0:
        return None
    ch = text[start - 1]
    if ch not in R.LEVELS:
        return None
    if start >= 2 and text[start - 2] in R.NOT_LEVEL_BEFORE and ch in "区市县":
        return None
    return ch


def find_departments(text: str, default_level: str | None = None,
                     replying: Department | None = None) -> list[Mention]:
    form_to_row, known, local_forms, local, league, generic, counterpart = _tables()
    mentions: list[Mention] = []
    taken = [False] * (len(text) + 1)

    def add(start: int, end: int, dept: Department) -> None:
        if any(taken[start:end]):
            return
        for i in range(start, end):
            taken[i] = True
        mentions.append(Mention(dept, start, end, text[start:end]))

    # Named towns and sub-districts keep their names: 泽雅镇人民政府, 梧田街道办事处.
    for m in NAMED_LOCAL.finditer(text):
        place, level, body = m.group("place"), m.group("level"), m.group("body")
        short = place + level
        add(m.start(), m.end(), Department(name=place + level + body, short=short, level=level,
                                           aliases=tuple(sorted({short, short + body}))))
    for m in league.finditer(text):
        add(m.start(), m.end(), make_department("团委", "团委", ("共青团委员会",), R.YOUTH_LEAGUE[m.group()]))
    for m in known.finditer(text):
        form = m.group()
        canonical, short, others = form_to_row[form]
        level = _level_before(text, m.start())
        if level is None and form in NEEDS_LEVEL:
            continue
        start = m.start() - (1 if level else 0)
        branch = BRANCH.match(text, m.end())
        if branch and canonical.endswith("局"):
            # 市生态环境局瓯海分局 / 市公安局瓯海区分局: the district branch of a city bureau.
            form = canonical[:-1] + "分局"
            b_canonical, b_short, b_others = form_to_row.get(form, (form, form, ()))
            add(start, branch.end(), make_department(b_canonical, b_short, (*b_others, canonical), "区"))
            continue
        add(start, m.end(), make_department(canonical, short, others, level or default_level))
    for m in local.finditer(text):
        canonical = local_forms[m.group()]
        add(m.start(), m.end(), Department(name=canonical, short=canonical, level=None,
                                           aliases=tuple(sorted({m.group(), canonical}))))
    if replying is not None and replying.level:
        base = replying.name[len(replying.level):]
        base_short = replying.short[len(replying.level):]
        for m in counterpart.finditer(text):
            nxt = text[m.end():m.end() + 1]
            if nxt and nxt in "长面势限部":  # 市局长, 全局面, 格局势: other words
                continue
            level = m.group("level")
            if level == replying.level:
                dept = replying
            else:
                dept = Department(level + base, level + base_short, level, tuple(sorted({base, base_short})))
            add(m.start(), m.end(), dept)
    for m in generic.finditer(text):
        body = m.group("body")
        if any(ch in STOP_CHARS for ch in body):
            continue
        if _level_before(text, m.start() + 1) is None:
            continue
        form = body + m.group("kind")
        add(m.start(), m.end(), make_department(form, form, (), m.group("level")))
    mentions.sort(key=lambda x: x.start)
    return mentions


def department_from_name(name: str, default_level: str | None = None) -> Department | None:
    """The Department a whole name denotes (a signature line, a user's --owner)."""
    name = name.strip()
    found = find_departments(name, default_level)
    if not found:
        return None
    best = max(found, key=lambda x: x.end - x.start)
    if best.end != len(name):
        # 温州市瓯海区经济和信息化局: the name ends the line; prefer the mention that does
        ending = [x for x in found if x.end == len(name)]
        if ending:
            best = ending[-1]
    return best.department
