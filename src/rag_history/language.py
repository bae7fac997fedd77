"""Language of a text: Turkish or English.

Two detectors, each where it measured best:

- `text_language` (source texts, their sections and paragraphs): lingua-language-detector,
  restricted to Turkish and English. Lazy model loading: import, build and the first two whole
  texts take 0.17 s and 14 MB (preloading every model instead: 2.9 s and 131 MB;
  `benchmarks/language.py`). On the 522 paragraphs of 40 characters or more of the five real
  texts (the article and the four readings) it gets 501 right, the function-word detector 473;
  most of what both miss are reference entries made of transliterated Arabic names.
- `detect_language` (questions, a few words): function words and Turkish letters. On the 291
  questions of the eval sets and the readings' question sets with a `lang` it gets 291 right,
  lingua 290 ("When did Mustafa Kemal Pasha land at Samsun?" is Turkish to lingua); it is also
  dependency-free and instant for the retriever weights and the abstention message.
"""

from __future__ import annotations

import re
from functools import lru_cache

_TR_LETTERS = set("çğıöşüÇĞİÖŞÜâîûÂÎÛ")
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
_TR_WORDS = frozenset(
    "ve bir bu da de ile için ne neden nasıl hangi kim kimi kimin kaç nerede ne zaman mı mi mu mü "
    "olan olarak gibi daha en çok ise ya veya ama fakat göre sonra önce arasında karşı neydi nedir "
    "oldu olmuştur hakkında yazara makale makaleye".split()
)
_EN_WORDS = frozenset(
    "the and of to in a an is was were are what who whom whose which when where why how did does do "
    "with for from by on at as that this these those it its their his her according article".split()
)
# Fewer letters than this say too little for the n-gram detector: the function-word one decides.
MIN_LETTERS = 12
# The n-gram detector reads this much of a text at most: enough to know its language, and a
# 1 MB paragraph costs no more than a page.
SAMPLE_CHARS = 3000


# The same words as typed without Turkish letters ("nasil", "kac", "icin"): a question typed
# on a keyboard without them is still Turkish.
_ASCII = str.maketrans("çğıöşüâîû", "cgiosuaiu")
_TR_WORDS_TYPED = frozenset(w.translate(_ASCII) for w in _TR_WORDS) - _EN_WORDS - {"a", "i"}


def detect_language(text: str, default: str = "tr") -> str:
    """The language of a short text (a question): "tr" or "en", `default` when undecided."""
    words = [w.replace("İ", "i").replace("I", "ı").lower() if not w.isascii() else w.lower()
             for w in _WORD.findall(text)]
    if not words:
        return default
    tr = sum(w in _TR_WORDS or w in _TR_WORDS_TYPED or not _TR_LETTERS.isdisjoint(w) for w in words)
    en = sum(w in _EN_WORDS for w in words)
    if tr == en:
        return default
    return "tr" if tr > en else "en"


@lru_cache(maxsize=1)
def lingua_detector():
    """The lingua detector for Turkish and English (built once), and its language codes."""
    from lingua import Language, LanguageDetectorBuilder

    detector = LanguageDetectorBuilder.from_languages(Language.TURKISH, Language.ENGLISH).build()
    return detector, {Language.TURKISH: "tr", Language.ENGLISH: "en"}


def text_language(text: str, default: str = "tr") -> str:
    """The language of a source text or a part of it: "tr" or "en", `default` when undecided."""
    sample = text[:SAMPLE_CHARS]
    if sum(ch.isalpha() for ch in sample[:4 * MIN_LETTERS]) < MIN_LETTERS:
        return detect_language(sample, default)
    detector, codes = lingua_detector()
    return codes.get(detector.detect_language_of(sample), default)
