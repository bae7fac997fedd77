"""Helpers of the end-to-end tests: the app on a free port while a block runs, plain HTTP requests
sent as written, and the chat page's own request (join the queue, read the event stream)."""

from __future__ import annotations

import http.client
import json
from contextlib import contextmanager
from urllib.parse import urlsplit

TIMEOUT = 120  # seconds per HTTP call: bounded even on a busy shared machine


@contextmanager
def serving(assistant, **options):
    """The app on a free loopback port while the block runs (started inside a test, its log goes
    to that test's captured output)."""
    from rag_history.web.server import RunningServer, ServeOptions, create_app

    checked = ServeOptions(port=0, **options)
    with RunningServer(create_app(assistant, checked), "127.0.0.1", 0, checked.root_path) as server:
        yield server.url


def response(url: str, method: str, path: str, body: bytes | None = None, headers: dict | None = None):
    """(status, headers with lowercase names, reply) for the path exactly as written (no
    client-side normalization of "..")."""
    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=TIMEOUT)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        reply = conn.getresponse()
        return reply.status, {k.lower(): v for k, v in reply.getheaders()}, reply.read()
    finally:
        conn.close()


def request(url: str, method: str, path: str, body: bytes | None = None, headers: dict | None = None):
    """(status, reply)"""
    status, _, reply = response(url, method, path, body, headers)
    return status, reply


def post_json(url: str, path: str, body) -> tuple[int, bytes]:
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    return request(url, "POST", path, data, {"Content-Type": "application/json"})


def chat_event(url: str, page: str = "") -> int:
    """The fn_index of the chat's question event: the queued one that takes the earlier questions
    (the chat's hidden JSON component)."""
    config = json.loads(request(url, "GET", f"{page}/config")[1])
    carriers = {c["id"] for c in config["components"] if c["type"] == "json"}
    return next(d["id"] for d in config["dependencies"] if d["queue"] and carriers & set(d["inputs"]))


def ask_in_chat(url: str, fn_index: int, question: str, history: list, session: str, lang: str = "en",
                source: str = ""):
    """What the page does on Enter, with `history` the earlier questions it sends: (request size
    in bytes, the turn it gets back: {"id", "asked", "html", "text", "vote"})."""
    body = json.dumps({"data": [question, history, lang, source], "fn_index": fn_index, "trigger_id": None,
                       "session_hash": session}, ensure_ascii=False).encode()
    status, reply = post_json(url, "/gradio_api/queue/join", body)
    assert status == 200, reply[:300]
    status, stream = request(url, "GET", f"/gradio_api/queue/data?session_hash={session}")
    assert status == 200, stream[:300]
    for line in stream.decode().splitlines():
        message = json.loads(line[6:]) if line.startswith("data: ") else {}
        if message.get("msg") == "process_completed":
            assert message["success"], message
            return len(body), message["output"]["data"][0]
    raise AssertionError(f"no answer in the stream: {stream[-300:]!r}")
