"""The rag-history command with the fast HashingEncoder, for tests that run it in another process:
as an unprivileged user (file permissions do not bind root) or in a mount namespace with a tiny
tmpfs (a disk that really fills up).

    python tests/fault_cli.py ARGS...               rag-history ARGS
    python tests/fault_cli.py --fill-sweep DISK SOURCES
        (DISK: an empty, size-limited file system) build an index on DISK, then `build --force`
        with 0, 1, 2 ... pages of space left until one succeeds; print one JSON line per attempt.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from conftest import use_fake_models  # noqa: E402

use_fake_models(setattr)

from rag_history.cli import main  # noqa: E402


def _run(argv: list[str]) -> tuple[int, str]:
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        code = main(argv)
    return code, err.getvalue()


def _state(index: Path, sources: Path) -> dict:
    """What an attempt left: the current build, whether it loads and answers, the other entries."""
    from rag_history.config import Settings
    from rag_history.index import CURRENT, index_status

    settings = Settings(source_dir=sources, index_dir=index)
    code, err = _run(["ask", "--no-build", "--sources", str(sources), "--index", str(index), "-q",
                      "Serinova Feneri ilk kez ne zaman yakıldı?"])
    return {"current": (index / CURRENT).resolve().name, "status": index_status(index, sources, settings.build),
            "ask": code, "ask_err": err,
            "entries": sorted(p.name for p in index.iterdir() if p.name not in {".lock", "current"})}


def fill_sweep(disk: Path, sources: Path) -> None:
    index = disk / "index"
    args = ["--sources", str(sources), "--index", str(index), "-q"]
    assert _run(["build", *args])[0] == 0
    page = os.statvfs(disk).f_frsize
    for pages in range(1000):
        free = os.statvfs(disk)
        filler = disk / "filler"
        filler.write_bytes(b"\0" * max(free.f_bavail * free.f_frsize - pages * page, 0))
        before = _state(index, sources)["current"]
        code, err = _run(["build", "--force", *args])
        filler.unlink()
        print(json.dumps({"pages": pages, "code": code, "err": err, "before": before, **_state(index, sources)}),
              flush=True)
        if code == 0:
            return


if __name__ == "__main__":
    if sys.argv[1] == "--fill-sweep":
        fill_sweep(Path(sys.argv[2]), Path(sys.argv[3]))
    else:
        sys.exit(main(sys.argv[1:]))
