"""`tracker show`: the trail back to the exact sentence, safely rendered."""
from __future__ import annotations

from ouhai_tracker.cli import app


def test_show_gives_paragraph_owner_deadline_policies_letter_history(runner, imported):
    result = runner.invoke(app, ["show", "4"], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    out = result.stdout
    assert "2024年底前,我局将修订《瓯海区专业技术人才奖补申报指南》。近期住建局牵头" in out  # the paragraph
    assert "区经济和信息化局" in out and "speaker" not in out
    assert "2024-12-31 (date, as written: 2024年底前" in out
    assert "《瓯海区专业技术人才奖补申报指南》" in out
    assert "L_econ.txt | 关于加强数字化人才体系建设的提案" in out and "2023-06-16" in out
    assert "imported" in out


def test_show_partners_roles_and_inferred(runner, imported):
    out = runner.invoke(app, ["show", "2"], env={"COLUMNS": "200"}).stdout
    assert "区工商业联合会 (partner, 联合)" in out and "inferred" in out


def test_markup_in_letter_text_prints_literally(runner, imported):
    result = runner.invoke(app, ["show", "7"], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    assert "修订[bold]x[/]" in result.stdout


def test_unknown_id(runner, imported):
    result = runner.invoke(app, ["show", "77"])
    assert result.exit_code == 1 and "no commitment with id 77" in result.stderr
