"""PDF sources: the text layer of a PDF, page by page, with what the layout tells about it.

The text comes from pypdf (BSD licence), chosen over pdfminer.six after measuring both on the
Friedman PDF (tests/data/readings/friedman-1955-in-1947.pdf, 32 pages, Word-made;
`benchmarks/pdf_extraction.py`, medians of 3 runs on the shared 2-core machine, load 7 to 10):

| | pypdf 7.1.1 | pdfminer.six 20260107 |
| --- | --- | --- |
| time for the 32 pages | 1.7 s | 3.6 s |
| the question set's expected answers found in the text (squashed) | 27 / 27 | 27 / 27 |
| hand-counted footnote texts found whole (squashed, line-end hyphens joined) | 32 / 33 | 32 / 33 |
| paragraph indents kept (a line starting with a space after a finished sentence) | 15 | 0 |
| share of blank lines (pdfminer puts one after every line) | 0.10 | 0.52 |
| font size of every character (footnotes are smaller) | through `visitor_text` | through layout objects |

Both give the same words; pypdf is faster, keeps the first-line indent of paragraphs (the one
clue to a paragraph break after a full-width line) and reports each character's font size with
its text, in the same order as the text it returns (checked on every page of that PDF), which is
how footnotes are told from the body below: lines clearly smaller than the body's size at the
foot of a page are notes.

A PDF with no text layer (a scan) is refused with one line saying to OCR it first.
"""

from __future__ import annotations

import logging
import re
import statistics
from dataclasses import dataclass
from pathlib import Path

from .errors import SourceError

PAGE_BREAK = "\f"  # between the pages of the extracted text, as pdftotext writes them
# A line whose characters are this much smaller than the body's is a footnote (Word: 12 pt body,
# 10 pt notes); superscript marks are smaller still but sit inside body lines.
NOTE_SIZE_RATIO = 0.9
# Fewer letters than this per page on average: the text layer is empty or a few stray marks.
MIN_LETTERS_PER_PAGE = 20


@dataclass(frozen=True)
class PdfText:
    """The extracted text (pages joined by PAGE_BREAK), and what the layout says about it."""

    text: str
    note_lines: frozenset[int]  # offsets in text of the lines set in footnote size
    metadata: dict  # title, author, year from the PDF's document information


def extract(path: Path, data: bytes) -> PdfText:
    """The text layer of a PDF file's bytes; SourceError naming the file when there is none."""
    import io

    import pypdf

    logging.getLogger("pypdf").setLevel(logging.ERROR)  # its warnings about odd fonts are not the user's
    try:
        reader = pypdf.PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise SourceError(f"{path}: the PDF is encrypted; save an unprotected copy, then run `rag-history build`.")
        pages = [_page_text(page) for page in reader.pages]
        info = reader.metadata or {}
    except SourceError:
        raise
    except Exception as exc:  # pypdf raises many kinds on a damaged file
        raise SourceError(f"{path}: the PDF cannot be read ({exc.__class__.__name__}); "
                          "replace it with a complete copy, or with its text as a .txt file.") from None
    letters = sum(ch.isalpha() for text, _ in pages for ch in text)
    if letters < MIN_LETTERS_PER_PAGE * max(len(pages), 1):
        raise SourceError(f"{path}: the PDF has no text layer (a scan?); OCR it first, e.g. "
                          f"`ocrmypdf {path.name} ocr.pdf`, and put the result in its place.")
    text, note_lines = _join_pages(pages)
    return PdfText(text, frozenset(note_lines), _metadata(info))


def _page_text(page) -> tuple[str, list[float]]:
    """A page's text and the font size of each of its characters."""
    parts: list[str] = []
    sizes: list[float] = []

    def visit(text, cm, tm, font, size):
        parts.append(text)
        scale = abs(tm[3] * cm[3]) or 1.0  # text and user space matrices scale the nominal size
        sizes.extend([size * scale] * len(text))

    text = page.extract_text(visitor_text=visit)
    if "".join(parts) != text:  # another pypdf may join differently: then no sizes, no notes
        return text, []
    return text, sizes


def _join_pages(pages: list[tuple[str, list[float]]]) -> tuple[str, list[int]]:
    body = _body_size(pages)
    out, note_lines, at = [], [], 0
    for text, sizes in pages:
        if out:
            out.append(PAGE_BREAK)
            at += 1
        if body and sizes:
            note_lines.extend(at + i for i in _foot_lines(text, sizes, body))
        out.append(text)
        at += len(text)
    return "".join(out), note_lines


def _body_size(pages) -> float | None:
    """The font size most letters are set in."""
    counts: dict[float, int] = {}
    for text, sizes in pages:
        for ch, size in zip(text, sizes):
            if ch.isalpha():
                counts[round(size, 1)] = counts.get(round(size, 1), 0) + 1
    return max(counts, key=counts.get) if counts else None


def _foot_lines(text: str, sizes: list[float], body: float) -> list[int]:
    """Offsets of the lines at the foot of a page set smaller than the body: its footnotes."""
    lines = []
    for m in re.finditer(r"[^\n]+", text):
        letters = [sizes[i] for i in range(m.start(), m.end()) if text[i].isalnum()]
        if letters:
            lines.append((m.start(), statistics.median(letters) < NOTE_SIZE_RATIO * body, m.group(0).strip()))
    foot = []
    for start, small, line in reversed(lines):
        if not small:
            break
        foot.append(start)
    # Whether a small foot holds notes (a line starting with the next note number, or the rest of
    # the last page's note) is for the repair to decide: it sees the text.
    return sorted(foot)


_PDF_DATE_YEAR = re.compile(r"^D?:?(\d{4})")


def _metadata(info) -> dict:
    """Title, author and year from the document information, where they say something."""
    out = {}
    title = str(info.get("/Title") or "").strip()
    # Word and other tools fill the title with the file name: "Microsoft Word - draft3.docx".
    if title and not re.search(r"^Microsoft Word - |\.(docx?|rtf|odt|tex|pdf)$", title, re.IGNORECASE):
        out["title"] = title
    author = str(info.get("/Author") or "").strip()
    if author:
        out["author"] = author
    m = _PDF_DATE_YEAR.match(str(info.get("/CreationDate") or ""))
    if m:
        out["year"] = m.group(1)
    return out
