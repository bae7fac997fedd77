"""Benchmarks on the bundled article: build, cold `ask`, warm `Assistant.ask`, retrieval alone.

Works on a private copy of the index (a temporary directory), so engineers rebuilding index/
at the same time neither disturb the figures nor are disturbed by them.

    python benchmarks/article.py --out results/article.json [--rounds 5] [--cold 5]
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

from common import RAG_HISTORY, ROOT, median, question_file, questions, run_with_peak_rss, summary_ms, write_json


def whole_process(argv: list[str], env: dict, runs: int) -> dict:
    """Median wall time and peak RSS of a whole `rag-history` process over several runs."""
    results = [run_with_peak_rss([RAG_HISTORY, *argv], env=env) for _ in range(runs)]
    walls = [r["wall_s"] for r in results]
    return {"median_s": round(median(walls), 3), "min_s": round(min(walls), 3), "max_s": round(max(walls), 3),
            "peak_rss_mb": round(median(r["peak_rss_mb"] for r in results), 1), "runs": runs}


def library_floor(runs: int) -> dict:
    """What a process pays before any project code: the interpreter and the libraries `ask` imports."""
    import sys

    out = {}
    for label, code in (("python -c pass", "pass"),
                        ("import torch", "import torch"),
                        ("import sentence_transformers", "import sentence_transformers"),
                        ("import rag_history.cli", "import rag_history.cli")):
        walls = [run_with_peak_rss([sys.executable, "-c", code])["wall_s"] for _ in range(runs)]
        out[label] = round(median(walls), 3)
    return out


def warm(index_dir: Path, rounds: int) -> dict:
    """In-process latency of a loaded Assistant: full answer, retrieval alone, and its parts."""
    from rag_history import Assistant
    from rag_history.config import Settings

    settings = Settings.from_env(index_dir=index_dir, source_dir=ROOT / "source_texts")
    assistant = Assistant.load(settings, build="auto")  # fresh already; "auto" only guards against a race
    qs = questions()
    for q in qs:  # warm-up: lazy model weights, tokenizer caches, BLAS buffers
        assistant.ask(q)
    timings: dict[str, list[float]] = {"ask": [], "ask_cpu": [], "retrieval": [], "encode": [], "search": [],
                                       "answer": [], "ask_1_thread": [], "ask_cpu_1_thread": []}
    clock = time.perf_counter
    for _ in range(rounds):
        for q in qs:
            c0, t0 = time.process_time(), clock()
            assistant.ask(q)
            t1, c1 = clock(), time.process_time()
            # CPU time of the whole process (BLAS threads included): what the answer costs,
            # apart from the waiting that other work on the shared cores adds to wall time.
            timings["ask_cpu"].append(c1 - c0)
            query = assistant.retriever.query(q)
            t2 = clock()
            passages = assistant.retriever.search(query, assistant.settings.top_k)
            t3 = clock()
            assistant.answerer.answer(query, passages)
            t4 = clock()
            assistant.encoder.encode([q])
            t5 = clock()
            timings["ask"].append(t1 - t0)
            timings["retrieval"].append(t3 - t1)  # question embedding + dense + BM25 + fusion
            timings["search"].append(t3 - t2)  # dense + BM25 + fusion, question already embedded
            timings["answer"].append(t4 - t3)
            timings["encode"].append(t5 - t4)
    # The same answers on one thread throughout (vectors.one_thread): the proposed change. Last,
    # because the limits stay for the rest of the process.
    from vectors import one_thread

    one_thread(assistant.encoder)
    for _ in range(rounds):
        for q in qs:
            c0, t0 = time.process_time(), clock()
            assistant.ask(q)
            timings["ask_1_thread"].append(clock() - t0)
            timings["ask_cpu_1_thread"].append(time.process_time() - c0)
    return {name: summary_ms(values) for name, values in timings.items()}


def build_in_process(source_dir: Path, runs: int) -> dict:
    """Index build with the encoder already loaded: the build itself, without process start-up."""
    from rag_history.config import Settings
    from rag_history.embedding import Encoder
    from rag_history.index import build_index

    settings = Settings.from_env()
    encoder = Encoder(settings.build.model)
    encoder.encode(["warm-up"])
    walls = []
    with tempfile.TemporaryDirectory(prefix="rag-bench-build-") as tmp:
        for _ in range(runs):
            start = time.perf_counter()
            build_index(source_dir, Path(tmp), settings.build, encoder, progress=False)
            walls.append(time.perf_counter() - start)
    return {"median_s": round(median(walls), 3), "runs": runs}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", help="write the figures here as JSON (default: print them)")
    parser.add_argument("--rounds", type=int, default=5, help="passes over the question set for warm latency")
    parser.add_argument("--cold", type=int, default=5, help="runs of each whole-process measurement")
    args = parser.parse_args()

    question = "Moskova Antlaşması ne zaman imzalandı?"
    with tempfile.TemporaryDirectory(prefix="rag-bench-index-") as tmp:
        env = {**os.environ, "RAG_HISTORY_INDEX": tmp, "RAG_HISTORY_SOURCES": str(ROOT / "source_texts")}
        build = whole_process(["build", "--force", "-q"], env, runs=3)
        cold = whole_process(["ask", "--no-build", question], env, runs=args.cold)
        results = {
            "questions": os.path.relpath(question_file(), ROOT),
            "n_questions": len(questions()),
            "build_process": build,
            "build_in_process": build_in_process(ROOT / "source_texts", runs=3),
            "cold_ask": cold,
            "library_floor_s": library_floor(runs=3),
            "warm": warm(Path(tmp), args.rounds),
        }
    write_json(args.out, results)


if __name__ == "__main__":
    main()
