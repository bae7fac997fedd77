"""How cost grows with the corpus: a synthetic corpus of N passages through the product's index.

For one size: embed the passages with the default encoder (progress bar), build the FAISS index
the product would build (index.make_faiss_index: exact below ANN_THRESHOLD, approximate above),
its size on disk and in memory, dense search latency at the retriever's depth, the approximate
index's recall@10 and speed-up against exact search, and the full hybrid retrieval (question
embedding, FAISS, BM25, fusion) over the same passages. One size per process, so peak memory is
that size's own.

    python benchmarks/scale.py --size 10000 --out results/scale-10000.json [--reuse]
"""

from __future__ import annotations

import argparse
import dataclasses
import tempfile
import time
from pathlib import Path


from ann import disk_mb, query_vectors, recall, search_latency
from common import ROOT, peak_rss_mb, questions, rss_mb, summary_ms, write_json
import corpus
from vectors import corpus_vectors


def hybrid_latency(n: int, faiss_index, encoder, rounds: int = 3, profile: bool = False) -> tuple[float, dict, dict]:
    """BM25 build time and latency of Retriever.query + search, as Assistant.ask pays them.

    The article's own index (built privately) supplies everything but the passages, so the
    retriever sees exactly what it would load, with the synthetic passages and FAISS index in.
    """
    from rag_history.config import Settings
    from rag_history.index import build_index, load_index
    from rag_history.retrieval import Retriever

    with tempfile.TemporaryDirectory(prefix="rag-bench-scale-") as tmp:
        build_index(ROOT / "source_texts", Path(tmp), Settings.from_env().build, encoder, progress=False)
        article = load_index(Path(tmp))
    # Synthetic chunks are real Chunk records of the article, with the passage's text and sentences.
    template = next(c for c in article.chunks if c.source == corpus.article().name)
    chunks = [dataclasses.replace(template, id=f"synthetic-{i}", text=text, sentences=picks, context="")
              for i, (text, picks) in enumerate(zip(corpus.passages(n), corpus.passage_sentences(n)))]
    index = dataclasses.replace(article, chunks=chunks, faiss_index=faiss_index)
    start = time.perf_counter()
    retriever = Retriever(index, encoder)
    bm25_build = time.perf_counter() - start
    qs = questions()
    full, search = [], []
    for _ in range(rounds):
        for q in qs:
            t0 = time.perf_counter()
            query = retriever.query(q)
            t1 = time.perf_counter()
            retriever.search(query, 5)
            t2 = time.perf_counter()
            full.append(t2 - t0)
            search.append(t2 - t1)  # the part that grows with the corpus: dense + BM25 + fusion
    if profile:
        import cProfile
        import pstats

        queries = [retriever.query(q) for q in qs]
        profiler = cProfile.Profile()
        profiler.runcall(lambda: [retriever.search(query, 5) for query in queries])
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(15)
    return round(bm25_build, 2), summary_ms(full), summary_ms(search)


def main() -> None:
    import faiss

    from rag_history import index as product_index
    from rag_history.embedding import Encoder
    from rag_history.settings import RetrievalSettings

    DENSE_CANDIDATES = RetrievalSettings().dense_candidates

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", type=int, required=True)
    parser.add_argument("--out", help="write the figures here as JSON (default: print them)")
    parser.add_argument("--reuse", action="store_true", help="slice cached vectors instead of embedding again")
    parser.add_argument("--threads", type=int, default=1,
                        help="USE BLAS threads while embedding (1: fastest on two shared cores)")
    parser.add_argument("--profile", action="store_true", help="print where Retriever.search spends its time")
    args = parser.parse_args()

    encoder = Encoder()
    vectors, meta = corpus_vectors(args.size, encoder=encoder, reuse=args.reuse, threads=args.threads)
    queries = query_vectors(encoder)
    base_rss = rss_mb()

    start = time.perf_counter()
    index = product_index.make_faiss_index(vectors)
    build_s = time.perf_counter() - start
    index_rss = rss_mb() - base_rss
    approximate = not isinstance(index, faiss.IndexFlat)
    latency, found = search_latency(index, queries, DENSE_CANDIDATES)
    result = {
        "n": args.size, "embedding": meta, "index_type": type(index).__name__, "approximate": approximate,
        "faiss_build_s": round(build_s, 2), "disk_mb": disk_mb(index), "index_rss_mb": round(index_rss, 1),
        "vectors_mb": round(vectors.nbytes / 2**20, 1), "dense_search": latency,
    }
    if approximate:
        exact = product_index.make_faiss_index(vectors, exact=True)
        exact_latency, exact_ids = search_latency(exact, queries, DENSE_CANDIDATES)
        result.update({"exact_search": exact_latency, "recall@10": recall(found, exact_ids, 10),
                       f"recall@{DENSE_CANDIDATES}": recall(found, exact_ids, DENSE_CANDIDATES),
                       "speedup_p50": round(exact_latency["p50_ms"] / latency["p50_ms"], 1)})
        del exact
    result["bm25_build_s"], result["hybrid_retrieval"], result["retrieval_search"] = hybrid_latency(
        args.size, index, encoder, profile=args.profile)
    result["peak_rss_mb"] = round(peak_rss_mb(), 1)
    write_json(args.out, result)


if __name__ == "__main__":
    main()
