"""Alembic migrations, shipped inside the package and run through alembic's API (no alembic.ini).

REVISIONS lists every revision this version of the tracker knows, oldest first; the last is
head. The engine compares a database's ``alembic_version`` with it in one query, so alembic
itself is imported only when a database must be upgraded. A test checks this list against
the scripts in ``versions/``.
"""
from pathlib import Path

REVISIONS = ("0001", "0002", "0003_followup", "0004_department_places", "0005_letter_identity", "0006_changes",
             "0007_search", "0008_search_in_bulk", "0009_owner_confidence", "0010_evidence",
             "0011_letter_identity_key", "0012_superseded_letters", "0013_unnumbered_policies_once")
HEAD = REVISIONS[-1]
BASE = REVISIONS[0]  # what a database made by create_all before migrations existed is taken as
SCRIPT_LOCATION = str(Path(__file__).resolve().parent)
