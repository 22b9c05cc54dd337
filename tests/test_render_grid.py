"""The fast table: every line fits the terminal, no text is lost, Chinese counts two cells."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from ouhai_tracker.render.grid import Column, draw, width

TEXT = st.text(alphabet=st.sampled_from("学位建设局区 abcXYZ019,。《》"), max_size=120)


def test_width_counts_chinese_as_two():
    assert width("abc") == 3 and width("学位") == 4 and width("《学》a") == 7


@settings(max_examples=200, deadline=None)
@given(rows=st.lists(st.tuples(st.integers(1, 99999), TEXT, TEXT), min_size=1, max_size=8),
       total=st.integers(40, 160))
def test_lines_fit_and_text_survives(rows, total):
    columns = [Column("ID", justify="right", wrap=False), Column("Owner", min_width=10),
               Column("Commitment", min_width=20, flex=True)]
    cells = [[str(i), owner, text] for i, owner, text in rows]
    out = draw(columns, cells, total_width=total)
    lines = out.splitlines()
    assert all(width(line) <= total for line in lines), out
    body = "".join(lines)
    for _, owner, text in rows:  # each cell's characters, in order, somewhere in the body
        for piece in (owner, text):
            assert all(ch in body for ch in piece.replace(" ", ""))


def test_rows_start_under_their_id_and_wrap_under_their_column():
    out = draw([Column("ID", justify="right", wrap=False), Column("Commitment", min_width=10, flex=True)],
               [["7", "一二三四五六七八九十一二三四五"]], total_width=30)
    lines = out.splitlines()
    assert lines[0] == "  ID   Commitment" and lines[1].startswith(" ─")
    assert lines[2].startswith("   7   一二三") and lines[3].startswith("       ")
    assert "".join(line.strip().removeprefix("7").strip() for line in lines[2:]) == "一二三四五六七八九十一二三四五"


def test_a_column_that_does_not_wrap_is_cut_with_an_ellipsis():
    out = draw([Column("Letter", wrap=False, max_width=8)], [["a_very_long_file_name.txt"]], total_width=80)
    assert out.splitlines()[2].strip() == "a_very_…"


def test_no_colour_in_a_pipe():
    out = draw([Column("Due")], [["2024-01-01"]], styles=[["bold red"]], total_width=80)
    assert "\x1b" not in out
