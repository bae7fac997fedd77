"""The on-disk index: passages, sentences with their references, vectors, FAISS, manifest.

A build writes a fresh directory under ``index/`` and then swaps the ``current`` link to it in
one atomic step, so an interrupted build leaves the previous index loading and answering. The
manifest records what the index was built from (model, chunking, hash of every source file,
package version) and a checksum of every index file, so a stale or damaged index is detected.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import shutil
import sys
import time
import uuid
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from . import __version__
from .chunking import Chunk, ChunkSettings, chunk_document
from .citations import Citation, attribute, strip_citations
from .errors import IndexProblem
from .source import SourceDocument, TextInfo, load_documents, source_files
from .termmap import vocabulary_of

FORMAT = 5
CURRENT = "current"
MANIFEST = "manifest.json"
# Above this many passages exact search gives way to HNSW (benchmarks/RESULTS.md, `ann.py`
# sweep on 100k passages): exact search costs ~0.17 ms per 1,000 passages per query (~3.5 ms at
# the threshold, 17 ms at 100k), HNSW under 1 ms at any size here. efSearch is the candidate list
# and the retriever asks for 100 neighbours (DENSE_CANDIDATES), so it must exceed 100 to matter:
# 160 gives recall@10 0.997 and recall@100 0.986 against exact search at 0.46 ms.
ANN_THRESHOLD = 20_000
HNSW_M = 32
HNSW_EF_CONSTRUCTION = 80
HNSW_EF_SEARCH = 160


@dataclass(frozen=True)
class SentenceRecord:
    """A source sentence with the reference that supports it."""

    source: str
    index: int  # position in its document
    text: str
    start: int
    end: int
    paragraph: int
    section: str
    language: str
    citation: Citation | None
    attribution: str  # "own", "following" or "author"

    def to_dict(self) -> dict:
        d = asdict(self)
        d["citation"] = None if self.citation is None else {
            "raw": self.citation.raw, "authors": list(self.citation.authors), "year": self.citation.year,
            "pages": self.citation.pages, "et_al": self.citation.et_al}
        return d

    @classmethod
    def from_dict(cls, d: dict) -> "SentenceRecord":
        c = d.get("citation")
        citation = None if c is None else Citation(c["raw"], tuple(c["authors"]), c["year"], c["pages"], c["et_al"])
        return cls(**{**d, "citation": citation})


@dataclass(frozen=True)
class BuildSettings:
    model: str
    chunking: ChunkSettings


def sentence_records(doc: SourceDocument) -> list[SentenceRecord]:
    out = []
    for i, (s, a) in enumerate(zip(doc.sentences, attribute(doc))):
        section = doc.section_of(s)
        out.append(SentenceRecord(doc.name, i, s.text, s.start, s.end, s.paragraph, section.title,
                                  section.language, a.citation, a.how))
    return out


def sentence_positions(sentences: list[SentenceRecord]) -> dict[tuple[str, int], int]:
    """(source, index in its document) -> position in the index's sentence list."""
    return {(s.source, s.index): i for i, s in enumerate(sentences)}


def source_hashes(source_dir: Path) -> dict[str, str]:
    """Hash of every source text and of its metadata sidecar, by file name."""
    out = {}
    for p in source_files(source_dir):
        out[p.name] = hashlib.sha256(p.read_bytes()).hexdigest()
        sidecar = p.with_suffix(".json")
        if sidecar.exists():
            out[sidecar.name] = hashlib.sha256(sidecar.read_bytes()).hexdigest()
    return out


def _file_sha(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


# --- FAISS -------------------------------------------------------------------------------------


def make_faiss_index(vectors: np.ndarray, exact: bool | None = None):
    """Inner-product index over normalized vectors: exact below ANN_THRESHOLD, HNSW above."""
    import faiss

    n, dim = vectors.shape
    if exact is None:
        exact = n < ANN_THRESHOLD
    if exact:
        index = faiss.IndexFlatIP(dim)
    else:
        index = faiss.IndexHNSWFlat(dim, HNSW_M, faiss.METRIC_INNER_PRODUCT)
        index.hnsw.efConstruction = HNSW_EF_CONSTRUCTION
        index.hnsw.efSearch = HNSW_EF_SEARCH
    index.add(np.ascontiguousarray(vectors, dtype=np.float32))
    return index


# --- build -------------------------------------------------------------------------------------


class Progress:
    """A plain progress line on stderr (no dependency); silent when not a terminal and quiet."""

    def __init__(self, label: str, total: int, enabled: bool = True):
        self.label, self.total, self.done, self.enabled = label, max(total, 1), 0, enabled
        self._last = 0.0

    def advance(self, n: int = 1) -> None:
        self.done += n
        now = time.monotonic()
        if self.enabled and (now - self._last > 0.2 or self.done >= self.total):
            self._last = now
            width = 30
            filled = int(width * self.done / self.total)
            sys.stderr.write(f"\r{self.label} [{'#' * filled}{'.' * (width - filled)}] {self.done}/{self.total}")
            if self.done >= self.total:
                sys.stderr.write("\n")
            sys.stderr.flush()


@contextlib.contextmanager
def build_lock(index_dir: Path):
    """Serialize builds: a second build waits for the first, then finds the index fresh."""
    index_dir.mkdir(parents=True, exist_ok=True)
    with open(index_dir / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def build_index(source_dir: Path, index_dir: Path, settings: BuildSettings, encoder=None,
                progress: bool = True, force: bool = True) -> Path:
    """Build the index from every source text; returns the directory that became current.

    With force=False a build that waited for another one's lock is skipped when that one left
    the index fresh.
    """
    from .embedding import Encoder

    with build_lock(index_dir):
        if not force and index_status(index_dir, source_dir, settings) is None:
            return (index_dir / CURRENT).resolve()
        _clean_leftovers(index_dir)
        docs = load_documents(source_dir)
        chunks: list[Chunk] = []
        sentences: list[SentenceRecord] = []
        for doc in docs:
            chunks.extend(chunk_document(doc, settings.chunking))
            sentences.extend(sentence_records(doc))
        encoder = encoder or Encoder(settings.model)
        target = index_dir / f"build-{time.strftime('%Y%m%d-%H%M%S')}-{uuid.uuid4().hex[:6]}"
        work = index_dir / f".tmp-{target.name}"
        work.mkdir(parents=True)
        try:
            # References are noise to the encoder: passages and sentences are embedded without them.
            passage_vectors = _encode(encoder, [strip_citations(c.text) for c in chunks], "Embedding passages ",
                                      progress)
            sentence_vectors = _encode(encoder, [strip_citations(s.text) for s in sentences],
                                       "Embedding sentences", progress)
            vocabulary = vocabulary_of(s.text for s in sentences)
            vocab_vectors = _encode(encoder, vocabulary, "Embedding words    ", progress, batch=256)
            (work / "vocabulary.json").write_text(json.dumps(vocabulary, ensure_ascii=False), encoding="utf-8")
            np.save(work / "vocab_vectors.npy", vocab_vectors)
            _write_jsonl(work / "chunks.jsonl", (c.to_dict() for c in chunks))
            _write_jsonl(work / "sentences.jsonl", (s.to_dict() for s in sentences))
            np.save(work / "sentence_vectors.npy", sentence_vectors)
            import faiss

            faiss.write_index(make_faiss_index(passage_vectors), str(work / "passages.faiss"))
            manifest = {
                "format": FORMAT,
                "package_version": __version__,
                "model": encoder.name,
                "dimension": encoder.dimension,
                "chunking": asdict(settings.chunking),
                "sources": {d.name: d.sha256 for d in docs},
                "texts": [d.info.to_dict() for d in docs],
                "source_files": source_hashes(source_dir),
                "counts": {"sources": len(docs), "passages": len(chunks), "sentences": len(sentences)},
                "files": {p.name: _file_sha(p) for p in sorted(work.iterdir())},
                "built": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
            }
            (work / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")
            _fsync_dir(work)
            work.rename(target)
            _swap_current(index_dir, target)
        except BaseException:
            shutil.rmtree(work, ignore_errors=True)
            raise
        _clean_leftovers(index_dir)
        return target


def _encode(encoder, texts: list[str], label: str, progress: bool, batch: int = 64) -> np.ndarray:
    bar = Progress(label, len(texts), progress)
    parts = []
    for i in range(0, len(texts), batch):
        parts.append(encoder.encode(texts[i:i + batch]))
        bar.advance(len(texts[i:i + batch]))
    if not parts:
        return np.zeros((0, encoder.dimension), dtype=np.float32)
    return np.vstack(parts)


def _write_jsonl(path: Path, rows) -> None:
    with open(path, "w", encoding="utf-8") as f:
        for row in rows:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
        f.flush()
        os.fsync(f.fileno())


def _read_jsonl(path: Path) -> list[dict]:
    # Split on "\n" only: str.splitlines() also breaks at U+0085, U+2028 and the like, which
    # json.dumps(ensure_ascii=False) leaves inside a record when a source text contains them.
    return [json.loads(line) for line in path.read_text(encoding="utf-8").split("\n") if line]


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _swap_current(index_dir: Path, target: Path) -> None:
    link = index_dir / CURRENT
    tmp = index_dir / f".{CURRENT}-{uuid.uuid4().hex[:6]}"
    os.symlink(target.name, tmp)
    os.replace(tmp, link)  # atomic: readers see the old index or the new one, never half of one
    _fsync_dir(index_dir)


def _clean_leftovers(index_dir: Path) -> None:
    """Remove interrupted builds and builds that are no longer current."""
    current = (index_dir / CURRENT).resolve() if (index_dir / CURRENT).exists() else None
    for p in index_dir.iterdir():
        if p.name.startswith(".tmp-") or (p.name.startswith("build-") and p.is_dir() and p.resolve() != current):
            shutil.rmtree(p, ignore_errors=True)
        elif p.name.startswith(f".{CURRENT}-") and p.is_symlink():
            p.unlink(missing_ok=True)


# --- load --------------------------------------------------------------------------------------


@dataclass
class LoadedIndex:
    path: Path
    manifest: dict
    chunks: list[Chunk]
    sentences: list[SentenceRecord]
    sentence_vectors: np.ndarray
    faiss_index: object
    vocabulary: list[str]  # distinct source words, for cross-lingual term mapping
    vocab_vectors: np.ndarray

    @property
    def model(self) -> str:
        return self.manifest["model"]

    @property
    def texts(self) -> list[TextInfo]:
        """The indexed source texts, in build order."""
        return [TextInfo.from_dict(d) for d in self.manifest["texts"]]


def index_status(index_dir: Path, source_dir: Path, settings: BuildSettings, verify: bool = True) -> str | None:
    """None when the index is usable for these settings and sources, else why it is not."""
    current = index_dir / CURRENT
    if not (current / MANIFEST).exists():
        return "no index has been built yet"
    try:
        manifest = json.loads((current / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        manifest = None
    if not isinstance(manifest, dict) or not isinstance(manifest.get("source_files"), dict):
        return "the index manifest is unreadable"
    if manifest.get("format") != FORMAT or manifest.get("package_version") != __version__:
        return "the index was built by another version of rag-history"
    if manifest.get("model") != settings.model:
        return f"the index was built with model {manifest.get('model')!r}, not {settings.model!r}"
    if manifest.get("chunking") != asdict(settings.chunking):
        return "the index was built with other chunking settings"
    hashes, recorded = source_hashes(source_dir), manifest["source_files"]
    changed = sorted(name for name in set(hashes) | set(recorded) if hashes.get(name) != recorded.get(name))
    if changed:
        return "source texts changed since the last build: " + ", ".join(changed)
    return _damage(current, manifest.get("files")) if verify else None


def _damage(build: Path, files) -> str | None:
    """Why a build's files do not match its manifest's checksums (missing, extra, altered), or None."""
    if not isinstance(files, dict) or not files:
        return "the index manifest is unreadable"
    present = {p.name for p in build.iterdir()} - {MANIFEST}
    for name in sorted(present | set(files)):
        if name not in files:
            return f"index file {name} is not in the manifest"
        if name not in present:
            return f"index file {name} is missing"
        if _file_sha(build / name) != files[name]:
            return f"index file {name} is damaged (checksum mismatch)"
    return None


def load_index(index_dir: Path) -> LoadedIndex:
    import faiss

    current = (index_dir / CURRENT).resolve()
    try:
        manifest = json.loads((current / MANIFEST).read_text(encoding="utf-8"))
        chunks = [Chunk.from_dict(row) for row in _read_jsonl(current / "chunks.jsonl")]
        sentences = [SentenceRecord.from_dict(row) for row in _read_jsonl(current / "sentences.jsonl")]
        sentence_vectors = np.load(current / "sentence_vectors.npy")
        faiss_index = faiss.read_index(str(current / "passages.faiss"))
        vocabulary = json.loads((current / "vocabulary.json").read_text(encoding="utf-8"))
        vocab_vectors = np.load(current / "vocab_vectors.npy")
    except Exception as exc:  # any damage: the caller rebuilds or tells the user how
        raise IndexProblem(f"the index in {index_dir} cannot be read ({exc.__class__.__name__}); "
                           "run `rag-history build` to rebuild it.") from None
    if (faiss_index.ntotal != len(chunks) or len(sentence_vectors) != len(sentences)
            or len(vocab_vectors) != len(vocabulary)):
        raise IndexProblem(f"the index in {index_dir} is inconsistent; run `rag-history build` to rebuild it.")
    return LoadedIndex(current, manifest, chunks, sentences, sentence_vectors, faiss_index, vocabulary, vocab_vectors)

