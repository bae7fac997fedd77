"""Lexical side: Turkish-aware tokenizer and a BM25 index over passages (bm25s).

The tokenizer is built from injectable parts (lowercaser, splitter, stemmer, stopwords), as in
bm25s, so another language is a matter of passing other parts.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Callable, Iterable, Sequence

import numpy as np

# Apostrophes of every kind: a suffix after one is split off ("İstanbul’u" -> "istanbul").
APOSTROPHES = "'’‘`´ʼ"
_TOKEN = re.compile(r"[^\W_]+(?:[" + APOSTROPHES + r"][^\W\d_]+)?", re.UNICODE)

TURKISH_STOPWORDS = frozenset(
    """acaba ama ancak arada aslında ayrıca bana bazen bazı belki ben benden beni benim beri bile
    bir biri birkaç birşey biz bize bizi bizim bu buna bunda bundan bunlar bunları bunların bunu
    bunun burada böyle böylece da daha dahi de defa değil diye diğer dolayı dolayısıyla en gibi göre
    hem hep hepsi her hiç için ile ise kadar ki kim kime kimi kimin kimse mi mı mu mü nasıl ne neden
    nedir nerde nerede nereye niçin niye o olan olarak oldu olduğu olduğunu olmak olması olup olur
    on ona ondan onlar onların onu onun orada öyle pek sadece sanki siz şey şu şuna şunda şundan
    şunu tarafından üzere var ve veya ya yani yine zaten çok çünkü artık hangi hangisi kaç neydi
    nelerdir neler idi imiş olmuştur olmuş olan olduğu etmiştir etti yaptı peki""".split()
)
ENGLISH_STOPWORDS = frozenset(
    """a about above after again against all am an and any are as at be because been before being
    below between both but by can could did do does doing down during each few for from further had
    has have having he her here hers herself him himself his how i if in into is it its itself just
    me more most my myself no nor not now of off on once only or other our ours ourselves out over
    own same she should so some such than that the their theirs them themselves then there these
    they this those through to too under until up very was we were what when where which while who
    whom whose why will with would you your yours according article did does what which""".split()
)


_CIRCUMFLEX = str.maketrans("âîûÂÎÛ", "aiuaiu")


def turkish_lower(text: str) -> str:
    """Lowercase with Turkish dotted/dotless i ("İ" -> "i", "I" -> "ı"); the optional circumflex
    of "millî", "askerî", "hâle" is dropped, as writers use it inconsistently."""
    return text.replace("İ", "i").replace("I", "ı").lower().replace("i̇", "i").translate(_CIRCUMFLEX)


def english_lower(text: str) -> str:
    return text.lower()


def fold(text: str) -> str:
    """Lowercase and strip diacritics: a language-neutral key for names ("Batum" ~ "Batumi")."""
    text = unicodedata.normalize("NFKD", turkish_lower(text))
    return "".join(c for c in text if not unicodedata.combining(c)).replace("ı", "i")


def split_words(text: str) -> list[str]:
    """Words with apostrophe suffixes split off and dropped: "Rusya’nın" -> "Rusya"."""
    out = []
    for m in _TOKEN.finditer(text):
        word = m.group(0)
        for ap in APOSTROPHES:
            word = word.split(ap, 1)[0]
        out.append(word)
    return out


@lru_cache(maxsize=4)
def _snowball(language: str):
    import Stemmer  # PyStemmer

    return Stemmer.Stemmer(language)


# Turkish writes the case and possessive endings of a name after an apostrophe ("Batum'u"), so
# what Snowball cuts from a capitalized word without one is part of the name ("Batum" -> "bat",
# "Lenin" -> "le", "Kâzım" -> "kaz"); only plural and derived endings are cut ("Ruslar", "Türklerin").
_NAME_ENDING = re.compile(r"l[aeıiuü]")


@dataclass
class Tokenizer:
    """split -> lowercase -> drop stopwords -> stem (names only of plural endings); every part can be
    replaced."""

    lower: Callable[[str], str] = turkish_lower
    split: Callable[[str], list[str]] = split_words
    stopwords: frozenset[str] = TURKISH_STOPWORDS
    stemmer: str | None = "turkish"
    # Cut stems to this many letters: Turkish words share a root prefix more reliably than
    # Snowball finds it ("cephane"/"cephaneye"); 0 keeps whole stems.
    prefix: int = 5
    # Apply the Turkish rule that keeps a capitalized word's letters (names take their endings
    # after an apostrophe); English names need no such care.
    keep_names: bool = True
    _cache: dict = field(default_factory=dict, repr=False)

    def __call__(self, text: str) -> list[str]:
        words = []
        for word in self.split(text):
            low = self.lower(word)
            if low not in self.stopwords and (len(low) > 1 or low.isdigit()):
                words.append((low, word[:1].isupper()))
        if not self.stemmer:
            return [low for low, _ in words]
        missing = [key for key in dict.fromkeys(words) if key not in self._cache]
        if missing:
            if len(self._cache) + len(missing) > STEM_CACHE_WORDS:
                self._cache.clear()  # bounded: a server sees new question words for as long as it runs
            stems = _snowball(self.stemmer).stemWords([low for low, _ in missing])
            for (low, name), stem in zip(missing, stems):
                if self.keep_names and name and low.startswith(stem) and not _NAME_ENDING.match(low, len(stem)):
                    stem = low
                self._cache[low, name] = stem if stem.isdigit() or not self.prefix else stem[: self.prefix]
        return [self._cache[key] for key in words]


# Words whose stems a tokenizer remembers: the sources' vocabulary (a few thousand words a text)
# and the questions' new words; past this the memory is dropped and refilled.
STEM_CACHE_WORDS = 200_000


@lru_cache(maxsize=None)
def tokenizer_for(language: str) -> Tokenizer:
    """The tokenizer for text in a language, a source's or a question's (one per language, shared)."""
    if language == "en":
        return Tokenizer(lower=english_lower, stopwords=ENGLISH_STOPWORDS, stemmer="english", prefix=0,
                         keep_names=False)
    return Tokenizer()


class BM25Index:
    """BM25 over passages (bm25s, Lucene scoring)."""

    def __init__(self, texts: Sequence[str], tokenizer: Tokenizer | Sequence[Tokenizer] | None = None,
                 k1: float = 1.2, b: float = 0.75):
        """`tokenizer`: one for every text, or one per text (each text in its own language)."""
        import bm25s

        per_text = tokenizer if isinstance(tokenizer, (list, tuple)) else [tokenizer or Tokenizer()] * len(texts)
        corpus = [tok(t) or ["\u2205"] for tok, t in zip(per_text, texts)]
        self._bm25 = bm25s.BM25(k1=k1, b=b, method="lucene")
        self._bm25.index(corpus, show_progress=False)
        self._vocab = set(self._bm25.vocab_dict)
        self.size = len(texts)

    def scores(self, query_tokens: Iterable[str]) -> np.ndarray:
        """BM25 score of every passage for the query tokens (zeros when none is known)."""
        tokens = [t for t in query_tokens if t in self._vocab]
        if not tokens:
            return np.zeros(self.size, dtype=np.float32)
        return np.asarray(self._bm25.get_scores(tokens), dtype=np.float32)
