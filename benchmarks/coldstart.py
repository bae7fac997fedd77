"""Where the cold start of `rag-history ask` goes: phases of a fresh process, and imports by package.

Each phase is timed in a fresh interpreter (median over runs); `python -X importtime` of a real
`ask` gives the import time of every module, summed here by top-level package (self time, so
nothing is counted twice).

    python benchmarks/coldstart.py --out results/coldstart.json [--runs 3]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections import defaultdict

from common import RAG_HISTORY, ROOT, median, write_json

QUESTION = "Moskova Antlaşması ne zaman imzalandı?"


def phases() -> dict:
    """Run in a fresh process: the steps of `ask` one by one, as Assistant.load and ask take them."""
    clock = time.perf_counter
    marks = {}
    t = clock()

    def mark(name):
        nonlocal t
        now = clock()
        marks[name] = round(now - t, 4)
        t = now

    from rag_history.assistant import Assistant
    from rag_history.config import Settings
    from rag_history.index import index_status, load_index
    mark("import rag_history (assistant, index, retrieval, answer)")
    import torch  # noqa: F401
    mark("import torch")
    import sentence_transformers  # noqa: F401
    mark("import sentence_transformers (after torch)")
    settings = Settings.from_env()
    index_status(settings.index_dir, settings.source_dir, settings.build)
    mark("index_status (source hashes, index checksums)")
    index = load_index(settings.index_dir)
    mark("load_index (JSONL, vectors, FAISS)")
    from rag_history.embedding import Encoder, Encoders

    dense = Encoder(index.model)
    mark("Encoder() of the dense model (e5: its engine and 4-bit weights)")
    dense.encode_queries(["x"])
    mark("first dense encode")
    terms = Encoder(index.term_model)
    mark("Encoder() of the term model (USE-m)")
    terms.encode_queries(["x"])
    mark("first term encode (USE weights and tokenizer load)")
    assistant = Assistant(settings, index, Encoders(dense, terms))
    mark("Assistant() (BM25, spelling, answerer tables)")
    assistant.ask(QUESTION)
    mark("first ask")
    return marks


def importtime(env: dict) -> dict:
    """Self import time by top-level package during a real `ask`, in seconds."""
    proc = subprocess.run([sys.executable, "-X", "importtime", RAG_HISTORY, "ask", "--no-build", QUESTION],
                          env=env, capture_output=True, text=True, timeout=600)
    per_package: dict[str, float] = defaultdict(float)
    for line in proc.stderr.splitlines():
        if not line.startswith("import time:") or "self [us]" in line:
            continue
        self_us, _, name = (part.strip() for part in line[len("import time:"):].split("|"))
        per_package[name.split(".")[0]] += int(self_us) / 1e6
    top = sorted(per_package.items(), key=lambda kv: -kv[1])
    return {"total_s": round(sum(per_package.values()), 3), "by_package_s": {k: round(v, 3) for k, v in top[:15]}}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", help="write the figures here as JSON (default: print them)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--phases", action="store_true", help=argparse.SUPPRESS)  # the child's mode
    args = parser.parse_args()
    if args.phases:
        print(json.dumps(phases()))
        return

    with tempfile.TemporaryDirectory(prefix="rag-bench-cold-") as tmp:
        env = {**os.environ, "RAG_HISTORY_INDEX": tmp, "RAG_HISTORY_SOURCES": str(ROOT / "source_texts")}
        subprocess.run([RAG_HISTORY, "build", "-q"], env=env, check=True, stdout=subprocess.DEVNULL)
        runs = [json.loads(subprocess.run([sys.executable, __file__, "--phases"], env=env, check=True,
                                          capture_output=True, text=True, timeout=600).stdout)
                for _ in range(args.runs)]
        result = {"phases_s": {k: round(median(r[k] for r in runs), 3) for k in runs[0]},
                  "imports": importtime(env)}
    write_json(args.out, result)


if __name__ == "__main__":
    main()
