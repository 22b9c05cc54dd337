"""The Chinese catalog: which messages it lacks, and its compiled form.

    python scripts/catalog.py missing    # the messages with no translation, as .po entries, and stale ones
    python scripts/catalog.py compile    # the .po files -> tracker.mo (stdlib only)

The messages are the strings passed to _() and N_() in src/ouhai_tracker, and every
help text of the command line (the commands' docstrings and the options' help). The translations
live in locale/zh/LC_MESSAGES/*.po (split by area, one domain): all compiled into tracker.mo.
"""
from __future__ import annotations

import array
import ast
import inspect
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "ouhai_tracker"
CATALOG = PACKAGE / "locale" / "zh" / "LC_MESSAGES"
MO = CATALOG / "tracker.mo"
MARKERS = ("_", "N_")


def code_messages() -> set[str]:
    """The literal strings passed to the markers, in every module of the package."""
    found = set()
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in MARKERS:
                for arg in node.args[:1]:
                    if isinstance(arg, ast.Constant) and isinstance(arg.value, str) and arg.value:
                        found.add(arg.value)
    return found


def help_messages() -> set[str]:
    """Every help text the command line prints, as it looks them up (cleandoc'ed)."""
    import typer

    from ouhai_tracker.cli import app

    found = set()

    def walk(command):
        for text in (command.help, getattr(command, "short_help", None)):
            if text:
                found.add(inspect.cleandoc(text))
        for param in command.params:
            if getattr(param, "help", None):
                found.add(inspect.cleandoc(param.help))
        for sub in getattr(command, "commands", {}).values():
            walk(sub)

    walk(typer.main.get_command(app))
    return found


def read_po(path: Path) -> dict[str, str]:
    """msgid -> msgstr of one .po file (plain entries: no contexts, no plurals; untranslated left out)."""
    entries: dict[str, str] = {}
    entry: dict[str, list[str]] = {}
    key = None

    def flush():
        msgid, msgstr = "".join(entry.get("msgid", [])), "".join(entry.get("msgstr", []))
        if msgid and msgstr:
            entries[msgid] = msgstr

    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line.startswith("msgid "):
            flush()
            entry, key = {"msgid": [], "msgstr": []}, "msgid"
            line = line[len("msgid "):]
        elif line.startswith("msgstr "):
            key = "msgstr"
            line = line[len("msgstr "):]
        elif not line.startswith('"'):  # a comment or a blank line between entries
            continue
        entry[key].append(ast.literal_eval(line))
    flush()
    return entries


def translations() -> dict[str, str]:
    merged: dict[str, str] = {}
    for path in sorted(CATALOG.glob("*.po")):
        for msgid, msgstr in read_po(path).items():
            if msgid in merged and merged[msgid] != msgstr:
                raise SystemExit(f"{path.name}: {msgid!r} is translated twice, differently")
            merged[msgid] = msgstr
    return merged


def compiled(entries: dict[str, str]) -> bytes:
    """The GNU .mo bytes of ``entries`` (with the header that says the text is UTF-8)."""
    entries = {"": "Content-Type: text/plain; charset=UTF-8\nPlural-Forms: nplurals=1; plural=0;\n", **entries}
    keys = sorted(entries)
    ids = b"".join(k.encode() + b"\0" for k in keys)
    strs = b"".join(entries[k].encode() + b"\0" for k in keys)
    start = 7 * 4 + 16 * len(keys)
    offsets, pos_id, pos_str = [], 0, 0
    for k in keys:
        kid, kstr = len(k.encode()), len(entries[k].encode())
        offsets.append((kid, start + pos_id, kstr, start + len(ids) + pos_str))
        pos_id, pos_str = pos_id + kid + 1, pos_str + kstr + 1
    header = array.array("I", [0x950412DE, 0, len(keys), 7 * 4, 7 * 4 + 8 * len(keys), 0, 0])
    table_ids = array.array("I", [n for kid, oid, _, _ in offsets for n in (kid, oid)])
    table_strs = array.array("I", [n for _, _, kstr, ostr in offsets for n in (kstr, ostr)])
    if sys.byteorder != "little":
        for table in (header, table_ids, table_strs):
            table.byteswap()
    return header.tobytes() + table_ids.tobytes() + table_strs.tobytes() + ids + strs


def missing() -> list[str]:
    have = translations()
    return sorted((code_messages() | help_messages()) - have.keys())


def stale() -> list[str]:
    """Translations of messages the code no longer has."""
    return sorted(translations().keys() - code_messages() - help_messages())


def main(argv: list[str]) -> int:
    if argv[:1] == ["compile"]:
        MO.write_bytes(compiled(translations()))
        print(f"wrote {MO.relative_to(ROOT)}")
        return 0
    if argv[:1] == ["missing"]:
        lacking = missing()
        for msgid in lacking:  # as .po entries, ready to translate
            print(f"msgid {json.dumps(msgid, ensure_ascii=False)}\nmsgstr \"\"\n")
        for msgid in stale():
            print(f"# no longer in the code: {json.dumps(msgid, ensure_ascii=False)}")
        return 1 if lacking or stale() else 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
