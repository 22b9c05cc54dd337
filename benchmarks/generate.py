"""Synthetic reply letters (答复函) for benchmarks: deterministic, varied, in the genre.

Every letter is built from a seeded ``random.Random``, so the same (seed, count)
gives the same files byte for byte. The letters have what real ones have (see
DOMAIN.md): a document number and class mark, an addressee, the proposers and
session, the proposal's title, numbered sections in several styles (一、 (一) 1.
一是), past reports with statistics and cited policies with document numbers,
promises with every kind of deadline (dates, periods, 近期/尽快, 每年/每季度,
待…后/若…, none), owners at several levels, partners (会同/联合/配合, 牵头), and a
contact line and signature. The extraction finds 8–14 commitments in a typical one.

    python benchmarks/generate.py OUT_DIR --letters 1000 [--seed 5]
"""
from __future__ import annotations

import argparse
import random
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

# Replying bodies: (full name, the field it thanks for, weight). Weights are skewed like
# real work loads: education and housing answer many proposals, archives few.
BUREAUS = (
    ("教育局", "教育", 12), ("住房和城乡建设局", "城乡建设", 10), ("卫生健康局", "卫生健康", 8),
    ("人力资源和社会保障局", "人力资源和社会保障", 8), ("交通运输局", "交通运输", 7),
    ("民政局", "民政", 6), ("经济和信息化局", "工业经济", 6), ("市场监督管理局", "市场监管", 5),
    ("自然资源和规划局", "自然资源和规划", 4), ("生态环境局", "生态环境保护", 4),
    ("农业农村局", "农业农村", 4), ("文化和广电旅游体育局", "文化旅游体育", 3),
    ("商务局", "商务", 3), ("科学技术局", "科技创新", 3), ("财政局", "财政", 2),
    ("发展和改革局", "发展改革", 2), ("综合行政执法局", "城市管理", 2), ("水利局", "水利", 2),
    ("应急管理局", "应急管理", 2), ("医疗保障局", "医疗保障", 2), ("司法局", "司法行政", 1),
    ("退役军人事务局", "退役军人服务", 1), ("数据资源管理局", "数字政府建设", 1),
    ("工商业联合会", "非公有制经济", 2), ("总工会", "工会", 1), ("妇女联合会", "妇女儿童", 1),
    ("残疾人联合会", "残疾人", 1), ("科学技术协会", "科普", 1), ("统计局", "统计", 1),
)
# Bodies that appear as partners (会同/联合/配合) or in reports, beside the replying ones.
PARTNERS = ("财政局", "发展和改革局", "教育局", "住房和城乡建设局", "自然资源和规划局", "人力资源和社会保障局",
            "市场监督管理局", "公安分局", "卫生健康局", "民政局", "交通运输局", "总工会", "工商业联合会",
            "残疾人联合会", "妇女联合会", "团委", "医疗保障局", "综合行政执法局", "农业农村局", "商务局")
LEVELS = (("区", 14), ("市", 4), ("县", 2))
PLACES = ("江州市临湖", "南屿市东港", "桐川市西塘", "泉溪市鹿鸣", "安澜市江北", "永宁市城东", "清源市柳湾",
          "碧山市南溪", "云台市北岭", "海宁市东湖", "青阳市松溪", "金湾市新城")
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程魏苏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方邹熊白孟秦邱侯江尹薛闫段雷龙黎史陶贺毛郝顾龚邵万覃武钱戴严莫孔向常汤康易乔赖文"
GIVEN = "明华建国丽娟晓燕海涛志强秀英玉兰伟静敏磊洋艳勇军杰娜涛超霞平刚桂芳佳宁立秋雨桐长林晓梅思远嘉怡立新雅琴凯文晓丹岚"
SECTORS = ("工商(经济)界", "教育界别", "医药卫生界", "农业和农村界", "社会福利和社会保障界", "科技界别", "文化艺术界",
           "经济界别", "民建", "民盟", "九三学社", "无党派人士")
TOPICS = {  # field -> proposal topics and the things promised about them
    "default": (("推进{x}高质量发展", "专项行动"), ("优化{x}服务供给", "服务体系"), ("加强{x}人才队伍建设", "人才培养机制"),
                ("补齐{x}短板", "基础设施"), ("完善{x}政策保障", "配套政策"), ("提升{x}数字化水平", "信息化平台")),
}
ACTIONS = ("开展{t}专项检查", "出台{t}实施细则", "建成{t}示范点{n}个", "组织{t}培训{n}场次", "推进{t}试点工作",
           "完善{t}考核办法", "建立{t}工作台账", "编制{t}专项规划", "新增{t}服务网点{n}个", "启动{t}提升工程",
           "修订{t}管理办法", "实施{t}改造项目{n}个", "开展{t}满意度测评", "建立{t}联席会议制度")
PAST = ("{y}年，我{u}共开展{t}相关工作{n}项，惠及群众{m}人次。", "截至{y}年底，全{p}累计完成{t}项目{n}个，投入资金{m}万元。",
        "{y}年以来，我{u}先后组织{t}活动{n}场，参与人数达到{m}人。", "目前全{p}共有{t}服务点{n}个，覆盖率达到{k}%。",
        "{y}年{mo}月，{who}印发了《{title}》（{docno}），明确了{t}的目标任务。",
        "根据《{title}》（{docno}），对符合条件的对象给予{n}万元补助，{y}年共发放{m}万元。",
        "原计划{y}年底前完成的{t}项目已于{y}年{mo}月如期完成。")


def _pick(rng: random.Random, weighted) -> tuple:
    return rng.choices(weighted, weights=[w[-1] for w in weighted])[0]


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


def _cn(n: int) -> str:
    digits = "零一二三四五六七八九"
    if n <= 10:
        return "十" if n == 10 else digits[n]
    return ("" if n < 20 else digits[n // 10]) + "十" + (digits[n % 10] if n % 10 else "")


class _Letter:
    """One letter's choices, then its text."""

    def __init__(self, rng: random.Random, number: int) -> None:
        self.rng = rng
        self.number = number
        self.level = _pick(rng, LEVELS)[0]
        self.place = rng.choice(PLACES)
        self.bureau, self.field, _ = _pick(rng, BUREAUS)
        self.unit_word = "会" if self.bureau.endswith(("会", "联合会")) else "局"
        self.letter_date = date(2019, 1, 1) + timedelta(days=rng.randrange(6 * 365))
        self.year = self.letter_date.year
        self.abbr = self.place[-2:] + rng.choice(("教", "建", "卫", "人社", "交", "民", "经信", "市监", "政办"))
        self.topic, self.thing = rng.choice(TOPICS["default"])
        self.topic = self.topic.format(x=self.field)
        self.policies: list[tuple[str, str]] = []

    # -- pieces
    def docno(self, year: int | None = None) -> str:
        return f"{self.abbr}〔{year or self.year - self.rng.randint(0, 4)}〕{self.rng.randint(1, 60)}号"

    def policy(self) -> str:
        rng = self.rng
        y = self.year - rng.randint(0, 4)
        span = f"（{y}—{y + 2}年）" if rng.random() < 0.4 else ""
        kind = rng.choice(("实施方案", "管理办法", "三年行动计划", "实施意见", "工作方案", "补助办法"))
        title = f"{self.place[3:]}{self.level}{self.field}{rng.choice(('提升', '发展', '改革', '服务'))}{kind}{span}"
        number = self.docno(y)
        self.policies.append((title, number))
        return f"《{title}》（{number}）"

    def partner(self) -> str:
        choices = [p for p in PARTNERS if p != self.bureau]
        return self.level + self.rng.choice(choices)

    def action(self) -> str:
        rng = self.rng
        return rng.choice(ACTIONS).format(t=rng.choice((self.field, self.thing, self.field + self.thing)),
                                          n=rng.randint(2, 30))

    def deadline(self) -> str:
        """A time expression (or none), resolved by the extractor against the letter date."""
        rng, y = self.rng, self.year
        return rng.choice((
            f"{y}年底前", f"{y + 1}年{rng.randint(1, 12)}月底前", "今年年底前", "年内", "明年上半年", f"到{y + 2}年",
            f"{rng.randint(2, 3)}年内", "近期", "尽快", "", "", f"今年{rng.randint(6, 12)}月底前", f"{y + 1}年9月开学前"))

    def past(self) -> str:
        rng = self.rng
        fmt = rng.choice(PAST)
        title, docno = (self.policies[-1] if self.policies and rng.random() < 0.5 else (None, None))
        if "{title}" in fmt and title is None:
            self.policy()
            title, docno = self.policies[-1]
        return fmt.format(y=self.year - rng.randint(1, 3), u=self.unit_word, t=self.field, n=rng.randint(3, 90),
                          m=rng.randint(100, 9000), p=self.level, k=rng.randint(40, 99), mo=rng.randint(1, 12),
                          who=f"{self.level}政府办公室", title=title, docno=docno)

    def promise(self) -> str:
        """One forward-looking sentence, with an owner, maybe partners, and a deadline of some kind."""
        rng = self.rng
        me = "我" + self.unit_word
        when = self.deadline()
        kind = rng.randrange(10)
        if kind == 0:
            return f"下一步，{me}将{when}{self.action()}，{self.action()}。"
        if kind == 1:
            return f"{when}{me}将会同{self.partner()}{self.action()}。"
        if kind == 2:
            return f"{me}计划{when or '明年'}联合{self.partner()}、{self.partner()}{self.action()}。"
        if kind == 3:
            return f"由{self.partner()}牵头，{me}配合，{when}{self.action()}。"
        if kind == 4:
            return f"{rng.choice(('每年', '每季度', '每月', '定期'))}{me}将{self.action()}，并将结果向社会公布。"
        if kind == 5:
            return f"待{self.field}{rng.choice(('专项资金到位', '上级政策出台', '试点评估完成', '项目用地落实'))}后，{me}将{self.action()}。"
        if kind == 6:
            return f"若{rng.choice(('省市出台新的政策', '财力允许', '试点成效明显'))}，{me}将第一时间{self.action()}。"
        if kind == 7:
            return f"{self.partner()}表示，{when}将{self.action()}。"
        if kind == 8:
            return f"同时，{me}将按照{self.policy()}要求，力争{when}{self.action()}。"
        return f"{me}将{rng.choice(('进一步', '继续', '持续'))}{self.action()}，确保{when or '按期'}取得实效。"

    # -- the letter
    def text(self) -> str:
        rng = self.rng
        proposers = "、".join(_name(rng) for _ in range(rng.randint(1, 4)))
        deputies = rng.random() < 0.3
        who = "代表" if deputies else "委员"
        congress = "人大" if deputies else "政协"
        session = f"{self.level}{congress}{_cn(rng.randint(5, 12))}届{_cn(rng.randint(1, 5))}次会议"
        kind_word = "建议" if deputies else "提案"
        head = f"{self.docno(self.year)}" + " " * rng.randint(8, 40) + f"{rng.choice('ABC')}类"
        addressee = f"{_name(rng)}代表" if deputies else f"{rng.choice(SECTORS)}{rng.randint(1, 5)}组"
        rng.randint(1, 300)  # once the proposal's number: drawn still, so every later choice stays the same
        # Each letter answers a proposal of its own: a number is a letter's identity within its session.
        lines = [head, f"{addressee}：",
                 f"{proposers}等{who}在{session}期间提出的《关于{self.topic}的{kind_word}》（第{self.number + 1}号）收悉。"
                 f"{kind_word}指出了当前我{self.level}{self.field}工作中存在的{rng.choice(('短板', '困难', '问题'))}，所提建议很有针对性。"
                 f"我{self.unit_word}高度重视，经认真研究，并征求协办单位{self.partner()}的意见，现将办理情况答复如下："]
        sections = rng.randint(3, 4)
        style = rng.randrange(3)
        for s in range(sections):
            lines.append(f"{_cn(s + 1)}、关于{self.field}{rng.choice(('工作现状', '政策保障', '下一步工作', '队伍建设', '设施建设', '服务提升'))}")
            for i in range(rng.randint(1, 2)):
                marker = (f"{_cn(i + 1)}是", f"（{_cn(i + 1)}）", f"{i + 1}.")[style]
                body = "".join(self.past() for _ in range(rng.randint(1, 3)))
                body += "".join(self.promise() for _ in range(rng.randint(1, 2)))
                lines.append(f"{marker}{self.action()}。{body}")
        lines.append("下一步，我" + self.unit_word + "将" + self.action() + "。"
                     + "".join(self.promise() for _ in range(rng.randint(1, 2))))
        lines.append(f"感谢您对{self.field}工作的关心和支持，欢迎继续提出宝贵意见。")
        lines.append(f"联系人：{_name(rng)}{rng.choice(('，', '　　', ' '))}联系电话：8{rng.randint(1000000, 9999999)}")
        city, district = self.place[:3], self.place[3:]
        lines.append(city + self.bureau if self.level == "市" else f"{city}{district}{self.level}{self.bureau}")
        d = self.letter_date
        lines.append(f"{d.year}年{d.month}月{d.day}日")
        if rng.random() < 0.3:
            lines.append(f"抄送：{self.level}{congress}{'代表工作委员会' if deputies else '提案委员会'}，{self.level}政府办公室")
        return "\n".join(lines) + "\n"


def letters(count: int, seed: int = 5) -> Iterator[tuple[str, str]]:
    """(file name, text) for ``count`` letters; the same arguments always give the same letters."""
    rng = random.Random(seed)
    for number in range(count):
        yield f"L{number:06d}.txt", _Letter(rng, number).text()


def write(folder: Path, count: int, seed: int = 5) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, text in letters(count, seed):
        path = folder / name
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


# Later documents: a department's work summary a year or two on, reporting on what it promised.
REPORTS = ("全年{act}，完成年度任务。", "截至年底，{act}，已全部完成。", "{act}工作已于{mo}月完成，群众反映良好。",
           "计划实施的{n}个{t}项目中，已有{m}个完成，其余尚未开工。", "{t}试点工作因资金未到位尚未启动。",
           "{t}专项规划编制推迟至明年上半年。", "{act}，目前正在推进中。", "{place}{level}{partner}{act}，覆盖{m}人次。",
           "下一步，我{u}将继续{act}。")


def later_documents(count: int, seed: int = 11) -> Iterator[tuple[str, str]]:
    """(file name, text) for ``count`` work summaries (年度工作总结, excerpts) of the bodies the
    letters come from, each reporting in the genre's words on the kind of work they promise."""
    rng = random.Random(seed)
    for number in range(count):
        letter = _Letter(rng, number)
        year = letter.year + rng.randint(1, 2)
        city, district = letter.place[:3], letter.place[3:]
        unit = city + letter.bureau if letter.level == "市" else f"{city}{district}{letter.level}{letter.bureau}"
        lines = [f"{unit}{year - 1}年工作总结（节选）", f"{year - 1}年，我{letter.unit_word}围绕{letter.topic}，扎实推进各项工作。"
                 "现将有关情况摘录如下。"]
        for s in range(rng.randint(3, 4)):
            lines.append(f"{_cn(s + 1)}、{letter.field}{rng.choice(('设施建设', '服务提升', '队伍建设', '政策保障'))}")
            lines.append("".join(rng.choice(REPORTS).format(
                act=letter.action(), t=rng.choice((letter.field, letter.thing)), n=rng.randint(8, 20),
                m=rng.randint(2, 7), mo=rng.randint(1, 12), place=district if letter.level != "市" else "",
                level=letter.level, partner=letter.partner()[1:], u=letter.unit_word) for _ in range(rng.randint(3, 5))))
        lines += ["……", unit, f"{year}年{rng.randint(1, 2)}月{rng.randint(1, 28)}日"]
        yield f"F{number:06d}.txt", "\n".join(lines) + "\n"


def write_later(folder: Path, count: int, seed: int = 11) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, text in later_documents(count, seed):
        path = folder / name
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--letters", type=int, default=100)
    parser.add_argument("--seed", type=int, default=5)
    args = parser.parse_args()
    paths = write(args.folder, args.letters, args.seed)
    print(f"{len(paths)} letters in {args.folder}")


if __name__ == "__main__":
    main()
