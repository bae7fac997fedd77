"""The on-disk index: passages, sentences with their references, vectors, FAISS, manifest.

A build writes a fresh directory under ``index/`` and then swaps the ``current`` link to it in
one atomic step, so an interrupted build leaves the previous index loading and answering. The
manifest records what the index was built from (model, chunking, hash of every source file,
package version), a checksum of every index file and how many passages, sentences and dimensions
the files hold, so a stale or damaged index is detected, and so are files that each match their
checksum but come from different builds. A file-system fault (read-only or full disk, unreadable
file) is an IndexProblem saying what to do; the index that was current stays current.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import hashlib
import json
import os
import shutil
import sys
import tempfile
import time
import uuid
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

from . import __version__
from .chunking import Chunk, ChunkSettings, chunk_document
from .bibliography import BibEntry
from .citations import Citation, DocumentCitations, Reference, cite, shown_citation, strip_citations
from .errors import IndexProblem
from .files import file_digest, sidecar_of
from .settings import IndexSettings
from .source import SourceDocument, TextInfo, load_documents, source_files
from .termmap import vocabulary_of

FORMAT = 9  # 9: notes-and-bibliography entries and notes; 8: round 7's repairs; 7: PDFs, notes apart
# The text extracted from each PDF source (written when there is one): what its sentences'
# start/end offsets refer to.
EXTRACTED = "extracted.jsonl"
TERM_VECTORS = "term_sentence_vectors.npy"  # the sentences by the term model, when it is not the dense one
CURRENT = "current"
MANIFEST = "manifest.json"
BIBLIOGRAPHY = "bibliography.jsonl"  # the entries of every text's reference list


@dataclass(frozen=True)
class SentenceRecord:
    """A source sentence with its references and the works that support it."""

    source: str
    index: int  # position in its document
    text: str
    start: int
    end: int
    paragraph: int
    section: str
    language: str
    references: tuple[Reference, ...] = ()  # its own, each where it stands (offsets in `text`; a footnote
    # mark after the full stop, which the splitter leaves at the next sentence's start, just after its end)
    cited: tuple[Citation, ...] = ()  # the works supporting it: its own references', else the next one's
    attribution: str = "author"  # "own", "following" or "author"

    @property
    def citation(self) -> Citation | None:
        """The one reference shown where one is shown (citations.shown_citation)."""
        return shown_citation(self.references, self.cited, self.attribution)

    def to_dict(self) -> dict:
        d = asdict(self)
        d["references"] = [r.to_record() for r in self.references]
        d["cited"] = [c.to_record() for c in self.cited]
        return d

    @classmethod
    def from_dict(cls, d: dict) -> "SentenceRecord":
        return cls(**{**d, "references": tuple(Reference.from_record(r) for r in d["references"]),
                      "cited": tuple(Citation.from_record(c) for c in d["cited"])})


@dataclass(frozen=True)
class BuildSettings:
    model: str  # dense retrieval and sentence scoring
    term_model: str  # word mapping and second opinion; "none": the dense model does both
    chunking: ChunkSettings
    index: IndexSettings = IndexSettings()


def sentence_records(doc: SourceDocument, cited: DocumentCitations | None = None) -> list[SentenceRecord]:
    """The document's sentences with their references (`cited`: what citations.cite found in it)."""
    cited = cited or cite(doc)
    out = []
    for i, (s, a) in enumerate(zip(doc.sentences, cited.attributions)):
        section = doc.section_of(s)
        out.append(SentenceRecord(doc.name, i, s.text, s.start, s.end, s.paragraph, section.title,
                                  section.language, a.references, a.cited, a.how))
    return out


def sentence_positions(sentences: list[SentenceRecord]) -> dict[tuple[str, int], int]:
    """(source, index in its document) -> position in the index's sentence list."""
    return {(s.source, s.index): i for i, s in enumerate(sentences)}


def source_hashes(source_dir: Path) -> dict[str, str]:
    """Hash of every source text and of its metadata sidecar, by file name."""
    out = {}
    for p in source_files(source_dir):
        out[p.name] = file_digest(p)
        sidecar = sidecar_of(p)
        if sidecar.exists():
            out[sidecar.name] = file_digest(sidecar)
    return out


def _file_sha(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


# --- FAISS -------------------------------------------------------------------------------------


def make_faiss_index(vectors: np.ndarray, exact: bool | None = None, settings: IndexSettings = IndexSettings()):
    """Inner-product index over normalized vectors: exact below settings.ann_threshold passages, HNSW above."""
    import faiss

    n, dim = vectors.shape
    if exact is None:
        exact = n < settings.ann_threshold
    if exact:
        index = faiss.IndexFlatIP(dim)
    else:
        index = faiss.IndexHNSWFlat(dim, settings.hnsw_m, faiss.METRIC_INNER_PRODUCT)
        index.hnsw.efConstruction = settings.hnsw_ef_construction
        index.hnsw.efSearch = settings.hnsw_ef_search
    index.add(np.ascontiguousarray(vectors, dtype=np.float32))
    return index


def write_faiss_index(index, path: Path) -> None:
    """Write through a Python file, so that a failed write raises OSError: faiss.write_index(index,
    filename) only prints an error when its last write fails at close (a full disk, a network or
    I/O error) and returns, leaving a truncated file that the manifest's checksum would bless."""
    import faiss

    with open(path, "wb") as f:
        faiss.write_index(index, faiss.PyCallbackIOWriter(f.write))


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
    try:
        index_dir.mkdir(parents=True, exist_ok=True)
        # Read-only is enough for flock, and opens the lock file of a read-only index directory,
        # where a build that finds the index fresh has nothing to write.
        lock = os.open(index_dir / ".lock", os.O_RDONLY | os.O_CREAT, 0o644)
    except OSError as exc:
        raise _unwritable(index_dir, exc) from None
    try:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX)
        except OSError as exc:  # e.g. ENOLCK on a network file system
            raise _unwritable(index_dir, exc) from None
        yield
    finally:
        os.close(lock)  # releases the lock


def build_index(source_dir: Path, index_dir: Path, settings: BuildSettings, encoders=None,
                progress: bool = True, force: bool = True) -> Path:
    """Build the index from every source text; returns the directory that became current.

    With force=False the build is skipped when the index is fresh and loads (e.g. another build,
    waited for at the lock, left it so); leftovers of interrupted builds are removed either way.
    Raises IndexProblem when the index directory cannot be written (read-only, full disk).
    """
    from .embedding import Encoders

    with build_lock(index_dir):
        if not force and index_status(index_dir, source_dir, settings) is None and _loads(index_dir):
            _clean_leftovers(index_dir)
            return current_build(index_dir)
        _clean_leftovers(index_dir)
        _check_writable(index_dir)
        docs = load_documents(source_dir)
        chunks: list[Chunk] = []
        sentences: list[SentenceRecord] = []
        entries: list[dict] = []  # every text's reference list
        for doc in docs:
            chunks.extend(chunk_document(doc, settings.chunking))
            cited = cite(doc)
            sentences.extend(sentence_records(doc, cited))
            entries.extend({"source": doc.name, **e.to_dict()} for e in cited.entries)
        encoders = Encoders.of(encoders) if encoders else Encoders.load(settings.model, settings.term_model)
        target = index_dir / f"build-{time.strftime('%Y%m%d-%H%M%S')}-{uuid.uuid4().hex[:6]}"
        work = index_dir / f".tmp-{target.name}"
        try:
            work.mkdir(parents=True)
            # References are noise to the encoder: passages and sentences are embedded without them.
            plain = [strip_citations(s.text) for s in sentences]
            passage_vectors = _encode(encoders.dense, [strip_citations(c.text) for c in chunks],
                                      "Embedding passages ", progress)
            sentence_vectors = _encode(encoders.dense, plain, "Embedding sentences", progress)
            if encoders.separate:
                np.save(work / TERM_VECTORS,
                        _encode(encoders.terms, plain, "Second opinion     ", progress))
            vocabulary = vocabulary_of(s.text for s in sentences)
            vocab_vectors = _encode(encoders.terms, vocabulary, "Embedding words    ", progress, batch=256)
            (work / "vocabulary.json").write_text(json.dumps(vocabulary, ensure_ascii=False), encoding="utf-8")
            np.save(work / "vocab_vectors.npy", vocab_vectors)
            _write_jsonl(work / "chunks.jsonl", (c.to_dict() for c in chunks))
            _write_jsonl(work / "sentences.jsonl", (s.to_dict() for s in sentences))
            if entries:  # most texts have none: no empty file
                _write_jsonl(work / BIBLIOGRAPHY, entries)
            if any(d.kind == "pdf" for d in docs):
                _write_jsonl(work / EXTRACTED, ({"source": d.name, "text": d.text} for d in docs if d.kind == "pdf"))
            np.save(work / "sentence_vectors.npy", sentence_vectors)
            write_faiss_index(make_faiss_index(passage_vectors, settings=settings.index), work / "passages.faiss")
            manifest = {
                "format": FORMAT,
                "package_version": __version__,
                "model": encoders.dense.name,
                "term_model": encoders.terms.name,
                "dimension": encoders.dense.dimension,
                "term_dimension": encoders.terms.dimension,
                "chunking": asdict(settings.chunking),
                "sources": {d.name: d.sha256 for d in docs},
                "texts": [d.info.to_dict() for d in docs],
                "source_files": source_hashes(source_dir),
                "counts": {"sources": len(docs), "passages": len(chunks), "sentences": len(sentences)},
                "files": {p.name: _file_sha(p) for p in sorted(work.iterdir())},
                "built": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
            }
            (work / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")
            _publish(work, target, index_dir)
        except OSError as exc:  # full disk, read-only file system, I/O error
            problem = _unwritable(index_dir, exc)  # before _discard frees the space it took
            _discard(index_dir, work, target)
            raise problem from None
        except BaseException:
            _discard(index_dir, work, target)
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


def _fsync(path: Path) -> None:
    """Make a directory's entries, or a file's data, durable (fsync needs a descriptor of either)."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _check_writable(index_dir: Path) -> None:
    """Fail now, not after minutes of embedding, when no build can be written here."""
    try:
        os.rmdir(tempfile.mkdtemp(prefix=".tmp-probe-", dir=index_dir))
    except OSError as exc:
        raise _unwritable(index_dir, exc) from None


def _publish(work: Path, target: Path, index_dir: Path) -> None:
    """Make a complete build current: its files on disk first (a full disk or an I/O error shows
    here at the latest), then its name, then the link."""
    for p in work.iterdir():
        _fsync(p)
    _fsync(work)
    work.rename(target)
    _swap_current(index_dir, target)


def _discard(index_dir: Path, work: Path, target: Path) -> None:
    """Remove what a failed build wrote, unless it already became current."""
    shutil.rmtree(work, ignore_errors=True)
    if target.is_dir() and current_build(index_dir) != target:
        shutil.rmtree(target, ignore_errors=True)


def _swap_current(index_dir: Path, target: Path) -> None:
    link = index_dir / CURRENT
    tmp = index_dir / f".{CURRENT}-{uuid.uuid4().hex[:6]}"
    os.symlink(target.name, tmp)
    aside = None
    try:
        if link.is_dir() and not link.is_symlink():
            # A copy made with `cp -rL` (or restored from a backup) holds the index as a directory,
            # which no rename can replace with a link: move it aside as a leftover first. Readers
            # meanwhile find no index and wait at the lock for this build.
            aside = link.rename(index_dir / f".tmp-{CURRENT}-{uuid.uuid4().hex[:6]}")
        os.replace(tmp, link)  # atomic: readers see the old index or the new one, never half of one
    except BaseException:
        with contextlib.suppress(OSError):
            if aside is not None:
                aside.rename(link)
            tmp.unlink()
        raise
    _fsync(index_dir)


def _clean_leftovers(index_dir: Path) -> None:
    """Remove interrupted builds and builds that are no longer current (called under the lock, so
    never another process's build in progress). Best effort: what cannot be removed now (e.g. in
    a read-only directory) is removed by a later build."""
    current = current_build(index_dir)
    with contextlib.suppress(OSError):
        for p in index_dir.iterdir():
            if p.name.startswith(".tmp-") or (p.name.startswith("build-") and p.is_dir() and p.resolve() != current):
                shutil.rmtree(p, ignore_errors=True)
            elif p.name.startswith(f".{CURRENT}-") and p.is_symlink():
                with contextlib.suppress(OSError):
                    p.unlink()


# What to do about an OSError of a write, by errno; anything else: make the directory writable.
_WRITE_FIX = {errno.ENOSPC: "free some disk space", errno.EDQUOT: "free some disk space"}
# np.save reports a short write without an errno ("N requested and M written"): a disk with less
# than this left after a failed write is taken to be full.
FULL_DISK_BYTES = 1 << 20


def _unwritable(index_dir: Path, exc: OSError) -> IndexProblem:
    code = exc.errno if exc.errno is not None else _full_disk_errno(index_dir)
    reason = os.strerror(code) if code is not None else (str(exc) or exc.__class__.__name__)
    fix = _WRITE_FIX.get(code, "make it writable")
    return IndexProblem(f"cannot write the index in {index_dir} ({reason}): {fix}, or choose another "
                        "directory with --index DIR (or RAG_HISTORY_INDEX); the previous index, if any, is unchanged.")


def _full_disk_errno(index_dir: Path) -> int | None:
    with contextlib.suppress(OSError):
        disk = os.statvfs(index_dir)
        if disk.f_bavail * disk.f_frsize < FULL_DISK_BYTES:
            return errno.ENOSPC
    return None


def _reason(exc: OSError) -> str:
    return exc.strerror or exc.__class__.__name__


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
    vocab_vectors: np.ndarray  # by the term model
    term_sentence_vectors: np.ndarray  # the sentences by the term model (sentence_vectors when it is the same)
    bibliography: dict[str, list[BibEntry]] = field(default_factory=dict)  # each text's reference list

    @property
    def model(self) -> str:
        return self.manifest["model"]

    @property
    def term_model(self) -> str:
        return self.manifest["term_model"]

    @property
    def texts(self) -> list[TextInfo]:
        """The indexed source texts, in build order."""
        return [TextInfo.from_dict(d) for d in self.manifest["texts"]]


def current_build(index_dir: Path) -> Path:
    """The build directory `current` names, resolved once: what is then read of it comes from one
    build even while another process swaps in a new one."""
    try:
        return (index_dir / CURRENT).resolve()
    except (OSError, RuntimeError):  # a link loop (RuntimeError in Python 3.11): reading it says why
        return index_dir / CURRENT


def index_status(index_dir: Path, source_dir: Path, settings: BuildSettings, verify: bool = True) -> str | None:
    """None when the index is usable for these settings and sources, else why it is not."""
    build = current_build(index_dir)
    try:
        manifest = _read_manifest(build)
    except (FileNotFoundError, NotADirectoryError):
        return "no index has been built yet"
    except OSError as exc:
        return f"the index manifest cannot be read ({_reason(exc)})"
    if manifest is None or not isinstance(manifest.get("source_files"), dict):
        return "the index manifest is unreadable"
    if manifest.get("format") != FORMAT or manifest.get("package_version") != __version__:
        return "the index was built by another version of rag-history"
    if manifest.get("model") != settings.model:
        return f"the index was built with model {manifest.get('model')!r}, not {settings.model!r}"
    if manifest.get("term_model") != settings.term_model:
        return f"the index was built with term model {manifest.get('term_model')!r}, not {settings.term_model!r}"
    if manifest.get("chunking") != asdict(settings.chunking):
        return "the index was built with other chunking settings"
    hashes, recorded = source_hashes(source_dir), manifest["source_files"]
    changed = sorted(name for name in set(hashes) | set(recorded) if hashes.get(name) != recorded.get(name))
    if changed:
        return "source texts changed since the last build: " + ", ".join(changed)
    return _damage(build, manifest) if verify else None


def _read_manifest(build: Path) -> dict | None:
    """The manifest, None when it is not a JSON object; OSError when it cannot be read."""
    try:
        manifest = json.loads((build / MANIFEST).read_bytes())
    except ValueError:
        return None
    return manifest if isinstance(manifest, dict) else None


def _damage(build: Path, manifest: dict) -> str | None:
    """Why a build's files do not match its manifest (missing, extra, altered, unreadable, or from
    different builds), or None."""
    files = manifest.get("files")
    if not isinstance(files, dict) or not files:
        return "the index manifest is unreadable"
    try:
        present = {p.name for p in build.iterdir()} - {MANIFEST}
    except OSError as exc:
        return f"the index directory {build} cannot be read ({_reason(exc)})"
    for name in sorted(present | set(files)):
        if name not in files:
            return f"index file {name} is not in the manifest"
        if name not in present:
            return f"index file {name} is missing"
        try:
            sha = _file_sha(build / name)
        except OSError as exc:
            return f"index file {name} cannot be read ({_reason(exc)})"
        if sha != files[name]:
            return f"index file {name} is damaged (checksum mismatch)"
    return _mismatch(build, manifest)


@dataclass(frozen=True)
class _Shapes:
    """How much each index file holds: rows, and (rows, dimensions) of the vectors."""

    passages: int
    passage_vectors: tuple[int, int]
    sentences: int
    sentence_vectors: tuple[int, ...]
    vocabulary: int
    vocab_vectors: tuple[int, ...]
    term_sentence_vectors: tuple[int, ...] | None  # None: the dense model is the term model too


def _mismatch(build: Path, manifest: dict) -> str | None:
    """Why files that each match their checksum do not belong together (one build's passages with
    another's vectors, each copied with its manifest entry), or None. Reads only the files' row
    counts and array headers: load_index checks the same on what it loads."""
    import faiss

    try:
        # IO_FLAG_MMAP_IFC maps the vectors instead of reading them: the header is all we need.
        passages = faiss.read_index(str(build / "passages.faiss"), faiss.IO_FLAG_MMAP_IFC)
        shapes = _Shapes(_count_rows(build / "chunks.jsonl"), (passages.ntotal, passages.d),
                         _count_rows(build / "sentences.jsonl"),
                         np.load(build / "sentence_vectors.npy", mmap_mode="r").shape,
                         len(json.loads((build / "vocabulary.json").read_bytes())),
                         np.load(build / "vocab_vectors.npy", mmap_mode="r").shape,
                         np.load(build / TERM_VECTORS, mmap_mode="r").shape if (build / TERM_VECTORS).exists() else None)
    except Exception as exc:  # a file that matches its checksum and still does not parse
        return f"the index files cannot be read ({exc.__class__.__name__})"
    return _disagreement(manifest, shapes)


def _count_rows(path: Path) -> int:
    """Rows of a JSON Lines file as _write_jsonl writes them: one line each ("\n" never occurs
    inside a row: json.dumps escapes it)."""
    with open(path, "rb") as f:
        return sum(block.count(b"\n") for block in iter(lambda: f.read(1 << 20), b""))


def _disagreement(manifest: dict, found: _Shapes) -> str | None:
    """Where the files' contents disagree with the manifest's counts and dimension, or None."""
    counts, dimension = manifest.get("counts"), manifest.get("dimension")
    term_dimension = manifest.get("term_dimension")
    if not isinstance(counts, dict):
        return "the index manifest is unreadable"
    passages, sentences = counts.get("passages"), counts.get("sentences")
    separate = manifest.get("term_model") != manifest.get("model")
    for name, has, expected in (
            ("chunks.jsonl", found.passages, passages),
            ("passages.faiss", found.passage_vectors, (passages, dimension)),
            ("sentences.jsonl", found.sentences, sentences),
            ("sentence_vectors.npy", found.sentence_vectors, (sentences, dimension)),
            ("vocab_vectors.npy", found.vocab_vectors, (found.vocabulary, term_dimension)),
            (TERM_VECTORS, found.term_sentence_vectors, (sentences, term_dimension) if separate else None)):
        if has != expected:
            return (f"index file {name} holds {_size(has)}, not the {_size(expected)} of the rest of the index: "
                    "its files come from different builds")
    return None


def _size(shape) -> str:
    return f"{shape} rows" if isinstance(shape, int) else "x".join(map(str, shape)) + " vectors"


def _loads(index_dir: Path) -> bool:
    try:
        load_index(index_dir)
    except IndexProblem:
        return False
    return True


def load_index(index_dir: Path) -> LoadedIndex:
    """The current build, loaded; IndexProblem (saying to run `rag-history build`) when it cannot be."""
    import faiss

    current = current_build(index_dir)
    try:
        manifest = _read_manifest(current)
        chunks = [Chunk.from_dict(row) for row in _read_jsonl(current / "chunks.jsonl")]
        sentences = [SentenceRecord.from_dict(row) for row in _read_jsonl(current / "sentences.jsonl")]
        bibliography: dict[str, list[BibEntry]] = {}
        for row in _read_jsonl(current / BIBLIOGRAPHY) if (current / BIBLIOGRAPHY).exists() else ():
            bibliography.setdefault(row.pop("source"), []).append(BibEntry.from_dict(row))
        sentence_vectors = np.load(current / "sentence_vectors.npy")
        faiss_index = faiss.read_index(str(current / "passages.faiss"))
        vocabulary = json.loads((current / "vocabulary.json").read_text(encoding="utf-8"))
        vocab_vectors = np.load(current / "vocab_vectors.npy")
        term_file = current / TERM_VECTORS
        term_vectors = np.load(term_file) if term_file.exists() else None
    except Exception as exc:  # any damage: the caller rebuilds or tells the user how
        raise IndexProblem(f"the index in {index_dir} cannot be read ({exc.__class__.__name__}); "
                           "run `rag-history build` to rebuild it.") from None
    problem = "the index manifest is unreadable" if manifest is None else _disagreement(
        manifest, _Shapes(len(chunks), (faiss_index.ntotal, faiss_index.d), len(sentences), sentence_vectors.shape,
                          len(vocabulary), vocab_vectors.shape, None if term_vectors is None else term_vectors.shape))
    if problem:
        raise IndexProblem(f"the index in {index_dir} cannot be used: {problem}; "
                           "run `rag-history build` to rebuild it.")
    return LoadedIndex(current, manifest, chunks, sentences, sentence_vectors, faiss_index, vocabulary, vocab_vectors,
                       sentence_vectors if term_vectors is None else term_vectors, bibliography)
