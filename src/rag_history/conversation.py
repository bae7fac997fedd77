"""Follow-up questions: complete what a question leaves out from the one before it.

A chat question often leans on the previous one: "Who signed it?", "Ne zaman?", "Peki Kars?",
"And for the Soviets?". Such a question is completed from the earlier question (which was
itself completed from those before it), and the answer says what it understood ("about: Kars
Antlaşması"). A complete new question is left as it stands: history must never hijack it.

Rules, not a model: what marks a follow-up (no names of its own, a pronoun or a "there" that
points back, an opening "and"/"peki"/"ya") is grammar, the same for every text. Written by hand
because no maintained library resolves Turkish ellipsis and coreference offline.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .lexical import split_words, turkish_lower
from .question import Question

# Words that point back to something named before.
POINTING = {
    "tr": frozenset("""o onu ona onun ondan onda onlar onları onlara onların bu bunu buna bunun bundan bunda
        bunlar bunları bunların şu şunu şuna şunun orada oraya oradan oradaki orası burada buraya buradan
        buradaki aynı sözkonusu""".split()),
    "en": frozenset("it its they them their he him his she her this that these those there then".split()),
}
# The pointing words that stand for a person (or people), which a name before them in the same
# question can be.
PERSONAL = {
    "tr": frozenset("o onu ona onun ondan onda onlar onları onlara onların".split()),
    "en": frozenset("they them their he him his she her".split()),
}
# How a follow-up may open: "Peki Kars?", "Ya Havza'ya?", "And when?", "What about Kars?".
OPENERS = {
    "tr": re.compile(r"^\s*(peki|ya|ayrıca|bir de|ve|o halde|öyleyse)\b[\s,]*", re.I),
    "en": re.compile(r"^\s*(and|what about|how about|and what about|also|then|so|but)\b[\s,]*", re.I),
}
# Content words a follow-up needs to carry its own predicate ("Oraya ne zaman varabildi?").
OWN_PREDICATE_WORDS = 2
# An English preposition before a name: "for Turkey" is replaced by "for the Soviets".
_PREPOSITION = r"(?:for|to|with|in|of|from|by|against|about|on|at)"


@dataclass(frozen=True)
class Resolved:
    text: str  # the question to match, completed from the conversation
    about: str  # what it was understood to be about, as the earlier question names it
    # The earlier question's own words stand in for the follow-up's ("Peki Kars?" asks what the
    # earlier one asked); a follow-up with a predicate of its own asks what it says.
    asks_as_before: bool = False


# "bu dönemde", "o sırada", "in that period": pointing at a time, not at what was asked before.
_TIME_AFTER_POINTING = re.compile(r"^(dönem|sıra|zaman|yıl|süre|tarih|günler|period|time|year|day)", re.I)


def topic(question: Question) -> str:
    """What a question is about, as it names it: its runs of capitalized words ("Moskova
    Antlaşması", "Treaty of Moscow", "Mustafa Kemal"), or what its own follow-up was about."""
    if question.about:
        return question.about
    spans = name_spans(question.text)
    return ", ".join(spans) if spans else ""


def name_spans(text: str) -> list[str]:
    """Runs of capitalized words, joined by "of"/"the" inside English names; a case ending after
    an apostrophe ends a run ("Mustafa Kemal", "Havza'ya"); a first word counts only when the
    run goes on ("Moskova Antlaşması ..." yes, "When ..." no)."""
    spans = []
    word = r"[A-ZÇĞİÖŞÜÂ][\w-]*"
    for m in re.finditer(rf"{word}(?:\s+(?:of\s+(?:the\s+)?)?{word})*(?:['’]\w+)?", text):
        span = m.group(0)
        if m.start() == len(text) - len(text.lstrip()) and " " not in span:
            continue  # one capitalized first word: the start of the sentence
        spans.append(_strip_suffix(span))
    return spans


def _strip_suffix(span: str) -> str:
    words = span.split()
    return " ".join(words[:-1] + [re.split(r"['’]", words[-1])[0]])


def resolve(question: Question, previous: Question | None) -> Resolved | None:
    """The follow-up completed from the question before it, or None for a complete question."""
    if previous is None:
        return None
    language = question.language
    opener = OPENERS.get(language, OPENERS["en"]).match(question.text)
    rest = question.text[opener.end():] if opener else question.text
    words = [turkish_lower(w) if language == "tr" else w.lower() for w in split_words(rest)]
    names = [w for w in question.names if not w.isdigit()]
    named = {turkish_lower(n) if language == "tr" else n.lower() for n in names}
    pointing = any(w in POINTING.get(language, POINTING["en"]) and not _TIME_AFTER_POINTING.match(nxt)
                   # "What did Mustafa Kemal ask Lenin for in his letter?": a personal pronoun
                   # after a name of the question's own is that name, not the earlier topic.
                   and not (w in PERSONAL.get(language, PERSONAL["en"]) and named & set(words[:i]))
                   for i, (w, nxt) in enumerate(zip(words, words[1:] + [""])))
    earlier = topic(previous)
    if not earlier:
        return None
    if names and len(question.words) <= len(names) + 1 and (opener or len(words) <= 3):
        # "Peki Kars?", "Ya Havza'ya?", "And for the Soviets?": the earlier question, with the
        # new name in place of the one it stands for.
        swapped = _swap_name(previous.text, rest, names, language)
        if swapped:
            return Resolved(swapped, topic_of_text(swapped) or earlier, asks_as_before=True)
    if names and not pointing:
        return None  # a question with names of its own and nothing pointing back stands alone
    if names:
        # Its own names, and a word pointing back ("oradaki beyanatında"): add only what it points to.
        return Resolved(f"{question.text} ({earlier})", earlier)
    if len(question.words) >= OWN_PREDICATE_WORDS:
        # "Oraya ne zaman varabildi?", "İkinci maddesi neyi düzenliyordu?": its own predicate, the
        # earlier question's names for what it points to (its words would outweigh the follow-up's).
        return Resolved(f"{question.text} ({earlier})", earlier)
    # Too short to say what it asks of: "Ne zaman?", "Why?", "Sonucu ne oldu?".
    return Resolved(f"{question.text} {previous.text}", earlier)


def topic_of_text(text: str) -> str:
    spans = name_spans(text)
    return ", ".join(spans)


def _swap_name(earlier: str, follow_up: str, names: list[str], language: str) -> str | None:
    """Put the follow-up's name where the earlier question has the one it replaces."""
    new = " ".join(names)
    candidates = [m for m in re.finditer(r"[A-ZÇĞİÖŞÜÂ][\w'’-]*", earlier) if m.start() > 0 or
                  re.match(r"\S+\s+[A-ZÇĞİÖŞÜÂ]", earlier)]
    if not candidates:
        return None
    if language == "en":
        prep = re.match(rf"\s*({_PREPOSITION})\s+(?:the\s+)?", follow_up, re.I)
        if prep:  # "And for the Soviets?" replaces "for Turkey"
            target = re.search(rf"\b{prep.group(1)}\s+(?:the\s+)?([A-Z][\w'’-]*)", earlier)
            if target:
                phrase = follow_up.strip(" ?.!").split(None, 1)[1] if " " in follow_up.strip() else new
                return earlier[:target.start()] + f"{prep.group(1)} {phrase}" + earlier[target.end():]
        target = candidates[-1]  # "the Treaty of Moscow": the name comes last
    else:
        # "Ya Havza'ya?" after "... Samsun'a ne zaman çıktı?": the name with a case ending of its own.
        inflected = [m for m in candidates if re.search(r"['’]\w", m.group(0))] if re.search(r"['’]\w", follow_up) else []
        target = inflected[0] if inflected else candidates[0]  # "Moskova Antlaşması": the name comes first
    word = re.search(r"[\w-]+(?:['’]\w+)?", follow_up[follow_up.find(names[0]):]) if names[0] in follow_up else None
    replacement = word.group(0) if word and language == "tr" else new
    return earlier[:target.start()] + replacement + earlier[target.end():]
