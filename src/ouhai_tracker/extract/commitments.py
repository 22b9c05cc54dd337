"""Pick out the promises: units of a sentence that look forward, not back.

A unit (a sentence, or one of its ；-separated parts) is split again where a
new body takes over as subject (…由各镇街负责…，我局每年…) or where a
coordinated clause brings its own deadline (…，并于明年上半年…). Each part is
a commitment when one of its clauses carries a strong cue (将, 计划, a future
date, 近期, 待…后 …) that is not reporting the past, or a weak cue (继续, 每年,
由X负责 …) with no past report beside it, or when the sentence's lead or an
earlier part already promised (下一步，我局将做好三方面工作：…；…).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from ouhai_tracker.extract import deadlines as D
from ouhai_tracker.extract import owners as O
from ouhai_tracker.extract.model import Commitment, Department, Policy, Settings
from ouhai_tracker.extract.rules import cues as C
from ouhai_tracker.extract.segment import Paragraph, Sentence, Span, clauses
from ouhai_tracker.extract.timeexpr import TimeMention

CLOSING = re.compile(r"^(?:办理单位)?(?:联\s*系\s*人|联系电话|抄\s*送|附件|签发|承办)")
CONJ_TIME = re.compile(r"(?:并且|并|同时|此后|另外|此外|还将|并将)(?:于|在|从)?")
HEADING_MAX = 26


@lru_cache(maxsize=1)
def _res():
    return (re.compile("|".join(C.STRONG_CUES)), re.compile("|".join(C.WEAK_CUES)),
            re.compile("|".join(C.PAST_MARKERS)), re.compile("|".join(C.PAST_PLAN)),
            re.compile("|".join(C.BOILERPLATE)), re.compile(C.POLICY_GRANT),
            re.compile(C.PAST_SECTION), re.compile(C.RESPONSIBILITY))


def mask_quoted(text: str) -> str:
    """Blank the inside of 《》 and “”: 《三年行动计划》 and “一件事” hold no cues of their own."""
    return re.sub(r"(?<=《)[^《》\n]*(?=》)|(?<=“)[^“”\n]{0,30}(?=”)", lambda m: "＊" * len(m.group()), text)


@dataclass
class Context:
    text: str
    letter_date: date
    settings: Settings
    actors: list[O.Actor]
    times: list[TimeMention]
    policies: list[Policy]
    replying: Department | None
    masked: str = ""  # the text with 《titles》 and “quoted names” blanked, for cue search

    def __post_init__(self) -> None:
        self.masked = mask_quoted(self.text)

    def times_in(self, lo: int, hi: int) -> list[TimeMention]:
        return [t for t in self.times if lo <= t.start and t.end <= hi]

    def actors_in(self, lo: int, hi: int) -> list[O.Actor]:
        return [a for a in self.actors if lo <= a.start and a.end <= hi]


@dataclass
class Clue:
    """What a stretch of text says about time: forward, past, weakly forward."""

    strong: str | None = None  # the cue word that made it forward-looking
    weak: str | None = None
    past: bool = False
    undated: bool = False  # 下一步 / 今后


def read_clause(ctx: Context, lo: int, hi: int, part_past: bool = False, after_past: bool = False) -> Clue:
    """What one clause says about time. ``part_past``: a past marker stands elsewhere in the
    part; ``after_past``: the clause follows one that reports the past."""
    strong_re, weak_re, past_re, _, _, _, _, resp_re = _res()
    text, masked = ctx.text, ctx.masked
    clue = Clue()
    conditions = D.find_conditions(text, lo, hi)
    times = [t for t in ctx.times_in(lo, hi) if D.is_deadline_use(text, t)]
    past_marker = bool(past_re.search(masked, lo, hi))
    future_dates, past_dates = [], []
    for t in times:
        if t.kind != "date" or t.due is None:
            continue
        if t.due < ctx.letter_date:
            past_dates.append(t)
        elif t.period == "year" and t.due.year == ctx.letter_date.year and (past_marker or part_past) \
                and not any(ch in t.text for ch in "内底末前"):
            past_dates.append(t)  # 今年…已…: the year only places a past event
        else:
            future_dates.append(t)
    if any(t.kind == "since" and t.text.endswith(("以来", "来")) for t in ctx.times_in(lo, hi)):
        past_marker = True
    if past_dates and not future_dates:
        clue.past = True
        return clue
    m = strong_re.search(masked, lo, hi)
    if m and after_past and m.group() == "将" and not masked[lo:m.start()].strip():
        m = None  # …打造了X，将专家的信息挂在…: 将 in the 把 sense, continuing a report
    if conditions:
        clue.strong = text[conditions[0].start:conditions[0].start + 1]
    elif future_dates:
        clue.strong = future_dates[0].text
    elif any(t.kind in ("vague", "none") for t in times):
        t = next(t for t in times if t.kind in ("vague", "none"))
        clue.strong = t.text
    elif m:
        clue.strong = m.group()
    clue.undated = any(t.kind == "none" for t in times)
    if clue.strong:
        return clue
    if past_marker:
        clue.past = True
        return clue
    w = weak_re.search(masked, lo, hi) or resp_re.search(masked, lo, hi)
    if w:
        clue.weak = w.group()
    elif any(t.kind == "recurring" for t in times):
        clue.weak = next(t.text for t in times if t.kind == "recurring")
    return clue


def read_span(ctx: Context, lo: int, hi: int) -> list[Clue]:
    _, _, past_re, _, _, _, _, _ = _res()
    part_past = bool(past_re.search(ctx.masked, lo, hi))
    out: list[Clue] = []
    for s, e in clauses(ctx.text, lo, hi):
        out.append(read_clause(ctx, s, e, part_past, bool(out) and out[-1].past))
    return out


FIRST_PERSON = ("我们", *("我局", "本局", "我委", "本委", "我办", "本办", "我单位", "本单位", "我部门"))


def subject_of(ctx: Context, lo: int, hi: int, sentence_start: int,
               context: Department | None) -> tuple[O.Actor | None, Department | None]:
    """The first actor standing as a subject in text[lo:hi], and the body it means.

    First-person words mean the speaker when the sentence quotes one (区财政局表示：我们将…);
    otherwise 我局 is the replying unit and 我们 the body the paragraph is about.
    """
    conditions = D.find_conditions(ctx.text, lo, hi)
    time_spans = [(t.start, t.end) for t in ctx.times_in(lo, hi)]
    for a in ctx.actors_in(lo, hi):
        if any(c.start <= a.start < c.end for c in conditions):
            continue
        if not O.is_subject(ctx.text, a, lo, hi, time_spans):
            continue
        dept = a.department
        if a.text in FIRST_PERSON:
            speaker = O.speaker_before(ctx.text, sentence_start, a.start, ctx.actors)
            if speaker is not None:
                dept = speaker
            elif a.text == "我们":
                dept = context or ctx.replying
        return a, dept
    return None, None


def split_unit(ctx: Context, lo: int, hi: int, sentence_start: int,
               context: Department | None) -> list[tuple[int, int]]:
    """Cut a unit where a new body takes over, or a coordinated clause brings its own date."""
    parts: list[tuple[int, int]] = []
    cur_lo = lo
    cur_subject: Department | None = None
    cur_strong = False
    for s, e in clauses(ctx.text, lo, hi):
        if s > cur_lo:
            actor, dept = subject_of(ctx, s, e, sentence_start, context)
            if actor is not None and dept is not None and cur_subject is not None and dept.name != cur_subject.name:
                parts.append((cur_lo, s))
                cur_lo, cur_subject, cur_strong = s, None, False
            else:
                conj = CONJ_TIME.match(ctx.text, s, e)
                if conj and cur_strong and any(t.start == conj.end() and t.kind in ("date", "recurring")
                                               for t in ctx.times_in(s, e)):
                    parts.append((cur_lo, s))
                    cur_lo, cur_subject, cur_strong = s, None, False
        if cur_subject is None:
            _, cur_subject = subject_of(ctx, s, e, sentence_start, context)
        cur_strong = cur_strong or read_clause(ctx, s, e).strong is not None
    parts.append((cur_lo, hi))
    out = []
    for a, b in parts:
        while b > a and ctx.text[b - 1] in "，,：: \u3000":
            b -= 1
        if b > a:
            out.append((a, b))
    return out


def is_place(dept: Department | None) -> bool:
    return dept is not None and dept.name.endswith("人民政府")


def find_commitments(ctx: Context, paragraphs: list[Paragraph]) -> list[Commitment]:
    _, _, _, past_plan_re, boiler_re, grant_re, past_section_re, resp_re = _res()
    text = ctx.text
    found: list[Commitment] = []
    for p in paragraphs:
        body = text[p.start:p.end]
        if CLOSING.match(body) or (ctx.replying and body in (ctx.replying.name,)):
            break
        if p.heading:
            continue
        past_section = bool(p.section and past_section_re.search(p.section))
        # The body the paragraph is about: the last department named as a subject.
        context: Department | None = None
        for sentence in p.sentences:
            s_text = text[sentence.start:sentence.end]
            if boiler_re.search(s_text) or _is_item_heading(ctx, sentence):
                continue
            lead_promised = False
            lead_subject = None
            lead_times: list[TimeMention] = []
            if sentence.lead:
                lo, hi = sentence.lead.start, sentence.lead.end
                lead_promised = any(c.strong for c in read_span(ctx, lo, hi))
                _, lead_subject = subject_of(ctx, lo, hi, sentence.start, context)
                lead_times = [t for t in ctx.times_in(lo, hi) if D.is_deadline_use(text, t)]
            sentence_past = None
            for unit in sentence.units:
                unit_promised = lead_promised
                for lo, hi in split_unit(ctx, unit.start, unit.end, sentence.start, context):
                    clues = read_span(ctx, lo, hi)
                    if sentence_past is None:
                        sentence_past = bool(clues) and clues[0].past
                    _, subject = subject_of(ctx, lo, hi, sentence.start, context)
                    decision = _decide(ctx, lo, hi, clues, unit_promised, sentence_past, past_section,
                                       past_plan_re, grant_re, subject)
                    if subject is not None and not is_place(subject):
                        context = subject
                    if decision is None:
                        continue
                    cue, confidence = decision
                    unit_promised = unit_promised or any(c.strong for c in clues)
                    owner, rule = subject, "subject"
                    if owner is None and lead_subject is not None:
                        owner, rule = lead_subject, "context"
                    if owner is None:
                        speaker = O.speaker_before(text, sentence.start, lo, ctx.actors)
                        if speaker is not None:
                            owner, rule = speaker, "speaker"
                    if owner is None and context is not None:
                        owner, rule = context, "context"
                    if owner is None:
                        owner, rule = ctx.replying, "replying unit"
                    found.append(_commitment(ctx, p, sentence, unit.item, lo, hi, owner, rule,
                                             cue, confidence, lead_times))
    return found


def _is_item_heading(ctx: Context, sentence: Sentence) -> bool:
    """一是出台方案，统筹推进。 — a short item title, not a promise."""
    if len(sentence.units) != 1 or not sentence.units[0].item or sentence.lead:
        return False
    u = sentence.units[0]
    if u.end - u.start > HEADING_MAX:
        return False
    return not any(c.strong for c in read_span(ctx, u.start, u.end))


def _decide(ctx, lo, hi, clues, promised_before, sentence_past, past_section,
            past_plan_re, grant_re, subject) -> tuple[str, float] | None:
    """(cue, confidence) when text[lo:hi] is a promise, else None."""
    text = ctx.masked
    if past_plan_re.search(text, lo, hi):
        return None
    any_past = any(c.past for c in clues)
    strong = next((c.strong for c in clues if c.strong and not c.past), None)
    if past_section and not any(c.undated for c in clues):
        return None
    if strong and not (grant_re.search(text, lo, hi) and not re.search(C.MODAL_JIANG, text[lo:hi])):
        return strong, 0.9
    if any_past or sentence_past:
        return None
    if grant_re.search(text, lo, hi):
        return None
    weak = next((c.weak for c in clues if c.weak), None)
    if weak and (weak not in ("负责", "牵头", "主办", "承办") or subject is not None):
        return weak, 0.7
    if promised_before:
        return "(continues the promise before it)", 0.6
    return None


def _commitment(ctx: Context, p: Paragraph, sentence: Sentence, item: str | None, lo: int, hi: int,
                owner: Department | None, rule: str, cue: str, confidence: float,
                lead_times: list[TimeMention]) -> Commitment:
    text = ctx.text
    conditions = D.find_conditions(text, lo, hi)
    deadline = D.resolve(text, ctx.times_in(lo, hi), conditions, ctx.letter_date, ctx.settings, lead_times)
    we = owner if rule in ("speaker", "context") else ctx.replying
    partners = O.partners(text, lo, hi, ctx.actors, owner, we if owner is not None else ctx.replying)
    # 会同我局: the first person inside a commitment owned by another body is the replying unit.
    partners = [pr for pr in partners]
    policies = [pol.title for pol in ctx.policies if lo <= pol.start and pol.end <= hi]
    return Commitment(
        text=text[lo:hi], start=lo, end=hi,
        sentence=text[sentence.start:sentence.end], sentence_start=sentence.start,
        paragraph_start=p.start, paragraph_end=p.end, section=p.section, item=item,
        owner=owner, owner_rule=rule, partners=partners, deadline=deadline,
        policies=policies, cue=cue, confidence=confidence)
