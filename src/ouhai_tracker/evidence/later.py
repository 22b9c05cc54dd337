"""A later document (a reply a year on, a 回头看 report, a work summary) read for evidence:
its date, who wrote it, the places it speaks of, and its sentences with what each reports.

Pure functions over text: the metadata, department and segment readers of extract/, and the
cue tables of extract/rules/evidence.py.
"""
from __future__ import annotations

import re
from functools import lru_cache

from ouhai_tracker.evidence.model import (
    DONE,
    FORWARD,
    NOT_DONE,
    POSTPONED,
    PROGRESS,
    REMAINDER,
    Body,
    LaterDocument,
    LaterSentence,
)
from ouhai_tracker.extract.departments import HAN, innermost
from ouhai_tracker.extract.model import Department
from ouhai_tracker.extract.rules import departments as D
from ouhai_tracker.extract.rules import evidence as R
from ouhai_tracker.extract.rules import letters as L

HAN_RUN = re.compile(f"[{HAN}]+")
# An item's heading that opens its paragraph: （二）专题培训。 / 2.用工检查。
HEADING = re.compile(rf"^(?:{L.ITEM_IN_BRACKETS}|{L.ITEM_DIGITS})"
                     r"(?P<title>[^，。；,;]{1,16})[。：:]")
# A sentence that refers back to the one before it: 该校区…, 此次…, 研修期间….
REFERS_BACK = re.compile(r"^(?:[^，。]{0,6}?(?:" + "|".join(R.REFERS_BACK_WORDS) + "))")
# A place of the district's level named without a body: 同属南屿市的西港区. The last character of
# its name rules out the words that only look like one (片区, 示范区, 开发区).
PLACE = re.compile(r"(?<![\u4e00-\u9fff])([\u4e00-\u9fff]{2})(?:区|县)|(?<=[市省的在与和及、])([\u4e00-\u9fff]{2})(?:区|县)")
# The writer acting: 我局当月即组织… is the author's act.
SELF = re.compile("|".join(sorted(D.SELF_WORDS, key=len, reverse=True)))
ITEM_LEAD = re.compile(rf"^(?:{L.ITEM_IS}|{L.ITEM_IN_BRACKETS}|{L.ITEM_DIGITS})")


@lru_cache(maxsize=1)
def _cues():
    def any_of(words):
        return re.compile("|".join(f"(?:{w})" for w in words))

    return {
        "late_done": any_of(R.LATE_DONE), POSTPONED: any_of(R.POSTPONED), NOT_DONE: any_of(R.NOT_DONE), PROGRESS: any_of(R.PROGRESS),
        DONE: any_of(R.DONE), REMAINDER: any_of(R.REMAINDER), "forward_section": any_of(R.FORWARD_SECTION), FORWARD: any_of(R.FORWARD),
        "reported": any_of(R.REPORTED), "boilerplate": any_of(R.BOILERPLATE),
    }


def aspects(text: str) -> frozenset[str]:
    """What ``text`` reports: done, progress, not_done, postponed (any of them, or none: a
    sentence that narrates an act without a cue, 去年9月，我局举办…, reports it done). A delay
    that ends in the act (延后两个月完成) reports it done.
    A not-done cue qualifying a noun (仍未谈拢的9个单元) is no report of failure, and the act a
    not-done cue denies (尚未出台) is no act done."""
    cues = _cues()
    found = set()
    masked = text
    for m in cues["late_done"].finditer(text):  # done, if late: no delay still to come
        found.add(DONE)
        masked = masked[:m.start()] + "　" * (m.end() - m.start()) + masked[m.end():]
    for m in cues[POSTPONED].finditer(masked):
        found.add(POSTPONED)
        masked = masked[:m.start()] + "　" * (m.end() - m.start()) + masked[m.end():]
    for m in cues[NOT_DONE].finditer(masked):
        tail = masked[m.end():m.end() + R.ATTRIBUTIVE_SPAN + 1]
        if "的" in re.split(r"[，。；,;]", tail)[0]:
            continue
        found.add(NOT_DONE)
        end = m.end()
        for gap in range(R.NEGATED_VERB_GAP + 1):  # the act it denies (尚未出台, 未能如期建成): no act done
            verb = cues[DONE].match(masked, m.end() + gap)
            between = masked[m.end():m.end() + gap]
            if verb and (not between or HAN_RUN.fullmatch(between)):
                end = verb.end()
                break
        masked = masked[:m.start()] + "　" * (end - m.start()) + masked[end:]
    if cues[PROGRESS].search(masked):
        found.add(PROGRESS)
    if cues[DONE].search(masked):
        found.add(DONE)
    if cues[REMAINDER].search(masked):
        found.add(REMAINDER)
    return frozenset(found)


def promises(text: str, forward_section: bool) -> bool:
    """Whether the sentence ``text`` promises (a new commitment), rather than reports: in a
    section about what comes next, or with a forward word and nothing that reports (a sentence
    that says something is not done or put off reports, whatever it then promises)."""
    cues = _cues()
    if cues["reported"].search(text) or cues[NOT_DONE].search(text) or cues[POSTPONED].search(text):
        return False
    return forward_section or bool(cues[FORWARD].search(text))


def body_of(department: Department | None) -> Body | None:
    if department is None or not department.name:
        return None
    return Body(department.name, innermost(department.place), department.level, tuple(department.functions))


def named_places(text: str) -> tuple[str, ...]:
    """District-level places ``text`` names outright (西港区), in order, each once."""
    out = []
    for m in PLACE.finditer(text):
        name = m.group(1) or m.group(2)
        if name[-1] in R.PLACE_NOT_LAST or name[0] in R.PLACE_NOT_FIRST:
            continue
        place = m.group()[-3:] if m.group(1) is None else m.group()
        if place not in out:
            out.append(place)
    return tuple(out)


def _trusted_places(mentions, own: dict[str, str], named: tuple[str, ...] = ()):
    """The mentions, with a place no full name confirms taken for the document's own at its
    level: in 3月取得区发改局立项批复 the 区 is the district's, 取得 no place. The districts the
    document ``named`` outright (二、碧山市南溪区) are confirmed: a report on two districts
    speaks of each one's bodies."""
    from dataclasses import replace

    known = {innermost(p) for p in own.values()} | set(named)
    known |= {innermost(m.department.place) for m in mentions
              if m.department.place and len(m.text) > len(m.department.place) and m.text.startswith(
                  m.department.place) and len(place_levels(m.department.place)) >= 2}
    out = []
    for m in mentions:
        place = m.department.place
        if place and innermost(place) not in known and m.department.level in own:
            m = replace(m, department=replace(m.department, place=own[m.department.level]))
        out.append(m)
    return out


def place_levels(place: str) -> dict[str, str]:
    from ouhai_tracker.extract.departments import place_chain

    return place_chain(place)


def subject_of(text: str, start: int, end: int, mentions, author: Body | None) -> Body | None:
    """The body that acts in the sentence text[start:end]: a body, or 我局 (the author), at the
    start of one of its first two clauses (after an item marker: 三是区工商联将…)."""
    lead = ITEM_LEAD.match(text, start)
    clause_starts = [lead.end() if lead else start]
    comma = re.compile("[，,]").search(text, clause_starts[0], end)
    if comma:
        clause_starts.append(comma.end())
    for at in clause_starts:
        for m in mentions:
            if m.start == at and not m.text.endswith(R.PLACE_WORDS):  # 鹿鸣街道卫生服务中心: a place
                return body_of(m.department)
        if author is not None and SELF.match(text, at):
            return author
    return None


def read_later(text: str, letter: bool = True) -> LaterDocument:
    """The later document ``text``, read: date (its signature's, else estimated), author, the
    places it names (its districts, when it names one), and its sentences with heading, aspect and whether each promises. The
    opening before the first section heading (收悉…, 现将…如下) and the closing words are no
    evidence and are left out. Only a ``letter`` (a reply) makes promises of its own; a report
    or a work summary may still say what comes next (下一步…力争…), and such a sentence is
    marked as one that promises, not as a report of what was done."""
    from ouhai_tracker.extract.departments import find_departments
    from ouhai_tracker.extract.metadata import _outside_titles, estimated_date, read_metadata
    from ouhai_tracker.extract.segment import paragraphs

    meta = read_metadata(text)
    mentions = _outside_titles(text, find_departments(text, meta.places, meta.level, meta.replying_department))
    mentions = _trusted_places(mentions, meta.places, named_places(text))
    author = body_of(meta.replying_department)
    places = {innermost(p) for p in meta.places.values()}
    places |= {innermost(m.department.place) for m in mentions if m.department.place}
    places |= set(named_places(text))
    sentences: list[LaterSentence] = []
    cues = _cues()
    parts = paragraphs(text)
    has_sections = any(p.heading for p in parts)
    for paragraph in parts:
        if paragraph.heading or (has_sections and paragraph.section is None):
            continue
        forward_section = bool(paragraph.section and cues["forward_section"].search(paragraph.section))
        heading, before = "", ""
        for s in paragraph.sentences:
            raw = text[s.start:s.end]
            m = HEADING.match(raw)
            start = s.start
            if m:
                heading = m.group("title")
                if m.end() >= len(raw.rstrip("。")):
                    continue  # the heading alone: no sentence of its own
                if raw[m.end() - 1] == "。":
                    start = s.start + m.end()
            sentence_text = text[start:s.end]
            if cues["boilerplate"].search(sentence_text):
                continue
            inside = [x for x in mentions if start <= x.start < s.end]
            if any(x.text == sentence_text.strip("。 \n") for x in inside):
                continue  # a body's name alone: the signature, not a sentence
            sentences.append(LaterSentence(
                index=len(sentences), start=start, end=s.end, text=sentence_text, heading=heading,
                before=before if REFERS_BACK.match(sentence_text) else "",
                forward=promises(sentence_text, forward_section), aspects=aspects(sentence_text),
                bodies=tuple(b for b in (body_of(x.department) for x in inside) if b),
                places=named_places(sentence_text), subject=subject_of(text, start, s.end, inside, author)))
            before = sentence_text
    named = {p for p in places if p}
    districts = {p for p in named if p[-1] in "区县"}
    # A document that names districts speaks of their promises, not of all its city's.
    return LaterDocument(text=text, date=meta.date or estimated_date(text), author=author,
                         places=frozenset(districts or named), sentences=sentences, letter=letter)
