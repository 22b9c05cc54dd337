"""The benchmark letters: the same seed gives the same letters, and the real extraction finds promises."""
from __future__ import annotations

import importlib.util
from pathlib import Path

from ouhai_tracker.extract.model import DEADLINE_KINDS
from ouhai_tracker.extract.pipeline import run as real_extraction  # conftest fakes extract_letter
from ouhai_tracker.extract.model import Settings

spec = importlib.util.spec_from_file_location("generate", Path(__file__).parents[1] / "benchmarks" / "generate.py")
generate = importlib.util.module_from_spec(spec)
spec.loader.exec_module(generate)


def test_same_seed_same_letters_other_seed_other_letters():
    assert list(generate.letters(20, seed=3)) == list(generate.letters(20, seed=3))
    assert list(generate.letters(5, seed=3)) != list(generate.letters(5, seed=4))


def test_extraction_finds_commitments_of_every_deadline_kind_with_owners_and_partners():
    kinds, partners = set(), 0
    for name, text in generate.letters(30):
        facts = real_extraction(text, name, Settings(), {})
        assert facts.meta.date and facts.meta.title and facts.meta.replying_unit, name
        assert len(facts.commitments) >= 3, name
        assert all(c.owner for c in facts.commitments), name
        kinds |= {c.deadline.kind for c in facts.commitments}
        partners += sum(bool(c.partners) for c in facts.commitments)
    assert kinds == set(DEADLINE_KINDS) and partners > 0
