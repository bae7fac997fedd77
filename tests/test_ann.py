"""The FAISS index switches to HNSW above IndexSettings.ann_threshold and stays close to exact search.

Quality only, never timing: latency and speed-up are measured by `make bench`.
"""

import faiss
import numpy as np

from rag_history import index as idx
from rag_history.settings import IndexSettings

EF_SEARCH = IndexSettings().hnsw_ef_search


def _clustered(n: int, dim: int = 32, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(40, dim))
    v = centres[rng.integers(0, 40, n)] + 0.4 * rng.normal(size=(n, dim))
    return (v / np.linalg.norm(v, axis=1, keepdims=True)).astype(np.float32)


def test_exact_below_threshold_hnsw_above():
    settings = IndexSettings(ann_threshold=500)
    assert isinstance(idx.make_faiss_index(_clustered(499), settings=settings), faiss.IndexFlatIP)
    hnsw = idx.make_faiss_index(_clustered(500), settings=settings)
    assert isinstance(hnsw, faiss.IndexHNSWFlat)
    assert hnsw.hnsw.efSearch == EF_SEARCH


def test_hnsw_recall_against_exact_and_settings_survive_saving(tmp_path):
    vectors, queries = _clustered(4000), _clustered(50, seed=1)
    exact = idx.make_faiss_index(vectors, exact=True)
    approx = idx.make_faiss_index(vectors, exact=False)
    faiss.write_index(approx, str(tmp_path / "p.faiss"))
    approx = faiss.read_index(str(tmp_path / "p.faiss"))
    assert approx.hnsw.efSearch == EF_SEARCH
    _, want = exact.search(queries, 10)
    _, got = approx.search(queries, 10)
    recall = np.mean([len(set(g) & set(w)) / 10 for g, w in zip(got, want)])
    assert recall >= 0.95
