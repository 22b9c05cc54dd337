"""The HTML report in a real browser: headless Chromium renders it, and the charts show in the screenshot.

Skipped (with the reason) where Debian's chromium is not installed; `.ci/run` installs it.
"""
from __future__ import annotations

import json
import re
import shutil
import struct
import subprocess
import tempfile
import zlib
from pathlib import Path

import pytest

from ouhai_tracker.cli import app

CHROMIUM = Path("/usr/bin/chromium")
pytestmark = pytest.mark.skipif(not CHROMIUM.exists(),
                                reason="needs Debian's chromium at /usr/bin/chromium (apt-get install chromium)")
AS_OF = "2024-07-01"


def screenshot(page: Path, png: Path, width: int = 1200, height: int = 1600) -> bytes:
    profile = tempfile.mkdtemp(prefix="tracker-chromium-")
    try:
        subprocess.run([str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                        "--no-first-run", "--disable-background-networking", "--disable-component-update",
                        "--disable-sync", f"--user-data-dir={profile}", "--hide-scrollbars",
                        f"--screenshot={png}", f"--window-size={width},{height}", page.resolve().as_uri()],
                       check=True, capture_output=True, timeout=120)
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    return png.read_bytes()


def read_png(data: bytes) -> tuple[int, int, list[bytes]]:
    """(width, height, rows of RGB(A) bytes) of an 8-bit RGB or RGBA PNG: enough for a screenshot."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    position, idat = 8, []
    width = height = channels = 0
    while position < len(data):
        length, kind = struct.unpack(">I4s", data[position:position + 8])
        body = data[position + 8:position + 8 + length]
        position += 12 + length
        if kind == b"IHDR":
            width, height, depth, colour = struct.unpack(">IIBB", body[:10])
            assert depth == 8 and colour in (2, 6) and body[12] == 0, "only 8-bit RGB/RGBA, not interlaced"
            channels = 3 if colour == 2 else 4
        elif kind == b"IDAT":
            idat.append(body)
        elif kind == b"IEND":
            break
    raw = zlib.decompress(b"".join(idat))
    stride = width * channels
    rows, previous = [], bytearray(stride)
    for y in range(height):
        kind = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        if kind == 1:
            for i in range(channels, stride):
                line[i] = (line[i] + line[i - channels]) & 255
        elif kind == 2:
            line = bytearray((a + b) & 255 for a, b in zip(line, previous))
        elif kind == 3:
            for i in range(stride):
                left = line[i - channels] if i >= channels else 0
                line[i] = (line[i] + ((left + previous[i]) >> 1)) & 255
        elif kind == 4:
            for i in range(stride):
                a = line[i - channels] if i >= channels else 0
                b, c = previous[i], previous[i - channels] if i >= channels else 0
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(bytes(line))
        previous = line
    return width, height, [r if channels == 3 else bytes(v for i, v in enumerate(r) if i % 4 != 3) for r in rows]


def coloured_pixels(rows: list[bytes]) -> int:
    """Pixels with a clear hue (bars), as opposed to white paper and grey or black text."""
    count = 0
    for row in rows:
        for i in range(0, len(row), 3):
            r, g, b = row[i], row[i + 1], row[i + 2]
            if max(r, g, b) - min(r, g, b) > 60:
                count += 1
    return count


@pytest.fixture
def report_data(runner, imported) -> dict:
    runner.invoke(app, ["done", "4", "--on", "2024-05-01"])
    runner.invoke(app, ["rate", "2", "--outcome", "stalled", "--on", "2024-06-01"])
    runner.invoke(app, ["rate", "8", "--outcome", "in-the-works"])
    result = runner.invoke(app, ["report", "--as-of", AS_OF, "--format", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_charts_render_in_headless_chromium(report_data, tmp_path):
    from ouhai_tracker.followup import report

    with_charts, without = tmp_path / "report.html", tmp_path / "plain.html"
    with_charts.write_text(report.html_report(report_data), encoding="utf-8")
    without.write_text(report.html_report(report_data, charts=False), encoding="utf-8")
    shot = screenshot(with_charts, tmp_path / "report.png")
    plain = screenshot(without, tmp_path / "plain.png")
    assert len(shot) > 20_000, "the screenshot is nearly empty"

    width, height, rows = read_png(shot)
    assert (width, height) == (1200, 1600)
    assert any(len(set(row)) > 1 for row in rows[:200]), "the top of the page is blank"
    # The same report without its charts: the bars are the difference.
    charted, uncharted = coloured_pixels(rows), coloured_pixels(read_png(plain)[2])
    assert charted > uncharted + 10_000, (charted, uncharted)
    # The kept (green), stalled (orange) and overdue (red) colours are on screen.
    palette = {(0x2e, 0x7d, 0x32), (0xfb, 0x8c, 0x00), (0xc6, 0x28, 0x28)}
    seen = {(row[i], row[i + 1], row[i + 2]) for row in rows[::4] for i in range(0, len(row), 12)}
    assert palette <= seen, palette - seen


def chromium(*args: str, timeout: int = 120) -> str:
    profile = tempfile.mkdtemp(prefix="tracker-chromium-")
    try:
        return subprocess.run([str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                               "--no-first-run", "--disable-background-networking", "--disable-component-update",
                               "--disable-sync", f"--user-data-dir={profile}", *args],
                              check=True, capture_output=True, text=True, timeout=timeout).stdout
    finally:
        shutil.rmtree(profile, ignore_errors=True)


def page_width_on_a_phone(page: Path, width: int = 390) -> tuple[int, int]:
    """(the page's scroll width, its visible width) in a frame as wide as a phone's screen.

    Headless Chromium's window is at least 500 px wide, so the report is loaded in a frame of
    ``width`` px by a page of the test's own, whose script reads the frame's widths into its title."""
    frame = page.parent / "phone.html"
    frame.write_text(f'<!DOCTYPE html><html><body style="margin:0"><iframe id="f" src="{page.name}" '
                     f'style="width:{width}px;height:800px;border:0"></iframe><script>'
                     'document.getElementById("f").onload=function(){var d=this.contentDocument.documentElement;'
                     'document.title="W"+d.scrollWidth+"/"+d.clientWidth;};</script></body></html>', encoding="utf-8")
    dom = chromium("--allow-file-access-from-files", "--virtual-time-budget=5000", "--dump-dom", frame.resolve().as_uri())
    found = re.search(r"<title>W(\d+)/(\d+)</title>", dom)
    assert found, dom[:500]
    return int(found.group(1)), int(found.group(2))


@pytest.mark.parametrize("lang, args", [("zh", []), ("zh", ["--dept", "经信局"]), ("en", [])])
def test_no_horizontal_scrolling_on_a_phone(runner, report_data, tmp_path, lang, args):
    page = tmp_path / "report.html"
    result = runner.invoke(app, ["report", "--as-of", AS_OF, "--format", "html", "--output", str(page), *args],
                           env={"TRACKER_LANG": lang})
    assert result.exit_code == 0, result.output
    scroll, visible = page_width_on_a_phone(page)
    assert scroll <= visible, f"the page is {scroll} px wide on a screen of {visible}"
    # The check sees overflow when there is some: the same report without its phone rules.
    wide = tmp_path / "wide.html"
    wide.write_text(page.read_text(encoding="utf-8").replace("@media screen and (max-width:640px)", "@media (max-width:1px)")
                    .replace("svg.chart{display:block;max-width:100%;height:auto}", ""), encoding="utf-8")
    scroll, visible = page_width_on_a_phone(wide)
    assert scroll > visible


def test_printed_tables_repeat_their_header_row_and_headings_stay_with_what_follows(runner, report_data, tmp_path):
    """Printed on small pages, every page that shows rows of a letter's table shows its header
    row too, and no page ends with a section heading. English: the test machine may have no
    Chinese font, and a PDF's text is read back through its fonts."""
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LTTextContainer

    page = tmp_path / "report.html"
    result = runner.invoke(app, ["report", "--as-of", AS_OF, "--format", "html", "--output", str(page)],
                           env={"TRACKER_LANG": "en"})
    assert result.exit_code == 0, result.output
    small = tmp_path / "small.html"  # printed large, so that tables break across pages
    small.write_text(page.read_text(encoding="utf-8").replace("</style>", "@media print{html{zoom:3}}</style>"),
                     encoding="utf-8")
    pdf = tmp_path / "report.pdf"
    chromium("--no-pdf-header-footer", f"--print-to-pdf={pdf}", small.resolve().as_uri())
    pages = [[el.get_text().strip() for el in p if isinstance(el, LTTextContainer) and el.get_text().strip()]
             for p in extract_pages(str(pdf))]
    assert len(pages) > 8, len(pages)
    headings = ("Scorecard by department", "Timeline of due dates", "Overdue, by a date", "Letters for a second reply",
                "Letters by class mark", "The letters, one by one")
    for number, texts in enumerate(pages):
        assert not any(h in texts[-1] for h in headings), f"page {number + 1} ends with the heading {texts[-1]!r}"
        if any(re.fullmatch(r"#\s*\d+", t) for t in texts):  # rows of a promises table
            assert any(t.startswith("ID") for t in texts), f"page {number + 1} has rows without their header"
