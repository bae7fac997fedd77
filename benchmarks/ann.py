"""Choose and tune the approximate FAISS index: HNSW and IVF against exact search.

The synthetic corpus's vectors (benchmarks/vectors.py: composed from the default dense model's
sentence vectors), the first N, and for each candidate index: build time, size on disk,
single-query latency at the depth the retriever asks for (RetrievalSettings.dense_candidates),
and recall@10 and @100 against exact search.

    python benchmarks/ann.py --size 100000 --out results/ann.json
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time

import numpy as np

from common import summary_ms, write_json

REPEATS = 3  # passes over the queries; latency is the p50/p95 over all of them


def query_vectors(encoder) -> np.ndarray:
    """The queries as the retriever embeds a question (e5's "query: " side)."""
    from corpus import queries

    return encoder.encode_queries(queries())


def search_latency(index, queries: np.ndarray, k: int, repeats: int = REPEATS) -> tuple[dict, np.ndarray]:
    """One query at a time, as the retriever sends them; returns latency and the ids found."""
    ids = np.empty((len(queries), k), dtype=np.int64)
    times = []
    for r in range(repeats):
        for i, q in enumerate(queries):
            start = time.perf_counter()
            _, found = index.search(q[None, :], k)
            times.append(time.perf_counter() - start)
            if r == 0:
                ids[i] = found[0]
    return summary_ms(times), ids


def recall(found: np.ndarray, exact: np.ndarray, at: int) -> float:
    """Mean share of the exact top-`at` that the approximate search also returned in its top `at`."""
    hits = [len(set(f[:at].tolist()) & set(e[:at].tolist())) / at for f, e in zip(found, exact)]
    return round(float(np.mean(hits)), 4)


def disk_mb(index) -> float:
    import faiss

    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "i.faiss")
        faiss.write_index(index, path)
        return round(os.path.getsize(path) / 2**20, 1)


def candidates(dim: int, n: int):
    """(label, factory, search-time settings) for each index tried."""
    import faiss

    def hnsw(m, ef_construction):
        def make():
            index = faiss.IndexHNSWFlat(dim, m, faiss.METRIC_INNER_PRODUCT)
            index.hnsw.efConstruction = ef_construction
            return index
        return make

    def ivf(nlist):
        def make():
            return faiss.IndexIVFFlat(faiss.IndexFlatIP(dim), dim, nlist, faiss.METRIC_INNER_PRODUCT)
        return make

    def set_ef(ef):
        return lambda index: setattr(index.hnsw, "efSearch", ef)

    def set_nprobe(p):
        return lambda index: setattr(index, "nprobe", p)

    out = []
    for m, efc in ((16, 80), (32, 80), (32, 160)):
        out.append((f"HNSW M={m} efC={efc}", hnsw(m, efc), [(f"efSearch={e}", set_ef(e)) for e in (100, 160, 256)]))
    nlist = max(16, int(4 * n ** 0.5))  # the usual 4·√n lists
    out.append((f"IVF-Flat nlist={nlist}", ivf(nlist), [(f"nprobe={p}", set_nprobe(p)) for p in (8, 16, 32, 64)]))
    return out


def sweep(vectors: np.ndarray, queries: np.ndarray, k: int) -> dict:
    import faiss

    exact_index = faiss.IndexFlatIP(vectors.shape[1])
    exact_index.add(vectors)
    exact_latency, exact = search_latency(exact_index, queries, k)
    rows = [{"index": "Flat (exact)", "search": "", "build_s": 0.0, "disk_mb": disk_mb(exact_index),
             **exact_latency, "recall@10": 1.0, f"recall@{k}": 1.0, "speedup": 1.0}]
    for label, make, settings in candidates(vectors.shape[1], len(vectors)):
        start = time.perf_counter()
        index = make()
        if not index.is_trained:
            index.train(vectors)
        index.add(vectors)
        build = round(time.perf_counter() - start, 2)
        size = disk_mb(index)
        for name, apply in settings:
            apply(index)
            latency, found = search_latency(index, queries, k)
            rows.append({"index": label, "search": name, "build_s": build, "disk_mb": size, **latency,
                         "recall@10": recall(found, exact, 10), f"recall@{k}": recall(found, exact, k),
                         "speedup": round(exact_latency["p50_ms"] / latency["p50_ms"], 1)})
            print(rows[-1], flush=True)
    return {"n": len(vectors), "k": k, "queries": len(queries), "rows": rows}


def main() -> None:
    from rag_history.embedding import DEFAULT_MODEL, Encoder
    from rag_history.settings import RetrievalSettings
    from vectors import corpus_vectors

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--out", help="write the figures here as JSON (default: print them)")
    parser.add_argument("--embed", action="store_true", help="embed every passage (cached) instead of composing")
    args = parser.parse_args()
    encoder = Encoder(DEFAULT_MODEL)
    vectors, meta = corpus_vectors(args.size, encoder, embed_all=args.embed)
    write_json(args.out, {**sweep(vectors, query_vectors(encoder), RetrievalSettings().dense_candidates),
                          "vectors": meta})


if __name__ == "__main__":
    main()
