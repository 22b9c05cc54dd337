"""Recognise government bodies by the shape of their names: [place][level][function][suffix].

``find_departments(text, places, own_level)`` returns every body the text names, each with
its offsets and a Department that keeps the name the letter uses (a short form such as 住建局
is written out in full), its level, its place and its function classes. A name written
without a place takes the letter's own (a district letter's 区教育局 is that district's; a
bare 住建局 is at the letter's own level), so 临湖区教育局 and 江北区教育局 stay two bodies.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ouhai_tracker.extract.model import Department, Mention
from ouhai_tracker.extract.rules import cues as C
from ouhai_tracker.extract.rules import departments as R

HAN = r"\u4e00-\u9fff"
# Names too generic to stand without a level or a place (区政府 yes, 政府购买服务 no).
NEEDS_LEVEL = set(R.NEEDS_LEVEL)
# Sub-units written right after their parent: 市公安局交警支队, 市生态环境局瓯海分局.
SUB_UNIT = re.compile(r"[^\W\d" + re.escape("".join(sorted(R.STOP_CHARS))) + r"]{1,8}?(?:"
                      + "|".join(R.SUB_UNIT_SUFFIXES) + ")")
TOWN = re.compile("镇|乡|街道")
TOWN_NOT_BEFORE = set(R.TOWN_NOT_BEFORE)
# Partner lists by stem: 与住建、城管、水利等部门 / 衔接县、市、省发改等部门.
LIST_JOIN = C.LIST_JOINERS


@dataclass(frozen=True)
class Table:
    """The name tables compiled once: every written form, and what it stands for."""

    forms: dict[str, tuple[str, str, str]]  # written form -> (full name, short form, class key)
    class_names: dict[str, tuple[str, ...]]  # class key -> its full names, the usual one first
    stems: dict[str, str]  # stem -> class key
    stems_by_first: dict[str, tuple[str, ...]]  # first character -> the stems it starts, longest first
    list_stems: dict[str, str]
    known: re.Pattern  # any table form
    grammar: re.Pattern  # [level][function words][strong suffix]
    stem_led: re.Pattern  # [stem][function words][strong suffix], no level needed
    stem_list: re.Pattern
    list_window: re.Pattern  # the stretches a stem list may stand in: its characters, then 部门 / 单位
    local: re.Pattern
    local_forms: dict[str, str]
    league: re.Pattern
    counterpart: re.Pattern


def _alternation(words) -> str:
    """A regex for any of ``words``, the longest first where several match. Written as a trie
    (住(?:房和城乡建设|建)…): the engine reads each character once instead of trying every
    word in turn, and as only words that are prefixes of one another can match at one place,
    it tries them longest first, as a plain longest-first alternation does."""
    trie: dict = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}  # a word ends here

    def pattern(node: dict) -> str:
        branches = [re.escape(ch) + pattern(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    return pattern(trie)


SUFFIXES_LONGEST_FIRST = sorted((*R.STRONG_SUFFIXES, *R.WEAK_SUFFIXES), key=len, reverse=True)


def _strip_suffix(name: str) -> str:
    for suffix in SUFFIXES_LONGEST_FIRST:
        if name.endswith(suffix) and len(name) > len(suffix):
            return name[:-len(suffix)]
    return name


@lru_cache(maxsize=1)
def table() -> Table:
    forms: dict[str, tuple[str, str, str]] = {}
    class_names: dict[str, tuple[str, ...]] = {}
    stems: dict[str, str] = {}
    list_stems: dict[str, str] = {}
    for key, names, listed in R.FUNCTIONS:
        class_names[key] = tuple(full for full, _ in names)
        for full, shorts in names:
            short = min((full, *shorts), key=len)
            for form in (full, *shorts):
                forms.setdefault(form, (full, short, key))
                stem = _strip_suffix(form)
                if listed and len(stem) >= 2 and stem != form:
                    stems.setdefault(stem, key)
        for stem in listed:
            stems.setdefault(stem, key)
            list_stems.setdefault(stem, key)
    stop = re.escape("".join(sorted(R.STOP_CHARS_IN_FUNCTION)))
    func = rf"[^{stop}\W\d]"
    level = _alternation(R.LEVEL_PREFIXES)
    strong = _alternation(R.STRONG_SUFFIXES)
    local_forms = {f: canonical for canonical, fs in R.LOCAL_BODIES for f in fs}
    stems_by_first: dict[str, tuple[str, ...]] = {}
    for stem in sorted(stems, key=len, reverse=True):
        stems_by_first[stem[0]] = (*stems_by_first.get(stem[0], ()), stem)
    # Every character a stem list may hold before its 部门 / 单位.
    list_chars = {*"".join(R.LEVEL_PREFIXES), *"、，,", *LIST_JOIN, "等", *"".join(list_stems)}
    return Table(
        forms=forms, class_names=class_names, stems=stems, list_stems=list_stems,
        stems_by_first=stems_by_first,
        known=re.compile(_alternation(forms)),
        grammar=re.compile(rf"(?P<level>{level})(?P<func>{func}{{2,12}}?)(?P<suffix>{strong})"),
        stem_led=re.compile(rf"(?P<func>(?:{_alternation(stems)}){func}{{0,8}}?)(?P<suffix>{strong})"),
        stem_list=re.compile(rf"(?P<levels>(?:(?:{level})[、，,])*(?:{level}))?(?P<items>(?:{_alternation(list_stems)})"
                             rf"(?:[{LIST_JOIN}](?:{_alternation(list_stems)}))*)等?(?:部门|单位)"),
        list_window=re.compile(f"[{re.escape(''.join(sorted(list_chars)))}]+(?:部门|单位)"),
        local=re.compile(_alternation(local_forms)), local_forms=local_forms,
        league=re.compile(_alternation(R.YOUTH_LEAGUE)),
        counterpart=re.compile(r"(?P<level>[省市区县])局(?![长面势限部])"),
    )


# ---- places ---------------------------------------------------------------------------------

PLACE_LEVEL = re.compile(_alternation(R.PLACE_LEVELS))
INNER_FORBIDDEN = set("省市区县")  # level characters never inside a place's own name (温州 yes, 市瓯海 no)
NOT_IN_PLACE = re.compile(_alternation(R.NOT_IN_PLACE_WORDS))
# What no place chain holds: a character that is not Han, or a stop character of no level word.
NOT_IN_CHAIN = re.compile(f"[^{HAN}]|[{re.escape(''.join(sorted(R.STOP_CHARS - set(''.join(R.PLACE_LEVELS)))))}]")
NOT_IN_FUNCTION = re.compile(_alternation(R.NOT_IN_FUNCTION_WORDS))


# Level words by their last character, longest first: a position is tested against the few
# words that can end there, not all twenty (this test runs for every character of a place).
LEVEL_WORDS_BY_LAST: dict[str, tuple[str, ...]] = {}
for _word in sorted(R.PLACE_LEVELS, key=len, reverse=True):
    LEVEL_WORDS_BY_LAST[_word[-1]] = (*LEVEL_WORDS_BY_LAST.get(_word[-1], ()), _word)


def _level_word_ending_at(text: str, end: int) -> str | None:
    end = min(end, len(text))
    if end <= 0:
        return None
    for word in LEVEL_WORDS_BY_LAST.get(text[end - 1], ()):
        if text.endswith(word, 0, end):
            return word
    return None


def _may_be_in_place(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff" and (ch not in R.STOP_CHARS or ch in R.IN_PLACE_NAMES) and ch not in INNER_FORBIDDEN


def _is_boundary(text: str, pos: int) -> bool:
    """Whether a place name may start at ``pos``: after a non-Han character, a stop character,
    another place's level word (温州市|瓯海区) or a verb that leads a name (成立|石门县…)."""
    if pos <= 0:
        return True
    ch = text[pos - 1]
    return (not ("\u4e00" <= ch <= "\u9fff") or ch in R.STOP_CHARS or _level_word_ending_at(text, pos) is not None
            or text.endswith(R.NAME_LEADING_VERBS, 0, pos) or text.endswith(R.PARENT_BODIES, 0, pos))


def place_ending_at(text: str, end: int, known: tuple[str, ...] = ()) -> int | None:
    """Start of the place chain (温州市瓯海区, 青石镇) that ends at ``end``, or None.

    ``text[:end]`` must end with a level word. A place the letter is known to name wins;
    otherwise the longest name of 1-8 characters that starts at a word boundary."""
    for place in sorted(known, key=len, reverse=True):
        if text.endswith(place, 0, end):
            return end - len(place)
    word = _level_word_ending_at(text, end)
    if word is None:
        return None
    name_end = end - len(word)
    if word in R.ZONES and (name_end == 0 or _is_boundary(text, name_end)) \
            and not (name_end and _level_word_ending_at(text, name_end)):
        return name_end  # 高新区管委会: the zone is the place
    longest = 12 if word.startswith("自治") else 4  # (镇沅彝族哈尼族拉祜族自治县)
    # A name is made of Han characters that are neither stop characters nor level characters:
    # count how many stand before the level word, and try only names that long or shorter.
    run = 0
    while run < longest and run < name_end and _may_be_in_place(text[name_end - run - 1]):
        run += 1
    start = None
    for length in range(run, 0, -1):
        s = name_end - length
        name = text[s:name_end]
        if (name[0] in R.NOT_PLACE_START and not (name[0] in R.HONORIFIC and length > 1)) \
                or name[0] in R.IN_PLACE_NAMES or NOT_IN_PLACE.search(name) \
                or text.startswith(R.NOT_PLACE_NAMES, s):  # (民盟 with its 盟: a party, not a league)
            continue
        if not _is_boundary(text, s):
            continue
        chained = _level_word_ending_at(text, s) is not None
        if length == 1 and not chained and not (s == 0 or not "\u4e00" <= text[s - 1] <= "\u9fff"):
            continue  # 东区 only inside a chain (金川市东区), 房县 only where a name stands alone
        if length == 4 and not word.startswith("自治") and not (chained or s == 0 or text[s - 1] == "\n"):
            continue  # four characters only where a name stands alone (齐齐哈尔市 on its own line)
        start = s
        break
    if start is None:
        return None
    outer = place_ending_at(text, start) if _level_word_ending_at(text, start) else None
    return outer if outer is not None else start


def level_of(word: str) -> str:
    return R.LEVEL_OF.get(word, word)


def innermost_level(place: str) -> str | None:
    word = _level_word_ending_at(place, len(place))
    return level_of(word) if word else None


# ---- building a Department --------------------------------------------------------------------


def _classes(func: str) -> tuple[str, ...]:
    """Function classes a name's function words belong to: 科技经信 -> (科技, 经信)."""
    t = table()
    found = []
    i = 0
    while i < len(func):
        stem = next((s for s in t.stems_by_first.get(func[i], ()) if func.startswith(s, i)), None)
        if stem:
            if t.stems[stem] not in found:
                found.append(t.stems[stem])
            i += len(stem)
        else:
            i += 1
    return tuple(found)


def make_department(name: str, level: str | None, place: str | None = None) -> Department:
    """A body from its level-less name as written (住建局, 林业和草原局), its level and place.

    The name is kept as the letter writes it where it is the body's own spelling (文化广电旅游体育局)
    or the short form people know it by (住建局, 区教委); another variant some table lists is
    written out in full (住房城乡建设局 is 住房和城乡建设局). The full name at its place stays an
    alias: the same body in a letter that spells it out."""
    full, short, key = table().forms.get(name, (name, name, None))
    kept = name if name.replace("和", "") == full.replace("和", "") or name == short else full
    classes = (key,) if key else _classes(_strip_suffix(name))
    prefix = place or level or ""
    # The forms a letter may write it in; other names of its class are matched by class, not alias.
    forms = {name, full, short}
    aliases = forms | {(level or "") + f for f in forms} | ({prefix + full} if place else set())
    return Department(name=prefix + kept, short=prefix + short, level=level,
                      aliases=tuple(sorted(a for a in aliases if a and a not in (prefix + kept, prefix + short))),
                      place=place, functions=classes)


def department_for_field(field: str, level: str | None, places: dict[str, str]) -> Department | None:
    """The usual body of a field of work (住房和城乡建设 -> 住房和城乡建设局), at a level."""
    classes = _classes(field)
    if len(classes) != 1:
        return None
    return make_department(table().class_names[classes[0]][0], level, places.get(level) if level else None)


def government(level: str, place: str | None) -> Department:
    """The government of a place: 我县 in a county bureau's letter, 县政府; a 街道's 办事处."""
    return make_department("办事处" if level == "街道" else "人民政府", level, place)


@dataclass
class Found:
    start: int
    end: int
    name: str  # level-less, as written
    level: str | None
    place: str | None
    written_place: bool  # the text itself names the place
    source: int  # 0 table form, 1 grammar, 2 stem-led: ties go to the table


# Level prefixes by their last character, longest first: a name's start is tested against the
# one or two that can end there, not all nine.
LEVEL_PREFIXES_BY_LAST: dict[str, tuple[str, ...]] = {}
for _prefix in sorted(R.LEVEL_PREFIXES, key=len, reverse=True):
    LEVEL_PREFIXES_BY_LAST[_prefix[-1]] = (*LEVEL_PREFIXES_BY_LAST.get(_prefix[-1], ()), _prefix)


def _level_before(text: str, start: int) -> str | None:
    """The bare level prefix right before a name (区住建局), unless it belongs to another word (社区)."""
    if start <= 0:
        return None
    for prefix in LEVEL_PREFIXES_BY_LAST.get(text[start - 1], ()):
        if text.endswith(prefix, 0, start):
            if len(prefix) == 1 and start >= 2 and text[start - 2] in R.NOT_LEVEL_BEFORE \
                    and place_ending_at(text, start) is None:
                return None
            return prefix
    return None


def find_departments(text: str, places: dict[str, str] | None = None, own_level: str | None = None,
                     replying: Department | None = None) -> list[Mention]:
    """Every body named in ``text``. ``places`` maps a level to the letter's place at that level
    ({"市": "温州市", "区": "温州市瓯海区"}); ``own_level`` is the level of a name written without one."""
    t = table()
    places = places or {}
    known_places = tuple(places.values())
    candidates: list[Found] = []
    starts: dict[int, int | None] = {}
    place: str | None

    def place_ending(end: int) -> int | None:
        """place_ending_at, once per end: the table and the grammar often find one name twice."""
        if end not in starts:
            starts[end] = place_ending_at(text, end, known_places)
        return starts[end]

    def place_for(level_start: int, level_word: str | None) -> tuple[int, str | None, bool]:
        if level_word is None:
            return level_start, None, False
        end = level_start + len(level_word)
        start = place_ending(end)
        if start is not None and start < level_start:
            return start, text[start:end], True
        return level_start, None, False

    for m in t.known.finditer(text):
        form = m.group()
        level = _level_before(text, m.start())
        start = m.start() - len(level) if level else m.start()
        if level is None and form in NEEDS_LEVEL:
            place_start = place_ending(m.start())
            if place_start is None:
                continue
            place = text[place_start:m.start()]
            candidates.append(Found(place_start, m.end(), form, innermost_level(place), place, True, 0))
            continue
        start, place, written = place_for(start, level)
        candidates.append(Found(start, m.end(), form, level, place, written, 0))
    for source, rx in ((1, t.grammar), (2, t.stem_led)):
        for m in rx.finditer(text):
            level = m.groupdict().get("level")
            if level and len(level) == 1 and m.start() >= 1 and text[m.start() - 1] in R.NOT_LEVEL_BEFORE \
                    and place_ending_at(text, m.start() + 1) is None:
                continue
            name = m.group("func") + m.group("suffix")
            if NOT_IN_FUNCTION.search(m.group("func")):
                continue
            if source == 2 and _level_before(text, m.start()):
                level = _level_before(text, m.start())
                start = m.start() - len(level)  # type: ignore[arg-type]  # found just above
            else:
                start = m.start()
            start, place, written = place_for(start, level)
            candidates.append(Found(start, m.end(), name, level, place, written, source))
    # A named town's government (青石镇人民政府) is matched above by its place; a bare 政府 is not.
    chosen = _non_overlapping(candidates)
    places = _with_written_places(chosen, places)
    mentions = _named_again([_mention(text, f, places, own_level) for f in chosen])
    if replying is not None:
        # The replying unit under another of its names (县科技工信局 in 石门县科技经信局's letter).
        mentions = [Mention(replying, m.start, m.end, m.text) if same_body(m.department, replying) else m
                    for m in mentions]
    mentions = _with_sub_units(text, mentions)
    # The characters names cover, so that "does this stretch overlap a name" costs its own length,
    # however many names the text holds; each name added below covers its characters too.
    taken = bytearray(len(text))
    for mention in mentions:
        taken[mention.start:mention.end] = b"\x01" * (mention.end - mention.start)

    def free(s: int, e: int) -> bool:
        return taken.find(1, s, e) == -1

    extra: list[Mention] = []

    def keep(mention: Mention) -> None:
        extra.append(mention)
        taken[mention.start:mention.end] = b"\x01" * (mention.end - mention.start)

    # A named town standing for its government (白水镇牵头负责, 和红岭镇、交通部门联合开展).
    for m in TOWN.finditer(text):
        town = place_ending(m.end())
        if town is None or not 3 <= m.end() - town <= 6 or not free(town, m.end()):
            continue
        if text[m.end():m.end() + 1] in TOWN_NOT_BEFORE:
            continue
        level = level_of(m.group())
        keep(Mention(government(level, text[town:m.end()]), town, m.end(), text[town:m.end()]))
    for m in t.league.finditer(text):
        if free(m.start(), m.end()):
            level = R.YOUTH_LEAGUE[m.group()]
            keep(Mention(make_department("团委", level, places.get(level)), m.start(), m.end(), m.group()))
    for m in t.local.finditer(text):
        if free(m.start(), m.end()):
            local = m.group()
            keep(Mention(Department(local, local, None, tuple(sorted({local, t.local_forms[local]})),
                                     functions=(R.LOCAL,)), m.start(), m.end(), local))
    if replying is not None and replying.level:
        for m in t.counterpart.finditer(text):
            if not free(m.start(), m.end()) or (m.start() and text[m.start() - 1] in R.NOT_LEVEL_BEFORE):
                continue
            level = m.group("level")
            base = replying.name[len(replying.place or replying.level or ""):]
            dept = replying if level == replying.level else make_department(base, level, places.get(level))
            keep(Mention(dept, m.start(), m.end(), m.group()))
    mentions.extend(extra)
    listed = _stem_lists(text, places, own_level)
    # A list's last stem may have been read as a name (…、自然资源和规划部门): the list wins.
    in_list = bytearray(len(text))
    for x in listed:
        in_list[x.start:x.end] = b"\x01" * (x.end - x.start)
    mentions = [m for m in mentions if in_list.find(1, m.start, max(m.end, m.start + 1)) == -1]
    mentions.extend(listed)
    mentions.sort(key=lambda x: (x.start, x.end))
    return mentions


def _named_again(mentions: list[Mention]) -> list[Mention]:
    """A body named again in a shorter form is the body named first (福兴地镇人民政府, then 由镇政府
    核定…): the same level, place and function, and a name of the same kind (局, 府, 队 …)."""
    # The bodies named so far, by what same_body compares and the kind of name: a mention is
    # checked against the few of its own kind, however many names the letter holds.
    first: dict[tuple, list[Department]] = {}
    out = []
    for m in mentions:
        dept = m.department
        if not dept.functions:
            out.append(m)
            continue
        kind = first.setdefault((dept.functions, dept.level, dept.name[-1]), [])
        earlier = next((d for d in kind if d.name != dept.name and len(m.text) < len(d.name) and same_body(d, dept)),
                       None)
        if earlier is not None:
            m = Mention(earlier, m.start, m.end, m.text)
        elif dept not in kind:
            kind.append(dept)
        out.append(m)
    return out


def _with_written_places(found: list[Found], places: dict[str, str]) -> dict[str, str]:
    """A level the letter's own places leave open takes the one place the text names at that
    level (给兴隆地镇人民政府下发文件…由镇政府核定…: the 镇 is 兴隆地镇)."""
    written: dict[str, set[str]] = {}
    for f in found:
        if f.written_place and f.place:
            level = innermost_level(f.place)
            if level:
                written.setdefault(level, set()).add(f.place)
    extra = {level: next(iter(names)) for level, names in written.items() if len(names) == 1 and level not in places}
    return {**places, **extra} if extra else places


def same_body(a: Department, b: Department) -> bool:
    """Two names of one body: the same level and place, and the same function classes."""
    if a.name == b.name:
        return True
    if a.name.endswith("部门") or b.name.endswith("部门"):
        return False  # 公安交管部门 names a part of the bureau, or its field: kept as written
    return (bool(a.functions) and a.functions == b.functions and a.level == b.level
            and (a.place == b.place or not a.place or not b.place))


def _non_overlapping(candidates: list[Found]) -> list[Found]:
    """Longest first, the table before the grammar on a tie; then in text order."""
    chosen: list[Found] = []
    # The characters the chosen names cover: a candidate is free when none of its own is, found
    # in time proportional to its length, however many names the text holds.
    taken = bytearray(max((f.end for f in candidates), default=0))
    for f in sorted(candidates, key=lambda f: (-(f.end - f.start), f.source, f.start)):
        if f.end > f.start and taken.find(1, f.start, f.end) == -1:
            chosen.append(f)
            taken[f.start:f.end] = b"\x01" * (f.end - f.start)
    return sorted(chosen, key=lambda f: f.start)


def _resolve_level(name: str, level: str | None, own_level: str | None) -> str | None:
    if level:
        return level
    if name.endswith("厅"):
        return "省"
    if own_level in ("镇", "乡", "街道") and not name.endswith(("人民政府", "政府", "办事处")):
        return None  # a township has no bureaus: a bare 农业局 in its letter is the county's
    return own_level


def _mention(text: str, f: Found, places: dict[str, str], own_level: str | None) -> Mention:
    level = _resolve_level(f.name, f.level, own_level)
    place = f.place
    if place is None and level:
        place = places.get(level)
    elif place is not None:
        # 东岸区 written in the body is the 松江市东岸区 the letter's signature names.
        fuller = next((p for p in places.values() if p.endswith(place) and len(p) > len(place)), None)
        place = fuller or place
    return Mention(make_department(f.name, level, place), f.start, f.end, text[f.start:f.end])


def _with_sub_units(text: str, mentions: list[Mention]) -> list[Mention]:
    """市公安局交警支队 and 市生态环境局瓯海分局 are one body each; a later bare 交警支队 is that one."""
    out: list[Mention] = []
    chains: dict[str, Department] = {}
    i = 0
    while i < len(mentions):
        m = mentions[i]
        sub = SUB_UNIT.match(text, m.end)
        if sub and m.department.name and not m.text.endswith(R.SUB_UNIT_SUFFIXES[:-1]):
            covered = [x for x in mentions[i + 1:] if x.start < sub.end()]
            if all(x.end <= sub.end() for x in covered):
                name = m.department.name + sub.group()
                parent = m.department
                dept = Department(name, parent.short + sub.group(), parent.level,
                                  tuple(sorted({sub.group(), m.text + sub.group()})), parent.place,
                                  covered[0].department.functions if covered else parent.functions)
                chains[sub.group()] = dept
                out.append(Mention(dept, m.start, sub.end(), text[m.start:sub.end()]))
                i += 1 + len(covered)
                continue
        if m.text in chains:
            m = Mention(chains[m.text], m.start, m.end, m.text)
        out.append(m)
        i += 1
    return out


def _stem_lists(text: str, places: dict[str, str], own_level: str | None) -> list[Mention]:
    """与住建、城管、林业、水利等部门: each stem is that class's usual body at the letter's level;
    衔接县、市、省发改等部门: one body per level. A lone stem (交通部门) is a name, not a list."""
    t = table()
    out: list[Mention] = []
    # The list pattern tried at every character was a tenth of extraction: it runs only where
    # its own characters lead up to 部门 / 单位, as a list must.
    for m in (m for w in t.list_window.finditer(text) for m in t.stem_list.finditer(text, w.start(), w.end())):
        levels = [x for x in re.split(f"[{LIST_JOIN}]", m.group("levels") or "") if x]
        items = m.group("items")
        if len(levels) < 2 and not any(ch in LIST_JOIN for ch in items):
            continue  # 县交通部门 is a name; a list has two items or two levels (县、市、省发改等部门)
        pos = m.start("items")
        i = 0
        while i < len(items):
            starting = t.stems_by_first.get(items[i], ())
            stem = next((s for s in starting if s in t.list_stems and items.startswith(s, i)), None)
            if stem is None:
                i += 1
                continue
            full = t.class_names[t.list_stems[stem]][0]
            # 衔接县、市、省发改等部门: the levels belong to the first stem's mention.
            start = m.start() if levels and i == 0 else pos + i
            for written_level in levels or [None]:
                level = _resolve_level(full, written_level, own_level)
                dept = make_department(full, level, places.get(level) if level else None)
                out.append(Mention(dept, start, pos + i + len(stem), text[start:pos + i + len(stem)]))
            i += len(stem)
    return out


def department_from_name(name: str, places: dict[str, str] | None = None,
                         own_level: str | None = None) -> Department | None:
    """The Department a whole name denotes (a signature line, a user's --owner or --dept)."""
    name = name.strip()
    return _best(name, find_departments(name, places, own_level))


def _best(name: str, mentions: list[Mention]) -> Department | None:
    """Of the mentions found in a name, the one the whole name denotes: the longest ending it."""
    found = [m for m in mentions if m.department.name]
    if not found:
        return None
    ending = [m for m in found if m.end == len(name)]
    return max(ending or found, key=lambda m: m.end - m.start).department


# The last characters a unit's name can end with: every suffix, table name and local body's.
UNIT_ENDINGS = tuple(sorted({name[-1] for name in (
    *R.STRONG_SUFFIXES, *R.WEAK_SUFFIXES, *R.UNIT_ONLY_SUFFIXES, *R.PLACE_LEVELS,  # (a town alone: 青湖镇)
    *(form for _, names, _ in R.FUNCTIONS for full, shorts in names for form in (full, *shorts)),
    *(form for _, forms in R.LOCAL_BODIES for form in forms))}))
UNIT_TAIL = re.compile(r"(?P<func>[^\W\d" + re.escape("".join(sorted(R.STOP_CHARS_IN_FUNCTION))) + r"]{2,12}?)(?P<suffix>"
                       + "|".join(R.UNIT_ONLY_SUFFIXES) + ")")


def unit_from_name(name: str, places: dict[str, str] | None = None, own_level: str | None = None) -> Department | None:
    """The body a whole name denotes where the text is known to name a unit (a signature, a
    page's 发布机构, a breadcrumb): what department_from_name reads, and besides a name that
    starts with a place or a level and ends in a suffix too common to close a name in running
    text (河东区公路中心, 县体育中心, 县住建局市政处)."""
    name = name.strip()
    if not name.endswith(UNIT_ENDINGS):
        return None  # (most lines a page holds: tried before the name is read)
    whole = [m for m in find_departments(name, places, own_level)
             if m.department.name and m.start == 0 and m.end == len(name)]
    if whole:
        return whole[0].department
    chain = place_chain(name)
    place = max(chain.values(), key=len) if chain else None
    rest = name[len(place):] if place else name
    level = innermost_level(place) if place else None
    if place is None:
        level = next((p for p in sorted(R.LEVEL_PREFIXES, key=len, reverse=True) if rest.startswith(p)), None)
        if level is None:
            return None
        rest = rest[len(level):]
        place = (places or {}).get(level)
    if not UNIT_TAIL.fullmatch(rest):
        return None
    classes = _classes(_strip_suffix(rest))
    prefix = place or level or ""
    return Department(name=prefix + rest, short=prefix + rest, level=level,
                      aliases=tuple(sorted({rest, (level or "") + rest} - {prefix + rest})), place=place,
                      functions=classes)


def place_chain(name: str) -> dict[str, str]:
    """The places a full name states, by level: 温州市瓯海区经济和信息化局 ->
    {"市": "温州市", "区": "温州市瓯海区"}."""
    out: dict[str, str] = {}
    # A chain from the start ends before the first character no chain holds: no level word
    # after it is tried.
    other = NOT_IN_CHAIN.search(name)
    for m in PLACE_LEVEL.finditer(name, 0, other.start() if other else len(name)):
        if PLACE_LEVEL.match(name, m.end()) and not table().known.match(name, m.end()):
            continue  # 云州区, 市中区: the first level word is part of the name (not 江北区市场监督管理局's)
        start = place_ending_at(name, m.end())
        if start is None or start != 0:
            continue
        place = name[:m.end()]
        out.setdefault(level_of(m.group()), place)
    return out


def read_query(text: str) -> tuple[str | None, str | None, str | None]:
    """What a person's --dept value names: (function class, level, place). 瓯海区经信局 ->
    (经信, 区, 瓯海区); 经信局 -> (经信, None, None); 瓯海区 -> (None, None, 瓯海区); 县教育局 ->
    (教育, 县, None). A name no class knows gives (None, None, None): it is matched as written."""
    text = text.strip()
    found = find_departments(text)
    if found and found[-1].end == len(text):
        dept = found[-1].department
        if dept.functions and dept.functions != (R.LOCAL,):
            return dept.functions[-1], dept.level, innermost_place(dept.place) if dept.place else None
    chain = place_chain(text)
    if chain and max(chain.values(), key=len) == text:
        return None, None, innermost_place(text)
    return None, None, None


def innermost_place(place: str) -> str:
    """瓯海区 of 温州市瓯海区: the place a person types."""
    chains = sorted(place_chain(place).values(), key=len)
    if len(chains) >= 2 and chains[-1] == place:
        return place[len(chains[-2]):]
    return place


def innermost(place: str | None) -> str | None:
    """临湖区 of 江州市临湖区, or None for no place: places are compared by their innermost name."""
    return innermost_place(place) if place else None


def abbreviates(short: str, full: str) -> bool:
    """Whether ``short`` is ``full`` written short: its characters, in their order (文旅广电局 and
    文化旅游和广播电视局, 县文化旅游委 and 县文化和旅游发展委员会)."""
    rest = iter(full)
    return all(ch in rest for ch in short)


def _kind(name: str) -> str:
    """What kind of body a name closes on: 局, 厅, 府 …; 委员会 and 委 are one kind."""
    return "委" if name.endswith("委员会") else name[-1]


def as_it_names_itself(replying: Department, mentions: list[Mention]) -> Department:
    """The replying unit under the name its letter calls it by in the text: the form written most
    often (县文化旅游委 in the letter that 垫江县文化和旅游发展委员会 heads), with its place. A
    title or signature spells the name out once; the body then uses the short form people know it
    by. The name read from the title or signature stays an alias. Ties keep the longer name."""
    level = replying.level or ""
    prefix = replying.place or level
    written = replying.name[len(prefix):] if replying.name.startswith(prefix) else replying.name
    if SUB_UNIT.search(written):
        return replying  # 市生态环境局嵊州分局 calls itself 分局: a part of its name, not a name
    forms: dict[str, int] = {}
    for m in mentions:
        if m.department.name == replying.name:
            at = m.text.find(level) if level else -1
            form = m.text[at + len(level):] if 0 <= at <= len(m.text) - 3 else m.text
            # Not 区局 / 市局 (the counterpart at a level), nor another name (科技工信局 for 科技经信局):
            # a short form takes the full name's characters in their order.
            if len(form) >= 3 and abbreviates(form, written):
                forms[form] = forms.get(form, 0) + 1
    if not forms:
        return replying
    best = max(forms, key=lambda form: (forms[form], form != written, len(form)))
    if best == written or forms[best] < forms.get(written, 0) or _kind(best) != _kind(written):
        return replying
    aliases = {*replying.aliases, replying.name, replying.short} - {prefix + best}
    return Department(name=prefix + best, short=replying.short, level=replying.level, aliases=tuple(sorted(aliases)),
                      place=replying.place, functions=replying.functions)
