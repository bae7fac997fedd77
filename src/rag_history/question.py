"""What a user typed, made safe to ask: cleaned, length-limited, or refused with a reason.

Every way in (command line, stdin, Python, web) passes through `clean_question`, so each gets
the same treatment: control characters, invisible direction marks and undecodable bytes become
spaces, and an over-long question keeps its last asking sentence (students put the question
after their preamble) plus what fits before it, with a notice, rather than being refused. The
question is only ever matched against the sources, never executed or rendered, so markup in it
is harmless text; keeping it as typed keeps the answer record honest about what was asked.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from .errors import QuestionError

MAX_QUESTION_CHARS = 500
# Read at most this much of a piped question: a question is cut to MAX_QUESTION_CHARS anyway,
# and an unbounded read of a runaway pipe would only fill memory.
MAX_INPUT_BYTES = 64 * 1024
# C0/C1 controls (tab and newline become spaces below), zero-width and bidi controls (which could
# make a question display differently from what is matched), BOM, and lone surrogates: what
# Python makes of invalid UTF-8 on the command line (surrogateescape), unprintable as it stands.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff"
                      r"\ud800-\udfff\ufffd]")
EMPTY = {"en": "Please type a question.", "tr": "Lütfen bir soru yazın."}
# The earlier questions a question is read with: a follow-up leans on the last one or two; six
# leave room for a detour, and bound what every way in (chat, API, batch, terminal) carries.
MAX_HISTORY_QUESTIONS = 6
# A sentence of a long question ends at . ! ? … followed by a space.
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+")


@dataclass(frozen=True)
class CleanQuestion:
    text: str
    omitted: int = 0  # characters of a long question left out (its preamble, or the rest of it)
    typed_length: int = 0  # characters as typed, after cleaning


def empty_question() -> QuestionError:
    return QuestionError(f"{EMPTY['en']} / {EMPTY['tr']}", by_language=EMPTY)


def clean_question(raw) -> CleanQuestion:
    if raw is None:
        raise empty_question()
    if isinstance(raw, bytes):
        raw = raw[:MAX_INPUT_BYTES].decode("utf-8", errors="replace")
    text = _CONTROL.sub(" ", unicodedata.normalize("NFC", str(raw)))
    # Emoji and other pictographs (and their variation selector) say nothing a source could
    # answer, and only move the question's embedding: "🇹🇷 ... 😀" is the question without them.
    text = "".join(" " if unicodedata.category(ch) == "So" else ch for ch in text if ch != "\ufe0f")
    text = re.sub(r"\s+", " ", text).strip()
    if not any(ch.isalnum() for ch in text):
        raise empty_question()
    if len(text) <= MAX_QUESTION_CHARS:
        return CleanQuestion(text, 0, len(text))
    kept = _keep_the_question(text)
    return CleanQuestion(kept, len(text) - len(kept), len(text))


def _keep_the_question(text: str) -> str:
    """The last sentence that asks (ends in "?"; else the last sentence), plus the sentences
    before it that fit in MAX_QUESTION_CHARS. An asking sentence longer than the limit keeps
    its end, where Turkish puts the question word, cut between words."""
    sentences = [s for s in _SENTENCE_END.split(text) if s]
    asking = max((i for i, s in enumerate(sentences) if s.rstrip().endswith("?")), default=len(sentences) - 1)
    kept = sentences[asking]
    if len(kept) > MAX_QUESTION_CHARS:
        tail = kept[-MAX_QUESTION_CHARS:]
        return tail.split(" ", 1)[1] if " " in tail else tail
    for before in reversed(sentences[:asking]):
        if len(before) + 1 + len(kept) > MAX_QUESTION_CHARS:
            break
        kept = f"{before} {kept}"
    return kept


def cut_notice(omitted: int, typed_length: int, language: str) -> str:
    """What the reader is told about a long question, in the question's language."""
    if not omitted:
        return ""
    if language == "tr":
        return (f"Soru uzundu ({typed_length} karakter, sınır {MAX_QUESTION_CHARS}): yalnızca soran "
                f"cümle ve öncesinden sığan kısım kullanıldı; {omitted} karakter dışarıda kaldı.")
    return (f"The question was long ({typed_length} characters, limit {MAX_QUESTION_CHARS}): only its "
            f"asking sentence and what fits before it were used; {omitted} characters were left out.")


@dataclass(frozen=True)
class Question:
    """A question as read once (reading.py), which every later stage takes as it is."""

    typed: str  # as the user typed it, cleaned: what the answer record shows
    text: str  # as matched: a follow-up completed from its conversation
    language: str  # "tr" or "en"
    asks_for: frozenset[str]  # date, person, place, number, reason, consequence, manner
    words: tuple[str, ...]  # content words as written (stopwords dropped), for term mapping
    names: tuple[str, ...]  # its names and numbers: what an answer must be about
    focus: tuple[str, ...]  # the noun it asks for ("which commissar", "kaç delege")
    aliases: tuple[tuple[str, ...], ...]  # names written with another in parentheses: "Gyumri (Gümrü)"
    parts: frozenset[str] = frozenset()  # the parts of a text it names: abstract, introduction, conclusion
    source: str | None = None  # the one text it is limited to
    about: str = ""  # what a follow-up was understood to be about ("" for a complete question)
    history: tuple[str, ...] = ()  # the earlier questions of the conversation, oldest first
    omitted: int = 0  # characters of a long question that were left out
    typed_length: int = 0
