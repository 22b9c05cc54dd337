"""Property tests of the real extraction (not the conftest stand-in): it never raises on
arbitrary text, every commitment's offsets slice the letter back to its text, and the same
input always gives the same output."""
from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from ouhai_tracker.extract.model import Settings
from ouhai_tracker.extract.pipeline import run

SEED = (Path(__file__).resolve().parent.parent / "seeds" / "000_f0f5a9deaa56be68.txt").read_text(encoding="utf-8")
SEED_LINES = SEED.splitlines()

# Letter-like pieces mixed with anything: other scripts, punctuation, digits, controls.
PIECES = st.sampled_from(["下一步,我局将", "2024年底前", "待", "后", "《", "》", "〔2023〕1号", "一、", "(一)",
                          "1.", "区工商联", "会同", "牵头", "每年", "近期", "。", ";", "\n", "年", "月", "日"])
TEXT = st.lists(st.one_of(PIECES, st.text(max_size=20), st.sampled_from(SEED_LINES)), max_size=30).map("".join)
RELAXED = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def extract(text: str):
    return run(text, "x.txt", Settings(), {})


def check(text: str):
    facts = extract(text)
    for c in facts.commitments:
        assert text[c.start:c.end] == c.text, (c.start, c.end, c.text)
    return facts


@RELAXED
@given(TEXT)
@example("")
@example("。,;:!?、《》()“”…—" * 50)
@example("下一步" * 3000)  # one huge line
@example("Next step: we will 完成 это до 2024年底前. مرحبا 🎉")
@example(SEED)
def test_never_raises_and_offsets_slice_back(text):
    check(text)


@settings(max_examples=20, deadline=None)
@given(st.integers(min_value=0, max_value=len(SEED)), st.text(max_size=10))
def test_seed_letter_with_an_insertion(at, inserted):
    check(SEED[:at] + inserted + SEED[at:])


@RELAXED
@given(TEXT)
def test_same_input_same_output(text):
    assert extract(text) == extract(text)
