"""Output files of a long run: checked before the work starts, written whole or not at all, and
saved elsewhere when the write still fails at the end, so computed results are never lost.

Standard library only (`tempfile`, `os.replace`): the maintained atomic-write package
(`atomicwrites`) is deprecated, and what is needed here is a temporary file beside the target
renamed over it, which is three lines.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from .errors import OutputError


def check_output(path: Path, option: str, not_over: dict[str, Path]) -> None:
    """Raise OutputError (one line) unless `path` can be written as a regular file.

    `not_over` maps a description ("the question set") to a file this output must not replace.
    A missing parent folder is created. Run it before any work whose result goes to `path`.
    """
    path = Path(path)
    if path.is_dir():
        raise OutputError(f"{option} {path} is a directory; give a file name.")
    if path.exists() and not path.is_file():
        raise OutputError(f"{option} {path} is not a regular file (a device or a pipe); give a file name.")
    for what, other in not_over.items():
        if _same_file(path, Path(other)):
            raise OutputError(f"{option} {path} is {what}: writing there would replace it; give another file name.")
    folder = path.resolve().parent  # a symlinked target is written where it points
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError):
        raise OutputError(f"{option} {path}: a part of {folder} is a file, not a folder; give another path.") from None
    except OSError as exc:
        raise OutputError(f"{option} {path}: cannot create the folder {folder} ({_why(exc)}).") from None
    try:  # the write below creates a file beside the target: prove now that it can
        fd, probe = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".check")
        os.close(fd)
        os.unlink(probe)
    except OSError as exc:
        raise OutputError(f"{option} {path}: cannot write in {folder} ({_why(exc)}); "
                          "choose a folder you can write to.") from None
    if path.exists() and not os.access(path, os.W_OK):
        raise OutputError(f"{option} {path} is read-only; give another file name or make it writable.")


def write_atomic(path: Path, text: str) -> None:
    """Write `text` to a temporary file beside `path`, then rename it over `path`: a reader (or a
    failure: a full disk, a vanished folder) never leaves half a file there. Raises OSError."""
    path = Path(path).resolve()  # through a symlink, not over it
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            os.fchmod(f.fileno(), _mode_for(path))
            f.write(text)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def save_elsewhere(text: str, name: str) -> Path:
    """Keep `text` that could not be written where it was asked for: in the temporary folder,
    else the current one. Returns where; raises OutputError when neither can be written."""
    problems = []
    for folder in (Path(tempfile.gettempdir()), Path.cwd()):
        try:
            fd, saved = tempfile.mkstemp(dir=folder, prefix="rag-history-", suffix=f"-{name}")
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                f.write(text)
            return Path(saved)
        except OSError as exc:
            problems.append(f"{folder}: {_why(exc)}")
    raise OutputError(f"could not save {name} anywhere ({'; '.join(problems)}).")


def _why(exc: OSError) -> str:
    return exc.strerror or str(exc)


def _same_file(a: Path, b: Path) -> bool:
    if a.resolve() == b.resolve():
        return True
    try:
        return os.path.samefile(a, b)  # hard links, bind mounts
    except OSError:
        return False


def _mode_for(path: Path) -> int:
    """The mode the file would get from a plain open(): kept when it exists, else from the umask
    (mkstemp's files are private, 0600)."""
    try:
        return path.stat().st_mode & 0o777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask
