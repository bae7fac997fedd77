"""Repair a text as PDF extraction and e-text conversion leave it: lines into headings and
paragraphs, page furniture out, footnotes apart, every character traceable to the source.

What it repairs, each from a real sample (tests/test_repair.py):

- line endings: LF, CRLF and CR alike (a CR-only file has one line per line, not one in all);
  form feeds are page breaks;
- wrapped lines joined into paragraphs; two layouts are told apart: "double-spaced" (every line
  followed by a blank one, as the bundled article: a short line ending a sentence ends its
  paragraph) and "blocks" (blank lines between paragraphs and headings; within a block a
  short or indented line after a finished sentence starts a new paragraph, as in a Word PDF);
- headings: numbered ("2. Millî Mücadele ..."), the usual section titles (Abstract, Özet,
  References, Kaynakça, Notes, ...; numbered or not, any case, a colon after them), and in
  block layout a short line of its own after a finished sentence;
- page furniture: page numbers and running heads (the same short line, digits aside, at the top
  or bottom of many pages), figure credits and captions standing alone in mid-sentence, and
  tables-of-contents lines (dot leaders and a page number) and the rules of plain-text tables
  are dropped;
- quote markers ("> " at the start of a line, as mail and Markdown quote);
- Markdown's marks in a text with Markdown headings (a notebook or web page saved as text):
  a heading's "#"s (a heading in any section, "Notes" over a list included), "**", inline
  code's backticks, images, a link's brackets and address;
- hyphens at line ends: "infor-" + "mation" becomes "information", "Soviet-" + "Turkish" and
  "thirty-" + "five" keep theirs: decided by the source's own vocabulary (the hyphenated form
  written elsewhere keeps it; the joined one written elsewhere joins; two words of their own keep
  it; else the parts are one word cut by the line end), and a soft hyphen always joins;
- ligatures (ﬁ, ﬀ, ...) by NFKC; control characters and terminal escape sequences dropped;
- footnotes: at the foot of PDF pages (smaller type, from pdf.py) or of text pages (a line
  starting with the next note number), and under a Notes/FOOTNOTES heading (lines starting
  with "[2:1]", "12.", "¹"); their marks in the body ("U.S.S.R.1", "period. 3", "growing!"[2:1]",
  "word¹") are taken out of the text, each kept with its position.

Everything is done line by line and piece by piece in one pass (linear in the text's length).
The text of a block is made of pieces of the source, each mapped back by `spans`
(offset in the block text, offset in the source, length): a span's text is the source's,
except a ligature, whose expansion maps onto its one source character.

Hand-written: no maintained library repairs extracted text into structure with offsets kept
(pypdf and pdfminer give the text; ftfy fixes encodings, not layout).
"""

from __future__ import annotations

import re
import statistics
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from itertools import islice

from .files import CONTROLS

# --- what the layout heuristics measure against, each with its reason --------------------------

# A line this much shorter than the column that ends a sentence ends its paragraph (the last
# line of a paragraph rarely fills the column); in block layout the blank lines already break
# most paragraphs, so only a clearly short line does.
SHORT_LINE = 0.8
SHORT_LINE_IN_BLOCK = 0.6
# Every line followed by a blank one in this share of lines, and this share of lines stopping in
# mid-sentence (wrapped, not one paragraph a line): the blank lines mean nothing.
DOUBLE_SPACED_SHARE = 0.75
WRAPPED_SHARE = 0.4
# A heading followed by its paragraph without a blank line is clearly shorter than the column.
HEADING_WIDTH = 0.75
# A heading of its own is short: a title, not a sentence.
HEADING_MAX_CHARS = 90
HEADING_MAX_WORDS = 12
# Running heads: a line at the top or bottom of at least this share of pages (and of 3).
RUNNING_HEAD_SHARE = 0.3
PAGE_EDGE_LINES = 2  # lines at each edge of a page where page numbers and running heads sit
# A footnote mark is the next note number or at most this many further (a mark the repair did not
# see must not make it lose the rest).
MARK_SKIP = 3

# Markdown's marks in a text converted without them being read (a notebook or a web page saved
# as text), in a text with this many "#" headings: a heading's "#"s (a heading in whatever
# section it stands), "**", inline code's backticks, images, a link's brackets and address,
# kramdown's "{:target=...}". The words stay, so an answer shows them, not the marks.
MARKDOWN_HEADINGS = 2
_MARKDOWN_HEADING = re.compile(r"#{1,6}[ \t]+(?=\S)")
_MARKDOWN_HEADINGS = re.compile("^" + _MARKDOWN_HEADING.pattern, re.MULTILINE)
_MARKDOWN_MARKS = re.compile(r"!\[[^\]\n]*\]\([^)\s]*\)|\[(?=[^\]\n]*\]\()|\]\([^)\s]*\)|\{:[^}\n]*\}|\*\*|`")
_HEADING_NUMBERED = re.compile(r"^(\d{1,2}\.(?:\d{1,2}\.?)*)\s+([^\W\d_].{0,100})$")
# A line that ends a sentence, perhaps with a footnote mark after it ("these studies.33").
_TERMINAL = re.compile(r"(?:[.!?…][\"'”’»)]*|\))(?: ?\d{1,3}|[⁰¹²³⁴⁵⁶⁷⁸⁹]+|\[[^\]\s]{1,8}\])?$")
# Section titles that say what a section is; the key is the title lowercased, without a number,
# markup or a colon.
SECTION_KINDS = {
    **dict.fromkeys(("abstract", "özet", "öz", "summary", "résumé"), "abstract"),
    **dict.fromkeys(("references", "reference list", "bibliography", "works cited", "literature cited",
                     "sources", "kaynakça", "kaynaklar", "kaynakca", "bibliyografya"), "references"),
    **dict.fromkeys(("notes", "footnotes", "endnotes", "notlar", "dipnotlar", "sonnotlar", "açıklamalar"),
                    "notes"),
    **dict.fromkeys(("contents", "table of contents", "içindekiler"), "contents"),
    # A web page's lists of further pages, never answers: what follows them is its menus and footer.
    **dict.fromkeys(("see also", "external links", "further reading", "ayrıca bakınız", "dış bağlantılar"), "links"),
    # Ordinary sections, known by name: they also show how a text sets its headings.
    **dict.fromkeys(("introduction", "giriş", "conclusion", "conclusions", "sonuç", "sonuç ve değerlendirme",
                     "discussion", "tartışma", "değerlendirme"), "body"),
}
_TURKISH_CAPS = re.compile("[ÇĞİÖŞÜ]")  # "KAYNAKÇA", "GİRİŞ": a Turkish title in capitals
_TITLE_KEY = re.compile(r"^(?:#{1,6}\s*)?(?:\d{1,2}(?:\.\d{1,2})*\.?\s+|[IVX]{1,4}\.\s+)?(.*?)\s*:?\s*$")
_PAGE_NUMBER = re.compile(r"^(?:page|sayfa|s\.)?\s*[-–—]?\s*(?:\d{1,4}|[ivxlc]{1,7})\s*[-–—]?$", re.IGNORECASE)
_TOC_LINE = re.compile(r"(?:\.{4,}|(?:\.\s){3,}\.?|…{2,}|_{4,})\s*\d{1,4}\s*$")
# A heading may end in the years of its period, "Durrani Empire (1752–1819)", which no reference is.
_PERIOD_TAIL = re.compile(r"\((?:c\.\s*)?\d{3,4}s?(?:\s*(?:[–—-]|to)\s*\d{2,4}s?)?(?:\s*(?:CE|BCE|AD|BC))?\)$")
# The rules of a plain-text table (pandoc's, Markdown's "|---|:--|"): no words, nothing to answer.
_TABLE_RULE = re.compile(r"^[-=+|: ]*[-=]{3,}[-=+|: ]*$")
_CAPTION = re.compile(r"^(?:courtesy of|source:|kaynak:|photo(?:graph)?:|(?:figure|fig\.|şekil|resim|table|tablo|"
                      r"harita|map)\s*\d)", re.IGNORECASE)
_ORNAMENT = re.compile(r"^(?:[IVXLC]{1,5}\.?|[*•·~#=\-–— ]{1,12})$")
_QUOTE_MARKER = re.compile(r"[ \t]*(?:>[ \t]?)+")
_LIGATURE = re.compile("[\ufb00-\ufb06\u0132\u0133\u01c4-\u01cc]")
_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
_PIECE = re.compile(r"\S+")

# Footnote marks in the body and the starts of note entries.
_BRACKET_MARK = re.compile(r"\[(?:\d{1,3}(?::\d{1,3})?|[a-z])\]")
_LETTER_MARK = re.compile(r"\[[a-z]\]")
_SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
_SUPERSCRIPT_MARK = re.compile(f"(?<=\\S)[{_SUPERSCRIPTS}]+")
# A number glued after a word or punctuation, or after punctuation and a space (pdftotext):
# "U.S.S.R.1", "studies.33", "period. 2".
_NUMBER_MARK = re.compile(r"(?:(?<=[.,;:!?”’\"')\]])|(?<=[a-zçğıöşü]))(\d{1,3})(?=[\s,.;:]|$)"
                          r"|(?<=[.,;:!?”’\"')]) (\d{1,3})(?=\s|$)")
# After the number, the backlinks of a web page's notes: "7.  ^ a b Sharma 2005, p. 74." (Wikipedia).
_NOTE_START = re.compile(f"^(\\[(?:\\d{{1,3}}(?::\\d{{1,3}})?|[a-z])\\]|\\d{{1,3}}(?=[.)]?\\s)[.)]?|[{_SUPERSCRIPTS}]+)\\s*"
                         r"(?:\^(?:\s+[a-z]{1,2}(?=\s))*\s*)?")
_BRACKET_NOTE_START = re.compile(r"^\[\d{1,3}(?::\d{1,3})?\]\s")
# A numbered entry with a backlink is a note, also in a list headed "References" (a web page's notes).
_BACKLINKED = re.compile(r"^\d{1,3}\.?\s+\^\s")
_FOOT_NOTE_START = re.compile(r"^(\d{1,3})(?:\s+|$)")
_DIGITS = str.maketrans(_SUPERSCRIPTS, "0123456789")
# A reference-list entry that ends with its web address or DOI ends there, without a full stop.
_ADDRESS_END = re.compile(r"(?:https?://|doi:\s?|www\.)\S+$", re.IGNORECASE)
# An entry opens with "Surname, ", or with a name of no initials and its year in APA's place:
# "Le Corbusier. (2010).", "World Health Organization. (2010)." (up to four words).
_ENTRY_START = re.compile(r"^(?:[—–-]{2,}|\[\d{1,3}\]|\d{1,3}\.\s|[^\W\d_][^\s,]*,\s|"
                          r"(?:[^\W\d_][^\s(]*\s){1,4}\((?:1[4-9]\d\d|20\d\d|n\.\s?d\.)[a-z]?\))")
_BULLET = r"[-•*·]\s+"  # a list item's bullet
# Opens an entry even after a line without a full stop (an entry ending in an ISBN): a list's
# bullet, or a web page's note number with its backlink.
_LIST_ITEM = re.compile(rf"^{_BULLET}|{_BACKLINKED.pattern}")


@dataclass(frozen=True)
class Mark:
    """A footnote mark taken out of a block's text: it stood before text[at]."""

    marker: str
    at: int
    start: int  # offsets of the mark in the source
    end: int


@dataclass(frozen=True)
class Block:
    """A heading or a paragraph of the repaired text."""

    kind: str  # "heading" or "paragraph"
    text: str
    spans: tuple[tuple[int, int, int], ...]  # (offset in text, offset in source, length)
    section_kind: str  # what the section it belongs to is: "front", "abstract", "body", "references", "notes", ...
    marks: tuple[Mark, ...] = ()
    marker: str = ""  # a note's own marker ("12", "[2:1]")
    foot: bool = False  # a note from the foot of a page, not from a Notes section


@dataclass
class _Line:
    origin: int  # source offset where the line starts
    start: int  # source offset of the first non-blank character
    end: int  # source offset after the last non-blank character
    page: int
    indented: bool
    text: str  # stripped, without dropped characters: what the heuristics look at
    drops: list[tuple[int, int, str]] = field(default_factory=list)  # (start, end, marker or "")
    blank_before: bool = False
    raw_len: int = 0  # length of the line as it stands, leading space included
    soft_hyphen: bool = False  # ends in a soft hyphen (dropped): the word goes on in the next line
    page_first: bool = False  # the first line of a page (after the furniture)
    marked_heading: bool = False  # a Markdown heading ("## Conclusions", its "#"s dropped)


_ITEM = re.compile(rf"(?:^|\s){_BULLET}")
LINK_ITEM_WORDS = 6  # a web page's menu and link lists: "Main page", "Random article", "History of Ladakh"


def is_link_list(text: str) -> bool:
    """A paragraph of bulleted short items without a sentence among them: a web page's menu or a
    list of links ("- Main page - Contents - Current events"), never an answer."""
    items = [i.strip() for i in _ITEM.split(text) if i.strip()]
    return bool(_ITEM.match(text)) and all(len(i.split()) <= LINK_ITEM_WORDS and not _TERMINAL.search(i)
                                           for i in items)


def section_kind(title: str) -> str | None:
    """What a heading's title says its section is, or None for an ordinary heading."""
    m = _TITLE_KEY.match(title.strip())
    key = (m.group(1) if m else title).strip().replace("İ", "i").replace("I", "ı" if _TURKISH_CAPS.search(title) else "i")
    return SECTION_KINDS.get(key.lower().rstrip(".")) if title else None


def repair(source: str, note_lines: frozenset[int] = frozenset()) -> list[Block]:
    """The headings and paragraphs of a source text, in order; footnotes from page feet last.

    `note_lines`: offsets of lines known to be footnotes (set in smaller type, from pdf.py)."""
    lines = _lines(source)
    tails = _drop_furniture(lines)
    lines = [ln for ln in lines if ln.text]
    for previous, ln in zip(lines, lines[1:]):
        if ln.page != previous.page:  # the blank lines around a page number are no paragraph break
            ln.blank_before, ln.page_first = False, True
    return _Assembler(source, lines, note_lines, tails).run()


def _goes_on(previous: _Line | None, ln: _Line) -> bool:
    """Whether a line opening with a number goes on the line before: text after the number, no
    blank line between them, and that one ended no sentence ("…Studies of,”" + "24 November 1947,
    Folder …": a date, not note 24). A number alone is a note's ("16", "17", as `_share_lines`
    reads them), and so is one after a number alone."""
    return (bool(previous and previous.text) and not ln.blank_before and not _TERMINAL.search(previous.text)
            and not _FOOT_NOTE_START.fullmatch(ln.text))


def _share_lines(feet: list[tuple[str, list[_Line]]]) -> list[tuple[str, list[_Line]]]:
    """Notes whose numbers stand together ("16", "17", then "Ibid., 6.", "Ibid."): pdftotext sets
    the numbers of short notes in a column before their texts, so each takes one line of the
    lines after them, the last the rest."""
    out: list[tuple[str, list[_Line]]] = []
    waiting: list[str] = []  # numbers with no line yet
    for marker, lines in feet:
        if not lines:
            waiting.append(marker)
            continue
        if waiting and len(lines) > len(waiting):
            out += [(m, [ln]) for m, ln in zip(waiting, lines)]
            lines = lines[len(waiting):]
        waiting = []
        out.append((marker, lines))
    return out


# --- lines ---------------------------------------------------------------------------------------


_BREAK = re.compile(r"\r\n|\r|\n|\f")


def _lines(source: str) -> list[_Line]:
    out: list[_Line] = []
    page, at, blank = 0, 0, True
    markdown = len(list(islice(_MARKDOWN_HEADINGS.finditer(source), MARKDOWN_HEADINGS))) == MARKDOWN_HEADINGS
    for m in [*_BREAK.finditer(source), None]:
        end = m.start() if m else len(source)
        line = _line(source, at, end, page, blank, markdown)
        if line.text:
            out.append(line)
            blank = False
        else:
            blank = True
        if m is None:
            break
        if m.group(0) == "\f":
            page += 1
            blank = True
        at = m.end()
    return out


def _line(source: str, start: int, end: int, page: int, blank_before: bool, markdown: bool = False) -> _Line:
    drops = [(m.start(), m.end(), "") for m in CONTROLS.finditer(source, start, end)]
    q = _QUOTE_MARKER.match(source, start, end)
    if q and ">" in q.group(0):
        drops.insert(0, (start, q.end(), ""))
    first = start + len(source[start:end]) - len(source[start:end].lstrip())
    last = start + len(source[start:end].rstrip())
    heading = None
    if markdown:
        heading = _MARKDOWN_HEADING.match(source, first, end)
        drops += [(m.start(), m.end(), "") for m in _MARKDOWN_MARKS.finditer(source, start, end)]
        if heading:
            drops.append((heading.start(), heading.end(), ""))
        drops.sort()
    soft = bool(drops) and source[start:end].rstrip().endswith("\u00ad")
    text = _without(source, start, end, drops)
    lead = len(text) - len(text.lstrip())
    stripped = text.strip()
    return _Line(start, first, last, page, lead > 0 and not (q and ">" in q.group(0)), stripped, drops,
                 blank_before, len(text.rstrip()), soft, marked_heading=heading is not None)


def _without(source: str, start: int, end: int, drops) -> str:
    if not drops:
        return source[start:end]
    parts, at = [], start
    for a, b, _ in sorted(drops):
        parts.append(source[at:max(a, at)])
        at = max(at, b)
    parts.append(source[at:end])
    return "".join(parts)


def _drop_furniture(lines: list[_Line]) -> dict[int, list[int]]:
    """Blank out page numbers, running heads and tables-of-contents lines; the lone numbers at
    the foot of each page (a page number, or a footnote number pdftotext moved there)."""
    pages: dict[int, list[_Line]] = {}
    for ln in lines:
        if ln.text and (_TOC_LINE.search(ln.text) or _TABLE_RULE.match(ln.text)):
            ln.text = ""
        elif ln.text:
            pages.setdefault(ln.page, []).append(ln)
    if len(pages) < 3:
        return {}  # no page breaks: no page edges to look at
    edges = [ln for page in pages.values() for ln in {id(x): x for x in page[:PAGE_EDGE_LINES] + page[-PAGE_EDGE_LINES:]}.values()]
    shape = Counter(_digitless(ln.text) for ln in edges if len(ln.text) <= HEADING_MAX_CHARS)
    repeated = {k for k, n in shape.items() if n >= max(3, RUNNING_HEAD_SHARE * len(pages))}
    tails: dict[int, list[int]] = {}
    for ln in edges:
        if ln.text.isdecimal() and len(ln.text) <= 4 and ln in pages[ln.page][-PAGE_EDGE_LINES:]:
            tails.setdefault(ln.page, []).append(int(ln.text))
        if _PAGE_NUMBER.match(ln.text) or _digitless(ln.text) in repeated:
            ln.text = ""
    return tails


def _digitless(text: str) -> str:
    return re.sub(r"\d+", "#", text.lower())


# --- blocks --------------------------------------------------------------------------------------


class _Assembler:
    def __init__(self, source: str, lines: list[_Line], note_lines: frozenset[int], tails: dict[int, list[int]]):
        self.source, self.lines, self.tails = source, lines, tails
        long = [ln for ln in lines if len(ln.text) > 20]  # lines of text, not headings or numbers
        self.width = statistics.median(ln.raw_len for ln in long) if long else 80
        followed = sum(1 for a, b in zip(lines, lines[1:]) if b.blank_before)
        wrapped = sum(1 for ln in long if not _TERMINAL.search(ln.text))
        self.double_spaced = (len(lines) > 4 and followed >= DOUBLE_SPACED_SHARE * (len(lines) - 1)
                              and wrapped >= WRAPPED_SHARE * len(long))
        # Whether the text's known headings ("Introduction", "References") stand alone, a blank
        # line after them: then so must every heading found by its shape.
        known = [(a, b) for a, b in zip(lines, lines[1:]) if a.blank_before and section_kind(a.text)]
        self.headings_alone = bool(known) and sum(b.blank_before for _, b in known) * 2 > len(known)
        self.vocabulary = _vocabulary(source)
        self.note_lines = note_lines
        self.blocks: list[Block] = []

    def run(self) -> list[Block]:
        body, feet = self._split_feet()
        groups = self._group(body)
        markers = self._note_markers(groups, feet)
        self._find_marks(groups, markers)
        for kind, section, lines, marker in groups:
            self.blocks.append(self._block(kind, section, lines, marker))
        for marker, lines in feet:
            self.blocks.append(self._block("paragraph", "notes", lines, marker, foot=True))
        return self.blocks

    # footnotes at the feet of pages

    def _split_feet(self) -> tuple[list[_Line], list[tuple[str, list[_Line]]]]:
        """Body lines, and the notes at the feet of pages as (marker, lines)."""
        by_page: dict[int, list[_Line]] = {}
        for ln in self.lines:
            by_page.setdefault(ln.page, []).append(ln)
        if len(by_page) < 2:
            return self.lines, []
        body: list[_Line] = []
        feet: list[tuple[str, list[_Line]]] = []
        last = 0
        for number, page in by_page.items():
            open_note = bool(feet) and not _TERMINAL.search(feet[-1][1][-1].text if feet[-1][1] else "")
            foot_at, lost = self._foot_start(page, last, self.tails.get(number, []), open_note)
            if foot_at is None:
                body.extend(page)
                continue
            body.extend(page[:foot_at])
            if lost:  # pdftotext moves a page's first note number to the end of the page
                feet.append((lost, []))
                last = int(lost)
            previous = None
            for ln in page[foot_at:]:
                m = _FOOT_NOTE_START.match(ln.text)
                n = int(m.group(1)) if m else 0
                if m and last < n <= last + MARK_SKIP and not _goes_on(previous, ln):
                    ln.drops.append((ln.start, ln.start + len(m.group(1)), ""))
                    ln.text = ln.text[len(m.group(0)):]
                    feet.append((str(n), [ln] if ln.text else []))
                    last = n
                elif feet:
                    feet[-1][1].append(ln)  # a note going on, on this page or from the last
                previous = ln
        return body, [(m, lines) for m, lines in _share_lines(feet) if lines]

    def _foot_start(self, page: list[_Line], last: int, tail: list[int], open_note: bool) -> tuple[int | None, str]:
        """Where the notes start at the foot of a page (None: no notes), and the marker of a
        first note whose number was moved away ("" if none)."""
        if self.note_lines:
            at = len(page)
            while at > 0 and any(i in self.note_lines for i in range(page[at - 1].origin, page[at - 1].start + 1)):
                at -= 1
            foot = page[at:]
            if foot and (last or any(_FOOT_NOTE_START.match(ln.text) for ln in foot)):
                return at, ""
            return None, ""
        # Text pages (pdftotext): the first line starting with the next note number (or one
        # after) when the page's body has its mark; a note before it that lost its number (to a
        # lone number at the page's end), or the rest of the last page's note, starts after the
        # blank line before.
        first_mark: dict[int, int] = {}  # number -> the first line of the page with it as a mark
        for i, x in enumerate(page):
            for m in _NUMBER_MARK.finditer(x.text):
                first_mark.setdefault(int(m.group(1) or m.group(2)), i)

        def marked(n: int, before: int) -> bool:
            return first_mark.get(n, before) < before

        def blank_before(i: int) -> int | None:
            return next((j for j in range(i - 1, 0, -1) if page[j].blank_before), None)

        for i, ln in enumerate(page):
            m = _FOOT_NOTE_START.match(ln.text)
            n = int(m.group(1)) if m else 0
            if not i or not last < n <= last + MARK_SKIP or not marked(n, i) or _goes_on(page[i - 1], ln):
                continue
            j = blank_before(i)
            if j is not None and n - 1 > last and marked(n - 1, j):
                return j, str(n - 1)
            if j is not None and open_note and page[j].text[:1].islower():
                return j, ""
            return i, ""
        lost = [n for n in tail if last < n <= last + MARK_SKIP]
        j = blank_before(len(page))
        if lost and j is not None and marked(lost[0], j):
            return j, str(lost[0])
        return None, ""

    # headings and paragraphs

    def _group(self, lines: list[_Line]) -> list[tuple[str, str, list[_Line], str]]:
        """(kind, section kind, lines, marker) groups: headings and paragraphs."""
        out: list[tuple[str, str, list[_Line], str]] = []
        block: list[_Line] = []
        section = "front"
        previous_ended = True

        def flush():
            if block:
                out.append(("paragraph", section, list(block), ""))
                block.clear()

        interrupted = False  # a caption was dropped since the last line of the paragraph
        for i, ln in enumerate(lines):
            nxt = lines[i + 1] if i + 1 < len(lines) else None
            if self._is_caption(ln, nxt, previous_ended):
                interrupted = True
                continue
            kind = self._heading(ln, nxt, previous_ended or not block, ln.blank_before or i == 0, section)
            if kind is not None:
                flush()
                section = kind
                if kind != "contents":  # a table of contents is dropped, its heading too
                    out.append(("heading", section, [ln], ""))
                previous_ended = True
                continue
            if section == "contents":
                section = "body"  # what is not a contents line ends the table
            if block and self._starts_paragraph(ln, block[-1], section, previous_ended, interrupted):
                flush()
            interrupted = False
            block.append(ln)
            previous_ended = bool(_TERMINAL.search(ln.text))
            if previous_ended and self.double_spaced and ln.raw_len < SHORT_LINE * self.width:
                flush()
        flush()
        return out

    def _starts_paragraph(self, ln: _Line, previous: _Line, section: str, previous_ended: bool,
                          interrupted: bool) -> bool:
        if self.double_spaced:
            return False  # paragraphs end on short lines (in _group)
        if ln.blank_before:
            # A sentence goes on after a dropped caption or into a lowercase line (not in a list
            # of references: "al-Kulaynī, ..." after an entry ending in a web address).
            return previous_ended or section in ("references", "notes") or not (interrupted or ln.text[:1].islower())
        if section in ("references", "notes") and _LIST_ITEM.match(ln.text):
            return True
        if section == "references" and _ADDRESS_END.search(previous.text) and _ENTRY_START.match(ln.text):
            return True
        if section == "notes" and _BRACKET_NOTE_START.match(ln.text):
            return True  # "[10] Pool, ..." after a note ending without a full stop ("... pt. 7: 8574")
        if not previous_ended or ln.text[:1].islower():
            return False  # across a page break too; and "The tool stum (Johansson 2025)" + "combines ..." is one
        if section in ("references", "notes") and (_ENTRY_START.match(ln.text) or _NOTE_START.match(ln.text)):
            return True
        return ln.indented or previous.raw_len < SHORT_LINE_IN_BLOCK * self.width

    def _heading(self, ln: _Line, nxt: _Line | None, previous_ended: bool, block_start: bool,
                 section: str) -> str | None:
        """The section kind a heading line opens ("body" for an ordinary heading), or None."""
        text = ln.text
        known = section_kind(text)
        if known and (block_start or self.double_spaced or previous_ended) and text[0].isupper() or (
                known and text[0].isdigit()):
            return known  # "References", "ÖZET", "5. Kaynakça": even after an unfinished line (a title)
        if ln.marked_heading and block_start and len(text) <= HEADING_MAX_CHARS + 20:
            return "body"  # in a references or notes section too: "Notes" over a list ends at the next one
        if len(text) > HEADING_MAX_CHARS + 20 or not previous_ended:
            return None
        m = _HEADING_NUMBERED.match(text)
        # Under "Notes" a numbered line is a note: "29. Futurama Exhibition, in the video essay: 08:48".
        if m and m.group(2)[0].isupper() and not _TERMINAL.search(text) and section != "notes":
            return "body"
        if self.double_spaced or not block_start or section in ("references", "notes"):
            return None
        if (len(text) > HEADING_MAX_CHARS or len(text.split()) > HEADING_MAX_WORDS
                or (_TERMINAL.search(text) and not _PERIOD_TAIL.search(text)) or text[-1] in ".,;!?…"
                or sum(ch.isalpha() for ch in text) < 2 or not (text[0].isupper() or text[0].isdigit()
                                                                 or text[0] in "#“\"")):
            return None
        if nxt is not None and not nxt.blank_before:
            if self.headings_alone or len(text) >= HEADING_WIDTH * self.width:
                return None  # the first line of a paragraph
            if not (nxt.text[:1].isupper() or nxt.text[:1] in "“\"‘(["):
                return None  # the line goes on into a lowercase one: a short line of a paragraph
        return "body"

    def _is_caption(self, ln: _Line, nxt: _Line | None, previous_ended: bool) -> bool:
        """A figure credit or caption standing alone (a block of one short line), or an ornament
        ("* * *", a chapter's roman number)."""
        alone = (ln.blank_before or ln.page_first) and (nxt is None or nxt.blank_before or nxt.page_first)
        if alone and (_ORNAMENT.match(ln.text)):
            return True
        if not alone or len(ln.text) > HEADING_MAX_CHARS:
            return False
        if _CAPTION.match(ln.text) and (len(ln.text) < HEADING_MAX_CHARS // 2 or not _TERMINAL.search(ln.text)):
            return True
        # In block layout a lone short line in mid-sentence interrupts it: a credit, a running head.
        return not self.double_spaced and not previous_ended and nxt is not None and nxt.text[:1].islower()

    # footnote entries and marks

    def _note_markers(self, groups, feet) -> list[str]:
        """Split the paragraphs of Notes sections into one entry a note; every note's marker."""
        numbered = []
        for i, (kind, section, lines, _) in enumerate(groups):
            if kind != "paragraph" or not (section == "notes" or section == "references" and _BACKLINKED.match(lines[0].text)):
                continue
            m = _NOTE_START.match(lines[0].text)
            if m:
                at = lines[0].start
                lines[0].drops.append((at, at + len(m.group(0).rstrip()), ""))
                numbered.append(i)
                groups[i] = (kind, section, lines, m.group(1).rstrip(".)").translate(_DIGITS))
        self._lettered(groups, numbered)
        return [m for m, _ in feet] + [groups[i][3] for i in numbered]

    def _lettered(self, groups, numbered: list[int]) -> None:
        """A web page's lettered notes ("[a]" in the text) that its conversion numbered "1.", "2.",
        like the numbered notes after them: the first of two lists numbered from 1 gets its letters."""
        starts = [i for i in numbered if groups[i][3] == "1"]
        if len(starts) < 2 or not _LETTER_MARK.search(self.source):
            return
        for i, letter in zip([i for i in numbered if i < starts[1]], "abcdefghijklmnopqrstuvwxyz"):
            kind, section, lines, _ = groups[i]
            groups[i] = (kind, section, lines, letter)

    def _find_marks(self, groups, markers: list[str]) -> None:
        """Take the marks of the notes out of the body, in order."""
        if not markers:
            return
        known = set(markers)
        # Where the notes are marked "[12]" (a web page), a bare number is a number, not a mark.
        bracketed = any(m.group(0) in known or m.group(0)[1:-1] in known for m in _BRACKET_MARK.finditer(self.source))
        last = 0
        for _, section, lines, _ in groups:
            if section in ("notes", "references"):  # an entry carries no marks: "Compass, 7 (6)"
                continue
            for ln in lines:
                for m in _BRACKET_MARK.finditer(self.source, ln.start, ln.end):
                    # "[12]" marks the note "[12]", or the note "12." of a list numbered without brackets.
                    marker = next((k for k in (m.group(0), m.group(0)[1:-1]) if k in known), None)
                    if marker:
                        ln.drops.append((m.start(), m.end(), marker))
                for m in _SUPERSCRIPT_MARK.finditer(self.source, ln.start, ln.end):
                    if m.group(0).translate(_DIGITS) in known:
                        ln.drops.append((m.start(), m.end(), m.group(0).translate(_DIGITS)))
                for m in () if bracketed else _NUMBER_MARK.finditer(self.source, ln.start, ln.end):
                    digits = m.group(1) or m.group(2)
                    if digits in known and last < int(digits) <= last + MARK_SKIP:
                        ln.drops.append((m.start(1) if m.group(1) else m.start(2) - 1, m.end(), digits))
                        last = int(digits)

    # text with offsets

    def _block(self, kind: str, section: str, lines: list[_Line], marker: str, foot: bool = False) -> Block:
        parts: list[str] = []
        spans: list[tuple[int, int, int]] = []
        marks: list[Mark] = []
        at = 0
        previous: _Line | None = None
        for ln in lines:
            first = True
            for token in self._tokens(ln):
                if token[0] == "mark":
                    marks.append(Mark(token[1], at, token[2], token[3]))
                    continue
                _, text, file_at, glue = token
                if not parts:
                    glue = ""
                elif first and previous is not None:
                    glue = self._line_glue(parts[-1], previous, text)
                    if glue == "" and not previous.soft_hyphen and self._drop_hyphen(parts[-1], text):
                        parts[-1] = parts[-1][:-1]
                        t, f, n = spans[-1]
                        spans[-1] = (t, f, n - 1)
                        at -= 1
                first = False
                parts.append(glue)
                at += len(glue)
                for t, f, n in _piece_spans(text, file_at):
                    _add_span(spans, (at + t, f, n), self.source)
                expanded = _LIGATURE.sub(lambda m: unicodedata.normalize("NFKC", m.group(0)), text)
                parts.append(expanded)
                at += len(expanded)
            previous = ln
        if not spans:
            spans = [(0, lines[0].start if lines else 0, 0)]
        return Block(kind, "".join(parts), tuple(spans), section, tuple(marks), marker, foot)

    def _tokens(self, ln: _Line):
        """("piece", text, source offset, glue before) for each whitespace-separated piece of a
        line, and ("mark", marker, start, end) for each footnote mark, in order."""
        at, previous_end = ln.start, None
        for a, b, marker in sorted(ln.drops) + [(ln.end, ln.end, "")]:
            if a > at:
                for m in _PIECE.finditer(self.source, at, min(a, ln.end)):
                    gap = self.source[previous_end:m.start()] if previous_end is not None else " "
                    yield "piece", m.group(0), m.start(), " " if any(c.isspace() for c in gap) else ""
                    previous_end = m.end()
            if marker:
                yield "mark", marker, a, b
            at = max(at, b)

    @staticmethod
    def _line_glue(last_piece: str, previous: _Line, next_piece: str) -> str:
        """What joins two lines of a paragraph: a space, or nothing after a hyphen."""
        if previous.soft_hyphen:
            return ""
        if last_piece.endswith("-") and len(last_piece) > 1 and last_piece[-2].isalnum() and next_piece[:1].isalnum():
            return ""  # "infor-" + "mation", "Soviet-" + "Turkish", "1945-" + "1947"
        return " "

    def _drop_hyphen(self, last_piece: str, next_piece: str) -> bool:
        """Whether "infor-" + "mation" is one word cut by the line end (else a hyphenated one)."""
        if not last_piece[-2].isalpha() or not next_piece[0].isalpha() or "/" in last_piece:
            return False  # "1945-1947", a web address
        left = _WORD.findall(last_piece[:-1])
        right = _WORD.findall(next_piece)
        if not left or not right or right[0][0].isupper():
            return False
        left, right = left[-1].lower(), right[0].lower().split("-")[0]
        seen = self.vocabulary
        if seen[f"{left}-{right}"] > 0:
            return False
        if seen[left + right] > 0:
            return True
        return not (seen[left] > 0 and seen[right] > 0)


def _add_span(spans: list[tuple[int, int, int]], span: tuple[int, int, int], source: str) -> None:
    """Append a span, merged into the last one when the text between them is the source's too
    (a space joining two words as the source has it): a paragraph keeps few spans."""
    if spans:
        t0, f0, n0 = spans[-1]
        t, f, n = span
        gap = t - (t0 + n0)
        if gap >= 0 and f - (f0 + n0) == gap and source[f0 + n0:f] == " " * gap:
            spans[-1] = (t0, f0, f + n - f0)
            return
    spans.append(span)


def _piece_spans(text: str, file_at: int) -> list[tuple[int, int, int]]:
    """Spans of one piece: one span, or a span a character where a ligature expands."""
    if not _LIGATURE.search(text):
        return [(0, file_at, len(text))]
    spans, at = [], 0
    for i, ch in enumerate(text):
        expanded = unicodedata.normalize("NFKC", ch) if _LIGATURE.match(ch) else ch
        for _ in expanded:
            spans.append((at, file_at + i, 1))
            at += 1
    return spans


def _vocabulary(source: str) -> Counter:
    """How often each word (hyphenated ones whole) is written in the source, not counting the
    pieces of words cut by a hyphen at a line end."""
    words = Counter(w.lower() for w in _WORD.findall(source))
    for compound in [w for w in words if "-" in w]:  # "thirty" is a word of "thirty-two"
        for part in compound.split("-"):
            words[part] += words[compound]
    for m in re.finditer(r"([^\W\d_]+)-[ \t]*(?:\r\n|\r|\n|\f)[ \t>]*([^\W\d_]+)", source):
        words[m.group(1).lower()] -= 1
        words[m.group(2).lower()] -= 1
    return words
