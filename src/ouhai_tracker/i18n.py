"""The interface's language: English, or Chinese where the locale or TRACKER_LANG asks for it.

Messages are written in English in the code and looked up, when they are shown, in the gettext
catalog kept in the package (locale/zh/LC_MESSAGES/tracker.po, compiled to tracker.mo by
scripts/compile_catalog.py). The language is read from the environment when each command starts,
so one process (a test run) can show both. Help texts are translated when help is printed (cli.py), so
they stay plain English strings in the code.
"""
from __future__ import annotations

import functools
import gettext
import os
import re
from pathlib import Path

DOMAIN = "tracker"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"


def language() -> str:
    """zh or en: TRACKER_LANG when set, else the first of LANGUAGE, LC_ALL, LC_MESSAGES, LANG
    that is set (as gettext reads them); English unless that names Chinese."""
    for name in ("TRACKER_LANG", "LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(name, "").strip().lower()
        if value:
            return "zh" if value.startswith("zh") else "en"
    return "en"


_chosen: str | None = None  # set by the command line for the length of a command (choose)


def choose(lang: str | None) -> None:
    """Fix the language for what follows (the command line does, once per command: a table of
    thousands of rows then looks its words up without reading the environment each time);
    None goes back to reading it at each lookup."""
    global _chosen
    _chosen = lang


@functools.cache
def _catalog(lang: str) -> gettext.NullTranslations:
    return gettext.translation(DOMAIN, LOCALE_DIR, languages=[lang], fallback=True)


def _(message: str) -> str:
    """``message`` in the user's language (itself when there is no translation)."""
    lang = _chosen or language()
    return _catalog(lang).gettext(message) if message and lang != "en" else message


def N_(message: str) -> str:
    """Marks a message for the catalog where it is translated later, when it is shown."""
    return message


# Messages that carry a value, as the underlying library or the stored data word them
# ("No such option: --x", "page field 发布机构"): translated by matching the English pattern and
# putting the values back.
PATTERNS = (
    N_("No such option: {option}"),
    N_("No such command {name}."),
    N_("Missing argument {name}."),
    N_("Missing option {name}."),
    N_("Option {name} requires an argument."),
    N_("Invalid value for {name}: {reason}"),
    N_("Got unexpected extra argument {names}"),
    N_("Got unexpected extra arguments {names}"),
    N_("Got unexpected extra argument(s) {names}"),
    N_("page field {label}"),
    N_("{unit} inferred from the thanks for {field}"),
    N_("No such command {name}. Did you mean {suggestion}?"),
    N_("stored as a new letter: the letter stored under the same file name, {name}, answers another proposal "
       "(or is another unit's reply); both are kept"),
    N_("cannot read this folder ({reason})"),
    N_("stored as a new letter, though it may be {name}: nothing tells whether they are one letter; both are kept "
       "(`tracker docs merge` makes them one)"),
    N_("too large: {reason}; is it really a reply letter?"),
    N_("its streams unpack to more than {size} MB"),
    N_("its pages draw more than {size} MB of contents"),
    N_("it draws more than {count} characters on a page"),
    N_("it draws more than {count} characters"),
    # why a file was not read or stored (readers/, importer.py), the longer of two alike first
    N_("{what}, which the tracker cannot read; {todo}"),
    N_("a damaged ZIP/.docx file ({reason}); save it again as .docx"),
    N_("cannot read the Word file (damaged?): {reason}; save it again as .docx"),
    N_("cannot read the Word file (damaged?): {reason}"),
    N_("the Word file unpacks to {size} MB, over the {most} MB limit for a letter; is it really a reply letter?"),
    N_("the Word file holds {count} parts, over the {most} a letter could need; is it really a reply letter?"),
    N_("starts with a {encoding} byte-order mark but does not decode as that; cannot tell the encoding. "
       "Save it as UTF-8 text."),
    N_("cannot read ({reason})"),
    N_("no text in it ({kind})"),
    N_("not a readable web page ({reason}); save the letter as text and import that"),
    N_("cannot read the PDF ({reason}); if it is encrypted, save an unprotected copy"),
    N_("file is {size} MB, over the {most} MB limit for a letter; is it really a reply letter?"),
    N_("took longer than {seconds} s to read (--file-timeout); is it really a reply letter?"),
    N_("took longer than {seconds} s to read (--file-timeout)"),
    N_("the process reading it stopped ({reason}); please report this file"),
    N_("could not read it ({reason}); please report this file"),
    N_("extraction failed ({reason}); please report this letter"),
    N_("{reason} (`tracker import --force` stores it anyway)"),
    N_("could not store it ({reason}); nothing of it was kept"),
    N_("a broken link (its target {target} does not exist)"),
    N_("cannot read it ({reason})"),
    N_("{what}, not a letter file; not read"),
)
# The values of a pattern that are themselves messages (a reason, what a file is, what to do).
MESSAGE_VALUES = ("reason", "what", "todo")


@functools.cache
def _pattern(msgid: str) -> re.Pattern:
    parts = re.split(r"\{(\w+)\}", msgid)
    regex = "".join(f"(?P<{p}>.+?)" if i % 2 else re.escape(p) for i, p in enumerate(parts))
    return re.compile(regex + r"(?P<rest>(?: \(.*)?)$", re.S)


def translate_message(message: str) -> str:
    """A library's message in the user's language: a known message whole, or a known pattern
    with its values kept (anything the pattern does not cover, such as a hint, stays as it is)."""
    if (_chosen or language()) == "en":
        return message
    whole = _(message)
    if whole != message:
        return whole
    for msgid in PATTERNS:
        match = _pattern(msgid).match(message)
        if match:
            values = match.groupdict()
            rest = values.pop("rest")
            values = {k: translate_message(v) if k in MESSAGE_VALUES else v for k, v in values.items()}
            return _(msgid).format(**values) + rest
    if "; " in message:  # a list of reasons (no proposal …; no answer …): each in its own words
        return "；".join(translate_message(part) for part in message.split("; "))
    return message
