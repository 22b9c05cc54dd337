"""Plain-text letters: detect the encoding, never assume it.

Order of attempts: BOM (UTF-8 / UTF-16) -> UTF-16 without BOM when there
are NUL bytes (their parity tells the byte order) -> strict UTF-8 -> strict GB18030 (a superset of
GBK and GB2312). Each decode is strict and then checked for plausibility,
because GB18030 accepts most byte soups and mojibake must not pass silently.
"""
from __future__ import annotations

import codecs
import re
from pathlib import Path

from ouhai_tracker.i18n import N_
from ouhai_tracker.readers.base import Document, ReadError
from ouhai_tracker.readers.normalize import cjk_count, normalise_text

_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# Control bytes that do not occur in text (tab, LF, VT, FF, CR, ESC allowed).
_CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 11, 12, 13, 27))
_CONTROL_CHARS = frozenset(_CONTROL_BYTES.decode("ascii")) | {chr(c) for c in range(0x80, 0xA0)}
_CONTROL = re.compile("[" + re.escape("".join(sorted(_CONTROL_CHARS))) + "]")  # counted in C, not char by char
_SAMPLE = 64 * 1024


def read_txt(path: Path, data: bytes) -> Document:
    text, _encoding = decode_text(data, path)
    return Document(text=normalise_text(text), format="txt")


def bom_encoding(data: bytes) -> tuple[str, int] | None:
    """(encoding, BOM length) if the data starts with a byte-order mark."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return encoding, len(bom)
    return None


def utf16_by_nuls(data: bytes) -> str | None:
    """UTF-16 without BOM: ASCII characters (digits, newlines) put a NUL in
    every other byte - the odd bytes for little-endian, the even for big.
    Han characters U+xx00 (一 is U+4E00) put some on the other parity, so
    the test is "mostly one parity"; the strict decode then has the say."""
    sample = data[:_SAMPLE]
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    if even + odd == 0 or len(data) % 2:
        return None
    if odd >= 0.75 * (even + odd):
        return "utf-16-le"
    if even >= 0.75 * (even + odd):
        return "utf-16-be"
    return None


def _utf16_without_bom(data: bytes) -> tuple[str, str] | None:
    """Try both byte orders when there are NULs; the parity guess wins, and
    without one (a short, all-Chinese text) the reading with more Han does.
    Binary data fails both on strictness or on unusual characters."""
    if len(data) % 2 or b"\x00" not in data[:_SAMPLE]:
        return None
    guess = utf16_by_nuls(data)
    readings = [(text, encoding) for encoding in ("utf-16-le", "utf-16-be") if (text := _try(data, encoding)) is not None]
    if not readings:
        return None
    return max(readings, key=lambda reading: (reading[1] == guess, cjk_count(reading[0])))


def decode_text(data: bytes, path: Path) -> tuple[str, str]:
    """Return (text, encoding) or raise ReadError saying why not."""
    bom = bom_encoding(data)
    if bom:
        # A BOM is an explicit statement; if the rest disagrees, say so.
        encoding, skip = bom
        text = _try(data[skip:], encoding)
        if text is None:
            raise ReadError(f"{path}: " + N_("starts with a {encoding} byte-order mark but does not decode as that; "
                                             "cannot tell the encoding. Save it as UTF-8 text.").format(
                encoding=encoding.upper()))
        return text, encoding

    found = _utf16_without_bom(data)
    if found:
        return found
    if _looks_binary(data):
        raise ReadError(f"{path}: " + N_("not a text file (binary data); save the letter as .docx or .txt"))

    for encoding in ("utf-8", "gb18030"):
        text = _try(data, encoding)
        if text is not None:
            return text, encoding
    raise ReadError(f"{path}: " + N_("cannot tell the encoding (it is not clean UTF-8, UTF-16 or GB18030/GBK); "
                                     "open it in an editor and save it as UTF-8"))


def _try(data: bytes, encoding: str) -> str | None:
    """Strict decode plus plausibility check; None if either fails."""
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        return None
    if _too_many(len(_CONTROL.findall(text)), len(text), limit=0.001):
        return None
    if encoding == "gb18030" and _too_many(*_outside_gb2312(text)):
        return None
    if encoding.startswith("utf-16") and _too_many(*_unusual_chars(text)):
        return None
    return text


def _too_many(bad: int, total: int, limit: float = 0.02) -> bool:
    # A few odd characters are normal (names, symbols); a steady share is mojibake.
    return bad > max(5, limit * total)


def _looks_binary(data: bytes) -> bool:
    sample = data[:_SAMPLE]
    if b"\x00" in sample:
        return True  # and not UTF-16, which was tried first
    controls = sum(sample.count(b) for b in _CONTROL_BYTES)
    return controls > max(2, 0.01 * len(sample))


def _outside_gb2312(text: str) -> tuple[int, int]:
    """Count non-ASCII characters outside GB2312's punctuation and Han rows.

    Real GBK letters are almost all GB2312 characters; text in another
    encoding (Big5, Shift-JIS, Latin-1, UTF-16) read as GB18030 lands in
    kana, Cyrillic, box drawing, GBK extension rows or 4-byte codes.
    """
    bad = total = 0
    for ch in text:
        if ch < "\x80":
            continue
        total += 1
        if ch == "\u3007":  # 〇, used in dates written in Chinese numerals
            continue
        raw = ch.encode("gb18030")
        if len(raw) != 2 or not (0xA1 <= raw[0] <= 0xA3 or 0xB0 <= raw[0] <= 0xF7) or raw[1] < 0xA1:
            bad += 1
    return bad, total


_USUAL_RANGES = (
    (0x00A0, 0x024F),  # Latin-1 and Latin extended
    (0x2000, 0x27BF),  # punctuation, symbols, ①, arrows, box drawing
    (0x3000, 0x303F),  # CJK punctuation, U+3000
    (0x3400, 0x4DBF),  # Han extension A
    (0x4E00, 0x9FFF),  # Han
    (0xFF00, 0xFFEF),  # full-width forms
    (0xFEFF, 0xFEFF),  # BOM
)


def _unusual_chars(text: str) -> tuple[int, int]:
    """Non-ASCII characters outside the ranges a Chinese letter uses; binary
    data with a NUL on every other byte decodes as UTF-16 into these."""
    bad = total = 0
    for ch in text:
        if ch < "\x80":
            continue
        total += 1
        code = ord(ch)
        if not any(lo <= code <= hi for lo, hi in _USUAL_RANGES):
            bad += 1
    return bad, total
