"""Every word the tracker prints goes through the translation function: a scan of the code that
prints (the CLI, the renderers, the service's errors) for English text handed to an output or an
error without _() (or N_(), looked up when shown)."""
from __future__ import annotations

import ast
import re
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "src" / "ouhai_tracker"
# The modules that print, and those whose errors a person reads.
SCANNED = ["cli.py", "tracker.py", "review.py", "importer.py", "outputs.py", "dates.py", "words.py",
           "render/*.py", "followup/*.py", "store/*.py", "evidence/*.py", "readers/*.py"]
# What prints or reaches a person: the output calls, and the errors whose message is shown.
OUTPUTS = {"echo", "secho", "print", "prompt", "confirm", "BadParameter", "add_column", "add_row", "add_task", "Text",
           "Panel", "rule", "_error", "TrackerError", "DatabaseError", "NotFound", "BadInput", "BadOption", "Exit", "Abort",
           "SystemExit", "warn", "write", "ReadError", "UnsupportedFile"}
# Messages kept as data and translated when shown (i18n.translate_message): an import's reasons.
MESSAGE_FIELDS = {"reason", "warning"}
MARKERS = {"_", "N_", "translate_message"}
WORD = re.compile(r"[A-Za-z]{2,}")
# Text that stays as it is, whatever the language: the program's name and version, and words
# scripts read (JSON keys, column names, file formats) or that are not words (URLs, placeholders).
ALLOWED = {
    "tracker {}",  # --version: the program's name
}


def _called(node: ast.Call) -> str | None:
    func = node.func
    return func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else None


def _text(node: ast.AST) -> str | None:
    """The English a node writes itself (its literal parts; {} for what is filled in), or None
    when it writes none: a name, a call's result, a marked message."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(v.value if isinstance(v, ast.Constant) else "{}" for v in node.values)
    if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Mod)):
        parts = [_text(node.left), _text(node.right)]
        return "".join(p if p is not None else "{}" for p in parts) if any(p is not None for p in parts) else None
    if isinstance(node, ast.Call):
        if _called(node) in MARKERS:
            return None
        if isinstance(node.func, ast.Attribute) and node.func.attr in ("format", "join", "strip"):
            return _text(node.func.value)
    if isinstance(node, ast.IfExp):
        parts = [_text(node.body), _text(node.orelse)]
        return " | ".join(p for p in parts if p is not None) or None
    return None


def untranslated() -> list[str]:
    found = []
    for pattern in SCANNED:
        for path in sorted(PACKAGE.glob(pattern)):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                if isinstance(node, ast.Assign) and any(isinstance(t, ast.Attribute) and t.attr in MESSAGE_FIELDS
                                                        for t in node.targets):
                    arguments = [node.value]
                elif isinstance(node, ast.Call):
                    arguments = [k.value for k in node.keywords if k.arg in MESSAGE_FIELDS]
                    if _called(node) in OUTPUTS:
                        arguments += [*node.args, *(k.value for k in node.keywords
                                                    if k.arg in ("title", "header", "help", "text"))]
                else:
                    continue
                for argument in arguments:
                    text = _text(argument)
                    if text is not None and WORD.search(text) and text not in ALLOWED:
                        found.append((str(path.relative_to(PACKAGE)), node.lineno, text))
    return [f"{path}:{line}: {text!r}" for path, line, text in sorted(found)]


# Tables translate their column names when they draw them (_(name)): each must be a marked message.
HEADING_CALLS = {"_table", "Column", "grid_print"}


def marked() -> set[str]:
    """The messages marked for the catalog (what scripts/catalog.py collects): _("…") and N_("…")."""
    found = set()
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and _called(node) in MARKERS and node.args \
                    and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str):
                found.add(node.args[0].value)
    return found


def unmarked_headings() -> list[str]:
    known, found = marked(), []
    for path in sorted(PACKAGE.glob("render/*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and _called(node) in HEADING_CALLS):
                continue
            for argument in node.args:
                items = argument.elts if isinstance(argument, (ast.List, ast.Tuple)) else [argument]
                for item in items:
                    if isinstance(item, ast.Constant) and isinstance(item.value, str) and WORD.search(item.value) \
                            and item.value not in known:
                        found.append(f"{path.relative_to(PACKAGE)}:{node.lineno}: {item.value!r}")
    return found


def test_every_message_goes_through_the_translation_function():
    assert untranslated() == []


def unreadable_patterns() -> list[str]:
    """N_("… {value} …").format(…): a message kept as data with its values filled in, translated
    when shown only if i18n.PATTERNS has its English (to read the values back)."""
    from ouhai_tracker.i18n import PATTERNS

    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "format" \
                    and isinstance(node.func.value, ast.Call) and _called(node.func.value) == "N_":
                template = node.func.value.args[0]
                if isinstance(template, ast.Constant) and template.value not in PATTERNS:
                    found.append(f"{path.relative_to(PACKAGE)}:{node.lineno}: {template.value!r}")
    return found


def test_a_message_kept_with_its_values_can_be_read_back():
    assert unreadable_patterns() == []


def test_every_column_name_is_in_the_catalog():
    assert unmarked_headings() == []


def test_the_scan_finds_what_bypasses_it(tmp_path, monkeypatch):
    # The scan itself: an English message handed to an output, an error or a table unmarked is found.
    (tmp_path / "render").mkdir()
    (tmp_path / "cli.py").write_text('import typer\nfrom x import _\n'
                                     'typer.echo(f"wrote {n} files")\ntyper.echo(_("wrote {n} files"))\n'
                                     'raise BadOption("bad value " + value)\nresult.reason = f"took {n} s"\n'
                                     'r = N_("took {n} s").format(n=n)\n', encoding="utf-8")
    (tmp_path / "render" / "x.py").write_text('N_("ID")\n_table("Later sentence", "ID")\n', encoding="utf-8")
    monkeypatch.setattr(__import__(__name__), "PACKAGE", tmp_path)
    assert untranslated() == ["cli.py:3: 'wrote {} files'", "cli.py:5: 'bad value {}'", "cli.py:6: 'took {} s'"]
    assert unreadable_patterns() == ["cli.py:7: 'took {n} s'"]
    assert unmarked_headings() == ["render/x.py:2: 'Later sentence'"]


def test_why_a_file_was_not_read_is_said_in_chinese(runner, tmp_path, monkeypatch):
    from ouhai_tracker.cli import app

    folder = tmp_path / "letters"
    folder.mkdir()
    (folder / "empty.txt").write_bytes(b"")
    (folder / "scan.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 16)
    monkeypatch.setenv("TRACKER_LANG", "zh")
    result = runner.invoke(app, ["--db", str(tmp_path / "t.db"), "import", str(folder)])
    assert result.exit_code == 1
    assert "empty.txt: 失败: 空文件" in result.stderr
    assert "scan.txt: 失败: PNG 图片，tracker 无法读取；请做 OCR 文字识别，并将文字另存为 .txt" in result.stderr
    # JSON, for scripts, stays English in any language
    result = runner.invoke(app, ["--db", str(tmp_path / "t.db"), "import", "--json", str(folder)])
    assert "a PNG image, which the tracker cannot read; run OCR on it" in result.stdout
