"""Text normalisation shared by every reader.

The extraction treats each non-empty line as one paragraph, so the output is
one paragraph per line with no blank lines. It must stay faithful to the
wording: no NFKC, no full-width -> half-width punctuation, because quotes and
offsets are matched against the original letter.
"""
from __future__ import annotations

import re

# Han ideographs (basic block + extension A); enough to tell Chinese lines apart.
CJK_CLASS = "\u3400-\u4dbf\u4e00-\u9fff"
CJK_RE = re.compile(f"[{CJK_CLASS}]")

# Line separators other than \n that editors, Word and PDFs produce.
_LINE_BREAKS = re.compile("\r\n|[\r\f\v\x1c\x1d\x1e\x85\u2028\u2029]")
# Invisible characters that only get in the way of matching: stray BOMs,
# zero-width spaces and the remaining C0/C1 controls (tab is kept).
_INVISIBLE = re.compile("[\ufeff\u200b\x00-\x08\x0e-\x1b\x1f\x7f-\x84\x86-\x9f]")


def normalise_text(text: str) -> str:
    """One paragraph per line, no blank lines, lines stripped of indentation.

    str.strip() also removes U+3000 (full-width space) and U+00A0, which is
    how Chinese documents indent paragraphs; interior spaces are kept.
    """
    text = _INVISIBLE.sub("", _LINE_BREAKS.sub("\n", text))
    lines = (line.strip() for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


def cjk_count(text: str) -> int:
    return len(CJK_RE.findall(text))
