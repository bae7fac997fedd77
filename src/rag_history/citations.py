"""In-text references: parse "(Kocabaşoğlu; Berge,1992:35)" and attribute sentences to them.

A sentence is supported by its own reference; failing that by the next reference in the same
paragraph (the article cites once after a run of sentences); failing that it is the article
author's own statement and gets no reference.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .source import SourceDocument

# Authors, a comma, a year, then ":" or "," and pages: "(Kılıç,2016,125)", "(Köstüklü,2016:26-27)".
_CITATION = re.compile(
    r"\((?P<authors>[^()\d]{2,120}?)\s*,\s*(?P<year>1[5-9]\d\d|20\d\d)(?P<suffix>[a-z]?)"
    r"(?:\s*[:,]\s*(?P<pages>[\divxlcIVXLC]+(?:\s*[-–]\s*[\divxlcIVXLC]+)?))?\s*\)"
)
_ET_AL = re.compile(r"\s*(?:\bv\.?\s?d\.?|\bvd\.?|\bet\s+al\.?|\bve\s+ark\.?|\bve\s+diğ\.?)\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class Citation:
    raw: str  # as the article writes it, brackets included
    authors: tuple[str, ...]
    year: str
    pages: str
    et_al: bool = False

    @property
    def author(self) -> str:
        return self.authors[0]

    @property
    def key(self) -> str:
        """Author(s) and year, without pages: the reference-list entry."""
        names = "; ".join(self.authors) + (" v.d." if self.et_al else "")
        return f"{names}, {self.year}"

    def to_dict(self) -> dict:
        return {"author": self.author, "authors": list(self.authors), "year": self.year,
                "pages": self.pages, "raw": self.raw}


@dataclass(frozen=True)
class CitationMark:
    """A citation where it stands: offsets in the paragraph text."""

    citation: Citation
    paragraph: int
    start: int
    end: int


def parse_citation(raw: str) -> Citation | None:
    m = _CITATION.fullmatch(raw.strip())
    return _from_match(m) if m else None


def _from_match(m: re.Match) -> Citation | None:
    names = m.group("authors").strip()
    et_al = bool(_ET_AL.search(names))
    names = _ET_AL.sub("", names)
    authors = tuple(a.strip(" .") for a in re.split(r"\s*(?:;|&|\bve\b|\band\b)\s*", names) if a.strip(" ."))
    if not authors or any(not a[0].isupper() or len(a.split()) > 4 for a in authors):
        return None  # "(bkz. yukarıda, 1920)" and the like are not references
    pages = re.sub(r"\s+", "", m.group("pages") or "")
    return Citation(m.group(0), authors, m.group("year") + m.group("suffix"), pages, et_al)


def find_citations(text: str) -> list[tuple[int, int, Citation]]:
    """Every reference in a text as (start, end, citation)."""
    out = []
    for m in _CITATION.finditer(text):
        c = _from_match(m)
        if c:
            out.append((m.start(), m.end(), c))
    return out


@dataclass(frozen=True)
class Attribution:
    """The reference that supports a sentence, and how it was found."""

    citation: Citation | None
    how: str  # "own", "following" or "author"


def attribute(doc: SourceDocument) -> list[Attribution]:
    """One Attribution per sentence of the document, in order."""
    out: list[Attribution] = []
    by_paragraph: dict[int, list[tuple[int, Citation]]] = {}
    for p_index, p in enumerate(doc.paragraphs):
        by_paragraph[p_index] = [(p.file_offset(a), c) for a, _, c in find_citations(p.text)]
    for s in doc.sentences:
        own = [c for _, _, c in find_citations(s.text)]
        if own:
            out.append(Attribution(own[-1], "own"))
            continue
        later = [c for at, c in by_paragraph[s.paragraph] if at >= s.end]
        out.append(Attribution(later[0], "following") if later else Attribution(None, "author"))
    return out


def strip_citations(text: str) -> str:
    """The sentence without its references, for embedding and matching."""
    return re.sub(r"\s{2,}", " ", _CITATION.sub(" ", text)).strip()
