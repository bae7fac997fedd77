"""Server memory over many sessions: does the web server's RSS stay flat when every request comes
from a new session?

Starts `rag-history serve` (the real model, over a private index of source_texts/) on 127.0.0.1
and a free port as its own process, then sends chat questions the way the page sends them (join
the queue, read the event stream), each from a new session and each carrying a long history
(~0.9 MB of earlier questions, under the 1 MB body limit: as much as the 200-turn conversations
of the old page sent before issue 13; the server keeps the last six),
then /ask API calls, each its own session too. RSS of the server process is sampled before and
after each phase (the median of several samples); the target is growth within 50 MB over 2,000
sessions. Bounded: every request has a timeout and each phase a deadline.

    python benchmarks/sessions.py [--sessions 2000] [--clients 4] [--out results/sessions.json]
"""

from __future__ import annotations

import argparse
import http.client
import json
import statistics
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from common import questions, rss_mb, summary_ms, write_json
from server import article_server

HISTORY_BYTES = 900_000  # the earlier questions each question carries: just under the 1 MB body limit
WARM_UP = 100  # sessions before the first RSS figure: imports, caches and allocator pools settle
REQUEST_TIMEOUT = 60
PHASE_DEADLINE = 1800  # seconds per phase; a request past it counts as an error
RSS_TARGET_MB = 50


def call(port: int, method: str, path: str, body: bytes | None = None) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=REQUEST_TIMEOUT)
    try:
        conn.request(method, path, body=body, headers={"Content-Type": "application/json"} if body else {})
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def chat_event(port: int) -> int:
    """The fn_index of the chat's question event: the queued one that takes the earlier questions."""
    config = json.loads(call(port, "GET", "/config")[1])
    carriers = {c["id"] for c in config["components"] if c["type"] == "json"}
    return next(d["id"] for d in config["dependencies"] if d["queue"] and carriers & set(d["inputs"]))


def chat(port: int, event: int, question: str, history: list, session: str) -> dict:
    """One question as the page sends it, with `history` its earlier questions; returns the turn."""
    body = json.dumps({"data": [question, history, "en", ""], "fn_index": event, "trigger_id": None,
                       "session_hash": session}, ensure_ascii=False).encode()
    status, reply = call(port, "POST", "/gradio_api/queue/join", body)
    if status != 200:
        raise RuntimeError(f"join: {status} {reply[:200]!r}")
    _, stream = call(port, "GET", f"/gradio_api/queue/data?session_hash={session}")
    for line in stream.decode().splitlines():
        message = json.loads(line[6:]) if line.startswith("data: ") else {}
        if message.get("msg") == "process_completed" and message.get("success"):
            return message["output"]["data"][0]
    raise RuntimeError(f"no answer: {stream[-200:]!r}")


def ask(port: int, question: str) -> None:
    """One /ask API call over plain HTTP (the queue files it under a session of its own)."""
    status, reply = call(port, "POST", "/gradio_api/call/ask", json.dumps({"data": [question]}).encode())
    if status != 200:
        raise RuntimeError(f"call: {status} {reply[:200]!r}")
    _, stream = call(port, "GET", f"/gradio_api/call/ask/{json.loads(reply)['event_id']}")
    if b"event: complete" not in stream:
        raise RuntimeError(f"no answer: {stream[-200:]!r}")


def settled_rss(pid: int, samples: int = 7) -> float:
    """Median RSS over a few seconds once the requests have stopped."""
    values = []
    for _ in range(samples):
        time.sleep(0.5)
        values.append(rss_mb(pid))
    return round(statistics.median(values), 1)


def phase(pid: int, count: int, clients: int, one) -> dict:
    """`count` requests from `clients` threads, `one(i)` each; RSS before and after."""
    before = settled_rss(pid)
    stop_at = time.monotonic() + PHASE_DEADLINE
    rss_track = []

    def timed(i: int) -> float | None:
        if time.monotonic() > stop_at:
            return None
        start = time.perf_counter()
        try:
            one(i)
        except Exception:  # counted, not raised: the figures say how many
            return None
        if i % 250 == 0:
            rss_track.append(round(rss_mb(pid), 1))
        return time.perf_counter() - start

    start = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        times = list(pool.map(timed, range(count)))
    wall = time.perf_counter() - start
    done = [t for t in times if t is not None]
    after = settled_rss(pid)
    return {"sessions": count, "clients": clients, "errors": count - len(done), **summary_ms(done),
            "wall_s": round(wall, 1), "rss_before_mb": before, "rss_after_mb": after,
            "rss_growth_mb": round(after - before, 1), "rss_during_mb": rss_track,
            "flat_within_target": after - before <= RSS_TARGET_MB}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", default=str(Path(__file__).with_name("results") / "sessions.json"),
                        help="where to write the figures (JSON)")
    parser.add_argument("--sessions", type=int, default=2000, help="distinct sessions in each phase")
    parser.add_argument("--clients", type=int, default=4, help="concurrent clients (the queue runs 4 answers at once)")
    args = parser.parse_args()

    qs = questions()
    with article_server("rag-bench-sessions-") as (port, server):
        event = chat_event(port)
        chat(port, event, qs[0], [], "bench-seed")  # one real question and its answer
        history = qs * (HISTORY_BYTES // len(json.dumps(qs, ensure_ascii=False).encode()))
        idle = settled_rss(server.pid)
        for i in range(WARM_UP):
            chat(port, event, qs[i % len(qs)], history, f"bench-warm-{i}")
        results = {
            "model": "the real one (rag-history serve; no fake encoder)",
            "history": {"questions": len(history), "bytes": len(json.dumps(history, ensure_ascii=False).encode())},
            "idle_rss_mb": idle, "warm_up_sessions": WARM_UP, "target_growth_mb": RSS_TARGET_MB,
            "chat": phase(server.pid, args.sessions, args.clients,
                          lambda i: chat(port, event, qs[i % len(qs)], history, f"bench-chat-{i}")),
            "ask_api": phase(server.pid, args.sessions, args.clients, lambda i: ask(port, qs[i % len(qs)])),
        }
    write_json(args.out, results)


if __name__ == "__main__":
    main()
