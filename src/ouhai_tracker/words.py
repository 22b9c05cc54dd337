"""Stored words in the user's language, and the user's words back to stored ones.

What the store keeps is English and stays so (scripts and the JSON read it): the rule that chose an
owner or a deadline ("vague (近期): letter date + 3 months"), a history line's action and field, a
change's command, the values of a status or an outcome. A person reads them here in their language;
and a person may type a value in Chinese (`rate --outcome 已兑现`, `--status 未办结`), which
``from_words`` takes back to the stored word. One Chinese word for one thing: the catalog's.
"""
from __future__ import annotations

import functools
import re
from typing import overload

from ouhai_tracker.errors import BadOption
from ouhai_tracker.i18n import N_, _, language

# The extraction's rules, as it words them (extract/), most particular first; each group's value
# is put back into the translated pattern, itself read as a rule when it is one (``rule``).
RULES = (
    (r"conditional: no date until the condition is met", N_("conditional: no date until the condition is met")),
    (r"no date: letter date \+ (?P<n>\d+) months \(the next session's review\)",
     N_("no date: letter date + {n} months (the next session's review)")),
    (r"vague \((?P<cue>[^)]*)\): letter date \+ (?P<n>\d+) months", N_("vague ({cue}): letter date + {n} months")),
    (r"recurring \((?P<period>[^)]*)\): end of the current period", N_("recurring ({period}): end of the current period")),
    (r"no letter date found: (?P<source>.+)", N_("no letter date found: {source}")),
    (r"a starting point, not a deadline", N_("a starting point, not a deadline")),
    (r"end of the letter's month", N_("end of the letter's month")),
    (r"end of the current (?P<period>[\w-]+)", N_("end of the current {period}")),
    (r"letter date \+ (?P<n>\d+) months", N_("letter date + {n} months")),
    (r"letter date \+ (?P<span>.+)", N_("letter date + {span}")),
    (r"range ends (?P<year>\d+): (?P<rule>.+)", N_("range ends {year}: {rule}")),
    (r"end of (?P<what>.+) \(explicit year\)", N_("end of {what} (explicit year)")),
    (r"end of Q(?P<q>\d) (?P<year>\d+)", N_("end of Q{q} {year}")),
    (r"end of (?P<what>.+)", N_("end of {what}")),
    (r"term starts (?P<day>.+)", N_("term starts {day}")),
    (r"that day", N_("that day")),
    (r"set by hand on (?P<day>.+)", N_("set by hand on {day}")),
    (r"set by hand", N_("set by hand")),
    (r"from (?P<file>.+)", N_("from {file}")),  # an import's history note
    (r"subject", N_("subject")),
    (r"speaker(?: \((?P<who>[^)]*)\))?", N_("speaker {who}")),
    (r"replying unit", N_("replying unit")),
    (r"context", N_("context")),
    (r"none", N_("none")),
    (r"(?P<written>[^:=]+) = (?P<rule>.+)", N_("{written} = {rule}")),
    (r"(?P<written>[^:]+): (?P<rule>.+)", N_("{written}: {rule}")),
)
# The notes `tracker docs merge` writes in commitments' histories (stored in English, as imports' are).
MERGE_NOTES = (
    (r"letter #(?P<other>\d+) merged into #(?P<keep>\d+): #(?P<id>\d+) is the same promise",
     N_("letter #{other} merged into #{keep}: #{id} is the same promise")),
    (r"the same promise as #(?P<id>\d+): letter #(?P<other>\d+) merged into #(?P<keep>\d+)",
     N_("the same promise as #{id}: letter #{other} merged into #{keep}")),
    (r"not in the newer version: letter #(?P<other>\d+) merged into #(?P<keep>\d+)",
     N_("not in the newer version: letter #{other} merged into #{keep}")),
)
PERIODS = {"period": N_("period"), "year": N_("year"), "half-year": N_("half-year"), "quarter": N_("quarter"), "month": N_("month"),
           "week": N_("week"), "term": N_("term"), "unspecified": N_("unspecified period")}
# A history line's action, and the fields a change touches.
ACTIONS = {"imported": N_("imported"), "done": N_("done"), "reopened": N_("reopened"), "edited": N_("edited"),
           "noted": N_("noted"), "rated": N_("rated"), "reviewed": N_("reviewed"), "deleted": N_("deleted"),
           "undeleted": N_("restored"), "withdrawn": N_("withdrawn"), "merged": N_("merged"), "undone": N_("undone"),
           "updated": N_("updated"), "reinstated": N_("reinstated"), "period done": N_("period done")}
FIELDS = {"due": N_("due date"), "owner": N_("owner"), "status": N_("status"), "outcome": N_("outcome"),
          "review": N_("review"), "text": N_("text"), "due_kind": N_("due kind"), "partners": N_("partners")}
# The commands a change was made by (`tracker undo --list`).
COMMANDS = {"done": N_("mark done"), "reopen": N_("reopen"), "edit": N_("edit"), "delete": N_("delete"),
            "restore": N_("restore"), "rate": N_("rate"), "review": N_("review"), "feedback": N_("members' rating"),
            "config set": N_("set a setting"), "config unset": N_("unset a setting"), "depts alias": N_("add an alias"),
            "depts merge": N_("merge departments"), "docs merge": N_("merge letters"), "undo": N_("undo"), "accept": N_("accept"), "reject": N_("reject"),
            "correct": N_("correct")}


def rule(text: str | None) -> str | None:
    """An extraction rule in the user's language (itself in English, or when no pattern fits)."""
    if not text or language_is_english():
        return text
    return _rule(text)


@functools.cache
def _rule(text: str) -> str:
    for pattern, msgid in _compiled():
        found = pattern.fullmatch(text)
        if found:
            values = {k: v or "" for k, v in found.groupdict().items()}
            if "rule" in values:
                values["rule"] = _rule(values["rule"])
            if "period" in values:
                values["period"] = period(values["period"])
            return _(msgid).format(**values).strip()
    return text


@functools.cache
def _compiled() -> tuple:
    return tuple((re.compile(pattern), msgid) for pattern, msgid in RULES)


def note(text: str | None) -> str | None:
    """A history line's note in the user's language when the tracker wrote it (a merge's), else as written."""
    if not text or language_is_english():
        return text
    for pattern, msgid in MERGE_NOTES:
        found = re.fullmatch(pattern, text)
        if found:
            return _(msgid).format(**found.groupdict())
    return text


def language_is_english() -> bool:
    from ouhai_tracker import i18n

    return (i18n._chosen or language()) == "en"


def period(name: str | None) -> str:
    return _(PERIODS[name]) if name in PERIODS else (name or "")


def action(name: str) -> str:
    return _(ACTIONS[name]) if name in ACTIONS else name


def field(name: str | None) -> str:
    """A field's name in the user's language (in English: the stored name)."""
    return _(FIELDS[name]) if name in FIELDS and not language_is_english() else (name or "")


def command(name: str) -> str:
    """A command as the user's language names it (in English: as typed)."""
    return _(COMMANDS[name]) if name in COMMANDS and not language_is_english() else name


def value(word: str | None) -> str | None:
    """A stored value (a status, an outcome, a kind …) in the user's language."""
    return _(word) if word else word


def choices(values) -> str:
    """The values an option takes, for an error: in Chinese, each with what it means (open（未办结）)."""
    if language_is_english():
        return ", ".join(values)
    return "、".join(f"{v}（{_(v)}）" if _(v) != v else v for v in values)


@overload
def from_words(word: str, values) -> str: ...
@overload
def from_words(word: None, values) -> None: ...
def from_words(word: str | None, values) -> str | None:
    """What a person typed, as the stored value: the value itself, or its Chinese name (已兑现 ->
    kept), whatever the interface's language. Anything else is returned as it is (to be refused)."""
    if word is None:
        return None
    typed = word.strip()
    if typed in values:
        return typed
    from ouhai_tracker.i18n import _catalog

    chinese = _catalog("zh")
    for v in values:
        names = {chinese.gettext(v), chinese.gettext(v.replace("-", " "))}
        if typed in names - {v, v.replace("-", " ")}:
            return v
    return typed


def target(text: str) -> str:
    """What a change was made on (#3 accept, #2 partly-kept, class.B 正在解决): ids and names as they
    are, the words of a verdict or an outcome in the user's language."""
    if language_is_english():
        return text
    return " ".join(command(word) if word in COMMANDS else (value(word) or word) if _(word) != word else word
                    for word in text.split(" "))


def one_line_value(value: str, what: str) -> None:
    """A name or a setting is one line: a line break (or another control character) stored in
    one would pass for a line of its own in every listing, CSV and report."""
    if any(ch in value for ch in "\r\n\v\f\x1c\x1d\x1e\x85\u2028\u2029") or any(
            ord(ch) < 32 and ch != "\t" for ch in value):
        raise BadOption(_("bad {what} {value!r}: a line break or control character; give one line").format(
            what=what, value=value))
