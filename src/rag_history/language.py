"""Language of a text or question: Turkish or English, from letters and function words.

Small and dependency-free on purpose: the retriever weights and the abstention message only
need to tell the article's language from the student's.
"""

from __future__ import annotations

import re

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


# The same words as typed without Turkish letters ("nasil", "kac", "icin"): a question typed
# on a keyboard without them is still Turkish.
_ASCII = str.maketrans("çğıöşüâîû", "cgiosuaiu")
_TR_WORDS_TYPED = frozenset(w.translate(_ASCII) for w in _TR_WORDS) - _EN_WORDS - {"a", "i"}


def detect_language(text: str, default: str = "tr") -> str:
    words = [w.replace("İ", "i").replace("I", "ı").lower() if not w.isascii() else w.lower()
             for w in _WORD.findall(text)]
    if not words:
        return default
    tr = sum(w in _TR_WORDS or w in _TR_WORDS_TYPED or not _TR_LETTERS.isdisjoint(w) for w in words)
    en = sum(w in _EN_WORDS for w in words)
    if tr == en:
        return default
    return "tr" if tr > en else "en"
