"""The question log: what students asked, what they were answered, and their thumbs up/down.

Off by default; `rag-history serve --question-log course.db` turns it on and `rag-history log
course.db` reports on it (`logreport.py`). The log is one SQLite file (Python's sqlite3) in
WAL mode, so the server's threads, other server processes and a report can use it at once.

What an entry holds, and nothing else: the question, the answer record (CONTRACT.md, as JSON),
whether the answer abstained, the source text the question was limited to (None: all texts)
and the time it was asked (UTC, to the second). A vote is the entry's id and up or down. No IP
address, cookie, user agent, session or browser id is stored: the API takes none.

    log = QuestionLog.open("course.db")        # start-up: one QuestionLogError line if unusable
    entry = log.record(answer.to_dict(), limited_to=None)
    log.feedback(entry, up=False)              # the latest vote on an entry wins; None takes it back
    log.close()

    entries = read_log("course.db")            # for the report: read-only, never creates a file

Durability: each `record` and `feedback` is one statement in autocommit mode, with
`synchronous=FULL`, so it is committed and on disk before the call returns; an id that was
returned survives `kill -9` of the process (and a power cut). Concurrency: one connection per
QuestionLog, used under a lock by any number of threads; other processes wait for the write
lock (SQLite's busy timeout) instead of failing with "database is locked".

The file is marked as a question log by SQLite's `application_id` header field, so another
program's database (or any other file) is refused rather than written into.
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import quote

from .errors import QuestionLogError

# "RHQL" in the file header: identifies the file as a rag-history question log.
APPLICATION_ID = 0x5248514C
# The schema's version, in the header's user_version; a log written by a newer version is refused.
SCHEMA_VERSION = 1
# How long a write waits for another process's write to finish before giving up. A write commits
# in milliseconds, so only a stalled disk or a program holding a transaction open (an `sqlite3`
# shell in BEGIN) makes anyone wait this long.
BUSY_TIMEOUT_SECONDS = 60.0
# The pause between tries to switch a new file into WAL mode (see _wal_mode): the other process
# holds it for well under a millisecond.
WAL_SWITCH_RETRY_SECONDS = 0.01

SCHEMA = (
    """CREATE TABLE entries (
        id INTEGER PRIMARY KEY,
        asked_at TEXT NOT NULL,                          -- UTC, ISO 8601 to the second
        question TEXT NOT NULL,
        abstained INTEGER NOT NULL CHECK (abstained IN (0, 1)),
        limited_to TEXT,                                 -- the source text it was limited to, NULL: all
        record TEXT NOT NULL                             -- the answer record (CONTRACT.md) as JSON
    )""",
    """CREATE TABLE votes (
        entry_id INTEGER PRIMARY KEY REFERENCES entries (id),
        up INTEGER NOT NULL CHECK (up IN (0, 1))
    )""",
)


@dataclass(frozen=True)
class LogEntry:
    """One logged question as the report reads it (the answer record's text, not all of it)."""

    id: int
    asked_at: datetime
    question: str
    abstained: bool
    limited_to: str | None
    answer: str
    vote: bool | None  # True: thumbs up, False: thumbs down, None: no vote


class QuestionLog:
    """An open question log; safe to share between threads (and with other processes)."""

    def __init__(self, path: Path, connection: sqlite3.Connection):
        self.path = path
        self._db = connection
        self._lock = threading.Lock()  # one connection: its statements (and lastrowid) one at a time

    @classmethod
    def open(cls, path) -> "QuestionLog":
        """Open the log at path, creating it if needed; raises QuestionLogError (one line) if unusable.

        Opening writes to the file (it checks the header in a write transaction), so a read-only
        file or directory, or a full disk, is found here, at start-up, not at the first question.
        """
        path = Path(path)
        if path.is_dir():
            raise QuestionLogError(f"{path} is a directory; give the question log a file name, "
                                   f"e.g. {path / 'course.db'}.")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise QuestionLogError(f"Cannot create the directory of the question log {path}: "
                                   f"{exc.strerror}; choose another place.") from None
        try:
            db = sqlite3.connect(path, timeout=BUSY_TIMEOUT_SECONDS, isolation_level=None, check_same_thread=False)
        except sqlite3.Error as exc:
            raise _problem(path, exc) from None
        try:
            _prepare(db, path)
        except sqlite3.Error as exc:
            db.close()
            raise _problem(path, exc) from None
        except QuestionLogError:
            db.close()
            raise
        return cls(path, db)

    def record(self, answer_record: dict, *, limited_to: str | None) -> int:
        """Store one answered question; returns its entry id once it is on disk.

        answer_record is the CONTRACT.md record (`Answer.to_dict()`); its `question` and
        `abstained` are stored in their own columns too. limited_to: the source text the question
        was limited to, None for all texts. Raises QuestionLogError if the disk is full or the
        file became unwritable, ValueError for a record without a question.
        """
        question, abstained = answer_record.get("question"), answer_record.get("abstained")
        if not isinstance(question, str) or not isinstance(abstained, bool):
            raise ValueError("an answer record needs a str 'question' and a bool 'abstained'")
        if limited_to is not None and not isinstance(limited_to, str):
            raise ValueError("limited_to is the name of a source text, or None")
        row = (_now(), question, int(abstained), limited_to, json.dumps(answer_record, ensure_ascii=False))
        with self._lock:
            try:
                cursor = self._db.execute("INSERT INTO entries (asked_at, question, abstained, limited_to, record) "
                                          "VALUES (?, ?, ?, ?, ?)", row)
            except sqlite3.Error as exc:
                raise _problem(self.path, exc) from None
            return cursor.lastrowid

    def feedback(self, entry_id: int, up: bool | None) -> bool:
        """Record a thumbs up (True) or down (False) on an entry, replacing any earlier vote on it;
        None withdraws the vote. Returns False (and stores nothing) when there is no such entry."""
        with self._lock:
            try:
                if up is None:
                    self._db.execute("DELETE FROM votes WHERE entry_id = ?", (entry_id,))
                    return self._exists(entry_id)
                cursor = self._db.execute(
                    "INSERT INTO votes (entry_id, up) SELECT id, ? FROM entries WHERE id = ? "
                    "ON CONFLICT (entry_id) DO UPDATE SET up = excluded.up", (int(up), entry_id))
            except sqlite3.Error as exc:
                raise _problem(self.path, exc) from None
            return cursor.rowcount == 1

    def _exists(self, entry_id: int) -> bool:
        return self._db.execute("SELECT 1 FROM entries WHERE id = ?", (entry_id,)).fetchone() is not None

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def __enter__(self) -> "QuestionLog":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def read_log(path) -> list[LogEntry]:
    """Every entry of the log at path, oldest first, read without writing to it.

    A log in a read-only place (another user's server wrote it; a copy on read-only media) is
    read too. Raises QuestionLogError when there is no log there or the file is not one.
    """
    path = Path(path)
    if not path.is_file():
        raise QuestionLogError(f"There is no question log at {path}; `rag-history serve --question-log "
                               f"{path}` writes one.")
    try:
        try:
            return _read(_connect_read_only(path, immutable=False), path)
        except sqlite3.OperationalError as exc:
            # A WAL database whose directory we cannot write is unreadable in the normal way (SQLite
            # would create its -shm file). With no -wal file beside it, no writer is at work and
            # every entry is in the file itself, which can then be read as immutable.
            if getattr(exc, "sqlite_errorname", "") not in ("SQLITE_READONLY_DIRECTORY", "SQLITE_CANTOPEN") \
                    or _wal(path).exists():
                raise
            return _read(_connect_read_only(path, immutable=True), path)
    except sqlite3.Error as exc:
        raise _problem(path, exc, reading=True) from None


# --- internals -----------------------------------------------------------------------------------


def _prepare(db: sqlite3.Connection, path: Path) -> None:
    """WAL mode, durable commits, and the schema: created in a new file, checked in an old one."""
    _is_new(db, path)  # before anything is written: another program's database is left as it was
    mode = _wal_mode(db)
    if mode != "wal":
        raise QuestionLogError(f"The question log {path} cannot use SQLite's WAL mode on this file system "
                               f"(it stays in {mode} mode); put it on a local disk.")
    db.execute("PRAGMA synchronous = FULL")  # WAL's default (NORMAL) may lose the last commits on power loss
    db.execute("BEGIN IMMEDIATE")  # a write transaction: a read-only file or a full disk fails here
    try:
        if _is_new(db, path):  # asked again under the write lock: another process may have just created it
            for statement in SCHEMA:
                db.execute(statement)
            db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        # Written even when unchanged: the write that proves, at start-up, that the log can be written.
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        db.execute("COMMIT")
    finally:
        if db.in_transaction:
            db.execute("ROLLBACK")


def _wal_mode(db: sqlite3.Connection) -> str:
    """Switch to WAL mode; the journal mode the file is then in.

    Switching a new file needs it alone for a moment, and SQLite answers SQLITE_BUSY at once,
    without waiting its busy timeout, while another process that is opening it too reads it.
    """
    deadline = time.monotonic() + BUSY_TIMEOUT_SECONDS
    while True:
        try:
            return db.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        except sqlite3.OperationalError as exc:
            if getattr(exc, "sqlite_errorname", "") != "SQLITE_BUSY" or time.monotonic() > deadline:
                raise
            time.sleep(WAL_SWITCH_RETRY_SECONDS)


def _is_new(db: sqlite3.Connection, path: Path) -> bool:
    """True for an empty database (a new file); raises QuestionLogError for anything but a log."""
    # One statement, so one snapshot: read apart, another process's creation could fall between.
    app_id, tables, version = db.execute(
        "SELECT (SELECT application_id FROM pragma_application_id()), (SELECT count(*) FROM sqlite_schema), "
        "(SELECT user_version FROM pragma_user_version())").fetchone()
    if app_id == 0 and not tables:
        return True
    if app_id != APPLICATION_ID:
        raise QuestionLogError(_not_a_log(path, "an SQLite database of another program"))
    if version > SCHEMA_VERSION:
        raise QuestionLogError(f"The question log {path} was written by a newer rag-history (schema {version}); "
                               "upgrade rag-history to use it.")
    return False


def _connect_read_only(path: Path, immutable: bool) -> sqlite3.Connection:
    uri = f"file:{quote(str(path.resolve()))}?mode=ro" + ("&immutable=1" if immutable else "")
    return sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_SECONDS)


def _read(db: sqlite3.Connection, path: Path) -> list[LogEntry]:
    try:
        if _is_new(db, path):
            empty = "an empty file" if path.stat().st_size == 0 else "an empty database"
            raise QuestionLogError(_not_a_log(path, empty))
        rows = db.execute("SELECT e.id, e.asked_at, e.question, e.abstained, e.limited_to, "
                          "json_extract(e.record, '$.answer'), v.up FROM entries e "
                          "LEFT JOIN votes v ON v.entry_id = e.id ORDER BY e.id").fetchall()
    finally:
        db.close()
    return [LogEntry(id, datetime.fromisoformat(asked_at), question, bool(abstained), limited_to, answer or "",
                     None if up is None else bool(up))
            for id, asked_at, question, abstained, limited_to, answer, up in rows]


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _wal(path: Path) -> Path:
    return path.with_name(path.name + "-wal")


def _not_a_log(path: Path, what: str) -> str:
    return (f"{path} is not a rag-history question log ({what}); give a new file name, or a log "
            "written by `rag-history serve --question-log`.")


def _problem(path: Path, exc: sqlite3.Error, reading: bool = False) -> QuestionLogError:
    """The one line that says what is wrong with the log file and what to do about it."""
    name = getattr(exc, "sqlite_errorname", "")
    directory = path.resolve().parent
    if name == "SQLITE_NOTADB":
        return QuestionLogError(_not_a_log(path, "not an SQLite database"))
    if name == "SQLITE_FULL" or (not reading and _disk_full(directory)):
        return QuestionLogError(f"The disk holding the question log {path} is full; free some space or "
                                "choose a log on another disk.")
    if name == "SQLITE_BUSY":
        return QuestionLogError(f"The question log {path} has been locked by another program for over "
                                f"{BUSY_TIMEOUT_SECONDS:.0f} s; close it (an open `sqlite3` shell?) and try again.")
    if not reading and (name == "SQLITE_READONLY_DIRECTORY" or not os.access(directory, os.W_OK)):
        return QuestionLogError(f"The directory {directory} of the question log is read-only (SQLite needs to "
                                f"create {path.name}-wal and {path.name}-shm beside it); make it writable or "
                                "choose another place.")
    if not reading and (name.startswith("SQLITE_READONLY") or (path.exists() and not os.access(path, os.W_OK))):
        return QuestionLogError(f"The question log {path} is read-only; make it writable (chmod u+w {path}) "
                                "or choose another file.")
    if reading and name in ("SQLITE_READONLY_DIRECTORY", "SQLITE_CANTOPEN"):
        return QuestionLogError(f"Cannot read the question log {path}: its directory is read-only and "
                                f"{_wal(path).name} beside it holds entries not yet merged into it; copy "
                                f"{path.name} and {_wal(path).name} to a writable directory and report on the copy.")
    doing = "read" if reading else "use"
    return QuestionLogError(f"Cannot {doing} the question log {path}: {exc} ({name or type(exc).__name__}).")


def _disk_full(directory: Path) -> bool:
    try:
        return os.statvfs(directory).f_bavail == 0
    except OSError:
        return False
