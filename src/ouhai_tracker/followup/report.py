"""Reports for the annual review (回头看): a scorecard per department, a timeline of due dates,
the overdue list, the letters members want answered again, and each letter with its promises;
with a department asked for, that department's sheet (its summary line, then every promise
grouped by what became of it).

``build_report`` gathers plain data; ``markdown`` and ``html_report`` write it out (a Word
document: followup/word.py). The HTML is one self-contained file: inline CSS, charts drawn here
as inline SVG, no script, no web font, nothing fetched; it prints (header rows repeat on each
page, no heading left at a page foot) and reads on a phone (tables become one card a row, charts
shrink to the screen). Every piece of letter text goes through ``html.escape``.

Overdue is counted apart by where its date came from: written in the letter, or inferred by a
default rule (下一步: letter date + 12 months; 近期: + 3 months). Only the first is a date the
department gave.
"""
from __future__ import annotations

import functools
import html
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date

from ouhai_tracker.extract.model import CONDITIONAL, RECURRING
from ouhai_tracker.extract.rules.letters import CN_NUMERALS
from ouhai_tracker.i18n import N_, _
from ouhai_tracker.store.states import BROKEN, IN_THE_WORKS, KEPT, NOT_YET_RATED, OUTCOMES, PARTLY_KEPT, STALLED

# Scorecard columns, in the order a reader asks: how many, how many kept, what is late, what is unknown.
OUTCOME_LABELS = {KEPT: N_("kept"), PARTLY_KEPT: N_("partly kept"), IN_THE_WORKS: N_("in the works"),
                  STALLED: N_("stalled"), BROKEN: N_("broken"), NOT_YET_RATED: N_("not yet rated")}
OUTCOME_COLOURS = {KEPT: "#2e7d32", PARTLY_KEPT: "#9ccc65", IN_THE_WORKS: "#1e88e5", STALLED: "#fb8c00",
                   BROKEN: "#c62828", NOT_YET_RATED: "#b0bec5"}
# (heading, key) of the scorecard's columns after the department's name.
SCORECARD_COLUMNS = ((N_("Promised"), "promised"), (N_("Kept"), "kept"), (N_("Partly kept"), "partly_kept"),
                     (N_("In the works"), "in_the_works"), (N_("Stalled"), "stalled"), (N_("Broken"), "broken"),
                     (N_("Not yet rated"), "not_yet_rated"), (N_("Overdue, date written"), "overdue_written"),
                     (N_("Overdue, date inferred"), "overdue_inferred"), (N_("Conditional"), "conditional"),
                     (N_("Promised again"), "repeated"), (N_("Links to review"), "proposed_links"))
SCORECARD_HEADS = (N_("Department"), *(head for head, _key in SCORECARD_COLUMNS))
BAR_ORDER = (KEPT, PARTLY_KEPT, IN_THE_WORKS, STALLED, BROKEN, NOT_YET_RATED)  # good news first
TIMELINE_PARTS = ((N_("kept"), "kept", "#2e7d32"), (N_("open"), "open", "#1e88e5"),
                  (N_("overdue, date written"), "overdue_written", "#c62828"),
                  (N_("overdue, date inferred"), "overdue_inferred", "#ef9a9a"))
CHART_ROWS = 30  # departments in the scorecard's chart; the table has them all

# A department's sheet: every promise in the first group it belongs to, in this order.
GROUPS = (("kept", N_("Kept")), ("partly-kept", N_("Partly kept")), ("broken", N_("Broken")),
          ("overdue-written", N_("Overdue, by a date the letter wrote")),
          ("overdue-inferred", N_("Overdue, by a date inferred (not written in the letter)")),
          ("conditional", N_("Waiting on a condition")), ("open", N_("Open, not yet due")))


@dataclass
class Row:
    department: str
    short: str
    promised: int = 0
    overdue: int = 0
    overdue_inferred: int = 0  # of the overdue, those whose date no letter wrote (a default rule's)
    conditional: int = 0
    kept_late: int = 0
    repeated: int = 0  # promised again in a later document (accepted links)
    proposed: int = 0  # links of later documents nobody has reviewed yet
    outcomes: Counter = field(default_factory=Counter)
    letters: dict = field(default_factory=dict)  # the letters of its promises: {id: title}, in order

    def to_dict(self) -> dict:
        return {"department": self.department, "short": self.short, "promised": self.promised,
                "kept": self.outcomes[KEPT], "partly_kept": self.outcomes[PARTLY_KEPT],
                "in_the_works": self.outcomes[IN_THE_WORKS], "stalled": self.outcomes[STALLED],
                "broken": self.outcomes[BROKEN], "not_yet_rated": self.outcomes[NOT_YET_RATED],
                "overdue": self.overdue, "overdue_written": self.overdue - self.overdue_inferred,
                "overdue_inferred": self.overdue_inferred,
                "conditional": self.conditional, "kept_late": self.kept_late,
                "repeated": self.repeated, "proposed_links": self.proposed,
                "outcomes": {o: self.outcomes[o] for o in OUTCOMES},
                "letters": [{"id": i, "title": t} for i, t in self.letters.items()]}


def overdue_part(r: dict) -> str | None:
    """overdue_written, overdue_inferred, or None for a commitment not overdue."""
    if r["schedule"] != "overdue":
        return None
    return "overdue_inferred" if r["due_inferred"] else "overdue_written"


def group_of(r: dict) -> str:
    """The group of a department's sheet a commitment is listed in (GROUPS)."""
    if r["outcome"] == KEPT or r["status"] == "done":
        return "kept"
    if r["outcome"] in (PARTLY_KEPT, BROKEN):
        return r["outcome"]
    part = overdue_part(r)
    if part:
        return part.replace("_", "-")
    return "conditional" if r["due_kind"] == CONDITIONAL else "open"


def scorecard_report(rows: list[dict], links: list[dict] | None, today: date) -> dict:
    """The scorecard alone (what `tracker stats` shows), as build_report gives it: the day, how
    many are not yet reviewed, a row per department and their total."""
    ordered, total, _evidence = tally(rows, links)
    return {"as_of": today.isoformat(), "unreviewed": sum(r["review"] == "unreviewed" for r in rows),
            "scorecard": [row.to_dict() for row in ordered], "total": total.to_dict()}


def tally(rows: list[dict], links: list[dict] | None) -> tuple[list[Row], Row, list[dict]]:
    """The scorecard's rows (the departments with most promises first), their total, and the
    evidence of the kept promises (accepted links of later documents)."""
    scorecard: dict[str, Row] = {}
    for r in rows:
        name = r["owner"] or "(no owner)"
        row = scorecard.get(name)
        if row is None:  # (not setdefault: a Row made for each of 20,000 rows is a tenth of a second)
            row = scorecard[name] = Row(name, r["owner_short"] or name)
        row.promised += 1
        row.outcomes[r["outcome"]] += 1
        row.overdue += r["schedule"] == "overdue"
        row.overdue_inferred += overdue_part(r) == "overdue_inferred"
        row.conditional += r["due_kind"] == CONDITIONAL
        row.kept_late += r["schedule"] == "kept-late"
        row.letters.setdefault(r.get("letter_id"), r.get("letter_title"))
    by_id = {r["id"]: r for r in rows}
    evidence = []
    for link in links or []:
        if link["commitment"] not in by_id:
            continue
        r = by_id[link["commitment"]]
        row = scorecard[r["owner"] or "(no owner)"]
        if link["state"] == "proposed":
            row.proposed += 1
        elif link["state"] == "accepted" and link["outcome"] == "repeated":
            row.repeated += 1
        elif link["state"] == "accepted" and link["outcome"] in ("kept", "partly") \
                and r["outcome"] in (KEPT, PARTLY_KEPT):
            evidence.append({"id": r["id"], "owner_short": r["owner_short"], "text": r["text"],
                             "outcome": r["outcome"], "evidence": link["evidence"], "document": link["document"],
                             "document_date": link["document_date"]})
    ordered = sorted(scorecard.values(), key=lambda x: (-x.promised, x.department))
    total = Row(TOTAL, "合计")
    for row in ordered:
        total.promised += row.promised
        total.overdue += row.overdue
        total.overdue_inferred += row.overdue_inferred
        total.conditional += row.conditional
        total.kept_late += row.kept_late
        total.repeated += row.repeated
        total.proposed += row.proposed
        total.outcomes.update(row.outcomes)
    return ordered, total, evidence


def build_report(rows: list[dict], letters: list[dict], *, today: date, dept: str | None = None,
                 year: int | None = None, links: list[dict] | None = None) -> dict:
    """Everything a report shows, as plain data (also what `tracker report --format json` prints),
    from the live commitments' rows (by due date, each with its ``notes`` and ``evidence``, and
    its ``role`` when a department is asked for), their letters' rows and the links of later
    documents to them (Tracker.report reads them). The scorecard counts accepted outcomes; the
    links nobody has reviewed yet are counted apart."""
    unreviewed = sum(r["review"] == "unreviewed" for r in rows)
    ordered, total, evidence = tally(rows, links)

    timeline: dict[str, Counter] = defaultdict(Counter)
    for r in rows:
        if r["due"]:
            part = ("kept" if r["schedule"] in ("kept-on-time", "kept-late", "kept")
                    else overdue_part(r) or "open")
            timeline[r["due"][:7]][part] += 1
    overdue = [{**r, "days_overdue": (today - date.fromisoformat(r["due"])).days}
               for r in rows if r["schedule"] == "overdue"]
    overdue.sort(key=lambda r: (-r["days_overdue"], r["id"]))
    classes = Counter(d["class_mark"] or "—" for d in letters)
    ratings = Counter(d["feedback"] or "not rated" for d in letters)
    in_letter: dict = defaultdict(list)
    for r in sorted(rows, key=lambda r: (r["start"] or 0, r["id"])):
        in_letter[r.get("letter_id")].append(r)
    report = {
        "as_of": today.isoformat(), "dept": dept, "year": year,
        "letters": len(letters), "unreviewed": unreviewed,
        "scorecard": [row.to_dict() for row in ordered], "total": total.to_dict(),
        "timeline": [{"month": month, **{key: timeline[month][key] for _label, key, _colour in TIMELINE_PARTS},
                      "overdue": timeline[month]["overdue_written"] + timeline[month]["overdue_inferred"]}
                     for month in _months(timeline)],
        "undated": sum(1 for r in rows if not r["due"]),
        "overdue": overdue,
        "second_reply": [d for d in letters if d["second_reply"]],
        "classes": [{"mark": m, "letters": n,
                     "meaning": next((d["class_meaning"] for d in letters if (d["class_mark"] or "—") == m), None)}
                    for m, n in sorted(classes.items())],
        "feedback": dict(sorted(ratings.items())),
        "letter_sections": [{**d, "promises": in_letter.get(d["id"], [])} for d in letters],
        "sheet": department_sheet(rows, dept) if dept else None,
        "evidence": sorted(evidence, key=lambda e: (e["id"], e["document"])),
        "proposed_links": total.proposed,
    }
    return report


def department_sheet(rows: list[dict], dept: str) -> dict:
    """A department's accountability sheet: the counts of its summary line, then its promises by group."""
    groups: dict[str, list[dict]] = {key: [] for key, _label in GROUPS}
    for r in rows:
        groups[group_of(r)].append(r)
    counts = {key: len(found) for key, found in groups.items()}
    counts["promised"] = len(rows)
    counts["owned"] = sum(r.get("role") != "partner" for r in rows)
    return {"department": dept, "counts": counts,
            "groups": [{"key": key, "promises": groups[key]} for key, _label in GROUPS]}


def summary_line(counts: dict) -> str:
    """The line a department writes at the top of its report: 承诺X项，已兑现Y项…"""
    line = _("{promised} promises ({owned} as the owner): {kept} kept, {partly} partly kept").format(
        promised=counts["promised"], owned=counts["owned"], kept=counts["kept"], partly=counts["partly-kept"])
    if counts["broken"]:
        line += _(", {n} broken").format(n=counts["broken"])
    rest = counts["overdue-written"] + counts["overdue-inferred"] + counts["conditional"] + counts["open"]
    line += _(", {rest} not yet kept: {written} overdue by a date the letter wrote, {inferred} overdue by an "
              "inferred date, {conditional} waiting on a condition, {open} not yet due.").format(
        rest=rest, written=counts["overdue-written"], inferred=counts["overdue-inferred"],
        conditional=counts["conditional"], open=counts["open"])
    return line


TOTAL = N_("合计 (all)")  # the scorecard's last row, as the JSON names it


def department_label(row: dict) -> str:
    """A scorecard row's name: the department's, or the total's in the user's language."""
    return _(TOTAL) if row["department"] == TOTAL else row["department"]


def group_label(key: str) -> str:
    return _(dict(GROUPS)[key])


def chinese_number(n: int) -> str:
    """1 -> 一, 11 -> 十一: the numbering of official headings (一、二、)."""
    if n <= 10:
        return CN_NUMERALS[n - 1]
    tens, ones = divmod(n, 10)
    return (CN_NUMERALS[tens - 1] if tens > 1 else "") + "十" + (CN_NUMERALS[ones - 1] if ones else "")


def _months(timeline: dict) -> list[str]:
    """Every month from the first due date to the last, empty ones included, so gaps show."""
    if not timeline:
        return []
    first, last = min(timeline), max(timeline)
    year, month = int(first[:4]), int(first[5:])
    months = []
    while f"{year:04d}-{month:02d}" <= last:
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def report_title(report: dict) -> str:
    if report["dept"]:
        heading = _("Commitments of {dept}: what became of them").format(dept=report["dept"])
    else:
        heading = _("Commitments report")
    if report["year"]:
        heading += " — " + _("letters of {year}").format(year=report["year"])
    return heading


# ---- words every format shares ----------------------------------------------------------------

def due_words(r: dict) -> str:
    """The due date as a reader needs it: the date and whether the letter wrote it, or the condition."""
    if r["due_kind"] == CONDITIONAL and not r["due"]:
        return _("when {condition}").format(condition=r["condition"] or "—")
    if not r["due"]:
        return _("no date")
    if r["due_inferred"]:
        return _("{day} (inferred)").format(day=r["due"])
    if r["due_kind"] == RECURRING:
        return _("{day} (this period)").format(day=r["due"])
    return r["due"]


def owner_words(r: dict) -> str:
    """The owner, and when a department was asked for and it is a partner here, that it is."""
    owner = r["owner_short"] or r["owner"] or "—"
    if r.get("role") == "partner":
        return _("{owner} (partner: {partners})").format(owner=owner, partners="、".join(r.get("matched") or []))
    return owner


def status_words(r: dict) -> str:
    return _(r["status"]) + (" · " + _(r["schedule"]) if r["schedule"] in ("overdue", "kept-late") else "")


def evidence_lines(r: dict) -> list[str]:
    """The evidence recorded for a promise, one line each: the day, the outcome it backs, the source."""
    return [" ".join(part for part in (e["on"], _(e["outcome"]) if e.get("outcome") else "", e["source"]) if part)
            for e in r.get("evidence") or []]


def note_lines(r: dict) -> list[str]:
    return [f"{n['on']} {n['note']}" for n in r.get("notes") or []]


def letter_label(d: dict) -> str:
    """A letter as readers name it: 《its title》, else its file name."""
    return f"《{d['title']}》" if d.get("title") else d.get("file") or "—"


def _short(text: str, most: int = 14) -> str:
    return text if len(text) <= most else text[:most - 1] + "…"


# ---- Markdown -------------------------------------------------------------------------------

_MD_SPECIAL = re.compile(r"([\\`\[\]|])")


def _md(value) -> str:
    """Letter text in Markdown, shown and never obeyed: HTML is escaped (a viewer would run a
    <script> or load an <img>), brackets and backticks are backslashed (no link, no
    image, no code span), and pipes and line breaks would end a table cell."""
    text = html.escape(str(value if value is not None else "—"), quote=False)
    return _MD_SPECIAL.sub(r"\\\1", text).replace("\r", " ").replace("\n", " ")


def _md_table(heads: list[str], rows: list[list[str]], numeric: int = 0) -> list[str]:
    """A Markdown table; the last ``numeric`` columns right-aligned. Cells are already escaped."""
    align = ["---"] * (len(heads) - numeric) + ["--:"] * numeric
    return ["| " + " | ".join(heads) + " |", "|" + "|".join(align) + "|",
            *("| " + " | ".join(row) + " |" for row in rows)]


def _md_in_sentence(r: dict) -> str:
    """The promise once: its sentence, the promise in bold."""
    sentence, text = r.get("sentence") or "", r["text"]
    if text and text in sentence and sentence != text:
        before, _found, after = sentence.partition(text)
        return f"{_md(before)}**{_md(text)}**{_md(after)}"
    return f"**{_md(text)}**"


def _md_promises(promises: list[dict], with_letter: bool = False) -> list[str]:
    heads = [_("ID"), _("Commitment, in its sentence"), _("Owner"), _("Due"), _("Status"), _("Outcome"),
             _("Evidence and notes")]
    if with_letter:
        heads.append(_("Letter"))
    rows = []
    for r in promises:
        row = [f"#{r['id']}", _md_in_sentence(r), _md(owner_words(r)), _md(due_words(r)), _md(status_words(r)),
               _md(_(r["outcome"])), "<br>".join(_md(line) for line in evidence_lines(r) + note_lines(r)) or "—"]
        if with_letter:
            row.append(_md(letter_label({"title": r["letter_title"], "file": r["document"]})))
        rows.append(row)
    return _md_table(heads, rows)


def markdown(report: dict) -> str:
    out = [f"# {_md(report_title(report))}", "",
           _("As of {day}. {letters} letters, {promised} commitments ({unreviewed} not yet reviewed). "
             "Withdrawn and rejected commitments are not counted.").format(
               day=report["as_of"], letters=report["letters"], promised=report["total"]["promised"],
               unreviewed=report["unreviewed"]), ""]
    number = 0

    def section(title: str) -> None:
        nonlocal number
        number += 1
        out.extend([f"## {chinese_number(number)}、{title}", ""])

    sheet = report["sheet"]
    if sheet:
        out += [_md(summary_line(sheet["counts"])), ""]
        for group in sheet["groups"]:
            if group["promises"]:
                section(f"{group_label(group['key'])}（{len(group['promises'])}）")
                out += _md_promises(group["promises"], with_letter=True) + [""]
    section(_("Scorecard"))
    heads = [_(h) for h in SCORECARD_HEADS]
    out += _md_table(heads, [[_md(department_label(row)), *(str(row[key]) for _h, key in SCORECARD_COLUMNS)]
                             for row in [*report["scorecard"], report["total"]]], numeric=len(SCORECARD_COLUMNS))
    if report["proposed_links"]:
        out += ["", _("{n} links from later documents are not reviewed yet (`tracker review --evidence`); "
                      "they are not counted above.").format(n=report["proposed_links"])]
    section(_("Timeline of due dates"))
    if report["timeline"]:
        out += _md_table([_("Month"), *(_(label) for label, _key, _colour in TIMELINE_PARTS)],
                         [[m["month"], *(str(m[key]) for _label, key, _colour in TIMELINE_PARTS)]
                          for m in report["timeline"] if any(m[key] for _l, key, _c in TIMELINE_PARTS)],
                         numeric=len(TIMELINE_PARTS))
    else:
        out.append(_("No dated commitments."))
    if report["undated"]:
        out += ["", _("{n} without a date (conditional, or waiting for one).").format(n=report["undated"])]
    if not sheet:
        for part, title in (("overdue_written", N_("Overdue, by a date the letter wrote")),
                            ("overdue_inferred", N_("Overdue, by a date inferred (not written in the letter)"))):
            overdue = [r for r in report["overdue"] if overdue_part(r) == part]
            section(f"{_(title)}（{len(overdue)}）")
            if not overdue:
                out.append(_("Nothing is overdue."))
            for r in overdue:
                out.append(_("- **#{id}** {owner}, due {due}, {days} days overdue ({outcome}): {text} — {letter}").format(
                    id=r["id"], owner=_md(r["owner_short"]), due=_md(due_words(r)), days=r["days_overdue"],
                    outcome=_md(_(r["outcome"])), text=_md_in_sentence(r),
                    letter=_md(letter_label({"title": r["letter_title"], "file": r["document"]}))))
    section(_("Letters for a second reply (rated 不满意)"))
    if not report["second_reply"]:
        out.append(_("None."))
    for d in report["second_reply"]:
        out.append(f"- {_md(letter_label(d))}, {_md(d['replying_unit'])}"
                   + (f" — {_md(d['feedback_note'])}" if d["feedback_note"] else ""))
    section(_("Letters by class mark and by members’ rating"))
    out += [f"- {_md(c['mark'])}: {c['letters']}" + (f" ({_md(c['meaning'])})" if c["meaning"] else "")
            for c in report["classes"]]
    out += [f"- {_md(_(rating))}: {n}" for rating, n in report["feedback"].items()]
    section(_("The letters, one by one"))
    for d in report["letter_sections"]:
        out += [f"### {_md(letter_label(d))}", "", _md(letter_meta(d)), ""]
        out += (_md_promises(d["promises"]) if d["promises"] else [_("No commitments counted here.")]) + [""]
    if report["evidence"] or report["proposed_links"]:  # once later documents were read
        section(_("Evidence of kept promises"))
        if not report["evidence"]:
            out.append(_("No accepted evidence yet."))
        for e in report["evidence"]:
            out += [_("- **#{id}** {owner} ({outcome}): {text}").format(
                        id=e["id"], owner=_md(e["owner_short"]), outcome=_md(_(e["outcome"])), text=_md(e["text"])),
                    f"  > {_md(e['evidence'])}", f"  — {_md(e['document'])}" + (f", {e['document_date']}"
                                                                                 if e["document_date"] else "")]
        out.append("")
    return "\n".join(out).rstrip("\n") + "\n"


def letter_meta(d: dict) -> str:
    """A letter's line under its title: unit, date, file, class mark, the members' rating."""
    parts = [d.get("replying_unit") or _("unit not named"), d.get("date") or _("date not stated"), d.get("file")]
    if d.get("class_mark"):
        parts.append(_("class {mark}").format(mark=d["class_mark"])
                     + (f"（{d['class_meaning']}）" if d.get("class_meaning") else ""))
    rating = d.get("feedback")
    parts.append(_("members’ rating: {rating}").format(rating=rating) + (f"（{d['feedback_note']}）" if d.get("feedback_note") else "")
                 if rating else _("members’ rating: not yet given"))
    return " · ".join(p for p in parts if p)


# ---- HTML -----------------------------------------------------------------------------------

def _e(value) -> str:
    return _escaped(str(value if value is not None else "—"))


@functools.lru_cache(maxsize=4096)
def _escaped(text: str) -> str:
    # A report of 20,000 promises escapes 260,000 values, most of them a name, a state or a date
    # met thousands of times before.
    return html.escape(text)


CSS = """
*{box-sizing:border-box}
body{font-family:"Noto Sans CJK SC","Source Han Sans SC","PingFang SC","Microsoft YaHei",sans-serif;
margin:24px auto;padding:0 12px;max-width:1100px;color:#222;background:#fff;line-height:1.5;
overflow-wrap:anywhere}
h1{font-size:26px;margin:0 0 4px}h2{font-size:19px;border-bottom:2px solid #eee;padding-bottom:4px;margin-top:28px}
h3{font-size:16px;margin:20px 0 4px}
h1,h2,h3{break-after:avoid;page-break-after:avoid}
.meta{color:#666;margin:0 0 16px}.summary{font-size:17px;font-weight:bold;margin:12px 0}
.tiles{display:flex;gap:12px;flex-wrap:wrap;margin:12px 0}
.tile{border:1px solid #ddd;border-radius:6px;padding:8px 14px;min-width:110px}
.tile b{display:block;font-size:26px}.tile span{color:#555;font-size:13px}
table{border-collapse:collapse;margin:8px 0;font-size:14px;width:100%}
th,td{border-bottom:1px solid #e5e5e5;padding:4px 8px;text-align:left;vertical-align:top}
th{background:#f5f5f5;word-break:keep-all;overflow-wrap:normal}
td.n,th.n{text-align:right}tr.total td{font-weight:bold;border-top:2px solid #999}
td.due.late{color:#c62828;font-weight:bold}.sentence{color:#555}.small{color:#666;font-size:13px}
a{color:#1565c0;text-decoration:none}
svg.chart{display:block;max-width:100%;height:auto}svg text{font-family:inherit}
.legend span{display:inline-block;margin-right:14px;font-size:13px}
.legend i{display:inline-block;width:11px;height:11px;margin-right:4px;vertical-align:-1px}
.keep{break-inside:avoid;page-break-inside:avoid}
thead{display:table-header-group}tr{break-inside:avoid;page-break-inside:avoid}
@media screen and (max-width:640px){
 body{margin:12px auto;padding:0 10px}h1{font-size:21px}
 .tile{min-width:0;flex:1 1 40%}
 table.cards thead{display:none}
 table.cards,table.cards tbody,table.cards tr,table.cards td{display:block;width:100%}
 table.cards tr{border:1px solid #ddd;border-radius:6px;margin:0 0 10px;padding:6px 8px}
 table.cards td{border:none;padding:2px 0;text-align:left}
 table.cards td.head{font-weight:bold}
}
@media print{
 body{margin:0;max-width:none;padding:0;font-size:12px}
 a{color:inherit}
 .tiles,.legend,svg.chart,tr{-webkit-print-color-adjust:exact;print-color-adjust:exact}
 h2{break-before:auto}
 section.letter{break-inside:auto}
}
"""


def _legend(parts) -> str:
    return '<div class="legend">' + "".join(
        f'<span><i style="background:{colour}"></i>{_e(label)}</span>' for label, colour in parts) + "</div>"


def _table(heads: list[tuple[str, str]], rows: list[str], css: str, cards: dict) -> str:
    """A table with its header row in <thead> (a printer repeats it on each page); ``heads`` are
    (label, css class). On a phone the rows become cards, each cell labelled with its heading:
    the labels go once per kind of table into ``cards`` ({css class: labels}, see _card_css),
    not into every cell (a report of 20,000 promises would carry them 150,000 times)."""
    cards[css] = [label for label, _c in heads]
    return (f'<table class="cards {css}"><thead><tr>'
            + "".join(f'<th class="{c}">{_e(label)}</th>' for label, c in heads)
            + "</tr></thead><tbody>" + "".join(rows) + "</tbody></table>")


def _card_css(cards: dict) -> str:
    """The phone's cell labels: table.KIND td:nth-child(N)::before{content:"LABEL："}."""
    def quoted(text: str) -> str:
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("<", "\\3c ") + '："'

    return "@media screen and (max-width:640px){" + "".join(
        f"table.{css} td:nth-child({i})::before{{content:{quoted(label)};color:#666}}"
        for css, labels in cards.items() for i, label in enumerate(labels, 1)) + "}"


def _td(content: str, css: str = "") -> str:
    """A cell; ``content`` is HTML already escaped."""
    return f'<td class="{css}">{content}</td>' if css else f"<td>{content}</td>"


def scorecard_svg(rows: list[dict], width: int = 1000) -> str:
    """One horizontal bar per department, split by outcome; bar length is the number promised."""
    label_w, bar_h, gap, top = 190, 22, 10, 8
    rows = rows[:CHART_ROWS]
    height = top * 2 + len(rows) * (bar_h + gap) + 4
    most = max((r["promised"] for r in rows), default=0) or 1
    scale = (width - label_w - 150) / most  # room for the count and overdue after the longest bar
    parts = [f'<svg class="chart" id="scorecard-chart" xmlns="http://www.w3.org/2000/svg" width="{width}" '
             f'height="{height}" viewBox="0 0 {width} {height}" role="img" aria-label="{_e(_("Outcomes by department"))}">']
    for i, row in enumerate(rows):
        y = top + i * (bar_h + gap)
        parts.append(f'<text x="{label_w - 8}" y="{y + bar_h - 6}" text-anchor="end" font-size="14">'
                     f'{_e(_short(row["short"]))}</text>')
        x = float(label_w)
        for outcome in BAR_ORDER:
            n = row["outcomes"][outcome]
            if not n:
                continue
            w = n * scale
            parts.append(f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="{bar_h}" fill="{OUTCOME_COLOURS[outcome]}">'
                         f'<title>{_e(row["department"])}: {n} {_e(_(OUTCOME_LABELS[outcome]))}</title></rect>')
            x += w
        parts.append(f'<text x="{x + 6:.1f}" y="{y + bar_h - 6}" font-size="13" fill="#444">{row["promised"]}'
                     + (" · " + _e(_("{n} overdue").format(n=row["overdue"])) if row["overdue"] else "") + "</text>")
    parts.append("</svg>")
    return "".join(parts)


def timeline_svg(months: list[dict], as_of: str, width: int = 1000, height: int = 260) -> str:
    """Due dates by month as stacked columns (kept / open / overdue written / overdue inferred),
    with a line at the as-of month; labelled every so many months, whatever the span."""
    left, bottom, top = 40, 40, 14
    plot_h = height - bottom - top
    count = max(len(months), 1)
    step = (width - left - 10) / count
    most = max((sum(m[key] for _l, key, _c in TIMELINE_PARTS) for m in months), default=0) or 1
    unit = plot_h / most
    parts = [f'<svg class="chart" id="timeline-chart" xmlns="http://www.w3.org/2000/svg" width="{width}" '
             f'height="{height}" viewBox="0 0 {width} {height}" role="img" aria-label="{_e(_("Due dates by month"))}">',
             f'<line x1="{left}" y1="{top + plot_h}" x2="{width - 10}" y2="{top + plot_h}" stroke="#888"/>',
             f'<text x="{left - 6}" y="{top + 10}" text-anchor="end" font-size="12">{most}</text>',
             f'<text x="{left - 6}" y="{top + plot_h}" text-anchor="end" font-size="12">0</text>']
    label_every = max(1, round(count / 14))
    if label_every > 12:  # years: label each January of every so many years
        label_every = 12 * round(label_every / 12)
    for i, m in enumerate(months):
        x = left + i * step + step * 0.15
        w = max(step * 0.7, 0.5)
        y = top + plot_h
        for label, key, colour in TIMELINE_PARTS:
            n = m[key]
            if n:
                h = n * unit
                y -= h
                parts.append(f'<rect x="{x:.2f}" y="{y:.1f}" width="{w:.2f}" height="{h:.1f}" fill="{colour}">'
                             f'<title>{_e(m["month"])}: {n} {_e(_(label))}</title></rect>')
        if i % label_every == 0:
            parts.append(f'<text x="{x + w / 2:.1f}" y="{top + plot_h + 16}" text-anchor="middle" '
                         f'font-size="12">{_e(m["month"] if label_every < 12 else m["month"][:4])}</text>')
        if m["month"] == as_of[:7]:
            cx = x + w / 2
            parts.append(f'<line x1="{cx:.1f}" y1="{top}" x2="{cx:.1f}" y2="{top + plot_h}" stroke="#000" '
                         f'stroke-dasharray="4 3"/><text x="{cx + 4:.1f}" y="{top + 10}" font-size="12">'
                         f'{_e(_("as of {day}").format(day=as_of))}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _in_sentence(r: dict) -> str:
    """The promise once: its sentence with the promise in bold (the promise alone when the
    sentence does not hold it)."""
    sentence, text = r.get("sentence") or "", r["text"]
    escape = html.escape  # (not _e's cache: a sentence is met once)
    if text and text in sentence and sentence != text:
        before, _found, after = sentence.partition(text)
        return (f'<span class="sentence">{escape(before)}</span><b>{escape(text)}</b>'
                f'<span class="sentence">{escape(after)}</span>')
    return f"<b>{_e(text)}</b>"


def _letter_link(letter_id, title: str | None, file: str | None) -> str:
    label = _e(letter_label({"title": title, "file": file}))
    return f'<a href="#letter-{letter_id}">{label}</a>' if letter_id is not None else label


def _promises_table(promises: list[dict], cards: dict, *, with_letter: bool = False) -> str:
    heads = [(_("ID"), ""), (_("Commitment, in its sentence"), ""), (_("Owner"), ""), (_("Due"), ""),
             (_("Status"), ""), (_("Outcome"), ""), (_("Evidence and notes"), "")]
    if with_letter:
        heads.append((_("Letter"), ""))
    rows = []
    for r in promises:
        follow = "".join(f'<div class="small">{_e(line)}</div>' for line in evidence_lines(r) + note_lines(r)) \
            if r.get("evidence") or r.get("notes") else ""  # (most promises have neither)
        # the cells as _td writes them, in one string: a report lists every promise
        row = (f'<tr><td class="head">#{r["id"]}</td><td>{_in_sentence(r)}</td><td>{_e(owner_words(r))}</td>'
               f'<td class="{"due late" if r["schedule"] == "overdue" else "due"}">{_e(due_words(r))}</td>'
               f'<td>{_e(status_words(r))}</td><td>{_e(_(r["outcome"]))}</td><td>{follow or "—"}</td>')
        if with_letter:
            row += _td(_letter_link(r.get("letter_id"), r["letter_title"], r["document"]))
        rows.append(row + "</tr>")
    return _table(heads, rows, "promises-letter" if with_letter else "promises", cards)


def html_report(report: dict, charts: bool = True) -> str:
    total = report["total"]
    number = 0

    def heading(title: str, anchor: str = "") -> str:
        nonlocal number
        number += 1
        where = f' id="{anchor}"' if anchor else ""
        return f"<h2{where}>{chinese_number(number)}、{_e(title)}</h2>"

    tiles = [(_("Promised"), total["promised"]), (_("Kept"), total["kept"]),
             (_("Overdue, date written"), total["overdue_written"]),
             (_("Overdue, date inferred"), total["overdue_inferred"]),
             (_("Conditional"), total["conditional"]), (_("Not yet rated"), total["not_yet_rated"]),
             (_("Second reply"), len(report["second_reply"]))]
    cards: dict = {}  # the phone's cell labels of each kind of table (_table), styled in the head
    out = [f"<h1>{_e(report_title(report))}</h1>",
           '<p class="meta">' + _e(_("As of {day} · {letters} letters · {unreviewed} commitments not yet reviewed · "
                                     "withdrawn and rejected ones not counted").format(
               day=report["as_of"], letters=report["letters"], unreviewed=report["unreviewed"])) + "</p>",
           '<div class="tiles">' + "".join(f"<div class=\"tile\"><b>{n}</b><span>{_e(label)}</span></div>"
                                           for label, n in tiles) + "</div>",
           '<p class="small">' + _e(_("Overdue, date inferred: the letter wrote no date (下一步, 近期); the date is "
                                      "the letter's date plus a default period, not one the department gave.")) + "</p>"]
    sheet = report["sheet"]
    if sheet:
        out.append(f'<p class="summary">{_e(summary_line(sheet["counts"]))}</p>')
        for group in sheet["groups"]:
            if group["promises"]:
                title = f"{group_label(group['key'])}（{len(group['promises'])}）"
                out += [heading(title), _promises_table(group["promises"], cards, with_letter=True)]

    out.append(heading(_("Scorecard by department"), "scorecard"))
    if charts and report["scorecard"]:
        out += [_legend([(_(OUTCOME_LABELS[o]), OUTCOME_COLOURS[o]) for o in BAR_ORDER]),
                scorecard_svg(report["scorecard"])]
        left_out = len(report["scorecard"]) - CHART_ROWS
        if left_out > 0:
            out.append('<p class="small">' + _e(_("The chart shows the {shown} departments with the most promises; "
                                                  "{left} more are in the table below.").format(
                shown=CHART_ROWS, left=left_out)) + "</p>")
    heads = [(_(SCORECARD_HEADS[0]), ""), *((_(h), "n") for h, _key in SCORECARD_COLUMNS), (_("Letters"), "")]
    rows = []
    for row, css in [*((r, "") for r in report["scorecard"]), (total, "total")]:
        links = " ".join(_letter_link(d["id"], _short(d["title"] or "", 12), None) for d in row["letters"]
                         if d["id"] is not None and row is not total)
        rows.append(f'<tr class="{css}">' + _td(_e(department_label(row)), "head")
                    + "".join(_td(str(row[key]), "n") for i, (_h, key) in enumerate(SCORECARD_COLUMNS))
                    + _td(links or "—") + "</tr>")
    out.append(_table(heads, rows, "scorecard", cards))
    if report["proposed_links"]:
        out.append('<p class="small">' + _e(_(
            "{n} links from later documents are not reviewed yet (`tracker review --evidence`); they are not "
            "counted above.").format(n=report["proposed_links"])) + "</p>")

    out.append(heading(_("Timeline of due dates")))
    if report["timeline"]:
        if charts:
            out += [_legend([(_(label), colour) for label, _key, colour in TIMELINE_PARTS]),
                    timeline_svg(report["timeline"], report["as_of"])]
        else:
            heads = [(_("Month"), ""), *((_(label), "n") for label, _key, _colour in TIMELINE_PARTS)]
            out.append(_table(heads, [
                "<tr>" + _td(_e(m["month"]), "head")
                + "".join(_td(str(m[key]), "n") for _l, key, _c in TIMELINE_PARTS)
                + "</tr>" for m in report["timeline"]], "timeline", cards))
    else:
        out.append(f"<p>{_e(_('No dated commitments.'))}</p>")
    if report["undated"]:
        out.append("<p>" + _e(_("{n} without a date (conditional, or waiting for one).").format(n=report["undated"])) + "</p>")

    if not sheet:  # a department's sheet lists its overdue ones in their groups
        for part, title in (("overdue_written", N_("Overdue, by a date the letter wrote")),
                            ("overdue_inferred", N_("Overdue, by a date inferred (not written in the letter)"))):
            overdue = [r for r in report["overdue"] if overdue_part(r) == part]
            out.append(heading(f"{_(title)}（{len(overdue)}）"))
            if overdue:
                heads = [(_("ID"), ""), (_("Due"), ""), (_("Days"), "n"), (_("Owner"), ""),
                         (_("Commitment, in its sentence"), ""), (_("Outcome"), ""), (_("Letter"), "")]
                out.append(_table(heads, [
                    "<tr>" + _td(f"#{r['id']}", "head") + _td(_e(due_words(r)), "due late")
                    + _td(str(r["days_overdue"]), "n") + _td(_e(r["owner_short"]))
                    + _td(_in_sentence(r)) + _td(_e(_(r["outcome"])))
                    + _td(_letter_link(r.get("letter_id"), r["letter_title"], r["document"])) + "</tr>"
                    for r in overdue], "overdue", cards))
            else:
                out.append(f"<p>{_e(_('Nothing is overdue.'))}</p>")

    out.append(heading(_("Letters for a second reply (rated 不满意)")))
    if report["second_reply"]:
        heads = [(_("Letter"), ""), (_("Replying unit"), ""), (_("Members’ note"), "")]
        out.append(_table(heads, [
            "<tr>" + _td(_letter_link(d["id"], d["title"], d["file"]), "head")
            + _td(_e(d["replying_unit"])) + _td(_e(d["feedback_note"] or "")) + "</tr>"
            for d in report["second_reply"]], "second-reply", cards))
    else:
        out.append(f"<p>{_e(_('None.'))}</p>")
    out.append(heading(_("Letters by class mark and members’ rating")))
    heads = [(_("Class"), ""), (_("Meaning here"), ""), (_("Letters"), "n")]
    out.append(_table(heads, ["<tr>" + _td(_e(c["mark"]), "head") + _td(_e(c["meaning"] or ""))
                              + _td(str(c["letters"]), "n") + "</tr>" for c in report["classes"]], "classes", cards))
    heads = [(_("Members’ rating"), ""), (_("Letters"), "n")]
    out.append(_table(heads, ["<tr>" + _td(_e(_(rating)), "head") + _td(str(n), "n") + "</tr>"
                              for rating, n in report["feedback"].items()], "ratings", cards))

    out.append(heading(_("The letters, one by one"), "letters"))
    for d in report["letter_sections"]:
        out.append(f'<section class="letter" id="letter-{d["id"]}"><div class="keep"><h3>{_e(letter_label(d))}</h3>'
                   f'<p class="meta">{_e(letter_meta(d))}</p></div>'
                   + (_promises_table(d["promises"], cards) if d["promises"]
                      else f"<p>{_e(_('No commitments counted here.'))}</p>") + "</section>")
    if report["evidence"] or report["proposed_links"]:  # once later documents were read
        out.append(heading(_("Evidence of kept promises"), "evidence"))
        if report["evidence"]:
            heads = [(_(h), "") for h in (N_("ID"), N_("Owner"), N_("Commitment"), N_("Outcome"), N_("Evidence"),
                                           N_("Document"))]
            out.append(_table(heads, [
                "<tr>" + _td(f"#{e['id']}", "head") + _td(_e(e["owner_short"])) + _td(_e(e["text"]))
                + _td(_e(_(e["outcome"]))) + _td(f'<div class="sentence">{_e(e["evidence"])}</div>')
                + _td(_e(e["document"]) + (", " + _e(e["document_date"]) if e["document_date"] else "")) + "</tr>"
                for e in report["evidence"]], "evidence", cards))
        else:
            out.append(f"<p>{_e(_('No accepted evidence yet.'))}</p>")
    head = ['<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            f"<title>{_e(report_title(report))}</title><style>{CSS}{_card_css(cards)}</style></head><body>"]
    return "\n".join([*head, *out, "</body></html>"]) + "\n"
