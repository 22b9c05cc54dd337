"""Plain dataclasses that extraction produces and the store consumes.

Nothing here knows about the database or the terminal. Every fact carries the
character offsets into the letter's text it was read from, so a person can
always see why the tracker believes it.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date

# Deadline kinds, as in the JSON contract.
DATE, VAGUE, RECURRING, CONDITIONAL, NONE = "date", "vague", "recurring", "conditional", "none"
DEADLINE_KINDS = (DATE, VAGUE, RECURRING, CONDITIONAL, NONE)

# An owner found with less confidence than this is a guess: flagged owner? for review.
OWNER_SURE = 0.5

# Roles a department plays in a commitment.
# DIRECTED: a body the owner directs to act (督促 / 要求 / 指导 / 协调 X).
PARTNER, LEAD, CO_ORGANIZER, DIRECTED = "partner", "lead", "co-organizer", "directed"


@dataclass(frozen=True)
class Department:
    """A government body or people's organisation, by the name it uses.

    ``name`` is that name with its place where known, else its level (温州市瓯海区经济和信息化局,
    县林业和草原局; a short form such as 住建局 written out in full); ``short`` the short form
    (瓯海区经信局); ``level`` 省/市/区/县/镇/乡/街道 or None; ``aliases`` every other form that
    should match it; ``place`` the place it belongs to (温州市瓯海区) or None when the letter
    does not say; ``functions`` its function classes (教育, 经信 ...), what a short form matches.
    """

    name: str
    short: str
    level: str | None = None
    aliases: tuple[str, ...] = ()
    place: str | None = None
    functions: tuple[str, ...] = ()


@dataclass(frozen=True)
class Mention:
    """A department named in the letter: where, as written, and what it means."""

    department: Department
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Deadline:
    kind: str  # one of DEADLINE_KINDS
    due: date | None  # effective due date, explicit or inferred; None for conditional
    inferred: bool  # True when ``due`` comes from a default rule, not from the text
    text: str | None = None  # the time expression as written
    condition: str | None = None  # for conditional deadlines
    rule: str = ""  # how the date was derived, in words a person can check
    period: str | None = None  # for recurring: year, half, quarter, month, week, term, unspecified
    start: int | None = None  # offsets of ``text`` in the letter, when there is one
    end: int | None = None


@dataclass(frozen=True)
class PartnerRole:
    department: Department
    role: str  # PARTNER, LEAD, CO_ORGANIZER or DIRECTED
    cue: str  # the word that gave the role away: 会同, 联合, 配合, 协办 ...


@dataclass
class Commitment:
    text: str  # the commitment's clause(s), exactly as in the letter
    start: int  # offsets of ``text`` in the letter
    end: int
    sentence: str  # the whole sentence it stands in
    sentence_start: int
    paragraph_start: int  # offsets of the paragraph, for showing context
    paragraph_end: int
    section: str | None  # heading of the numbered section (一、...), if any
    item: str | None  # item marker inside the section (一是, (一), 1. ...), if any
    owner: Department | None
    owner_rule: str  # subject, speaker, context, replying unit
    partners: list[PartnerRole] = field(default_factory=list)
    deadline: Deadline = field(default_factory=lambda: Deadline(NONE, None, True))
    policies: list[str] = field(default_factory=list)  # titles (without 《》) mentioned in the text
    cue: str = ""  # the word(s) that marked it as a promise
    confidence: float = 0.5  # how sure the tracker is that it is a promise, and whose
    owner_confidence: float = 0.5  # how sure of ``owner``: below OWNER_SURE it is flagged owner?


@dataclass(frozen=True)
class Policy:
    title: str  # without 《》
    doc_number: str | None  # as written, e.g. 温瓯政办发〔2018〕36
    issuer: str | None  # issuing body, when the letter says or the number implies it
    year: int | None
    start: int  # offsets of the title (inside 《》) in the letter
    end: int


@dataclass
class LetterMeta:
    title: str | None = None  # the proposal's title, without 《》
    kind: str | None = None  # 政协提案答复 or 人大代表建议答复
    addressee: str | None = None
    proposers: list[str] = field(default_factory=list)
    session: str | None = None  # 区政协十届二次会议
    replying_unit: str | None = None  # as the letter or its page names it
    unit_source: str | None = None  # where: signature, title line, page (来源) ...
    replying_department: Department | None = None
    date: date | None = None
    date_source: str | None = None  # signature, page (发布日期) ...
    contact_name: str | None = None
    contact_phone: str | None = None
    class_mark: str | None = None  # A / B / C as printed
    number: str | None = None  # the proposal's number, 第36号 -> "36"
    doc_number: str | None = None  # the letter's own document number
    level: str | None = None  # the letter's own level: what 我区/我市/我县 and a bare 住建局 mean
    places: dict[str, str] = field(default_factory=dict)  # level -> the letter's place: {"区": "温州市瓯海区"}


@dataclass
class LetterFacts:
    text: str  # the text every offset refers to
    meta: LetterMeta
    mentions: list[Mention] = field(default_factory=list)
    policies: list[Policy] = field(default_factory=list)
    commitments: list[Commitment] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def departments(self) -> list[Department]:
        """Distinct departments named in the letter, in order of first mention."""
        seen: dict[str, Department] = {}
        for m in self.mentions:
            seen.setdefault(m.department.name, m.department)
        for c in self.commitments:
            for d in [c.owner, *(p.department for p in c.partners)]:
                if d is not None:
                    seen.setdefault(d.name, d)
        return list(seen.values())


@dataclass(frozen=True)
class Settings:
    """Default periods for deadlines the letter leaves open (the genre's conventions)."""

    vague_months: int = 3
    undated_months: int = 12


def content_hash(text: str) -> str:
    """A letter's text as the store knows it: the same text is the same letter, whatever the file."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
