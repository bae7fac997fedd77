"""Map question terms onto the sources' own vocabulary, across languages, offline.

An English question says "Georgia", "Batumi", "Treaty"; the article says "Gürcistan", "Batum",
"Antlaşması". Every distinct word of the sources is embedded once at build time with the same
multilingual encoder; a question term maps to the source words it is close to, by spelling
(same stem, near-identical folded form) or by embedding. No bilingual word list is involved,
so this carries over to the next article.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass
from difflib import SequenceMatcher

import numpy as np

from .lexical import fold, split_words

# Calibrated on the project's question sets (see eval/README.md): true translations of names
# and nouns score 0.68-0.93, unrelated nearest words 0.40-0.65.
EMBEDDING_MATCH = 0.68
SPELLING_MATCH = 0.8


@dataclass(frozen=True)
class TermMatch:
    term: str
    words: tuple[str, ...]  # source words it maps to, best first (empty: not in the sources)
    score: float  # 1.0 for the same word, else spelling or embedding similarity
    how: str  # "exact", "spelling", "embedding" or "none"

    @property
    def found(self) -> bool:
        return bool(self.words)


def vocabulary_of(texts) -> list[str]:
    """Distinct words of the sources (apostrophe suffixes dropped, numbers left out)."""
    return sorted({w for t in texts for w in split_words(t) if not w.isdigit() and len(w) > 1})


def numbers_of(texts) -> set[str]:
    return {w for t in texts for w in split_words(t) if w.isdigit()}


class TermMapper:
    def __init__(self, vocabulary: list[str], vectors: np.ndarray, encoder, numbers: set[str] = frozenset()):
        self.vocabulary = vocabulary
        self.numbers = frozenset(numbers)
        self.vectors = vectors
        self.encoder = encoder
        # Folded forms sorted, for prefix (same stem) look-ups by bisection.
        self._sorted = sorted((fold(w), i) for i, w in enumerate(vocabulary))
        self._keys = [f for f, _ in self._sorted]
        self._position = {i: j for j, (_, i) in enumerate(self._sorted)}

    def match(self, terms: list[str], neighbours: int = 8) -> list[TermMatch]:
        if not terms:
            return []
        out: list[TermMatch | None] = [self._spelling(t) for t in terms]
        pending = [i for i, m in enumerate(out) if m is None]
        if pending and len(self.vocabulary):
            vectors = self.encoder.encode([terms[i] for i in pending])
            sims = vectors @ self.vectors.T
            for row, i in zip(sims, pending):
                top = np.argsort(-row)[:neighbours]
                words = tuple(self.vocabulary[j] for j in top if row[j] >= EMBEDDING_MATCH)
                out[i] = TermMatch(terms[i], words, float(row[top[0]]), "embedding" if words else "none")
        return [m if m is not None else TermMatch(t, (), 0.0, "none") for m, t in zip(out, terms)]

    def _spelling(self, term: str) -> TermMatch | None:
        key = fold(term)
        if not key:
            return TermMatch(term, (), 0.0, "none")
        if key.isdigit():
            # Numbers are compared as written: a year either is in the sources or it is not.
            return TermMatch(term, (term,), 1.0, "exact") if key in self.numbers else TermMatch(term, (), 0.0, "none")
        stem = key[: max(4, len(key) - 3)]
        same = self._with_prefix(stem)
        if same:
            return TermMatch(term, tuple(self.vocabulary[i] for i in same[:8]), 1.0, "exact")
        # Near-identical spelling ("Batumi" ~ "Batum", "Pasha" ~ "Paşa"): same first two letters.
        best, best_score = None, 0.0
        for i in self._with_prefix(key[:2]):
            f = self._keys[self._position[i]]
            if abs(len(f) - len(key)) <= 3:
                score = SequenceMatcher(None, key, f).ratio()
                if score > best_score:
                    best, best_score = i, score
        if best is not None and best_score >= SPELLING_MATCH:
            return TermMatch(term, (self.vocabulary[best],), best_score, "spelling")
        return None

    def _with_prefix(self, prefix: str) -> list[int]:
        lo = bisect_left(self._keys, prefix)
        hi = bisect_left(self._keys, prefix + "\uffff")
        return [self._sorted[j][1] for j in range(lo, hi)]

