"""Footnotes: read the works a note cites.

A note is the reference of the sentence its mark stands in (source.py delivers the notes and
their marks, citations.py ties each mark to its sentence); the work it cites is its first author
and year where it cites a dated work: "see Hal Friedman, Creating an American Lake ...
(Westport, Connecticut: Greenwood Press, 2001)", "Nimitz to Ramsey, ..., 18 November 1947",
"Bancroft (1860 ed.)"; "Ibid." repeats the previous note's work, "idem" its author; "Author's
article" is the text's own author. Written by hand, like citations.py (no library reads the
works of notes in prose).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache


@dataclass(frozen=True)
class NoteWork:
    """A work a note cites: its first author's surname, year ("" when the note gives none), pages."""

    authors: tuple[str, ...]
    year: str
    pages: str = ""


_YEAR = r"(?:1[4-9]\d\d|20\d\d)"
_MONTH = (r"(?:January|February|March|April|May|June|July|August|September|October|November|December|"
          r"Jan\.|Feb\.|Mar\.|Apr\.|Aug\.|Sept?\.|Oct\.|Nov\.|Dec\.|Ocak|Şubat|Mart|Nisan|Mayıs|Haziran|Temmuz|"
          r"Ağustos|Eylül|Ekim|Kasım|Aralık)")
# Where a note gives a work's year: its publication parenthesis "(London, 1793)", "(1765 ed.)", or
# a dated document "18 November 1947", "January 30, 1824", "September, 1891".
_PUBLISHED = re.compile(
    rf"\((?:[^()]*?[,:]\s*)?(?P<year>{_YEAR})(?:\s*ed\.)?\)|"
    rf"(?:\b\d{{1,2}}\s+{_MONTH}|{_MONTH}(?:\s+\d{{1,2}})?),?\s+(?P<dated>{_YEAR})\b")
# Dates a web citation was archived or looked up: not the work's year.
_ACCESSED = re.compile(r"(?:archived|retrieved|accessed|erişim)\W*(?:on\s)?$", re.IGNORECASE)
# "Bowers, Paul. 2004." (a bibliography's inverted name, then the year), and a year standing
# alone between commas or at the end ("..., New Delhi, 1993, p.97"), where no date says more.
_YEAR_AFTER_NAME = re.compile(rf"^,\s[^,.()]{{1,40}}\.\s(?P<year>{_YEAR})[a-z]?\.")
_BARE_YEAR = re.compile(rf"[,.]\s(?P<year>{_YEAR})(?=[,.;]|\s*$)")
_PAGES_AFTER = re.compile(r"\)?,\s*(?:(?:pp?|s|ss)\.\s*)?(?P<pages>\d+(?:\s?[-–]\s?\d+)?)(?!\d)")
_CAP = "A-ZÀ-ÖØ-ÞĀ-ŽİŞĞÇÖÜ"
_AUTHOR = re.compile(
    rf"\[?(?P<name>(?:(?:[{_CAP}][\w’'\-]*\.?|[{_CAP}]\.)\s+){{0,3}}[{_CAP}][\w’'\-]+)\]?(?:['’]s?)?"
    rf"(?=,|\s+to\s|\s+and\s+[{_CAP}]|\s*\(|\s+[“\"_]|\s*\[)")
_TITLES = re.compile(r"(?:(?:Prof|Dr|Mr|Mrs|President|Gov|Col|Gen|Adm|Capt)\.?\s+)+")
_LEAD_IN = re.compile(r"\b(?:see|compare|cf\.)(?:,?\s+(?:also|for example|e\.g\.),?)?\s+(?:the\s+[\w\s]{0,40}?\s(?:of|by)\s+)?",
                      re.IGNORECASE)
_SURNAME = rf"[{_CAP}][\w’'\-]+(?:\s(?:van|von|de|der|al)\s?[{_CAP}][\w’'\-]+)?"
# A note that names its work's author after a colon: "... now in the public domain: Holdich,
# Thomas Hungerford (1911)." (only in the inverted form with a year, not "London: Penguin").
_AFTER_COLON = re.compile(rf":\s+(?P<name>{_SURNAME}),\s(?:[{_CAP}][\w.\-]*\s?){{1,4}}(?=\((?:\d{{1,2}}\s\w+\s)?{_YEAR})")
# A note that gives the title first: "Culture and political history of Kashmir, Prithivi Nath Kaul
# Bamzai, M.D. Publications Pvt. Ltd., 1994." The author is the name standing after the title.
_TITLE_THEN_NAME = re.compile(rf"^[^,()]*\s[a-z][^,()]*,\s(?P<name>(?:[{_CAP}][\w’'\-]*\.?\s){{1,4}}[{_CAP}][\w’'\-]+),")
_PUBLISHER = re.compile(r"\b(?:Press|Publications?|Publishers?|Books|Verlag|Yayınları|University|Ltd|Inc)\b")
_PAIR = re.compile(r"\s*(?:&|\band\b|\bve\b)\s*")
_SHORT_FORM = re.compile(rf"^(?P<names>{_SURNAME}(?:\s*(?:&|and|ve)\s*{_SURNAME})?)(?:\s+et al\.)?\s+(?P<year>{_YEAR}[a-z]?)"
                         r"(?:,\s*(?:pp?\.\s*)?(?P<pages>\d+(?:\s?[-–]\s?\d+)?))?(?=[,.;:]|\s*$)")
_IBID = re.compile(r"^(?:ibid(?:em)?|a\.\s?g\.\s?e|aynı\s+eser)\.?,?\s*(?:(?:pp?|s|ss)\.\s*)?(?P<pages>\d+(?:\s?[-–]\s?\d+)?)?",
                   re.IGNORECASE)
_IDEM = re.compile(r"^(?:idem|eadem|aynı\s+yazar)\b", re.IGNORECASE)
_OWN = re.compile(r"^(?:the\s+)?author['’]s\b", re.IGNORECASE)
# A web citation's author list, "Surname, Given; Surname, Given; ... (date)" (Wikipedia's CS1):
# its ";" part authors, not works.
_CS1_AUTHORS = re.compile(rf"^(?P<first>{_SURNAME}), [^;()]{{1,40}}(?P<rest>(?:; {_SURNAME}, [^;()]{{1,40}})+)(?=\s\()")
_SENTENCE_END = re.compile(r"(?<=[a-z)”\"][a-z)”\"]\.)\s+(?=[A-Z])")


def _segments(text: str) -> list[str]:
    """A note cut at ";" outside brackets and at its sentence ends."""
    parts, depth, at = [], 0, 0
    for i, ch in enumerate(text):
        depth += ch == "("
        depth -= ch == ")" and depth > 0
        if ch == ";" and depth == 0:
            parts.append(text[at:i])
            at = i + 1
    parts.append(text[at:])
    return [s.strip() for p in parts for s in _sentences(p) if s.strip()]


@lru_cache(maxsize=1)
def _abbreviations() -> frozenset[str]:
    from .source import abbreviations

    return abbreviations("en") | abbreviations("tr")


def _sentences(part: str) -> list[str]:
    """A note's part cut at its sentence ends, not after an abbreviation ("M.D. Publications Pvt.
    Ltd., 1994")."""
    known = _abbreviations()
    out, at = [], 0
    for m in _SENTENCE_END.finditer(part):
        if part[at:m.start()].rsplit(None, 1)[-1].rstrip(".").lower() not in known:
            out.append(part[at:m.start()])
            at = m.end()
    return out + [part[at:]]


def _surname(name: str) -> str:
    return _TITLES.sub("", name).split()[-1]


def note_works(text: str, previous: tuple[NoteWork, ...] = (), text_author: str = "") -> tuple[NoteWork, ...]:
    """The works a note cites, in order. `previous`: the works of the note before (for "Ibid.");
    `text_author`: the text's own author (for "Author's article")."""
    works: list[NoteWork] = []
    cs1 = _CS1_AUTHORS.match(text)
    if cs1:  # "Jukar, Advait M.; Bhat, Ghulam; ...; Craig, Jonathan (11 January 2024)": one work, by Jukar
        text = f"{cs1.group('first')}{text[cs1.end('rest'):]}"
    for segment in _segments(text):
        ibid = _IBID.match(segment)
        short = _SHORT_FORM.match(segment)
        if ibid and previous:
            works.append(NoteWork(previous[0].authors, previous[0].year, ibid.group("pages") or ""))
            continue
        if short:  # "Sharma 2005, p. 74.": a work of the reference list
            works.append(NoteWork(tuple(_PAIR.split(short.group("names"))), short.group("year"),
                                  short.group("pages") or ""))
            continue
        if _IDEM.match(segment) and works:
            authors, after = works[-1].authors, segment
        elif _OWN.match(segment) and text_author:
            authors, after = (text_author.split()[-1],), segment
        else:
            body = _TITLES.sub("", segment)
            m = None if _LEAD_IN.match(body) else _AUTHOR.match(body)
            if m is None and (lead := _LEAD_IN.search(body)):
                body = _TITLES.sub("", body[lead.end():])
                m = _AUTHOR.match(body)
            if m is None:
                m = _AFTER_COLON.search(body) or _TITLE_THEN_NAME.match(body)
                if m is not None and _PUBLISHER.search(m.group("name")):
                    m = None
            if m is None:
                continue
            authors, after = (_surname(m.group("name")),), body[m.end():]
        year, end = _year(after)
        pages = _PAGES_AFTER.match(after, end) if year else None
        works.append(NoteWork(authors, year, pages.group("pages") if pages else ""))
    return tuple(works)


def _year(after: str) -> tuple[str, int]:
    """The work's year in what follows its author, and where it ends ("" when none): right after
    an inverted name, else its publication parenthesis or a document's date (not the date a web
    page was archived or retrieved), else a year standing alone."""
    m = _YEAR_AFTER_NAME.match(after) or next(
        (m for m in _PUBLISHED.finditer(after) if not _ACCESSED.search(after[max(0, m.start() - 25):m.start()])),
        None) or _BARE_YEAR.search(after)
    if m is None:
        return "", 0
    return m.group("year") or m.group("dated"), m.end()
