"""Source files, safely: which files of source_texts/ are sources, their bytes, their sidecars.

Nothing outside the source directory is read because of what is in it: a symbolic link is
followed only when it resolves to a file inside the directory. A file that cannot be used (link
out of the directory, name that is not UTF-8 or holds control characters, unreadable, I/O error,
too big, not text) is reported in one line naming it and what to do, and the build goes on
with the other sources (see `source.load_documents`). A sidecar's fields are checked one by one:
a field of the wrong type or length is reported and left out, the rest is used.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from pathlib import Path
from typing import Callable

from .errors import SourceError

# Sources are plain text and PDF. Markdown is not read as a source: a README.md beside the
# texts is documentation, not a reading (convert a Markdown reading to .txt, e.g. with pandoc).
SOURCE_SUFFIXES = (".txt", ".pdf")
# Parsing, token counting and embedding 5 MB of text take many minutes on a 2-core machine.
MAX_SOURCE_BYTES = 5_000_000
# A PDF carries images and fonts besides its text (the 32-page Friedman PDF is 2 MB).
MAX_PDF_BYTES = 50_000_000
# Metadata, not a text: a bigger sidecar is not read at all (a long field in a smaller one is
# named and left out, see SIDECAR_LIMITS).
MAX_SIDECAR_BYTES = 4_000_000
# Longest accepted value of each sidecar field: a label beside answers, not a text.
SIDECAR_LIMITS = {"title": 300, "subject": 300, "author": 300, "year": 20, "language": 2}
LANGUAGES = ("tr", "en")

Warn = Callable[[str], None]

# Terminal escape sequences (CSI "ESC [ ... m", OSC "ESC ] ... BEL") and the characters no reader
# should get: C0/C1 controls (not tab, line breaks and form feed, which are layout), the soft
# hyphen, zero-width and bidi controls, BOMs. A source or sidecar could otherwise recolour or
# retitle the terminal of whoever runs the CLI.
ESCAPES = r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[@-_]?|\x9b[0-?]*[ -/]*[@-~]"
CONTROLS = re.compile(ESCAPES + "|[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\u00ad\u200b-\u200f\u202a-\u202e"
                      "\u2060-\u2064\u2066-\u2069\ufeff\ufffe]")


def printable(text: str) -> str:
    """Text with escape sequences and control characters removed, for showing."""
    return CONTROLS.sub("", text)


def shown(name: str) -> str:
    """A file name as a message may print it: undecodable bytes and controls escaped."""
    return name if _clean_name(name) else repr(os.fsencode(name))[2:-1]


def _clean_name(name: str) -> bool:
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:  # bytes that are not UTF-8, kept by Python as lone surrogates
        return False
    return not CONTROLS.search(name) and not any(ch in "\n\r\t\f" for ch in name)


def source_files(directory: Path, warn: Warn | None = None) -> list[Path]:
    """Every usable source file in the directory, in a stable order; `warn` hears of the others."""
    if not directory.is_dir():
        raise SourceError(f"source directory {directory} does not exist; create it and put .txt or .pdf "
                          "articles in it.")
    root = directory.resolve()
    files = []
    try:
        entries = sorted(directory.iterdir())
    except OSError as exc:
        raise SourceError(f"source directory {directory} cannot be read ({exc.strerror}); "
                          "make it readable.") from None
    for p in entries:
        # Hidden files are skipped: "._article.txt" (macOS resource forks copied along with an
        # upload) and editor swap files are binary.
        if p.name.startswith(".") or p.suffix.lower() not in SOURCE_SUFFIXES:
            continue
        problem = _unusable(p, root)
        if problem is None:
            files.append(p)
        elif problem and warn:
            warn(problem)
    if not files:
        raise SourceError(f"no .txt or .pdf source texts in {directory}; add an article there, then run "
                          "`rag-history build`.")
    return files


def _unusable(p: Path, root: Path) -> str | None:
    """Why a listed file cannot be a source ("" for a directory, which is no file at all)."""
    if not _clean_name(p.name):
        return (f"{p.parent}/{shown(p.name)}: the file name is not valid UTF-8 text or holds control "
                "characters; rename it (answers show it), then run `rag-history build`.")
    if p.is_symlink():
        try:
            target = p.resolve(strict=True)
        except (OSError, RuntimeError):
            return f"{p}: a symbolic link to nothing (or a loop); remove it or copy the file here."
        if not target.is_relative_to(root):
            return (f"{p}: a symbolic link to {target}, outside {root}; not read. Copy the file into the "
                    "source directory instead.")
    try:
        if not p.is_file():
            return ""
    except OSError as exc:
        return f"{p}: cannot be read ({exc.strerror}); make it readable or remove it."
    return None


def read_bytes(path: Path, limit: int) -> bytes:
    """A source file's bytes, or a SourceError naming it: too big (refused before reading),
    unreadable, or an I/O error."""
    try:
        size = path.stat().st_size
        if size > limit:
            raise SourceError(f"{path}: {size:,} bytes is more than the {limit:,}-byte limit for one source "
                              "text; split it into several files.")
        return path.read_bytes()
    except OSError as exc:
        reason = exc.strerror or exc.__class__.__name__
        raise SourceError(f"{path}: cannot be read ({reason}); make it readable, or copy it again if the disk "
                          "or share is failing, then run `rag-history build`.") from None


def decode_text(path: Path, data: bytes) -> str:
    """The UTF-8 text of a .txt source; SourceError saying how to convert anything else."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # Windows "Unicode": NULs, but not binary
        raise SourceError(f"{path}: saved as UTF-16; save it as UTF-8 (e.g. `iconv -f utf-16 -t utf-8 "
                          "OLD.txt > NEW.txt`), then run `rag-history build`.")
    if data.startswith(b"%PDF"):
        raise SourceError(f"{path}: a PDF file named .txt; rename it to .pdf (PDFs are read as PDFs).")
    if b"\x00" in data:
        raise SourceError(f"{path}: not a text file (binary data); replace it with the article's plain UTF-8 "
                          "text or remove it.")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SourceError(f"{path}: not UTF-8 (byte {exc.start}); convert it to UTF-8, e.g. for the usual "
                          "Turkish Windows encoding `iconv -f windows-1254 -t utf-8 OLD.txt > NEW.txt`, "
                          "then run `rag-history build`.") from None


def sidecar_of(path: Path) -> Path:
    return path.with_suffix(".json")


def read_metadata(path: Path, warn: Warn | None = None) -> dict:
    """The sidecar's fields that pass their checks; `warn` hears of each one left out (a sidecar
    that cannot be used at all is left out whole, and the text is still read)."""
    sidecar = sidecar_of(path)
    try:
        if not sidecar.exists():
            return {}
        if sidecar.is_symlink() and not sidecar.resolve().is_relative_to(path.parent.resolve()):
            raise SourceError(f"{sidecar}: a symbolic link out of the source directory; not read.")
        size = sidecar.stat().st_size
        if size > MAX_SIDECAR_BYTES:
            raise SourceError(f"{sidecar}: {size:,} bytes is more than the {MAX_SIDECAR_BYTES:,}-byte limit for a "
                              "metadata file; keep only the title, author, year, language and subject in it.")
        data = json.loads(read_bytes(sidecar, MAX_SIDECAR_BYTES).decode("utf-8-sig"))
    except OSError as exc:
        return _without(warn, f"{sidecar}: cannot be read ({exc.strerror}); the metadata of {path.name} is left empty.")
    except SourceError as exc:
        return _without(warn, f"{exc} The metadata of {path.name} is left empty.")
    except (UnicodeDecodeError, ValueError) as exc:
        return _without(warn, f"{sidecar}: not valid JSON ({exc}); fix or delete the metadata file. "
                        f"The metadata of {path.name} is left empty.")
    if not isinstance(data, dict):
        return _without(warn, f"{sidecar}: metadata must be a JSON object; its metadata is left empty.")
    out = {}
    for key, value in data.items():
        problem = _field_problem(key, value)
        if problem:
            if warn:
                warn(f"{sidecar}: field {key!r} {problem}; it is left out.")
            continue
        out[key] = printable(str(value)).strip() if key in SIDECAR_LIMITS else value
    return out


def _without(warn: Warn | None, message: str) -> dict:
    if warn:
        warn(message)
    return {}


def _field_problem(key: str, value) -> str | None:
    if key not in SIDECAR_LIMITS:
        return None  # other fields (licence, origin, ...) are kept as they are and never shown
    if key == "year" and isinstance(value, int) and not isinstance(value, bool):
        value = str(value)  # "year": 2025 is as good as "2025"
    if not isinstance(value, str):
        return f"must be a string, not {type(value).__name__}"
    if len(value) > SIDECAR_LIMITS[key]:
        return f"is {len(value):,} characters long, more than the {SIDECAR_LIMITS[key]} allowed"
    if key == "language" and value and value not in LANGUAGES:
        return f"must be one of {', '.join(LANGUAGES)} (or empty: detected from the text), not {value!r}"
    return None


def file_digest(path: Path) -> str:
    """SHA-256 of a file, or a stand-in naming the error when it cannot be read (the build that
    reads it reports the error; a stale-index check must not crash on it)."""
    h = hashlib.sha256()
    try:
        with open(path, "rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                h.update(block)
    except OSError as exc:
        return f"unreadable: {os.strerror(exc.errno) if exc.errno else exc.__class__.__name__}"
    return h.hexdigest()
