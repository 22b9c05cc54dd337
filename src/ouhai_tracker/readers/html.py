"""Web pages: the letter's body without the page furniture around it.

Government sites wrap a letter in navigation, breadcrumbs, a metadata block
(索引号 / 发布机构 / 发布日期 / 浏览次数 / 字号：大 中 小 / 打印 / 关闭), share
buttons and footers (版权所有, 网站标识码, ICP备). Only the stdlib parser is
used: the page is flattened into lines that remember which content-like
elements (id/class "content", "zoom", "TRS_Editor" ...) hold them, then the
letter is chosen from those lines. The metadata block is kept as fallbacks.
"""
from __future__ import annotations

import datetime as dt
import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from ouhai_tracker.extract.rules import letters as L
from ouhai_tracker.i18n import N_
from ouhai_tracker.readers.base import Document, ReadError
from ouhai_tracker.readers.normalize import CJK_CLASS, cjk_count, normalise_text
from ouhai_tracker.readers.txt import bom_encoding, decode_text

# Elements whose content is never the letter. <head> is skipped too; its
# <title> and <meta> tags are read on the way.
_SKIP = {"head", "script", "style", "nav", "header", "footer", "noscript", "iframe",
         "template", "svg", "select", "button", "textarea", "object"}
_BLOCK = {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "section",
          "article", "main", "aside", "ul", "ol", "dl", "dt", "dd", "table", "tbody",
          "thead", "blockquote", "pre", "hr", "center", "address", "figure",
          "figcaption", "caption", "fieldset", "form", "body", "html"}
# Table cells are separated by a tab, not a line break, so that a metadata
# row "发布机构：| 瓯海区经信局" stays one line, as a .docx table row does.
_CELL = {"td", "th"}
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
         "param", "source", "track", "wbr"}
_CONTENT_HINT = re.compile(r"content|article|zoom|trs_editor|unionstyle|detail|text|^con(?:$|[_-])", re.I)
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
_SPACES = re.compile(r"[ \t\r\n\f\xa0]+")
# Stands for a cell boundary until source whitespace has been collapsed.
_CELL_MARK = "\ue000"
_CELL_GAP = re.compile(f" ?{_CELL_MARK} ?")
# CSS drops a source line break between two Han characters; so do we, or
# "相关\n情况" in the page source would become "相关 情况".
_CJK_NEIGHBOUR = f"[{CJK_CLASS}，。、；：！？“”（）《》]"
_CJK_BREAK = re.compile(f"(?<={_CJK_NEIGHBOUR})[ \\t\\r\\f]*\\n\\s*(?={_CJK_NEIGHBOUR})")

_FURNITURE_MAX = 80  # furniture lines are short; a paragraph of the letter is not
_FURNITURE_START = re.compile(L.PAGE_FURNITURE_START)
_FURNITURE_ANY = re.compile(
    r"ICP备|公网安备|网站标识码|版权所有|浏览次数|访问量|【\s*大\s*中\s*小\s*】|分享到"
    r"|打印本页|关闭窗口|[【\[]\s*打印\s*[】\]]|[【\[]\s*关闭\s*[】\]]|扫一扫"
)

# Metadata labels, by fallback key, best first (成文日期 is the letter's own date, 发布日期 only
# when it went online). The unit: a page's structured block names the bureau 发布机构 and the
# site 来源, where a page's text (rules/letters.py PAGE_UNIT_LABELS) as often names the portal
# 发布机构; the footer's 主办单位 owns the site.
_FIELDS = {
    "title": L.PAGE_TITLE_LABELS,
    "replying_unit": ("发布机构", "发文机关", "发文单位", "信息来源", "来源"),
    "date": L.PAGE_DATE_LABELS,
}
_ALL_LABELS = sorted({lab for labs in _FIELDS.values() for lab in labs} | set(L.PAGE_OTHER_LABELS), key=len, reverse=True)
# A label is a word of its own (not the tail of 信息来源 or 截止日期), may be
# spaced out ("名　　称"), and is followed by a colon.
_LABEL_RE = re.compile(
    f"(?<![{CJK_CLASS}])(?P<label>" + "|".join(r"\s*".join(lab) for lab in _ALL_LABELS) + r")\s*[:：]"
)
_DATE_RE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})")
_TITLE_SEPARATOR = re.compile(r"\s*(?:[_|｜]|\s[-—–]+\s|(?<!\d)[-—–]+(?!\d))\s*")
_SINGLE_BYTE = re.compile(r"^(?:iso-?8859-?\d+|latin-?1|(?:windows|cp)-?125\d|(?:us-)?ascii)$")
_META_CHARSET = re.compile(rb"""<meta[^>]+?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
# Pages labelled gb2312 routinely use GBK characters; GB18030 covers both.
_CHARSET_ALIASES = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "gb_2312-80": "gb18030"}


@dataclass
class _Line:
    text: str
    owner: int | None  # the innermost content-like element holding this line (see _PageParser)
    in_form: bool
    link_share: float  # share of the line's characters inside <a>

    @property
    def cjk(self) -> int:
        return cjk_count(self.text)


def read_html(path: Path, data: bytes) -> Document:
    page = _PageParser()
    try:
        page.feed(_decode(path, data))
        page.close()
    except AssertionError as err:  # html.parser's own checks on markup it cannot take (<![0 …)
        raise ReadError(f"{path}: " + N_("not a readable web page ({reason}); save the letter as text and import that").format(
            reason=err)) from None
    lines = page.finish()
    body = _letter_lines(lines, page)
    text = normalise_text("\n".join(line.text for line in body))
    return Document(text=text, format="html", fallbacks=_fallbacks(page, lines))


def _decode(path: Path, data: bytes) -> str:
    """BOM first, then the page's declared charset, then txt detection."""
    if bom_encoding(data):
        return decode_text(data, path)[0]
    match = _META_CHARSET.search(data[:4096])
    if match:
        declared = match.group(1).decode("ascii").lower()
        codec = _CHARSET_ALIASES.get(declared, declared)
        if _SINGLE_BYTE.match(codec):
            # Latin-1 decodes anything, so a Chinese page mislabelled as such
            # would turn into mojibake: detect first, believe the label last.
            try:
                return decode_text(data, path)[0]
            except ReadError:
                pass
        try:
            return data.decode(codec)
        except (LookupError, UnicodeDecodeError):
            pass  # a wrong or unknown label: detect instead
    return decode_text(data, path)[0]


class _PageParser(HTMLParser):
    """Flattens a page into lines, tracking skip/content/link/form context.

    Every question about the open elements (inside a <pre>? a link? hidden?) is answered
    from counters kept as elements open and close, never by reading the stack again: a page
    nested 50,000 elements deep costs no more per element than a shallow one.
    """

    FLAGS = ("skip", "link", "form", "pre", "title")

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, dict]] = []  # (tag, frame flags)
        self.lines: list[_Line] = []
        self.title = ""
        self.meta: dict[str, str] = {}
        self._parts: list[str] = []
        self._line_started = False  # a part of the current line has more than blanks
        self._link_chars = 0
        self._owner: int | None = None
        self._in_form = False
        self._next_id = 0
        self._flags: Counter[str] = Counter()  # open elements with each flag
        self._tags: Counter[str] = Counter()  # open elements by tag
        self._heads: list[dict] = []  # open <head> frames (a <body> closes them)
        # Content-like elements, numbered as they open: those open now (innermost last), the
        # one each opened inside, and the last number given out before each closed. The
        # elements inside number n are n+1 .. last[n].
        self.candidates: list[int] = []
        self.parent: list[int | None] = []
        self.last: list[int] = []

    # -- context ----------------------------------------------------------
    def _has(self, flag: str) -> bool:
        return self._flags[flag] > 0

    def _push(self, tag: str, frame: dict) -> None:
        self.stack.append((tag, frame))
        self._tags[tag] += 1
        for flag in self.FLAGS:
            if frame.get(flag):
                self._flags[flag] += 1

    def _forget(self, tag: str, frame: dict) -> None:
        """An element is closed: its flags no longer hold."""
        if frame.get("gone"):
            return
        frame["gone"] = True
        self._tags[tag] -= 1
        for flag in self.FLAGS:
            if frame.get(flag):
                self._flags[flag] -= 1

    def _break(self) -> None:
        text = "".join(self._parts)
        if not self._has("pre"):
            text = _SPACES.sub(" ", text)
        text = _CELL_GAP.sub("\t", text)
        if text.strip():
            share = self._link_chars / len(text.strip())
            self.lines.append(_Line(text, self._owner, self._in_form, share))
        self._parts, self._link_chars, self._line_started = [], 0, False

    # -- parser callbacks -------------------------------------------------
    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name: value or "" for name, value in attrs}
        if tag == "meta":
            name = attributes.get("name", "").lower()
            if name and attributes.get("content"):
                self.meta[name] = attributes["content"].strip()
            return
        if tag == "br":
            self._break()
            return
        if tag == "body":
            # A missing </head> must not hide the whole body; browsers close it here.
            for frame in self._heads:
                self._forget("head", frame)
            self._heads = []
        tokens = (attributes.get("id", "") + " " + attributes.get("class", "")).split()
        candidate = (tag in _BLOCK or tag in _CELL) and any(_CONTENT_HINT.search(t) for t in tokens)
        if tag in _BLOCK or candidate:
            self._break()
        elif tag in _CELL:
            self._parts.append(_CELL_MARK)
            self._line_started = True
        if tag in _VOID:
            return
        frame = {
            "skip": tag in _SKIP or "hidden" in attributes
            or bool(_HIDDEN_STYLE.search(attributes.get("style", ""))),
            "link": tag == "a",
            "form": tag == "form",
            "pre": tag in ("pre", "textarea"),
            "title": tag == "title",
        }
        if candidate:
            frame["candidate"] = self._next_id
            self.parent.append(self.candidates[-1] if self.candidates else None)
            self.last.append(self._next_id)
            self.candidates.append(self._next_id)
            self._next_id += 1
        if tag == "head":
            self._heads.append(frame)
        self._push(tag, frame)

    def handle_endtag(self, tag: str) -> None:
        if tag == "br":  # browsers treat a stray </br> as <br>
            self._break()
            return
        if tag in _VOID or not self._tags[tag]:
            return  # stray end tag
        if tag in _BLOCK:
            self._break()  # before the pop, while the element's context (<pre>) applies
        # Close everything opened inside it too (unclosed <p>, <li> ...).
        while self.stack:
            closed, frame = self.stack.pop()
            if frame.get("gone"):
                continue  # a <head> a <body> already closed
            self._forget(closed, frame)
            if frame.get("candidate") is not None:
                self._break()
                self.candidates.pop()
                self.last[frame["candidate"]] = self._next_id - 1
            if closed == tag:
                break

    def handle_data(self, data: str) -> None:
        if self._has("title"):
            self.title += data
            return
        if self._has("skip"):
            return
        if not self._has("pre"):
            data = _CJK_BREAK.sub("", data)
        if not data:
            return
        if not self._line_started and data.strip():
            # The line belongs to the content elements open at its first text.
            self._owner = self.candidates[-1] if self.candidates else None
            self._in_form = self._has("form")
        if data.strip():
            self._line_started = True
        self._parts.append(data)
        if self._has("link"):
            self._link_chars += len(data.strip())

    def finish(self) -> list[_Line]:
        self._break()
        for number in self.candidates:  # still open at the end: they hold what came after them
            self.last[number] = self._next_id - 1
        return self.lines

    def holds(self, number: int, line: _Line) -> bool:
        """Does the content-like element ``number`` hold ``line``?"""
        return line.owner is not None and number <= line.owner <= self.last[number]


def _letter_lines(lines: list[_Line], page: _PageParser) -> list[_Line]:
    # ASP.NET-style pages wrap the whole page in one <form>; a form is only
    # furniture (search box, login) when it does not hold most of the text.
    total = sum(line.cjk for line in lines)
    if sum(line.cjk for line in lines if line.in_form) < 0.5 * total:
        lines = [line for line in lines if not line.in_form]
    lines = [line for line in lines if not _is_furniture(line.text)]
    total = sum(line.cjk for line in lines)
    if not total:
        return lines

    # A content-like element that holds most of the Chinese text; of nested
    # ones the innermost that still holds nearly all of it.
    sizes: dict[int, int] = defaultdict(int)
    for line in lines:
        if line.owner is not None:
            sizes[line.owner] += line.cjk
    for number in range(len(page.parent) - 1, -1, -1):  # inner ones first: each adds to the one around it
        parent = page.parent[number]
        if parent is not None and sizes.get(number):
            sizes[parent] += sizes[number]
    qualified = {owner: size for owner, size in sizes.items() if size >= 0.5 * total}
    if qualified:
        biggest = max(qualified.values())
        chosen = min((o for o, s in qualified.items() if s >= 0.8 * biggest), key=lambda o: (qualified[o], o))
        return [line for line in lines if page.holds(chosen, line)]
    return _largest_run(lines)


def _largest_run(lines: list[_Line]) -> list[_Line]:
    """The longest stretch of Chinese lines. Up to two lines without Chinese
    (a date, a phone number) may sit inside it; a line of links ends it."""
    runs: list[list[_Line]] = []
    current: list[_Line] = []
    gap: list[_Line] = []
    for line in lines:
        if line.link_share >= 0.5:
            runs.append(current)
            current, gap = [], []
        elif line.cjk:
            current += gap + [line] if current else [line]
            gap = []
        elif current:
            gap.append(line)
            if len(gap) > 2:
                runs.append(current)
                current, gap = [], []
    runs.append(current)
    return max(runs, key=lambda run: sum(line.cjk for line in run))


def _is_furniture(text: str) -> bool:
    text = text.strip()
    return len(text) <= _FURNITURE_MAX and bool(_FURNITURE_START.match(text) or _FURNITURE_ANY.search(text))


def _fallbacks(page: _PageParser, lines: list[_Line]) -> dict[str, str]:
    found = _labelled_values([line.text.strip() for line in lines])
    result: dict[str, str] = {}
    for key, labels in _FIELDS.items():
        for label in labels:
            value = found.get(label)
            if key == "date" and value:
                value = normalise_date(value)
            if value:
                result[key] = value
                break
    # <meta> tags of the common government CMSs, then <title>.
    meta = page.meta
    if "title" not in result:
        title = meta.get("articletitle") or clean_title(page.title)
        if title:
            result["title"] = title
    if "replying_unit" not in result and meta.get("contentsource"):
        result["replying_unit"] = meta["contentsource"]
    if "date" not in result:
        date = normalise_date(meta.get("pubdate", "") or meta.get("firstpublishedtime", ""))
        if date:
            result["date"] = date
    return result


def _labelled_values(texts: list[str]) -> dict[str, str]:
    """First value per label from lines like "发布机构：瓯海区经信局  发布日期：2023-06-16".
    A label alone on its line takes the next line as its value."""
    found: dict[str, str] = {}
    for index, text in enumerate(texts):
        if len(text) > 200:
            continue  # a paragraph of the letter, not a metadata row
        matches = list(_LABEL_RE.finditer(text))
        for number, match in enumerate(matches):
            end = matches[number + 1].start() if number + 1 < len(matches) else len(text)
            value = text[match.end():end].strip(" \t\u3000|｜/")
            if not value and number + 1 == len(matches) and index + 1 < len(texts):
                following = texts[index + 1]
                if len(following) <= 200 and not _LABEL_RE.search(following):
                    value = following.strip()
            label = re.sub(r"\s+", "", match.group("label"))
            if value and label not in found:
                found[label] = value
    return found


def normalise_date(value: str) -> str:
    """"2023年6月16日", "2023-06-16 10:20", "2023/6/16" -> "2023-06-16"; "" if none."""
    match = _DATE_RE.search(value)
    if not match:
        return ""
    try:
        return dt.date(*(int(part) for part in match.groups())).isoformat()
    except ValueError:
        return ""


def clean_title(title: str) -> str:
    """Drop the site name that <title> carries after "-", "_" or "|"."""
    title = _SPACES.sub(" ", title).strip()
    parts = [part for part in _TITLE_SEPARATOR.split(title) if part.strip()]
    return parts[0].strip() if parts else ""
