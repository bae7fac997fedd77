"""Embed a synthetic corpus with the real default encoder, with a progress bar and a cache.

Embedding is nearly all of a large build (100k passages take many minutes on two shared cores),
so the vectors are kept in benchmarks/.cache/ with the time they took; `--reuse` in the scale
benchmark slices them instead of embedding again, and the report says so.

    python benchmarks/vectors.py 100000     # embed (or re-embed) and cache
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np

from common import ROOT
from corpus import SEED, passages

CACHE = ROOT / "benchmarks" / ".cache"
BATCH = 256


def _paths(model: str, seed: int) -> tuple[Path, Path]:
    stem = CACHE / f"{model}-seed{seed}"
    return stem.with_suffix(".npy"), stem.with_suffix(".json")


def embed(texts: list[str], encoder, label: str = "Embedding") -> np.ndarray:
    from rag_history.index import Progress

    bar = Progress(label, len(texts))
    out = np.empty((len(texts), encoder.dimension), dtype=np.float32)
    for i in range(0, len(texts), BATCH):
        out[i:i + BATCH] = encoder.encode(texts[i:i + BATCH])
        bar.advance(len(texts[i:i + BATCH]))
    return out


def blas_threads(encoder, threads: int | None):
    """Set the USE module's BLAS threads (None: keep the product's setting); returns the setting.

    On two shared cores one thread embeds several times faster than two when the other core is
    busy (OpenBLAS threads wait for each other); see RESULTS.md.
    """
    module = encoder._model[0]
    if threads is not None and hasattr(module, "use"):
        module.use.threads = threads
        if module.use._backend is not None:  # already loaded: it keeps its own copy
            module.use._backend.threads = threads
    return getattr(getattr(module, "use", None), "threads", None)


def one_thread(encoder) -> None:
    """Everything on one thread: USE's BLAS calls, numpy's other BLAS calls, OpenMP, torch.

    With a second BLAS or OpenMP thread, its workers spin-wait after every call, which costs a
    second core for nothing on small query-time matrices (CPU time ≈ 2 × wall time).
    """
    import torch
    from threadpoolctl import threadpool_limits

    threadpool_limits(1)  # every BLAS and OpenMP pool loaded in this process, from now on
    torch.set_num_threads(1)
    blas_threads(encoder, 1)


def corpus_vectors(n: int, encoder=None, reuse: bool = False, model: str = "use-multilingual-v3",
                   seed: int = SEED, threads: int | None = None) -> tuple[np.ndarray, dict]:
    """Vectors of the first n passages and how long embedding them took (or took when cached)."""
    npy, meta_path = _paths(model, seed)
    if reuse and npy.exists() and meta_path.exists():
        meta = json.loads(meta_path.read_text())
        if meta["n"] >= n:
            vectors = np.load(npy, mmap_mode="r")[:n]
            return np.ascontiguousarray(vectors), {**meta, "cached": True}
    from rag_history.embedding import Encoder

    encoder = encoder or Encoder(model)
    used_threads = blas_threads(encoder, threads)
    texts = passages(n, seed)
    start = time.perf_counter()
    vectors = embed(texts, encoder, f"Embedding {n:,} passages")
    seconds = time.perf_counter() - start
    meta = {"n": n, "model": model, "seed": seed, "embed_s": round(seconds, 2),
            "passages_per_s": round(n / seconds, 1), "mean_chars": round(sum(map(len, texts)) / n),
            "blas_threads": used_threads,
            "date": time.strftime("%Y-%m-%d %H:%M %Z"), "cached": False}
    old = json.loads(meta_path.read_text()) if meta_path.exists() else {"n": 0}
    if n >= old["n"]:  # keep the largest corpus: the smaller ones are its prefixes
        CACHE.mkdir(parents=True, exist_ok=True)
        np.save(npy, vectors)
        meta_path.write_text(json.dumps(meta, indent=2) + "\n")
    return vectors, meta


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("n", type=int)
    parser.add_argument("--threads", type=int, help="USE BLAS threads (default: the product's)")
    args = parser.parse_args()
    _, meta = corpus_vectors(args.n, threads=args.threads)
    print(json.dumps(meta))


if __name__ == "__main__":
    main()
