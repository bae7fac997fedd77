"""Source texts: load, repair PDF-extracted lines into paragraphs and sections, split sentences.

Every piece keeps character offsets into the original file, so an answer sentence can always be
found again where the article has it.
"""

from __future__ import annotations

import hashlib
import json
import re
import statistics
import sys
from dataclasses import dataclass, field
from pathlib import Path

from .errors import SourceError
from .language import detect_language

SOURCE_SUFFIXES = (".txt", ".md")
MAX_SOURCE_BYTES = 5_000_000

# A numbered heading: "1. Giriş", "2. Millî Mücadele ...", "3.1 Alt başlık". The number has a dot
# and the title a capital, so a wrapped line opening with a date ("19 Mayıs 1919'da ...") or an
# ordinal ("20. yüzyıla ...") stays in its paragraph.
_HEADING = re.compile(r"^(\d{1,2}\.(?:\d{1,2}\.?)*)\s+([^\W\d_].{0,100})$")
_TERMINAL = re.compile(r"[.!?…][\"'”’»)]*$|\)$")


@dataclass(frozen=True)
class Sentence:
    """One sentence as the article writes it; start/end are offsets in the original file."""

    text: str
    start: int
    end: int
    paragraph: int  # index into SourceDocument.paragraphs


@dataclass(frozen=True)
class Paragraph:
    text: str
    section: int  # index into SourceDocument.sections
    spans: tuple[tuple[int, int, int], ...]  # (offset in text, offset in file, length) per line

    def file_offset(self, i: int) -> int:
        """Map an offset in the repaired paragraph text to one in the original file."""
        for text_at, file_at, length in reversed(self.spans):
            if i >= text_at:
                return file_at + min(i - text_at, length)
        return self.spans[0][1]


@dataclass(frozen=True)
class Section:
    title: str
    language: str  # "tr", "en", ...
    kind: str  # "abstract" or "body"


SHORT_TITLE_WORDS = 6  # a label beside every answer sentence: a long title would crowd the chat


@dataclass(frozen=True)
class TextInfo:
    """What a reader is told about a source text: its file, title, author, year and language."""

    name: str  # file name inside source_texts/
    title: str
    author: str = ""
    year: str = ""
    language: str = "tr"

    @property
    def short_title(self) -> str:
        """The title up to its colon or first SHORT_TITLE_WORDS words."""
        head = re.split(r"\s*[:—–]\s+|\s+\(", self.title, maxsplit=1)[0].strip() or self.title
        words = head.split()
        return " ".join(words[:SHORT_TITLE_WORDS]) + ("…" if len(words) > SHORT_TITLE_WORDS else "")

    @property
    def label(self) -> str:
        """How an answer names the text: "Doğanay 1991, Serinova Feneri", or the short title alone."""
        who = " ".join(x for x in (self.author, self.year) if x)
        return f"{who}, {self.short_title}" if who else self.short_title

    def to_dict(self) -> dict:
        return {"name": self.name, "title": self.title, "author": self.author, "year": self.year,
                "language": self.language}

    @classmethod
    def from_dict(cls, d: dict) -> "TextInfo":
        return cls(d["name"], d["title"], d.get("author", ""), d.get("year", ""), d.get("language", "tr"))


@dataclass(frozen=True)
class SourceDocument:
    """A repaired source text: sections, paragraphs and sentences with file offsets."""

    name: str  # file name inside source_texts/
    title: str
    language: str
    metadata: dict
    sha256: str
    sections: tuple[Section, ...]
    paragraphs: tuple[Paragraph, ...]
    sentences: tuple[Sentence, ...] = field(repr=False)

    def section_of(self, sentence: Sentence) -> Section:
        return self.sections[self.paragraphs[sentence.paragraph].section]

    @property
    def info(self) -> TextInfo:
        return TextInfo(self.name, self.title, str(self.metadata.get("author") or ""),
                        str(self.metadata.get("year") or ""), self.language)


@dataclass(frozen=True)
class _Line:
    text: str  # stripped
    start: int  # file offset of text[0]
    raw_len: int  # length of the line as it stands in the file
    page_break_before: bool  # a single newline and a leading space: the text goes on mid-sentence


def _lines(raw: str) -> list[_Line]:
    out = []
    for m in re.finditer(r"[^\n]*", raw):
        line = m.group(0)
        if m.start() > 0 and raw[m.start() - 1] != "\n":
            continue  # finditer yields an empty match after each line; skip those
        stripped = line.strip()
        lead = len(line) - len(line.lstrip())
        single_newline = m.start() >= 2 and raw[m.start() - 2] != "\n" and raw[m.start() - 1] == "\n"
        out.append(_Line(stripped, m.start() + lead, len(line.rstrip()),
                         single_newline and line.startswith(" ")))
    return out


def _is_heading(line: _Line, previous_ended: bool) -> bool:
    m = _HEADING.match(line.text)
    return (bool(m) and m.group(2)[0].isupper() and previous_ended and not _TERMINAL.search(line.text)
            and len(line.text) < 110)


def _paragraph_blocks(raw: str):
    """Yield (kind, lines) blocks: kind is "heading" or "text"."""
    lines = _lines(raw)
    lengths = [ln.raw_len for ln in lines if len(ln.text) > 20]
    # A line much shorter than the column width that ends a sentence ends its paragraph.
    width = statistics.median(lengths) if lengths else 80
    block: list[_Line] = []
    previous_ended = True
    for line in lines:
        if not line.text:
            continue
        if _is_heading(line, previous_ended or not block):
            if block:
                yield "text", block
            block = []
            yield "heading", [line]
            previous_ended = True
            continue
        ends_sentence = bool(_TERMINAL.search(line.text))
        block.append(line)
        if ends_sentence and line.raw_len < 0.8 * width:
            yield "text", block
            block = []
        previous_ended = ends_sentence
    if block:
        yield "text", block


def _join(lines: list[_Line]) -> tuple[str, tuple[tuple[int, int, int], ...]]:
    parts, spans, at = [], [], 0
    for line in lines:
        if parts:
            parts.append(" ")
            at += 1
        spans.append((at, line.start, len(line.text)))
        parts.append(line.text)
        at += len(line.text)
    return "".join(parts), tuple(spans)


# --- sentence splitting ------------------------------------------------------------------------

ABBREVIATIONS = frozenset(
    "v.d vd vb vs bkz bk örn s ss sy yy c çev haz ed eds dr prof doç yrd no nr st mr mrs ms "
    "jr sr etc al e.g i.e cf vol pp ca fig".split()
)
# A Turkish sentence ends on a finite verb; a relative participle ("imzaladığı", "yapacağı")
# ending a "sentence" is a stray period inside one.
_PARTICIPLE_END = re.compile(r"(?:[dt][ıiuü]ğ[ıiuü]|[ae]c[ae]ğ[ıi])(?:n[ıi]n)?$", re.IGNORECASE)
_CITATION_AHEAD = re.compile(r"\s*\([^()]*\d{4}[^()]*\)")
_OPENERS = {"(": ")", "[": "]", "“": "”", "‘": "’", "«": "»"}


def _split_points(text: str) -> list[int]:
    """Offsets where a new sentence starts, never inside brackets or quotes."""
    points = []
    depth: list[str] = []  # closers of the open brackets and quotes
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch in "‘’" and 0 < i < n - 1 and text[i - 1].isalpha() and text[i + 1].isalpha():
            pass  # an apostrophe before a suffix ("Moskova’ya"), not a quote mark
        elif text.startswith("‘’", i):  # the article's opening double quote, typed as two singles
            depth.append("’’")
            i += 2
            continue
        elif depth and text.startswith(depth[-1], i):
            i += len(depth.pop())
            continue
        elif ch in _OPENERS:
            depth.append(_OPENERS[ch])
        elif ch == '"':
            depth.append('"')
        elif ch in ".!?…":
            # A sentence may end inside quotes only where they close: "... olmuştur.’’ 11 Mayıs".
            closing = "".join(reversed(depth))
            if not text.startswith(closing, i + 1):
                i += 1
                continue
            depth.clear()
            j = i + 1 + len(closing)
            while j < n and text[j] in ".!?…\"'”’»)":
                j += 1
            if j < n and not text[j].isspace():
                i = j
                continue
            if _ends_sentence(text, i, j):
                cite = _CITATION_AHEAD.match(text, j)
                if cite:  # "... aramıyordu. (Sadıkov,2010:102) Çarlık ..." – the reference is this one's
                    j = cite.end()
                k = j
                while k < n and text[k].isspace():
                    k += 1
                if k < n:
                    points.append(k)
                i = k
                continue
        i += 1
    return points


def _ends_sentence(text: str, dot: int, after: int) -> bool:
    k = after
    while k < len(text) and text[k].isspace():
        k += 1
    if k >= len(text):
        return False
    nxt = text[k]
    if not (nxt.isupper() or nxt.isdigit() or nxt in "(“\"‘'«["):
        return False
    if text[dot] != ".":
        return True
    word = re.search(r"(\S+)$", text[:dot])
    token = word.group(1) if word else ""
    bare = token.lstrip("(“\"‘'«[").lower()
    if bare in ABBREVIATIONS or (len(bare) == 1 and bare.isalpha()):
        return False
    if bare.isdigit() and len(bare) <= 2:  # ordinal: "20. yüzyıl", "2. madde"
        return False
    if _PARTICIPLE_END.search(bare) and not nxt.isdigit():
        return False
    return True


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Split Turkish (or English) prose into (start, end) spans, trailing spaces trimmed."""
    starts = [0] + _split_points(text)
    spans = []
    for a, b in zip(starts, starts[1:] + [len(text)]):
        seg = text[a:b].rstrip()
        if seg.strip():
            spans.append((a, a + len(seg)))
    return spans


# --- documents ---------------------------------------------------------------------------------


# Titles of the front matter's abstracts, one a language.
ABSTRACT_TITLES = {"tr": "Özet", "en": "Abstract"}


def _section_title(kind: str, language: str) -> str:
    return ABSTRACT_TITLES.get(language, ABSTRACT_TITLES["en"]) if kind == "abstract" else ""


def parse_document(raw: str, name: str, metadata: dict | None = None) -> SourceDocument:
    """Repair a PDF-extracted text into sections, paragraphs and sentences."""
    metadata = dict(metadata or {})
    sections: list[Section] = []
    paragraphs: list[Paragraph] = []
    sentences: list[Sentence] = []
    seen_heading = False
    for kind, lines in _paragraph_blocks(raw):
        if kind == "heading":
            seen_heading = True
            sections.append(Section(lines[0].text, detect_language(lines[0].text, default="tr"), "body"))
            continue
        text, spans = _join(lines)
        language = detect_language(text, default=metadata.get("language") or "tr")
        if not seen_heading:
            # Front matter: abstracts, one section a language.
            if not sections or sections[-1].language != language:
                sections.append(Section(_section_title("abstract", language), language, "abstract"))
        elif not sections:
            sections.append(Section("", language, "body"))
        paragraph = Paragraph(text, len(sections) - 1, spans)
        paragraphs.append(paragraph)
        for a, b in split_sentences(text):
            sentences.append(Sentence(text[a:b], paragraph.file_offset(a),
                                      paragraph.file_offset(b - 1) + 1, len(paragraphs) - 1))
    if not sentences:
        raise SourceError(f"{name}: no text found; put a plain-text article in it or remove it.")
    body_langs = [s.language for s in sections if s.kind == "body"] or [sections[0].language]
    language = metadata.get("language") or max(set(body_langs), key=body_langs.count)
    # An unknown title stays unknown: show the subject, else the file name.
    title = metadata.get("title") or metadata.get("subject") or Path(name).stem.replace("-", " ").replace("_", " ")
    return SourceDocument(name, title, language, metadata, hashlib.sha256(raw.encode()).hexdigest(),
                          tuple(sections), tuple(paragraphs), tuple(sentences))


def source_files(directory: Path) -> list[Path]:
    """Every text file in the source directory, in a stable order."""
    if not directory.is_dir():
        raise SourceError(f"source directory {directory} does not exist; create it and put .txt articles in it.")
    # Hidden files are skipped: "._article.txt" (macOS resource forks copied along with an upload)
    # and editor swap files are binary, and one of them would stop the whole build.
    files = sorted(p for p in directory.iterdir()
                   if p.is_file() and not p.name.startswith(".") and p.suffix.lower() in SOURCE_SUFFIXES)
    if not files:
        raise SourceError(f"no .txt source texts in {directory}; add an article there, then run `rag-history build`.")
    return files


def read_metadata(path: Path) -> dict:
    sidecar = path.with_suffix(".json")
    if not sidecar.exists():
        return {}
    try:
        data = json.loads(sidecar.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise SourceError(f"{sidecar}: not valid JSON ({exc}); fix or delete the metadata file.") from None
    if not isinstance(data, dict):
        raise SourceError(f"{sidecar}: metadata must be a JSON object.")
    return data


def read_source(path: Path) -> str:
    """The text of a source file, or a SourceError naming the file and what to do about it."""
    size = path.stat().st_size  # before reading: a huge file is refused without filling memory
    if size > MAX_SOURCE_BYTES:
        raise SourceError(f"{path}: {size:,} bytes is more than the {MAX_SOURCE_BYTES:,}-byte limit "
                          "for one source text; split it into several files.")
    data = path.read_bytes()
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # Windows "Unicode": NULs, but not binary
        raise SourceError(f"{path}: saved as UTF-16; save it as UTF-8 (e.g. `iconv -f utf-16 -t utf-8 "
                          "OLD.txt > NEW.txt`), then run `rag-history build`.")
    if b"\x00" in data or data.startswith(b"%PDF"):
        raise SourceError(f"{path}: not a text file (binary data); replace it with the article's plain UTF-8 "
                          "text (for a PDF: `pdftotext -layout FILE.pdf FILE.txt`) or remove it.")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SourceError(f"{path}: not UTF-8 (byte {exc.start}); convert it to UTF-8, e.g. for the usual "
                          "Turkish Windows encoding `iconv -f windows-1254 -t utf-8 OLD.txt > NEW.txt`, "
                          "then run `rag-history build`.") from None


def load_document(path: Path) -> SourceDocument:
    return parse_document(read_source(path), path.name, read_metadata(path))


def load_documents(directory: Path) -> list[SourceDocument]:
    """Every source document; a second file with the same text is skipped, with a warning."""
    docs, seen = [], {}
    for path in source_files(directory):
        doc = load_document(path)
        if doc.sha256 in seen:  # the same text twice would answer everything twice
            print(f"rag-history: {path.name} has the same text as {seen[doc.sha256]}; indexing it once, "
                  f"as {seen[doc.sha256]}.", file=sys.stderr)
            continue
        seen[doc.sha256] = path.name
        docs.append(doc)
    return docs
