"""Passage vectors of a synthetic corpus with the default dense model: composed, or embedded.

Embedding is nearly all of a large build, and with multilingual-e5-small (4-bit, one thread) a
passage of three sentences (~110 tokens) costs ~0.1-0.25 s of CPU here: 100k passages would be
3-7 CPU-hours on two shared cores. So by default a passage's vector is *composed*: the
normalized sum of the e5 passage vectors of its three sentences (e5 mean-pools its tokens, so
this is close to embedding the three together; `embedding_sample` measures how close, and
what embedding for real costs, on the first passages). The vectors keep e5's geometry (its
cosines sit in 0.7-0.9, tightly clustered), which is what approximate search and the dense
ranking see. `scale.py --embed` embeds every passage instead, cached in benchmarks/.cache/.

    python benchmarks/vectors.py --sample 64 --out results/embedding.json   # cost, composition checked
    python benchmarks/vectors.py 1000                                       # embed and cache
"""

from __future__ import annotations

import argparse
import json
import time
from functools import lru_cache
from pathlib import Path

import numpy as np

from common import ROOT, median, write_json
from corpus import SEED, article_sentences, passage_sentences, passages

CACHE = ROOT / "benchmarks" / ".cache"
BATCH = 64  # what index.build_index sends the encoder at once
SAMPLE = 64  # passages embedded for real to measure the cost and check the composition


@lru_cache(maxsize=2)
def sentence_vectors(encoder) -> np.ndarray:
    """The article's sentences as the index embeds them (passage side)."""
    return encoder.encode(list(article_sentences()))


def composed(n: int, encoder, seed: int = SEED) -> np.ndarray:
    """The first n passages' vectors, each the normalized sum of its sentences' vectors."""
    picks = np.asarray(passage_sentences(n, seed), dtype=np.int64)
    vectors = sentence_vectors(encoder)[picks].sum(axis=1)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    return np.ascontiguousarray(vectors, dtype=np.float32)


def embed(texts: list[str], encoder, label: str = "Embedding") -> np.ndarray:
    from rag_history.index import Progress

    bar = Progress(label, len(texts))
    out = np.empty((len(texts), encoder.dimension), dtype=np.float32)
    for i in range(0, len(texts), BATCH):
        out[i:i + BATCH] = encoder.encode(texts[i:i + BATCH])
        bar.advance(len(texts[i:i + BATCH]))
    return out


def embedding_sample(encoder, k: int = SAMPLE, seed: int = SEED) -> dict:
    """Embed the first k passages for real: the cost per passage, and how close the composed
    vectors are to the embedded ones (cosine, and the rank of the true passage among all k)."""
    texts = passages(k, seed)
    c0, t0 = time.process_time(), time.perf_counter()
    real = embed(texts, encoder, f"Embedding {k} passages")
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    made = composed(k, encoder, seed)
    cosines = np.sum(real * made, axis=1)
    similarity = made @ real.T  # a composed vector's nearest embedded passage should be its own
    rank_of_own = (similarity > similarity.diagonal()[:, None]).sum(axis=1)
    return {"passages": k, "model": encoder.name, "wall_s": round(wall, 2), "cpu_s": round(cpu, 2),
            "passages_per_s": round(k / wall, 2), "cpu_ms_per_passage": round(cpu / k * 1e3, 1),
            "mean_chars": round(sum(map(len, texts)) / k),
            "composed_cosine_median": round(float(median(cosines)), 4),
            "composed_cosine_min": round(float(cosines.min()), 4),
            "composed_own_first_share": round(float(np.mean(rank_of_own == 0)), 3)}


def _paths(model: str, seed: int) -> tuple[Path, Path]:
    stem = CACHE / f"{model}-seed{seed}"
    return stem.with_suffix(".npy"), stem.with_suffix(".json")


def corpus_vectors(n: int, encoder, embed_all: bool = False, seed: int = SEED) -> tuple[np.ndarray, dict]:
    """Vectors of the first n passages and how they were made: composed (default), or embedded
    (cached: a larger cached corpus serves any smaller one, its prefix)."""
    if not embed_all:
        start = time.perf_counter()
        vectors = composed(n, encoder, seed)
        return vectors, {"n": n, "how": "composed", "seconds": round(time.perf_counter() - start, 2)}
    npy, meta_path = _paths(encoder.name, seed)
    if npy.exists() and meta_path.exists():
        meta = json.loads(meta_path.read_text())
        if meta["n"] >= n:
            return np.ascontiguousarray(np.load(npy, mmap_mode="r")[:n]), {**meta, "how": "embedded (cached)"}
    texts = passages(n, seed)
    start = time.perf_counter()
    vectors = embed(texts, encoder, f"Embedding {n:,} passages")
    seconds = time.perf_counter() - start
    meta = {"n": n, "how": "embedded", "model": encoder.name, "seed": seed, "seconds": round(seconds, 2),
            "passages_per_s": round(n / seconds, 1), "date": time.strftime("%Y-%m-%d %H:%M %Z")}
    CACHE.mkdir(parents=True, exist_ok=True)
    np.save(npy, vectors)
    meta_path.write_text(json.dumps(meta, indent=2) + "\n")
    return vectors, meta


def main() -> None:
    from rag_history.embedding import DEFAULT_MODEL, Encoder

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("n", type=int, nargs="?", help="embed the first n passages (cached)")
    parser.add_argument("--sample", type=int, help="embed this many passages: cost, and the composition checked")
    parser.add_argument("--out", help="write the sample's figures here as JSON (default: print them)")
    args = parser.parse_args()
    encoder = Encoder(DEFAULT_MODEL)
    if args.sample:
        write_json(args.out, embedding_sample(encoder, args.sample))
    if args.n:
        print(json.dumps(corpus_vectors(args.n, encoder, embed_all=True)[1]))


if __name__ == "__main__":
    main()
