"""Footnotes: find a text's notes and their marks, and read the works a note cites.

A note is the reference of the sentence its mark stands in; the work it cites is its first author
and year where it cites a dated work: "see Hal Friedman, Creating an American Lake ... (Westport,
Connecticut: Greenwood Press, 2001)", "Nimitz to Ramsey, ..., 18 November 1947", "Bancroft (1860
ed.)"; "Ibid." repeats the previous note's work, "idem" its author; "Author's article" is the
text's own author.

Finding the notes in the raw text (`find_notes`) stands in for source.py until it delivers notes
by mark: bracket marks "[5:1]" with notes opening a line (Project Gutenberg), and pdftotext pages
whose numbered notes stand at the foot of the page, the first note's number pushed to the end of
the block. Written by hand, like citations.py (no library reads notes of plain text).
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Note:
    """A footnote or endnote: its mark's label, its text as printed, and where its marks stand."""

    label: str
    text: str
    start: int  # file offset of the note's text
    marks: tuple[tuple[int, int], ...]  # file offsets (start, end) of its marks in the body


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
_PAGES_AFTER = re.compile(r"\)?,\s*(?:(?:pp?|s|ss)\.\s*)?(?P<pages>\d+(?:\s?[-–]\s?\d+)?)(?!\d)")
_CAP = "A-ZÀ-ÖØ-ÞĀ-ŽİŞĞÇÖÜ"
_AUTHOR = re.compile(
    rf"\[?(?P<name>(?:(?:[{_CAP}][\w’'\-]*\.?|[{_CAP}]\.)\s+){{0,3}}[{_CAP}][\w’'\-]+)\]?(?:['’]s?)?"
    r"(?=,|\s+to\s|\s+and\s|\s*\(|\s+[“\"_]|\s*\[)")
_TITLES = re.compile(r"(?:(?:Prof|Dr|Mr|Mrs|President|Gov|Col|Gen|Adm|Capt)\.?\s+)+")
_LEAD_IN = re.compile(r"\b(?:see|compare|cf\.)(?:,?\s+(?:also|for example|e\.g\.),?)?\s+(?:the\s+[\w\s]{0,40}?\s(?:of|by)\s+)?",
                      re.IGNORECASE)
_SURNAME = rf"[{_CAP}][\w’'\-]+(?:\s(?:van|von|de|der|al)\s?[{_CAP}][\w’'\-]+)?"
_PAIR = re.compile(r"\s*(?:&|\band\b|\bve\b)\s*")
_SHORT_FORM = re.compile(rf"^(?P<names>{_SURNAME}(?:\s*(?:&|and|ve)\s*{_SURNAME})?)(?:\s+et al\.)?\s+(?P<year>{_YEAR}[a-z]?)"
                         r"(?:,\s*(?:pp?\.\s*)?(?P<pages>\d+(?:\s?[-–]\s?\d+)?))?(?=[,.;:]|\s*$)")
_IBID = re.compile(r"^(?:ibid(?:em)?|a\.\s?g\.\s?e|aynı\s+eser)\.?,?\s*(?:(?:pp?|s|ss)\.\s*)?(?P<pages>\d+(?:\s?[-–]\s?\d+)?)?",
                   re.IGNORECASE)
_IDEM = re.compile(r"^(?:idem|eadem|aynı\s+yazar)\b", re.IGNORECASE)
_OWN = re.compile(r"^(?:the\s+)?author['’]s\b", re.IGNORECASE)
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
    return [s.strip() for p in parts for s in _SENTENCE_END.split(p) if s.strip()]


def _surname(name: str) -> str:
    return _TITLES.sub("", name).split()[-1]


def note_works(text: str, previous: tuple[NoteWork, ...] = (), text_author: str = "") -> tuple[NoteWork, ...]:
    """The works a note cites, in order. `previous`: the works of the note before (for "Ibid.");
    `text_author`: the text's own author (for "Author's article")."""
    works: list[NoteWork] = []
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
                continue
            authors, after = (_surname(m.group("name")),), body[m.end():]
        year = _PUBLISHED.search(after)
        pages = _PAGES_AFTER.match(after, year.end()) if year else None
        works.append(NoteWork(authors, (year.group("year") or year.group("dated")) if year else "",
                              pages.group("pages") if pages else ""))
    return tuple(works)


# --- finding notes in the raw text (until source.py delivers them) --------------------------------

# A note opening a line: "[5:1] text" (Project Gutenberg), "12. ^ a b text" (Wikipedia, with its backlinks).
_BRACKET_NOTE = re.compile(r"^(?:\[(?P<label>\d{1,3}(?::\d{1,3})?)\]|(?P<number>\d{1,4})\.[ \t]+\^(?:[ \t]+[a-z](?=[ \t]))*)[ \t]+",
                           re.MULTILINE)
BRACKET_MARK = re.compile(r"\[(?P<label>\d{1,3}(?::\d{1,3})?)\]")  # "[12]", "[5:1]"
PAGE_LINES = 150  # a page's notes stand in its last lines: a printed page holds fewer than this
_BLANK_LINE = re.compile(r"\n[ \t\r]*\n")
_BARE_NUMBER = re.compile(r"[ \t\r]*(\d{1,3})[ \t\r]*")


def find_notes(raw: str) -> tuple[list[Note], list[tuple[int, int]]]:
    """The notes of a text with their marks, and the file spans the notes take."""
    notes, spans = _bracket_notes(raw)
    if notes or "\f" not in raw:  # pdftotext ends every page with a form feed
        return notes, spans
    return _page_foot_notes(raw)


def _bracket_notes(raw: str) -> tuple[list[Note], list[tuple[int, int]]]:
    """Notes opening a line with "[label]", each running to the next blank line; marks are the same
    label anywhere else."""
    found = []
    opening = list(_BRACKET_NOTE.finditer(raw))
    for m, after in zip(opening, opening[1:] + [None]):
        blank = _BLANK_LINE.search(raw, m.end())
        end = min(blank.start() if blank else len(raw), after.start() if after else len(raw))
        found.append((m.group("label") or m.group("number"), m.start(), m.end(), end))
    # A label used twice (a text's "Notes" and "References" both numbered from 1): the later list's.
    found = list({label: (label, *rest) for label, *rest in found}.values())
    spans = [(start, end) for _, start, _, end in found]
    marks: dict[str, list[tuple[int, int]]] = {}
    for m in BRACKET_MARK.finditer(raw):
        if not any(a <= m.start() < b for a, b in spans):
            marks.setdefault(m.group("label"), []).append((m.start(), m.end()))
    notes = [Note(label, " ".join(raw[text_at:end].split()), text_at, tuple(marks.get(label, ())))
             for label, _, text_at, end in found]
    return ([n for n in notes if n.marks], spans) if any(n.marks for n in notes) else ([], [])


def _lines(raw: str, start: int, end: int) -> list[tuple[int, str]]:
    return [(start + m.start(), m.group().rstrip("\r")) for m in re.finditer(r"[^\n]+", raw[start:end])]


def _page_foot_notes(raw: str) -> tuple[list[Note], list[tuple[int, int]]]:
    """pdftotext pages: the notes stand in the last lines of a page (before its page number), a
    number line opening each (pdftotext may push the first note's number to the end of its block,
    or put numbers together before their notes); a note that ends unfinished goes on at the top of
    the next page's notes."""
    texts: dict[int, list[str]] = {}
    starts: dict[int, int] = {}
    spans: list[tuple[int, int]] = []
    expected = 1
    at = 0
    for page in raw.split("\f"):
        lines: list[tuple[int, str]] = []
        opens: list[bool] = []  # the line opens a block (a blank line or the page's top before it)
        for m in re.finditer(r"\S(?:.|\n(?![ \t\r]*\n))*", page):
            block = _lines(raw, at + m.start(), at + m.end())
            lines += block
            opens += [True] + [False] * (len(block) - 1)
        at += len(page) + 1
        if lines and _BARE_NUMBER.fullmatch(lines[-1][1]):
            lines, opens = lines[:-1], opens[:-1]  # the page number
        found = None
        for i in range(len(lines) - 1, max(len(lines) - PAGE_LINES, 0) - 1, -1):  # the fewest last lines that read as notes
            if opens[i] or _BARE_NUMBER.fullmatch(lines[i][1]):
                found = _read_notes(lines[i:], expected)
                if found:
                    break
        if not found:
            continue
        first = i
        if not opens[i] and expected > 1 and not re.search(r"[.)”\"\]]$", texts[expected - 1][-1]):
            while not opens[first]:  # the note of the page before goes on
                first -= 1
            texts[expected - 1].extend(line for _, line in lines[first:i])
        for number, start, body in found:
            texts[number], starts[number] = body, start
        expected += len(found)
        spans.append((lines[first][0], lines[-1][0] + len(lines[-1][1])))
    if not texts:
        return [], []
    notes = []
    search_from = 0
    for number in sorted(texts):
        mark = _find_mark(raw, number, search_from, spans)
        if mark:
            search_from = mark[1]
        notes.append(Note(str(number), _join(texts[number]), starts[number], (mark,) if mark else ()))
    return notes, spans


def _read_notes(lines: list[tuple[int, str]], expected: int):
    """[(number, file offset, lines)] when these lines are notes numbered on from `expected`, else
    None. Numbers standing together ("16", "17", then "Ibid., 6.", "Ibid.") take one line each, the
    last the rest; a number at the end belongs to the lines before the first number."""
    numbers = [i for i, (_, line) in enumerate(lines) if _BARE_NUMBER.fullmatch(line)]
    if not numbers:
        return None
    groups: list[list[int]] = []
    if numbers[0] != 0:
        if numbers[-1] != len(lines) - 1:
            return None
        groups, bounds = [[numbers[-1]]] + [[i] for i in numbers[:-1]], [(0, numbers[0])]
        bounds += [(i + 1, j) for i, j in zip(numbers[:-1], numbers[1:])]
    else:
        for i in numbers:
            if groups and groups[-1][-1] == i - 1:
                groups[-1].append(i)
            else:
                groups.append([i])
        bounds = [(g[-1] + 1, nxt[0] if nxt else len(lines)) for g, nxt in zip(groups, groups[1:] + [None])]
    order, numbered = [], []
    for g, (a, b) in zip(groups, bounds):
        body = lines[a:b]
        if len(body) < len(g):
            return None
        shares = [body[k:k + 1] for k in range(len(g) - 1)] + [body[len(g) - 1:]]
        for i, share in zip(g, shares):
            order.append(int(lines[i][1]))
            numbered.append((order[-1], share[0][0], [line for _, line in share]))
    if order != list(range(expected, expected + len(order))):
        return None
    return numbered


def _find_mark(raw: str, number: int, start: int, spans) -> tuple[int, int] | None:
    """The first mark "number" after `start` outside the notes: a number after punctuation, before
    a space or the line's end ("with the U.S.S.R. 1")."""
    for m in re.compile(rf"(?<=[.,;:!?”\"’)\]])[ \t]?({number})(?!\d)(?=\s|$)").finditer(raw, start):
        pos = m.start(1)
        if not any(a <= pos < b for a, b in spans):
            return pos, pos + len(m.group(1))
    return None


def _join(lines: list[str]) -> str:
    out = ""
    for line in lines:
        line = line.strip()
        out = f"{out} {line}" if out else line
    return out
