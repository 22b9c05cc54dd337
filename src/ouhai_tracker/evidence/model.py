"""Plain dataclasses the linker reads and writes: earlier promises, later documents and their
sentences, and the links it proposes. Nothing here knows about the database or the terminal."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

# The outcomes a link proposes, as in the JSON contract.
KEPT, PARTLY, NOT_KEPT, REPEATED = "kept", "partly", "not_kept", "repeated"
LINK_OUTCOMES = (KEPT, PARTLY, NOT_KEPT, REPEATED)

# What a sentence of a later document reports (its aspect), or that it promises again.
DONE, PROGRESS, NOT_DONE, POSTPONED, FORWARD = "done", "progress", "not_done", "postponed", "forward"
REMAINDER = "remainder"  # it speaks of the rest of something: a part came before


@dataclass(frozen=True)
class Body:
    """A department as the linker compares it: its name, the innermost place it belongs to
    (瓯海区 of 温州市瓯海区), its level and its function classes."""

    name: str
    place: str | None = None
    level: str | None = None
    functions: tuple[str, ...] = ()


@dataclass(frozen=True)
class Promise:
    """An earlier commitment: its clause, its sentence, who owes it, and when."""

    id: int
    text: str
    sentence: str = ""
    owner: Body | None = None
    partners: tuple[Body, ...] = ()
    letter_date: date | None = None
    due: date | None = None
    document: str = ""
    heading: str = ""  # the first sentence of its item in the letter (一是举办专题培训班，学习先进经验)
    place: str | None = None  # the innermost place it belongs to: its owner's, else its letter's
    letter_id: int | None = None


@dataclass(frozen=True)
class LaterSentence:
    """One sentence of a later document, with what surrounds it: the heading of its item
    (（二）专题培训), the sentence before it in its paragraph, and whether it promises."""

    index: int
    start: int
    end: int
    text: str
    heading: str = ""
    before: str = ""  # the sentence before, when this one refers back to it (该校区, 研修期间)
    forward: bool = False
    aspects: frozenset[str] = frozenset()
    bodies: tuple[Body, ...] = ()  # the bodies it names
    places: tuple[str, ...] = ()  # the places it names without a body (同属南屿市的西港区)
    subject: Body | None = None  # the body that acts in it, when it opens with one (市工商联去年牵头…)


@dataclass
class LaterDocument:
    """A later document read for evidence: its date, who wrote it, the places it speaks of
    (innermost, 临湖区), and its sentences."""

    text: str
    date: date | None = None
    author: Body | None = None
    places: frozenset[str] = frozenset()
    sentences: list[LaterSentence] = field(default_factory=list)
    letter: bool = True  # a reply, which promises of its own (else a report or a summary, which only reports)


@dataclass(frozen=True)
class Proposal:
    """A proposed link: the earlier promise, the later sentence (offsets into the later
    document's text), the outcome it suggests, how sure the linker is and why."""

    commitment: int
    start: int
    end: int
    evidence: str
    outcome: str
    confidence: float
    reason: str = ""
