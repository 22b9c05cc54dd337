"""Word .docx letters via python-docx: paragraphs and tables in body order.

python-docx's ``doc.paragraphs`` and ``doc.tables`` are separate lists, which
would move a table (say, the list of measures) away from the paragraph that
introduces it, so the body's XML children are walked instead.
"""
from __future__ import annotations

import io
import zipfile
from pathlib import Path

from ouhai_tracker.i18n import N_
from ouhai_tracker.readers.base import Document, ReadError
from ouhai_tracker.readers.normalize import normalise_text

_DAMAGED = N_("cannot read the Word file (damaged?): {reason}; save it again as .docx")

# A letter's .docx unpacks to a few MB at most; a small file that unpacks to gigabytes (a
# "zip bomb") is refused before python-docx reads it into memory. zipfile never unpacks a
# member past the size the archive declares, so the declared sizes are a true bound.
MAX_UNPACKED_MB = 100
MAX_MEMBERS = 10_000


def read_docx(path: Path, data: bytes) -> Document:
    # Imported here: python-docx (and lxml) load only when a .docx is read.
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    _check_unpacked_size(path, data)
    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, KeyError, ValueError, OSError) as exc:
        raise ReadError(f"{path}: " + _DAMAGED.format(reason=exc)) from exc
    except Exception as exc:  # lxml syntax errors and the like from a broken package
        raise ReadError(f"{path}: " + N_("cannot read the Word file (damaged?): {reason}").format(reason=exc)) from exc
    lines = list(_block_lines(document.element.body, document))
    return Document(text=normalise_text("\n".join(lines)), format="docx")


def _check_unpacked_size(path: Path, data: bytes) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise ReadError(f"{path}: " + _DAMAGED.format(reason=exc)) from exc
    unpacked = sum(member.file_size for member in members)
    if unpacked > MAX_UNPACKED_MB * 1024 * 1024:
        raise ReadError(f"{path}: " + N_("the Word file unpacks to {size} MB, over the {most} MB limit for a letter; "
                                         "is it really a reply letter?").format(
            size=f"{unpacked / 1024 / 1024:,.0f}", most=MAX_UNPACKED_MB))
    if len(members) > MAX_MEMBERS:
        raise ReadError(f"{path}: " + N_("the Word file holds {count} parts, over the {most} a letter could need; "
                                         "is it really a reply letter?").format(
            count=f"{len(members):,}", most=f"{MAX_MEMBERS:,}"))


def _block_lines(container, parent):
    """Yield text lines for w:p and w:tbl children, descending into content
    controls (w:sdt), which wrap paragraphs in forms and templates."""
    from docx.oxml.ns import qn
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    for child in container.iterchildren():
        if child.tag == qn("w:p"):
            yield Paragraph(child, parent).text
        elif child.tag == qn("w:tbl"):
            yield from _table_lines(Table(child, parent))
        elif child.tag == qn("w:sdt"):
            content = child.find(qn("w:sdtContent"))
            if content is not None:
                yield from _block_lines(content, parent)


def _table_lines(table):
    """One line per row, cells joined by a tab. A merged cell is reported by
    python-docx once per grid column it spans, so repeats are dropped."""
    for row in table.rows:
        cells, seen = [], set()
        for cell in row.cells:
            if id(cell._tc) in seen:
                continue
            seen.add(id(cell._tc))
            # Paragraphs inside a cell stay on the row's line.
            text = " ".join(p.strip() for p in cell.text.split("\n") if p.strip())
            if text:
                cells.append(text)
        yield "\t".join(cells)
