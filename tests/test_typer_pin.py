"""The CLI reads typer's internals (typer._click's exceptions, typer.core's gettext, click's
wrap_text): the typer it runs on is the one pyproject.toml pins, which is the one CI tests."""
from __future__ import annotations

import re
import tomllib
from importlib.metadata import version
from pathlib import Path

PYPROJECT = Path(__file__).resolve().parent.parent / "pyproject.toml"


def test_typer_is_pinned_to_one_version_and_that_one_is_installed():
    dependencies = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["project"]["dependencies"]
    typer = [d for d in dependencies if re.match(r"typer\b", d)]
    assert len(typer) == 1 and (pin := re.fullmatch(r"typer==(\d+\.\d+\.\d+)", typer[0])), typer
    assert version("typer") == pin.group(1)


def test_the_internals_the_cli_uses_are_there():
    import typer.core
    from typer._click import formatting
    from typer._click.exceptions import ClickException, NoArgsIsHelpError, UsageError

    assert issubclass(UsageError, ClickException) and issubclass(NoArgsIsHelpError, UsageError)
    assert callable(formatting.wrap_text) and hasattr(typer.core, "_")
