"""File-system faults under the index (issue 13): `current` copied as a directory, a read-only
index directory, an unreadable index file, a full disk. Each is one line saying what to do (exit
status 2; IndexProblem in Python), never a traceback, and the index that was current stays
current and answers.

Permissions do not bind root, so the read-only and unreadable cases run the command as an
unprivileged user (`unshare --map-user`, when the tests run as root); the full disk is simulated
in-process (every way a write can fail) and, where a mount namespace is allowed, is a real tiny
tmpfs. Where neither is possible those tests are skipped, saying why.
"""

from __future__ import annotations

import builtins
import errno
import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import FIXTURE_ANSWER, FIXTURE_QUESTION
from rag_history import Assistant
from rag_history.cli import main
from rag_history.config import Settings
from rag_history.errors import IndexProblem
from rag_history.index import CURRENT, build_index, index_status

FAULT_CLI = Path(__file__).resolve().parent / "fault_cli.py"


@pytest.fixture
def built(fake_encoder, fixture_sources, tmp_path, clean_env) -> Settings:
    settings = Settings(source_dir=fixture_sources, index_dir=tmp_path / "index")
    build_index(settings.source_dir, settings.index_dir, settings.build, None, progress=False)
    return settings


def current_build(index_dir: Path) -> Path:
    return (index_dir / CURRENT).resolve()


def _args(settings: Settings) -> list[str]:
    return ["--sources", str(settings.source_dir), "--index", str(settings.index_dir), "-q"]


def _cli(capsys, settings: Settings, *argv: str) -> tuple[int, str, str]:
    code = main([*argv, *_args(settings)])
    out, err = capsys.readouterr()
    return code, out, err


def _answers(settings: Settings) -> bool:
    return Assistant.load(settings, build="never").ask(FIXTURE_QUESTION).text == FIXTURE_ANSWER


def _one_line(err: str) -> bool:
    """One line from rag-history saying what to do (after the note that it set out to build)."""
    lines = [line for line in err.splitlines() if not line.startswith("rag-history: building the index (")]
    return len(lines) == 1 and lines[0].startswith("rag-history: ") and err.endswith("\n") and "Traceback" not in err


def _entries(settings: Settings) -> list[str]:
    return sorted(p.name for p in settings.index_dir.iterdir() if p.name not in {".lock", CURRENT})


# --- `current` as a directory ------------------------------------------------------------------


def _copy_current_as_directory(settings: Settings) -> None:
    """What `cp -rL index copy && mv copy index` leaves: `current` a directory, not a link."""
    link = settings.index_dir / CURRENT
    copy = settings.index_dir / "copy"
    shutil.copytree(link.resolve(), copy)
    link.unlink()
    copy.rename(link)


def test_current_copied_as_a_directory_is_replaced_by_every_rebuild(built, capsys):
    _copy_current_as_directory(built)
    assert index_status(built.index_dir, built.source_dir, built.build) is None and _answers(built)
    for _ in range(2):
        code, out, err = _cli(capsys, built, "build", "--force")
        assert (code, err) == (0, "") and "Built" in out
        assert (built.index_dir / CURRENT).is_symlink() and _answers(built)
        assert _entries(built) == [current_build(built.index_dir).name]


def test_current_copied_as_a_directory_is_rebuilt_when_stale(built, capsys):
    _copy_current_as_directory(built)
    (built.source_dir / "ek.txt").write_text("Ankara ile Moskova 1921 yılında anlaştı (Sofuoğlu,2005:204).\n",
                                             encoding="utf-8")
    code, out, err = _cli(capsys, built, "ask", FIXTURE_QUESTION)
    assert code == 0 and FIXTURE_ANSWER in out and "building the index" in err
    assert index_status(built.index_dir, built.source_dir, built.build) is None


def test_current_linked_to_itself(built, capsys):
    link = built.index_dir / CURRENT
    link.unlink()
    os.symlink(CURRENT, link)
    code, out, err = _cli(capsys, built, "ask", "--no-build", FIXTURE_QUESTION)
    assert code == 2 and out == "" and _one_line(err) and "Too many levels of symbolic links" in err
    code, out, err = _cli(capsys, built, "ask", FIXTURE_QUESTION)
    assert code == 0 and FIXTURE_ANSWER in out and "building the index" in err
    assert link.is_symlink() and _answers(built)


# --- a full disk, simulated: every way a write of the index can fail ---------------------------


class _FullDisk:
    """Makes the index's writes fail with ENOSPC at one point: the n-th file written (at its first
    write), a fsync, a rename, the link, or the build directory itself."""

    def __init__(self, monkeypatch, index_dir: Path):
        self.monkeypatch, self.index_dir = monkeypatch, index_dir.resolve()
        self.files_written = 0

    def _ours(self, path) -> bool:
        return isinstance(path, (str, os.PathLike)) and Path(os.path.realpath(path)).is_relative_to(self.index_dir)

    def count_files(self) -> None:
        real = builtins.open

        def counting(file, mode="r", *args, **kwargs):
            if self._ours(file) and any(c in mode for c in "wax"):
                self.files_written += 1
            return real(file, mode, *args, **kwargs)

        self.monkeypatch.setattr(builtins, "open", counting)
        self.monkeypatch.setattr(io, "open", counting)

    def fail_file(self, n: int) -> None:
        real, seen = builtins.open, []

        def failing(file, mode="r", *args, **kwargs):
            f = real(file, mode, *args, **kwargs)
            if self._ours(file) and any(c in mode for c in "wax"):
                seen.append(file)
                if len(seen) == n + 1:
                    f.write = _enospc
            return f

        self.monkeypatch.setattr(builtins, "open", failing)
        self.monkeypatch.setattr(io, "open", failing)

    def fail_call(self, module, name: str) -> None:
        self.monkeypatch.setattr(module, name, _enospc)


def _enospc(*args, **kwargs):
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


def _assert_full_disk_refused(capsys, settings: Settings) -> None:
    code, out, err = _cli(capsys, settings, "build", "--force")
    assert code == 2 and out == "" and _one_line(err), err
    assert "No space left on device" in err and "free some disk space" in err


def _assert_unchanged(settings: Settings, before: Path) -> None:
    assert current_build(settings.index_dir) == before
    assert index_status(settings.index_dir, settings.source_dir, settings.build) is None and _answers(settings)
    assert _entries(settings) == [before.name]  # what the failed build wrote is gone


def test_full_disk_at_every_file_of_a_build(built, capsys, monkeypatch):
    with monkeypatch.context() as patch:
        counter = _FullDisk(patch, built.index_dir)
        counter.count_files()
        assert _cli(capsys, built, "build", "--force")[0] == 0
    assert counter.files_written >= 7  # vocabulary, vocabulary vectors, passages, sentences, ...
    before = current_build(built.index_dir)
    for n in range(counter.files_written):
        with monkeypatch.context() as patch:
            _FullDisk(patch, built.index_dir).fail_file(n)
            _assert_full_disk_refused(capsys, built)
        _assert_unchanged(built, before)


@pytest.mark.parametrize("call", ["fsync", "rename", "replace", "symlink", "mkdir"])
def test_full_disk_when_a_build_is_made_current(built, capsys, monkeypatch, call):
    before = current_build(built.index_dir)
    with monkeypatch.context() as patch:
        _FullDisk(patch, built.index_dir).fail_call(os, call)
        _assert_full_disk_refused(capsys, built)
    _assert_unchanged(built, before)


def test_full_disk_in_python_is_an_index_problem(built, monkeypatch):
    before = current_build(built.index_dir)
    (built.source_dir / "ek.txt").write_text("Ankara ile Moskova 1921 yılında anlaştı (Sofuoğlu,2005:204).\n",
                                             encoding="utf-8")
    with monkeypatch.context() as patch:
        _FullDisk(patch, built.index_dir).fail_file(0)
        with pytest.raises(IndexProblem, match="No space left on device"):
            Assistant.load(built, log=lambda msg: None)
    assert current_build(built.index_dir) == before


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full here")
def test_a_faiss_index_that_cannot_be_written_is_an_error():
    """A file whose last write fails (as on a full disk): faiss's own file writer only prints a
    message there and returns, leaving a truncated file to be checksummed as it is."""
    import numpy as np

    from rag_history.index import make_faiss_index, write_faiss_index

    with pytest.raises(OSError) as exc:
        write_faiss_index(make_faiss_index(np.eye(4, dtype=np.float32)), Path("/dev/full"))
    assert exc.value.errno == errno.ENOSPC


# --- faults that need another user or a mount namespace ----------------------------------------


def _works(cmd: list[str]) -> bool:
    try:
        return subprocess.run(cmd, capture_output=True, timeout=60).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


def _unprivileged_prefix(tmp_path: Path) -> list[str]:
    """A command prefix that runs without root's power over file permissions (or skips)."""
    probe = tmp_path / "probe"
    probe.write_text("x")
    probe.chmod(0)
    prefix = [] if os.geteuid() != 0 else ["unshare", "--user", "--map-user=65534", "--map-group=65534"]
    if not _works([*prefix, "true"]) or _works([*prefix, "cat", str(probe)]):
        pytest.skip("cannot run as an unprivileged user here (running as root without user namespaces)")
    return prefix


@pytest.fixture
def unprivileged(tmp_path) -> list[str]:
    return _unprivileged_prefix(tmp_path)


@pytest.fixture(params=["chmod", "read-only mount"])
def read_only(request, built, tmp_path):
    """A command prefix under which the index directory is read-only: its mode 555 for an
    unprivileged user (EACCES), or a read-only bind mount (EROFS)."""
    if request.param == "chmod":
        prefix = _unprivileged_prefix(tmp_path)
        built.index_dir.chmod(0o555)
        yield prefix
        built.index_dir.chmod(0o755)
        return
    index = str(built.index_dir)
    prefix = ["unshare", "--map-root-user", "--mount", "sh", "-c",
              f"mount --bind '{index}' '{index}' && mount -o remount,bind,ro '{index}' && exec \"$@\"", "sh"]
    if not _works([*prefix, "true"]):
        pytest.skip("cannot mount here (no user and mount namespaces)")
    yield prefix


def _run(prefix: list[str], settings: Settings, *argv: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("RAG_HISTORY_")}
    return subprocess.run([*prefix, sys.executable, str(FAULT_CLI), *argv, *_args(settings)],
                          capture_output=True, text=True, env=env, timeout=120)


def test_read_only_index_directory(built, read_only):
    """A fresh index answers and a no-op build says so; a build that must write says what to do."""
    before = current_build(built.index_dir)
    run = _run(read_only, built, "ask", "--no-build", FIXTURE_QUESTION)
    assert run.returncode == 0 and FIXTURE_ANSWER in run.stdout, run.stderr
    run = _run(read_only, built, "build")
    assert run.returncode == 0 and "up to date" in run.stdout, run.stderr
    (built.source_dir / "ek.txt").write_text("Ankara ile Moskova 1921 yılında anlaştı.\n", encoding="utf-8")
    for argv in (["build", "--force"], ["ask", FIXTURE_QUESTION]):
        run = _run(read_only, built, *argv)
        assert run.returncode == 2 and run.stdout == "" and _one_line(run.stderr), run.stderr
        assert "make it writable" in run.stderr and "--index" in run.stderr
    (built.source_dir / "ek.txt").unlink()
    _assert_unchanged(built, before)


def test_unreadable_index_file(built, unprivileged):
    chunks = current_build(built.index_dir) / "chunks.jsonl"
    chunks.chmod(0)
    run = _run(unprivileged, built, "ask", "--no-build", FIXTURE_QUESTION)
    assert run.returncode == 2 and run.stdout == "" and _one_line(run.stderr), run.stderr
    assert "chunks.jsonl cannot be read (Permission denied)" in run.stderr and "`rag-history build`" in run.stderr
    run = _run(unprivileged, built, "ask", FIXTURE_QUESTION)  # rebuilt in a new directory
    assert run.returncode == 0 and FIXTURE_ANSWER in run.stdout and "building the index" in run.stderr
    assert _answers(built) and _entries(built) == [current_build(built.index_dir).name]


def test_unreadable_index_directory(built, unprivileged):
    built.index_dir.chmod(0)
    try:
        for argv in (["ask", "--no-build", FIXTURE_QUESTION], ["ask", FIXTURE_QUESTION], ["build"]):
            run = _run(unprivileged, built, *argv)
            assert run.returncode == 2 and run.stdout == "" and _one_line(run.stderr), (argv, run.stderr)
            assert "Permission denied" in run.stderr
    finally:
        built.index_dir.chmod(0o755)
    assert _answers(built)


@pytest.fixture
def tiny_disk(tmp_path) -> list[str]:
    """A command prefix that mounts a 1 MiB tmpfs on tmp_path/disk for the command it runs."""
    disk = tmp_path / "disk"
    disk.mkdir()
    prefix = ["unshare", "--map-root-user", "--mount", "sh", "-c",
              f"mount -t tmpfs -o size=1m tmpfs '{disk}' && exec \"$@\"", "sh"]
    if not _works([*prefix, "true"]):
        pytest.skip("cannot mount a tmpfs here (no user and mount namespaces)")
    return prefix


def test_a_really_full_disk_at_every_page(tiny_disk, fixture_sources, tmp_path, clean_env):
    """`build --force` with 0, 1, 2 ... pages free: each attempt that fails is one line, leaves the
    previous index current and answering, and leaves nothing behind."""
    run = subprocess.run([*tiny_disk, sys.executable, str(FAULT_CLI), "--fill-sweep", str(tmp_path / "disk"),
                          str(fixture_sources)], capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr
    attempts = [json.loads(line) for line in run.stdout.splitlines()]
    assert len(attempts) > 10 and attempts[-1]["code"] == 0
    for a in attempts:
        assert a["status"] is None and a["ask"] == 0 and a["entries"] == [a["current"]], a
        if a["code"] != 0:
            assert a["code"] == 2 and _one_line(a["err"]) and "No space left on device" in a["err"], a
            assert a["current"] == a["before"], a
