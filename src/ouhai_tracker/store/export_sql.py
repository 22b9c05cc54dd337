"""The statements `tracker export` reads with (store/export.py makes its tables of their rows),
declared once from the models. Each column is labelled with the name the export gives it, so a
row becomes its dict by zipping it with the result's keys on either path: the SQLAlchemy path
runs them on a session's connection, scripts/generate_fast_sql.py compiles the unselected ones
for SQLite's stdlib path (fast_sql.EXPORT).
"""
from __future__ import annotations

from sqlalchemy import Select, null, select

from ouhai_tracker.store.models import Base

TABLES = Base.metadata.tables
LETTERS, COMMITMENTS, EVENTS = TABLES["letters"], TABLES["commitments"], TABLES["events"]
DEPARTMENTS, ALIASES, POLICIES = TABLES["departments"], TABLES["department_aliases"], TABLES["policies"]
PARTNERS, DOCUMENTS, LINKS = TABLES["commitment_partners"], TABLES["evidence_documents"], TABLES["evidence_links"]
COMMITMENT_POLICIES, LETTER_POLICIES = TABLES["commitment_policies"], TABLES["letter_policies"]
L, C, E, K = LETTERS.c, COMMITMENTS.c, EVENTS.c, LINKS.c


def _named(**columns) -> list:
    return [column.label(name) for name, column in columns.items()]


def statements(selected: Select | None = None, letters_selected: Select | None = None) -> dict[str, Select]:
    """Every statement of an export, by name. ``selected`` (a statement of commitment ids) narrows
    the commitments, their partners, policies, history and evidence links; ``letters_selected``
    (read.letters_of's) the letters and their policies; the registries stay whole."""
    def of_commitments(query: Select, commitment_id) -> Select:
        return query if selected is None else query.where(commitment_id.in_(selected))

    def of_letters(query: Select, letter_id) -> Select:
        return query if letters_selected is None else query.where(letter_id.in_(letters_selected))

    replying, owner = DEPARTMENTS.alias("replying"), DEPARTMENTS.alias("owner")
    return {
        # the contacts are read here and left out of the file unless asked for (store/export.py)
        "letters": of_letters(select(*_named(
            id=L.id, file=L.file, path=L.path, title=L.title, kind=L.kind, addressee=L.addressee,
            proposers=L.proposers, session=L.session, replying_unit=L.replying_unit,
            replying_department=replying.c.name, date=L.letter_date, class_mark=L.class_mark, number=L.number,
            doc_number=L.doc_number, content_hash=L.content_hash, imported_at=L.imported_at,
            contact_name=L.contact_name, contact_phone=L.contact_phone, text=L.text))
            .outerjoin(replying, replying.c.id == L.replying_department_id).order_by(L.id), L.id),
        "department_aliases": select(*_named(department_id=ALIASES.c.department_id, alias=ALIASES.c.alias,
                                             source=ALIASES.c.source)).order_by(ALIASES.c.id),
        "departments": select(*_named(id=DEPARTMENTS.c.id, name=DEPARTMENTS.c.name, short=DEPARTMENTS.c.short,
                                      level=DEPARTMENTS.c.level, place=DEPARTMENTS.c.place))
        .order_by(DEPARTMENTS.c.id),
        "policies": select(*_named(id=POLICIES.c.id, title=POLICIES.c.title, doc_number=POLICIES.c.doc_number,
                                   issuer=POLICIES.c.issuer, year=POLICIES.c.year)).order_by(POLICIES.c.id),
        # in the file's order; letter_title is filled in from the letters
        "commitments": of_commitments(select(*_named(
            id=C.id, letter_id=C.letter_id, letter_title=null(), text=C.text, start=C.start_offset,
            end=C.end_offset, sentence=C.sentence, section=C.section, item=C.item, owner_id=C.owner_id,
            owner=owner.c.name, owner_rule=C.owner_rule, status=C.status, cue=C.cue, confidence=C.confidence,
            owner_confidence=C.owner_confidence, review_state=C.review_state, due=C.due, due_kind=C.due_kind,
            due_inferred=C.due_inferred, due_text=C.due_text, due_condition=C.due_condition, due_rule=C.due_rule,
            due_period=C.due_period, created_at=C.created_at, updated_at=C.updated_at))
            .select_from(COMMITMENTS).outerjoin(owner, owner.c.id == C.owner_id).order_by(C.id), C.id),
        "commitment_partners": of_commitments(select(*_named(
            commitment_id=PARTNERS.c.commitment_id, department_id=PARTNERS.c.department_id, role=PARTNERS.c.role,
            cue=PARTNERS.c.cue)).order_by(PARTNERS.c.id), PARTNERS.c.commitment_id),
        "commitment_policies": of_commitments(select(*_named(
            commitment_id=COMMITMENT_POLICIES.c.commitment_id, policy_id=COMMITMENT_POLICIES.c.policy_id))
            .order_by(*COMMITMENT_POLICIES.c), COMMITMENT_POLICIES.c.commitment_id),
        "letter_policies": of_letters(select(*_named(
            letter_id=LETTER_POLICIES.c.letter_id, policy_id=LETTER_POLICIES.c.policy_id))
            .order_by(*LETTER_POLICIES.c), LETTER_POLICIES.c.letter_id),
        "events": of_commitments(select(*_named(
            id=E.id, commitment_id=E.commitment_id, at=E.at, action=E.action, field=E.field, old=E.old_value,
            new=E.new_value, note=E.note, on=E.on_date)).order_by(E.id), E.commitment_id),
        # every document: under a selection, store/export.py keeps those its links cite
        "evidence_documents": select(*_named(
            id=DOCUMENTS.c.id, file=DOCUMENTS.c.file, path=DOCUMENTS.c.path, title=DOCUMENTS.c.title,
            date=DOCUMENTS.c.doc_date, author=DOCUMENTS.c.author, letter_id=DOCUMENTS.c.letter_id,
            problem=DOCUMENTS.c.problem, content_hash=DOCUMENTS.c.content_hash,
            imported_at=DOCUMENTS.c.imported_at, text=DOCUMENTS.c.text)).order_by(DOCUMENTS.c.id),
        "evidence_links": of_commitments(select(*_named(
            id=K.id, commitment_id=K.commitment_id, document_id=K.document_id, start=K.start_offset,
            end=K.end_offset, sentence=K.sentence, outcome=K.outcome, state=K.state,
            decided_outcome=K.decided_outcome, confidence=K.confidence, reason=K.reason,
            later_commitment_id=K.later_commitment_id, created_at=K.created_at, decided_at=K.decided_at))
            .order_by(K.id), K.commitment_id),
    }
