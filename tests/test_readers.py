"""Reader tests. Every fixture is built at test time from the seed letter, so
each format is checked against the same wording."""
from __future__ import annotations

import codecs
import io
import os
import random
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from ouhai_tracker.readers import Document, ReadError, UnsupportedFile, read_document
from ouhai_tracker.readers.normalize import normalise_text
from ouhai_tracker.readers.pdf import join_broken_lines

SEED = Path(__file__).resolve().parent.parent / "seeds" / "000_f0f5a9deaa56be68.txt"
SEED_TEXT = SEED.read_text(encoding="utf-8")
SEED_LINES = [line.strip() for line in SEED_TEXT.splitlines() if line.strip()]
TITLE = "关于区政协十届二次会议第1号提案的答复"


def squeeze(text: str) -> list[str]:
    """Non-empty lines with all whitespace removed: the comparison used for
    formats whose layout decides spacing (html, docx, pdf)."""
    return [re.sub(r"\s+", "", line) for line in text.splitlines() if line.strip()]


@pytest.fixture(scope="module")
def expected() -> str:
    return read_document(SEED).text


# --- plain text --------------------------------------------------------------


def test_seed_reads_as_one_paragraph_per_line(expected):
    assert expected.split("\n") == SEED_LINES
    assert "\n\n" not in expected and not expected.endswith("\n")


def _indented(text: str) -> str:
    # Word-style indentation: two full-width spaces, blank lines, trailing blanks.
    return "\n\n".join("\u3000\u3000" + line + "  \t" for line in text.splitlines()) + "\n\n\n"


TEXT_VARIANTS = {
    "gb18030": lambda t: t.encode("gb18030"),
    "gbk": lambda t: t.encode("gbk"),
    "utf-8": lambda t: t.encode("utf-8"),
    "utf-8-bom": lambda t: t.encode("utf-8-sig"),
    "utf-16-le-bom": lambda t: codecs.BOM_UTF16_LE + t.encode("utf-16-le"),
    "utf-16-be-bom": lambda t: codecs.BOM_UTF16_BE + t.encode("utf-16-be"),
    "utf-16-le-no-bom": lambda t: t.encode("utf-16-le"),
    "utf-16-be-no-bom": lambda t: t.encode("utf-16-be"),
    "crlf": lambda t: t.replace("\n", "\r\n").encode("utf-8"),
    "cr": lambda t: t.replace("\n", "\r").encode("gb18030"),
    "indented-blank-lines": lambda t: _indented(t).encode("utf-8"),
    "indented-crlf-utf16": lambda t: _indented(t).replace("\n", "\r\n").encode("utf-16"),
}


@pytest.mark.parametrize("variant", sorted(TEXT_VARIANTS))
def test_text_variants_give_the_same_text(tmp_path, expected, variant):
    path = tmp_path / f"letter-{variant}.txt"
    path.write_bytes(TEXT_VARIANTS[variant](SEED_TEXT))
    document = read_document(path)
    assert document.format == "txt"
    assert document.text == expected
    assert document.fallbacks == {}


@pytest.mark.parametrize("encoding", ["utf-16-be", "utf-16-le", "gb18030", "utf-8"])
def test_last_character_survives(tmp_path, encoding):
    # 业 is U+4E1A: in UTF-16-BE its last byte is 0x1A, the DOS end-of-file byte.
    path = tmp_path / "short.txt"
    path.write_bytes("一、发展产业\n二、扶持企业".encode(encoding) + (b"\x1a" if encoding == "gb18030" else b""))
    assert read_document(path).text == "一、发展产业\n二、扶持企业"


def test_wording_is_kept_not_nfkc(tmp_path):
    original = "“一号发展工程”，（一）ＡＢＣ１２３：〔2018〕36号…… ﹝见附件﹞"
    path = tmp_path / "punct.txt"
    path.write_bytes(("\u3000\u3000" + original + "\u3000\r\n").encode("gb18030"))
    assert read_document(path).text == original


def test_normalise_strips_indentation_and_keeps_inner_spaces():
    assert normalise_text("\ufeff\u3000\u30002020 年\t方案 \r\n\r\n\xa0 二、标题\f第二页") == "2020 年\t方案\n二、标题\n第二页"


@pytest.mark.parametrize("encoding", ["big5", "shift_jis"])
def test_mojibake_is_refused_not_guessed(tmp_path, encoding):
    path = tmp_path / f"letter-{encoding}.txt"
    path.write_bytes(SEED_TEXT.encode(encoding, errors="replace"))
    with pytest.raises(ReadError, match="cannot tell the encoding") as info:
        read_document(path)
    assert path.name in str(info.value)


def test_broken_bom_is_refused(tmp_path):
    path = tmp_path / "bom.txt"
    path.write_bytes(codecs.BOM_UTF8 + SEED_TEXT.encode("gb18030"))
    with pytest.raises(ReadError, match="cannot tell the encoding"):
        read_document(path)


def test_binary_data_is_not_a_text_file(tmp_path):
    path = tmp_path / "letter.txt"
    path.write_bytes(random.Random(7).randbytes(4000))
    with pytest.raises(ReadError, match="not a text file"):
        read_document(path)


def test_control_characters_are_not_text(tmp_path):
    path = tmp_path / "letter.txt"
    path.write_bytes(b"\x01\x02\x03\x04\x05\x06abc\x07\x08" * 50)
    with pytest.raises(ReadError, match="not a text file"):
        read_document(path)


def test_empty_file(tmp_path):
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    with pytest.raises(ReadError, match="empty file"):
        read_document(path)


def test_blank_file_has_no_text(tmp_path):
    path = tmp_path / "blank.txt"
    path.write_bytes("\u3000\r\n \n".encode("utf-8"))
    with pytest.raises(ReadError, match="no text"):
        read_document(path)


# --- unreadable and unsupported ------------------------------------------------


def test_missing_file_gives_the_os_reason(tmp_path):
    with pytest.raises(ReadError, match="No such file or directory"):
        read_document(tmp_path / "nope.txt")


def test_directory_gives_the_os_reason(tmp_path):
    with pytest.raises(ReadError, match="Is a directory"):
        read_document(tmp_path)


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root reads any file")
def test_unreadable_file_gives_the_os_reason(tmp_path):
    path = tmp_path / "secret.txt"
    path.write_text("测试", encoding="utf-8")
    path.chmod(0)
    with pytest.raises(ReadError, match="Permission denied"):
        read_document(path)


def test_os_reason_is_reported_for_any_read_failure(tmp_path, monkeypatch):
    # Runs even as root (where chmod 0 does not stop a read).
    path = tmp_path / "letter.txt"
    path.write_text("测试", encoding="utf-8")

    def refuse(self):
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "read_bytes", refuse)
    with pytest.raises(ReadError, match=r"letter\.txt: cannot read \(Permission denied\)"):
        read_document(path)


def _zip(names: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in names.items():
            archive.writestr(name, content)
    return buffer.getvalue()


UNSUPPORTED = {
    "letter.doc": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, r"\.doc.*save it as \.docx or \.txt"),
    # Named .txt on purpose: the content decides, not the name.
    "scan.txt": (b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(50), "PNG image.*OCR"),
    "scan.jpg": (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(50), "JPEG image"),
    "scan.gif": (b"GIF89a" + bytes(50), "GIF image"),
    "letters.docx": (_zip({"letter.txt": SEED_TEXT.encode("utf-8")}), "ZIP archive.*unpack"),
    "sheet.xlsx": (_zip({"[Content_Types].xml": b"<x/>", "xl/workbook.xml": b"<x/>"}), "not a Word"),
    "letters.rar": (b"Rar!\x1a\x07\x01\x00" + bytes(50), "RAR archive"),
    "letters.7z": (b"7z\xbc\xaf\x27\x1c" + bytes(50), "7z archive"),
    "letter.txt.gz": (b"\x1f\x8b\x08\x00" + bytes(50), "gzip archive"),
}


@pytest.mark.parametrize("name", sorted(UNSUPPORTED))
def test_unsupported_files_name_the_file_and_the_remedy(tmp_path, name):
    content, message = UNSUPPORTED[name]
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(UnsupportedFile, match=message) as info:
        read_document(path)
    assert name in str(info.value)
    assert isinstance(info.value, ReadError)


def test_heavy_libraries_load_only_when_needed(tmp_path):
    path = tmp_path / "letter.txt"
    path.write_bytes(SEED_TEXT.encode("gb18030"))
    code = (
        "import sys; from pathlib import Path; from ouhai_tracker.readers import read_document;"
        f"read_document(Path({str(path)!r}));"
        "print(sorted(m for m in ('docx', 'pdfminer', 'lxml') if m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


# --- docx ---------------------------------------------------------------------

TABLE = [["指标", "2022年", "2023年"], ["智能化改造项目", "120项", "130项"]]


def _make_docx(path: Path) -> list[str]:
    """The seed as a .docx with a table after the first heading; returns the
    lines expected from it."""
    docx = pytest.importorskip("docx")
    document = docx.Document()
    document.add_paragraph(SEED_LINES[0])
    expected = [SEED_LINES[0]]
    for index, line in enumerate(SEED_LINES[1:], start=1):
        document.add_paragraph("\u3000\u3000" + line)
        expected.append(line)
        if index == 2:
            table = document.add_table(rows=len(TABLE), cols=len(TABLE[0]))
            for row, values in zip(table.rows, TABLE, strict=True):
                for cell, value in zip(row.cells, values, strict=True):
                    cell.text = value
            expected += ["".join(row) for row in TABLE]
        if index == 3:
            document.add_paragraph("")  # an empty paragraph is no paragraph
    document.save(path)
    return expected


def test_docx_paragraphs_and_tables_in_document_order(tmp_path):
    path = tmp_path / "letter.docx"
    expected_lines = _make_docx(path)
    document = read_document(path)
    assert document.format == "docx"
    assert squeeze(document.text) == [re.sub(r"\s+", "", line) for line in expected_lines]
    assert "智能化改造项目\t120项\t130项" in document.text.split("\n")


def test_docx_is_found_by_content_whatever_the_name(tmp_path, expected):
    path = tmp_path / "letter.txt"
    _make_docx(path)
    document = read_document(path)
    assert document.format == "docx"
    assert document.text.startswith(expected.split("\n")[0])


def test_damaged_docx_is_a_read_error(tmp_path):
    path = tmp_path / "letter.docx"
    path.write_bytes(_zip({"word/document.xml": b"<not xml", "[Content_Types].xml": b"<x/>"}))
    with pytest.raises(ReadError, match="letter.docx"):
        read_document(path)


# --- html ---------------------------------------------------------------------


def _page(content_attrs: str = 'id="zoom" class="TRS_Editor"', charset: str = "gb2312", extra: str = "") -> str:
    paragraphs = "\n".join(
        f'<p style="text-indent:2em">&emsp;&emsp;{line.replace("&", "&amp;")}</p>' for line in SEED_LINES
    )
    return f"""<!DOCTYPE html>
<html>
<head>
<meta http-equiv="Content-Type" content="text/html; charset={charset}">
<title>{TITLE}_瓯海区人民政府门户网站</title>
<script>var s = "<p>脚本里的文字</p>";</script>
<style>p {{ line-height: 2 }}</style>
</head>
<body>
<div class="top"><ul>
  <li><a href="/">首页</a></li><li><a href="/zwgk">政务公开</a></li><li><a href="/hd">互动交流</a></li>
</ul></div>
<nav><a href="/">网站导航</a></nav>
<div class="crumb">您的位置：<a href="/">首页</a> &gt; <a href="/zwgk">政务公开</a> &gt; 建议提案办理</div>
<table class="xxgk">
  <tr><td>索引号：</td><td>001008003/2023-12345</td><td>发布机构：</td><td>瓯海区经信局</td></tr>
  <tr><td>名　　称：</td><td colspan="3">{TITLE}</td></tr>
  <tr><td>文号：</td><td>瓯经信〔2023〕1号</td><td>发布日期：</td><td>2023年06月16日</td></tr>
</table>
<div class="info">来源：瓯海区人民政府办公室 浏览次数：<span id="hits">1024</span></div>
<div class="fontsize">字号：【大 中 小】 【打印】 【关闭】</div>
<h1 class="title">{TITLE}</h1>
{extra}
<div {content_attrs}>
{paragraphs}
</div>
<div class="share">分享到：<a>微信</a> <a>微博</a></div>
<div class="pages"><a href="1.html">上一篇：关于加快数字经济发展的答复</a></div>
<footer><p>版权所有：温州市瓯海区人民政府办公室</p></footer>
<div class="foot"><p>主办单位：温州市瓯海区人民政府办公室</p>
<p>网站标识码：3303040001 浙ICP备12345678号-1</p></div>
</body>
</html>"""


EXPECTED_FALLBACKS = {"title": TITLE, "replying_unit": "瓯海区经信局", "date": "2023-06-16"}


@pytest.mark.parametrize("name", ["letter.html", "letter.htm", "saved-page.txt"])
def test_html_letter_body_without_furniture(tmp_path, name):
    path = tmp_path / name
    path.write_bytes(_page().encode("gb18030"))
    document = read_document(path)
    assert document.format == "html"
    assert squeeze(document.text) == squeeze(SEED_TEXT)
    assert document.fallbacks == EXPECTED_FALLBACKS


def test_html_without_content_element_takes_the_largest_chinese_run(tmp_path):
    path = tmp_path / "plain.html"
    path.write_bytes(_page(content_attrs='class="main"', charset="utf-8").encode("utf-8"))
    document = read_document(path)
    lines = squeeze(document.text)
    assert lines[-len(SEED_LINES):] == squeeze(SEED_TEXT)
    # At most the page's own heading may precede the letter.
    assert lines[: -len(SEED_LINES)] in ([], [TITLE])
    for furniture in ("首页", "政务公开", "索引号", "浏览次数", "字号", "版权所有", "ICP备", "脚本"):
        assert furniture not in document.text
    assert document.fallbacks == EXPECTED_FALLBACKS


def test_html_content_element_must_hold_the_text(tmp_path):
    # A "text" class on a side box must not be taken for the letter.
    side = '<div class="side-text"><p>热点专题</p><p>数字经济</p></div>'
    path = tmp_path / "side.html"
    path.write_bytes(_page(content_attrs='class="main"', extra=side).encode("gb18030"))
    assert squeeze(read_document(path).text)[-len(SEED_LINES):] == squeeze(SEED_TEXT)


def test_html_charset_label_gb2312_with_gbk_characters(tmp_path):
    # 喆 is in GBK, not GB2312; pages labelled gb2312 use such characters.
    page = _page().replace(SEED_LINES[0], SEED_LINES[0] + "（王喆）")
    path = tmp_path / "gbk.html"
    path.write_bytes(page.encode("gbk"))
    assert "（王喆）" in read_document(path).text


def test_html_utf16_with_bom(tmp_path):
    path = tmp_path / "letter.html"
    path.write_bytes(_page(charset="utf-16").encode("utf-16"))
    document = read_document(path)
    assert squeeze(document.text) == squeeze(SEED_TEXT)


def test_html_fallbacks_from_title_and_meta(tmp_path):
    page = f"""<html><head><meta charset="utf-8">
<meta name="PubDate" content="2023-06-16 09:30">
<meta name="ContentSource" content="瓯海区经信局">
<title>{TITLE} - 温州市瓯海区人民政府</title></head>
<body><div class="article-content">{''.join(f'<p>{line}</p>' for line in SEED_LINES)}</div></body></html>"""
    path = tmp_path / "letter.html"
    path.write_bytes(page.encode("utf-8"))
    document = read_document(path)
    assert document.fallbacks == EXPECTED_FALLBACKS
    assert squeeze(document.text) == squeeze(SEED_TEXT)


def test_html_source_line_breaks_between_chinese_do_not_become_spaces(tmp_path):
    path = tmp_path / "letter.html"
    path.write_bytes(
        "<html><body><div id='content'><p>现将相关\n    情况答复如下：</p><p>2020\n年</p>"
        "<table><tr><td> 项目 </td>\n<td>完成</td></tr></table></div></body></html>".encode("utf-8")
    )
    assert read_document(path).text == "现将相关情况答复如下：\n2020 年\n项目\t完成"


def test_html_sloppy_markup(tmp_path):
    # No </head>, unclosed <p>, a <pre> block, a hidden block, entities.
    page = (
        "<!doctype html><html><head><title>答复</title><body><div class='con'>"
        "<p>一、关于&ldquo;数字化&rdquo;&nbsp;人才<p>二、保障措施"
        "<pre>  表一\n  表二</pre><div style='display: none'>隐藏的文字</div></div></body></html>"
    )
    path = tmp_path / "sloppy.html"
    path.write_bytes(page.encode("utf-8"))
    assert read_document(path).text == "一、关于“数字化” 人才\n二、保障措施\n表一\n表二"


# --- pdf ----------------------------------------------------------------------


def _make_pdf(path: Path) -> None:
    """The seed typeset on A4 pages: paragraphs indented by two full-width
    spaces and wrapped at the page width, page numbers at the bottom."""
    pytest.importorskip("reportlab", reason="reportlab (test extra) is needed to make a PDF fixture")
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    # A CID font built into PDF readers: no CJK font file is needed.
    font, size = "STSong-Light", 10.5
    try:
        pdfmetrics.registerFont(UnicodeCIDFont(font))
    except Exception as exc:  # pragma: no cover - depends on the reportlab build
        pytest.skip(f"no CJK font for the PDF fixture: {exc}")
    width = A4[0] - 2 * 72
    physical = []
    for index, paragraph in enumerate(SEED_LINES):
        body = index not in (0, len(SEED_LINES) - 2, len(SEED_LINES) - 1)  # salutation, signature, date
        line = "\u3000\u3000" if body else ""
        for char in paragraph:
            if pdfmetrics.stringWidth(line + char, font, size) > width:
                physical.append(line)
                line = ""
            line += char
        physical.append(line)
    pdf = canvas.Canvas(str(path), pagesize=A4)
    y, page = A4[1] - 72, 1
    for line in physical:
        if y < 90:
            pdf.setFont(font, 9)
            pdf.drawCentredString(A4[0] / 2, 50, f"- {page} -")
            pdf.showPage()
            y, page = A4[1] - 72, page + 1
        pdf.setFont(font, size)
        pdf.drawString(72, y, line)
        y -= 18
    pdf.setFont(font, 9)
    pdf.drawCentredString(A4[0] / 2, 50, f"- {page} -")
    pdf.save()
    assert page > 1 and len(physical) > 2 * len(SEED_LINES)  # the fixture really wraps


def test_pdf_lines_broken_by_the_page_are_joined(tmp_path):
    path = tmp_path / "letter.pdf"
    _make_pdf(path)
    document = read_document(path)
    assert document.format == "pdf"
    # The built-in STSong font has no glyph for U+00B7 (·), so the PDF lacks it.
    assert squeeze(document.text) == squeeze(SEED_TEXT.replace("·", ""))
    assert "一家一策一中心" in document.text  # pdfminer's stray space between Han removed


def test_pdf_without_text_layer(tmp_path):
    pytest.importorskip("reportlab", reason="reportlab (test extra) is needed to make a PDF fixture")
    from reportlab.pdfgen import canvas

    path = tmp_path / "scan.pdf"
    pdf = canvas.Canvas(str(path))
    pdf.rect(100, 100, 200, 300, fill=1)  # a "scanned" page: marks, no text
    pdf.save()
    with pytest.raises(ReadError, match="no text layer.*OCR"):
        read_document(path)


def test_damaged_pdf_is_a_read_error(tmp_path):
    path = tmp_path / "letter.pdf"
    path.write_bytes(b"%PDF-1.7\n" + random.Random(3).randbytes(300))
    with pytest.raises(ReadError, match="letter.pdf"):
        read_document(path)


def test_join_is_conservative():
    full = "一" * 40
    lines = [
        (TITLE, False),  # short: a heading, never joined to the salutation
        ("工商(经济)界1组:", False),
        (full, False),
        (full[:30] + "。", False),  # a full line ending a sentence
        ("（一）" + full[:37], False),  # a numbered item starts a paragraph
        ("一是" + full[:38], False),
        ("2023年6月16日", False),
    ]
    assert join_broken_lines(lines) == [
        TITLE,
        "工商(经济)界1组:",
        full + full[:30] + "。",
        "（一）" + full[:37],
        "一是" + full[:38],
        "2023年6月16日",  # a date line is never a continuation
    ]


def test_join_keeps_latin_words_apart():
    lines = [("Digital economy " + "数" * 30 + " smart", False), ("factory 方案", False), ("短", False)]
    assert join_broken_lines(lines)[0].endswith("smart factory 方案")


def test_document_interface_is_unchanged():
    document = Document(text="x", format="txt")
    assert document.fallbacks == {}
    assert issubclass(UnsupportedFile, ReadError)


def test_markup_the_html_parser_asserts_on_is_a_read_error(tmp_path):
    from ouhai_tracker.readers import ReadError, read_document

    page = tmp_path / "broken.html"
    page.write_bytes("<html><body><![0 关于第12号建议的答复</body></html>".encode())
    with pytest.raises(ReadError, match="not a readable web page"):
        read_document(page)
