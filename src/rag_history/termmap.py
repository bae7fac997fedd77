"""Map question terms onto the sources' own vocabulary, across languages, offline.

An English question says "Georgia", "Batumi", "Treaty"; the article says "Gürcistan", "Batum",
"Antlaşması". Every distinct word of the sources is embedded once at build time with the same
multilingual encoder; a question term maps to the source words it is close to, by spelling
(same stem, near-identical folded form) or by embedding. No bilingual word list is involved,
so this carries over to the next article. A name that a Turkish question writes the Turkish way
and an English text the English way ("Keşmir" / "Kashmir", "Ekber" / "Akbar", "Cafer" / "Jaʿfar")
meets it by its transliteration key: the consonants left when both spellings are folded to the
same letters (written by hand: the transliteration libraries turn a script into Latin letters,
not one Latin spelling into another).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import cached_property

import numpy as np

from .settings import TermSettings
from .lexical import ENGLISH_STOPWORDS, TURKISH_STOPWORDS, fold, split_words, turkish_lower



# Letters that different romanizations write differently, to one letter each (after folding,
# which makes ş s, ç c, ğ g, ā a, ṣ s): "sh"/"ş", "ch"/"ç", "j"/"c" (Cafer / Jafar), "q"/"k".
_ROMANIZED = (("sh", "s"), ("ch", "c"), ("kh", "h"), ("gh", "g"), ("th", "t"), ("ph", "f"), ("dh", "z"),
              ("j", "c"), ("q", "k"), ("w", "v"), ("x", "ks"))


def transliteration_key(word: str) -> str:
    """A name's consonants, as any romanization spells them: "Keşmir" and "Kashmir" give "ksmr"."""
    key = re.sub(r"[^a-z]", "", fold(word))
    for a, b in _ROMANIZED:
        key = key.replace(a, b)
    key = re.sub(r"(.)\1+", r"\1", key)  # "Lappland", "Muḥammad"
    head = "a" if key[:1] in "aeiouy" else ""  # a name that opens with a vowel keeps one: "Ekber" / "Akbar"
    return head + re.sub(r"[aeiouy]", "", key)


@dataclass(frozen=True)
class TermMatch:
    term: str
    words: tuple[str, ...]  # source words it maps to, best first (empty: not in the sources)
    score: float  # 1.0 for the same word, else spelling or embedding similarity
    how: str  # "exact", "spelling", "embedding" or "none"
    related: tuple[str, ...] = ()  # words, plus embedding neighbours down to TermSettings.related_match
    # For a Turkish word found by its stem: its nearest words in the sources of other languages
    # ("sınırlarını" ~ "boundaries"), which the stem alone never reaches.
    translations: tuple[str, ...] = ()

    @property
    def found(self) -> bool:
        return bool(self.words)


def vocabulary_of(texts) -> list[str]:
    """Distinct content words of the sources (apostrophe suffixes dropped; numbers and function
    words left out, so that "arrive" cannot map onto "to")."""
    stop = TURKISH_STOPWORDS | ENGLISH_STOPWORDS
    words = {w for t in texts for w in split_words(t) if not w.isdigit() and len(w) > 1}
    return sorted(w for w in words if turkish_lower(w) not in stop and w.lower() not in stop)


def _best(scores: np.ndarray, k: int) -> np.ndarray:
    """The positions of the k highest scores, highest first."""
    top = np.argpartition(-scores, k - 1)[:k]
    return top[np.argsort(-scores[top])]


def languages_of(texts) -> dict[str, frozenset[str]]:
    """Each word of (text, language) pairs, with the languages of the texts that write it (its
    numbers among them: a year is in the sources as written or not at all)."""
    out: dict[str, set[str]] = {}
    for text, language in texts:
        for w in split_words(text):
            out.setdefault(w, set()).add(language)
    return {w: frozenset(ls) for w, ls in out.items()}


class TermMapper:
    def __init__(self, vocabulary: list[str], vectors: np.ndarray, encoder, numbers: set[str] = frozenset(),
                 settings: TermSettings = TermSettings(), languages: dict[str, frozenset[str]] | None = None):
        self.settings = settings
        self.vocabulary = vocabulary
        # The languages of the sentences each word is written in (none given: every word in every one).
        self._languages = [(languages or {}).get(w, frozenset()) for w in vocabulary]
        self._foreign: dict[str, np.ndarray] = {}  # per question language: the words no source of it writes
        self.numbers = frozenset(numbers)
        self.vectors = vectors
        self.encoder = encoder
        # Folded forms sorted, for prefix (same stem) look-ups by bisection.
        self._sorted = sorted((fold(w), i) for i, w in enumerate(vocabulary))
        self._keys = [f for f, _ in self._sorted]
        self._position = {i: j for j, (_, i) in enumerate(self._sorted)}

    def match(self, terms: list[str], language: str = "tr", neighbours: int = 8,
              vectors: np.ndarray | None = None) -> list[TermMatch]:
        """Map each term by spelling and by embedding; the source words of both, spelling first.

        A Turkish term found by its stem keeps to that stem: its embedding neighbours among
        Turkish words are look-alikes ("delege" ~ "denge"); its nearest words written only in
        the sources of other languages are kept apart, as its translations ("sınırlarını" ~
        "boundaries"). An English term keeps its neighbours in every language: restricted the
        same way, English answers fell (0.823 to 0.807 cross-validated, eval/README.md).
        """
        if not terms:
            return []
        # Near-identical spelling bridges names across languages ("Batumi" ~ "Batum"); for other
        # words it only finds look-alikes ("atılmasını" ~ "Antlaşmasının", "source" ~ "sürece").
        spelled = [self._spelling(t, fuzzy=t[:1].isupper()) for t in terms]
        if not len(self.vocabulary):
            return [m or TermMatch(t, (), 0.0, "none") for m, t in zip(spelled, terms)]
        if vectors is None:
            vectors = self.encoder.encode(list(terms))
        sims = vectors @ self.vectors.T
        k = min(neighbours, sims.shape[1])
        out = []
        for term, m, row in zip(terms, spelled, sims):
            top = _best(row, k)
            near = tuple(self.vocabulary[j] for j in top if row[j] >= self.settings.embedding_match)
            loose = tuple(self.vocabulary[j] for j in top if row[j] >= self.settings.related_match)
            if term.isdigit():
                near = loose = ()  # a year is in the sources as written or not at all
            if m is not None and m.how == "exact" and language == "tr":
                translated = self._translations(row, language, k)
                out.append(TermMatch(term, m.words, m.score, m.how, m.words + translated, translated))
            elif m is not None:
                words = m.words + tuple(w for w in near if w not in m.words)
                out.append(TermMatch(term, words, m.score, m.how, words + tuple(w for w in loose if w not in words)))
            else:
                out.append(TermMatch(term, near, float(row[top[0]]), "embedding" if near else "none", loose))
        return out

    def _translations(self, row: np.ndarray, language: str, k: int) -> tuple[str, ...]:
        """The nearest words, by the term model, of the sources in other languages only."""
        if language not in self._foreign:
            self._foreign[language] = np.flatnonzero([bool(ls) and language not in ls for ls in self._languages])
        foreign = self._foreign[language]
        if not len(foreign):
            return ()
        scores = row[foreign]
        top = _best(scores, min(k, len(foreign)))
        return tuple(self.vocabulary[foreign[j]] for j in top if scores[j] >= self.settings.embedding_match)[:3]

    def _spelling(self, term: str, fuzzy: bool = True) -> TermMatch | None:
        key = fold(term)
        if not key:
            return TermMatch(term, (), 0.0, "none")
        if key.isdigit():
            # Numbers are compared as written: a year either is in the sources or it is not.
            return TermMatch(term, (term,), 1.0, "exact") if key in self.numbers else TermMatch(term, (), 0.0, "none")
        stem = key[: max(5, len(key) - 3)]
        same = self._with_prefix(stem)
        if same:
            return TermMatch(term, tuple(self.vocabulary[i] for i in same[:8]), 1.0, "exact")
        if not fuzzy:
            return None
        # A name the other language romanizes otherwise ("Cafer" / "Jaʿfar", before "Cafer" ~ "car").
        translit = transliteration_key(term)
        if len(translit.lstrip("a")) >= self.settings.transliteration_consonants and translit in self._transliterated:
            words = tuple(self.vocabulary[i] for i in self._transliterated[translit][:8])
            return TermMatch(term, words, self.settings.spelling_match, "spelling")
        # Near-identical spelling ("Batumi" ~ "Batum", "Pasha" ~ "Paşa", "Gyumri" ~ "Gümrü").
        best, best_score = None, 0.0
        matcher = SequenceMatcher(None, b=key)
        for i in self._with_prefix(key[:1]):
            f = self._keys[self._position[i]]
            if abs(len(f) - len(key)) > 3:
                continue
            matcher.set_seq1(f)
            limit = self.settings.spelling_match
            if matcher.real_quick_ratio() >= limit and matcher.quick_ratio() >= limit:
                score = matcher.ratio()
                if score > best_score:
                    best, best_score = i, score
        if best is not None and best_score >= self.settings.spelling_match:
            return TermMatch(term, (self.vocabulary[best],), best_score, "spelling")
        return None

    @cached_property
    def _transliterated(self) -> dict[str, list[int]]:
        """The capitalized words (names) by their transliteration key; built at the first name the
        spelling does not find, not at start-up."""
        out: dict[str, list[int]] = {}
        for i, w in enumerate(self.vocabulary):
            if w[:1].isupper():
                out.setdefault(transliteration_key(w), []).append(i)
        return out

    def _with_prefix(self, prefix: str) -> list[int]:
        lo = bisect_left(self._keys, prefix)
        hi = bisect_left(self._keys, prefix + "\uffff")
        return [self._sorted[j][1] for j in range(lo, hi)]

