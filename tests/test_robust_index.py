"""A damaged, concurrent or interrupted index (issue 6): detected by checksums and rebuilt (or
reported with the command to run), builds serialized by the lock, and a build killed with
SIGKILL leaves the previous index loading and answering."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from rag_history import Assistant
from rag_history.cli import main
from rag_history.config import Settings
from rag_history.errors import IndexProblem
from rag_history.index import CURRENT, MANIFEST, build_index, index_status, load_index

MOSCOW = "Moskova Antlaşması ne zaman imzalandı?"
TESTS = Path(__file__).resolve().parent


@pytest.fixture
def built(fake_encoder, source_copy, tmp_path) -> Settings:
    settings = Settings(source_dir=source_copy, index_dir=tmp_path / "index")
    build_index(settings.source_dir, settings.index_dir, settings.build, None, progress=False)  # fake encoders
    return settings


def _status(settings: Settings) -> str | None:
    return index_status(settings.index_dir, settings.source_dir, settings.build)


def _current(settings: Settings) -> Path:
    return (settings.index_dir / CURRENT).resolve()


def test_every_index_file_is_checked(built):
    """Flip one byte of each file in turn: the checksum in the manifest names the file."""
    files = sorted(p for p in _current(built).iterdir() if p.name != MANIFEST)
    assert len(files) >= 5
    for path in files:
        data = path.read_bytes()
        middle = len(data) // 2
        path.write_bytes(data[:middle] + bytes([data[middle] ^ 0x20]) + data[middle + 1:])
        assert _status(built) == f"index file {path.name} is damaged (checksum mismatch)"
        path.write_bytes(data)
    assert _status(built) is None


def test_missing_and_unlisted_index_files_are_found(built):
    stray = _current(built) / "extra.npy"
    stray.write_bytes(b"\x93NUMPY")
    assert _status(built) == "index file extra.npy is not in the manifest"
    stray.unlink()
    (_current(built) / "chunks.jsonl").unlink()
    assert _status(built) == "index file chunks.jsonl is missing"


def test_truncated_index_file_is_rebuilt_on_load(built):
    chunks = _current(built) / "chunks.jsonl"
    chunks.write_bytes(chunks.read_bytes()[:100])
    log: list[str] = []
    assistant = Assistant.load(built, log=log.append)
    assert "chunks.jsonl is damaged" in log[0]
    assert _status(built) is None and not assistant.ask(MOSCOW).abstained


@pytest.mark.parametrize("damage", [
    lambda text: text[: len(text) // 2],  # truncated
    lambda text: "",  # emptied
    lambda text: "[]",  # valid JSON, not a manifest
    lambda text: json.dumps({k: v for k, v in json.loads(text).items() if k != "files"}),  # checksums lost
    lambda text: json.dumps({**json.loads(text), "source_files": [1, 2]}),  # wrong shape
])
def test_damaged_manifest_is_detected_and_rebuilt(built, damage):
    manifest = _current(built) / MANIFEST
    manifest.write_text(damage(manifest.read_text(encoding="utf-8")), encoding="utf-8")
    assert _status(built) == "the index manifest is unreadable"
    Assistant.load(built, log=lambda msg: None)
    assert _status(built) is None


def test_no_build_reports_the_command_to_run(built, capsys):
    chunks = _current(built) / "chunks.jsonl"
    chunks.write_bytes(chunks.read_bytes()[:100])
    status = main(["ask", "--no-build", "--sources", str(built.source_dir), "--index", str(built.index_dir), MOSCOW])
    err = capsys.readouterr().err
    assert status == 2 and err.count("\n") == 1
    assert "chunks.jsonl is damaged" in err and "`rag-history build`" in err and "Traceback" not in err


def test_unreadable_index_with_no_build_says_what_to_run_once(built, monkeypatch):
    """A file that passes the checksum but cannot be loaded: the message names the command once."""
    monkeypatch.setattr("rag_history.assistant.index_status", lambda *a, **k: None)
    (_current(built) / "passages.faiss").write_bytes(b"not faiss")
    with pytest.raises(IndexProblem) as exc:
        Assistant.load(built, build="never")
    assert str(exc.value).count("rag-history build") == 1


def test_a_build_that_waited_for_a_fresh_index_is_skipped(built, fake_encoder):
    before = _current(built)
    again = build_index(built.source_dir, built.index_dir, built.build, None, progress=False, force=False)
    assert again == before


# Run in two processes at once: each waits for the "go" file, then builds with an encoder that
# records when it worked. With the lock their working times cannot overlap.
_BUILDER = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    sys.path.insert(0, {tests!r})
    from conftest import HashingEncoder
    from rag_history.config import Settings
    from rag_history.embedding import Encoders
    from rag_history.index import build_index

    class SlowEncoder(HashingEncoder):
        def encode(self, texts, batch_size=64):
            with open({log!r}, "a") as log:
                log.write(f"{{sys.argv[1]}} {{time.time()}}\\n")
            time.sleep(0.05)
            return super().encode(texts)

    settings = Settings(source_dir=Path({sources!r}), index_dir=Path({index!r}))
    print("ready", flush=True)
    for _ in range(600):
        if Path({go!r}).exists():
            break
        time.sleep(0.01)
    encoders = Encoders(SlowEncoder(settings.build.model), SlowEncoder(settings.build.term_model))
    build_index(settings.source_dir, settings.index_dir, settings.build, encoders, progress=False)
""")


def test_two_builds_at_once_are_serialized(fake_encoder, source_copy, tmp_path):
    go, log = tmp_path / "go", tmp_path / "encode.log"
    script = _BUILDER.format(tests=str(TESTS), log=str(log), sources=str(source_copy),
                             index=str(tmp_path / "index"), go=str(go))
    builders = [subprocess.Popen([sys.executable, "-c", script, name], stdout=subprocess.PIPE, text=True)
                for name in ("a", "b")]
    for b in builders:
        assert b.stdout.readline().strip() == "ready"
    go.touch()
    for b in builders:
        assert b.wait(timeout=120) == 0
    spans = {}
    for line in log.read_text().splitlines():
        name, at = line.split()
        lo, hi = spans.get(name, (float("inf"), 0.0))
        spans[name] = (min(lo, float(at)), max(hi, float(at)))
    (a_lo, a_hi), (b_lo, b_hi) = spans["a"], spans["b"]
    assert a_hi < b_lo or b_hi < a_lo, f"builds overlapped: {spans}"
    settings = Settings(source_dir=source_copy, index_dir=tmp_path / "index")
    assert _status(settings) is None
    assert not list(settings.index_dir.glob(".tmp-*")) and len(list(settings.index_dir.glob("build-*"))) == 1


def test_build_killed_midway_leaves_the_previous_index_answering(assistant, settings, tmp_path):
    """SIGKILL a real `rag-history build --force` while it embeds; the old index still answers."""
    index = tmp_path / "index"
    shutil.copytree(settings.index_dir, index, symlinks=True)
    copy = settings.with_(index_dir=index)
    previous = _current(copy)
    with open(tmp_path / "build.err", "wb") as err:
        build = subprocess.Popen([sys.executable, "-m", "rag_history.cli", "build", "--force",
                                  "--sources", str(copy.source_dir), "--index", str(index)],
                                 stdout=subprocess.DEVNULL, stderr=err)
        try:
            deadline = time.monotonic() + 120
            while not list(index.glob(".tmp-*")) and build.poll() is None and time.monotonic() < deadline:
                time.sleep(0.01)
            os.kill(build.pid, signal.SIGKILL)
        finally:
            build.kill()
            build.wait(timeout=30)
    assert build.returncode == -signal.SIGKILL
    assert list(index.glob(".tmp-*")), "the build was not caught midway"
    assert _current(copy) == previous
    assert _status(copy) is None
    survivor = Assistant(copy, load_index(index), assistant.encoders)  # the encoders are loaded already
    assert survivor.ask(MOSCOW).text == assistant.ask(MOSCOW).text


def test_line_separators_in_a_source_survive_the_index(fake_encoder, tmp_path):
    """U+2028 and NEL inside a sentence: a JSON Lines reader that used splitlines() broke on them.
    The source repair reads both as line breaks (a space in the sentence)."""
    sources = tmp_path / "sources"
    sources.mkdir()
    (sources / "web.txt").write_text("Ankara\u2028ile Moskova 1921 yılında\x85anlaştı (Sofuoğlu,2005:204).\n",
                                     encoding="utf-8")
    settings = Settings(source_dir=sources, index_dir=tmp_path / "index")
    assistant = Assistant.load(settings, log=lambda msg: None)
    assert [s.text for s in assistant.index.sentences] == ["Ankara ile Moskova 1921 yılında anlaştı "
                                                           "(Sofuoğlu,2005:204)."]


# --- issue 13: files from different builds, a no-op build's leftovers ---------------------------


@pytest.fixture
def other_build(fake_encoder, source_copy, tmp_path) -> Path:
    """A build over more sources (the article and the invented text) with other chunking: every
    file of it holds more rows than the same file of `built`."""
    sources = shutil.copytree(source_copy, tmp_path / "other-sources")
    shutil.copy(TESTS / "data" / "serinova-feneri.txt", sources)
    settings = Settings(source_dir=sources, index_dir=tmp_path / "other", chunk_tokens=64, chunk_overlap=8)
    build_index(settings.source_dir, settings.index_dir, settings.build, None, progress=False)
    return _current(settings)


def _transplant(settings: Settings, other: Path, names) -> None:
    """Put files of another build into the current one, each with its manifest entry: every
    checksum still matches."""
    path = _current(settings) / MANIFEST
    manifest, theirs = json.loads(path.read_text(encoding="utf-8")), json.loads((other / MANIFEST).read_text())
    for name in names:
        shutil.copy(other / name, _current(settings) / name)
        manifest["files"][name] = theirs["files"][name]
    path.write_text(json.dumps(manifest), encoding="utf-8")


EVERY_FILE = ["chunks.jsonl", "passages.faiss", "sentences.jsonl", "sentence_vectors.npy", "vocabulary.json",
              "vocab_vectors.npy"]


@pytest.mark.parametrize("names", [[name] for name in EVERY_FILE] + [["passages.faiss", "sentence_vectors.npy",
                                                                       "vocab_vectors.npy"]], ids="+".join)
def test_files_from_different_builds_are_a_damaged_index(built, other_build, names):
    _transplant(built, other_build, names)
    problem = _status(built)
    assert problem is not None and "come from different builds" in problem
    log: list[str] = []
    assistant = Assistant.load(built, log=log.append)
    assert "come from different builds" in log[0]
    assert _status(built) is None and not assistant.ask(MOSCOW).abstained


def test_files_from_different_builds_never_loop(built, other_build, capsys):
    """--no-build says to run `build`; `build` (without --force) rebuilds; then the index answers."""
    _transplant(built, other_build, ["passages.faiss", "sentence_vectors.npy"])
    args = ["--sources", str(built.source_dir), "--index", str(built.index_dir), "-q"]
    assert main(["ask", "--no-build", *args, MOSCOW]) == 2
    out, err = capsys.readouterr()
    assert out == "" and err.count("\n") == 1 and "different builds" in err and "`rag-history build`" in err
    assert main(["build", *args]) == 0
    assert "Built" in capsys.readouterr().out
    assert main(["ask", "--no-build", *args, MOSCOW]) == 0
    assert "Sofuoğlu" in capsys.readouterr().out


def test_an_index_that_does_not_load_is_rebuilt_though_it_looks_fresh(built, monkeypatch, capsys):
    """Whatever index_status misses, neither `build` nor a load that builds keeps an index that
    cannot be loaded (they said "building" and "up to date" and built nothing)."""
    monkeypatch.setattr("rag_history.index.index_status", lambda *a, **k: None)
    monkeypatch.setattr("rag_history.assistant.index_status", lambda *a, **k: None)
    (_current(built) / "passages.faiss").write_bytes(b"not faiss")
    assert not Assistant.load(built, log=lambda msg: None).ask(MOSCOW).abstained
    (_current(built) / "passages.faiss").write_bytes(b"not faiss")
    assert main(["build", "--sources", str(built.source_dir), "--index", str(built.index_dir), "-q"]) == 0
    assert "Built" in capsys.readouterr().out
    load_index(built.index_dir)


def test_a_no_op_build_removes_leftovers_under_the_lock(built, capsys, monkeypatch):
    """A `kill -9`ed build's directory, an old build and a link being swapped in: a `build` that
    finds the index up to date removes them, holding the lock (so never another's build in progress)."""
    import fcntl

    index = built.index_dir
    killed = index / ".tmp-build-20261201-000000-dead00"
    killed.mkdir()
    (killed / "chunks.jsonl").write_text('{"id": "', encoding="utf-8")
    shutil.copytree(_current(built), index / "build-20261130-000000-01d000")
    os.symlink("build-20261130-000000-01d000", index / ".current-dead00")
    locked, rmtree = [], shutil.rmtree

    def locked_rmtree(path, *args, **kwargs):
        probe = os.open(index / ".lock", os.O_RDONLY)
        try:
            fcntl.flock(probe, fcntl.LOCK_EX | fcntl.LOCK_NB)
            locked.append(False)
        except BlockingIOError:
            locked.append(True)
        finally:
            os.close(probe)
        return rmtree(path, *args, **kwargs)

    monkeypatch.setattr(shutil, "rmtree", locked_rmtree)
    assert main(["build", "--sources", str(built.source_dir), "--index", str(index), "-q"]) == 0
    assert "up to date" in capsys.readouterr().out
    assert sorted(p.name for p in index.iterdir()) == [".lock", _current(built).name, CURRENT]
    assert locked and all(locked)
