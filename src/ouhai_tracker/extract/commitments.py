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
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from typing import Any

from ouhai_tracker.extract import deadlines as D
from ouhai_tracker.extract import owners as O
from ouhai_tracker.extract.departments import unit_from_name
from ouhai_tracker.extract.metadata import signature_date
from ouhai_tracker.extract.model import Commitment, Department, Policy, Settings
from ouhai_tracker.extract.prefilter import guarded
from ouhai_tracker.extract.rules import cues as C
from ouhai_tracker.extract.rules import departments as R
from ouhai_tracker.extract.rules.departments import LOCAL
from ouhai_tracker.extract.segment import ITEM, Paragraph, Sentence, clauses, sentence_spans
from ouhai_tracker.extract.timeexpr import TimeMention

CLOSING = re.compile(C.CLOSING_LINE)
CONJ_TIME = re.compile(C.CONJUNCTION_BEFORE_TIME)
HEADING_MAX = 26
FIELD_LINE_MAX = 200  # a page's field or furniture line is shorter; a longer one runs on into the letter
# How long before a web page's date a letter may have been written (its signature cut off).
PAGE_DATE_GRACE_DAYS = 31
FURNITURE = re.compile(C.FURNITURE)
PROPOSER = re.compile(C.PROPOSER_SPEECH)
CONTINUES = re.compile(C.CONTINUING)
PROPOSAL_FIELD = re.compile(C.PROPOSAL_FIELDS)
EXISTENTIAL = re.compile(C.EXISTENTIAL)
SIGNED_LINE = re.compile(C.SIGNED_LINE)
TOPIC = re.compile(C.TOPIC_FRAME)
PAGE_CLOSE = re.compile(C.PAGE_CLOSE)
DIRECTING = re.compile("|".join(cue for cue, role in C.PARTNER_CUES.items() if role == "directed"))
PERFECTIVE = re.compile(C.PERFECTIVE)
QUOTED_PROPOSAL = re.compile(C.QUOTED_PROPOSAL)


@dataclass(frozen=True)
class Patterns:
    """The cue tables of rules/cues.py, compiled once."""

    strong: re.Pattern
    weak: re.Pattern
    past: re.Pattern
    past_plan: re.Pattern
    boilerplate: re.Pattern
    policy_grant: re.Pattern
    past_section: re.Pattern
    future_section: re.Pattern
    responsibility: re.Pattern
    present: re.Pattern
    modal_jiang: re.Pattern
    policy_says: re.Pattern
    opening: re.Pattern
    report_opening: re.Pattern
    recurring_statistic: re.Pattern
    completed_count: re.Pattern
    decision: re.Pattern
    reason: re.Pattern
    purpose: re.Pattern
    negated_action: re.Pattern
    content_lead: re.Pattern
    prohibition: re.Pattern
    result: re.Pattern


def any_of(rxs) -> re.Pattern:
    return re.compile(guarded("|".join(rxs)))


@lru_cache(maxsize=1)
def patterns() -> Patterns:
    return Patterns(any_of(C.STRONG_CUES), any_of(C.WEAK_CUES), any_of(C.PAST_MARKERS), any_of(C.PAST_PLAN),
                    any_of(C.BOILERPLATE), re.compile(guarded(C.POLICY_GRANT)), re.compile(C.PAST_SECTION),
                    re.compile(C.FUTURE_SECTION), re.compile(C.RESPONSIBILITY), re.compile(C.PRESENT_MARKERS),
                    re.compile(C.MODAL_JIANG), re.compile(C.POLICY_SAYS), re.compile(C.OPENING),
                    re.compile(C.REPORT_OPENING), re.compile(C.RECURRING_STATISTIC),
                    re.compile(C.COMPLETED_COUNT), re.compile(C.DECISION), re.compile(C.REASON),
                    re.compile(C.PURPOSE), re.compile(C.NEGATED_ACTION), re.compile(C.CONTENT_LEAD),
                    re.compile("|".join(C.PROHIBITIONS)), re.compile(r"\s*(?:" + "|".join(C.RESULT_OPENINGS) + ")"))


def mask_quoted(text: str, spans: Sequence[tuple[int, int]] = ()) -> str:
    """Blank the inside of 《》 and “”: 《三年行动计划》 and “一件事” hold no cues of their own; nor
    do the ``spans`` (the proposal quoted back)."""
    masked = re.sub(r"(?<=《)[^《》\n]*(?=》)|(?<=“)[^“”\n]{0,30}(?=”)", lambda m: "＊" * len(m.group()), text)
    for s, e in spans:
        masked = masked[:s] + "＊" * (e - s) + masked[e:]
    return masked


@dataclass
class Context:
    text: str
    letter_date: date
    settings: Settings
    actors: list[O.Actor]
    times: list[TimeMention]
    policies: list[Policy]
    replying: Department | None
    closing_lines: frozenset[str] = frozenset()  # the signature's unit and date lines
    date_after_writing: bool = False  # the date is the page's, which may come weeks after the letter
    replying_confidence: float = 0.0  # how sure ``replying`` is (R.UNIT_CONFIDENCE)
    places: dict[str, str] = field(default_factory=dict)  # the letter's places, by level
    masked: str = ""  # the text with 《titles》 and “quoted names” blanked, for cue search

    def __post_init__(self) -> None:
        # The proposal's words quoted back (您提出的“建议…每年定期组织…”): no cue or time of the
        # letter's own stands in them.
        self.quoted = [m.span("quote") for m in QUOTED_PROPOSAL.finditer(self.text)]
        self.masked = mask_quoted(self.text, self.quoted)
        if self.quoted:
            self.times = [t for t in self.times if not any(s <= t.start < e for s, e in self.quoted)]
        self._time_starts = [t.start for t in self.times]
        # Whether each time expression is used as a deadline, decided once rather than in every clause around it.
        self._deadline_use = [D.is_deadline_use(self.text, t) for t in self.times]
        self._actor_starts = [a.start for a in self.actors]
        self._policies = sorted(self.policies, key=lambda p: p.start)
        self._policy_starts = [p.start for p in self._policies]
        self.memo: dict[tuple, Any] = {}  # the same clause is read by several stages

    @property
    def earliest_date(self) -> date:
        return self.letter_date - timedelta(days=PAGE_DATE_GRACE_DAYS) if self.date_after_writing else self.letter_date

    # (Most clauses hold no time and name no body: the first bisection says so.)
    def times_in(self, lo: int, hi: int) -> list[TimeMention]:
        i = bisect_left(self._time_starts, lo)
        if i == len(self._time_starts) or self._time_starts[i] >= hi:
            return []
        j = bisect_left(self._time_starts, hi, i)
        return [t for t in self.times[i:j] if t.end <= hi]

    def deadline_times_in(self, lo: int, hi: int) -> list[TimeMention]:
        """The time expressions in text[lo:hi] used as deadlines (D.is_deadline_use)."""
        i = bisect_left(self._time_starts, lo)
        if i == len(self._time_starts) or self._time_starts[i] >= hi:
            return []
        j = bisect_left(self._time_starts, hi, i)
        return [t for t, use in zip(self.times[i:j], self._deadline_use[i:j]) if use and t.end <= hi]

    def policies_in(self, lo: int, hi: int) -> list[Policy]:
        i = bisect_left(self._policy_starts, lo)
        j = bisect_left(self._policy_starts, hi)
        return [p for p in self._policies[i:j] if p.end <= hi]

    def names_body(self, lo: int, hi: int) -> bool:
        """Whether an actor starts in text[lo:hi]."""
        i = bisect_left(self._actor_starts, lo)
        return i < len(self._actor_starts) and self._actor_starts[i] < hi

    def actors_in(self, lo: int, hi: int) -> list[O.Actor]:
        i = bisect_left(self._actor_starts, lo)
        if i == len(self._actor_starts) or self._actor_starts[i] >= hi:
            return []
        j = bisect_left(self._actor_starts, hi, i)
        return [a for a in self.actors[i:j] if a.end <= hi]

    def conditions(self, lo: int, hi: int) -> list[D.Condition]:
        key = ("conditions", lo, hi)
        found = self.memo.get(key)
        if found is None:
            found = self.memo[key] = D.find_conditions(self.text, lo, hi)
        return found

    def clauses(self, lo: int, hi: int) -> list[tuple[int, int]]:
        key = ("clauses", lo, hi)
        found = self.memo.get(key)
        if found is None:
            found = self.memo[key] = clauses(self.text, lo, hi)
        return found


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
    # The flags change the reading of few clauses (one with a time, one whose cue is 将): the
    # others are read once, whatever flags they are asked with.
    _, _, m, _ = _clause_cues(ctx, lo, hi)
    part_past = part_past and bool(ctx.deadline_times_in(lo, hi))
    after_past = after_past and m is not None and m.group() == "将"
    key = ("clause", lo, hi, part_past, after_past)
    clue = ctx.memo.get(key)
    if clue is None:
        clue = ctx.memo[key] = _read_clause(ctx, lo, hi, part_past, after_past)
    return clue


def _clause_cues(ctx: Context, lo: int, hi: int) -> tuple[bool, bool, re.Match | None, bool]:
    """The cue words of a clause, whatever flags it is read with: (it gives a reason, a past
    marker, the first strong cue, a 以来 start); a clause is often read with several."""
    key = ("cues", lo, hi)
    cues = ctx.memo.get(key)
    if cues is None:
        pat, masked, times = patterns(), ctx.masked, ctx.times_in(lo, hi)
        cues = ctx.memo[key] = (bool(pat.reason.match(masked, lo, hi)), bool(pat.past.search(masked, lo, hi)),
                                pat.strong.search(masked, lo, hi),
                                bool(times) and any(t.kind == "since" and t.text.endswith(("以来", "来")) for t in times))
    return cues


def _read_clause(ctx: Context, lo: int, hi: int, part_past: bool, after_past: bool) -> Clue:
    pat = patterns()
    text, masked = ctx.text, ctx.masked
    clue = Clue()
    reason, past_marker, m, since = _clause_cues(ctx, lo, hi)
    if reason:
        return clue  # 鉴于原设计已不符合标准，…: a reason, neither a report nor a promise
    conditions = ctx.conditions(lo, hi)
    times = ctx.deadline_times_in(lo, hi)
    forward_cue = m is not None
    future_dates: list[TimeMention] = []
    past_dates: list[TimeMention] = []
    this_year: list[TimeMention] = []
    for t in times:
        if t.kind != "date" or t.due is None:
            continue
        if not ahead(ctx, t) or (t.due < ctx.letter_date and not _plan_month(ctx, t)
                                 and (past_marker or not forward_cue)):
            past_dates.append(t)
        elif t.period == "year" and t.due.year == ctx.letter_date.year and not any(ch in t.text for ch in "内底末前"):
            # A bare 今年 / 2023年 places an event in the year; alone it promises nothing.
            (past_dates if past_marker or part_past else this_year).append(t)
        elif "年" not in t.text and t.period in ("month", "day") and past_marker:
            past_dates.append(t)  # 5月，我局举办了…: a month without a year in a report is this year's
        else:
            future_dates.append(t)
    if since:
        past_marker = True
    if past_dates and not future_dates:
        clue.past = True
        return clue
    if m and after_past and m.group() == "将" and not masked[lo:m.start()].strip() \
            and not masked.startswith(C.MODAL_JIANG_FOLLOWERS, m.end()):
        m = None  # …打造了X，将专家的信息挂在…: 将 in the 把 sense, continuing a report
    own_conditions = [c for c in conditions if c.own]
    if own_conditions:
        clue.strong = text[own_conditions[0].start:own_conditions[0].start + 1]
    elif future_dates:
        clue.strong = future_dates[0].text
    elif times and any(t.kind in ("vague", "none") for t in times) and not (past_marker and not m):
        # (…我们适时亮化提升了…: a vague word inside a report promises nothing)
        t = next(t for t in times if t.kind in ("vague", "none"))
        clue.strong = t.text
    elif m and not (m.group() == "将" and PERFECTIVE.search(masked, m.end(), hi)):
        clue.strong = m.group()  # (将X纳入了规划: 将 in the 把 sense, in a report)
    clue.undated = bool(times) and any(t.kind == "none" for t in times)
    if clue.strong:
        return clue
    if past_marker:
        clue.past = True
        return clue
    w = pat.weak.search(masked, lo, hi) or pat.responsibility.search(masked, lo, hi)
    if w:
        clue.weak = w.group()
    elif times and any(t.kind == "recurring" for t in times) and not pat.recurring_statistic.search(masked, lo, hi):
        clue.weak = next(t.text for t in times if t.kind == "recurring")
    elif this_year and not pat.completed_count.search(masked, lo, hi):
        clue.weak = this_year[0].text
    return clue


def read_span(ctx: Context, lo: int, hi: int) -> list[Clue]:
    part_past = bool(patterns().past.search(ctx.masked, lo, hi))
    out: list[Clue] = []
    for s, e in ctx.clauses(lo, hi):
        out.append(read_clause(ctx, s, e, part_past, bool(out) and out[-1].past))
    return out


def subject_of(ctx: Context, lo: int, hi: int, sentence_start: int,
               context: Department | None) -> tuple[O.Actor | None, Department | None]:
    """The first actor standing as a subject in text[lo:hi], and the body it means.

    First-person words mean the speaker when the sentence quotes one (区财政局表示：我们将…);
    otherwise 我局 is the replying unit and 我们 the body the paragraph is about.
    """
    if not ctx.names_body(lo, hi):
        return None, None  # (most clauses)
    key = ("subject", lo, hi, sentence_start, context.name if context else None)
    found = ctx.memo.get(key)
    if found is None:
        found = ctx.memo[key] = _subject_of(ctx, lo, hi, sentence_start, context)
    return found


def _subject_of(ctx: Context, lo: int, hi: int, sentence_start: int,
                context: Department | None) -> tuple[O.Actor | None, Department | None]:
    actors = ctx.actors_in(lo, hi)
    if not actors:
        return None, None  # (most clauses name no body: no need to look for conditions)
    conditions = ctx.conditions(lo, hi)
    time_spans = [(t.start, t.end) for t in ctx.times_in(lo, hi)]
    for a in actors:
        if any(c.start <= a.start < c.end for c in conditions):
            continue
        if not O.is_subject(ctx.text, a, lo, hi, time_spans, ctx.actors):
            continue
        dept = a.department
        if a.text in R.SELF_WORDS:
            speaker = O.speaker_before(ctx.text, sentence_start, a.start, ctx.actors)
            if speaker is not None:
                dept = speaker
            elif a.text == "我们":
                dept = context or ctx.replying
        return a, dept
    return None, None


def split_unit(ctx: Context, lo: int, hi: int, sentence_start: int,
               context: Department | None, promised: bool = False) -> list[tuple[int, int]]:
    """Cut a unit where a new body takes over, or a coordinated clause brings its own date,
    recurrence or condition. ``promised``: a lead or a list before it promised the unit (下一步
    做好以下工作：…), so its clauses are measures as much as if they said 将."""
    parts: list[tuple[int, int]] = []
    cur_lo = lo
    cur_subject: Department | None = None
    cur_strong = False  # a cue of the part's own (a date, 将 …), not only a condition
    qualifier: int | None = None  # where the clause before starts, when it is only a qualification
    cur_conditional = False  # the part waits on a condition of its own (待…后)
    cur_words = 0  # characters of the part that are neither time expressions nor conditions
    cur_due, cur_past = None, False  # the latest date of the part's own; the part reports the past
    prev_past = False  # the clause before reports the past
    for s, e in ctx.clauses(lo, hi):
        # What the clause holds, looked up once for the tests below.
        own_date = _own_due(ctx, s, e)
        conditions = ctx.conditions(s, e)
        times = ctx.times_in(s, e)
        clue = read_clause(ctx, s, e, after_past=prev_past)
        subject = None
        if s > cur_lo:
            subject = actor, dept = subject_of(ctx, s, e, sentence_start, context)
            # …年底前推行X，由各乡镇负责组织实施: a promise, then another body's share of it.
            handed_on = (actor is not None and ctx.text[s:actor.start] in ("由", "再由", "并由")
                         and cur_strong and cur_words >= 4)  # more than 下一步 / 年内 alone
            if actor is not None and dept is not None and (
                    (cur_subject is not None and dept.name != cur_subject.name) or handed_on):
                parts.append((cur_lo, s))
                cur_lo, cur_subject, cur_strong, cur_words = s, None, False, 0
            else:
                conj = CONJ_TIME.match(ctx.text, s, e)
                dated = conj and any(t.start == conj.end() and t.kind in ("date", "recurring") for t in times)
                # (…掌握破损情况，定期由专业机构检测: a practice of its own among the measures)
                # (not ③强化水质监测，每月…检测: a heading's few words, then how)
                dated = dated or (promised and cur_words >= 8 and any(t.start == s and t.kind == "recurring"
                                                                     for t in times))
                # …我们将积极争取资金，如果争取到资金，我们将给予解决: the condition opens a promise of its own;
                # …预计9月上旬开工建设，全部工程预计12月份完成: so does a second date;
                # …8月初已办理招标手续，预计8月中旬开工: and a promise after a report.
                conditional = any(c.start - s <= 2 for c in conditions)
                # (…计划于明年6月底前开工建设，力争年底前建成: 年底 is the same plan's, not a new one)
                later_date = own_date is not None and cur_due is not None and own_date > cur_due
                # (由街道办事处核实违建范围，如在违建范围内，由街道办事处…拆除: a body's task, then a conditional one)
                if ((cur_strong or promised) and (dated or (conditional and cur_words >= 4) or later_date)) \
                        or (conditional and cur_subject is not None and cur_words >= 6) \
                        or (cur_conditional and own_date is not None and cur_words >= 4) \
                        or (cur_past and not cur_strong and clue.strong and not clue.past):
                    # (…进行了清理，对于出现反弹的楼道，将持续进行清理: the qualification is the new part's)
                    cut = qualifier if qualifier is not None and qualifier > cur_lo else s
                    parts.append((cur_lo, cut))
                    cur_lo, cur_subject, cur_strong, cur_words = cut, None, False, 0
                    cur_due, cur_past, cur_conditional = None, False, False
        if cur_subject is None:
            _, cur_subject = subject or subject_of(ctx, s, e, sentence_start, context)
        if not conditions:
            cur_strong = cur_strong or read_clause(ctx, s, e).strong is not None
            cur_words += (e - s) - sum(t.end - t.start for t in times)
        if own_date is not None and (cur_due is None or own_date > cur_due):
            cur_due = own_date
        prev_past = clue.past
        cur_past = cur_past or prev_past
        qualifier = s if any(c.start - s <= 2 and c.end >= e - 1 for c in conditions) else None
        # (待设计方案完成后…，再进行招投标，预计2017年下半年动工: a date after the wait is a plan of its own)
        cur_conditional = cur_conditional or any(c.own for c in conditions)
    parts.append((cur_lo, hi))
    out = []
    for a, b in parts:
        while b > a and ctx.text[b - 1] in "，,：: \u3000":
            b -= 1
        if b > a:
            out.append((a, b))
    return out


def _own_due(ctx: Context, lo: int, hi: int) -> date | None:
    """The latest deadline a clause sets ahead of the letter (not a bare 今年 / 2023年), or None."""
    times = ctx.deadline_times_in(lo, hi)
    if not times:
        return None  # (most clauses)
    # (a bare year that opens the clause, or its 预计 / 计划, dates it: 预计2020年开工，2022年建成投用)
    return max((t.due for t in times
                if t.kind == "date" and t.due is not None and ahead(ctx, t)
                and not (t.period == "year" and not any(ch in t.text for ch in "内底末前") and t.start - lo > 3)),
               default=None)


def ahead(ctx: Context, t: TimeMention) -> bool:
    """A date not before the letter's; a page's date may come weeks after the letter's writing
    (预计8月中旬开工 in a letter the page dates 8月26日)."""
    return _plan_month(ctx, t) or t.due >= ctx.earliest_date  # type: ignore[operator]  # t is dated


def _plan_month(ctx: Context, t: TimeMention) -> bool:
    """今年我们计划…。4月份举办…, on a page dated December: the months of the year's plan, which
    the letter wrote before the page's date."""
    return t.framed and ctx.date_after_writing and t.due.year >= ctx.letter_date.year  # type: ignore[union-attr]  # t is dated


def takes_context(dept: Department | None) -> bool:
    """A subject the next sentences may speak for: a body, not a place's government (我区将…)
    nor the towns or counties work is handed to (各县（市、区）将…)."""
    return dept is not None and not {"政府", LOCAL} & set(dept.functions)


def find_commitments(ctx: Context, paragraphs: list[Paragraph]) -> list[Commitment]:
    pat = patterns()
    text = ctx.text
    found: list[Commitment] = []
    # A promise that the items after it inherit: a lead sentence (下一步，我局将做好以下工作：)
    # or a heading of plans (三、下一步工作打算).
    list_promise = False
    # The answer starts after the opening's 现答复如下; before it the proposal is retold. A
    # 协办 letter's 现提出协办意见如下 makes its numbered items the body's undertakings.
    opening = pat.opening.search(text)
    answer_start = opening.end() if opening else 0
    for p in paragraphs:
        body = text[p.start:p.end]
        if opening and opening.start() >= p.start and opening.end() <= p.end and "意见如下" in opening.group():
            list_promise = True
        if p.end <= answer_start:
            continue
        if CLOSING.match(body) or body in ctx.closing_lines or signature_date(body):
            if p.start > len(text) // 2:
                break  # the close (contact, 抄送, signature) ends the body
            continue  # 签发人, the unit and the date in a letterhead
        future_section = bool(p.section and pat.future_section.search(p.section))
        if p.heading:
            list_promise = future_section and p.section == body
            continue
        if (FURNITURE.match(body) or PROPOSAL_FIELD.match(body)) and not _runs_on(body):
            continue  # (建议内容(摘要):拟建设…: the proposal's words)
        if list_promise and p.sentences and not _starts_item(ctx, p.sentences[0]) and not future_section:
            list_promise = False
        past_section = bool(p.section and pat.past_section.search(p.section))
        state = ParagraphState(report=bool(pat.report_opening.match(text, p.start)))
        groups = _item_groups(ctx, [sentence for sentence in p.sentences if sentence.end > answer_start])
        for gi, group in enumerate(groups):
            in_item = _starts_item(ctx, group[0])
            # (一)扩大覆盖面。一是…；二是… — a title over items of another numbering style
            opens_subitems = gi + 1 < len(groups) and _marker_style(ctx, groups[gi + 1][0]) != _marker_style(ctx, group[0])
            if list_promise and in_item and len(group) > 1 and _title_only(ctx, group[0]) \
                    and _merge_item(ctx, p, group, found, past_section):
                continue
            if in_item:
                state.context = None  # a new item is a new topic: no owner carries over into it
                state.forward = False  # nor a 下一步 of the item before
            for sentence in group:
                close = PAGE_CLOSE.search(text, sentence.start, sentence.end)
                if close is not None:
                    # (…支持。 宝鸡市体育局 地址:… on a page saved as one line: the close, not the letter)
                    rest = sentence_spans(text, sentence.start, close.start())
                    if not rest:
                        continue
                    sentence = rest[0]
                if PROPOSER.match(text, sentence.start):
                    # 您提出的《…》，我们认为很有必要，下一步将…: the writer's own words may follow.
                    sentence = _after_boilerplate(ctx, sentence, PROPOSER)  # type: ignore[assignment]  # None: skipped
                    if sentence is None:
                        continue
                decided = pat.decision.search(text, sentence.start, sentence.end)
                if decided and decided.end() < sentence.end:
                    # …会议研究讨论决定，一是…；二是…: what was decided is to be done, items after it too.
                    list_promise = True
                    _, decider = subject_of(ctx, sentence.start, decided.start(), sentence.start, state.context)
                    for part in sentence_spans(text, decided.end(), sentence.end):
                        _sentence_commitments(ctx, p, part, state, found, past_section, inherit=True,
                                              item=part.units[0].item if part.units else None, decider=decider)
                    continue
                if pat.boilerplate.search(text, sentence.start, sentence.end):
                    # 感谢您的关心和支持，我们将在今后工作中…: what follows the courtesy may promise.
                    sentence = _after_boilerplate(ctx, sentence)  # type: ignore[assignment]  # None: skipped
                    if sentence is None:
                        continue
                if sentence is group[0] and _title_only(ctx, sentence) \
                        and (len(group) > 1 or not list_promise or opens_subitems):
                    continue
                if _is_lead_only(sentence):
                    lead = sentence.lead
                    assert lead is not None  # _is_lead_only: the sentence is its lead
                    if any(c.strong for c in read_span(ctx, lead.start, lead.end)):
                        list_promise = True
                    _, subject = subject_of(ctx, lead.start, lead.end, sentence.start, state.context)
                    if takes_context(subject):
                        state.context = subject
                    continue
                before = len(found)
                measure = state.forward and _whole(ctx, sentence) \
                    and not EXISTENTIAL.match(text, sentence.start, sentence.end)
                _sentence_commitments(ctx, p, sentence, state, found, past_section,
                                      inherit=(list_promise and in_item) or measure,
                                      item=group[0].units[0].item if in_item and group[0].units else None)
                if len(found) > before and text.startswith(C.FORWARD_OPENERS, sentence.start):
                    state.forward = True  # 下一步，我局将…。依托…，开展…: the measures that follow
    return found


def pat_content_lead(ctx: Context, lead) -> bool:
    return bool(patterns().content_lead.search(ctx.text, lead.start, lead.end))


@dataclass
class ParagraphState:
    # The body the paragraph is about: the last department named as a subject.
    context: Department | None = None
    # A paragraph that opens with 近年来 / 多年来 reports practice: only a strong cue promises in it.
    report: bool = False
    # Another body than the replying unit stood as a subject earlier in the paragraph: a clause
    # with no subject of its own may be that body's (区政府启动了…项目。…预计明年开工).
    other_subject: bool = False
    # A sentence opened with 下一步 / 今后 promised: the sentences after it are its measures.
    forward: bool = False


def _sentence_commitments(ctx: Context, p: Paragraph, sentence: Sentence, state: ParagraphState,
                          found: list[Commitment], past_section: bool, inherit: bool,
                          item: str | None = None, decider: Department | None = None) -> None:
    """``decider``: the body whose meeting decided what the sentence says (县政府召开…会议，…研究决定，一是…)."""
    text = ctx.text
    lead_promised = inherit
    lead_subject = decider
    lead_times: list[TimeMention] = []
    if sentence.lead:
        lo, hi = sentence.lead.start, sentence.lead.end
        lead_promised = lead_promised or any(c.strong for c in read_span(ctx, lo, hi))
        _, lead_subject = subject_of(ctx, lo, hi, sentence.start, state.context)
        lead_subject = lead_subject or decider
        if takes_context(lead_subject):
            state.context = lead_subject
        lead_times = ctx.deadline_times_in(lo, hi)
    if sentence.lead and pat_content_lead(ctx, sentence.lead):
        return  # …第八条规定：各乡镇人民政府负责…: what the rule says, not the letter's promise
    sentence_past = None
    promised = False
    # The subject of the sentence's last part that named one: a part without its own continues
    # the chain (区政府…进行了统计和实地查看，将对…进行整合).
    chain_subject: Department | None = None
    chain_actor: O.Actor | None = None  # the word that named it
    # A sentence that opens with 这几年 / 近年来 reports practice, as such a paragraph does.
    reports = bool(patterns().report_opening.match(text, sentence.start))
    for unit in sentence.units:
        # …；同时会同区财政局研究出台… continues the promise of the part before it.
        unit_promised = lead_promised or (promised and bool(CONTINUES.match(text, unit.start)))
        past_opening = _opens_with_past_date(ctx, unit.start, unit.end)
        for lo, hi in split_unit(ctx, unit.start, unit.end, sentence.start, state.context, unit_promised):
            if any(s <= lo < e for s, e in ctx.quoted) or _only_times(ctx, lo, hi) or _a_unit_alone(ctx, lo, hi) \
                    or TOPIC.fullmatch(text, lo, hi) \
                    or SIGNED_LINE.fullmatch(text, lo, _line_end(text, hi)):
                continue  # (办结时间:2020年10月29日: a field's date; 镇康县水务局 2019年7月15日: a signature)
            clues = read_span(ctx, lo, hi)
            if sentence_past is None:
                sentence_past = bool(clues) and clues[0].past
            actor, subject = subject_of(ctx, lo, hi, sentence.start, state.context)
            before = text[max(lo, actor.start - 2):actor.start] if actor is not None else ""
            assigned = (before.endswith(C.ASSIGNING) and not before.endswith(C.NOT_ASSIGNING)
                        and not text.startswith(C.HANDLING_VERBS, actor.end))  # type: ignore[union-attr]  # 该提案由我局主办: who answers
            decision = _decide(ctx, lo, hi, clues, unit_promised, sentence_past, past_section, subject, assigned,
                               report=state.report or reports, past_opening=past_opening)
            if takes_context(subject):
                state.context = subject
            if decision is None:
                _note_subject(ctx, state, subject)
                if subject is not None:
                    chain_subject, chain_actor = subject, actor
                continue
            cue, confidence = decision
            unit_promised = unit_promised or any(c.strong for c in clues)
            promised = promised or unit_promised
            owner, rule = _owner(ctx, sentence, lo, hi, subject, lead_subject or chain_subject, state.context)
            owner_word = actor if subject is not None else chain_actor if lead_subject is None else None
            if rule == "subject" and actor is not None and actor.text in R.PLACE_SELF:
                rule = "place"
            found.append(_commitment(ctx, p, sentence.start, sentence.end, unit.item or item, lo, hi, owner, rule,
                                     cue, confidence, lead_times, after_other=state.other_subject,
                                     owner_word=owner_word))
            _note_subject(ctx, state, subject)
            if subject is not None:
                chain_subject, chain_actor = subject, actor


def _note_subject(ctx: Context, state: ParagraphState, subject: Department | None) -> None:
    if subject is not None and (ctx.replying is None or subject.name != ctx.replying.name):
        state.other_subject = True


def _owner(ctx: Context, sentence: Sentence, lo: int, hi: int, subject, lead_subject, context):
    """Subject first, then the lead's subject, the quoted speaker, the paragraph, the replying unit."""
    if subject is not None:
        return subject, "subject"
    if lead_subject is not None:
        return lead_subject, "context"
    speaker = O.speaker_before(ctx.text, sentence.start, hi, ctx.actors)
    if speaker is not None:
        return speaker, "speaker"
    if context is not None:
        return context, "context"
    return ctx.replying, "replying unit"


def _after_boilerplate(ctx: Context, sentence: Sentence, marker: re.Pattern | None = None) -> Sentence | None:
    """The part of a sentence after its last courteous or announcing clause (感谢…, 现答复如下：),
    or after the proposal it retells (``marker``: 您提出的…), when that part promises something of
    its own; else None."""
    pat = patterns()
    pieces = ctx.clauses(sentence.start, sentence.end)
    if marker is not None:
        courteous = [bool(marker.match(ctx.text, s, e)) for s, e in pieces]
    else:
        courteous = [bool(pat.boilerplate.search(ctx.text, s, e)) for s, e in pieces]
    # …，今后我乡将积极协调…，望能得到您更多的支持: courtesy closing a promise is left off too.
    end = len(pieces)
    while end > 0 and courteous[end - 1]:
        end -= 1
    last = max((i for i in range(end) if courteous[i]), default=-1)
    if marker is not None:  # the proposal's words go on until the writer speaks (我们认为…, 下一步…)
        last = next((i - 1 for i in range(last + 1, end) if ctx.text.startswith(C.WRITER_VOICE, pieces[i][0])), end)
    if last + 1 >= end or not any(read_clause(ctx, s, e).strong for s, e in pieces[last + 1:end]):
        return None
    rest = sentence_spans(ctx.text, pieces[last + 1][0], pieces[end - 1][1] if end < len(pieces) else sentence.end)
    return rest[0] if rest else None


def _starts_item(ctx: Context, sentence: Sentence) -> bool:
    return bool(ITEM.match(ctx.text, sentence.start))


def _marker_style(ctx: Context, sentence: Sentence) -> str | None:
    """一是 / (一) / 1. / ① / 一、: items of one list share a style."""
    m = ITEM.match(ctx.text, sentence.start)
    if not m:
        return None
    marker = m.group()
    if marker.endswith("是"):
        return "shi"
    if marker[0] in "（(":
        return "paren"
    if marker[0].isdigit():
        return "arabic"
    if marker.endswith("、"):
        return "dun"
    return "other"


def _item_groups(ctx: Context, sentences: list[Sentence]) -> list[list[Sentence]]:
    """Sentences grouped by item: an item marker starts a group, what follows belongs to it."""
    groups: list[list[Sentence]] = []
    for s in sentences:
        if not groups or _starts_item(ctx, s):
            groups.append([s])
        else:
            groups[-1].append(s)
    return groups


def _is_lead_only(sentence: Sentence) -> bool:
    return sentence.lead is not None and not sentence.units


def _title_only(ctx: Context, sentence: Sentence) -> bool:
    """一是出台方案，统筹推进。 — a short item title with no promise of its own."""
    if len(sentence.units) != 1 or not sentence.units[0].item or sentence.lead:
        return False
    u = sentence.units[0]
    if u.end - u.start > HEADING_MAX:
        return False
    return not any(c.strong and c.strong not in C.SLOGAN_CUES for c in read_span(ctx, u.start, u.end))


def _merge_item(ctx: Context, p: Paragraph, group: list[Sentence], found: list[Commitment],
                past_section: bool) -> bool:
    """Under a promise, an item whose body makes no promise of its own is one commitment
    (四是强化宣传引导。通过多种渠道广泛宣传…). False when the body speaks for itself."""
    pat = patterns()
    body = group[1:]
    for s in body:
        if any(c.strong for c in read_span(ctx, s.start, s.end)):
            return False
        if pat.past.search(ctx.masked, s.start, s.end) or pat.present.search(ctx.masked, s.start, s.end):
            return False
    if past_section:
        return True  # a reported item: nothing to record
    title = group[0].units[0]
    lo, hi = title.start, body[-1].end
    while hi > lo and ctx.text[hi - 1] in "。；;，, ":
        hi -= 1
    _, subject = subject_of(ctx, lo, hi, group[0].start, None)
    owner, rule = (subject, "subject") if subject else (ctx.replying, "replying unit")
    found.append(_commitment(ctx, p, group[0].start, body[-1].end, title.item, lo, hi, owner, rule,
                             "(an item of the promise before it)", 0.6, []))
    return True


def _decide(ctx, lo, hi, clues, promised_before, sentence_past, past_section,
            subject, assigned=False, report=False, past_opening=False) -> tuple[str, float] | None:
    """(cue, confidence) when text[lo:hi] is a promise, else None."""
    pat = patterns()
    text = ctx.masked
    if pat.past_plan.search(text, lo, hi):
        return None
    any_past = any(c.past for c in clues)
    strong = next((c.strong for c in clues if c.strong and not c.past), None)
    if past_section and not any(c.undated for c in clues):
        return None
    grants = bool(pat.policy_grant.search(text, lo, hi))
    if (strong == "将" or not strong) and pat.policy_says.search(text, lo, hi):
        return None  # 《办法》规定，…将给予… / 根据…规定，县某局负责…: the policy's content, reported
    if pat.negated_action.search(text, lo, hi) and not pat.modal_jiang.search(text, lo, hi):
        return None  # 如果能够满足要求，无需新建…: no act is undertaken
    if strong and past_opening and strong not in ("将", "会", "决定"):
        return None  # 2016年3月，国家防办要求我省复核上报…拟安排…: a report of that month
    if strong == "确保" and (any_past or pat.present.match(text, lo, hi)):
        return None  # 目前…正在实施…，确保…安全: the purpose of what is under way
    if strong == "确保" and subject is None and pat.prohibition.search(text, lo, hi):
        return None  # 新建小区要落实配建要求，确保同步交付，不得挪用: what a rule requires
    if (not strong or strong in C.SLOGAN_CUES) and not promised_before and _opens_with_frame(ctx, lo, hi):
        return None  # 由于…，即使每年…不断加大，但…: an explanation; 为深入贯彻…，进一步…。: a purpose
    if strong and not (grants and not pat.modal_jiang.search(text, lo, hi)):
        return strong, 0.9
    if any_past or sentence_past or grants or report:
        return None
    weak = next((c.weak for c in clues if c.weak), None)
    if weak and pat.present.search(text, lo, hi):
        return None  # 由县住建局牵头…核查，…目前该路段为…: what was found, now
    # 负责 / 牵头 promise only when a body stands before them (由各街道负责…).
    if weak and (not pat.responsibility.fullmatch(weak) or subject is not None):
        return weak, 0.7
    if assigned:
        return "(an act given to a body: 由X / 请X)", 0.6
    if promised_before and not pat.present.search(text, _after_reasons(ctx, lo, hi), hi) \
            and not pat.result.match(text, lo, hi):  # (…。以此推动…: what the promise before leads to)
        return "(continues the promise before it)", 0.6
    return None


def _directed(text: str, lo: int, pos: int) -> bool:
    """Whether ``pos`` stands in the act of a body the owner directs (督促乡镇做好定期维护: the
    recurrence is the towns', not the owner's)."""
    start = max(lo, max((text.rfind(mark, lo, pos) for mark in "，,；;：:"), default=lo) + 1)
    return bool(DIRECTING.search(text, start, pos))


def _runs_on(body: str) -> bool:
    """A line that runs on into the letter (a page saved without its line breaks): what opens it,
    a field or a page's furniture, is not all it holds when it is long or holds the answer's
    opening (…收悉，现答复如下：…。)."""
    return "。" in body and (len(body) > FIELD_LINE_MAX or bool(patterns().opening.search(body)))


def _line_end(text: str, pos: int) -> int:
    end = text.find("\n", pos)
    return len(text) if end == -1 else end


def _whole(ctx: Context, sentence: Sentence) -> bool:
    """Not a page's cut-off end (实施“革命文物+): a sentence closed by its mark, or long enough."""
    return ctx.text[sentence.end - 1] in "。！？!?；;" or sentence.end - sentence.start >= 12


def _only_times(ctx: Context, lo: int, hi: int) -> bool:
    """Whether text[lo:hi] is nothing but time expressions and marks (a field's value, a date line)."""
    times = ctx.times_in(lo, hi)
    if not times:
        return False
    covered = sum(t.end - t.start for t in times)
    return covered * 2 >= hi - lo and covered >= sum(1 for ch in ctx.text[lo:hi] if "\u4e00" <= ch <= "\u9fff" or ch.isdigit())


def _a_unit_alone(ctx: Context, lo: int, hi: int) -> bool:
    """Whether text[lo:hi] is a unit's name and nothing else (a signature's line run into the text)."""
    return hi - lo <= 40 and not ctx.times_in(lo, hi) and unit_from_name(ctx.text[lo:hi], ctx.places) is not None


def _opens_with_frame(ctx: Context, lo: int, hi: int) -> bool:
    """Whether text[lo:hi] opens with a reason (由于…) or a purpose (为深入贯彻…)."""
    pat = patterns()
    return bool(pat.reason.match(ctx.masked, lo, hi) or pat.purpose.match(ctx.masked, lo, hi))


def _opens_with_past_date(ctx: Context, lo: int, hi: int) -> bool:
    """Whether text[lo:hi] opens with a clause that is only a date before the letter's
    (2016年3月，…) and names no future date after it: the whole unit reports that time."""
    pieces = ctx.clauses(lo, hi)
    if not pieces or not read_clause(ctx, *pieces[0]).past:
        return False
    s, e = pieces[0]
    times = ctx.times_in(s, e)
    if not times or any(t.kind != "date" for t in times) or sum(t.end - t.start for t in times) < (e - s) - 1:
        return False  # (今年以来，… opens a report of practice, not of one time)
    return not any(t.kind == "date" and t.due is not None and ahead(ctx, t) and t.due >= ctx.letter_date
                   for t in ctx.times_in(pieces[0][1], hi))


def _after_reasons(ctx: Context, lo: int, hi: int) -> int:
    """Where a part's own statement starts, after the reasons it opens with (鉴于…，且因…，)."""
    for s, _ in ctx.clauses(lo, hi):
        if not patterns().reason.match(ctx.masked, s, hi):
            return s
    return hi


# A "sentence" longer than this (a page with no full stop) is not kept whole with each of its
# commitments: copying it for each would make a hostile file cost the square of its length.
SENTENCE_MAX = 4000


def _commitment(ctx: Context, p: Paragraph, sentence_start: int, sentence_end: int, item: str | None,
                lo: int, hi: int,
                owner: Department | None, rule: str, cue: str, confidence: float,
                lead_times: list[TimeMention], after_other: bool = False,
                owner_word: O.Actor | None = None) -> Commitment:
    """``after_other``: another body than the replying unit was the subject of a clause before,
    in the paragraph (a clause with no subject of its own may be that body's). ``owner_word``:
    the word that names the owner as a subject, in this clause or one before it."""
    text = ctx.text
    conditions = ctx.conditions(lo, hi)
    times = [t for t in ctx.times_in(lo, hi) if not (t.kind == "recurring" and _directed(text, lo, t.start))]
    deadline = D.resolve(text, times, conditions, ctx.letter_date, ctx.settings, lead_times,
                         earliest=ctx.earliest_date, page_dated=ctx.date_after_writing)
    # 会同我局 / 会同我们: the first person inside a quote is its speaker, elsewhere the replying unit.
    we = owner if rule in ("speaker", "context") and owner is not None else ctx.replying
    partners = O.partners(text, lo, hi, ctx.actors, owner, we, ctx.places, subject=owner_word)
    policies = [pol.title for pol in ctx.policies_in(lo, hi)]
    if sentence_end - sentence_start > SENTENCE_MAX:  # no prose: keep the stretch around the promise
        sentence_start = max(sentence_start, lo - SENTENCE_MAX // 2)
        sentence_end = min(sentence_end, hi + SENTENCE_MAX // 2)
    sure_of_owner = owner_confidence(ctx, owner, rule, after_other)
    return Commitment(
        text=text[lo:hi], start=lo, end=hi,
        sentence=text[sentence_start:sentence_end], sentence_start=sentence_start,
        paragraph_start=p.start, paragraph_end=p.end, section=p.section, item=item,
        owner=owner, owner_rule=rule, partners=partners, deadline=deadline,
        policies=policies, cue=cue, confidence=min(confidence, sure_of_owner), owner_confidence=sure_of_owner)


def owner_confidence(ctx: Context, owner: Department | None, rule: str, after_other: bool = False) -> float:
    """How sure the owner is (R.OWNER_CONFIDENCE): the replying unit as sure as the place it was
    read from, a body named without level or place a guess, and the replying unit given to a
    clause with no subject after another body's a guess."""
    if owner is None:
        return R.OWNER_CONFIDENCE["none"]
    if rule == "replying unit" and after_other:
        return min(R.OWNER_CONFIDENCE["after another body"], owner_confidence(ctx, owner, rule))
    if rule == "place":  # 我区将…: the district's government, sure where the letter names its district
        return R.OWNER_CONFIDENCE["subject" if owner.place else "no place"]
    if ctx.replying is not None and owner.name == ctx.replying.name:
        return ctx.replying_confidence
    if R.OTHER_PARTY in owner.functions:
        return R.OWNER_CONFIDENCE["other party"]
    if LOCAL in owner.functions:
        return R.OWNER_CONFIDENCE["local"]
    if owner.place is None and (owner.level is None or "政府" in owner.functions):
        return R.OWNER_CONFIDENCE["no place"]
    return R.OWNER_CONFIDENCE.get(rule, R.OWNER_CONFIDENCE["context"])
