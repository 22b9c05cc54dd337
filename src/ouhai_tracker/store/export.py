"""Everything in the database as plain tables, for other tools (`tracker export`).

One list of flat rows per table, ids kept, so a spreadsheet or a script can join them.
Contact names and phone numbers are personal data: left out unless asked for, and
masked inside the letter text, the sentences and the history's notes with as many ＊ as
characters (offsets still fit).
"""
from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Sequence

from ouhai_tracker.extract.rules.letters import CONTACT_WORDS
from ouhai_tracker.rows import iso, json_list, moment

FORMAT, VERSION = "ouhai-tracker-export", 1
# A phone number on a contact line: 0577-88502273, 88502273, 13812345678.
_PHONE = re.compile(r"(?<!\d)(?:0\d{2,3}[-－—]?)?\d{7,8}(?!\d)|(?<!\d)1[3-9]\d{9}(?!\d)")
_CONTACT_WORD = re.compile("|".join(CONTACT_WORDS))


# Events the tracker writes itself on import; every other event is a person's, with their note.
IMPORT_ACTIONS = ("imported", "updated", "withdrawn", "restored")


def _stars(match: re.Match) -> str:
    return "＊" * len(match.group())


def mask_contacts(text: str, names: list[str] | re.Pattern) -> str:
    """``text`` with the contact names, and phone numbers on contact lines, replaced by ＊ of equal length."""
    if isinstance(names, re.Pattern):
        text = names.sub(_stars, text)
    else:
        for name in sorted(filter(None, set(names)), key=len, reverse=True):
            text = text.replace(name, "＊" * len(name))

    if not _CONTACT_WORD.search(text):
        return text
    return "\n".join(_PHONE.sub(_stars, line) if _CONTACT_WORD.search(line) else line for line in text.split("\n"))


def contact_pattern(names) -> re.Pattern | list:
    """One pattern for these contact names and numbers ([] when there are none), for mask_contacts."""
    # Each name once, the longest first: 张三 masked before 张三丰 would leave 丰 showing.
    ordered = sorted(set(filter(None, names)), key=lambda n: (-len(n), n))
    return re.compile("|".join(map(re.escape, ordered))) if ordered else []


def contact_mask(names):
    """A function masking these contact names, and phone numbers on contact lines, with ＊ (one per
    character, so offsets still fit); None and empty text pass through. The pattern of thousands
    of names takes a tenth of a second to compile: it is made at the first text to mask, and
    a report with no note to mask never makes it."""
    pattern = functools.cache(lambda: contact_pattern(names))
    return lambda text: mask_contacts(text, pattern()) if text else text


# What export_tables reads a statement of store/export_sql.py with: its name -> the result's column
# names (the export's own) and its rows.
Reader = Callable[[str], tuple[Sequence[str], Iterable[Sequence]]]


def export_tables(read: Reader, with_contacts: bool = False, selected: bool = False) -> dict[str, list[dict]]:
    """Every table as flat rows, from the statements of store/export_sql.py as ``read`` gives them
    (on either path: dates and times as objects or as SQLite's text). ``selected``: the statements
    were narrowed to a selection of commitments, so only the later documents their links cite
    are kept."""
    def rows(name: str) -> list[dict]:
        keys, found = read(name)
        return [dict(zip(keys, row)) for row in found]

    letters = rows("letters")
    # The letters' contacts, masked wherever they stand: a letter's own in its text and its
    # sentences; every letter's in a person's notes (a note may name anyone's contact).
    contacts = {r["id"]: [n for n in (r["contact_name"], r["contact_phone"]) if n] for r in letters}

    @functools.cache
    def everyone() -> re.Pattern | list:
        # Every letter's contacts in one pattern (thousands of names: a tenth of a second to
        # compile), made only when a person's note is there to mask.
        return contact_pattern(n for found in contacts.values() for n in found)

    def hide(text: str | None, names: list[str] | re.Pattern) -> str | None:
        return text if with_contacts or not text else mask_contacts(text, names)

    tables: dict[str, list[dict]] = {"letters": letters}
    for row in letters:
        row["proposers"] = json_list(row["proposers"])
        row["date"], row["imported_at"] = iso(row["date"]), moment(row["imported_at"])
        if not with_contacts:
            del row["contact_name"], row["contact_phone"]
        row["text"] = hide(row["text"], contacts[row["id"]])
    tables["departments"] = rows("departments")
    tables["department_aliases"] = rows("department_aliases")
    aliases: dict[int, list[str]] = {}
    for alias in tables["department_aliases"]:
        aliases.setdefault(alias["department_id"], []).append(alias["alias"])
    for department in tables["departments"]:
        department["aliases"] = aliases.get(department["id"], [])
    tables["policies"] = rows("policies")
    titles = {r["id"]: r["title"] for r in letters}  # a spreadsheet's reader wants it on the row
    letter_of: dict[int, int] = {}
    tables["commitments"] = rows("commitments")
    for row in tables["commitments"]:
        letter_of[row["id"]] = row["letter_id"]
        row["letter_title"] = titles.get(row["letter_id"])
        row["sentence"] = hide(row["sentence"], contacts.get(row["letter_id"], []))
        if row["due_inferred"] is not None:
            row["due_inferred"] = bool(row["due_inferred"])
        row["due"], row["created_at"], row["updated_at"] = (iso(row["due"]), moment(row["created_at"]),
                                                            moment(row["updated_at"]))
    for name in ("commitment_partners", "commitment_policies", "letter_policies"):
        tables[name] = rows(name)
    tables["events"] = rows("events")
    for row in tables["events"]:
        # Imported values come from the letter (its own contacts); a person's note may name anyone's.
        own = contacts.get(letter_of.get(row["commitment_id"]), [])
        anyone = own if row["action"] in IMPORT_ACTIONS or with_contacts else everyone()
        row["at"], row["on"] = moment(row["at"]), iso(row["on"])
        row["old"], row["new"], row["note"] = hide(row["old"], anyone), hide(row["new"], anyone), hide(row["note"], anyone)
    _export_evidence(rows, tables, selected,
                     lambda text: text if with_contacts or not text else mask_contacts(text, everyone()))
    return tables


def _export_evidence(rows: Callable[[str], list[dict]], tables: dict[str, list[dict]], selected: bool,
                     hide: Callable[[str | None], str | None]) -> None:
    """The later documents and the links proposed from them (proposed, accepted, rejected: the
    sentence, its offsets in the document's text, the outcome proposed and the one decided).
    A later document may name anyone's contact: masked as a person's note is (``hide``). Under a
    selection, the links of the commitments selected and the documents they cite."""
    links = rows("evidence_links")
    cited = {r["document_id"] for r in links}
    tables["evidence_documents"] = [r for r in rows("evidence_documents") if not selected or r["id"] in cited]
    for r in tables["evidence_documents"]:
        r["title"], r["text"] = hide(r["title"]), hide(r["text"])
        r["date"], r["imported_at"] = iso(r["date"]), moment(r["imported_at"])
    for r in links:
        r["sentence"] = hide(r["sentence"])
        r["created_at"], r["decided_at"] = moment(r["created_at"]), moment(r["decided_at"])
    tables["evidence_links"] = links
