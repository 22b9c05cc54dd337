"""Hostile and huge files cost time in proportion to their size: the extraction is linear in
the text (no scan from the letter's start per name, title or clause), the web-page reader
does not read its stack of open elements again for each one, and a small .docx that would
unpack to gigabytes is refused before it is unpacked."""
from __future__ import annotations

import io
import time
import zipfile
from pathlib import Path

import docx
import pytest

from conftest import SEED_LETTER
from ouhai_tracker.extract.model import Settings
from ouhai_tracker.extract.pipeline import run
from ouhai_tracker.readers import ReadError, read_document

SEED = SEED_LETTER.read_text(encoding="utf-8").splitlines()

# What makes a text expensive, each repeated: many names, first persons and titles in one
# endless sentence; a policy title per line; clause after clause without a full stop.
HOSTILE = ("区财政局表示：我们将于2024年底前完成改造；区住建局会同区经信局配合我局将",
           "区经信局将于2024年底前修订《关于第{}号的实施办法》。\n",
           "区经信局会同区住建局我局将《关于区工商联的办法》我们配合区财政局表示下一步2024年底前待，")


def letter(size: int) -> str:
    """A letter of about ``size`` characters: the seed's frame around the hostile pieces."""
    body, number = [], 0
    while sum(map(len, body)) < size:
        for piece in HOSTILE:
            body.append(piece.format(number) * 20)
            number += 1
    return "\n".join(SEED[:4]) + "\n" + "".join(body) + "。\n" + "\n".join(SEED[-4:])


def extraction_seconds(text: str, runs: int = 2) -> float:
    best = float("inf")
    for _ in range(runs):
        started = time.perf_counter()
        facts = run(text, "x.txt", Settings(), {})
        best = min(best, time.perf_counter() - started)
    assert facts.commitments  # it did find the promises in it
    return best


def test_extraction_time_grows_in_proportion_to_the_text():
    run(letter(20_000), "x.txt", Settings(), {})  # warm: patterns compiled
    small, big = extraction_seconds(letter(60_000)), extraction_seconds(letter(240_000))
    # Four times the text: about four times the time (the quadratic stages took 16 and more).
    assert big / small < 8, (small, big)


PAGE_LETTER = "我局将于2024年底前完成老旧小区改造，并会同区财政局落实资金。"


@pytest.mark.parametrize("shape", ["nested", "nested content", "never closed"])
def test_a_page_nested_50000_deep_is_read_in_a_moment(tmp_path, shape):
    n = 50_000
    page = {"nested": "<html><body>" + "<div>" * n + PAGE_LETTER + "</div>" * n + "</body></html>",
            "nested content": "<html><body>" + f'<div class="content"><span>{PAGE_LETTER}</span>' * n
                              + "</div>" * n + "</body></html>",
            "never closed": "<html><body>" + "<div><p><span>文" * n + "</body></html>"}[shape]
    path = tmp_path / "deep.html"
    path.write_text(page, encoding="utf-8")
    started = time.perf_counter()
    document = read_document(path)
    assert time.perf_counter() - started < 10  # was 18-20 s at 20,000 deep, over 120 s at 50,000
    assert document.format == "html"
    if shape == "never closed":
        assert document.text.count("文") == n
    else:
        assert PAGE_LETTER in document.text


def zip_bomb(unpacked_mb: int) -> bytes:
    """A valid .docx whose document.xml unpacks to ``unpacked_mb`` MB (the file is under 1 MB)."""
    small = io.BytesIO()
    docx.Document().save(small)
    source = zipfile.ZipFile(io.BytesIO(small.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            if info.filename != "word/document.xml":
                target.writestr(info, source.read(info))
        head, tail = source.read("word/document.xml").decode().split("<w:body>")
        chunk = ("<w:p><w:r><w:t>我局将于年底前完成。</w:t></w:r></w:p>" * 1000).encode()
        with target.open("word/document.xml", "w", force_zip64=True) as member:
            member.write((head + "<w:body>").encode())
            for _ in range(unpacked_mb * 1024 * 1024 // len(chunk)):
                member.write(chunk)
            member.write(tail.encode())
    return out.getvalue()


def test_a_docx_that_unpacks_to_a_huge_size_is_refused_unread(tmp_path):
    import resource

    path = tmp_path / "bomb.docx"
    path.write_bytes(zip_bomb(150))
    assert path.stat().st_size < 1024 * 1024
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    with pytest.raises(ReadError) as refused:
        read_document(path)
    assert time.perf_counter() - started < 5
    assert "unpacks to 151 MB, over the 100 MB limit" in str(refused.value)
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 100 * 1024  # KB: nothing unpacked


def test_an_ordinary_docx_still_reads(tmp_path):
    document = docx.Document()
    document.add_paragraph(PAGE_LETTER)
    path = tmp_path / "letter.docx"
    document.save(path)
    assert read_document(path).text == PAGE_LETTER
