"""In-text references: find every reference of a source text where it stands, and attribute sentences.

A reference is a parenthesis of one or more author-year works, in the Turkish styles
"(Kılıç,2016,125)", "(Ad 2005: 12)", "(Kocabaşoğlu; Berge,1992:35)", APA "(Smith & Jones, 2003;
Lee et al., 2001, pp. 3–5)" or Chicago author-date "(Shoghi Effendi 1944: 193)"; a narrative
citation, "Kolarz (1961) argues", "Smith'e (1999) göre"; or a footnote mark, whose note is the
reference. "idem" repeats the previous work's authors, "ibid." / "a.g.e." the previous work. A
year in the prose, "Modern Times (1936)", "(1908–1983)", "(d. 261/875)", is no reference: a name
has to stand where an author would, and where the text has a reference list a narrative citation
has to match one of its entries.

A sentence is supported by its own references (every one, each where it stands in the sentence);
failing that by the next reference in the same paragraph (texts cite once after a run of
sentences); failing that it is the author's own statement and gets no reference.

Written by hand: no maintained library reads in-text references. Measured on the two author-year
readings in tests/data/readings (works found of the hand count), citation-hallucination-stop 1.0.1
(one release) finds 65 of 73 and 63 of 68, without offsets, pages, narrative citations, notes or
"ibid."; gewita 0.1.0 finds 0 of 73 and 29 of 68 (one "(Name, 2000)" form). refextract and
refparse read reference lists (of physics papers, Web of Science exports), eyecite and citeurl
legal citations.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, replace

from . import bibliography
from .bibliography import BibEntry, is_particle
from .notes import NoteWork, note_works
from .source import SourceDocument

# A year a cited work can carry: 1400-2099, a range ("1944–56"), a suffix ("1998a"), a reprint's
# original and edition years (APA's "1900/1953"), or none.
_YEAR = r"(?:1[4-9]\d\d|20\d\d)"
_NO_DATE = r"n\.\s?d\.|t\.\s?y\.|[Nn]o date|s\.\s?d\."
_YEAR_TOKEN = re.compile(
    rf"(?<![\w/.\-–])(?P<year>{_YEAR}(?:\s?[-–—]\s?(?:{_YEAR}|\d\d)(?!\d)|/{_YEAR})?(?:[a-z](?!\w))?|{_NO_DATE})(?![\w/])")
_PAGE = r"(?:\d+[a-z]?|[ivxlcdm]+\b|[IVXLCDM]+\b)"
_PAGES = rf"{_PAGE}(?:\s?[-–—]\s?{_PAGE})?(?:\s?,\s?(?!{_YEAR}\b){_PAGE}(?:\s?[-–—]\s?{_PAGE})?)*(?:\s?ff?\.)?"
_PAGE_WORD = r"(?:pp?|ss?|S|sf|vol|cilt|c|C|chap|ch|bl|no|nr|n|fn|note)\."
# What may follow a year: a volume "(2/I)", then pages after ":" or "," or "p.".
_LOCATOR = re.compile(
    rf"(?:\s?\((?P<volume>[^()]{{1,20}})\))?(?:(?:\s?[:,]\s?(?:{_PAGE_WORD}\s?)?|\s{_PAGE_WORD}\s?)(?P<pages>(?!{_YEAR}\b){_PAGES}))?")
_BETWEEN_WORKS = re.compile(r"\s*(?:;|,|&|\band\b|\bve\b)?\s*")
_PREFIX = re.compile(
    r"^(?:(?:see(?:\s+also)?|cf\.|compare|e\.\s?g\.|i\.\s?e\.|for\s+(?:example|instance)|also|esp\.|bkz\.|bk\.|"
    r"krş\.|karş\.|ayrıca|örneğin|quoted\s+in|cited\s+in|in)\s*,?\s*)+", re.IGNORECASE)
_ET_AL = re.compile(
    r"[\s,]*(?:et\s+al\.?|vd\.?|v\.\s?d\.?|ve\s+diğ(?:erleri|\.)?|ve\s+ark(?:adaşları|\.)?|and\s+others)\s*$",
    re.IGNORECASE)
_SEE_IN_PROSE = re.compile(r"(?:^|[\s.;,])(?:see(?:\s+also)?|cf\.|bkz\.)\s+", re.IGNORECASE)
_SAME_AUTHOR = re.compile(r"(?:idem|eadem|aynı\s+yazar)\.?", re.IGNORECASE)
_SAME_WORK = re.compile(r"(?:ibid(?:em)?|a\.\s?g\.\s?e|age|aynı\s+eser)\.?", re.IGNORECASE)
_AUTHOR_SPLIT = re.compile(r"\s*(?:;|,|&|\band\b|\bve\b)\s*")
_INITIALS = re.compile(r"(?:[A-ZÀ-ÞĀ-Ž][a-z]?\.-?)+")
# Words that stand before a year in prose, not authors: "(December 1936)", "(Fiscal Year 1955)".
_NOT_AUTHORS = frozenset(
    "january february march april may june july august september october november december jan feb mar apr jun "
    "jul aug sep sept oct nov dec ocak şubat mart nisan mayıs haziran temmuz ağustos eylül ekim kasım aralık "
    "spring summer autumn fall winter ilkbahar yaz sonbahar kış bahar year fy "
    "figure fig table tablo şekil resim harita map vol no".split())
_ERAS = frozenset("AD BC BCE CE AH MS MÖ".split())  # "(AD 1453)"; "(Ad 2005)" is a surname
# Capitalized words that open a clause, not a name: "As Kolarz (1961) argues".
_CLAUSE_WORDS = frozenset(
    "as in the a an according see while when both but for like unlike following after before since although "
    "though thus here this that these those also then yet so even only whereas where if because to by with from "
    "on at of and or nor however moreover indeed historian scholar i we he she they it his her their our my "
    "bu şu o ancak fakat ayrıca nitekim hem gibi ve ile da de ki bir göre özellikle hatta yine örneğin "
    "mesela".split())
_BRACKET_MARK = re.compile(r"\[\d{1,3}(?::\d{1,3})?\]")  # "[12]", "[5:1]": a mark no note was found for
_POSSESSIVE = re.compile(r"['’](?:s|in|ın|un|ün|nin|nın|nun|nün|e|a|ye|ya|ne|na|de|da|te|ta|den|dan|ten|tan|"
                         r"le|la|yle|yla|i|ı|u|ü|yi|yı|yu|yü)?$")


@dataclass(frozen=True)
class Citation:
    """One cited work, as a reference names it."""

    raw: str  # the reference as the text prints it: the parenthesis, "Kolarz (1961)", or the note's text
    authors: tuple[str, ...]
    year: str  # as printed: "1998a", "1944–56", "n.d."; "" when a note cites no dated work
    pages: str = ""
    et_al: bool = False
    entry: int | None = None  # the number (from 1) of its bibliography entry; None: no entry found
    note: str = ""  # the footnote mark ("12", "5:1") when the reference is a note

    @property
    def author(self) -> str:
        return self.authors[0] if self.authors else ""

    @property
    def key(self) -> str:
        """Author(s) and year, without pages: the work, whatever page it is cited at."""
        names = "; ".join(self.authors) + (" v.d." if self.et_al else "")
        return f"{names}, {self.year}" if self.year else names or self.raw

    def to_dict(self) -> dict:
        return {"author": self.author, "authors": list(self.authors), "year": self.year,
                "pages": self.pages, "raw": self.raw}

    def to_record(self) -> dict:
        """Everything, for the index."""
        return {"raw": self.raw, "authors": list(self.authors), "year": self.year, "pages": self.pages,
                "et_al": self.et_al, "entry": self.entry, "note": self.note}

    @classmethod
    def from_record(cls, d: dict) -> "Citation":
        return cls(d["raw"], tuple(d["authors"]), d["year"], d.get("pages", ""), d.get("et_al", False),
                   d.get("entry"), d.get("note", ""))


@dataclass(frozen=True)
class Reference:
    """A reference where it stands: offsets in the text it was found in (a sentence, for an index
    record), and the works it cites."""

    raw: str
    start: int
    end: int
    works: tuple[Citation, ...]
    kind: str = "parenthetical"  # "parenthetical", "narrative" or "note"

    def to_record(self) -> dict:
        return {"raw": self.raw, "start": self.start, "end": self.end, "kind": self.kind,
                "works": [w.to_record() for w in self.works]}

    @classmethod
    def from_record(cls, d: dict) -> "Reference":
        return cls(d["raw"], d["start"], d["end"], tuple(Citation.from_record(w) for w in d["works"]), d["kind"])


# --- parenthetical and narrative references ------------------------------------------------------


def _groups(text: str, begin: int = 0, stop: int | None = None):
    """(start, end) of every outermost balanced parenthesis of text[begin:stop]."""
    depth, start = 0, 0
    for i in range(begin, len(text) if stop is None else stop):
        ch = text[i]
        if ch == "(":
            if depth == 0:
                start = i
            depth += 1
        elif ch == ")" and depth:
            depth -= 1
            if depth == 0:
                yield start, i + 1


def _bare(word: str) -> str:
    """A name word without the Arabic article and ʿayn/hamza marks: "al-Ṭūsī" -> "Ṭūsī"."""
    return re.sub(r"^(?:(?:al|el|ad|an|ar|as|at|az|ash|ath|ibn)[-‑]|[ʿʾ‘’'`])+", "", word)


def _is_name_word(word: str) -> bool:
    w = _bare(word.strip(",")).rstrip(".")
    return bool(w) and w[0].isupper() and all(c.isalpha() or c in "-'’." for c in w)


def _is_name(name: str, comma_form: bool = True) -> bool:
    """Could this stand as an author: capitalized words, particles and initials, a surname last?"""
    words = name.split()
    if not 1 <= len(words) <= 7:
        return False
    last = words[-1]
    if is_particle(last) or _INITIALS.fullmatch(last) or not _is_name_word(last):
        return False
    if not comma_form and (last.casefold().rstrip(".") in _NOT_AUTHORS or last.rstrip(".") in _ERAS):
        return False  # "(December 1936)"; "(May, 2009)" is a reference
    return all(is_particle(w) or _INITIALS.fullmatch(w) or _is_name_word(w) for w in words[:-1])


def _authors(head: str, comma_form: bool) -> tuple[tuple[str, ...], bool] | None:
    """The authors a reference names before its year, and whether "et al." follows them."""
    et_al = bool(_ET_AL.search(head))
    head = _ET_AL.sub("", head).strip(" ,")
    names = tuple(a.strip() for a in _AUTHOR_SPLIT.split(head) if a.strip())
    if not names or not all(_is_name(a, comma_form) for a in names):
        return None
    return names, et_al


def _parse_group(inner: str, previous: Citation | None) -> list[tuple[tuple[str, ...], bool, str, str]] | None:
    """The works of a parenthesis as (authors, et al., year, pages), or None when it is no reference.
    An empty author list stands for a year with no name before it (narrative, or prose)."""
    same = re.fullmatch(rf"\s*{_SAME_WORK.pattern}\s*[,:]?\s*(?:{_PAGE_WORD}\s?)?(?P<pages>{_PAGES})?\s*",
                        inner, re.IGNORECASE)
    if same:
        if previous is None:
            return None
        return [(previous.authors, previous.et_al, previous.year, (same.group("pages") or "").replace(" ", ""))]
    works = []
    at = 0
    for m in _YEAR_TOKEN.finditer(inner):
        if m.start() < at:
            continue
        head = _PREFIX.sub("", inner[at:m.start()].lstrip(" ;,&")).rstrip()
        comma_form = head.endswith(",")
        head = head.rstrip(" ,")
        if not head:
            # "(Smith 1999, 2001)": the same authors again; a year alone opens a narrative citation.
            authors, et_al = (works[-1][0], works[-1][1]) if works else ((), False)
        elif _SAME_AUTHOR.fullmatch(head):
            if not works and previous is None:
                return None
            authors, et_al = (works[-1][0], works[-1][1]) if works else (previous.authors, previous.et_al)
        else:
            found = _authors(head, comma_form)
            if found is None:
                return None
            authors, et_al = found
        loc = _LOCATOR.match(inner, m.end())
        # A reprint's "1900/1953" is the work of the edition its reference-list entry is under.
        works.append((authors, et_al, m.group("year").rsplit("/", 1)[-1], re.sub(r"\s+", "", loc.group("pages") or "")))
        at = _BETWEEN_WORKS.match(inner, loc.end()).end()
    if not works or inner[at:].strip(" .;,"):
        return None  # no year, or text that is not a work: "(born in 1920 in Paris)"
    return works


def _name_before(text: str, at: int) -> tuple[int, tuple[str, ...], bool] | None:
    """The authors standing right before a parenthesis at `at` ("Smith and Jones (2003)", "Smith'e
    (1999)"), with where they start and whether "et al." follows them."""
    words = [(m.start(), m.group()) for m in re.finditer(r"\S+", text[:at])][-16:]
    if not words or words[-1][0] + len(words[-1][1]) != len(text[:at].rstrip()):
        return None
    et_al = False
    if len(words) >= 2 and words[-2][1].casefold() == "et" and words[-1][1].casefold() == "al.":
        words, et_al = words[:-2], True
    elif words and words[-1][1].casefold() in ("vd.", "v.d.", "arkadaşları"):
        words, et_al = words[:-1], True
    authors: list[list[str]] = []
    current: list[str] = []
    start = None
    for pos, word in reversed(words):
        bare = _POSSESSIVE.sub("", word.rstrip(","))
        if word.casefold() in ("and", "&", "ve") and current:
            authors.insert(0, current)
            current = []
            continue
        if word.endswith(",") and current:
            authors.insert(0, current)
            current = []
        if bare.casefold() in _CLAUSE_WORDS or not (is_particle(bare) or _INITIALS.fullmatch(bare)
                                                     or _is_name_word(bare)):
            break
        if not current and not authors and (is_particle(bare) or _INITIALS.fullmatch(bare)):
            return None  # the word before the year must be a surname
        current.insert(0, bare)
        start = pos
    if current:
        authors.insert(0, current)
    names = tuple(" ".join(a) for a in authors if a)
    if not names or start is None or not all(_is_name(n, comma_form=False) for n in names):
        return None
    return start, names, et_al


def find_references(text: str, previous: Citation | None = None,
                    entries: tuple[BibEntry, ...] = ()) -> list[Reference]:
    """Every parenthetical and narrative reference in a text, in order. `previous` is the work cited
    last before the text (for "idem", "ibid."); `entries`, the text's reference list: with one, a
    narrative citation must match an entry."""
    out = []
    pending = list(_groups(text))
    while pending:
        start, end = pending.pop(0)
        raw = text[start:end]
        works = _parse_group(raw[1:-1], previous)
        if works is None:
            # References inside a parenthesis of prose: "(see, for example, (Mazal 1986), (Mauthe 2010))",
            # or after its "see": "(For more details on the Committee, see James, 2012, pp.463-475.)".
            inner = list(_groups(text, start + 1, end - 1))
            lead = None if inner else _SEE_IN_PROSE.search(raw[1:-1])
            works = _parse_group(raw[1:-1][lead.end():].rstrip(" ."), previous) if lead else None
            if works is None:
                pending[:0] = inner
                continue
        kind = "parenthetical"
        if not works[0][0]:  # a year alone: narrative, if a name stands before it
            found = _name_before(text, start)
            if found is None:
                continue
            name_start, names, et_al = found
            works = [(names, et_al or w[1], w[2], w[3]) if not w[0] else w for w in works]
            raw, start, kind = text[name_start:end], name_start, "narrative"
        cited = tuple(Citation(raw, a, y, p, e) for a, e, y, p in works)
        unlinked = [c for c in cited if bibliography.link(c.authors, c.year, entries) is None]
        if (kind == "narrative" and entries and unlinked) or _life_dates(unlinked):
            continue  # "Modern Times (1936)", "Atatürk (1881–1938)", "(Dogra Rule, 1846–1947)"
        out.append(Reference(raw, start, end, cited, kind))
        previous = cited[-1]
    return out


def _life_dates(works) -> bool:
    """A range of full years: life dates or a period, unless the reference list has the work."""
    return any(re.fullmatch(rf"{_YEAR}\s?[-–—]\s?{_YEAR}", w.year) for w in works)


def parse_citation(raw: str) -> Citation | None:
    """The first work of a reference given alone, e.g. "(Kılıç,2016,125)"; None if it is none."""
    found = find_references(raw.strip())
    if len(found) != 1 or found[0].raw != raw.strip():
        return None
    return found[0].works[0]


def strip_citations(text: str) -> str:
    """The sentence without its references' parentheses and footnote marks, for embedding and
    matching (a narrative citation keeps its name: "Kolarz argues")."""
    cut = []
    for start, end in _groups(text):
        works = _parse_group(text[start + 1:end - 1], None)
        if works is not None and all(authors for authors, *_ in works):  # "(1936)" may be what is asked
            cut.append((start, end))
    for m in _BRACKET_MARK.finditer(text):
        cut.append((m.start(), m.end()))
    for start, end in sorted(cut, reverse=True):
        text = text[:start] + " " + text[end:]
    return re.sub(r"\s{2,}", " ", text).strip()


# --- footnotes and the reference list ----------------------------------------------------------

@dataclass(frozen=True)
class Apparatus:
    """What a text says about its sources beside its sentences: its reference list, and each
    footnote mark as a reference of the sentence it stands in."""

    entries: tuple[BibEntry, ...] = ()
    marks: tuple[tuple[int, Reference], ...] = ()  # (sentence index, its note, offsets where the mark stood)


def apparatus(doc: SourceDocument) -> Apparatus:
    """The reference list and the footnote marks of a document, from what source.py keeps apart:
    the paragraphs of its "references" sections, its notes and their marks."""
    entries = bibliography.reference_list(doc)
    return Apparatus(entries, tuple(_placed_marks(doc, _note_references(doc, entries))))


_INNER_MARK = re.compile(r"\[(\w{1,4})\]")


def _note_references(doc: SourceDocument, entries: tuple[BibEntry, ...]) -> dict[str, Reference]:
    """Each note as a reference, by its marker: the note as printed, and the dated works it cites
    (a note citing none is still the reference of its sentence)."""
    author = str(doc.metadata.get("author") or "")
    read: dict[str, tuple] = {}
    previous = ()
    for note in doc.notes:
        read[note.marker] = works = _works_of_note(note.text, previous, author, entries)
        previous = works or previous
    out: dict[str, Reference] = {}
    for note in doc.notes:
        label = note.marker.strip("[]")  # "[5:1]" is shown as "[5:1: Bancroft ...]"
        works = read[note.marker]
        if not any(w.year for w in works):
            # An explanatory note that ends with its own mark ("... included Kashmir.[21]", in
            # Wikipedia's lettered notes) cites what that note cites.
            inner = [read[m] for m in _INNER_MARK.findall(note.text) if m in read and m != note.marker]
            works = tuple(w for ws in inner for w in ws if w.year) or works
        dated = tuple(w for w in works if w.year) or works[:1]
        cited = tuple(Citation(note.text, w.authors, w.year, w.pages, entry=bibliography.link(w.authors, w.year, entries),
                               note=label) for w in dated) or (Citation(note.text, (), "", note=label),)
        out[note.marker] = Reference(note.text, 0, 0, cited, "note")
    return out


def _works_of_note(text: str, previous: tuple[NoteWork, ...], author: str,
                   entries: tuple[BibEntry, ...]) -> tuple[NoteWork, ...]:
    """The works a note cites: the entries of the reference list it names (notes and bibliography
    style), with the pages the note gives, and the dated works it reads that the list lacks (an
    article cited only there), in the note's order."""
    read = note_works(text, previous, author)
    named = bibliography.entries_named(text, entries)
    if not named:
        return read
    key = bibliography.surname_key
    listed = {key(e.authors) for _, e in named}
    placed = [(at, NoteWork(e.authors, e.year, next((w.pages for w in read if key(w.authors) == key(e.authors)), "")))
              for at, e in named]
    # Beside the list's entries, a work the note gives in the list's own inverted form ("Offenbach, Seth.").
    placed += [(m.start(), w) for w in read if w.year and w.authors
               and not any(bibliography.near_surname(key(w.authors), n) for n in listed if n)
               and (m := re.search(rf"\b{re.escape(w.authors[0])}, [A-Z]", text))]
    return tuple(w for _, w in sorted(placed, key=lambda p: p[0]))


def _placed_marks(doc: SourceDocument, notes: dict[str, Reference]):
    """(sentence index, its note's reference, at the mark's place) for every mark in an answerable
    paragraph. A mark at a sentence's end or after it, before the next sentence's first word
    ("“in hand.” 28 On 2 December"), belongs to the sentence before; the mark is out of the text,
    so the reference is empty, where the mark stood (at the sentence's end for one after it)."""
    starts: dict[int, list[tuple[int, int]]] = {}  # paragraph -> (offset of a sentence in it, sentence index)
    for i, s in enumerate(doc.sentences):
        placed = starts.setdefault(s.paragraph, [])
        after = placed[-1][0] + len(doc.sentences[placed[-1][1]].text) if placed else 0
        # Each sentence is a slice of its paragraph's text, after the one before.
        placed.append((doc.paragraphs[s.paragraph].text.index(s.text, after), i))
    for mark in doc.marks:
        placed = starts.get(mark.paragraph)
        if not placed or mark.marker not in notes:
            continue  # a mark outside the answerable sections (front matter)
        at, i = placed[max(bisect.bisect_left(placed, (mark.at, -1)) - 1, 0)]
        offset = min(max(mark.at - at, 0), len(doc.sentences[i].text))
        yield i, replace(notes[mark.marker], start=offset, end=offset)


# --- attribution -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Attribution:
    """The references in a sentence, and the works that support it, and how they were found."""

    references: tuple[Reference, ...]  # the sentence's own, offsets in the sentence
    cited: tuple[Citation, ...]  # the works supporting it: its own, else the next reference's
    how: str  # "own", "following" or "author"

    @property
    def citation(self) -> Citation | None:
        return shown_citation(self.references, self.cited, self.how)


def shown_citation(references: tuple[Reference, ...], cited: tuple[Citation, ...], how: str) -> Citation | None:
    """The one reference shown where a sentence shows one: the first work of its last own
    reference, else of the next reference in its paragraph."""
    if how == "own" and references and references[-1].works:
        return references[-1].works[0]
    return cited[0] if cited else None


def document_references(doc: SourceDocument, app: Apparatus) -> list[tuple[Reference, ...]]:
    """The references standing in each sentence of a document (offsets in the sentence), in order,
    each work linked to its entry in the reference list."""
    marks: dict[int, list[Reference]] = {}
    for i, ref in app.marks:
        marks.setdefault(i, []).append(ref)
    previous: Citation | None = None
    out: list[list[Reference]] = []
    for i, s in enumerate(doc.sentences):
        found = sorted(find_references(s.text, previous, app.entries) + marks.get(i, []), key=lambda r: r.start)
        out.append(found)
        if found and found[-1].works:
            previous = found[-1].works[-1]
    cited = [w for refs in out for r in refs if r.kind != "note" for w in r.works]
    entries = iter(bibliography.link_all([(w.authors, w.year, w.pages) for w in cited], app.entries))
    return [tuple(r if r.kind == "note" else replace(r, works=tuple(replace(w, entry=next(entries)) for w in r.works))
                  for r in refs) for refs in out]


@dataclass(frozen=True)
class DocumentCitations:
    """What a document cites: an Attribution per sentence, and its reference list."""

    attributions: list[Attribution]
    entries: tuple[BibEntry, ...]


def cite(doc: SourceDocument) -> DocumentCitations:
    """The references of a document, sentence by sentence, and its reference list."""
    app = apparatus(doc)
    refs = document_references(doc, app)
    out: list[Attribution] = []
    for i, s in enumerate(doc.sentences):
        own = refs[i]
        if own:
            out.append(Attribution(own, tuple(w for r in own for w in r.works), "own"))
            continue
        later = None
        for j in range(i + 1, len(doc.sentences)):
            if doc.sentences[j].paragraph != s.paragraph:
                break
            if refs[j]:
                later = refs[j][0]
                break
        out.append(Attribution((), later.works, "following") if later else Attribution((), (), "author"))
    return DocumentCitations(out, app.entries)


def attribute(doc: SourceDocument) -> list[Attribution]:
    """One Attribution per sentence of the document, in order."""
    return cite(doc).attributions
