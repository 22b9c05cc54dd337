"""Who undertakes a commitment, and who takes part.

The owner is the clause's own subject first (区工商联将…, 由住建局牵头…), then
the speaker of a quoted reply (区财政局表示：我们将…), then the context (the
last body named as a subject in the paragraph), and only then the replying
unit. Partners come from 会同 / 联合 / 配合 / 协同 and lead roles from 主办 / 协办.
"""
from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import accumulate

from ouhai_tracker.extract.departments import government, make_department, unit_from_name
from ouhai_tracker.extract.model import DIRECTED, LEAD, PARTNER, Department, Mention, PartnerRole
from ouhai_tracker.extract.prefilter import guarded
from ouhai_tracker.extract.rules import cues as C
from ouhai_tracker.extract.rules import departments as R

WE = "我们"
# 该院建设方计划8月份建成: a party at the head of its clause, before what it will do.
OTHER_PARTY_RE = re.compile(r"(?:^|(?<=[，,。；;：:\n]))(?!同时|目前|下一步|今后|我|本)(?P<party>(?:该|此)?[^\W\d，。；、的了在将与和]{1,8}?(?:"
                            + "|".join(R.OTHER_PARTY_HEADS) + r"))(?=将|会|计划|拟|预计|正在|正|已|力争|负责)")
CLAUSE_MARK = re.compile(r"[，,。；;：:\n]")  # what OTHER_PARTY_RE's lookbehind asks for
# The characters a body's name is made of, between its level and its head (区史志办, 县档案馆).
NAME_STOPS = "的在将与和及对按把从向为了、，,。；;"
NAME_CHARS = rf"[^\W\d{NAME_STOPS}]"
LEVEL = "(?:" + "|".join(R.LEVEL_PREFIXES) + ")"
ANAPHOR = re.compile(r"该(?P<head>" + "|".join(R.ANAPHORA_HEADS) + ")")
ANAPHOR_REACH = 300  # how far back 该馆 looks for the 馆 it means
# What 该馆 means when no name of the tables is a 馆: a level, words, and that head (县档案馆).
# (该 too: 该馆 itself is no name of a 馆)
ANAPHOR_TARGETS = {head: re.compile(LEVEL + rf"[^\W\d{NAME_STOPS}该]{{1,8}}?" + head) for head in R.ANAPHORA_HEADS}
BARE_GOVERNMENT = re.compile(r"(?:^|(?<=[，,。；;：:\n]))政府(?=" + "|".join(C.AFTER_SUBJECT) + ")")
# A body followed by its role in another's act (X、Y等部门全力配合), not the act's subject. A list
# item holds no joiner, so each is read one way only (with joiners inside, a failing 32-body list
# was tried every way it can be cut: minutes).
TAKES_PART_AFTER = re.compile(r"(?:[、和及与][^、和及与，,。；;：:]{2,16}?)*等?(?:部门|单位)?(?:" + "|".join(C.ROLE_ADVERBS)
                              + ")?(?:" + "|".join(C.PARTNER_AFTER) + ")")
# What closes a list of bodies that is one subject (区政府、民政局及各街道办事处对…), and how far
# such a list may reach.
LIST_REACH = 300
AFTER_LIST = re.compile(r"等?(?:部门|单位)?(?:" + "|".join(C.AFTER_SUBJECT) + ")")
ASSIGNED_TO = re.compile("由")
LEADS_AFTER = re.compile(r"等?(?:部门|单位)?" + C.RESPONSIBILITY)
ADDRESSEE_RE = re.compile("|".join(R.ADDRESSEE_WORDS))
SELF_RE = re.compile("|".join(sorted((*R.SELF_WORDS, *R.PLACE_SELF), key=len, reverse=True)))
# 区财政局表示 / 区公安分局交警大队表示 / 区财政局相关负责人表示: a short sub-unit may stand between.
SPEAKER_AFTER = re.compile(r"[\u4e00-\u9fff]{0,8}?" + C.SPEAKER_AFTER + r"\s*[:：，,]")
PARTNER_CUE_RE = re.compile("|".join(C.PARTNER_CUES))
LIST_JOINERS = C.LIST_JOINERS
# A body no table lists, in a list after 会同 / 联合 …: a level, words, a suffix (区史志办).
UNLISTED_BODY = re.compile(LEVEL + NAME_CHARS + "{1,8}?(?:" + "|".join(R.UNIT_ONLY_SUFFIXES) + ")(?=[、和及与，,；;。等]|$)")
DIRECTED_BODY = re.compile(NAME_CHARS + "{1,8}?(?:" + "|".join(C.DIRECTED_HEADS) + ")")
WITH_RE = re.compile(guarded(r"(?<=[\u4e00-\u9fff])(?:与|和|同)"))
WITH_AFTER = re.compile(r"等?(?:部门|单位)?(?:的)?(?:" + "|".join(C.WITH_VERBS) + ")")
POSTPOSED = re.compile(r"等?(?:部门|单位)?(?:" + "|".join(C.ROLE_ADVERBS) + ")?(?P<role>"
                       + "|".join(C.PARTNER_AFTER) + ")")


@dataclass(frozen=True)
class Actor:
    """A department mention or a first-person word (我局, 我们, 我区) standing in the text."""

    start: int
    end: int
    text: str
    department: Department | None  # None for 我们 until context resolves it


def _start(actor: Actor) -> int:
    return actor.start


def _from(actors_: list[Actor], lo: int, hi: int) -> Iterator[Actor]:
    """The actors starting in [lo, hi), found by bisection: ``actors_`` is sorted by start, as
    actors() returns it, so a long letter costs no scan from its beginning per clause."""
    i = bisect_left(actors_, lo, key=_start)
    while i < len(actors_) and actors_[i].start < hi:
        yield actors_[i]
        i += 1


def place_government(level: str, places: dict[str, str], replying: Department | None) -> Department:
    """我县 is the county's government; in the letter of that government (我乡 in a township's), the writer."""
    if replying is not None and replying.level == level and "政府" in replying.functions:
        return replying
    return government(level, places.get(level))


def actors(text: str, mentions: list[Mention], replying: Department | None, places: dict[str, str],
           addressee: Department | None = None) -> list[Actor]:
    """Every body standing in the text: the names, 我局 / 我们 / 我县, and 贵局 (the addressee),
    sorted by start (the other functions here rely on that order to look only near a position)."""
    found = [Actor(m.start, m.end, m.text, m.department) for m in mentions]
    # Mentions by start, with the furthest end reached so far: a stretch overlaps one when that
    # end, among the mentions starting before the stretch ends, lies beyond its start.
    taken = sorted({(m.start, m.end) for m in mentions})
    starts = [s for s, _ in taken]
    reach = list(accumulate((e for _, e in taken), max))

    def covered(start: int, end: int) -> bool:
        i = bisect_left(starts, end)
        return i > 0 and reach[i - 1] > start

    # A party stands at a clause's head: only the clause heads are tried (the pattern's opening
    # lookbehind made the engine try it at every character; a party holds no mark, so the heads
    # give the same matches).
    for clause_head in (0, *(mark.end() for mark in CLAUSE_MARK.finditer(text))):
        m = OTHER_PARTY_RE.match(text, clause_head)
        if m and not covered(m.start(), m.end()):
            name = m.group("party")
            found.append(Actor(m.start("party"), m.end("party"), name,
                               Department(name, name, functions=(R.OTHER_PARTY,))))
    if addressee is not None:
        found += [Actor(m.start(), m.end(), m.group(), addressee) for m in ADDRESSEE_RE.finditer(text)]
    for m in SELF_RE.finditer(text):
        if covered(m.start(), m.start() + 1):  # a first-person word inside a name is part of it
            continue
        word = m.group()
        if word in R.PLACE_SELF:
            dept = place_government(R.PLACE_SELF[word], places, replying)
        elif word == WE:
            dept = None
        else:
            dept = replying
        found.append(Actor(m.start(), m.end(), word, dept))
    # 该馆将… : the body of that kind named last before it (县档案馆现有…，该馆将…).
    named = sorted((a for a in found if a.department is not None), key=lambda a: a.end)
    last: dict[str, Department] = {}  # by head, the body named last before the position reached
    i = 0
    for m in ANAPHOR.finditer(text):
        while i < len(named) and named[i].end <= m.start():
            for head in R.ANAPHORA_HEADS:
                if named[i].department.name.endswith(head):  # type: ignore[union-attr]  # named: with one
                    last[head] = named[i].department  # type: ignore[assignment]  # (the same)
            i += 1
        if covered(m.start(), m.end()):
            continue
        head = m.group("head")
        dept = last.get(head)
        if dept is None:
            for x in ANAPHOR_TARGETS[head].finditer(text, max(0, m.start() - ANAPHOR_REACH), m.start()):
                dept = unit_from_name(x.group(), places) or dept
        if dept is not None:
            found.append(Actor(m.start(), m.end(), m.group(), dept))
    # 政府 alone at a clause's head (政府已将棚户区改造纳入规划，会逐步…) is the government of the
    # letter's own place, named as the letter writes it.
    level = replying.level if replying is not None else None
    if level:
        for m in BARE_GOVERNMENT.finditer(text):
            if not covered(m.start(), m.end()):
                found.append(Actor(m.start(), m.end(), m.group(), make_department("政府", level, places.get(level))))
    found.sort(key=lambda a: a.start)
    return Actors(found)


def _clause_start(text: str, lo: int, pos: int) -> int:
    i = pos
    while i > lo and text[i - 1] not in "，,：:；;。":
        i -= 1
    return i


def listed_with(text: str, actor: Actor, hi: int, actors_: list[Actor]) -> list[Actor]:
    """The bodies listed with ``actor`` as one subject, itself first (区政府、民政局及各街道办事处对…,
    由A、B和C牵头), or [] when no list of bodies closed by a subject's next word follows it."""
    if actor.end >= hi or text[actor.end] not in LIST_JOINERS or text[actor.end] in "，,":
        return []
    hi = min(hi, actor.end + LIST_REACH)  # (a page with no full stop: look no further than a list goes)
    starting: dict[int, list[Actor]] = {}
    for a in _from(actors_, actor.start, hi):
        starting.setdefault(a.start, []).append(a)
    chain = _chain(text, actor.start, hi, starting)
    if len(chain) < 2 or not AFTER_LIST.match(text, max(a.end for a in chain), hi):
        return []
    return chain


def is_subject(text: str, actor: Actor, lo: int, hi: int, time_spans: list[tuple[int, int]],
               actors_: list[Actor] | None = None) -> bool:
    """Does the actor stand as the subject of its clause (not as an object or partner)? With
    ``actors_``, the first of a list of bodies that is one subject is the subject too."""
    before = text[max(lo, actor.start - 2):actor.start]
    if before.endswith("据") or (before and before[-1] in LIST_JOINERS and before[-1] not in "，,"):
        return False
    if PARTNER_CUE_RE.search(text[max(lo, actor.start - 2):actor.start]):
        return False
    if TAKES_PART_AFTER.match(text, actor.end, hi):
        return False  # 由县发改局、县财政局配合，做好…: they take part; the writer acts
    if before.endswith(C.ASSIGNING) and not before.endswith(C.NOT_ASSIGNING):
        return True  # 由X负责 / 请X将… / 责成X: the body the act is given to
    after = text[actor.end:hi]
    if after.startswith(("负责", "牵头")):
        return True
    # The rest must be at the start of its clause, allowing time words and connectives.
    cs = _clause_start(text, lo, actor.start)
    prefix = text[cs:actor.start]
    for s, e in time_spans:
        if cs <= s and e <= actor.start:
            prefix = prefix.replace(text[s:e], "", 1)
    changed = True
    while changed and prefix:
        changed = False
        prefix = prefix.strip(" \u3000")
        for word in C.SUBJECT_PREFIXES:
            if prefix.startswith(word):
                prefix = prefix[len(word):]
                changed = True
    if prefix.strip(" \u3000"):
        return False
    if any(s == actor.end for s, _ in time_spans):
        return True
    return after.startswith(C.AFTER_SUBJECT) or bool(actors_ and listed_with(text, actor, hi, actors_))


class Actors(list):
    """actors()'s list, which also remembers where the speakers stand (X表示：, 据X), found once:
    a long sentence asks speaker_before for every clause, and must not be read again each time."""

    speakers: list[int] | None = None  # indexes of the actors that speak, in order
    text: str | None = None  # the text they were found in


def _speaks(text: str, a: Actor, lo: int) -> bool:
    """X表示： / 据X反馈，: X speaks; not 向X进行反馈 (X is who is told)."""
    if text[max(lo, a.start - 1):a.start] in C.SPOKEN_TO:
        return False
    return a.department is not None and bool(SPEAKER_AFTER.match(text, a.end)
                                             or text[max(lo, a.start - 1):a.start] == "据")


def speaker_before(text: str, lo: int, pos: int, actors_: list[Actor]) -> Department | None:
    """The body whose words these are: X表示：… or 据X反馈，… earlier in the sentence
    (the last such actor in text[lo:pos])."""
    if not isinstance(actors_, Actors):
        speaker = None
        for a in _from(actors_, lo, pos):
            if a.end <= pos and _speaks(text, a, lo):
                speaker = a.department
        return speaker
    if actors_.speakers is None or actors_.text is not text:
        actors_.speakers = [i for i, a in enumerate(actors_) if _speaks(text, a, 0)]
        actors_.text = text
    # Back from the last speaker starting before ``pos``, down to ``lo``.
    k = bisect_left(actors_.speakers, bisect_left(actors_, pos, key=_start)) - 1
    while k >= 0:
        a = actors_[actors_.speakers[k]]
        if a.start < lo:
            break
        # At ``lo`` itself a 据 before it lies outside the text asked about.
        if a.end <= pos and (a.start > lo or _speaks(text, a, lo)):
            return a.department
        k -= 1
    return None


def _chain(text: str, pos: int, hi: int, starting: dict[int, list[Actor]],
           places: dict[str, str] | None = None) -> list[Actor]:
    """The bodies listed from ``pos`` on: 区住建局、区财政局和区教育局 (every body of a stem list
    at one place: 县、市、省发改 is three). ``starting``: the actors by where they start. With
    ``places`` (after 会同, 联合 …), a body no table lists stands in the list too, named by its
    level and suffix (会同区史志办、文旅局)."""
    chain: list[Actor] = []
    while True:
        while pos < hi and text[pos] in " \u3000":
            pos += 1
        here = starting.get(pos, [])
        if not here and text.startswith(C.EACH, pos) and starting.get(pos + len(C.EACH)):
            pos += len(C.EACH)  # 民政局及各街道办事处: each of a kind of body
            here = starting[pos]
        if not here and places is not None:
            m = UNLISTED_BODY.match(text, pos, hi)
            dept = unit_from_name(m.group(), places) if m and not m.group().startswith(C.UNNAMED_BODIES) else None
            here = [Actor(m.start(), m.end(), m.group(), dept)] if dept is not None else []  # type: ignore[union-attr]  # dept: m matched
        if not here:
            return chain
        chain.extend(here)
        pos = max(a.end for a in here)
        if pos < hi and text[pos] in LIST_JOINERS:
            pos += 1
            continue
        return chain


def partners(text: str, lo: int, hi: int, actors_: list[Actor], owner: Department | None,
             we: Department | None, places: dict[str, str] | None = None,
             subject: Actor | None = None) -> list[PartnerRole]:
    """Bodies that take part: named after 会同 / 联合 / 配合 … (each list item included), bodies the
    owner directs (督促 / 要求 / 指导 / 协调 X), 与X…的沟通, X、Y等部门全力配合 after a list, and the
    bodies listed after the owner as one subject (``subject``, the owner's word, which may stand in
    a clause before: 区政府、民政局及各街道办事处对…进行了统计，将对…进行整合)."""
    found: list[tuple[int, PartnerRole]] = []  # by where the body stands, for the text's order
    named: set[str] = set()  # the bodies in found
    inside = [a for a in _from(actors_, lo, hi) if a.end <= hi]
    starting: dict[int, list[Actor]] = {}
    for a in inside:
        starting.setdefault(a.start, []).append(a)

    def add(at: int, dept: Department | None, role: str, cue: str) -> None:
        if dept is not None and (owner is None or dept.name != owner.name) and dept.name not in named:
            found.append((at, PartnerRole(dept, role, cue)))
            named.add(dept.name)

    for cue in PARTNER_CUE_RE.finditer(text, lo, hi):
        role = C.PARTNER_CUES[cue.group()]
        chain = _chain(text, cue.end(), hi, starting, places)
        for actor in chain:
            add(actor.start, actor.department or we, role, cue.group())
        if not chain and role == DIRECTED:
            # 协调新建办安排…, 督促广场属地社区设立…: a body no table lists, named by its head word.
            m = DIRECTED_BODY.match(text, cue.end(), hi)
            if m and not m.group().startswith(C.UNNAMED_BODIES):
                add(m.start(), Department(m.group(), m.group()), role, cue.group())
    # 由A、B和C牵头 / A、B及C对…: the first leads, the others take part.
    if subject is not None and subject.department is not None and subject.department == owner:
        for actor in listed_with(text, subject, len(text), actors_)[1:]:
            add(actor.start, actor.department or we, PARTNER, "、")
    # 我省…，由A、B和C等单位牵头负责…: another's act, led by bodies the clause gives it to.
    for m in ASSIGNED_TO.finditer(text, lo, hi):
        chain = _chain(text, m.end(), hi, starting, places)
        if chain and chain[0].department != owner and LEADS_AFTER.match(text, max(a.end for a in chain), hi):
            for actor in chain:
                add(actor.start, actor.department or we, LEAD, m.group())
    # 与住建、城管等部门的沟通协调 / 我厅与省发改委将…: the bodies joined with the owner.
    for m in WITH_RE.finditer(text, lo, hi):
        chain = _chain(text, m.end(), hi, starting)
        if chain and WITH_AFTER.match(text, max(a.end for a in chain), hi):
            for actor in chain:
                add(actor.start, actor.department or we, PARTNER, m.group())
    # Postposed roles: …，区财政局、区教育局配合 / X、Y等部门全力配合 / 区残联协办.
    i = 0
    while i < len(inside):
        chain = _chain(text, inside[i].start, hi, starting)
        after = POSTPOSED.match(text, max(a.end for a in chain), hi)
        if after:
            for actor in chain:
                add(actor.start, actor.department or we, C.PARTNER_AFTER[after.group("role")], after.group("role"))
        i += max(1, len(chain))
    return [role for _, role in sorted(found, key=lambda x: x[0])]
