"""A commitment as scripts and the terminal see it: one dict, made in one place from a row.

Both read paths (store/read.py through SQLAlchemy, store/fastread.py through the stdlib driver)
run the same statements and turn their rows into dicts here, so the two cannot drift. A
letter's dict (``letter_dict``), the excerpt `show` gives around a commitment
(``context_window``) and the ids a change names (``id_list``) are made here too. No
SQLAlchemy here: the fast path imports it.
"""
from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from ouhai_tracker.extract.model import OWNER_SURE
from ouhai_tracker.followup.schedule import schedule_state

# The row statement's columns, in order: each row's key, and the model attribute it is read from
# (store/read.py selects them; "due" is the effective due date, read.effective_due). A column is
# added here and in commitment_dict, nowhere else (it unpacks them in this order; a test checks
# the two agree).
ROW_COLUMNS = {
    "id": "Commitment.id", "text": "Commitment.text", "owner": "Department.name", "owner_short": "Department.short",
    "status": "Commitment.status", "due": "due", "due_kind": "Commitment.due_kind", "due_text": "Commitment.due_text",
    "due_inferred": "Commitment.due_inferred", "condition": "Commitment.due_condition", "document": "Letter.file",
    "owner_rule": "Commitment.owner_rule", "due_rule": "Commitment.due_rule", "due_period": "Commitment.due_period",
    "section": "Commitment.section", "item": "Commitment.item", "sentence": "Commitment.sentence",
    "start": "Commitment.start", "end": "Commitment.end", "cue": "Commitment.cue",
    "confidence": "Commitment.confidence", "owner_confidence": "Commitment.owner_confidence",
    "letter_title": "Letter.title", "letter_date": "Letter.letter_date", "outcome": "Commitment.outcome",
    "outcome_on": "Commitment.outcome_on", "review_state": "Commitment.review_state",
    "class_mark": "Letter.class_mark", "letter_id": "Letter.id",
}
# The columns a brief row reads: those a listing's table shows (render.commitments_table), and the
# owner's name it may be sorted by. The others are NULL in it, and it has no partners, policies or
# roles: a table of twenty thousand promises does not read their sentences, titles and cues.
BRIEF_COLUMNS = frozenset({"id", "text", "owner", "owner_short", "status", "due", "due_kind", "due_inferred",
                           "document", "owner_confidence", "review_state"})


def iso(value) -> str | None:
    """A date as YYYY-MM-DD whether the driver gave a date or its text."""
    if value is None or isinstance(value, str):
        return value
    return value.isoformat()


def commitment_dicts(rows, partners, policies, today: date) -> list[dict]:
    """Rows of the row statement, with the (commitment id, name, role, cue) partner rows and the
    (commitment id, title) policy rows of the same commitments, as the contract's dicts in order."""
    roles: dict[int, list[dict]] = {}
    for commitment_id, name, role, cue in partners:
        roles.setdefault(commitment_id, []).append({"name": name, "role": role, "cue": cue})
    titles: dict[int, list[str]] = {}
    for commitment_id, title in policies:
        titles.setdefault(commitment_id, []).append(title)
    day = today.isoformat()
    return [commitment_dict(row, roles.get(row[0], []), titles.get(row[0], []), day) for row in rows]


def commitment_dict(row, partner_roles: list[dict], policies: list[str], today: str) -> dict:
    """One row of the row statement (its columns in ROW_COLUMNS' order), judged on the day
    ``today`` (YYYY-MM-DD): the contract's fields first (see the README), then the extras people
    and scripts use. (Unpacked, not zipped into a dict first: a listing makes 20,000 of these.)"""
    (id_, text, owner, owner_short, status, due, due_kind, due_text, due_inferred, condition, document,
     owner_rule, due_rule, due_period, section, item, sentence, start, end, cue, confidence, owner_confidence,
     letter_title, letter_date, outcome, outcome_on, review_state, class_mark, letter_id) = row
    due, outcome_on = iso(due), iso(outcome_on)
    return {
        "id": id_, "text": text, "owner": owner,
        "partners": [p["name"] for p in partner_roles],
        "status": status, "due": due, "due_kind": due_kind, "due_text": due_text,
        "due_inferred": bool(due_inferred), "condition": condition, "document": document,
        "policies": policies, "owner_confidence": owner_confidence,
        "owner_flagged": owner_confidence < OWNER_SURE,
        # extras
        "owner_short": owner_short,
        "overdue": status == "open" and due is not None and due < today,
        "owner_rule": owner_rule, "partner_roles": partner_roles,
        "due_rule": due_rule, "due_period": due_period,
        "section": section, "item": item, "sentence": sentence,
        "start": start, "end": end, "cue": cue, "confidence": confidence,
        "letter_id": letter_id, "letter_title": letter_title, "letter_date": iso(letter_date),
        "outcome": outcome or "not-yet-rated", "outcome_on": outcome_on,
        "schedule": schedule_state(status=status, review_state=review_state, outcome=outcome,
                                   outcome_on=outcome_on, due=due, as_of=today),
        "review": review_state or "unreviewed",
        "class_mark": class_mark,
    }


# A link's statement's columns, in order (store/evidence.links_statement selects them; "owner" is
# the earlier promise's owner), and the dict each row becomes.
LINK_COLUMNS = {
    "id": "EvidenceLink.id", "commitment": "Commitment.id", "document": "EvidenceDocument.file",
    "sentence": "EvidenceLink.sentence", "outcome": "EvidenceLink.outcome",
    "decided_outcome": "EvidenceLink.decided_outcome", "confidence": "EvidenceLink.confidence",
    "state": "EvidenceLink.state", "start": "EvidenceLink.start", "end": "EvidenceLink.end",
    "document_id": "EvidenceDocument.id", "document_date": "EvidenceDocument.doc_date",
    "document_title": "EvidenceDocument.title", "reason": "EvidenceLink.reason",
    "later_commitment": "EvidenceLink.later_commitment_id", "decided_at": "EvidenceLink.decided_at",
    "commitment_text": "Commitment.text", "commitment_status": "Commitment.status",
    "commitment_outcome": "Commitment.outcome", "owner": "owner.name", "owner_functions": "owner.functions",
    "letter": "Letter.file", "letter_date": "Letter.letter_date", "due": "Commitment.due",
}


def link_dicts(rows) -> list[dict]:
    """Rows of the links' statement as the contract's evidence dicts (then the extras)."""
    out = []
    for (id_, commitment, document, sentence, outcome, decided_outcome, confidence, state, start, end, document_id,
         document_date, document_title, reason, later_commitment, decided_at, commitment_text, commitment_status,
         commitment_outcome, owner, owner_functions, letter, letter_date, due) in rows:
        out.append({
            "id": id_, "commitment": commitment, "document": document, "evidence": sentence,
            "outcome": decided_outcome or outcome, "confidence": confidence,
            # extras
            "proposed_outcome": outcome, "state": state, "start": start, "end": end,
            "document_id": document_id, "document_date": iso(document_date), "document_title": document_title,
            "reason": reason, "later_commitment": later_commitment,
            "decided_at": moment(decided_at), "commitment_text": commitment_text,
            "commitment_status": commitment_status, "commitment_outcome": commitment_outcome,
            "owner": owner, "owner_functions": owner_functions if owner is not None else "",
            "letter": letter, "letter_date": iso(letter_date), "due": iso(due),
        })
    return out


def moment(value) -> str | None:
    """A time as 'YYYY-MM-DD HH:MM:SS[.ffffff]' whether the driver gave a datetime or SQLite's text."""
    if value is None:
        return None
    return (datetime.fromisoformat(value) if isinstance(value, str) else value).isoformat(sep=" ")


def mark_roles(rows: list[dict], names: set[str]) -> None:
    """For a --dept listing, ``names`` being the departments it names: each row's ``role`` (owner,
    or partner when one of them only takes part) and ``matched``, those of them in the row."""
    for r in rows:
        if r["owner"] in names:
            r["role"], r["matched"] = "owner", [r["owner"]]
        else:
            r["role"], r["matched"] = "partner", [p for p in r["partners"] if p in names]


def pinyin_key(name: str | None) -> bytes:
    """A Chinese name's place in pinyin order: its GB18030 bytes, since GB2312's 3,755 common
    characters are numbered in pinyin order (安 < 北 < 长 < 区 < 温); rarer ones come after them.
    No dictionary needed."""
    return (name or "").encode("gb18030", errors="replace")


def id_list(ids: Iterable[int]) -> str:
    """Commitment ids as a change's target names them: #3 #5."""
    return " ".join(f"#{i}" for i in ids)


def context_window(text: str, lo: int, hi: int, start: int, end: int) -> tuple[str, int, int]:
    """The commitment with one sentence either side, inside its paragraph; '…' marks a cut.

    Returns the excerpt and the commitment's offsets within it.
    """
    enders = "。！？!?"
    before = start
    for _sentence in range(2):  # back to the start of the sentence before
        i = before - 1
        while i > lo and text[i - 1] not in enders:
            i -= 1
        before = max(lo, i)
        if before == lo:
            break
    after = end
    for _sentence in range(2):  # on to the end of the sentence after
        i = after
        while i < hi and text[i] not in enders:
            i += 1
        after = min(hi, i + 1)
        if after >= hi:
            break
    head = "…" if before > lo else ""
    tail = "…" if after < hi else ""
    excerpt = head + text[before:after] + tail
    return excerpt, start - before + len(head), end - before + len(head)


def letter_dict(row, with_contacts: bool = False) -> dict:
    """A letter (a row of store.queries.letters) as the contract's `docs` row, then extras; its
    contact name and phone only ``with_contacts`` (None otherwise)."""
    from ouhai_tracker.extract.departments import abbreviates

    # The unit the letter names, by its full name with its place (a page's 区住建局 is
    # 松江市东岸区住房和城乡建设局); None when nothing names it, even if its owner was inferred.
    # A unit that signs with its place and full name keeps that name here, though its body goes by
    # a short form of it (湖北省农业农村厅 signs the letter of 湖北省农业厅's promises).
    unit = row["replying_unit"]
    department, place = row["department_name"], row["department_place"]
    if unit is not None and department and place and not (unit.startswith(place) and abbreviates(department, unit)):
        unit = department
    return {
        "file": row["file"], "title": row["title"], "replying_unit": unit,
        "date": iso(row["letter_date"]) or None,
        "proposers": json_list(row["proposers"]), "session": row["session"],
        "contact_name": row["contact_name"] if with_contacts else None,
        "contact_phone": row["contact_phone"] if with_contacts else None,
        # extras
        "kind": row["kind"], "addressee": row["addressee"], "class_mark": row["class_mark"],
        "number": row["number"], "doc_number": row["doc_number"],
        "unit_as_written": row["replying_unit"], "unit_source": row["unit_source"], "date_source": row["date_source"],
        "replying_department": row["department_name"],
        "role": row["role"],  # the replying unit's: lead (主办) or co-organizer (协办/会办)
        "commitments": row["commitments"], "open": int(row["open"] or 0),
        "path": row["path"],
        "superseded_by": row["superseded_by_id"],  # merged into that letter (`tracker docs merge`)
    }


def json_list(value) -> list:
    """A JSON list column, whether the driver parsed it or gave SQLite's text."""
    if isinstance(value, str):
        import json

        value = json.loads(value)
    return list(value or [])


# Rows of store/letter_sql.py's statements (read by their columns' names on either path).

def latest_feedback(rows) -> dict[int, dict]:
    """Each letter's latest rating, with how many ratings it has had: {letter_id: {...}}."""
    result: dict[int, dict] = {}
    for row in rows:
        count = result.get(row["letter_id"], {}).get("ratings", 0) + 1
        result[row["letter_id"]] = {"rating": row["rating"], "note": row["note"], "at": moment(row["at"]),
                                    "on": iso(row["on_date"]), "ratings": count}
    return result


def follow_ups(rows) -> dict[int, dict]:
    """{commitment id: {"notes": [...], "evidence": [...]}}: the notes people wrote (done --note,
    rate --note, edit --note …) and the evidence of each rating (rate --evidence), oldest first.
    A note written once for two events (done records the outcome and the status) is listed once."""
    found: dict[int, dict] = {}
    for row in rows:
        entry = found.setdefault(row["commitment_id"], {"notes": [], "evidence": []})
        day = iso(row["on_date"]) or str(row["at"])[:10]
        note = row["note"]
        if note and (day, note) not in {(n["on"], n["note"]) for n in entry["notes"]}:
            entry["notes"].append({"on": day, "action": row["action"], "note": note})
        if row["evidence"]:
            entry["evidence"].append({"on": day, "outcome": row["new_value"] if row["field"] == "outcome" else None,
                                      "source": row["evidence"], "note": note})
    return found


def contacts(rows) -> list[str]:
    """Every letter's contact name and phone number (what is masked where contacts are not asked for)."""
    return sorted({row[name] for row in rows for name in ("contact_name", "contact_phone") if row[name]})
