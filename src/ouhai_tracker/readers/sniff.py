"""Decide how to read a file from its first bytes, with the name as a hint.

Files arrive renamed, saved from browsers with the wrong extension, or
exported by tools that pick odd names, so content wins over the suffix.
"""
from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

from ouhai_tracker.i18n import N_
from ouhai_tracker.readers.base import ReadError, UnsupportedFile
from ouhai_tracker.readers.txt import bom_encoding, utf16_by_nuls

_SAVE_AS = N_("open it and save it as .docx or .txt")
_OCR = N_("run OCR on it and save the text as .txt")
_UNPACK = N_("unpack it and read the letters inside")

# (magic prefix, what it is, what to do)
_UNSUPPORTED = (
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
     N_("an old Word .doc (or another legacy or password-protected Office/WPS file)"),
     N_("open it in Word or WPS and save it as .docx or .txt")),
    (b"{\\rtf", N_("an RTF document"), _SAVE_AS),
    (b"\x89PNG\r\n\x1a\n", N_("a PNG image"), _OCR),
    (b"\xff\xd8\xff", N_("a JPEG image"), _OCR),
    (b"GIF87a", N_("a GIF image"), _OCR),
    (b"GIF89a", N_("a GIF image"), _OCR),
    (b"II*\x00", N_("a TIFF image"), _OCR),
    (b"MM\x00*", N_("a TIFF image"), _OCR),
    (b"Rar!\x1a\x07", N_("a RAR archive"), _UNPACK),
    (b"7z\xbc\xaf\x27\x1c", N_("a 7z archive"), _UNPACK),
    (b"\x1f\x8b", N_("a gzip archive"), _UNPACK),
    (b"\xfd7zXZ\x00", N_("an xz archive"), _UNPACK),
)
_HTML_START = re.compile(r"<!doctype\s+html|<html[\s>]", re.IGNORECASE)
_HTML_TAG = re.compile(r"<(?:html|head|body|meta|div|p|table|br)[\s/>]", re.IGNORECASE)
_HTML_SUFFIXES = {".html", ".htm", ".shtml", ".xhtml"}


def sniff(path: Path, data: bytes) -> str:
    """Return "docx", "pdf", "html" or "txt"; raise UnsupportedFile otherwise."""
    for magic, what, todo in _UNSUPPORTED:
        if data.startswith(magic):
            raise UnsupportedFile(f"{path}: " + N_("{what}, which the tracker cannot read; {todo}").format(what=what, todo=todo))
    if data.startswith(b"RIFF") and data[8:12] == b"WEBP":
        raise UnsupportedFile(f"{path}: " + N_("{what}, which the tracker cannot read; {todo}").format(
            what=N_("a WebP image"), todo=_OCR))
    if data.startswith(b"PK\x03\x04") or data.startswith(b"PK\x05\x06"):
        return _sniff_zip(path, data)
    # Readers accept a PDF header anywhere in the first KiB, so some files have junk first.
    if b"%PDF-" in data[:1024]:
        return "pdf"
    if _looks_like_html(path, data):
        return "html"
    return "txt"


def _sniff_zip(path: Path, data: bytes) -> str:
    try:
        names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise ReadError(f"{path}: " + N_("a damaged ZIP/.docx file ({reason}); save it again as .docx").format(
            reason=exc)) from exc
    if "word/document.xml" in names:
        return "docx"
    if "[Content_Types].xml" in names or "mimetype" in names:
        what = N_("an office document that is not a Word .docx (spreadsheet, slides or .odt?)")
        raise UnsupportedFile(f"{path}: " + N_("{what}, which the tracker cannot read; {todo}").format(
            what=what, todo=_SAVE_AS))
    raise UnsupportedFile(f"{path}: " + N_("{what}, which the tracker cannot read; {todo}").format(
        what=N_("a ZIP archive, not a letter"), todo=_UNPACK))


def _looks_like_html(path: Path, data: bytes) -> bool:
    head = data[:4096]
    bom = bom_encoding(head)
    encoding = bom[0] if bom else utf16_by_nuls(head[: len(head) // 2 * 2])
    # Markup is ASCII, so latin-1 is enough to see it in UTF-8 and GBK pages.
    text = head.decode(encoding or "latin-1", errors="ignore").lstrip("\ufeff \t\r\n")
    if _HTML_START.search(text[:1024]):
        return True
    # A fragment saved as .html: trust the name if there is markup in it.
    return path.suffix.lower() in _HTML_SUFFIXES and bool(_HTML_TAG.search(text))
