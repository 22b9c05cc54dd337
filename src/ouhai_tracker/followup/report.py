"""Reports for the annual review (回头看): a scorecard per department, a timeline of due dates,
the overdue list with their sentences, and the letters members want answered again.

``build_report`` gathers plain data; ``markdown`` and ``html`` write it out. The HTML is one
self-contained file: inline CSS, charts drawn here as inline SVG, no script, no web font,
nothing fetched. Every piece of letter text goes through ``html.escape``.
"""
from __future__ import annotations

import html
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date

from ouhai_tracker.extract.model import CONDITIONAL
from ouhai_tracker.i18n import N_, _
from ouhai_tracker.store.states import (BROKEN, IN_THE_WORKS, KEPT, NOT_YET_RATED, OUTCOMES, PARTLY_KEPT,
                                        STALLED)

# Scorecard columns, in the order a reader asks: how many, how many kept, what is late, what is unknown.
OUTCOME_LABELS = {KEPT: N_("kept"), PARTLY_KEPT: N_("partly kept"), IN_THE_WORKS: N_("in the works"),
                  STALLED: N_("stalled"), BROKEN: N_("broken"), NOT_YET_RATED: N_("not yet rated")}
OUTCOME_COLOURS = {KEPT: "#2e7d32", PARTLY_KEPT: "#9ccc65", IN_THE_WORKS: "#1e88e5", STALLED: "#fb8c00",
                   BROKEN: "#c62828", NOT_YET_RATED: "#b0bec5"}
SCORECARD_HEADS = (N_("Department"), N_("Promised"), N_("Kept"), N_("Partly kept"), N_("In the works"),
                   N_("Stalled"), N_("Broken"), N_("Not yet rated"), N_("Overdue"), N_("Conditional"))
BAR_ORDER = (KEPT, PARTLY_KEPT, IN_THE_WORKS, STALLED, BROKEN, NOT_YET_RATED)  # good news first
TIMELINE_PARTS = ((N_("kept"), "#2e7d32"), (N_("open"), "#1e88e5"), (N_("overdue"), "#c62828"))


@dataclass
class Row:
    department: str
    short: str
    promised: int = 0
    overdue: int = 0
    overdue_inferred: int = 0  # of the overdue, those whose date no letter wrote (a default rule's)
    conditional: int = 0
    kept_late: int = 0
    outcomes: Counter = field(default_factory=Counter)

    def to_dict(self) -> dict:
        return {"department": self.department, "short": self.short, "promised": self.promised,
                "kept": self.outcomes[KEPT], "partly_kept": self.outcomes[PARTLY_KEPT],
                "in_the_works": self.outcomes[IN_THE_WORKS], "stalled": self.outcomes[STALLED],
                "broken": self.outcomes[BROKEN], "not_yet_rated": self.outcomes[NOT_YET_RATED],
                "overdue": self.overdue, "overdue_written": self.overdue - self.overdue_inferred,
                "overdue_inferred": self.overdue_inferred,
                "conditional": self.conditional, "kept_late": self.kept_late,
                "outcomes": {o: self.outcomes[o] for o in OUTCOMES}}


def build_report(rows: list[dict], letters: list[dict], *, today: date, dept: str | None = None,
                 year: int | None = None) -> dict:
    """Everything a report shows, as plain data (also what `tracker report --format json` prints),
    from the live commitments' rows (by due date) and their letters' rows (Tracker.report reads them)."""
    unreviewed = sum(r["review"] == "unreviewed" for r in rows)
    scorecard: dict[str, Row] = {}
    for r in rows:
        name = r["owner"] or "(no owner)"
        row = scorecard.setdefault(name, Row(name, r["owner_short"] or name))
        row.promised += 1
        row.outcomes[r["outcome"]] += 1
        row.overdue += r["schedule"] == "overdue"
        row.overdue_inferred += r["schedule"] == "overdue" and bool(r["due_inferred"])
        row.conditional += r["due_kind"] == CONDITIONAL
        row.kept_late += r["schedule"] == "kept-late"
    ordered = sorted(scorecard.values(), key=lambda x: (-x.promised, x.department))
    total = Row("合计 (all)", "合计")
    for row in ordered:
        total.promised += row.promised
        total.overdue += row.overdue
        total.overdue_inferred += row.overdue_inferred
        total.conditional += row.conditional
        total.kept_late += row.kept_late
        total.outcomes.update(row.outcomes)

    timeline: dict[str, Counter] = defaultdict(Counter)
    for r in rows:
        if r["due"]:
            part = ("kept" if r["schedule"] in ("kept-on-time", "kept-late", "kept")
                    else "overdue" if r["schedule"] == "overdue" else "open")
            timeline[r["due"][:7]][part] += 1
    overdue = [{**r, "days_overdue": (today - date.fromisoformat(r["due"])).days}
               for r in rows if r["schedule"] == "overdue"]
    overdue.sort(key=lambda r: (-r["days_overdue"], r["id"]))
    classes = Counter(d["class_mark"] or "—" for d in letters)
    ratings = Counter(d["feedback"] or "not rated" for d in letters)
    return {
        "as_of": today.isoformat(), "dept": dept, "year": year,
        "letters": len(letters), "unreviewed": unreviewed,
        "scorecard": [row.to_dict() for row in ordered], "total": total.to_dict(),
        "timeline": [{"month": month, **{p: timeline[month][p] for p, _ in TIMELINE_PARTS}}
                     for month in _months(timeline)],
        "undated": sum(1 for r in rows if not r["due"]),
        "overdue": overdue,
        "second_reply": [d for d in letters if d["second_reply"]],
        "classes": [{"mark": m, "letters": n,
                     "meaning": next((d["class_meaning"] for d in letters if (d["class_mark"] or "—") == m), None)}
                    for m, n in sorted(classes.items())],
        "feedback": dict(sorted(ratings.items())),
    }


def _months(timeline: dict) -> list[str]:
    """Every month from the first due date to the last, empty ones included, so gaps show."""
    if not timeline:
        return []
    first, last = min(timeline), max(timeline)
    year, month = int(first[:4]), int(first[5:])
    months = []
    while f"{year:04d}-{month:02d}" <= last and len(months) < 120:
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def _heading(report: dict) -> str:
    scope = []
    if report["dept"]:
        scope.append(_("department {dept}").format(dept=report["dept"]))
    if report["year"]:
        scope.append(_("letters of {year}").format(year=report["year"]))
    return _("Commitments report") + (f" — {', '.join(scope)}" if scope else "")


# ---- Markdown -------------------------------------------------------------------------------

_MD_SPECIAL = re.compile(r"([\\`\[\]|])")


def _md(value) -> str:
    """Letter text in Markdown, shown and never obeyed: HTML is escaped (a viewer would run a
    <script> or load an <img>), brackets and backticks are backslashed (no link, no image, no
    code span), and pipes and line breaks would end a table cell."""
    text = html.escape(str(value if value is not None else "—"), quote=False)
    return _MD_SPECIAL.sub(r"\\\1", text).replace("\r", " ").replace("\n", " ")


def markdown(report: dict) -> str:
    heads = [_(h) for h in SCORECARD_HEADS]
    out = [f"# {_heading(report)}", "",
           _("As of {day}. {letters} letters, {promised} commitments ({unreviewed} not yet reviewed). "
             "Withdrawn and rejected commitments are not counted.").format(
               day=report["as_of"], letters=report["letters"], promised=report["total"]["promised"],
               unreviewed=report["unreviewed"]), "",
           f"## {_('Scorecard')}", "",
           "| " + " | ".join(heads) + " |",
           "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|"]
    for row in [*report["scorecard"], report["total"]]:
        out.append(f"| {_md(row['department'])} | {row['promised']} | {row['kept']} | {row['partly_kept']} | "
                   f"{row['in_the_works']} | {row['stalled']} | {row['broken']} | {row['not_yet_rated']} | "
                   f"{row['overdue']} | {row['conditional']} |")
    out += ["", f"## {_('Timeline of due dates')}", ""]
    if report["timeline"]:
        out += [f"| {_('Month')} | {_('Kept')} | {_('Open')} | {_('Overdue')} |", "|---|--:|--:|--:|"]
        out += [f"| {m['month']} | {m['kept']} | {m['open']} | {m['overdue']} |"
                for m in report["timeline"] if m["kept"] or m["open"] or m["overdue"]]
    else:
        out.append(_("No dated commitments."))
    if report["undated"]:
        out += ["", _("{n} without a date (conditional, or waiting for one).").format(n=report["undated"])]
    out += ["", f"## {_('Overdue')} ({len(report['overdue'])})", ""]
    if not report["overdue"]:
        out.append(_("Nothing is overdue."))
    for r in report["overdue"]:
        due = r["due"] + (_(" (inferred)") if r["due_inferred"] else "")
        out += [_("- **#{id}** {owner}, due {due}, {days} days overdue ({outcome}): {text}").format(
                    id=r["id"], owner=_md(r["owner_short"]), due=due, days=r["days_overdue"],
                    outcome=_md(_(r["outcome"])), text=_md(r["text"])),
                f"  > {_md(r['sentence'])}", f"  — {_md(r['document'])}"]
    out += ["", f"## {_('Letters for a second reply (rated 不满意)')}", ""]
    if not report["second_reply"]:
        out.append(_("None."))
    for d in report["second_reply"]:
        out.append(f"- {_md(d['file'])}: 《{_md(d['title'])}》, {_md(d['replying_unit'])}"
                   + (f" — {_md(d['feedback_note'])}" if d["feedback_note"] else ""))
    out += ["", f"## {_('Letters by class mark and by members’ rating')}", ""]
    out += [f"- {_md(c['mark'])}: {c['letters']}" + (f" ({_md(c['meaning'])})" if c["meaning"] else "")
            for c in report["classes"]]
    out += [f"- {_md(rating)}: {n}" for rating, n in report["feedback"].items()]
    return "\n".join(out) + "\n"


# ---- HTML -----------------------------------------------------------------------------------

def _e(value) -> str:
    return html.escape(str(value if value is not None else "—"))


CSS = """
body{font-family:"Noto Sans CJK SC","Source Han Sans SC","PingFang SC","Microsoft YaHei",sans-serif;
margin:24px auto;max-width:1100px;color:#222;background:#fff;line-height:1.45}
h1{font-size:26px;margin:0 0 4px}h2{font-size:19px;border-bottom:2px solid #eee;padding-bottom:4px;margin-top:28px}
.meta{color:#666;margin:0 0 16px}
.tiles{display:flex;gap:12px;flex-wrap:wrap;margin:12px 0}
.tile{border:1px solid #ddd;border-radius:6px;padding:8px 14px;min-width:110px}
.tile b{display:block;font-size:26px}.tile span{color:#555;font-size:13px}
table{border-collapse:collapse;margin:8px 0;font-size:14px}th,td{border-bottom:1px solid #e5e5e5;padding:4px 8px;
text-align:left;vertical-align:top}td.n,th.n{text-align:right}tr.total td{font-weight:bold;border-top:2px solid #999}
.overdue td.due{color:#c62828;font-weight:bold}.sentence{color:#555;font-size:13px}
svg text{font-family:inherit}.legend span{display:inline-block;margin-right:14px;font-size:13px}
.legend i{display:inline-block;width:11px;height:11px;margin-right:4px;vertical-align:-1px}
"""


def _legend(parts) -> str:
    return '<div class="legend">' + "".join(
        f'<span><i style="background:{colour}"></i>{_e(label)}</span>' for label, colour in parts) + "</div>"


def scorecard_svg(rows: list[dict], width: int = 1000) -> str:
    """One horizontal bar per department, split by outcome; bar length is the number promised."""
    label_w, bar_h, gap, top = 190, 22, 10, 8
    rows = rows[:30]
    height = top * 2 + len(rows) * (bar_h + gap) + 4
    most = max((r["promised"] for r in rows), default=0) or 1
    scale = (width - label_w - 150) / most  # room for the count and overdue after the longest bar
    parts = [f'<svg class="chart" id="scorecard-chart" xmlns="http://www.w3.org/2000/svg" width="{width}" '
             f'height="{height}" viewBox="0 0 {width} {height}" role="img" aria-label="{_e(_("Outcomes by department"))}">']
    for i, row in enumerate(rows):
        y = top + i * (bar_h + gap)
        parts.append(f'<text x="{label_w - 8}" y="{y + bar_h - 6}" text-anchor="end" font-size="14">'
                     f'{_e(row["short"])}</text>')
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
    """Due dates by month as stacked columns (kept / open / overdue), with a line at the as-of month."""
    left, bottom, top = 40, 40, 14
    plot_h = height - bottom - top
    count = max(len(months), 1)
    step = (width - left - 10) / count
    most = max((m["kept"] + m["open"] + m["overdue"] for m in months), default=0) or 1
    unit = plot_h / most
    parts = [f'<svg class="chart" id="timeline-chart" xmlns="http://www.w3.org/2000/svg" width="{width}" '
             f'height="{height}" viewBox="0 0 {width} {height}" role="img" aria-label="{_e(_("Due dates by month"))}">',
             f'<line x1="{left}" y1="{top + plot_h}" x2="{width - 10}" y2="{top + plot_h}" stroke="#888"/>',
             f'<text x="{left - 6}" y="{top + 10}" text-anchor="end" font-size="12">{most}</text>',
             f'<text x="{left - 6}" y="{top + plot_h}" text-anchor="end" font-size="12">0</text>']
    label_every = max(1, round(count / 14))
    for i, m in enumerate(months):
        x = left + i * step + step * 0.15
        w = step * 0.7
        y = top + plot_h
        for part, colour in TIMELINE_PARTS:
            n = m[part]
            if n:
                h = n * unit
                y -= h
                parts.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{h:.1f}" fill="{colour}">'
                             f'<title>{_e(m["month"])}: {n} {_e(_(part))}</title></rect>')
        if i % label_every == 0:
            parts.append(f'<text x="{x + w / 2:.1f}" y="{top + plot_h + 16}" text-anchor="middle" '
                         f'font-size="12">{_e(m["month"])}</text>')
        if m["month"] == as_of[:7]:
            cx = x + w / 2
            parts.append(f'<line x1="{cx:.1f}" y1="{top}" x2="{cx:.1f}" y2="{top + plot_h}" stroke="#000" '
                         f'stroke-dasharray="4 3"/><text x="{cx + 4:.1f}" y="{top + 10}" font-size="12">'
                         f'{_e(_("as of {day}").format(day=as_of))}</text>')
    parts.append("</svg>")
    return "".join(parts)


def html_report(report: dict, charts: bool = True) -> str:
    total = report["total"]
    tiles = [(_("Promised"), total["promised"]), (_("Kept"), total["kept"]), (_("Overdue"), total["overdue"]),
             (_("Conditional"), total["conditional"]), (_("Not yet rated"), total["not_yet_rated"]),
             (_("Second reply"), len(report["second_reply"]))]
    out = ['<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">',
           f"<title>{_e(_heading(report))}</title><style>{CSS}</style></head><body>",
           f"<h1>{_e(_heading(report))}</h1>",
           '<p class="meta">' + _e(_("As of {day} · {letters} letters · {unreviewed} commitments not yet reviewed · "
                                     "withdrawn and rejected ones not counted").format(
               day=report["as_of"], letters=report["letters"], unreviewed=report["unreviewed"])) + "</p>",
           '<div class="tiles">' + "".join(f"<div class=\"tile\"><b>{n}</b><span>{_e(label)}</span></div>"
                                           for label, n in tiles) + "</div>",
           f"<h2>{_e(_('Scorecard by department'))}</h2>"]
    if charts and report["scorecard"]:
        out += [_legend([(_(OUTCOME_LABELS[o]), OUTCOME_COLOURS[o]) for o in BAR_ORDER]),
                scorecard_svg(report["scorecard"])]
    heads = SCORECARD_HEADS
    keys = ["promised", "kept", "partly_kept", "in_the_works", "stalled", "broken", "not_yet_rated",
            "overdue", "conditional"]
    out.append('<table class="scorecard"><tr>' + "".join(
        f'<th class="{"n" if i else ""}">{_e(_(h))}</th>' for i, h in enumerate(heads)) + "</tr>")
    for row, css in [*((r, "") for r in report["scorecard"]), (total, "total")]:
        out.append(f'<tr class="{css}"><td>{_e(row["department"])}</td>'
                   + "".join(f'<td class="n">{row[k]}</td>' for k in keys) + "</tr>")
    out.append("</table>")

    out.append(f"<h2>{_e(_('Timeline of due dates'))}</h2>")
    if report["timeline"]:
        if charts:
            out += [_legend([(_(p), c) for p, c in TIMELINE_PARTS]), timeline_svg(report["timeline"], report["as_of"])]
        else:
            out.append(f"<table><tr><th>{_e(_('Month'))}</th><th class=n>{_e(_('Kept'))}</th>"
                       f"<th class=n>{_e(_('Open'))}</th><th class=n>{_e(_('Overdue'))}</th></tr>"
                       + "".join(f"<tr><td>{_e(m['month'])}</td><td class=n>{m['kept']}</td><td class=n>{m['open']}"
                                 f"</td><td class=n>{m['overdue']}</td></tr>" for m in report["timeline"]) + "</table>")
    else:
        out.append(f"<p>{_e(_('No dated commitments.'))}</p>")
    if report["undated"]:
        out.append("<p>" + _e(_("{n} without a date (conditional, or waiting for one).").format(n=report["undated"])) + "</p>")

    out.append(f"<h2>{_e(_('Overdue'))} ({len(report['overdue'])})</h2>")
    if report["overdue"]:
        out.append('<table class="overdue"><tr>' + "".join(
            f'<th{" class=n" if h == "Days" else ""}>{_e(_(h))}</th>'
            for h in (N_("ID"), N_("Due"), N_("Days"), N_("Owner"), N_("Commitment, in its sentence"), N_("Outcome"),
                      N_("Letter"))) + "</tr>")
        for r in report["overdue"]:
            due = r["due"] + ("*" if r["due_inferred"] else "")
            out.append(f'<tr><td>#{r["id"]}</td><td class="due">{_e(due)}</td><td class="n">{r["days_overdue"]}</td>'
                       f'<td>{_e(r["owner_short"])}</td><td><b>{_e(r["text"])}</b>'
                       f'<div class="sentence">{_e(r["sentence"])}</div></td><td>{_e(_(r["outcome"]))}</td>'
                       f'<td>{_e(r["document"])}</td></tr>')
        out.append("</table>")
        if any(r["due_inferred"] for r in report["overdue"]):
            out.append(f'<p class="sentence">{_e(_("* inferred from a default rule, not written in the letter"))}</p>')
    else:
        out.append(f"<p>{_e(_('Nothing is overdue.'))}</p>")

    out.append(f"<h2>{_e(_('Letters for a second reply (rated 不满意)'))}</h2>")
    if report["second_reply"]:
        out.append("<table><tr>" + "".join(f"<th>{_e(_(h))}</th>" for h in
                                           (N_("Letter"), N_("Proposal"), N_("Replying unit"),
                                            N_("Members’ note"))) + "</tr>")
        out += [f'<tr><td>{_e(d["file"])}</td><td>{_e(d["title"])}</td><td>{_e(d["replying_unit"])}</td>'
                f'<td>{_e(d["feedback_note"] or "")}</td></tr>' for d in report["second_reply"]]
        out.append("</table>")
    else:
        out.append(f"<p>{_e(_('None.'))}</p>")
    out.append(f"<h2>{_e(_('Letters by class mark and members’ rating'))}</h2><table><tr><th>{_e(_('Class'))}</th>"
               f"<th>{_e(_('Meaning here'))}</th><th class=n>{_e(_('Letters'))}</th></tr>")
    out += [f'<tr><td>{_e(c["mark"])}</td><td>{_e(c["meaning"] or "")}</td><td class="n">{c["letters"]}</td></tr>'
            for c in report["classes"]]
    out.append(f"</table><table><tr><th>{_e(_('Members’ rating'))}</th><th class=n>{_e(_('Letters'))}</th></tr>")
    out += [f'<tr><td>{_e(rating)}</td><td class="n">{n}</td></tr>' for rating, n in report["feedback"].items()]
    out.append("</table></body></html>")
    return "\n".join(out) + "\n"
