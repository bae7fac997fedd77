"""The server under load (issue 6): 1,000 questions from 32 concurrent clients on loopback, a
fixed count that stops by itself; no errors, and every answer identical to the one a single
client gets. Slow and vanished clients do not stall the others.

The app is the real one (create_app: Gradio queue, /ask API, the real answerer and index
format) over the bundled article, but embedded with the tests' hashing encoder: the model's
speed is measured by benchmarks/, the server's behaviour under concurrency here, within the
test time budget. Figures go to artifacts/load_test.json, not into assertions.
"""

from __future__ import annotations

import json
import socket
import statistics
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest

from .conftest import ROOT
from .fast import TIMEOUT

pytestmark = pytest.mark.e2e

REQUESTS, CLIENTS, DISTINCT = 1000, 32, 40


def ask(url: str, question: str) -> dict:
    """One question through the /ask API over plain HTTP: submit, then read the event stream."""
    submit = urllib.request.Request(url + "/gradio_api/call/ask", data=json.dumps({"data": [question]}).encode(),
                                    headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(submit, timeout=TIMEOUT) as r:
        event_id = json.load(r)["event_id"]
    with urllib.request.urlopen(f"{url}/gradio_api/call/ask/{event_id}", timeout=TIMEOUT) as r:
        stream = r.read().decode()
    event, _, data = stream.strip().rpartition("event: ")[2].partition("\ndata: ")
    if event != "complete":
        raise RuntimeError(f"{event}: {data[:200]}")
    return json.loads(data)[0]


def _questions() -> list[str]:
    rows = [json.loads(line) for line in (ROOT / "eval" / "questions.jsonl").read_text(encoding="utf-8").split("\n")
            if line.strip()]
    return [row["question"] for row in rows[:DISTINCT]]


def test_a_thousand_questions_from_32_clients(fast_url):
    questions = _questions()
    single = {q: ask(fast_url, q) for q in questions}  # one client, one question at a time

    def timed(i: int):
        question = questions[i % len(questions)]
        start = time.perf_counter()
        try:
            return question, ask(fast_url, question), time.perf_counter() - start
        except Exception as exc:  # counted, not raised: the figures say how many
            return question, exc, time.perf_counter() - start

    start = time.perf_counter()
    with ThreadPoolExecutor(CLIENTS) as pool:
        results = list(pool.map(timed, range(REQUESTS)))
    total = time.perf_counter() - start
    latencies = sorted(t for _, _, t in results)
    errors = [(q, r) for q, r, _ in results if isinstance(r, Exception)]
    figures = {"requests": REQUESTS, "clients": CLIENTS, "distinct_questions": len(questions),
               "errors": len(errors), "total_s": round(total, 2), "requests_per_s": round(REQUESTS / total, 1),
               "p50_ms": round(1000 * statistics.median(latencies), 1),
               "p95_ms": round(1000 * latencies[int(0.95 * len(latencies)) - 1], 1)}
    (ROOT / "artifacts").mkdir(exist_ok=True)
    (ROOT / "artifacts" / "load_test.json").write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    print(f"\nload test: {figures}")
    assert not errors, errors[:3]
    different = [q for q, r, _ in results if r != single[q]]
    assert not different, f"{len(different)} answers differ from the single-client answer, e.g. {different[0]!r}"


def _stalled_sockets(url: str) -> list[socket.socket]:
    """Clients that misbehave: half a request line, headers never finished, a body promised and never sent."""
    host, port = url.removeprefix("http://").split(":")
    partial = [b"GET / HTTP/1.1\r\nHost: x\r\n",  # headers never end
               b"POST /gradio_api/call/ask HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
               b"Content-Length: 1000000\r\n\r\n{\"data\": [\"",  # a body that never comes
               b"GE"]  # not even a request line
    sockets = []
    for data in partial * 4:
        s = socket.create_connection((host, int(port)), timeout=10)
        s.sendall(data)
        sockets.append(s)
    return sockets


def test_slow_and_vanished_clients_do_not_stall_others(fast_url):
    question = _questions()[0]
    expected = ask(fast_url, question)
    stalled = _stalled_sockets(fast_url)
    try:
        # Clients that submit a question and leave without reading the answer.
        for _ in range(8):
            submit = urllib.request.Request(fast_url + "/gradio_api/call/ask", data=json.dumps({"data": [question]}).encode(),
                                            headers={"Content-Type": "application/json"})
            urllib.request.urlopen(submit, timeout=TIMEOUT).close()
        # A client that starts reading an answer stream and drops the connection midway.
        event_id = json.load(urllib.request.urlopen(urllib.request.Request(
            fast_url + "/gradio_api/call/ask", data=json.dumps({"data": [question]}).encode(),
            headers={"Content-Type": "application/json"}), timeout=TIMEOUT))["event_id"]
        urllib.request.urlopen(f"{fast_url}/gradio_api/call/ask/{event_id}", timeout=TIMEOUT).close()
        with ThreadPoolExecutor(4) as pool:
            answers = list(pool.map(lambda _: ask(fast_url, question), range(8)))
        assert answers == [expected] * 8
    finally:
        for s in stalled:
            s.close()
