"""Reciprocal rank fusion on hand-made rankings, and the per-language weight of BM25."""

from __future__ import annotations

import numpy as np
import pytest

from rag_history.retrieval import rrf
from rag_history.settings import RetrievalSettings

SETTINGS = RetrievalSettings()
RRF_K = SETTINGS.rrf_k


def order(fused: np.ndarray) -> list[int]:
    return [int(i) for i in np.argsort(-fused, kind="stable") if fused[i] > 0]


def test_one_ranking_keeps_its_order_and_scores_by_rank():
    fused = rrf([(np.array([2, 0, 3]), 1.0)], size=5, k=RRF_K)
    assert order(fused) == [2, 0, 3]
    assert fused[2] == pytest.approx(1 / (RRF_K + 1)) and fused[3] == pytest.approx(1 / (RRF_K + 3))
    assert fused[1] == fused[4] == 0  # never retrieved: no score


def test_agreement_beats_a_single_first_place():
    dense, lexical = np.array([0, 1, 2]), np.array([1, 2, 3])
    assert order(rrf([(dense, 1.0), (lexical, 1.0)], size=4, k=RRF_K))[0] == 1


def test_mirror_rankings_tie_exactly():
    fused = rrf([(np.array([0, 1]), 1.0), (np.array([1, 0]), 1.0)], size=2, k=RRF_K)
    assert fused[0] == fused[1]


def test_weights_decide_between_disagreeing_rankings():
    dense, lexical = np.array([0, 1]), np.array([1, 0])
    assert order(rrf([(dense, 1.0), (lexical, 0.5)], size=2, k=RRF_K)) == [0, 1]
    assert order(rrf([(dense, 0.5), (lexical, 1.0)], size=2, k=RRF_K)) == [1, 0]
    assert order(rrf([(dense, 1.0), (lexical, 0.0)], size=2, k=RRF_K)) == [0, 1]  # weight 0: the ranking is ignored


def test_english_questions_lean_on_the_dense_ranking():
    # Passage 150 is BM25's only hit but far down the dense list; passage 0 is the dense top hit.
    # An English question reaches BM25 only through terms mapped onto the article's words, which
    # miss more often, so there the dense ranking must keep the lead it loses for Turkish.
    dense = np.arange(200)
    lexical = np.array([150])

    def top(weight: float) -> int:
        return order(rrf([(dense, 1.0), (lexical, weight)], size=200, k=RRF_K))[0]

    assert SETTINGS.lexical_weight_other_language < SETTINGS.lexical_weight_same_language
    assert top(SETTINGS.lexical_weight_same_language) == 150
    assert top(SETTINGS.lexical_weight_other_language) == 0
