"""Which earlier promises a later document speaks of, and what became of each.

A sentence is evidence for a promise when both name the same things: the same projects,
places and figures (shared pairs of characters, weighed by how rare they are among the
promises compared: 加装电梯 and 临湖二中 count, 工作 and 推进 count nothing), the same body,
the same numbers. Never by mere likeness: a sentence that names another body of the promise's
kind (市经信局 for the district's 经信局), another place of its level (西港区 for 东港区), or
another school, facility or industry than the promise names (城南小学 for 临湖二中) is about
something else, however alike the words.

For each promise, the document's best sentence (and any nearly as good) is proposed, with
the outcome its aspect says: kept, partly, not_kept; a new promise in the document that
restates one it reports nothing of is ``repeated``. A person decides.

``link(document, promises)`` compares every sentence with the promises given; the caller
chooses those (the store's candidates: the document's places, earlier dates), so the work
grows with the document, not with the database.
"""
from __future__ import annotations

import heapq
import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from operator import itemgetter
from zlib import crc32

from ouhai_tracker.evidence.model import (
    DONE,
    KEPT,
    NOT_DONE,
    NOT_KEPT,
    PARTLY,
    POSTPONED,
    PROGRESS,
    REMAINDER,
    REPEATED,
    Body,
    LaterDocument,
    LaterSentence,
    Promise,
    Proposal,
)
from ouhai_tracker.extract.rules import evidence as R
from ouhai_tracker.extract.timeexpr import cn_number

# A link needs this much named in common (the sum of the shared pairs' rarity, and bonuses).
THRESHOLD = 4.0
# Another sentence for the same promise is proposed when it scores this share of the best.
NEAR_BEST = 0.8
# A promise linked from a sentence must score this share of the sentence's best promise.
SENTENCE_SHARE = 0.85
# Rarity is measured as if among this many promises (see rarity).
RARITY_SCALE = 40
# A sentence reaches the promises through its rarer pairs only: a pair found in more than this
# share of the promises (and more than REACH_FLOOR of them) names nothing in particular there.
REACH_SHARE, REACH_FLOOR = 0.01, 50
# How many of the promises a sentence reaches, the most in common first, are scored in full.
SCORED = 40
# Weights of where a shared pair was found.
IN_TEXT, IN_CONTEXT = 1.0, 0.5  # the promise's clause; its lead and its item's heading
IN_OWN, IN_HEADING, IN_BEFORE = 1.0, 0.6, 0.5  # the later sentence; its item's heading; the one it refers to
BODY_BONUS, PARTNER_BONUS, AUTHOR_BONUS, NUMBER_BONUS, NAMED_BONUS = 1.5, 0.75, 1.0, 1.5, 3.0

HAN = re.compile(r"[\u4e00-\u9fff]+")
TIME = re.compile(r"\d{4}年(?:\d{1,2}月)?|\d{1,2}月(?:底|末|份|上旬|中旬|下旬|\d{1,2}日)?前?|[上下]半年|"
                  r"[一二三四]季度|年[底末内]前?|[今去明]年|当[年月]|全年|下一步|近期|尽快|适时")
NUMBER = re.compile(r"(?<![\d.])(\d+(?:\.\d+)?)(万|千)?(?=[^\d年月日号%．.]|$)")


# Full-width ASCII (Ｂ, １２, ％) and the ideographic space as their plain forms, as NFKC has them.
_FOLD = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}


def fold(text: str) -> str:
    """Full-width digits, letters and signs as ASCII, character for character (offsets stay put)."""
    return text.translate(_FOLD)


def plain(text: str) -> str:
    """What a text names, for matching: folded, times and places out (places are compared as
    places), short forms written out."""
    from ouhai_tracker.evidence.later import PLACE

    text = PLACE.sub(" ", TIME.sub(" ", fold(text)))
    for short, full in R.EXPANSIONS:
        text = text.replace(short, full)
    return text


def pairs(text: str) -> frozenset[str]:
    """The pairs of Chinese characters of ``text`` that may name something (not STOP_PAIRS)."""
    out: set[str] = set()
    for run in HAN.findall(text):
        out.update(run[i:i + 2] for i in range(len(run) - 1))
    return frozenset(out - R.STOP_PAIRS)


def numbers(text: str) -> frozenset[float]:
    """The counts and amounts ``text`` gives (12家, 1万个, 4860万元), not years, months or days."""
    out = set()
    for m in NUMBER.finditer(text):
        value = float(m.group(1)) * (10000 if m.group(2) == "万" else 1000 if m.group(2) == "千" else 1)
        if value >= 2:
            out.add(value)
    return frozenset(out)


@lru_cache(maxsize=1)
def _named_patterns():
    return {kind: re.compile("|".join(sorted(ends, key=len, reverse=True))) for kind, ends in R.NAMED_KINDS.items()}


TITLE = re.compile(r"《[^《》]*》")


def named(text: str) -> dict[str, frozenset[tuple[str, str]]]:
    """Named things by kind: {"school": {("临湖", "二中"), ("城北", "初中")}}: each kind word with
    the name before it (after the last character that ends a phrase, generic words taken out;
    empty for a thing not named, 标准化零工市场). Titles of policies name no thing."""
    text = TITLE.sub(lambda m: "　" * len(m.group()), text)
    for word in R.NOT_NAMED:
        text = text.replace(word, "　" * len(word))
    out: dict[str, set[tuple[str, str]]] = {}
    for kind, pattern in _named_patterns().items():
        for m in pattern.finditer(text):
            head = text[max(0, m.start() - R.NAME_SPAN):m.start()]
            cut = max((i for i, ch in enumerate(head) if ch in R.NAME_BREAKS or not "\u4e00" <= ch <= "\u9fff"),
                      default=-1)
            name = head[cut + 1:]
            for word in R.NOT_NAMES:
                name = name.replace(word, "")
            word = R.SAME_KIND_WORDS.get(m.group(), m.group())
            out.setdefault(kind, set()).add((name if len(name) >= 2 else "", word))
    return {k: frozenset(v) for k, v in out.items()}


def _same_name(a: str, b: str) -> bool:
    return a in b or b in a or bool({a[i:i + 2] for i in range(len(a) - 1)} & {b[i:i + 2] for i in range(len(b) - 1)})


def _same_thing(a: tuple[str, str], b: tuple[str, str]) -> bool:
    """Whether two named things may be one: the same kind word (医院 may be any hospital) and
    names that share a part (or one thing not named)."""
    (name_a, word_a), (name_b, word_b) = a, b
    if not (word_a == word_b or word_a.endswith(word_b) or word_b.endswith(word_a)):
        return False
    return not name_a or not name_b or _same_name(name_a, name_b)


class _Promise:
    """A promise's terms, read once; its named things only when a sentence reaches it."""

    __slots__ = ("promise", "text_pairs", "context_pairs", "numbers", "whole", "_named", "_context")

    def __init__(self, promise: Promise, text_pairs: frozenset[str], context_pairs: frozenset[str],
                 numbers: frozenset[float], whole: bool, context: str) -> None:
        self.promise, self.text_pairs, self.context_pairs = promise, text_pairs, context_pairs
        self.numbers = numbers
        self.whole = whole  # it promises all of something (所有, 全覆盖): a part of it is partly kept
        self._context = context
        self._named: dict[str, frozenset[tuple[str, str]]] | None = None

    def read_from(self, p: Promise) -> bool:
        """Whether these terms are ``p``'s: read from the same clause and sentence."""
        return self.promise.text == p.text and self.promise.sentence == p.sentence

    def as_of(self, p: Promise) -> _Promise:
        """The same terms for ``p`` as it stands now (its owner, partners, dates)."""
        return _Promise(p, self.text_pairs, self.context_pairs, self.numbers, self.whole, self._context)

    @property
    def named(self) -> dict[str, frozenset[tuple[str, str]]]:
        if self._named is None:
            self._named = named(fold(f"{self._context} {self.promise.text}"))
        return self._named


@dataclass(frozen=True)
class _Sentence:
    sentence: LaterSentence
    weights: dict[str, float]  # pair -> where it was found (own, heading, before)
    numbers: frozenset[float]
    named: dict[str, frozenset[tuple[str, str]]]


def read_promise(p: Promise) -> _Promise:
    text_pairs = pairs(plain(_without_bodies(p.text)))
    context = " ".join(x for x in (p.heading, _lead(p)) if x)
    context_pairs = pairs(plain(_without_bodies(context))) - text_pairs if context else frozenset()
    return _Promise(p, text_pairs, context_pairs, numbers(fold(p.text)), any(w in p.text for w in R.WHOLE_WORDS),
                    context)


@lru_cache(maxsize=1)
def rules_digest() -> str:
    """The linker's reading rules, in a few characters: terms read under other rules are read again."""
    import hashlib

    rules = (sorted(R.STOP_PAIRS), R.EXPANSIONS, R.WHOLE_WORDS, TIME.pattern, NUMBER.pattern, _bodies().pattern)
    return hashlib.sha256(repr(rules).encode("utf-8")).hexdigest()[:16]


def terms_digest(p: Promise) -> str:
    """What a promise's terms are read from: its clause and sentence (its heading comes with
    them), and the rules."""
    return digest_of(p.text, p.sentence)


def digest_of(text: str, sentence: str) -> str:
    """terms_digest of a clause and its sentence. Checksums: this is asked of every promise a
    document may speak of."""
    return f"{rules_digest()}:{crc32(text.encode('utf-8')):08x}:{crc32(sentence.encode('utf-8')):08x}"


def stored_terms(read: _Promise) -> dict:
    """A read promise as the store keeps it (store/link_store.py: save_terms)."""
    return {"commitment_id": read.promise.id, "digest": terms_digest(read.promise),
            "text_pairs": " ".join(sorted(read.text_pairs)), "context_pairs": " ".join(sorted(read.context_pairs)),
            "numbers": " ".join(repr(n) for n in sorted(read.numbers)), "whole": read.whole,
            "context": read._context}


def from_stored(p: Promise, row) -> _Promise:
    """A promise's terms as the store kept them."""
    return _Promise(p, frozenset(row.text_pairs.split()),
                    frozenset(row.context_pairs.split()) if row.context_pairs else frozenset(),
                    frozenset(map(float, row.numbers.split())) if row.numbers else frozenset(), row.whole, row.context)


def _lead(p: Promise) -> str:
    """What the promise's sentence says before its clause, in the same part (up to a ；): the
    subject of a short clause (2022年我区的眼镜行业入选了…名单，待正式入选后制定…)."""
    at = p.sentence.find(p.text) if p.sentence else -1
    if at <= 0:
        return ""
    return re.split("[；;]", p.sentence[:at])[-1]


def read_sentence(s: LaterSentence) -> _Sentence:
    weights: dict[str, float] = {}
    for text, weight in ((s.before, IN_BEFORE), (s.heading, IN_HEADING), (s.text, IN_OWN)):
        for pair in pairs(plain(_without_bodies(text))):
            weights[pair] = max(weight, weights.get(pair, 0.0))
    return _Sentence(s, weights, numbers(fold(s.text)), named(fold(s.text)))


@lru_cache(maxsize=1)
def _bodies():
    """Any body's name as the tables write it (教育局, 区工商联, 住建局), or as the grammar of names
    builds it ([level][function words][suffix]): one pattern, for blanking."""
    from ouhai_tracker.extract.departments import table

    t = table()
    return re.compile(f"[省市区县]?(?:{t.known.pattern})|{t.grammar.pattern}")


def _without_bodies(text: str) -> str:
    """``text`` with the names of bodies blanked: bodies are compared as bodies, not as words."""
    return _bodies().sub(" ", text) if text else ""


def rarity(promises: Iterable[_Promise]) -> dict[str, float]:
    """How rare each pair is among the promises compared (an inverse document frequency), on
    the scale of RARITY_SCALE promises however many there are, so that THRESHOLD means the same
    for a district's dozen promises and for a city's thousands."""
    promises = list(promises)
    df: Counter[str] = Counter()
    for p in promises:
        df.update(p.text_pairs | p.context_pairs)
    return _rarity(df, len(promises))


def _rarity(df: dict[str, int], n: int) -> dict[str, float]:
    """rarity, from how many of ``n`` promises hold each pair."""
    scale = min(n, RARITY_SCALE) / n if n else 1.0
    top = min(n, RARITY_SCALE) + 1
    return {pair: math.log(top / (count * scale + 0.5)) + 0.3 for pair, count in df.items()}


# ---- comparing -------------------------------------------------------------------------------


def _same_body(a: Body, b: Body) -> bool:
    """One body, or the same function at the same place and level (a place or level one of
    them does not know matches)."""
    return a.name == b.name or (bool(set(a.functions) & set(b.functions))
                                and (a.place == b.place or None in (a.place, b.place))
                                and (a.level == b.level or None in (a.level, b.level)))


def _waited_on(promise: Promise, body: Body) -> bool:
    """Whether the promise itself names ``body``, a body of the level above its owner's, as one
    it waits on or works with (待市局平台上线后…): that body's act speaks of the promise."""
    owner = promise.owner
    if owner is None or not body.level or body.level == owner.level:
        return False
    return any(body.level + word in promise.sentence or body.level + word in promise.text
               for word in R.LEVEL_BODY_WORDS)


def conflict(p: _Promise, s: _Sentence) -> str | None:
    """Why sentence ``s`` cannot speak of promise ``p`` (another body, place or named thing), or None."""
    promise, sentence = p.promise, s.sentence
    owner = promise.owner
    ours = [b for b in (owner, *promise.partners) if b is not None]
    if owner is not None and owner.functions:
        named_ours = any(_same_body(b, mine) for b in sentence.bodies for mine in ours)
        for b in sentence.bodies:
            if set(b.functions) & set(owner.functions) and not _same_body(b, owner) and not named_ours \
                    and not _waited_on(promise, b):
                return f"another body: {b.name}"
    subject = sentence.subject
    if subject is not None and ours and not any(_same_body(subject, mine) for mine in ours) \
            and not _waited_on(promise, subject):
        return f"another body acts: {subject.name}"
    place = promise.place or (owner.place if owner is not None else None)
    if place and place[-1] in "区县":
        theirs = {b.place for b in sentence.bodies if b.place and b.place[-1] in "区县"} | set(sentence.places)
        if theirs and place not in theirs:
            return f"another place: {sorted(theirs)[0]}"
    for kind, things in s.named.items():
        mine = p.named.get(kind)
        if mine and not any(_same_thing(a, b) for a in things for b in mine):
            return f"another {kind}: {''.join(sorted(things)[0])}"
    # Both name things (鹿鸣街道卫生服务中心; 实验小学), of any kind, and none of them is one: another thing.
    their_things = [t for things in s.named.values() for t in things if t[0]]
    my_things = [t for things in p.named.values() for t in things if t[0]]
    if their_things and my_things and not any(_same_thing(a, b) for a in their_things for b in my_things):
        return f"another thing: {''.join(sorted(their_things)[0])}"
    return None


def score(p: _Promise, s: _Sentence, rare: dict[str, float], author: Body | None = None) -> float:
    """How much ``s`` and ``p`` name in common: shared pairs by rarity and place, then the
    promise's bodies, numbers and named things named again."""
    total = 0.0
    for pair, weight in s.weights.items():
        if pair in p.text_pairs:
            total += weight * IN_TEXT * rare.get(pair, 1.0)
        elif pair in p.context_pairs:
            total += weight * IN_CONTEXT * rare.get(pair, 1.0)
    if total == 0.0:
        return 0.0
    promise, sentence = p.promise, s.sentence
    if promise.owner is not None and any(_same_body(b, promise.owner) for b in sentence.bodies):
        total += BODY_BONUS
    elif any(_same_body(b, partner) for b in sentence.bodies for partner in promise.partners):
        total += PARTNER_BONUS
    elif author is not None and promise.owner is not None and sentence.subject in (None, author) \
            and _same_body(author, promise.owner):
        total += AUTHOR_BONUS  # the writer's own act (我局…, or no other subject) of its own promise
    total += NUMBER_BONUS * min(2, len(p.numbers & s.numbers))
    for kind, things in s.named.items():
        if any(a[0] and b[0] and _same_thing(a, b) for a in things for b in p.named.get(kind, ())):
            total += NAMED_BONUS
    return total


def outcome(p: _Promise, s: _Sentence, day: date | None = None) -> str:
    """The outcome the sentence reports for the promise on the document's ``day``: kept, partly
    or not_kept (a part done beside a part put off or not done is partly; a wait not over,
    需待…通车后实施, is not kept; a delay is not kept, unless its deadline is still to come and
    the work shows a milestone: 初稿已完成, 正在征求意见)."""
    found = s.sentence.aspects
    if POSTPONED in found:  # put off, all of it, or the rest of it (其余6辆…延迟至明年)
        due = p.promise.due
        in_time = due is not None and day is not None and day <= due
        return PARTLY if REMAINDER in found or (in_time and PROGRESS in found) else NOT_KEPT
    if NOT_DONE in found:
        return PARTLY if DONE in found else NOT_KEPT
    if PROGRESS in found or _part_of_whole(p, s):
        return PARTLY
    return KEPT


def _part_of_whole(p: _Promise, s: _Sentence) -> bool:
    """Whether the sentence reports a part (14 of 17; 南塘街道等4个镇) of a whole the promise
    promised: all of them, 17 of them, or the kind of thing with no number (推动社区卫生服务中心开展
    合作: the centres)."""
    text = fold(s.sentence.text)
    if p.whole and re.search(R.SOME_OF, text) and not any(w in text for w in R.WHOLE_WORDS):
        return True
    for m in re.finditer(R.PART_OF_WHOLE, text):
        whole = m.group("whole")
        number = cn_number(whole)
        value = float(number) if number is not None else None
        if p.whole or not p.numbers or (value is not None and value in p.numbers):
            return True
    return False


def _reach(by_pair: dict[str, list], rare: dict[str, float], sentence: _Sentence) -> list:
    """The promises (keys of ``by_pair``'s lists) ``sentence`` may speak of: those sharing its
    rarer pairs, the most shared rarity first, at most SCORED of them."""
    found: dict = {}
    for pair, weight in sentence.weights.items():
        promises = by_pair.get(pair)
        if promises:
            value = weight * rare[pair]
            for key in promises:
                found[key] = found.get(key, 0) + value
    return [key for key, _ in heapq.nlargest(SCORED, found.items(), key=itemgetter(1))]  # as Counter.most_common


def _reachable(by_pair: dict[str, list], n: int) -> dict[str, list]:
    """The pairs a sentence reaches promises through: not those most of the ``n`` promises hold."""
    most = max(REACH_FLOOR, int(REACH_SHARE * n))
    return {pair: found for pair, found in by_pair.items() if len(found) <= most}


class PromiseIndex:
    """The promises a document may speak of, read once, with each pair's rarity among them and
    the promises each pair is found in: a sentence reaches the promises that share a pair with
    it, not every promise. Built once for many documents of the same places."""

    def __init__(self, promises: Iterable[Promise], reads: dict[int, _Promise] | None = None) -> None:
        """``reads``: promises read before, by id (an import of many documents reads each once)."""
        reads = {} if reads is None else reads
        self.promises = []
        for p in promises:
            read = reads.get(p.id)
            if read is None or not read.read_from(p):
                read = reads[p.id] = read_promise(p)
            elif read.promise is not p and read.promise != p:
                read = read.as_of(p)
            self.promises.append(read)
        self.rare = rarity(self.promises)
        by_pair: dict[str, list[int]] = {}
        for i, r in enumerate(self.promises):
            for pair in r.text_pairs | r.context_pairs:
                by_pair.setdefault(pair, []).append(i)
        self.by_pair = _reachable(by_pair, len(self.promises))

    def __len__(self) -> int:
        return len(self.promises)

    def reach(self, sentence: _Sentence) -> list[_Promise]:
        """The promises ``sentence`` may speak of (see _reach)."""
        return [self.promises[i] for i in _reach(self.by_pair, self.rare, sentence)]


class TermIndex:
    """The promises of a document's places as far as its sentences go: from each promise's
    pairs (as the store keeps them, by id), the rarity of the pairs ``wanted`` (the document's)
    and the promises each is found in, as PromiseIndex has them for every pair. Only the
    promises a sentence reaches need be read in full (``reached``, then ``add``), so a document
    costs the pairs of its places' promises, not their reading."""

    def __init__(self, terms: Iterable[tuple[int, Iterable[str]]], wanted: frozenset[str]) -> None:
        """``terms``: (promise id, its pairs) of every promise of the places, in a stable order."""
        n = 0
        by_pair: dict[str, list[int]] = {}
        for promise_id, found in terms:
            n += 1
            for pair in wanted.intersection(found):
                by_pair.setdefault(pair, []).append(promise_id)
        self.rare = _rarity({pair: len(ids) for pair, ids in by_pair.items()}, n)
        self.by_pair = _reachable(by_pair, n)
        self.size, self.wanted = n, wanted
        self.read: dict[int, _Promise] = {}

    def __len__(self) -> int:
        return self.size

    def reached(self, sentences: Iterable[_Sentence]) -> set[int]:
        """The ids of the promises these sentences reach."""
        return {i for s in sentences for i in _reach(self.by_pair, self.rare, s)}

    def add(self, promises: Iterable[_Promise]) -> None:
        """Give the index promises it reaches, read."""
        self.read.update((p.promise.id, p) for p in promises)

    def reach(self, sentence: _Sentence) -> list[_Promise]:
        """The promises ``sentence`` may speak of (see _reach); each must have been added."""
        return [self.read[i] for i in _reach(self.by_pair, self.rare, sentence)]


def sentence_pairs(sentences: Iterable[_Sentence]) -> frozenset[str]:
    """Every pair these sentences hold: what a TermIndex for them must know."""
    return frozenset(pair for s in sentences for pair in s.weights)


def link(document: LaterDocument, promises: PromiseIndex | TermIndex | Iterable[Promise], *,
         rejected: frozenset[tuple[int, str]] = frozenset(), exclude_letter: int | None = None,
         sentences: list[_Sentence] | None = None, restated: Mapping[int, _Promise] | None = None) -> list[Proposal]:
    """The links proposed between ``document``'s sentences and ``promises`` made before it,
    best first per promise. ``rejected``: (promise id, sentence) pairs a person turned down,
    never proposed again; ``exclude_letter``: the document's own letter, whose promises are its own;
    ``sentences``: the document's sentences read already (read_sentence), when they were;
    ``restated``: {id: the earlier promise it makes again} for promises a later reply restated: a
    sentence on one of them speaks of the first, where the promise was made."""
    index = promises if isinstance(promises, (PromiseIndex, TermIndex)) else PromiseIndex(promises)
    rare = index.rare
    restated = restated or {}

    def earlier(p: _Promise) -> bool:
        promise = p.promise
        return (promise.letter_id is None or promise.letter_id != exclude_letter) and (
            promise.letter_date is None or document.date is None or promise.letter_date <= document.date)

    if sentences is None:
        sentences = [read_sentence(s) for s in document.sentences]
    scored: list[tuple[float, _Promise, _Sentence]] = []
    for s in sentences:
        found = []
        for p in index.reach(s):
            if not earlier(p):
                continue
            value = score(p, s, rare, document.author)
            if value >= THRESHOLD and conflict(p, s) is None:
                first = restated.get(p.promise.id)
                found.append((value, first if first is not None and earlier(first) else p))
        if found:
            best = max(v for v, _ in found)
            strongest: dict[int, tuple[float, _Promise]] = {}  # a promise once per sentence
            for v, p in found:
                if v >= SENTENCE_SHARE * best and v > strongest.get(p.promise.id, (0.0, p))[0]:
                    strongest[p.promise.id] = (v, p)
            scored += [(v, p, s) for v, p in strongest.values()]
    by_promise: dict[int, tuple[_Promise, list[tuple[float, _Sentence]]]] = {}
    for value, p, s in scored:
        if (p.promise.id, s.sentence.text) not in rejected:
            by_promise.setdefault(p.promise.id, (p, []))[1].append((value, s))
    proposals = []
    for p, found_for in by_promise.values():
        reports = [(v, s) for v, s in found_for if not s.sentence.forward]
        if reports:
            best = max(v for v, _ in reports)
            chosen = [(v, s, outcome(p, s, document.date)) for v, s in reports if v >= NEAR_BEST * best]
        elif not document.letter:  # a report's or a summary's plan for it: neither evidence nor a promise
            continue
        else:  # promised again, with nothing reported of it
            best = max(v for v, _ in found_for)
            chosen = [(v, s, REPEATED) for v, s in found_for if v >= best]
        for value, s, result in sorted(chosen, key=lambda x: -x[0]):
            proposals.append(Proposal(p.promise.id, s.sentence.start, s.sentence.end, s.sentence.text, result,
                                      round(1 - math.exp(-value / 8), 2), f"score {value:.1f}"))
    return sorted(proposals, key=lambda x: (x.start, x.commitment))
