"""The Chinese interface: every message has its translation, the compiled catalog is the one the
sources give, and help, tables, messages and the report follow the locale (English elsewhere)."""
from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

from ouhai_tracker.cli import app
from ouhai_tracker.i18n import _, language

CATALOG_SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "catalog.py"


def catalog():
    spec = importlib.util.spec_from_file_location("catalog", CATALOG_SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_message_and_help_text_has_a_chinese_translation():
    assert catalog().missing() == [], "run `python scripts/catalog.py missing` and translate what it prints"


def test_the_catalog_holds_no_message_the_code_dropped():
    assert catalog().stale() == [], "remove the entries `python scripts/catalog.py missing` calls stale"


def test_the_compiled_catalog_is_up_to_date():
    c = catalog()
    assert c.MO.read_bytes() == c.compiled(c.translations()), "run `python scripts/catalog.py compile`"


def test_translations_keep_their_placeholders():
    import re

    for msgid, msgstr in catalog().translations().items():
        assert sorted(re.findall(r"\{[^{}]*\}", msgid)) == sorted(re.findall(r"\{[^{}]*\}", msgstr)), msgid


@pytest.mark.parametrize("env, expected", [
    ({"TRACKER_LANG": "zh"}, "zh"), ({"TRACKER_LANG": "", "LANG": "zh_CN.UTF-8"}, "zh"),
    ({"TRACKER_LANG": "", "LANGUAGE": "zh_CN:en", "LANG": "en_US.UTF-8"}, "zh"),
    ({"TRACKER_LANG": "en", "LANG": "zh_CN.UTF-8"}, "en"), ({"TRACKER_LANG": "", "LANG": "C.UTF-8"}, "en"),
    ({"TRACKER_LANG": ""}, "en"),
])
def test_language_follows_the_locale(monkeypatch, env, expected):
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert language() == expected


def zh(monkeypatch):
    monkeypatch.setenv("TRACKER_LANG", "zh")


def test_help_in_chinese_from_the_locale():
    # A fresh process, as a user runs it: LANG alone chooses Chinese.
    env = {"PATH": "/usr/bin:/bin", "HOME": "/nonexistent", "LANG": "zh_CN.UTF-8"}
    result = subprocess.run([sys.executable, "-m", "ouhai_tracker", "--help"], capture_output=True, text=True, env=env)
    assert result.returncode == 0
    assert result.stdout.startswith("用法：tracker") and "选项" in result.stdout and "命令" in result.stdout
    assert "Track the commitments" not in result.stdout and "Show this message" not in result.stdout


def test_command_help_in_chinese(runner, monkeypatch):
    zh(monkeypatch)
    out = runner.invoke(app, ["due", "--help"]).stdout
    assert out.startswith("用法：tracker due") and "示例" in out and "Example" not in out
    assert _("Show this message and exit.") in out and _("Show this message and exit.") != "Show this message and exit."


def test_help_stays_english_by_default(runner):
    out = runner.invoke(app, ["due", "--help"]).stdout
    assert out.startswith("Usage: tracker due") and "Example: tracker due" in out


def test_due_in_chinese(runner, imported, monkeypatch):
    zh(monkeypatch)
    out = runner.invoke(app, ["due", "--as-of", "2024-01-01", "--all"]).stdout
    for heading in ("Due", "Owner", "Commitment"):
        assert _(heading) in out and _(heading) != heading
    assert "Due, as of" not in out and _("Due, as of {day}").format(day="2024-01-01") in out


def test_usage_errors_in_chinese(runner, monkeypatch):
    zh(monkeypatch)
    result = runner.invoke(app, ["list", "--no-such"])
    assert result.exit_code == 2
    assert result.stderr.startswith(_("tracker: error: ")) and "--no-such" in result.stderr
    assert "No such option" not in result.stderr


def test_import_summary_in_chinese(runner, db, letters_dir, monkeypatch):
    zh(monkeypatch)
    out = runner.invoke(app, ["import", str(letters_dir)]).stdout
    assert out.splitlines()[-1] == _("{n} files").format(n=2) + f": 2 {_('added')}"


def test_report_headings_in_chinese(runner, imported, monkeypatch):
    zh(monkeypatch)
    page = runner.invoke(app, ["report", "--format", "html"]).stdout
    for heading in ("Scorecard by department", "Timeline of due dates", "Commitments report"):
        assert _(heading) in page and _(heading) != heading
    assert "Scorecard by department" not in page
