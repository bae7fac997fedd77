"""The reference list at the end of a text: parse each of its entries into authors, year and
title, and link in-text references to their entries.

source.py keeps the list apart, a section of kind "references" with one paragraph an entry
(under References, Bibliography, Works Cited, Kaynakça, Kaynaklar). Entries in the APA style
("Abdelazim, H., Tharwat, M., & Mohamed, A. (2023). Title."), Chicago ("Arnheim, Rudolf. 1957.
Film as Art."), the Turkish styles ("Sadıkov, A. (2010), Title" or "SADIKOV Ali, Title, Ankara
2010"), with "———." for the authors of the entry before. A reference is linked by its first
author's surname and its year, tolerant of diacritics ("Kuzudisli" is "Kuzudişli"), particles
and the Arabic article ("van Noord", "al-Ṭūsī"), given names in the text ("Harald Motzki"),
"et al." and year suffixes ("1936" finds "1936a").

Written by hand: the maintained parsers of printed references need a trained model or a service
(GROBID, Java; anystyle, Ruby) or read other formats (refextract: numbered physics lists; refparse:
Web of Science and Scopus exports); bibtexparser and pybtex read BibTeX, not a printed list.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass

from .source import SourceDocument

_YEAR = r"(?:1[4-9]\d\d|20\d\d)"
_NO_DATE = r"n\.\s?d\.|t\.\s?y\.|[Nn]o date|s\.\s?d\."
_CAPITAL = "A-ZÀ-ÖØ-ÞĀ-ŽḀ-Ỹ"
_BULLET = re.compile(r"^[-•*·]\s+")  # a list's bullet: "-   Allchin, Bridget; Allchin, Raymond (1982), ..."
_REPEATED = re.compile(r"^(?:[—–-]{2,}|_{2,}|—(?=\s))\s*[.,]?\s*")
# "(2023)", "(2021, March 3)", and a journal issue's "(Winter 2019)", "(February 1961)".
_APA_YEAR = re.compile(rf"\((?:[A-Z][a-z]+\.?\s)?(?P<year>{_YEAR}[a-z]?|{_NO_DATE})(?:,[^)]*)?\)")
_CHICAGO_YEAR = re.compile(rf"(?:^|(?<=[.,])\s)(?P<year>{_YEAR}[a-z]?|{_NO_DATE})[.,](?=\s|$)")
_ANY_YEAR = re.compile(rf"(?<!\d)(?P<year>{_YEAR}[a-z]?)(?!\d)")
_ROLE = re.compile(r"[,\s]*\(?\b(?:eds?|haz|çev|trans|comp|der|ed)\.?\)?\.?\s*$", re.IGNORECASE)
_PERSONS = re.compile(r"\s*&\s*|,?\s+and\s+|,?\s+ve\s+|;\s*")
_ET_AL = ("et al", "vd", "v.d", "ve diğerleri")
_INITIALS = re.compile(rf"(?:(?:al|el)-)?(?:[{_CAPITAL}][a-z]?\.\s?-?|b\.\s?|bt\.\s?)+")
PARTICLES = frozenset("van vande vanden von der den de del della di da du des la le ter ten op al el b bin ibn bint y dos das do zu "
                      "d l".split())


@dataclass(frozen=True)
class BibEntry:
    """One entry of a reference list."""

    n: int  # its number in the list, from 1
    authors: tuple[str, ...]  # surnames as printed ("al-Kulaynī", "Mohammadi Norén")
    year: str  # as printed: "1998a", "n.d."; "" when it gives none
    title: str
    raw: str  # the entry as printed, on one line
    start: int  # offset in the source text (SourceDocument.text)

    @property
    def key(self) -> str:
        return f"{'; '.join(self.authors)}, {self.year}" if self.year else "; ".join(self.authors) or self.raw

    def to_dict(self) -> dict:
        return {"n": self.n, "authors": list(self.authors), "year": self.year, "title": self.title,
                "raw": self.raw, "start": self.start}

    @classmethod
    def from_dict(cls, d: dict) -> "BibEntry":
        return cls(d["n"], tuple(d["authors"]), d["year"], d["title"], d["raw"], d["start"])


def reference_list(doc: SourceDocument) -> tuple[BibEntry, ...]:
    """The entries of a document's reference list: the paragraphs of its "references" sections,
    one an entry, numbered from 1; a paragraph that is no entry (a stray heading) is left out."""
    out: list[BibEntry] = []
    listed = doc.paragraphs_of("references", notes=False)
    # In a list of bulleted entries a line without a bullet is none: a web page's categories and footer.
    bulleted = sum(bool(_BULLET.match(p.text)) for p in listed) > len(listed) / 2
    for p in listed:
        bullet = _BULLET.match(p.text)
        if bulleted and not bullet:
            continue
        at = bullet.end() if bullet else 0
        entry = parse_entry(p.text[at:], len(out) + 1, p.file_offset(at), out[-1].authors if out else ())
        if entry is not None:
            out.append(entry)
    return tuple(out)


def parse_entry(printed: str, n: int, start: int, previous_authors: tuple[str, ...] = ()) -> BibEntry | None:
    """One entry: authors, year and title; None for a line that is not one (a stray heading)."""
    rest = printed
    repeated = _REPEATED.match(rest)
    if repeated:
        rest = rest[repeated.end():]
    m = _APA_YEAR.search(rest)
    if m:
        names, after = rest[:m.start()], rest[m.end():]
    else:
        m = _CHICAGO_YEAR.search(rest) or _ANY_YEAR.search(rest)
        if m is None:
            names, after = _names_part(rest), ""
        elif m.re is _ANY_YEAR:
            names, after = _names_part(rest[:m.start()]), ""
        else:
            names, after = rest[:m.start()], rest[m.end():]
    # Notes-and-bibliography style puts the year after the title and publisher ("Horowitz, David
    # A. Beyond Left and Right. Urbana: University of Illinois Press, 1997."), or after a journal's
    # volume ("... 1, no. 2 (1996): 201–48."): the authors end where the title starts.
    end = _NAMES_END.search(names) if m is not None and m.re is not _ANY_YEAR and not repeated else None
    if end and len(names[end.end():].split()) > 1:
        names, after = names[:end.end()], names[end.end():]
    letter = _LETTER.match(names)
    authors = previous_authors if repeated else (_surname_of(letter.group(1)),) if letter else surnames(names)
    if m is None and (not authors or "," not in printed[:60]):
        return None  # no year, and no "Surname, Given" either: a heading or page furniture
    year = m.group("year") if m else ""
    if repeated and (m is None or names.strip(" .,")):  # "— America First!: ... Amherst, NY: Prometheus Books, 1995."
        title = _title(rest)
    else:
        title = _title(after) if after else _title(rest[len(names):])
    return BibEntry(n, authors, year, title, printed, start)


# Where the authors of an entry end: the first full stop after a word (not after an initial),
# before a quoted title ("Gross, H.R. “Foreign Aid ...”"), or after an initial that a title's word
# follows ("Nash, George H. The Conservative ...", not "Walldorf, C. William, Jr.").
_NAMES_END = re.compile(rf"[^\W\d_]{{2,}}\.\s|\s(?=[“\"])|(?<![^\W\d_])[{_CAPITAL}]\.\s(?=[{_CAPITAL}][a-z]*\s)")


# A letter is its writer's: "Herbert Hoover to Felix Morley, 18 Dec. 1952."
_LETTER = re.compile(rf"^((?:[{_CAPITAL}][\w.’'-]*\s){{1,3}}[{_CAPITAL}][\w’'-]+)\s+to\s+[{_CAPITAL}]")


def _names_part(text: str) -> str:
    """The authors of an entry without a year before its title."""
    m = _NAMES_END.search(text)
    return text[:m.end()] if m else text.split(",")[0]


def _title(after: str) -> str:
    if after.startswith(","):  # "Yüceer, Saime (1997), Title, Place: Publisher."
        return after.strip(" ,").split(",")[0].strip()
    after = after.lstrip(" .,:)")
    quoted = re.match(r"[“\"‘'](.+?)[”\"’']", after)
    if quoted:
        return quoted.group(1).rstrip(" .,")
    return re.split(r"\.\s|\s\(|\.$", after, maxsplit=1)[0].strip(" .,")


def is_particle(word: str) -> bool:
    """"van", "de", "al", "b." (ibn), "d'": a word of a name that is not its surname."""
    return word.casefold().rstrip(".'’") in PARTICLES


def _is_initials(token: str) -> bool:
    return bool(_INITIALS.fullmatch(token.strip()))


def surnames(names: str) -> tuple[str, ...]:
    """The surnames of an entry's author part: "Abdelazim, H., Tharwat, M., & Mohamed, A." (APA),
    "Aspenskog, Robert, Mathias Johansson, and Pelle Snickars" (Chicago: the first author
    inverted), "Kocabaşoğlu, Uygur ve Berber, Metin" (every author inverted)."""
    part = _ROLE.sub("", names.strip(" .,"))
    out: list[str] = []
    for chunk in _PERSONS.split(part):
        parts = [p.strip() for p in chunk.split(",") if p.strip(" .") and p.strip(" .").casefold() not in _ET_AL]
        if not parts:
            continue
        if any(_is_initials(p) for p in parts[1:]):  # "Surname, I., Surname, I."
            out += [p for p in parts if not _is_initials(p)]
        elif len(parts) == 1:
            out.append(parts[0] if not out else _surname_of(parts[0]))
        else:  # "Surname, Given", then names in natural order
            out += [parts[0]] + [_surname_of(p) for p in parts[2:]]
    return tuple(p.strip(" .") for p in out)


def _surname_of(name: str) -> str:
    """"Mathias Johansson" -> "Johansson"; "Nanne van Noord" -> "van Noord"."""
    words = name.split()
    i = len(words) - 1
    while i > 0 and words[i - 1].casefold() in PARTICLES:
        i -= 1
    return " ".join(words[i:])


# --- linking -----------------------------------------------------------------------------------


def fold(text: str) -> str:
    """Lowercase, without diacritics and ʿayn/hamza marks: "Ḥusayn" and "Husayn" compare equal."""
    text = text.replace("ı", "i").replace("İ", "I")
    text = "".join(c for c in unicodedata.normalize("NFD", text) if unicodedata.category(c) != "Mn")
    return re.sub(r"[ʿʾ‘’'`]", "", text).casefold()


@functools.lru_cache(maxsize=4096)  # every work is compared with every entry
def name_tokens(name: str) -> tuple[str, ...]:
    """The words of a name that identify it: no particles, articles or initials."""
    return tuple(w for w in re.findall(r"\w+", fold(name)) if w not in PARTICLES and len(w) > 1)


@functools.lru_cache(maxsize=4096)
def _year_key(year: str) -> tuple[str, str]:
    """(base year, suffix): "1998a" -> ("1998", "a"); every form of "no date" -> ("nd", "")."""
    folded = fold(year).replace(" ", "").replace(".", "")
    if folded in ("nd", "ty", "nodate", "sd"):
        return "nd", ""
    m = re.match(r"(\d{4})([a-z]?)(?![a-z])", folded)
    return (m.group(1), m.group(2)) if m else (folded, "")


def _same_name(a: str, b: str) -> bool:
    return bool(set(name_tokens(a)) & set(name_tokens(b)))


_PRINTED_PAGES = re.compile(r"\bpp?\.\s*(\d+)\s*[-–]\s*(\d+)")  # a chapter's or an article's pages in its entry


def _pages_fit(entry, pages: str) -> int:
    """+1 when the cited page is within the pages the entry prints, -1 when outside, else 0: two
    "James, H. (2012)" entries, a chapter of pp. 193-220 and a book, told apart by "p. 463"."""
    first = re.match(r"\d+", pages or "")
    printed = _PRINTED_PAGES.search(entry.raw)
    if not first or not printed:
        return 0
    return 1 if int(printed.group(1)) <= int(first.group(0)) <= int(printed.group(2)) else -1


def _candidates(authors: tuple[str, ...], year: str, entries, pages: str = "") -> list[tuple[int, int]]:
    """(score, entry number) of every entry by the work's first author in its year: 2 for the same
    year suffix, 1 for each co-author the entry names too, and 1 more where it names them in the
    cited order ("Mayr, Windhager, et al." is the entry of Mayr, Windhager, Tartler, not that of
    Mayr, Tartler, Windhager)."""
    if not authors or not year or not entries:
        return []
    first = name_tokens(authors[0])
    base, suffix = _year_key(year)
    if not first:
        return []
    out = []
    for e in entries:
        if not e.authors or _year_key(e.year)[0] != base:
            continue
        theirs = name_tokens(e.authors[0])
        if not theirs or not (first[-1] in theirs or theirs[-1] in first):
            continue
        others = sum(1 for a in authors[1:] for b in e.authors[1:] if _same_name(a, b))
        others += sum(1 for a, b in zip(authors[1:], e.authors[1:]) if _same_name(a, b))
        out.append(((2 if _year_key(e.year)[1] == suffix else 0) + others + _pages_fit(e, pages), e.n))
    return out


_TITLE_WORDS = 3  # a note names an entry by its author and the first words of its title


def entries_named(note: str, entries) -> list[tuple[int, BibEntry]]:
    """(offset, entry) of every entry a note names, in order: its first author's surname followed,
    within the note's next sentences, by the first words of its title ("see Horowitz, David A.
    Beyond Left and Right ...", "Chapter 5 of Rothbard, Betrayal of the American Right"); the
    title words allow a slip in the surname ("Pool, Keith T. ... Ideology & Congress" is Poole's).
    Notes and bibliography style gives the year in the bibliography only, or only there reliably."""
    folded = fold(note)
    found = []
    for e in entries:
        if _titled(e):
            phrase = _phrase(_significant(e.raw)[:_TITLE_WORDS], folded)
            if phrase is not None:
                found.append((phrase, e))
            continue
        surname = surname_key(e.authors)
        own = set(name_tokens(e.authors[0])) if e.authors else set()  # "Herbert Hoover Folder" is no title of Hoover's
        words = [w for w in _significant(e.title) if w not in own][:_TITLE_WORDS]
        if not surname.isalpha() or not words:
            continue
        for m in re.finditer(r"\w+", folded):
            if not near_surname(m.group(0), surname):
                continue
            dated = re.match(r"[^()\d]{0,40}\((\d{4})", folded[m.end():])
            if dated and dated.group(1) != e.year[:4]:
                continue  # "Zutshi, Chitralekha (2004)." is not her entry of 2003
            near = set(re.findall(r"\w+", folded[m.end():m.end() + 200]))
            if sum(w in near for w in words) >= min(2, len(words)):
                found.append((m.start(), e))
                break
    for m in _SHORT_NOTE.finditer(note):  # "Pool, Keith T. and Rosenthal, p.102.": the only entry of that name
        if any(at <= m.start() < at + 200 for at, _ in found):
            continue
        same = [e for e in entries if e.authors and not _titled(e)
                and near_surname(fold(m.group("name")), surname_key(e.authors))]
        if len(same) == 1:
            found.append((m.start(), same[0]))
    return sorted(found, key=lambda f: (f[0], f[1].n)) or _entry_leading(note, entries)


# A short note giving the author and a page only: "Pool, Keith T. and Rosenthal, p.102."
_SHORT_NOTE = re.compile(rf"\b(?P<name>[{_CAPITAL}][\w’'-]+)(?:,\s(?:[{_CAPITAL}][\w’'-]*\.?\s?){{1,3}})?"
                         rf"(?:\s*(?:and|&)\s+[{_CAPITAL}][\w’'-]+)?,\s*pp?\.\s?\d")


def _titled(e: BibEntry) -> bool:
    """An entry led by a title, not a person: "“Congress Cuts Defense Funds ...” In CQ Almanac",
    "Mutual Security Act. H.R. 5710."."""
    return e.raw[:1] in "“\"‘" or bool(e.authors) and len(e.authors[0].split()) >= 3


def _phrase(words: list[str], folded: str) -> int | None:
    """Where the words stand in order in a folded text, at most two short words apart, or None."""
    if len(words) < 2:
        return None
    gap = r"\W+(?:\w+\W+){0,2}?"
    m = re.search(r"\b" + gap.join(map(re.escape, words)) + r"\b", folded)
    return m.start() if m else None


@functools.lru_cache(maxsize=4096)  # each entry's title and text, against every note
def _significant(text: str) -> tuple[str, ...]:
    return tuple(w for w in re.findall(r"[^\W\d_]+", fold(text)) if len(w) > 2 and w not in _MINOR_WORDS)


def _entry_leading(note: str, entries) -> list[tuple[int, BibEntry]]:
    """An entry led by its title, not a person, that a note opens with: "UNCIP Resolution, 13 August
    1948." is the entry "UNCIP Resolution, 13 August 1948, Mount Holyoke College ...", not the
    one of 5 January 1949; "Resolution 47 (1948)." the one of that year. The best, if any."""
    words = _significant(note)[:_TITLE_WORDS]
    years = set(re.findall(_YEAR, note))
    best = None
    for e in entries:
        lead = _significant(e.raw)[:_TITLE_WORDS]
        if not words or not lead or words[0] != lead[0] or years and e.year[:4] not in years:
            continue  # a note that gives a year names an entry of that year
        shared, dated = len(set(words) & set(lead)), e.year[:4] in years
        if shared >= 2 or dated:
            score = (shared + dated, -e.n)
            best = max(best or (score, e), (score, e), key=lambda b: b[0])
    return [(0, best[1])] if best else []


def surname_key(authors: tuple[str, ...]) -> str:
    """The first author's surname as names are compared ("" when there is none)."""
    tokens = name_tokens(authors[0]) if authors else ()
    return tokens[-1] if tokens else ""


def near_surname(word: str, surname: str) -> bool:
    """The same name, or one letter added, dropped or changed in a name of five letters or more."""
    if word == surname:
        return True
    if len(surname) < 5 or abs(len(word) - len(surname)) > 1 or word[:1] != surname[:1]:
        return False
    i = next((k for k, (a, b) in enumerate(zip(word, surname)) if a != b), min(len(word), len(surname)))
    return word[i + 1:] == surname[i + 1:] or word[i:] == surname[i + 1:] or word[i + 1:] == surname[i:]


_MINOR_WORDS = frozenset("the and for from with into its his her their how why not".split())


def link(authors: tuple[str, ...], year: str, entries) -> int | None:
    """The number of the entry a work cites (first author's surname and the year), or None."""
    found = _candidates(authors, year, entries)
    return max(found, key=lambda c: (c[0], -c[1]))[1] if found else None


def link_all(works: list[tuple[tuple[str, ...], str, str]], entries) -> list[int | None]:
    """The entries of all the works a text cites. A citation that fits several entries equally
    ("Wang et al., 2024" beside "Wang, Yang, Huang, Jiao, et al., 2024") goes to one that no
    citation naming more of its co-authors took."""
    found = [_candidates(a, y, entries, pages) for a, y, pages in works]  # (authors, year, pages cited)
    claimed = set()
    for cands in found:
        best = max(cands, default=None)
        if best and best[0] > 2 and sum(1 for c in cands if c[0] == best[0]) == 1:
            claimed.add(best[1])
    out = []
    for cands in found:
        if not cands:
            out.append(None)
            continue
        top = max(c[0] for c in cands)
        tied = sorted(n for score, n in cands if score == top)
        free = [n for n in tied if n not in claimed]
        out.append((free or tied)[0] if len(tied) > 1 else tied[0])
    return out
