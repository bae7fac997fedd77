"""Reading a question, once, into the `Question` record every later stage takes: its language,
what it asks for (a date, a person, a reason, ...), its names and numbers, the noun it asks
about, the part of a text and the text it names, and the conversation it continues
(conversation.py); and whether a text offers what is asked. Turkish and English; no word list
of any one text.
"""

from __future__ import annotations

import re
from typing import Sequence

from . import conversation
from .language import detect_language
from .lexical import ENGLISH_STOPWORDS, TURKISH_STOPWORDS, english_lower, fold, split_words, turkish_lower
from .question import MAX_HISTORY_QUESTIONS, Question, clean_question
from .spelling import SpellingRestorer

# What a question asks for, in Turkish and English, and how a sentence offers it.
_MONTHS = ("ocak|şubat|mart|nisan|mayıs|haziran|temmuz|ağustos|eylül|ekim|kasım|aralık|january|february|"
           "march|april|may|june|july|august|september|october|november|december")
# Turkish question words take case endings ("hangi tarihte", "hangi şehirde"): their stems are
# followed by any word characters; English ones end at a word boundary.
# Nouns that name a person, a quantity or a name asked for: "hangi komutan", "which leaders",
# "what was the population", "the name of the ship". Words of any history text, not of one.
_PERSON_NOUNS = (r"(?:kişi|komutan|kumandan|lider|önder|yönetici|bakan|temsilci|delege|elçi|başkan|heyet başkanı|"
                 r"devlet adamı|subay|general|yazar|tarihçi|padişah|sultan|halife|kral|imparator|komiser|çar|"
                 r"yetkili|üye|mimar|hukukçu|şair|ressam|"
                 r"person|people|leader|commander|general|officer|official|minister|representative|delegate|"
                 r"ambassador|envoy|president|chairman|author|historian|scholar|king|queen|sultan|caliph|emperor|"
                 r"pope|bishop|narrator|director|founder|signator(?:y|ies)|commissar|men|women|tsar|czar|"
                 r"member|architect|jurist|poet|painter)")
_QUANTITY_NOUNS = (r"(?:nüfus|fiyat|maliyet|miktar|sayı|toplam|yüzde|tutar|uzunluk|süre|mesafe|"
                   r"population|price|cost|amount|number|total|percentage|share|size|length|sum|distance)")
_PLACE_NOUNS = (r"(?:şehir|kent|bölge|yer|liman|ülke|yol|nehir|kilise|cami|saray|bina|eyalet|"
                r"city|town|region|place|port|country|route|island|river|mountain|church|mosque|palace|"
                r"building|province)")
_NAME_NOUNS = (r"(?:şirket|firma|üretici|gazete|dergi|gemi|uçak|kitap|film|yazılım|sürüm|"
               r"company|firm|manufacturer|newspaper|journal|magazine|ship|aircraft|plane|book|film|software|"
               r"version|organi[sz]ation|party)")
# Turkish question words take case endings ("hangi tarihte", "hangi şehirde", "kimlerdi"): their
# stems are followed by any word characters; English ones end at a word boundary.
# Matched on the question folded (lower case, no Turkish letters), the patterns folded alike:
# "hangi gun acildi" asks for a date as "hangi gün açıldı" does.
_TR_LETTERS = str.maketrans("çğıöşüâîû", "cgiosuaiu")


def _asking(pattern: str) -> re.Pattern:
    return re.compile(pattern.translate(_TR_LETTERS), re.I)


QUESTION_TYPES = {
    "date": _asking(r"\b(ne zaman|hangi (?:tarih|yıl|gün)\w*|hangi ay(?:da|ı|ında)?\b|kaç yılında|tarihi\b|"
                    r"tarihli|ayın kaçında|(?:when|what date|which date|which year|what year|which day|what day|"
                    r"which month|what month|the date|dated|in what year|in which year)\b)"),
    "person": _asking(r"\b(kim\w*|who|whom|whose|which person|(?:hangi|which|what)\s+(?:\w+\s+){0,3}?"
                      + _PERSON_NOUNS + r")\w*"),
    # "hangi" and "which" may have a word or two before the noun ("hangi Sovyet yetkilileriyle",
    # "which Swedish church"); "what" none ("what was the city's population" asks a number).
    "place": _asking(r"\b(nere\w*|hangi\s+(?:\w+\s+){0,2}?" + _PLACE_NOUNS + r"\w*|(?:where|"
                     r"which\s+(?:\w+\s+){0,2}?" + _PLACE_NOUNS + r"|what\s+" + _PLACE_NOUNS + r")\b)"),
    "number": _asking(r"\b(kaç|ne kadar|how many|how much|how large|how big|how far|how long|how old|what number|"
                      r"(?:what|which|ne|hangi)\s+(?:\w+\s+){0,2}?" + _QUANTITY_NOUNS + r")\w*"),
    "name": _asking(r"\b(adı\w*|ismi\w*|the name of|what was it called|what is it called|"
                    r"(?:hangi|which)\s+(?:\w+\s+){0,2}?" + _NAME_NOUNS + r"\w*|what\s+" + _NAME_NOUNS + r")\b"),
    "reason": _asking(r"\b(neden|niçin|niye|ne için|hangi amaç|ne amaç|sebeb|nedeni|why|what for|"
                      r"for what purpose|what reason|motive|motives)\w*"),
    "consequence": _asking(r"\b(sonuç|sonucu|ne oldu|etkisi|katkı|how did .* end|result|outcome|"
                           r"consequence|effect)\w*"),
    "manner": _asking(r"\b(nasıl|ne şekilde|ne biçimde|in what way|how (?!many|much|long|large|big|far|old))"),
}
SENTENCE_OFFERS = {
    "date": re.compile(r"\b(\d{1,2}\s+(" + _MONTHS + r")|(1[5-9]|20)\d\d|" + _MONTHS + r")\w*", re.I),
    "person": re.compile(r"\b[A-ZÇĞİÖŞÜ][a-zçğıöşü]+\s+(Paşa|Bey|Efendi)\b|\b[A-ZÇĞİÖŞÜ][a-zçğıöşü]+\s+"
                         r"[A-ZÇĞİÖŞÜ][a-zçğıöşü]+\b"),
    "place": re.compile(r"\b[A-ZÇĞİÖŞÜ][a-zçğıöşü]+['’](da|de|ta|te|ya|ye|a|e|dan|den|tan|ten)\b"),
    # A quantity, not a year, the day of a date or an ordinal ("2'nci madde", "20. yüzyıl"); "bir"
    # is also the indefinite article.
    "number": re.compile(r"\b(?!(?:1[5-9]|20)\d\d\b)\d+(?:[.,]\d+)?\b(?!\s*(?:" + _MONTHS + r"))"
                         r"(?!['’](?:n?c[ıiuü]|[ıiuü]nc[ıiuü]))(?!\.\s*[a-zçğıöşü])|"
                         r"\b(iki|üç|dört|beş|altı|yedi|sekiz|dokuz|yüz|bin|milyon|milyar|two|three|four|five|"
                         r"six|seven|eight|nine|ten|hundred|thousand|million)\b", re.I),
    "reason": re.compile(r"(sebebiyle|nedeniyle|amacıyla|gayesi|gayesinde|için|çünkü|dolayı|menfaat|"
                         r"ihtiyaç|istiyor|istemesi|isteyen|açısından)", re.I),
    "consequence": re.compile(r"(sonucu|sonucunda|böylece|neticede|nitekim|kılmıştır|sağlamış|"
                              r"etkilemiş|dolayısıyla|kalmışlardır)", re.I),
}


# Questions answered by an explanation, which the article gives after stating the fact.
EXPLAINED = frozenset({"reason", "consequence", "manner"})

# Words that say what kind of answer is wanted, not what it is about.
QUESTION_WORDS = frozenset(fold(w) for w in """tarih tarihte tarihinde tarihi zaman yıl yılında yıllar gün günü ay
    ayında kim kimdir kimi kimin kime nere nerede nereye nereden neden niçin niye nasıl hangi kaç ne neydi
    nedir sebep sebebi nedeni amacı date dates year years day days month when who whom whose where why how
    which what reason happen happened""".split())


# Heads that only restate the kind of answer ("which event", "what role"): not checked.
GENERIC_HEADS = frozenset("""event events thing things way ways kind type sort role reason reasons motive motives
    purpose aim aims goal goals result results outcome effect effects consequence consequences factor factors step
    steps measure measures area areas region regions city cities town towns village villages province provinces
    date dates year years day days month time times period state states country countries people person persons
    place places idea ideas view views basis advantage advantages benefit benefits contribution term terms position
    attitude relation relations part parts side sides point points issue issues problem problems matter""".split())
# The same in Turkish, as folded word starts, so that any inflection ("olayla", "günü", "sebebi")
# is one of them; a content word that starts alike ("yerleşim") is only not checked.
GENERIC_HEADS_TR = tuple("""olay gelisme adim gun tarih yil ay zaman donem sure konu husus mesele yer sehir bolge
    alan kisi sekil bicim tur cesit amac sebe neden sonuc yon taraf durum aci bakim sira karar gorus fikir
    dusunce""".split())
_STOP_AFTER_HEAD = frozenset("""did do does was were is are had has have could would will can should might may
    of in on for to with from that by about against between into during after before under among as at
    made gave took sent brought left led won set began became got put kept held meant saw""".split())


def focus_words(words: list[str], language: str) -> list[str]:
    """The noun a question (all its words, in order) asks for: "Which commissar ...", "Who was the first ambassador ...",
    "hangi sancakları ...", "kaç delege ...". If the evidence has no word for it, the question is
    about something else."""
    if language == "tr":
        heads = {words[i + 1] for i, w in enumerate(words[:-1]) if turkish_lower(w) in ("hangi", "kaç")}
        return [w for w in words if w in heads and not fold(w).startswith(GENERIC_HEADS_TR)]
    low = [w.lower() for w in words]
    heads = []
    for i, w in enumerate(low):
        start = None
        if w in ("which", "what"):
            start = i + 1
        elif w == "who" and i + 2 < len(low) and low[i + 1] in ("was", "were", "is", "are"):
            start = i + 2 + (low[i + 2] in ("the", "a", "an"))
        if start is None or start >= len(low):
            continue
        j = start
        while j < len(low) and j < start + 5 and low[j] not in _STOP_AFTER_HEAD and not (
                j > start and len(low[j]) > 4 and low[j].endswith("ed")):
            j += 1
        if j > start:
            heads.append(words[j - 1])
    return [h for h in heads if h.lower() not in GENERIC_HEADS]


def offers(kind: str, text: str, question: str = "") -> bool:
    """Whether a text gives a date, number, ... other than one the question itself gives
    ("Lenin 26 Nisan 1920 tarihli mektuba ne zaman cevap verdi?" is not answered by "26 Nisan 1920")."""
    rx = SENTENCE_OFFERS[kind]
    given = {m.group(0).lower() for m in rx.finditer(question)}
    return any(m.group(0).lower() not in given for m in rx.finditer(text))


# A question may name the part of the article it asks about: "Özete göre ...", "According to the
# conclusion, ...". These are the parts every journal article has, not this article's headings.
SECTION_CUES = {
    # With or without the Turkish letters ("ozete gore", "sonuc bolumunde"): the spelling
    # restorer knows only the sources' forms, and "özete" is not one of them.
    "abstract": re.compile(r"\b[öo]zet(?:e|te|inde|ine)?\b|\bthe (?:article'?s )?(?:abstract|summary)\b", re.I),
    "introduction": re.compile(r"\bgiri[şs] b[öo]l[üu]m|\bthe (?:article'?s )?introduction\b", re.I),
    "conclusion": re.compile(r"\bsonu[çc] b[öo]l[üu]m|\bthe (?:article'?s )?(?:conclusions?|concluding)\b", re.I),
}


def asked_parts(question: str) -> set[str]:
    """The parts of an article the question names: "abstract", "introduction", "conclusion"."""
    return {part for part, rx in SECTION_CUES.items() if rx.search(question)}


def question_types(question: str) -> set[str]:
    folded = fold(question)
    return {name for name, rx in QUESTION_TYPES.items() if rx.search(folded)}


def split_preamble(text: str) -> tuple[str, str]:
    """(the last sentence that asks, what comes before it); the whole text and "" when there is
    one sentence or none ends in "?"."""
    sentences = [x for x in re.split(r"(?<=[.!?…])\s+", text.strip()) if x]
    asking = [i for i, x in enumerate(sentences) if x.endswith("?")]
    if len(sentences) < 2 or not asking:
        return text, ""
    return sentences[asking[-1]], " ".join(sentences[:asking[-1]])


def content_words(text: str, language: str) -> list[str]:
    """The question's content words as written (stopwords dropped), for term mapping."""
    stop = ENGLISH_STOPWORDS if language == "en" else TURKISH_STOPWORDS
    lower = english_lower if language == "en" else turkish_lower
    words = [w for w in split_words(text) if lower(w) not in stop and (len(w) > 1 or w.isdigit())]
    return list(dict.fromkeys(words))


def name_words(text: str, words: list[str], language: str, known_name=lambda word: False) -> list[str]:
    """The question's names and numbers: what an answer must be about, not just near."""
    split = split_words(text)
    first = split[0] if split else ""
    # A capital on the first word says nothing, unless the sources write the word as a name
    # ("Lenin ne zaman öldü?") or, in Turkish, another capital follows ("Enver Paşa kimdir?", not
    # "Yazar, Rusya'daki ..."); English questions open with "Besides", ...
    first_is_name = known_name(first) or (language == "tr" and bool(re.match(r"\W*\w+\s+[A-ZÇĞİÖŞÜ]", text)))
    out = []
    for w in words:
        name = w[:1].isupper() and len(w) > 2 and (w != first or first_is_name)
        number = w.isdigit() and len(w) >= 3
        if name or number:
            out.append(w)
    return out


def alias_groups(text: str, names: list[str]) -> list[tuple[str, ...]]:
    """Group a name with one written right after it in parentheses: "Gyumri (Gümrü)"."""
    groups: list[list[str]] = []
    for w in names:
        if groups and re.search(re.escape(groups[-1][0]) + r"\s*\(\s*" + re.escape(w), text):
            groups[-1].append(w)
        else:
            groups.append([w])
    return [tuple(g) for g in groups]


class QuestionReader:
    """Reads what a user typed, with the conversation before it, into a `Question`; with a
    `SpellingRestorer`, Turkish typed without its letters or in capitals is read in the
    sources' own spelling."""

    def __init__(self, restorer: SpellingRestorer | None = None):
        self.restorer = restorer

    def read(self, typed, history: Sequence[str] = (), source: str | None = None) -> Question:
        clean = clean_question(typed)
        asking, preamble = split_preamble(clean.text)
        previous = None
        # Each earlier question is read in the light of those before it; a preamble before the
        # asking sentence ("Mustafa Kemal wrote to Lenin. What did he ask for?") is one more.
        recent = list(history)[-MAX_HISTORY_QUESTIONS:]
        for earlier in [clean_question(h).text for h in recent] + ([preamble] if preamble else []):
            previous = self._continued(self._parse(self._restored(earlier)), previous)
        question = self._continued(self._parse(self._restored(asking)), previous)
        return _replace(question, typed=clean.text, source=source, history=tuple(history), omitted=clean.omitted,
                        typed_length=clean.typed_length)

    def _restored(self, text: str) -> str:
        return self.restorer.restore(text, detect_language(text)) if self.restorer else text

    def _parse(self, text: str, typed: str | None = None, about: str = "",
               asks_for: frozenset[str] | None = None) -> Question:
        language = detect_language(typed or text)
        words = content_words(text, language)
        names = name_words(text, words, language, self.restorer.is_name if self.restorer else (lambda w: False))
        return Question(
            typed=typed or text, text=text, language=language,
            asks_for=frozenset(question_types(typed or text)) if asks_for is None else asks_for,
            words=tuple(words), names=tuple(names),
            focus=tuple(w for w in focus_words(split_words(typed or text), language) if w in words),
            aliases=tuple(alias_groups(text, names)), parts=frozenset(asked_parts(text)), about=about)

    def _continued(self, question: Question, previous: Question | None) -> Question:
        resolved = conversation.resolve(question, previous)
        if resolved is None:
            return question
        # What a follow-up asks for is its own ("And when?"), or the earlier one's when the earlier
        # question's words stand in for it ("Peki Kars?").
        asks_for = question.asks_for or (previous.asks_for if resolved.asks_as_before else frozenset())
        return self._parse(resolved.text, typed=question.typed, about=resolved.about, asks_for=asks_for)


def _replace(question: Question, **changes) -> Question:
    from dataclasses import replace

    return replace(question, **changes)
