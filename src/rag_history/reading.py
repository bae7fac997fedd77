"""Reading a question: what it asks for (a date, a person, a reason, ...), its names and numbers,
the noun it asks about, and the part of the article it names; and whether a text offers what
is asked. Turkish and English; no word list of any one article.
"""

from __future__ import annotations

import re

from .lexical import fold, split_words, turkish_lower
from .retrieval import Query
from .termmap import TermMatch

# What a question asks for, in Turkish and English, and how a sentence offers it.
_MONTHS = ("ocak|şubat|mart|nisan|mayıs|haziran|temmuz|ağustos|eylül|ekim|kasım|aralık|january|february|"
           "march|april|may|june|july|august|september|october|november|december")
# Turkish question words take case endings ("hangi tarihte", "hangi şehirde"): their stems are
# followed by any word characters; English ones end at a word boundary.
QUESTION_TYPES = {
    "date": re.compile(r"\b(ne zaman|hangi (?:tarih|yıl|gün)\w*|hangi ay(?:da|ı|ında)?\b|kaç yılında|tarihi\b|"
                       r"tarihli|(?:when|what date|which date|which year|what year|which day|what day|"
                       r"which month|what month|the date|dated)\b)", re.I),
    "person": re.compile(r"\b(kim|kimdir|kimdi|kime|kimin|kimi|kimler|who|whom|whose|which person)\b", re.I),
    "place": re.compile(r"\b(nere\w*|hangi (?:şehir|kent|bölge|yer|liman)\w*|(?:where|which city|which town|"
                        r"which region|which place|which port)\b)", re.I),
    "number": re.compile(r"\b(kaç|ne kadar|how many|how much|what number)\b", re.I),
    "reason": re.compile(r"\b(neden|niçin|niye|ne için|hangi amaç|ne amaç|sebeb|nedeni|why|what for|"
                         r"for what purpose|what reason|motive|motives)\w*", re.I),
    "consequence": re.compile(r"\b(sonuç|sonucu|ne oldu|etkisi|katkı|how did .* end|result|outcome|"
                              r"consequence|effect)\w*", re.I),
    "manner": re.compile(r"\b(nasıl|ne şekilde|ne biçimde|in what way|how (?!many|much|long))", re.I),
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

# Kinds of answer a sentence either gives or does not: a window without one cannot answer.
SLOT_TYPES = frozenset({"date", "number"})

# Words that say what kind of answer is wanted, not what it is about.
QUESTION_WORDS = frozenset(fold(w) for w in """tarih tarihte tarihinde tarihi zaman yıl yılında yıllar gün günü ay
    ayında kim kimdir kimi kimin kime nere nerede nereye nereden neden niçin niye nasıl hangi kaç ne neydi
    nedir sebep sebebi nedeni amacı date dates year years day days month when who whom whose where why how
    which what reason happen happened""".split())


def key_terms(query: Query) -> list[TermMatch]:
    """The question's names and numbers: what an answer must be about, not just near."""
    words = split_words(query.text)
    first = words[0] if words else ""
    # A capital on the first word says nothing, except in Turkish right before another capital
    # ("Enver Paşa kimdir?", not "Yazar, Rusya'daki ..."); English questions open with "Besides", ...
    first_is_name = query.language == "tr" and bool(re.match(r"\s*\w+\s+[A-ZÇĞİÖŞÜ]", query.text))
    out = []
    for m in query.terms:
        name = m.term[:1].isupper() and len(m.term) > 2 and (m.term != first or first_is_name)
        number = m.term.isdigit() and len(m.term) >= 3
        if name or number:
            out.append(m)
    return out


def alias_groups(question: str, terms: list[TermMatch]) -> list[list[TermMatch]]:
    """Group a term with one written right after it in parentheses: "Gyumri (Gümrü)"."""
    groups: list[list[TermMatch]] = []
    for m in terms:
        if groups and re.search(re.escape(groups[-1][0].term) + r"\s*\(\s*" + re.escape(m.term), question):
            groups[-1].append(m)
        else:
            groups.append([m])
    return groups


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


def focus_terms(query: Query) -> list[TermMatch]:
    """The noun a question asks for: "Which commissar ...", "Who was the first ambassador ...",
    "hangi sancakları ...", "kaç delege ...". If the evidence has no word for it, the question is
    about something else."""
    if query.language == "tr":
        return _turkish_focus_terms(query)
    words = [w.lower() for w in split_words(query.text)]
    heads = []
    for i, w in enumerate(words):
        start = None
        if w in ("which", "what"):
            start = i + 1
        elif w == "who" and i + 2 < len(words) and words[i + 1] in ("was", "were", "is", "are"):
            start = i + 2 + (words[i + 2] in ("the", "a", "an"))
        if start is None or start >= len(words):
            continue
        j = start
        while j < len(words) and j < start + 5 and words[j] not in _STOP_AFTER_HEAD and not (
                j > start and len(words[j]) > 4 and words[j].endswith("ed")):
            j += 1
        if j > start:
            heads.append(words[j - 1])
    by_term = {m.term.lower(): m for m in query.terms}
    return [by_term[h] for h in heads if h in by_term and h not in GENERIC_HEADS]


def _turkish_focus_terms(query: Query) -> list[TermMatch]:
    """The word after "hangi" or "kaç", unless it only names the kind of answer."""
    words = split_words(query.text)
    heads = {words[i + 1] for i, w in enumerate(words[:-1]) if turkish_lower(w) in ("hangi", "kaç")}
    return [m for m in query.terms if m.term in heads and not fold(m.term).startswith(GENERIC_HEADS_TR)]


def offers(kind: str, text: str, question: str = "") -> bool:
    """Whether a text gives a date, number, ... other than one the question itself gives
    ("Lenin 26 Nisan 1920 tarihli mektuba ne zaman cevap verdi?" is not answered by "26 Nisan 1920")."""
    rx = SENTENCE_OFFERS[kind]
    given = {m.group(0).lower() for m in rx.finditer(question)}
    return any(m.group(0).lower() not in given for m in rx.finditer(text))


# A question may name the part of the article it asks about: "Özete göre ...", "According to the
# conclusion, ...". These are the parts every journal article has, not this article's headings.
SECTION_CUES = {
    "abstract": re.compile(r"\bözet(?:e|te|inde|ine)?\b|\bthe (?:article'?s )?(?:abstract|summary)\b", re.I),
    "introduction": re.compile(r"\bgiriş bölüm|\bthe (?:article'?s )?introduction\b", re.I),
    "conclusion": re.compile(r"\bsonuç bölüm|\bthe (?:article'?s )?(?:conclusions?|concluding)\b", re.I),
}


def asked_parts(question: str) -> set[str]:
    """The parts of an article the question names: "abstract", "introduction", "conclusion"."""
    return {part for part, rx in SECTION_CUES.items() if rx.search(question)}


def question_types(question: str) -> set[str]:
    return {name for name, rx in QUESTION_TYPES.items() if rx.search(question)}
