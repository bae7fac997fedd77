"""The short answer inside an answer sentence: the date, number, person or place asked for.

"Kars Antlaşması ne zaman imzalandı?" is answered by a sentence; the short answer is the span
"13 Ekim 1921" in it, with its offsets, so the chat can highlight it and a script can read it.
For an English question a Turkish date is also written the English way ("13 October 1921"):
a date format, not a translation. A span the question itself gives is never its answer.
Written by hand: the spans are a few regular forms of dates, quantities and capitalized names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .lexical import fold
from .question import Question

TR_MONTHS = ("Ocak", "Şubat", "Mart", "Nisan", "Mayıs", "Haziran", "Temmuz", "Ağustos", "Eylül", "Ekim", "Kasım",
             "Aralık")
EN_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
             "November", "December")
_MONTH = "|".join(TR_MONTHS + EN_MONTHS)
_YEAR = r"(?:1[5-9]\d\d|20\d\d)"
# "13 Ekim 1921", "Ekim 1921", "13 October 1921", "October 13, 1921", "1921", "1944-56".
_DATE = re.compile(rf"\b(?:\d{{1,2}}\s+(?:{_MONTH})(?:\s+{_YEAR})?|(?:{_MONTH})\s+\d{{1,2}},\s+{_YEAR}|"
                   rf"(?:{_MONTH})\s+{_YEAR}|{_YEAR}(?:\s*[-–]\s*\d{{2,4}})?)(?![\d])", re.I)
# A quantity: digits (not a year or a page range in a reference) or a number word of the
# sentence's language with what it counts (Turkish "on", ten, is English "on").
_NUMBER_WORDS = {"tr": "iki|üç|dört|beş|altı|yedi|sekiz|dokuz|on|yüz|bin",
                 "en": "two|three|four|five|six|seven|eight|nine|ten|hundred|thousand"}
_NUMBER = {language: re.compile(r"\b(?!" + _YEAR + r"\b)\d[\d.,]*(?:\s+(?:bin|milyon|milyar|thousand|million|"
                                r"billion))?(?:\s+[^\W\d_]+)?|\b(?:" + words + r")\s+[^\W\d_]+", re.I)
           for language, words in {**_NUMBER_WORDS, None: "|".join(_NUMBER_WORDS.values())}.items()}
_CAPITAL = "A-ZÇĞİÖŞÜÂ"
_NAME = re.compile(rf"\b[{_CAPITAL}][\w’'-]*(?:\s+(?:[{_CAPITAL}][\w’'-]*|\([{_CAPITAL}][\w’'-]*\)|Paşa|Bey|Efendi))*")
_MONTH_KEYS = frozenset(m.casefold() for m in TR_MONTHS + EN_MONTHS)
_REFERENCE = re.compile(r"\([^()]*\d{4}[^()]*\)")
_WORDS = re.compile(r"[^\W\d_]+")


@dataclass(frozen=True)
class ShortAnswer:
    text: str  # as the source writes it
    display: str  # as shown for the question's language ("13 October 1921")
    sentence: int  # which answer sentence holds it
    start: int  # offsets in that sentence's text
    end: int
    file_start: int  # offsets in the source file
    file_end: int

    def to_dict(self) -> dict:
        return {"text": self.text, "display": self.display, "sentence": self.sentence,
                "start": self.file_start, "end": self.file_end}


def short_answer(question: Question, sentences: list[str], file_starts: list[int], first: int = 0,
                 languages: list[str] | None = None) -> ShortAnswer | None:
    """The span of the answer sentences that answers the question, or None (a why/how question,
    or nothing of the asked kind that the question does not already give). The sentence at
    `first` (the best-scored one) is looked in first, then the others in order; `languages` are
    the sentences' (their sources') languages."""
    kind = next((k for k in ("date", "number", "person", "place", "name") if k in question.asks_for), None)
    if kind is None:
        return None
    given = {_key(m.group(0)) for m in _finder(kind).finditer(question.text)} | {_key(w) for w in question.words}
    names = [fold(n)[:5] for n in question.names if not n[:1].isdigit()]
    for i in [first] + [j for j in range(len(sentences)) if j != first]:
        text = sentences[i]
        plain = _REFERENCE.sub(lambda m: " " * len(m.group(0)), text)  # a reference's year is no answer
        spans = []
        for m in _finder(kind, languages[i] if languages else None).finditer(plain):
            span = m.group(0).strip(" ,.;:")
            if kind in ("person", "place") and m.start() == 0:
                span = span.split(" ", 1)[1] if " " in span else ""  # a sentence's first capital says nothing
            if kind in ("person", "place", "name") and _key(span.split(" ", 1)[0]) in _MONTH_KEYS:
                continue  # "16 Mart 1921'de": a month is no one's name
            if span and _key(span) not in given:
                spans.append((text.index(span, m.start()), span))
        if not spans:
            continue
        # Of several, the one nearest to what the question names: "... 16 Mart 1921'de Moskova ve
        # ... 13 Ekim 1921'de imzaladığı. Kars ..." answers "Peki Kars?" with 13 Ekim 1921.
        named = [m.start() for m in _WORDS.finditer(plain) if fold(m.group(0))[:5] in names]
        start, span = min(spans, key=lambda s: min((abs(s[0] - at) for at in named), default=0))
        display = english_date(span) if kind == "date" and question.language == "en" else span
        return ShortAnswer(span, display, i, start, start + len(span), file_starts[i] + start,
                           file_starts[i] + start + len(span))
    return None


def _finder(kind: str, language: str | None = None) -> re.Pattern:
    return {"date": _DATE, "number": _NUMBER.get(language, _NUMBER[None])}.get(kind, _NAME)


def _key(text: str) -> str:
    return re.sub(r"['’]\w+$", "", text.casefold()).strip()


def english_date(text: str) -> str:
    """A Turkish date written the English way: "13 Ekim 1921" -> "13 October 1921"."""
    for tr, en in zip(TR_MONTHS, EN_MONTHS):
        text = re.sub(rf"\b{tr}\b", en, text, flags=re.I)
    return text
