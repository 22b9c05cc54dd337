"""Readers that cannot be stalled: PDF bombs are refused as too large within seconds and a few
hundred MB; every extraction pattern runs in time linear in its input (adversarial text of
growing size: a 、-list of bodies, runs of digits and numerals, repeated cue words)."""
from __future__ import annotations

import os
import resource
import subprocess
import sys
import time
import zlib
from pathlib import Path

import pytest

from ouhai_tracker.extract import extract_letter

TRACKER = Path(sys.executable).with_name("tracker")


def raw_pdf(objects: list[bytes]) -> bytes:
    """A PDF of these objects (1 0 obj is the catalog), with a correct cross-reference table."""
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def stream(dictionary: bytes, data: bytes, flate: bool = False) -> bytes:
    if flate:
        data, dictionary = zlib.compress(data, 9), dictionary + b" /Filter /FlateDecode"
    return b"<< %s /Length %d >>\nstream\n" % (dictionary, len(data)) + data + b"\nendstream"


PAGE_START = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>"]
FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"


def deflate_bomb(megabytes: int) -> bytes:
    """One page whose content stream unpacks to ``megabytes`` of spaces (a few hundred KB packed)."""
    content = b"BT /F1 12 Tf 72 720 Td (Hello) Tj ET\n" + b" " * (megabytes * 1024 * 1024)
    return raw_pdf([*PAGE_START,
                    b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
                    b"/Resources << /Font << /F1 5 0 R >> >> >>",
                    stream(b"", content, flate=True), FONT])


def form_bomb(levels: int = 7, fan_out: int = 10) -> bytes:
    """Forms drawing forms: each level draws the one below ``fan_out`` times, the lowest writes a
    line of text; a few KB that draw fan_out ** levels lines."""
    first_form = 6
    objects = [*PAGE_START,
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
               b"/Resources << /Font << /F1 5 0 R >> /XObject << /X %d 0 R >> >> >>" % (first_form + levels - 1),
               stream(b"", b"/X Do"), FONT]
    for level in range(levels):
        if level == 0:
            body = b"BT /F1 12 Tf 72 720 Td (" + b"A" * 200 + b") Tj ET"
            resources = b"/Resources << /Font << /F1 5 0 R >> >>"
        else:
            body = b" ".join([b"/Y Do"] * fan_out)
            resources = b"/Resources << /XObject << /Y %d 0 R >> >>" % (first_form + level - 1)
        objects.append(stream(b"/Type /XObject /Subtype /Form /BBox [0 0 612 792] " + resources, body))
    return raw_pdf(objects)


def run_import(path: Path, tmp_path: Path) -> tuple[subprocess.CompletedProcess, float, float]:
    """`tracker import PATH` in a process of its own: the result, seconds, and the largest RSS in MB
    of it and the workers it waited for."""
    script = ("import resource, subprocess, sys, time\n"
              "t = time.monotonic()\n"
              "r = subprocess.run(sys.argv[1:], capture_output=True, text=True)\n"
              "print(r.returncode, time.monotonic() - t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)\n"
              "sys.stderr.write(r.stderr)\n")
    env = {**os.environ, "TRACKER_DB": str(tmp_path / "t.db")}
    done = subprocess.run([sys.executable, "-c", script, str(TRACKER), "import", "--jobs", "1", str(path)],
                          capture_output=True, text=True, env=env, timeout=120)
    code, seconds, megabytes = done.stdout.split()
    return subprocess.CompletedProcess([], int(code), "", done.stderr), float(seconds), float(megabytes)


@pytest.mark.skipif(not TRACKER.exists(), reason="the tracker command is not installed")
@pytest.mark.parametrize("name, data, reason", [
    ("deflate.pdf", lambda: deflate_bomb(800), "its streams unpack to more than 64 MB"),
    ("forms.pdf", lambda: form_bomb(), "it draws more than 20,000 characters on a page"),
])
def test_pdf_bombs_are_too_large_fast_and_small(tmp_path, name, data, reason):
    path = tmp_path / name
    path.write_bytes(data())
    assert path.stat().st_size < 1024 * 1024
    result, seconds, megabytes = run_import(path, tmp_path)
    assert result.returncode == 1
    assert result.stderr.strip() == (f"tracker: error: {path}: failed: too large: {reason}; "
                                     "is it really a reply letter?")
    assert seconds < 5, seconds
    assert megabytes < 500, megabytes


# ---- every pattern linear ----------------------------------------------------------------------

BODIES = ("区发改局、区经信局、区教育局、区科技局、区公安分局、区民政局、区司法局、区财政局、区人社局、区资规分局、"
          "区生态环境分局、区住建局、区交通运输局、区水利局、区农业农村局、区商务局、区文广旅体局、区卫健局、"
          "区退役军人事务局、区应急管理局、区审计局、区市场监管局、区统计局、区医保局、区信访局、区大数据局、"
          "区综合执法局、区机关事务局、区行政审批局、区投资促进局、区城管局、区林业局").split("、")


def in_a_letter(body: str) -> str:
    return (f"马文清委员：\n您提出的《关于保障快递从业人员合法权益的提案》（第36号）收悉。现答复如下：\n{body}\n"
            "瓯海区人力资源和社会保障局\n2024年5月20日\n")


# Text a pattern could take exponential or quadratic time on, as a function of a size n.
ADVERSARIAL = {
    "a list of bodies that nobody acts on": lambda n: "下一步，" + "、".join(BODIES[i % 32] for i in range(n)) + "将开展联合检查。",
    "a list of bodies given a task": lambda n: "由" + "、".join(BODIES[i % 32] for i in range(n)) + "牵头，做好相关工作。",
    "bodies joined by 和": lambda n: "我局将与" + "和".join(BODIES[i % 32] for i in range(n)) + "共同推进。",
    "digits": lambda n: "我局将于" + "1" * (n * 50) + "年完成。",
    "numerals": lambda n: "我局将于第" + "一二三四五六七八九十" * (n * 5) + "届会议前完成。",
    "cue words": lambda n: "我局将" * (n * 10) + "完成。",
    "dates": lambda n: "2024年" * (n * 10) + "底前完成。",
    "commas without a stop": lambda n: "，".join(["我局将积极推进"] * (n * 5)),
    "brackets never closed": lambda n: "《" * (n * 20) + "关于" + "（" * (n * 20),
    "item markers": lambda n: "一是" * (n * 20) + "1." * (n * 20),
}


def _seconds(text: str) -> float:
    best = float("inf")
    for _ in range(2):
        started = time.perf_counter()
        extract_letter(text, "x.txt")
        best = min(best, time.perf_counter() - started)
    return best


@pytest.mark.parametrize("family", ADVERSARIAL)
def test_extraction_time_grows_linearly_on_adversarial_text(family):
    """Four times the text may take four times as long (eight, for noise), never sixteen; and the
    32-body sentence, 40,000 digits and their kin stay well under 5 s."""
    make = ADVERSARIAL[family]
    small, large = _seconds(in_a_letter(make(8))), _seconds(in_a_letter(make(32)))
    assert large < 5, (family, large)
    assert large < max(8 * small, 0.05), (family, small, large)
    if family == "digits":
        assert _seconds(in_a_letter("我局将于" + "1" * 40_000 + "年完成。")) < 5
