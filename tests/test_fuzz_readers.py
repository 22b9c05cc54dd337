"""Fuzzing the readers: random bytes under every name, Word files and PDFs cut short or with
bytes changed, ZIP archives of random parts, web pages nested thousands deep. Each file is
either read (and its text then goes through the extraction) or refused with a ReadError; no
other exception, and no case takes 2 seconds.

How many cases: $TRACKER_FUZZ_CASES, 300 by default so that a plain `pytest` stays quick;
.ci/run sets 10,000.
"""
from __future__ import annotations

import io
import os
import time
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import SEED_LETTER
from ouhai_tracker.extract.model import Settings
from ouhai_tracker.extract.pipeline import run
from ouhai_tracker.readers import ReadError, read_document

CASES = int(os.environ.get("TRACKER_FUZZ_CASES", "300"))
# A stall is CPU spent (backtracking, a decompression bomb): each case may take this much CPU,
# or 250 times what the seed letter takes on this machine if that is more (a slow or shared
# machine; the densest page seen takes about 90 times the seed's), and five times that in wall
# time on a machine busy with other work. A stall takes far longer than either.
PER_CASE_SECONDS = 2.0
SEED_TIMES = 250
WALL_TIMES = 5
SEED_TEXT = SEED_LETTER.read_text(encoding="utf-8")
NAMES = st.sampled_from(["letter.txt", "letter.html", "letter.htm", "letter.docx", "letter.pdf", "letter.doc",
                         "letter", "letter.TXT"])


def seed_cpu() -> float:
    """The CPU time the seed letter's extraction takes here, the fastest of three."""
    times = []
    for _ in range(3):
        started = time.process_time()
        run(SEED_TEXT, "seed.txt", Settings(), {})
        times.append(time.process_time() - started)
    return min(times)


def seed_docx() -> bytes:
    import docx

    document = docx.Document()
    for line in SEED_TEXT.splitlines():
        document.add_paragraph(line)
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(1, 1).text = "发布机构", "区经信局"
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


@pytest.fixture(scope="module")
def samples(tmp_path_factory) -> dict[str, bytes]:
    """Well-formed files to damage: the seed letter as .docx, .pdf, .html and in three encodings."""
    from test_readers import _make_pdf

    pdf = tmp_path_factory.mktemp("fuzz") / "seed.pdf"
    _make_pdf(pdf)
    html = ("<html><head><title>答复</title><meta name='ArticleTitle' content='关于第1号提案的答复'></head>"
            "<body><div class='nav'>首页</div><div id='zoom'>" + "".join(f"<p>{line}</p>" for line in
                                                                           SEED_TEXT.splitlines())
            + "</div><div>版权所有</div></body></html>")
    return {"letter.docx": seed_docx(), "letter.pdf": pdf.read_bytes(), "letter.html": html.encode("utf-8"),
            "letter.txt": SEED_TEXT.encode("gb18030"), "utf16.txt": SEED_TEXT.encode("utf-16"),
            "utf8.txt": SEED_TEXT.encode("utf-8")}


@st.composite
def damaged(draw, samples: dict[str, bytes]):
    """A sample cut short and/or with some bytes changed, under its own name or another."""
    name = draw(st.sampled_from(sorted(samples)))
    data = bytearray(samples[name])
    if draw(st.booleans()):
        data = data[:draw(st.integers(0, len(data)))]
    for _ in range(draw(st.integers(0, 8))):
        if data:
            data[draw(st.integers(0, len(data) - 1))] = draw(st.integers(0, 255))
    return draw(st.sampled_from([name, "renamed.txt", "renamed.html"])), bytes(data)


@st.composite
def zips(draw):
    """ZIP archives of random parts, some named as a Word file's are."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", draw(st.sampled_from([zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED]))) as archive:
        for name in draw(st.lists(st.sampled_from(["word/document.xml", "[Content_Types].xml", "_rels/.rels",
                                                    "mimetype", "word/_rels/document.xml.rels", "x.bin"]),
                                  unique=True, max_size=6)):
            body = draw(st.one_of(st.binary(max_size=512), st.sampled_from([
                b'<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml'
                b'/2006/main"><w:body><w:p><w:r><w:t>\xe6\x88\x91</w:t></w:r></w:p></w:body></w:document>',
                b"<Types/>", b"<a><b><c>", b""])))
            archive.writestr(name, body)
    data = out.getvalue()
    if draw(st.booleans()):
        data = data[:draw(st.integers(0, len(data)))]
    return "letter.docx", data


TAGS = st.sampled_from(["div", "p", "span", "a", "td", "tr", "table", "pre", "head", "body", "form", "script",
                        "li", "title", "textarea", "br", "b"])
PIECES = st.sampled_from(["我局将于2024年底前完成改造。", "发布机构：区经信局", "发布日期：2023-06-16", "首页", "打印",
                          "&amp;", "&#x6211;", "<!--", "-->", "<![CDATA[", "</", "<", ">", " ", "\n"])


@st.composite
def deep_html(draw):
    """A page of elements nested up to 5,000 deep, closed or not, with text here and there."""
    depth = draw(st.integers(0, 5000))
    tags = draw(st.lists(TAGS, min_size=1, max_size=6))
    attribute = draw(st.sampled_from(["", ' class="content"', ' id="zoom"', ' style="display:none"', " hidden"]))
    text = draw(st.one_of(PIECES, st.text(max_size=30)))
    every = draw(st.integers(1, 500))
    opening = "".join(f"<{tags[i % len(tags)]}{attribute if i % 3 == 0 else ''}>{text if i % every == 0 else ''}"
                      for i in range(depth))
    closing = "".join(f"</{tags[i % len(tags)]}>" for i in reversed(range(depth))) if draw(st.booleans()) else ""
    page = "<html><body>" + opening + draw(st.one_of(PIECES, st.text(max_size=200))) + closing
    return draw(st.sampled_from(["page.html", "page.txt"])), page.encode(draw(st.sampled_from(["utf-8", "gb18030"]),
                                                                             ), "replace")


def files(samples):
    return st.one_of(
        st.tuples(NAMES, st.binary(max_size=4096)),
        st.tuples(NAMES, st.sampled_from([b"PK\x03\x04", b"PK\x05\x06", b"%PDF-1.4\n", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
                                          b"<html>", b"\xff\xfe", b"\xef\xbb\xbf"]).flatmap(
            lambda head: st.binary(max_size=2048).map(lambda tail: head + tail))),
        damaged(samples), zips(), deep_html())


@pytest.mark.slow
def test_readers_never_raise_anything_but_read_errors(samples, tmp_path_factory):
    folder = tmp_path_factory.mktemp("fuzzed")
    figures = {"cases": 0, "read": 0, "slowest": 0.0}
    limit = max(PER_CASE_SECONDS, SEED_TIMES * seed_cpu())

    @settings(max_examples=CASES, deadline=None, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example])
    @given(case=files(samples))
    def one(case):
        name, data = case
        path = folder / name
        path.write_bytes(data)
        started, cpu_started = time.perf_counter(), time.process_time()
        try:
            document = read_document(path)
        except ReadError:
            document = None
        if document is not None:  # what a reader lets through, the extraction gets
            run(document.text, name, Settings(), document.fallbacks)
            figures["read"] += 1
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu_started
        figures["cases"] += 1
        figures["slowest"] = max(figures["slowest"], cpu)
        assert cpu < limit and elapsed < WALL_TIMES * limit, (name, len(data), cpu, elapsed, limit)

    one()
    print(f"\nfuzzed readers: {figures['cases']} cases, {figures['read']} read, "
          f"slowest {figures['slowest']:.3f} s of CPU (limit {limit:.2f} s)")
    assert figures["cases"] >= CASES
