"""Parsing a source text: linear in its length, and the build's peak memory on a 5 MB source.

- 100k and 1M characters of the bundled article's sentences, as one paragraph on one line and
  as the article's own wrapped layout: `parse_document` wall and CPU time (median of 3; the ratio
  is of CPU time, which other users of the shared machine do not inflate); 1M should take about
  ten times 100k (when sentence splitting was quadratic, 200k characters in one paragraph took
  6 s and 1M 146 s).
- One line of 1,000,000 characters with no sentence end (its build once peaked at 4.6 GB):
  parse time, the longest sentence made of it, and its build's wall time and peak RSS.
- `rag-history build` of a 5,000,000-byte source (the largest accepted) in its own process, with
  the tests' hashing encoder in place of the embedding model (the model's own memory is
  measured by coldstart.py; this is what the text costs): wall time and peak RSS.

    python benchmarks/parsing.py --out results/parsing.json [--runs 3]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from common import PYTHON, ROOT, median, run_with_peak_rss, write_json

SIZES = (100_000, 1_000_000)
BIG_SOURCE = 5_000_000
BUILD = """
import sys
sys.path.insert(0, {tests!r})
from conftest import HashingEncoder
import rag_history.embedding
rag_history.embedding.Encoder = HashingEncoder
from rag_history.cli import main
sys.exit(main(["build", "--sources", {sources!r}, "--index", {index!r}, "-q", "--force"]))
"""


def article_sentences() -> list[str]:
    from rag_history.source import load_document

    return [s.text for s in load_document(ROOT / "source_texts" / "turk-sovyet-iliskileri-milli-mucadele.txt").sentences]


def text_of(size: int, sentences: list[str], wrapped: bool) -> str:
    """About `size` characters of the article's sentences: one line, or lines of ~85 with blank
    lines between them (the article's layout)."""
    out, n, i = [], 0, 0
    while n < size:
        s = sentences[i % len(sentences)]
        out.append(s)
        n += len(s) + 1
        i += 1
    text = " ".join(out)[:size]
    if not wrapped:
        return text + "\n"
    lines, line = [], []
    for word in text.split(" "):
        line.append(word)
        if sum(map(len, line)) + len(line) > 85:
            lines.append(" ".join(line) + " ")
            line = []
    return "\n\n".join(lines + [" ".join(line)]) + "\n"


def timed_parse(text: str, runs: int) -> dict:
    from rag_history.source import parse_document

    times, cpu, doc = [], [], None
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        doc = parse_document(text, "bench.txt", {"language": "tr"})
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return {"chars": len(text), "median_s": round(median(times), 3), "median_cpu_s": round(median(cpu), 3),
            "runs": runs, "sentences": len(doc.sentences), "longest_sentence": max(len(s.text) for s in doc.sentences)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    sentences = article_sentences()
    result: dict = {"date": time.strftime("%Y-%m-%d %H:%M"), "parse": {}}
    for layout in ("one line", "wrapped"):
        rows = {str(n): timed_parse(text_of(n, sentences, layout == "wrapped"), args.runs) for n in SIZES}
        # CPU time: what the parse costs, whatever else the shared machine runs meanwhile
        rows["ratio_1m_to_100k"] = round(rows[str(SIZES[1])]["median_cpu_s"] / rows[str(SIZES[0])]["median_cpu_s"], 1)
        result["parse"][layout] = rows
    result["no_sentence_end"] = timed_parse("kelime " * (1_000_000 // 7) + "\n", args.runs)
    data = text_of(BIG_SOURCE, sentences, True).encode()[:BIG_SOURCE]  # Turkish letters take 2 bytes
    big = data[:data.rindex(b"\n") + 1].decode()  # whole lines, at most the limit
    result["build_5mb"] = build(big)
    result["build_1mb_line_without_sentence_end"] = build("kelime " * (1_000_000 // 7) + "\n")
    write_json(args.out, result)


def build(text: str) -> dict:
    """`rag-history build` of one source in its own process: wall time and peak RSS."""
    with tempfile.TemporaryDirectory() as tmp:
        sources = Path(tmp) / "sources"
        sources.mkdir()
        (sources / "buyuk.txt").write_text(text, encoding="utf-8")
        script = BUILD.format(tests=str(ROOT / "tests"), sources=str(sources), index=str(Path(tmp) / "index"))
        run = run_with_peak_rss([PYTHON, "-c", script], timeout=3600)
    return {"bytes": len(text.encode()), "wall_s": round(run["wall_s"], 1), "peak_rss_mb": round(run["peak_rss_mb"])}


if __name__ == "__main__":
    main()
