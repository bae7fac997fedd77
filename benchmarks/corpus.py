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
def article():
    """The largest source text: the article."""
    from rag_history.source import load_documents

    return max(load_documents(ROOT / "source_texts"), key=lambda d: len(d.sentences))


@lru_cache(maxsize=1)
def article_sentences() -> tuple[str, ...]:
    from rag_history.citations import strip_citations

    return tuple(strip_citations(s.text) for s in article().sentences)


def passage_sentences(n: int, seed: int = SEED) -> list[tuple[int, ...]]:
    """The article sentences of the first n passages of the seeded sequence (1k is a prefix of 100k)."""
    count = len(article_sentences())
    rng = random.Random(seed)
    seen: set[frozenset[int]] = set()
    out: list[tuple[int, ...]] = []
    while len(out) < n:
        picks = tuple(rng.sample(range(count), PER_PASSAGE))
        if frozenset(picks) not in seen:
            seen.add(frozenset(picks))
            out.append(picks)
    return out


def passages(n: int, seed: int = SEED) -> list[str]:
    sentences = article_sentences()
    return [" ".join(sentences[i] for i in picks) for picks in passage_sentences(n, seed)]


def queries() -> list[str]:
    """The question set plus every article sentence: realistic questions and near-duplicate probes."""
    from common import questions

    return questions() + list(article_sentences())
