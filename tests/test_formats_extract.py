"""The seed letter as GB18030, UTF-16, Word, a web page and a PDF: the same promises come out of each."""
from __future__ import annotations

from pathlib import Path

import pytest

from ouhai_tracker.extract import extract_letter
from ouhai_tracker.readers import read_document
from test_readers import _make_docx, _make_pdf, _page

SEED = Path(__file__).resolve().parents[1] / "seeds" / "000_f0f5a9deaa56be68.txt"


def facts_of(path: Path):
    document = read_document(path)
    facts = extract_letter(document.text, path.name, fallbacks=document.fallbacks)
    return [("".join(c.text.split()), c.owner.name if c.owner else None, c.deadline.kind, c.deadline.due)
            for c in facts.commitments]


@pytest.fixture(scope="module")
def expected():
    return facts_of(SEED)


def _txt(path: Path, encoding: str) -> None:
    path.write_bytes(SEED.read_text(encoding="utf-8").encode(encoding))


@pytest.mark.parametrize("make", [
    lambda p: _txt(p.with_suffix(".txt"), "gb18030") or p.with_suffix(".txt"),
    lambda p: _txt(p.with_suffix(".txt"), "utf-16") or p.with_suffix(".txt"),
    lambda p: _make_docx(p.with_suffix(".docx")) and p.with_suffix(".docx"),
    lambda p: p.with_suffix(".html").write_text(_page(), encoding="gb18030") and p.with_suffix(".html"),
    lambda p: _make_pdf(p.with_suffix(".pdf")) or p.with_suffix(".pdf"),
], ids=["gb18030", "utf-16", "docx", "html", "pdf"])
def test_same_commitments_owners_and_deadlines(tmp_path, expected, make):
    path = make(tmp_path / "letter")
    assert len(expected) >= 8
    assert facts_of(path) == expected
