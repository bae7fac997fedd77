"""What a user typed, made safe to ask: cleaned, length-limited, or refused with a reason.

Every way in (command line, stdin, Python, web) passes through `clean_question`, so each gets
the same treatment: control characters, invisible direction marks and undecodable bytes become
spaces, and an over-long question is cut with a notice rather than refused. The question is
only ever matched against the source, never executed or rendered, so markup in it is harmless
text; keeping it as typed keeps the answer record honest about what was asked.
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
EMPTY = "Please type a question. / Lütfen bir soru yazın."


@dataclass(frozen=True)
class CleanQuestion:
    text: str
    notice: str = ""  # shown with the answer, e.g. that the question was cut


def clean_question(raw) -> CleanQuestion:
    if raw is None:
        raise QuestionError(EMPTY)
    if isinstance(raw, bytes):
        raw = raw[:MAX_INPUT_BYTES].decode("utf-8", errors="replace")
    text = _CONTROL.sub(" ", unicodedata.normalize("NFC", str(raw)))
    text = re.sub(r"\s+", " ", text).strip()
    if not any(ch.isalnum() for ch in text):
        raise QuestionError(EMPTY)
    if len(text) > MAX_QUESTION_CHARS:
        cut = text[:MAX_QUESTION_CHARS]
        if " " in cut:  # cut between words
            cut = cut.rsplit(" ", 1)[0]
        return CleanQuestion(cut, f"The question was cut to its first {len(cut)} characters "
                                  f"(limit {MAX_QUESTION_CHARS}). / Soru ilk {len(cut)} karakterine "
                                  f"kısaltıldı (sınır {MAX_QUESTION_CHARS}).")
    return CleanQuestion(text)
