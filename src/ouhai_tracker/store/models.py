"""SQLAlchemy 2.x typed models: letters, departments, policies, commitments, history.

Ids are permanent: a commitment keeps its id across re-imports, so `tracker done 12`
means the same promise next year. Deadlines are columns on the commitment (prefixed
``due_``) so that the (owner, status, due) index can serve the common query alone.
"""
from __future__ import annotations

from datetime import date, datetime
from typing import ClassVar

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from ouhai_tracker.store.states import (  # noqa: F401  (re-exported: callers look here)
    ACCEPTED,
    BASICALLY_SATISFIED,
    BROKEN,
    CORRECTED,
    DELETED,
    DISSATISFIED,
    DONE,
    EXTRACTED,
    FEEDBACK_RATINGS,
    GONE,
    IN_THE_WORKS,
    KEPT,
    LINK_ACCEPTED,
    LINK_REJECTED,
    LINK_STATES,
    NOT_YET_RATED,
    OPEN,
    OUTCOMES,
    PARTLY_KEPT,
    PROPOSED,
    REJECTED,
    REVIEW_STATES,
    SATISFIED,
    STALLED,
    STATUSES,
    UNREVIEWED,
    USER,
    WITHDRAWN,
)


def functions_text(functions: tuple[str, ...]) -> str:
    """The functions column for a body's classes: " 科技 经信 " (LIKE '% 经信 %' finds it)."""
    return f" {' '.join(functions)} " if functions else ""


def now() -> datetime:
    # Local wall-clock time, seconds precision: history is read by people, here.
    return datetime.now().replace(microsecond=0)


class Base(DeclarativeBase):
    __table__: ClassVar[Table]  # every model is mapped to a Table (the base says only FromClause)


# Letter-derived strings are Text, not String(n): PostgreSQL enforces lengths and a long
# name or phone line must not fail an import. String(n) is kept for our own vocabularies.


letter_policies = Table(
    "letter_policies", Base.metadata,
    Column("letter_id", ForeignKey("letters.id", ondelete="CASCADE"), primary_key=True),
    Column("policy_id", ForeignKey("policies.id", ondelete="CASCADE"), primary_key=True),
)

# Every department a letter names (owners, partners and mere mentions).
letter_departments = Table(
    "letter_departments", Base.metadata,
    Column("letter_id", ForeignKey("letters.id", ondelete="CASCADE"), primary_key=True),
    Column("department_id", ForeignKey("departments.id", ondelete="CASCADE"), primary_key=True, index=True),
)

commitment_policies = Table(
    "commitment_policies", Base.metadata,
    Column("commitment_id", ForeignKey("commitments.id", ondelete="CASCADE"), primary_key=True),
    Column("policy_id", ForeignKey("policies.id", ondelete="CASCADE"), primary_key=True),
)


class Letter(Base):
    __tablename__ = "letters"
    # A letter is found again by its proposal's number and session, else by its replying unit,
    # date and title; its file name is only a hint (two letters may share one).
    __table_args__ = (Index("ix_letters_identity", "replying_unit", "letter_date"),
                      Index("ix_letters_proposal", "number", "session"),
                      Index("ix_letters_date_title", "letter_date", "title"),
                      Index("uq_letters_identity", "identity", unique=True))

    id: Mapped[int] = mapped_column(primary_key=True)
    file: Mapped[str] = mapped_column(Text, index=True)  # the file name it was last imported from
    path: Mapped[str] = mapped_column(Text)
    content_hash: Mapped[str] = mapped_column(String(64))  # sha256 of ``text``
    text: Mapped[str] = mapped_column(Text)  # every offset below refers to this text
    title: Mapped[str | None] = mapped_column(Text)
    kind: Mapped[str | None] = mapped_column(Text)
    addressee: Mapped[str | None] = mapped_column(Text)
    proposers: Mapped[list[str]] = mapped_column(JSON, default=list)
    session: Mapped[str | None] = mapped_column(Text)
    replying_unit: Mapped[str | None] = mapped_column(Text)  # as the letter or its page names it
    unit_source: Mapped[str | None] = mapped_column(Text)  # signature, title line, page (来源) ...
    replying_department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"))
    letter_date: Mapped[date | None] = mapped_column(Date)
    date_source: Mapped[str | None] = mapped_column(Text)  # signature, page (发布日期) ...
    contact_name: Mapped[str | None] = mapped_column(Text)
    contact_phone: Mapped[str | None] = mapped_column(Text)
    class_mark: Mapped[str | None] = mapped_column(Text)
    number: Mapped[str | None] = mapped_column(Text)  # as a number: 第036号 -> "36"
    doc_number: Mapped[str | None] = mapped_column(Text)
    role: Mapped[str] = mapped_column(String(20), default="lead", server_default="lead")  # lead, co-organizer
    # One value per letter (extract/identity.py): two importers storing one letter at once store it once.
    identity: Mapped[str | None] = mapped_column(String(64))
    file_modified: Mapped[datetime | None] = mapped_column(DateTime)  # the file's time: which version is newer
    # The rules and settings its facts were read with (extract/version.py); NULL: before they were kept.
    extracted_with: Mapped[dict | None] = mapped_column(JSON)
    # `tracker docs merge`: the letter this one is a superseded version of (its text and the
    # commitments that point into it kept, out of the listings); NULL: a letter of its own. No
    # foreign key: added to stored databases without rebuilding the letters table.
    superseded_by_id: Mapped[int | None] = mapped_column(Integer)
    imported_at: Mapped[datetime] = mapped_column(DateTime, default=now)

    replying_department: Mapped[Department | None] = relationship()
    commitments: Mapped[list[Commitment]] = relationship(back_populates="letter", order_by="Commitment.id")
    policies: Mapped[list[Policy]] = relationship(secondary=letter_policies, back_populates="letters")
    departments: Mapped[list[Department]] = relationship(secondary=letter_departments)


class Department(Base):
    __tablename__ = "departments"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(Text, unique=True)  # as it names itself, with its place: 温州市瓯海区经济和信息化局
    short: Mapped[str] = mapped_column(Text)  # 温州市瓯海区经信局
    level: Mapped[str | None] = mapped_column(String(20))
    place: Mapped[str | None] = mapped_column(Text)  # 温州市瓯海区; NULL when no letter says
    # Function classes, space-separated with a space at each end (" 科技 经信 "): what a short
    # form such as 经信局 matches, whatever the body calls itself.
    functions: Mapped[str] = mapped_column(Text, default="", server_default="")

    aliases: Mapped[list[DepartmentAlias]] = relationship(back_populates="department",
                                                          cascade="all, delete-orphan")


class DepartmentAlias(Base):
    __tablename__ = "department_aliases"

    id: Mapped[int] = mapped_column(primary_key=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id", ondelete="CASCADE"), index=True)
    alias: Mapped[str] = mapped_column(Text, unique=True)
    source: Mapped[str] = mapped_column(String(20), default=EXTRACTED)

    department: Mapped[Department] = relationship(back_populates="aliases")


class Policy(Base):
    __tablename__ = "policies"
    # One row per title and number. NULL doc_numbers do not collide in a plain unique key, so a
    # second one treats a missing number as '': two importers storing the same unnumbered policy
    # at once (PostgreSQL) store it once, the second retrying its letter.
    __table_args__ = (UniqueConstraint("title", "doc_number"),
                      Index("uq_policies_title_number", "title", text("coalesce(doc_number, '')"), unique=True))

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(Text)  # without 《》
    doc_number: Mapped[str | None] = mapped_column(Text)
    issuer: Mapped[str | None] = mapped_column(Text)
    year: Mapped[int | None] = mapped_column(Integer)

    letters: Mapped[list[Letter]] = relationship(secondary=letter_policies, back_populates="policies")


class Commitment(Base):
    __tablename__ = "commitments"
    __table_args__ = (
        # "Open items of one department by due date": 15-40x faster than separate indexes.
        Index("ix_commitments_owner_status_due", "owner_id", "status", "due"),
        Index("ix_commitments_status_due", "status", "due"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)  # never renumbered
    letter_id: Mapped[int] = mapped_column(ForeignKey("letters.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(Text)
    start: Mapped[int] = mapped_column("start_offset", Integer)  # offsets of text in letter.text
    end: Mapped[int] = mapped_column("end_offset", Integer)
    sentence: Mapped[str] = mapped_column(Text)
    sentence_start: Mapped[int] = mapped_column(Integer)
    paragraph_start: Mapped[int] = mapped_column(Integer)
    paragraph_end: Mapped[int] = mapped_column(Integer)
    section: Mapped[str | None] = mapped_column(Text)
    item: Mapped[str | None] = mapped_column(Text)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"))
    owner_rule: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20), default=OPEN)
    cue: Mapped[str] = mapped_column(Text, default="")
    confidence: Mapped[float] = mapped_column(Float, default=0.5)
    # How sure the owner is (0-1); below OWNER_SURE the owner is a guess flagged owner?. 1 when a
    # person set it; 0.5 for commitments stored before it was kept.
    owner_confidence: Mapped[float] = mapped_column(Float, default=0.5, server_default="0.5")
    review_state: Mapped[str | None] = mapped_column(String(20))  # a reviewer's verdict; NULL: not reviewed
    # The current outcome (its changes are events) and the day it took effect; the schedule
    # state (on time, overdue, kept late) is derived from these, the due date and a day.
    outcome: Mapped[str] = mapped_column(String(20), default=NOT_YET_RATED, server_default=NOT_YET_RATED)
    outcome_on: Mapped[date | None] = mapped_column(Date)

    # The deadline (extract.model.Deadline), one per commitment.
    due_kind: Mapped[str] = mapped_column(String(20))
    due: Mapped[date | None] = mapped_column(Date)  # effective: explicit, inferred or set by a person
    due_inferred: Mapped[bool] = mapped_column(Boolean, default=False)
    due_text: Mapped[str | None] = mapped_column(Text)  # as written
    due_condition: Mapped[str | None] = mapped_column(Text)
    due_rule: Mapped[str] = mapped_column(Text, default="")
    due_period: Mapped[str | None] = mapped_column(String(20))  # recurring: month, quarter, year ...
    due_start: Mapped[int | None] = mapped_column(Integer)
    due_end: Mapped[int | None] = mapped_column(Integer)

    created_at: Mapped[datetime] = mapped_column(DateTime, default=now)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=now, onupdate=now)

    letter: Mapped[Letter] = relationship(back_populates="commitments")
    owner: Mapped[Department | None] = relationship()
    partners: Mapped[list[CommitmentPartner]] = relationship(
        back_populates="commitment", cascade="all, delete-orphan", order_by="CommitmentPartner.id")
    policies: Mapped[list[Policy]] = relationship(secondary=commitment_policies)
    events: Mapped[list[Event]] = relationship(
        back_populates="commitment", cascade="all, delete-orphan", order_by="Event.id")


class CommitmentPartner(Base):
    __tablename__ = "commitment_partners"
    __table_args__ = (UniqueConstraint("commitment_id", "department_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    commitment_id: Mapped[int] = mapped_column(ForeignKey("commitments.id", ondelete="CASCADE"))
    # Indexed: `--dept` matches partners as well as owners.
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"), index=True)
    role: Mapped[str] = mapped_column(String(20))  # partner, lead, co-organizer
    cue: Mapped[str] = mapped_column(Text, default="")

    commitment: Mapped[Commitment] = relationship(back_populates="partners")
    department: Mapped[Department] = relationship()


class Event(Base):
    """One line of a commitment's history: what happened, when, and the values before and after."""

    __tablename__ = "events"

    id: Mapped[int] = mapped_column(primary_key=True)
    commitment_id: Mapped[int] = mapped_column(ForeignKey("commitments.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(DateTime, default=now)
    action: Mapped[str] = mapped_column(String(20))  # imported, done, reopened, edited, withdrawn, undone ...
    field: Mapped[str | None] = mapped_column(Text)
    old_value: Mapped[str | None] = mapped_column(Text)
    new_value: Mapped[str | None] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(Text)
    on_date: Mapped[date | None] = mapped_column(Date)  # when the user says it happened (--on)
    evidence: Mapped[str | None] = mapped_column(Text)  # a URL or a file path backing a rating

    # The person's command that wrote it (NULL: an import's); `tracker undo` reverts by it.
    change_id: Mapped[int | None] = mapped_column(ForeignKey("changes.id"), index=True)

    commitment: Mapped[Commitment] = relationship(back_populates="events")
    change: Mapped[Change | None] = relationship(back_populates="events")


class Change(Base):
    """One command a person ran that changed the database (done, edit, review, depts merge …):
    what `tracker undo` takes back. The commitments' events it wrote point to it; ``data`` holds
    the values it changed, before and after, and what it moved beyond the commitments
    (store/changes.py says what is kept for each command). Undoing it is a change of its own
    (command 'undo'), named in ``undone_by_id``; nothing is deleted."""

    __tablename__ = "changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime, default=now, index=True)
    command: Mapped[str] = mapped_column(String(20))  # done, edit, depts merge, undo …
    target: Mapped[str] = mapped_column(Text, default="")  # what it was run on: #3 #5, class.B, a name
    by: Mapped[str | None] = mapped_column(Text)  # the login that ran it
    data: Mapped[dict] = mapped_column(JSON, default=dict)
    undone_by_id: Mapped[int | None] = mapped_column(ForeignKey("changes.id"))

    events: Mapped[list[Event]] = relationship(back_populates="change", order_by="Event.id")
    undone_by: Mapped[Change | None] = relationship(remote_side=[id])


class LetterFeedback(Base):
    """A member's rating of a reply letter (满意 / 基本满意 / 不满意); the latest one counts,
    the earlier ones stay as its history."""

    __tablename__ = "letter_feedback"

    id: Mapped[int] = mapped_column(primary_key=True)
    letter_id: Mapped[int] = mapped_column(ForeignKey("letters.id", ondelete="CASCADE"), index=True)
    rating: Mapped[str] = mapped_column(String(20))
    note: Mapped[str | None] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(DateTime, default=now)
    on_date: Mapped[date | None] = mapped_column(Date)  # when the member gave it (--on)

    letter: Mapped[Letter] = relationship()


# The settings row holding this database's own random id (calendar UIDs carry it, so two
# databases' events never collide); set when the schema is created, never shown by `config`.
DATABASE_ID = "database.id"


class Setting(Base):
    """A user setting as text, e.g. class.B = 正在解决 (what a class mark means here)."""

    __tablename__ = "settings"

    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=now, onupdate=now)


# ---- evidence: later documents and the links proposed from them -------------------------------


class EvidenceDocument(Base):
    """A later document read as evidence of what became of earlier promises: a reply a year on
    (also stored as a letter, ``letter_id``), a 回头看 report, a work summary. Its text is kept:
    every link's offsets refer to it."""

    __tablename__ = "evidence_documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    file: Mapped[str] = mapped_column(Text, index=True)
    path: Mapped[str] = mapped_column(Text)
    content_hash: Mapped[str] = mapped_column(String(64), index=True)  # sha256 of ``text``; "" when unread
    text: Mapped[str] = mapped_column(Text, default="")
    title: Mapped[str | None] = mapped_column(Text)  # its first line
    doc_date: Mapped[date | None] = mapped_column(Date)
    author: Mapped[str | None] = mapped_column(Text)  # the body that wrote it, when it says
    letter_id: Mapped[int | None] = mapped_column(ForeignKey("letters.id", ondelete="SET NULL"), index=True)
    problem: Mapped[str | None] = mapped_column(Text)  # why it could not be read, when it could not
    imported_at: Mapped[datetime] = mapped_column(DateTime, default=now)

    letter: Mapped[Letter | None] = relationship()
    links: Mapped[list[EvidenceLink]] = relationship(back_populates="document", cascade="all, delete-orphan",
                                                     order_by="EvidenceLink.start")


class EvidenceLink(Base):
    """A link between an earlier commitment and a sentence of a later document: proposed by the
    linker with an outcome, then accepted (with the outcome a person chose) or rejected. A
    rejected one stays, so the same sentence is never proposed for it again."""

    __tablename__ = "evidence_links"
    __table_args__ = (UniqueConstraint("commitment_id", "document_id", "sentence_hash"),
                      Index("ix_evidence_links_document_state", "document_id", "state"))

    id: Mapped[int] = mapped_column(primary_key=True)
    commitment_id: Mapped[int] = mapped_column(ForeignKey("commitments.id", ondelete="CASCADE"), index=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("evidence_documents.id", ondelete="CASCADE"))
    start: Mapped[int] = mapped_column("start_offset", Integer)  # the sentence in document.text
    end: Mapped[int] = mapped_column("end_offset", Integer)
    sentence: Mapped[str] = mapped_column(Text)
    sentence_hash: Mapped[str] = mapped_column(String(64))  # the sentence's identity across re-imports
    outcome: Mapped[str] = mapped_column(String(20))  # proposed: kept, partly, not_kept, repeated
    confidence: Mapped[float] = mapped_column(Float, default=0.5)
    reason: Mapped[str] = mapped_column(Text, default="")
    state: Mapped[str] = mapped_column(String(20), default=PROPOSED)
    decided_outcome: Mapped[str | None] = mapped_column(String(20))  # what a person accepted it as
    decided_at: Mapped[datetime | None] = mapped_column(DateTime)
    # A repeated promise: the later letter's own commitment that promises it again, when stored.
    later_commitment_id: Mapped[int | None] = mapped_column(ForeignKey("commitments.id", ondelete="SET NULL"),
                                                            index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=now)

    commitment: Mapped[Commitment] = relationship(foreign_keys=[commitment_id])
    later_commitment: Mapped[Commitment | None] = relationship(foreign_keys=[later_commitment_id])
    document: Mapped[EvidenceDocument] = relationship(back_populates="links")


class EvidenceTerms(Base):
    """What the linker reads from a commitment (evidence.link.read_promise), kept so that linking
    one more document need not read every promise of its places again. ``digest`` says what it
    was read from (the commitment's text and sentence, and the linker's rules): another digest,
    and it is read again."""

    __tablename__ = "evidence_terms"

    commitment_id: Mapped[int] = mapped_column(ForeignKey("commitments.id", ondelete="CASCADE"), primary_key=True)
    digest: Mapped[str] = mapped_column(String(64))
    text_pairs: Mapped[str] = mapped_column(Text)  # pairs of characters, space-separated
    context_pairs: Mapped[str] = mapped_column(Text)
    numbers: Mapped[str] = mapped_column(Text)  # space-separated
    whole: Mapped[bool] = mapped_column(Boolean)
    context: Mapped[str] = mapped_column(Text)  # the item's heading and the clause's lead, for named things
