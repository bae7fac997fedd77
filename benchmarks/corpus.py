"""Synthetic corpora of N passages built deterministically from the article's sentences.

A passage is three distinct article sentences in a seeded random order; each set of sentences
is used once, so no two passages are the same text or the same sentences reordered. Sharing
single sentences with many others makes the vectors cluster more tightly than a real corpus
of many articles would, which makes approximate search harder, not easier.
"""

from __future__ import annotations

import random
from functools import lru_cache

from common import ROOT

SEED = 20261124
PER_PASSAGE = 3


@lru_cache(maxsize=1)
def article_sentences() -> tuple[str, ...]:
    from rag_history.citations import strip_citations
    from rag_history.source import load_documents

    docs = load_documents(ROOT / "source_texts")
    return tuple(strip_citations(s.text) for d in docs for s in d.sentences)


def passages(n: int, seed: int = SEED) -> list[str]:
    """The first n passages of the seeded sequence (so the 1k corpus is a prefix of the 100k one)."""
    sentences = article_sentences()
    rng = random.Random(seed)
    seen: set[frozenset[int]] = set()
    out: list[str] = []
    while len(out) < n:
        picks = rng.sample(range(len(sentences)), PER_PASSAGE)
        key = frozenset(picks)
        if key in seen:
            continue
        seen.add(key)
        out.append(" ".join(sentences[i] for i in picks))
    return out


def queries() -> list[str]:
    """The question set plus every article sentence: realistic questions and near-duplicate probes."""
    from common import questions

    return questions() + list(article_sentences())
