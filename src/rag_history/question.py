"""What a user typed, made safe to ask: cleaned, length-limited, or refused with a reason."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from .errors import QuestionError

MAX_QUESTION_CHARS = 500
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")


@dataclass(frozen=True)
class CleanQuestion:
    text: str
    notice: str = ""  # shown with the answer, e.g. that the question was cut


def clean_question(raw) -> CleanQuestion:
    if raw is None:
        raise QuestionError("Please type a question. / Lütfen bir soru yazın.")
    if isinstance(raw, bytes):
        raw = raw.decode("utf-8", errors="replace")
    text = unicodedata.normalize("NFC", str(raw))
    text = _CONTROL.sub(" ", text).replace("\ufffd", " ")
    text = re.sub(r"\s+", " ", text).strip()
    if not any(ch.isalnum() for ch in text):
        raise QuestionError("Please type a question. / Lütfen bir soru yazın.")
    if len(text) > MAX_QUESTION_CHARS:
        cut = text[:MAX_QUESTION_CHARS].rsplit(" ", 1)[0]
        return CleanQuestion(cut, f"The question was cut to its first {len(cut)} characters "
                                  f"(limit {MAX_QUESTION_CHARS}).")
    return CleanQuestion(text)
