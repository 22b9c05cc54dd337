"""Who undertakes a commitment, and who takes part.

The owner is the clause's own subject first (区工商联将…, 由住建局牵头…), then
the speaker of a quoted reply (区财政局表示：我们将…), then the context (the
last body named as a subject in the paragraph), and only then the replying
unit. Partners come from 会同 / 联合 / 配合 / 协同 and lead roles from 主办 / 协办.
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import accumulate

from ouhai_tracker.extract.departments import make_department
from ouhai_tracker.extract.model import Department, Mention, PartnerRole
from ouhai_tracker.extract.rules import cues as C
from ouhai_tracker.extract.rules import departments as R

WE = "我们"
SELF_RE = re.compile("|".join(sorted((*R.SELF_WORDS, *R.PLACE_SELF), key=len, reverse=True)))
# 区财政局表示 / 区公安分局交警大队表示 / 区财政局相关负责人表示: a short sub-unit may stand between.
SPEAKER_AFTER = re.compile(r"[\u4e00-\u9fff]{0,8}?" + C.SPEAKER_AFTER + r"\s*[:：，,]")
PARTNER_CUE_RE = re.compile("|".join(C.PARTNER_CUES))
LIST_JOINERS = "、和及与,，"


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


def place_government(level: str) -> Department:
    return make_department("人民政府", "政府", (), level)


def actors(text: str, mentions: list[Mention], replying: Department | None, place: str | None) -> list[Actor]:
    """Department mentions and first-person words, sorted by start (the other functions here rely
    on that order to look only near a position)."""
    found = [Actor(m.start, m.end, m.text, m.department) for m in mentions]
    # A first-person word inside a mention is part of it. Mentions by start, with the furthest
    # end reached so far: a position is inside one when that end lies beyond it.
    taken = sorted({(m.start, m.end) for m in mentions})
    starts = [s for s, _ in taken]
    reach = list(accumulate((e for _, e in taken), max))
    for m in SELF_RE.finditer(text):
        i = bisect_right(starts, m.start())
        if i and reach[i - 1] > m.start():
            continue
        word = m.group()
        if word in R.PLACE_SELF:
            dept = place_government(R.PLACE_SELF[word])
        elif word == WE:
            dept = None
        else:
            dept = replying
        found.append(Actor(m.start(), m.end(), word, dept))
    found.sort(key=lambda a: a.start)
    return Actors(found)


def _clause_start(text: str, lo: int, pos: int) -> int:
    i = pos
    while i > lo and text[i - 1] not in "，,：:；;。":
        i -= 1
    return i


def is_subject(text: str, actor: Actor, lo: int, hi: int, time_spans: list[tuple[int, int]]) -> bool:
    """Does the actor stand as the subject of its clause (not as an object or partner)?"""
    before = text[max(lo, actor.start - 2):actor.start]
    if before.endswith("据") or (before and before[-1] in LIST_JOINERS and before[-1] not in "，,"):
        return False
    if PARTNER_CUE_RE.search(text[max(lo, actor.start - 2):actor.start]):
        return False
    if before.endswith("由"):
        return True
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
    return after.startswith(C.AFTER_SUBJECT)


class Actors(list):
    """actors()'s list, which also remembers where the speakers stand (X表示：, 据X), found once:
    a long sentence asks speaker_before for every clause, and must not be read again each time."""

    speakers: list[int] | None = None  # indexes of the actors that speak, in order
    text: str | None = None  # the text they were found in


def _speaks(text: str, a: Actor, lo: int) -> bool:
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


def partners(text: str, lo: int, hi: int, actors_: list[Actor], owner: Department | None,
             we: Department | None) -> list[PartnerRole]:
    """Departments named right after 会同 / 联合 / 配合 …, each list item included."""
    found: list[PartnerRole] = []
    inside = [a for a in _from(actors_, lo, hi) if a.end <= hi]
    starting: dict[int, Actor] = {}
    for a in inside:
        starting.setdefault(a.start, a)
    for cue in PARTNER_CUE_RE.finditer(text, lo, hi):
        role = C.PARTNER_CUES[cue.group()]
        pos = cue.end()
        while True:
            while pos < hi and text[pos] in " \u3000":
                pos += 1
            nxt = starting.get(pos)
            if nxt is None:
                break
            dept = nxt.department or we
            if dept is not None and (owner is None or dept.name != owner.name) \
                    and all(p.department.name != dept.name for p in found):
                found.append(PartnerRole(dept, role, cue.group()))
            pos = nxt.end
            if pos < hi and text[pos] in LIST_JOINERS:
                pos += 1
                continue
            break
    # Postposed roles: …，区财政局、区教育局配合 / 区残联协办.
    for i, a in enumerate(inside):
        chain = [a]
        j = i
        while j + 1 < len(inside) and text[inside[j].end:inside[j + 1].start] in ("、", "和", "及", "与"):
            j += 1
            chain.append(inside[j])
        after = text[chain[-1].end:chain[-1].end + 2]
        role = C.PARTNER_AFTER.get(after)
        if role is None:
            continue
        for member in chain:
            dept = member.department or we
            if dept is not None and (owner is None or dept.name != owner.name) \
                    and all(p.department.name != dept.name for p in found):
                found.append(PartnerRole(dept, role, after))
    return found
