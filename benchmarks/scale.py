"""How cost grows with the corpus: a synthetic corpus of N passages through the product's index
and the whole answer.

For one size: the passages' vectors (`vectors.py`: composed from the e5 vectors of their
sentences unless `--embed`), the FAISS index the product would build (`index.make_faiss_index`:
exact below `IndexSettings.ann_threshold`, HNSW above), its size on disk and in memory, dense
search latency at the retriever's depth, the approximate index's recall@10/@100 against exact
search, and the full `Assistant.ask` over the N passages against the same answer over the
article alone. The two assistants share the encoders and answer each question in turn, so a
burst of load on the shared machine falls on both alike; the figure of the target is the
median of the paired differences. One size per process, so peak memory is that size's own.

    python benchmarks/scale.py --size 10000 --out results/scale-10000.json [--embed]
"""

from __future__ import annotations

import argparse
import dataclasses
import tempfile
import time
from pathlib import Path

from ann import disk_mb, query_vectors, recall, search_latency
from common import ROOT, median, paired_times, peak_rss_mb, questions, rss_mb, summary_ms, write_json
import corpus
from vectors import corpus_vectors


def synthetic_index(article, n: int, faiss_index):
    """The article's own index with the synthetic passages and their FAISS index in: real Chunk
    records of the article, each with its passage's text and sentences."""
    template = next(c for c in article.chunks if c.source == corpus.article().name)
    chunks = [dataclasses.replace(template, id=f"synthetic-{i}", text=text, sentences=picks, context="")
              for i, (text, picks) in enumerate(zip(corpus.passages(n), corpus.passage_sentences(n)))]
    return dataclasses.replace(article, chunks=chunks, faiss_index=faiss_index)


def paired_answers(small, large, rounds: int) -> dict:
    """Each question answered by the article's assistant, then by the large one: wall and CPU."""
    qs = questions()
    for q in qs:  # warm-up of both
        small.ask(q)
        large.ask(q)
    times = paired_times({"article": small, "large": large}, qs, rounds)
    depth = max(large.settings.top_k, large.answerer.settings.passages_considered)
    times["search"] = []
    for _ in range(rounds):
        for q in qs:
            query = large.retriever.query(large.reader.read(q))
            t0 = time.perf_counter()
            large.retriever.search(query, depth)
            times["search"].append(time.perf_counter() - t0)
    out = {name: summary_ms(values) for name, values in times.items() if not name.startswith("added")}
    # Differences can be negative: their median is the figure, not a percentile of latencies.
    out["added_ms_median"] = round(median(times["added"]) * 1e3, 2)
    out["added_cpu_ms_median"] = round(median(times["added_cpu"]) * 1e3, 2)
    return out


def profile(small, large) -> None:
    """cProfile of one pass over the questions by each assistant, by own time, on stderr."""
    import cProfile
    import pstats
    import sys

    for label, assistant in (("article", small), ("large", large)):
        profiler = cProfile.Profile()
        profiler.runcall(lambda: [assistant.ask(q) for q in questions()])
        print(f"--- {label}", file=sys.stderr)
        pstats.Stats(profiler, stream=sys.stderr).sort_stats("tottime").print_stats(18)


def main() -> None:
    import faiss

    from rag_history import Assistant
    from rag_history import index as product_index
    from rag_history.config import Settings
    from rag_history.embedding import Encoders
    from rag_history.index import build_index, load_index
    from rag_history.settings import IndexSettings, RetrievalSettings

    depth = RetrievalSettings().dense_candidates

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", type=int, required=True)
    parser.add_argument("--out", help="write the figures here as JSON (default: print them)")
    parser.add_argument("--embed", action="store_true", help="embed every passage (cached) instead of composing")
    parser.add_argument("--rounds", type=int, default=3, help="passes over the question set")
    parser.add_argument("--profile", action="store_true",
                        help="print where the answers over the article and over N passages spend their time")
    args = parser.parse_args()

    settings = Settings.from_env(source_dir=ROOT / "source_texts")
    encoders = Encoders.load(settings.build.model, settings.build.term_model)
    vectors, meta = corpus_vectors(args.size, encoders.dense, embed_all=args.embed)
    queries = query_vectors(encoders.dense)
    base_rss = rss_mb()

    start = time.perf_counter()
    index = product_index.make_faiss_index(vectors, settings=settings.tuning.index)
    build_s = time.perf_counter() - start
    index_rss = rss_mb() - base_rss
    approximate = not isinstance(index, faiss.IndexFlat)
    latency, found = search_latency(index, queries, depth)
    result = {
        "n": args.size, "vectors": meta, "index_type": type(index).__name__, "approximate": approximate,
        "ann_threshold": IndexSettings().ann_threshold,
        "faiss_build_s": round(build_s, 2), "disk_mb": disk_mb(index), "index_rss_mb": round(index_rss, 1),
        "vectors_mb": round(vectors.nbytes / 2**20, 1), "dense_search": latency,
    }
    if approximate:
        exact = product_index.make_faiss_index(vectors, exact=True)
        exact_latency, exact_ids = search_latency(exact, queries, depth)
        result.update({"exact_search": exact_latency, "recall@10": recall(found, exact_ids, 10),
                       f"recall@{depth}": recall(found, exact_ids, depth),
                       "speedup_p50": round(exact_latency["p50_ms"] / latency["p50_ms"], 1)})
        del exact

    with tempfile.TemporaryDirectory(prefix="rag-bench-scale-") as tmp:
        build_index(ROOT / "source_texts", Path(tmp), settings.build, encoders, progress=False)
        article = load_index(Path(tmp))
    small = Assistant(settings, article, encoders)
    start = time.perf_counter()
    large = Assistant(settings, synthetic_index(article, args.size, index), encoders)
    result["assistant_build_s"] = round(time.perf_counter() - start, 2)  # BM25, answerer tables
    result["answers"] = paired_answers(small, large, args.rounds)
    if args.profile:
        profile(small, large)
    result["peak_rss_mb"] = round(peak_rss_mb(), 1)
    write_json(args.out, result)


if __name__ == "__main__":
    main()
