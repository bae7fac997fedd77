"""The question log (issue 12): what it stores and nothing more, many writers at once, an
acknowledged entry surviving SIGKILL, one line and status 2 for a log that cannot be used."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest

from rag_history.errors import QuestionLogError
from rag_history.logreport import default_language, question_key
from rag_history.questionlog import QuestionLog, read_log

SRC = Path(__file__).resolve().parents[1] / "src"


def _record(question: str, abstained: bool = False, answer: str = "Bir cümle (Efe,2018:1).") -> dict:
    """A small answer record of CONTRACT.md's shape (the report tests use real ones)."""
    return {"id": None, "question": question, "language": "tr", "answer": answer, "abstained": abstained,
            "confidence": 0.5, "reason": "", "citations": [], "sentences": [], "passages": []}


def _env() -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("RAG_HISTORY_")}
    env["PYTHONPATH"] = os.pathsep.join([str(SRC), *filter(None, [env.get("PYTHONPATH")])])
    return env


def _python(code: str, *args: str) -> list[str]:
    return [sys.executable, "-c", textwrap.dedent(code), *args]


# --- what is stored ----------------------------------------------------------------------------


def test_entries_and_votes_round_trip(tmp_path):
    path = tmp_path / "course.db"
    with QuestionLog.open(path) as log:
        first = log.record(_record("Gümrü Antlaşması ne zaman imzalandı?"), limited_to=None)
        second = log.record(_record("Frunze neden geldi?", abstained=True, answer="Makalede yok."),
                            limited_to="turk-sovyet-iliskileri-milli-mucadele.txt")
        third = log.record(_record("Lenin kimdir?"), limited_to=None)
        assert log.feedback(first, up=True) and log.feedback(second, up=True)
        assert log.feedback(second, up=False)  # the latest vote on an entry wins
        assert log.feedback(third, up=True) and log.feedback(third, up=None)  # None takes the vote back
        assert not log.feedback(9999, up=False)  # no such entry: nothing stored
    entries = read_log(path)
    assert [e.id for e in entries] == [first, second, third]
    assert [(e.question, e.abstained, e.limited_to, e.vote) for e in entries] == [
        ("Gümrü Antlaşması ne zaman imzalandı?", False, None, True),
        ("Frunze neden geldi?", True, "turk-sovyet-iliskileri-milli-mucadele.txt", False),
        ("Lenin kimdir?", False, None, None)]
    assert entries[1].answer == "Makalede yok." and entries[0].asked_at.utcoffset().total_seconds() == 0


def test_nothing_is_stored_beyond_the_listed_fields(tmp_path):
    path = tmp_path / "course.db"
    record = _record("Moskova Antlaşması ne zaman imzalandı?")
    with QuestionLog.open(path) as log:
        entry = log.record(record, limited_to="a.txt")
        log.feedback(entry, up=False)
    db = sqlite3.connect(path)
    tables = {name: [col[1] for col in db.execute(f"PRAGMA table_info({name})")]
              for (name,) in db.execute("SELECT name FROM sqlite_schema WHERE type = 'table'")}
    assert tables == {"entries": ["id", "asked_at", "question", "abstained", "limited_to", "record"],
                      "votes": ["entry_id", "up"]}
    assert not db.execute("SELECT name FROM sqlite_schema WHERE type NOT IN ('table', 'index')").fetchall()
    (row,) = db.execute("SELECT * FROM entries").fetchall()
    assert row[0] == entry and row[2:5] == (record["question"], 0, "a.txt")
    assert row[1].endswith("+00:00") and len(row[1]) == len("2026-01-01T00:00:00+00:00")  # UTC, to the second
    assert json.loads(row[5]) == record  # the answer record as given, nothing added
    assert db.execute("SELECT * FROM votes").fetchall() == [(entry, 0)]
    db.close()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["course.db"]  # closed: no -wal/-shm left behind


# --- many writers ------------------------------------------------------------------------------

THREADS = 32  # the number of concurrent clients
PER_THREAD = 25


def test_32_threads_writing_at_once_lose_nothing(tmp_path):
    path = tmp_path / "course.db"
    log = QuestionLog.open(path)
    acknowledged: list[int] = []
    errors: list[BaseException] = []
    start = threading.Barrier(THREADS)

    def client(n: int) -> None:
        start.wait()
        for i in range(PER_THREAD):
            try:
                entry = log.record(_record(f"soru {n} {i}", abstained=i % 4 == 0), limited_to=None)
                log.feedback(entry, up=i % 2 == 0)
                acknowledged.append(entry)
            except BaseException as exc:  # noqa: BLE001 - every failure is the test's finding
                errors.append(exc)

    threads = [threading.Thread(target=client, args=(n,)) for n in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    log.close()
    assert errors == []
    entries = read_log(path)
    assert len(acknowledged) == len(set(acknowledged)) == THREADS * PER_THREAD
    assert sorted(acknowledged) == [e.id for e in entries]
    assert {e.question for e in entries} == {f"soru {n} {i}" for n in range(THREADS) for i in range(PER_THREAD)}
    assert all(e.vote is (int(e.question.split()[2]) % 2 == 0) for e in entries)


_WRITER = """
    import sys, threading, time
    from pathlib import Path
    from rag_history.questionlog import QuestionLog
    path, go, name = sys.argv[1], Path(sys.argv[2]), sys.argv[3]
    print("ready", flush=True)
    while not go.exists():
        time.sleep(0.005)
    log = QuestionLog.open(path)  # every process opens (and on the first run creates) the file at once
    lock = threading.Lock()
    def client(t):
        for i in range(20):
            entry = log.record({"question": f"{name} {t} {i}", "abstained": False}, limited_to=None)
            log.feedback(entry, up=False)
            with lock:
                print(entry, flush=True)
    threads = [threading.Thread(target=client, args=(t,)) for t in range(4)]
    [t.start() for t in threads]
    [t.join() for t in threads]
"""


def test_processes_writing_at_once_lose_nothing(tmp_path):
    """Six processes of four threads each create and write one new log at the same moment."""
    path, go = tmp_path / "course.db", tmp_path / "go"
    writers = [subprocess.Popen(_python(_WRITER, str(path), str(go), f"p{n}"), stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True, env=_env()) for n in range(6)]
    for w in writers:
        assert w.stdout.readline().strip() == "ready"
    go.touch()
    acknowledged, failures = [], []
    for w in writers:
        out, err = w.communicate(timeout=300)
        acknowledged += [int(line) for line in out.split()]
        if w.returncode != 0:
            failures.append(err.strip().splitlines()[-1])
    assert failures == []  # e.g. "sqlite3.OperationalError: database is locked"
    entries = read_log(path)
    assert len(acknowledged) == 6 * 4 * 20
    assert sorted(acknowledged) == [e.id for e in entries] and all(e.vote is False for e in entries)


_UNTIL_KILLED = """
    import sys
    from rag_history.questionlog import QuestionLog
    log = QuestionLog.open(sys.argv[1])
    n = 0
    while True:
        n += 1
        entry = log.record({"question": f"soru {n}", "abstained": n % 3 == 0, "answer": "x" * 2000},
                           limited_to=None)
        log.feedback(entry, up=True)
        print(entry, flush=True)  # acknowledged: record and feedback returned
"""


def test_every_acknowledged_entry_survives_sigkill(tmp_path):
    path = tmp_path / "course.db"
    writer = subprocess.Popen(_python(_UNTIL_KILLED, str(path)), stdout=subprocess.PIPE, text=True, env=_env())
    acknowledged = []
    try:
        while len(acknowledged) < 300:
            line = writer.stdout.readline()
            assert line, "the writer stopped early"
            acknowledged.append(int(line))
        os.kill(writer.pid, signal.SIGKILL)  # mid-run: it is writing the next entries
        acknowledged += [int(line) for line in writer.stdout.read().split()]  # printed before it died
    finally:
        writer.kill()
        writer.wait(timeout=30)
    assert writer.returncode == -signal.SIGKILL
    entries = {e.id: e for e in read_log(path)}
    assert set(acknowledged) <= entries.keys()
    assert all(entries[i].vote is True for i in acknowledged)
    with QuestionLog.open(path) as log:  # and the log goes on from there
        assert log.record(_record("sonra"), limited_to=None) > max(acknowledged)


# --- a log that cannot be used: one line, status 2 -------------------------------------------------


def _unprivileged(argv: list[str]) -> list[str]:
    """Root writes to read-only files anyway; run without the capabilities that let it."""
    if os.geteuid() != 0:
        return argv
    if not shutil.which("setpriv"):
        pytest.skip("running as root without setpriv: cannot make a file read-only for the test")
    return ["setpriv", "--bounding-set=-dac_override,-dac_read_search,-fowner,-linux_immutable", "--", *argv]


def _rag_history(*args: str, unprivileged: bool = False) -> subprocess.CompletedProcess:
    argv = [sys.executable, "-m", "rag_history.cli", *args]
    return subprocess.run(_unprivileged(argv) if unprivileged else argv, capture_output=True, text=True,
                          env=_env(), timeout=120)


def _refused(run: subprocess.CompletedProcess, *words: str) -> str:
    assert run.returncode == 2, run.stderr
    assert run.stderr.count("\n") == 1 and "Traceback" not in run.stderr and run.stdout == ""
    assert all(w in run.stderr for w in words), run.stderr
    return run.stderr


def _serve(log: Path, **kw) -> subprocess.CompletedProcess:
    # The log is opened before the model and index load, so these never get that far; if they did,
    # the missing index would stop them (with another line).
    return _rag_history("serve", "--question-log", str(log), "--port", "0", "--no-build",
                        "--index", str(log.parent / "no-index"), **kw)


def _written_log(path: Path) -> Path:
    with QuestionLog.open(path) as log:
        log.record(_record("Moskova Antlaşması ne zaman imzalandı?"), limited_to=None)
    return path


def test_read_only_log_file_is_one_line_at_start_up_and_still_reported(tmp_path):
    path = _written_log(tmp_path / "course.db")
    path.chmod(0o444)
    _refused(_serve(path, unprivileged=True), "read-only", str(path))
    report = _rag_history("log", str(path), "--lang", "en", unprivileged=True)  # reading needs no writing
    assert report.returncode == 0 and "Moskova Antlaşması ne zaman imzalandı?" in report.stdout


def test_read_only_directory_is_one_line_at_start_up_and_still_reported(tmp_path):
    folder = tmp_path / "logs"
    folder.mkdir()
    path = _written_log(folder / "course.db")
    folder.chmod(0o555)
    try:
        _refused(_serve(path, unprivileged=True), "read-only", str(folder))
        _refused(_serve(folder / "new.db", unprivileged=True), "read-only", str(folder))
        report = _rag_history("log", str(path), "--lang", "en", unprivileged=True)
        assert report.returncode == 0 and "Moskova Antlaşması ne zaman imzalandı?" in report.stdout
        _refused(_rag_history("log", str(path), "--out", str(folder / "report.md"), unprivileged=True),
                 "Cannot write the report")
    finally:
        folder.chmod(0o755)
    assert sorted(p.name for p in folder.iterdir()) == ["course.db"]


def test_unmerged_log_in_a_read_only_directory_says_to_copy_it(tmp_path):
    """A server killed mid-run leaves entries in course.db-wal; without its -shm file beside it, and
    in a directory that cannot be written, SQLite cannot read them: the line says what to do."""
    folder = tmp_path / "logs"
    folder.mkdir()
    path = folder / "course.db"
    killed = subprocess.run(_python("""
        import os, signal, sys
        from rag_history.questionlog import QuestionLog
        log = QuestionLog.open(sys.argv[1])
        log.record({"question": "Lenin kimdir?", "abstained": False}, limited_to=None)
        os.kill(os.getpid(), signal.SIGKILL)
    """, str(path)), env=_env(), timeout=60)
    assert killed.returncode == -signal.SIGKILL
    (folder / "course.db-shm").unlink()
    folder.chmod(0o555)
    try:
        _refused(_rag_history("log", str(path), unprivileged=True), "read-only", "course.db-wal", "copy")
    finally:
        folder.chmod(0o755)
    assert [e.question for e in read_log(path)] == ["Lenin kimdir?"]  # where it can be written, all is there


@pytest.mark.parametrize("content", [b"", b"not a database\n" * 100, "sqlite"])
def test_a_file_that_is_not_a_log_is_refused_and_left_alone(tmp_path, content):
    path = tmp_path / "course.db"
    if content == "sqlite":  # another program's database
        db = sqlite3.connect(path)
        db.execute("CREATE TABLE grades (student TEXT, grade INTEGER)")
        db.commit()
        db.close()
    else:
        path.write_bytes(content)
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    _refused(_rag_history("log", str(path)), "not a rag-history question log")
    if content:  # an empty file is a new log to `serve` (as `touch course.db` would make)
        _refused(_serve(path), "not a rag-history question log")
        assert hashlib.sha256(path.read_bytes()).hexdigest() == before


def test_missing_log_and_directory_are_one_line(tmp_path):
    _refused(_rag_history("log", str(tmp_path / "missing.db")), "no question log", "--question-log")
    _refused(_serve(tmp_path), "is a directory")
    assert not (tmp_path / "missing.db").exists()


_FULL_DISK = """
    set -e
    mount -t tmpfs -o size=256k tmpfs "$1"
    {prepare}
    head -c 1M /dev/zero > "$1/fill" 2>/dev/null || true
    exec "$2" -m rag_history.cli serve --question-log "$1/course.db" --port 0 --no-build --index "$1/no-index"
"""


@pytest.mark.parametrize("existing", [False, True], ids=["new log", "existing log"])
def test_full_disk_is_one_line_at_start_up(tmp_path, existing):
    """A 256 KiB tmpfs, filled, in a private mount namespace (unshare)."""
    if not shutil.which("unshare") or subprocess.run(["unshare", "-rm", "true"], capture_output=True).returncode:
        pytest.skip("no mount namespaces here (unshare -rm): cannot make a small full disk")
    disk = tmp_path / "disk"
    disk.mkdir()
    prepare = ('"$2" -c "from rag_history.questionlog import QuestionLog; import sys; '
               'QuestionLog.open(sys.argv[1] + \'/course.db\').close()" "$1"') if existing else ""
    run = subprocess.run(["unshare", "-rm", "sh", "-c", textwrap.dedent(_FULL_DISK.format(prepare=prepare)), "sh",
                          str(disk), sys.executable], capture_output=True, text=True, env=_env(), timeout=120)
    _refused(run, "is full; free some space")


def test_bad_top_is_one_line(tmp_path):
    _refused(_rag_history("log", str(_written_log(tmp_path / "course.db")), "--top", "0"), "--top")


# --- grouping and language -----------------------------------------------------------------------


def test_question_key_ignores_case_spacing_punctuation_and_accents():
    same = ["Moskova Antlaşması ne zaman imzalandı?", "  moskova   ANTLAŞMASI ne zaman imzalandı ", "Moskova "
            "antlasmasi ne zaman imzalandi", "MOSKOVA ANTLAŞMASI NE ZAMAN İMZALANDI???", "Moskova Antlaşması, ne "
            "zaman imzalandı!"]
    assert len({question_key(q) for q in same}) == 1
    assert question_key("Lenin'e ne yazdı?") == question_key("Lenin’e ne yazdı") == question_key("Lenine ne yazdı")
    assert question_key("Türk-Sovyet ilişkileri") == question_key("türk sovyet ilişkileri")
    assert question_key("Gümrü Antlaşması ne zaman imzalandı?") != question_key("Moskova Antlaşması ne zaman "
                                                                                  "imzalandı?")


@pytest.mark.parametrize("environ, lang", [
    ({"LANG": "tr_TR.UTF-8"}, "tr"), ({"LANG": "en_US.UTF-8"}, "en"), ({"LANG": "C.UTF-8"}, "en"), ({}, "en"),
    ({"LANG": "en_GB.UTF-8", "LC_ALL": "tr_TR.UTF-8"}, "tr"), ({"LANG": "tr_TR.UTF-8", "LC_MESSAGES": "en_US"}, "en"),
    ({"LANG": "tr_TR.UTF-8", "LC_ALL": ""}, "tr"),
])
def test_default_language_follows_the_locale(environ, lang):
    assert default_language(environ) == lang


def test_record_refuses_a_record_without_question(tmp_path):
    with QuestionLog.open(tmp_path / "course.db") as log, pytest.raises(ValueError):
        log.record({"answer": "x", "abstained": False}, limited_to=None)
    assert read_log(tmp_path / "course.db") == []


def test_a_newer_schema_is_refused(tmp_path):
    path = _written_log(tmp_path / "course.db")
    db = sqlite3.connect(path)
    db.execute("PRAGMA user_version = 99")
    db.commit()
    db.close()
    with pytest.raises(QuestionLogError, match="newer rag-history"):
        QuestionLog.open(path)
