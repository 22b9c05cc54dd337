"""Policies: the 《titles》 a letter cites, with document numbers and years.

A number may stand before the title (瓯委改发〔2023〕1号文件《…》) or after it
in brackets (《…》(温瓯政办发〔2018〕36)). Media (日报, 栏目) and the
proposal itself are not policies.
"""
from __future__ import annotations

import re

from ouhai_tracker.extract.model import Policy
from ouhai_tracker.extract.rules import letters as L
from ouhai_tracker.extract.rules import policies as P

TITLE = re.compile(r"《(?P<title>[^《》\n]{2,120})》")
NUMBER_CORE = r"[〔﹝\[［]\s*(?P<year>\d{4})\s*[〕﹞\]］]\s*\d+\s*号?"
NUMBER_AFTER = re.compile(r"\s*[（(](?P<num>[^（）()\n]{0,16}" + NUMBER_CORE + r")\s*[)）]")
# A standard's number right after its title: 《…规范》G50999-2016, 《…》(GB/T 2887-2011).
STANDARD_AFTER = re.compile(r"\s*[（(]?(?P<num>(?:GB|G|JGJ|CJJ|DB|HJ|JT)(?:/T)?\s*\d+(?:\.\d+)?-(?P<year>\d{4}))[)）]?")
NUMBER_BEFORE = re.compile(r"(?P<num>[\u4e00-\u9fff]{1,12}" + NUMBER_CORE + r")\s*(?:文件|文)?\s*$")
NUMBER_LEAD_WORDS = P.NUMBER_LEAD_WORDS
ISSUE_VERBS = re.compile("|".join(P.ISSUE_VERBS))
SINCE = re.compile("|".join(P.SINCE_WORDS))
YEAR = re.compile(r"(\d{4})\s*年")
SENTENCE_REACH = 1000  # characters looked back for the start of a policy title's sentence
MEDIA_END = P.MEDIA_END
MEDIA_AFTER = re.compile(r"^\s*(?:" + "|".join(P.MEDIA_AFTER) + ")")
PROPOSAL_WORDS = L.PROPOSAL_WORDS
FORM_END = P.FORM_END


def _strip_lead_words(number: str) -> str:
    changed = True
    while changed:
        changed = False
        for word in NUMBER_LEAD_WORDS:
            idx = number.find(word)
            if idx != -1 and idx + len(word) < number.find("〔"):
                number = number[idx + len(word):]
                changed = True
    return number


def _is_policy(title: str, after: str, proposal_title: str | None) -> bool:
    if proposal_title and title == proposal_title:
        return False
    if title in PROPOSAL_WORDS or title.endswith(PROPOSAL_WORDS) or title.endswith(FORM_END):
        return False
    bare = re.sub(r"[（(][^（）()]*[)）]$", "", title)
    if bare.endswith(MEDIA_END) or MEDIA_AFTER.match(after):
        return False
    return True


def _title_year(title: str) -> int | None:
    """A year inside the title itself (关于做好2023年…的通知), not in a range in brackets."""
    bare = re.sub(r"[（(][^（）()]*[)）]", "", title)
    m = YEAR.search(bare)
    return int(m.group(1)) if m else None


def find_policies(text: str, proposal_title: str | None = None) -> list[Policy]:
    found: dict[str, Policy] = {}
    for m in TITLE.finditer(text):
        title = m.group("title").strip()
        after = text[m.end():m.end() + 40]
        if not _is_policy(title, after, proposal_title):
            continue
        doc_number, year = None, None
        am = NUMBER_AFTER.match(text, m.end()) or STANDARD_AFTER.match(text, m.end())
        if am:
            doc_number, year = am.group("num").strip(), int(am.group("year"))
        else:
            before = text[max(0, m.start() - 24):m.start()]
            bm = NUMBER_BEFORE.search(before)
            if bm:
                doc_number = _strip_lead_words(bm.group("num")).strip()
                year = int(bm.group("year"))
        issuer = None
        if year is None:
            year = _issue_year(text, m.start())
        if year is None:
            year = _title_year(title)
        policy = Policy(title=title, doc_number=doc_number, issuer=issuer, year=year,
                        start=m.start() + 1, end=m.end() - 1)
        known = found.get(title)
        if known is None or (known.doc_number is None and doc_number):
            found[title] = policy if known is None else Policy(
                title, doc_number, issuer, year or known.year, known.start, known.end)
    # 《指引》 after 《…工作指引的通知》: the short name of a title already cited.
    titles = list(found)
    for title in titles:
        if len(title) <= 6 and any(other != title and title in other for other in titles):
            del found[title]
    return sorted(found.values(), key=lambda p: p.start)


def _issue_year(text: str, title_start: int) -> int | None:
    """2022年，瓯海修订了《…》: the year the sentence says the policy was issued."""
    # Only the sentence's last few dozen characters count (a year just before the verb), so the
    # look back is bounded: a text without sentence ends costs no scan to its start per title.
    reach = max(0, title_start - SENTENCE_REACH)
    sentence_start = max(reach, max(text.rfind(ch, reach, title_start) for ch in "。；;\n") + 1)
    before = text[sentence_start:title_start]
    # Only the stretch after the previous title: each title takes its own year.
    last_title = before.rfind("》")
    if last_title != -1:
        before = before[last_title + 1:]
    years = list(YEAR.finditer(before))
    if not years:
        return None
    last = years[-1]
    between = before[last.end():]
    if ISSUE_VERBS.search(between) and len(between) <= 20 and not SINCE.search(between[:3]):
        return int(last.group(1))
    return None
