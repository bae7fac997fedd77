"""`rag-history serve --question-log`: the real server opens the log, says so at start-up, and
a `kill -9` of it leaves a log that reads and reports. (What the chat writes into it is wired
and tested with the chat.)"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

from rag_history.questionlog import QuestionLog, read_log

pytestmark = pytest.mark.e2e

STARTUP_SECONDS = 180  # model and index load on a slow shared machine: generous, and bounded


def test_serve_opens_the_log_and_survives_kill_9(assistant, settings, tmp_path):
    path = tmp_path / "course.db"
    env = {k: v for k, v in os.environ.items() if not k.startswith("RAG_HISTORY_")}
    server = subprocess.Popen([sys.executable, "-m", "rag_history.cli", "serve", "--question-log", str(path),
                               "--port", "0", "--no-build", "--sources", str(settings.source_dir),
                               "--index", str(settings.index_dir)],
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        lines = []
        while time.monotonic() < deadline and not any(line.startswith("Press Ctrl+C") for line in lines):
            line = server.stdout.readline()
            assert line, f"the server stopped: {''.join(lines)}"
            lines.append(line)
        assert f"Question log: {path} (each question, its answer and thumbs up/down, with the time; " \
               "no IP address, cookie or user agent)\n" in lines
        with QuestionLog.open(path) as log:  # a second writer beside the live server's connection
            entry = log.record({"question": "Moskova Antlaşması ne zaman imzalandı?", "abstained": False},
                               limited_to=None)
        os.kill(server.pid, signal.SIGKILL)
    finally:
        server.kill()
        server.wait(timeout=30)
    assert server.returncode == -signal.SIGKILL
    assert [e.id for e in read_log(path)] == [entry]
    report = subprocess.run([sys.executable, "-m", "rag_history.cli", "log", str(path), "--lang", "en"],
                            capture_output=True, text=True, env=env, timeout=60)
    assert report.returncode == 0 and "| Moskova Antlaşması ne zaman imzalandı? | 1 | 0 | 0 | 0 |" in report.stdout
