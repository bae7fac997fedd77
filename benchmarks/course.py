"""A course of 50 readings: index build time, answer latency and memory.

The course is made of the five real texts (the bundled article and the four readings of
tests/data/readings/, Turkish and English, 17-90 KB), each ten times: the original, and nine
copies with their own file names and every year in the text and the sidecar moved on by the
copy's number, so no two files are one text to the deduplicator and every reference still
parses. 50 readings, ~3 MB of text, ~5,600 passages, ~20,000 sentences.

Embedding is nearly all of a build, and with e5 on two shared cores a 50-reading build would
take one to two hours. So the build embeds each original's texts for real and *remembers*
them: a copy's text, the same as its original's but for the years, takes its original's
vector. Everything else (parsing, references, chunking, BM25-ready files, FAISS, checksums) is
done for all 50. The build time of 50 distinct readings is then the measured build plus the
measured embedding time once for each copy (`estimated_distinct_s`).

The index built is a real 50-reading index: a fresh process loads it with the real models and
answers the question sets of the five texts (each question asked of the whole course), against
the same questions over the article alone in the same process, in turn; its RSS and peak RSS
are its own. Then `rag-history ask` cold, and `rag-history serve` over the course (its RSS
after answering).

    python benchmarks/course.py --out results/course.json [--copies 10] [--rounds 2]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import (RAG_HISTORY, ROOT, median, paired_times, peak_rss_mb, question_file, rss_mb,
                    run_with_peak_rss, summary_ms, write_json)

READINGS = ROOT / "tests" / "data" / "readings"
YEAR = re.compile(r"(?<!\d)(1[5-9]\d\d|20\d\d)(?!\d)")


def originals() -> list[Path]:
    return sorted(ROOT.joinpath("source_texts").glob("*.txt")) + sorted(READINGS.glob("*.txt"))


def shifted(text: str, by: int) -> str:
    return YEAR.sub(lambda m: str(int(m.group(1)) + by), text) if by else text


def make_course(target: Path, copies: int) -> int:
    """Write the readings into `target`; returns their number."""
    target.mkdir(parents=True, exist_ok=True)
    for path in originals():
        for n in range(copies):
            name = path.stem if n == 0 else f"{path.stem}-copy-{n}"
            (target / f"{name}.txt").write_text(shifted(path.read_text(encoding="utf-8"), n), encoding="utf-8")
            sidecar = path.with_suffix(".json")
            if sidecar.exists():
                meta = json.loads(sidecar.read_text(encoding="utf-8"))
                if n:
                    meta.update({k: shifted(v, n) if isinstance(v, str) else (v + n if isinstance(v, int) else v)
                                 for k, v in meta.items() if k in ("year", "title")})
                    if meta.get("title"):
                        meta["title"] += f" (copy {n})"
                (target / f"{name}.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
    return len(originals()) * copies


class Remembering:
    """An encoder that embeds a text once for every text equal to it but for its years, and
    counts what it embedded for real and how long that took."""

    def __init__(self, encoder):
        self.encoder, self.name, self.dimension = encoder, encoder.name, encoder.dimension
        self.known: dict[str, object] = {}
        self.real = self.remembered = 0
        self.wall_s = self.cpu_s = 0.0

    def encode(self, texts: list[str], batch_size: int = 64):
        import numpy as np

        keys = [YEAR.sub("#", t) for t in texts]
        new = list(dict.fromkeys(k for k in keys if k not in self.known))
        if new:
            first = {k: t for k, t in zip(reversed(keys), reversed(texts))}  # each key's first text
            c0, t0 = time.process_time(), time.perf_counter()
            vectors = self.encoder.encode([first[k] for k in new], batch_size)
            self.wall_s += time.perf_counter() - t0
            self.cpu_s += time.process_time() - c0
            self.known.update(zip(new, vectors))
        self.real += len(new)
        self.remembered += len(texts) - len(new)
        return np.stack([self.known[k] for k in keys]) if texts else self.encoder.encode([])

    def figures(self) -> dict:
        return {"embedded": self.real, "remembered": self.remembered, "embed_wall_s": round(self.wall_s, 1),
                "embed_cpu_s": round(self.cpu_s, 1)}


def build(sources: Path, index_dir: Path) -> dict:
    from rag_history.config import Settings
    from rag_history.embedding import Encoders
    from rag_history.index import build_index

    settings = Settings.from_env(source_dir=sources, index_dir=index_dir).build
    real = Encoders.load(settings.model, settings.term_model)
    encoders = Encoders(Remembering(real.dense), Remembering(real.terms))
    c0, t0 = time.process_time(), time.perf_counter()
    build_index(sources, index_dir, settings, encoders, progress=False)
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    dense, terms = encoders.dense.figures(), encoders.terms.figures()
    embed_wall = dense["embed_wall_s"] + terms["embed_wall_s"]
    # Each copy would cost its original's embedding again: the remembered share of the texts.
    share = (dense["remembered"] + terms["remembered"]) / max(1, dense["embedded"] + terms["embedded"])
    manifest = json.loads((index_dir / "current" / "manifest.json").read_text(encoding="utf-8"))
    return {"build_s": round(wall, 1), "build_cpu_s": round(cpu, 1), "dense": dense, "terms": terms,
            "estimated_distinct_s": round(wall + embed_wall * share, 1),
            "counts": manifest["counts"], "vocabulary": len(json.loads(
                (index_dir / "current" / "vocabulary.json").read_text(encoding="utf-8"))),
            "disk_mb": round(sum(p.stat().st_size for p in (index_dir / "current").resolve().iterdir()) / 2**20, 1),
            "peak_rss_mb": round(peak_rss_mb(), 1)}


def course_questions() -> list[str]:
    rows = [json.loads(line) for path in [question_file(), *sorted(READINGS.glob("*.questions.jsonl"))]
            for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [r["question"] for r in rows]


def answers(sources: Path, index_dir: Path, article_index: Path, rounds: int) -> dict:
    """In this (fresh) process: the course's Assistant against the article's, question by question."""
    from rag_history import Assistant
    from rag_history.config import Settings

    base = rss_mb()
    c0, t0 = time.process_time(), time.perf_counter()
    course = Assistant.load(Settings.from_env(source_dir=sources, index_dir=index_dir), build="never")
    load_s, load_cpu = time.perf_counter() - t0, time.process_time() - c0
    loaded = rss_mb()
    article = Assistant(Settings.from_env(source_dir=ROOT / "source_texts", index_dir=article_index),
                        _load(article_index), course.encoders)
    qs = course_questions()
    for q in qs:
        course.ask(q)
        article.ask(q)
    times = paired_times({"article": article, "course": course}, qs, rounds)
    out = {k: summary_ms(v) for k, v in times.items() if not k.startswith("added")}
    out.update({"questions": len(qs), "rounds": rounds, "added_ms_median": round(median(times["added"]) * 1e3, 2),
                "load_s": round(load_s, 1), "load_cpu_s": round(load_cpu, 1),
                "rss_before_load_mb": round(base, 1), "rss_loaded_mb": round(loaded, 1),
                "rss_after_mb": round(rss_mb(), 1), "peak_rss_mb": round(peak_rss_mb(), 1)})
    return out


def _load(index_dir: Path):
    from rag_history.index import load_index

    return load_index(index_dir)


def served(sources: Path, index_dir: Path, requests: int) -> dict:
    """`rag-history serve` over the course: RSS once started and after `requests` answers."""
    from server import load, running_server

    with running_server(str(index_dir), sources) as (port, server):
        idle = rss_mb(server.pid)
        run = load(f"http://127.0.0.1:{port}/", 4, requests // 4, course_questions(), server.pid)
        return {"idle_rss_mb": round(idle, 1), "rss_after_mb": round(rss_mb(server.pid), 1),
                "peak_rss_mb": round(peak_rss_mb(server.pid), 1), "run": run}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", help="write the figures here as JSON (default: print them)")
    parser.add_argument("--copies", type=int, default=10, help="copies of each of the five texts (10: 50 readings)")
    parser.add_argument("--rounds", type=int, default=2, help="passes over the questions for warm latency")
    parser.add_argument("--cold", type=int, default=3, help="runs of the cold `ask`")
    parser.add_argument("--requests", type=int, default=100, help="answers the server gives before its RSS is read")
    parser.add_argument("--answers", nargs=3, metavar=("SOURCES", "INDEX", "ARTICLE_INDEX"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.answers:  # the child's mode: answer in a fresh process, print the figures
        print(json.dumps(answers(*map(Path, args.answers), rounds=args.rounds)))
        return

    with tempfile.TemporaryDirectory(prefix="rag-bench-course-") as tmp:
        sources, index_dir, article_index = Path(tmp, "sources"), Path(tmp, "index"), Path(tmp, "article")
        readings = make_course(sources, args.copies)
        result = {"readings": readings, "copies": args.copies, "source_mb": round(
            sum(p.stat().st_size for p in sources.glob("*.txt")) / 2**20, 2), "build": build(sources, index_dir)}
        env = {**os.environ, "RAG_HISTORY_SOURCES": str(ROOT / "source_texts"), "RAG_HISTORY_INDEX": str(article_index)}
        subprocess.run([RAG_HISTORY, "build", "-q"], env=env, check=True, stdout=subprocess.DEVNULL, timeout=1200)
        child = subprocess.run([sys.executable, __file__, "--rounds", str(args.rounds), "--answers", str(sources),
                                str(index_dir), str(article_index)], capture_output=True, text=True, check=True,
                               timeout=3600)
        result["answers"] = json.loads(child.stdout.splitlines()[-1])
        env = {**os.environ, "RAG_HISTORY_SOURCES": str(sources), "RAG_HISTORY_INDEX": str(index_dir)}
        colds = [run_with_peak_rss([RAG_HISTORY, "ask", "--no-build", "Moskova Antlaşması ne zaman imzalandı?"],
                                   env=env) for _ in range(args.cold)]
        result["cold_ask"] = {"median_s": round(median(r["wall_s"] for r in colds), 2),
                              "peak_rss_mb": round(median(r["peak_rss_mb"] for r in colds), 1), "runs": args.cold}
        result["server"] = served(sources, index_dir, args.requests)
    write_json(args.out, result)


if __name__ == "__main__":
    main()
