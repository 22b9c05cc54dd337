"""Which letter is which: a letter's identity as plain values, compared without the database.

A letter is the reply of one unit, in one role (lead 主办 or co-organiser 协办/会办), to one
proposal: its number and session, or, without a number, its proposers. The proposal's number is
compared as a number (第３６号, 第036号 and 第36号 are one), the replying unit with or without
its place (临湖区教育局 and 江州市临湖区教育局 are one). Date and title are what a reader would
call the letter's own: two letters that differ in them are two letters.
"""
from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from ouhai_tracker.extract.model import CO_ORGANIZER, LEAD
from ouhai_tracker.extract.rules.letters import CO_ORGANISER_MARKS

_CO_ORGANISER = re.compile("|".join(map(re.escape, CO_ORGANISER_MARKS)))
# A place written before a unit's name ends in its level (江州市, 临湖区, 浙江省, 青石镇).
_PLACE = re.compile(r"[^\s]{1,20}?[省市区县州盟旗镇乡]")


def proposal_number(number: str | None) -> str | None:
    """A proposal's number as a number: full-width digits read as digits, leading zeros gone."""
    if not number:
        return None
    value = unicodedata.normalize("NFKC", number).strip()
    if value.isascii() and value.isdigit():
        return value.lstrip("0") or "0"
    return value or None


def letter_role(text: str) -> str:
    """LEAD, or CO_ORGANIZER when the letter says it is a co-organiser's reply (协办意见)."""
    return CO_ORGANIZER if _CO_ORGANISER.search(text) else LEAD


def same_unit(a: str | None, b: str | None) -> bool:
    """The same replying unit, one written with its place and one without."""
    if not a or not b:
        return False
    short, long = sorted((a, b), key=len)
    return short == long or (long.endswith(short) and bool(_PLACE.fullmatch(long[:-len(short)])))


@dataclass(frozen=True)
class Identity:
    """What tells a letter from another. Empty values are unknown, not different."""

    number: str | None = None
    session: str | None = None
    unit: str | None = None
    role: str = LEAD
    proposers: tuple[str, ...] = ()
    date: date | None = None
    title: str | None = None

    def strong(self) -> bool:
        """Its proposal and its unit are known: enough to know it again under any file name."""
        return bool(self.number and self.session and self.unit)

    def key(self, content_hash: str) -> str:
        """One string per letter, for a unique column: two importers storing one letter at once
        store it once. A letter that names neither its proposal nor its unit, date and title is
        known by its text."""
        values = [self.number, self.session, self.unit, self.role, sorted(self.proposers),
                  self.date.isoformat() if self.date else None, self.title]
        if not (self.number and self.session) and not (self.unit and self.date and self.title):
            values.append(content_hash)
        return hashlib.sha256(json.dumps(values, ensure_ascii=False).encode("utf-8")).hexdigest()


def compare(stored: Identity, found: Identity) -> tuple[list[str], list[str]]:
    """(what differs, what only one of them names), each a list of the fields' words."""
    differ, one_sided = [], []
    pairs: list[tuple[str, object, object]] = [("proposal number", stored.number, found.number), ("session", stored.session, found.session),
             ("date", stored.date, found.date), ("title", stored.title, found.title)]
    if not (stored.number or found.number):
        pairs.append(("proposers", tuple(sorted(stored.proposers)), tuple(sorted(found.proposers))))
    for name, a, b in pairs:
        if a and b and a != b:
            differ.append(name)
        elif bool(a) != bool(b):
            one_sided.append(name)
    if stored.unit and found.unit and not same_unit(stored.unit, found.unit):
        differ.append("replying unit")
    elif bool(stored.unit) != bool(found.unit):
        one_sided.append("replying unit")
    if stored.role != found.role:
        differ.append("role (lead or co-organiser)")
    return differ, one_sided
