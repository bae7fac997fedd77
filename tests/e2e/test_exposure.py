"""The server exposes only the app (issues 6 and 13): no source or index file by URL, no directory
listing, no debug or schema pages, no Gradio route the app does not use, no tracebacks, short
error replies for malformed requests, answers only through the queue, and request bodies are
size-limited."""

from __future__ import annotations

import json
from urllib.parse import quote, urlsplit

import pytest

from .fast import chat_event, post_json, serving
from .fast import request as _request

pytestmark = pytest.mark.e2e

ARTICLE = "turk-sovyet-iliskileri-milli-mucadele.txt"
TOO_BIG = 2_000_000  # bytes: more than any question or chat history the page sends


def _get(url: str, path: str):
    return _request(url, "GET", path)


def _file_paths(settings) -> list[str]:
    article = settings.source_dir.resolve() / ARTICLE
    current = (settings.index_dir / "current").resolve()
    targets = [str(article), f"source_texts/{ARTICLE}", f"../../source_texts/{ARTICLE}",
               str(current / "manifest.json"), str(current / "chunks.jsonl"), str(settings.index_dir / "current"),
               "/etc/passwd", str(settings.source_dir.resolve().parent / "pyproject.toml")]
    paths = []
    for base in ("", "/embed"):
        for target in targets:
            paths += [f"{base}/gradio_api/file={target}", f"{base}/gradio_api/file={quote(target, safe='')}",
                      f"{base}/gradio_api/file/{target.lstrip('/')}", f"{base}/file={target}"]
    return paths + [f"/source_texts/{ARTICLE}", f"/static/../../source_texts/{ARTICLE}",
                    f"/assets/..%2F..%2F..%2Fsource_texts%2F{ARTICLE}", "/index/current/manifest.json",
                    "/README.md", "/pyproject.toml", "/.git/config", "/src/rag_history/cli.py", "/.env"]


def test_no_source_or_index_file_by_url(chat_url, settings):
    served = [(path, status) for path in _file_paths(settings) if (status := _get(chat_url, path)[0]) < 400]
    assert not served, served


@pytest.mark.parametrize("path", ["/static/", "/assets/", "/embed/static/", "/gradio_api/file=/", "/gradio_api/file=.",
                                  "/gradio_api/file=source_texts", "/gradio_api/file=index"])
def test_no_directory_listing(chat_url, path):
    status, body = _get(chat_url, path)
    assert status >= 400 and ARTICLE.encode() not in body and b"Index of" not in body


# (Not /gradio_api/dev/reload: an event stream that stays open, harmless outside reload mode.)
@pytest.mark.parametrize("path", ["/docs", "/redoc", "/openapi.json", "/embed/docs", "/embed/openapi.json",
                                  "/monitoring", "/debug", "/__debug__"])
def test_no_debug_or_schema_pages(chat_url, path):
    assert _get(chat_url, path)[0] >= 400


def test_errors_carry_no_traceback_or_paths(chat_url, settings):
    root = str(settings.source_dir.resolve().parent).encode()
    for body in (b"{not json", b"\xff\xfe", b'{"data": "not a list"}'):
        status, reply = _request(chat_url, "POST", "/gradio_api/call/ask", body, {"Content-Type": "application/json"})
        assert status >= 400 and b"Traceback" not in reply and root not in reply


def test_request_body_size_is_limited(chat_url):
    question = json.dumps({"data": ["Moskova " * (TOO_BIG // 8)]}).encode()
    status, _ = _request(chat_url, "POST", "/gradio_api/call/ask", question, {"Content-Type": "application/json"})
    assert status == 413
    boundary = "rh-boundary"
    upload = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"a.html\"\r\n"
              f"Content-Type: text/html\r\n\r\n").encode() + b"x" * TOO_BIG + f"\r\n--{boundary}--\r\n".encode()
    status, _ = _request(chat_url, "POST", "/gradio_api/upload", upload,
                         {"Content-Type": f"multipart/form-data; boundary={boundary}"})
    assert status in (404, 405, 413)  # the app has no file inputs: no uploads at all, or none this big


@pytest.mark.parametrize("base", ["", "/embed"])
def test_no_upload_route(chat_url, base):
    """The app has no file inputs, so Gradio's upload routes are closed, not merely size-limited."""
    boundary = "rh-boundary"
    upload = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"a.html\"\r\n"
              f"Content-Type: text/html\r\n\r\n<script>alert(1)</script>\r\n--{boundary}--\r\n").encode()
    for path in (f"{base}/gradio_api/upload", f"{base}/gradio_api/upload?upload_id=x"):
        status, body = _request(chat_url, "POST", path, upload,
                                {"Content-Type": f"multipart/form-data; boundary={boundary}"})
        assert status in (404, 405) and b"gradio" not in body.lower(), (path, status, body[:200])
    assert _get(chat_url, f"{base}/gradio_api/upload_progress?upload_id=x")[0] in (404, 405)


def _malformed(url: str) -> list[tuple[str, str, object]]:
    """Requests the page never sends, each of which Gradio answered with a 500 and a traceback."""
    ask = chat_event(url)
    good = {"data": ["Moskova?", [], "en", ""], "fn_index": ask, "session_hash": "s1"}
    return [
        ("POST", "/gradio_api/call/v2/ask", {}), ("POST", "/gradio_api/call/v2/ask", {"foo": 1}),
        ("POST", "/gradio_api/call/v2/ask", {"question": 7}), ("POST", "/gradio_api/call/ask", {}),
        ("POST", "/gradio_api/call/ask", {"foo": 1}), ("POST", "/gradio_api/call/ask", {"data": [1]}),
        ("POST", "/gradio_api/call/ask", {"data": ["a", "b"]}), ("POST", "/gradio_api/call/ask", [None]),
        ("POST", "/gradio_api/call/ask", {"data": ["a", [], "b", "c"]}),
        ("POST", "/gradio_api/call/v2/ask", {"question": "a", "nosuch": 1}),
        ("POST", "/gradio_api/call/nosuch", {"data": ["Moskova?"]}),
        ("POST", "/gradio_api/queue/join", {**good, "fn_index": 999}),
        ("POST", "/gradio_api/queue/join", {**good, "fn_index": -1}),
        ("POST", "/gradio_api/queue/join", {**good, "fn_index": str(ask)}),
        ("POST", "/gradio_api/queue/join", {**good, "fn_index": True}),
        ("POST", "/gradio_api/queue/join", {**good, "data": [1, [], "en", ""]}),  # 'int' has no attribute 'replace'
        ("POST", "/gradio_api/queue/join", {**good, "data": ["Moskova?", "not a list", "en", ""]}),
        ("POST", "/gradio_api/queue/join", {**good, "data": ["Moskova?", [{"role": "x", "content": 1}], "en", ""]}),
        ("POST", "/gradio_api/queue/join", {**good, "data": ["Moskova?", [{"type": "file", "file": {
            "path": "/etc/passwd"}}], "en", ""]}),
        ("POST", "/gradio_api/queue/join", {**good, "data": ["Moskova?", [], "xx", ""]}),
        ("POST", "/gradio_api/queue/join", {**good, "data": ["Moskova?", [], "en", "../../etc/passwd"]}),
        ("POST", "/gradio_api/queue/join", {**good, "data": ["Moskova?", [], "en"]}),
        ("POST", "/gradio_api/queue/join", {**good, "session_hash": None}),
        ("POST", "/gradio_api/queue/join", {**good, "session_hash": "x" * 500}),
        ("POST", "/gradio_api/queue/join", {**good, "trigger_id": "x"}),
        ("POST", "/gradio_api/queue/join", {**good, "event_data": [1]}),
        ("POST", "/gradio_api/queue/join", b"{not json"), ("POST", "/gradio_api/queue/join", b"\xff\xfe"),
        ("POST", "/gradio_api/run/predict", [None]), ("POST", "/gradio_api/run/predict", {"data": ["Moskova?"]}),
        ("POST", "/embed/gradio_api/queue/join", {**good, "fn_index": 999}),
        ("GET", "/gradio_api/queue/data?session_hash=nosuchsession", None),
        ("GET", "/gradio_api/queue/data", None),
        ("GET", "/embed/gradio_api/queue/data?session_hash=nosuchsession", None),
        ("GET", "/gradio_api/call/ask/0123456789abcdef0123456789abcdef", None),
        ("GET", "/gradio_api/call/ask/not-an-event", None),
    ]


def test_malformed_events_get_a_short_4xx_and_leave_no_traceback(fast_assistant, capfd):
    from rag_history.web.limits import MAX_ERROR_BYTES

    with serving(fast_assistant) as url:
        capfd.readouterr()  # the start-up output
        replies = []
        for method, path, body in _malformed(url):
            if method == "GET":
                status, reply = _request(url, "GET", path)
            else:
                status, reply = post_json(url, path, body)
            replies.append((path, status, reply))
    log = "".join(capfd.readouterr())
    assert "Traceback" not in log and "Error" not in log, log[-3000:]
    for path, status, reply in replies:
        assert 400 <= status < 500 and len(reply) <= MAX_ERROR_BYTES, (path, status, reply[:200])
        assert b"attribute" not in reply and b"Traceback" not in reply and b"File " not in reply, (path, reply)
        assert json.loads(reply)["detail"]


def test_error_replies_are_bounded(fast_url):
    """A 680 KB malformed request used to get a 3.5 MB validation error echoing it."""
    from rag_history.web.limits import MAX_ERROR_BYTES

    big = "x" * 680_000
    for path, body in (("/gradio_api/queue/join", {"data": big, "fn_index": chat_event(fast_url)}),
                       ("/gradio_api/queue/join", {"data": [big], "fn_index": big, "session_hash": "s"}),
                       ("/gradio_api/call/ask", {"data": [{"q": big}]}), ("/gradio_api/run/predict", [big])):
        status, reply = post_json(fast_url, path, body)
        assert 400 <= status < 500 and len(reply) <= MAX_ERROR_BYTES, (path, status, len(reply))


def test_answers_run_only_through_the_queue(fast_url):
    """/run/predict ran answers outside the queue's concurrency limit of 4."""
    config = json.loads(_request(fast_url, "GET", "/config")[1])
    unqueued = [d["id"] for d in config["dependencies"] if not d["queue"] and d["backend_fn"]]
    question = {"data": ["Moskova Antlaşması ne zaman imzalandı?", [], "en", ""], "fn_index": chat_event(fast_url)}
    assert post_json(fast_url, "/gradio_api/run/predict", question)[0] == 404
    for path in ("/gradio_api/run/ask", "/gradio_api/api/ask", "/gradio_api/run/respond"):
        assert post_json(fast_url, path, {"data": ["Moskova Antlaşması ne zaman imzalandı?"]})[0] == 404
    relabel = next(i for i in unqueued if len(config["dependencies"][i]["inputs"]) == 1
                   and config["dependencies"][i]["inputs"][0] in {c["id"] for c in config["components"]
                                                                  if c["type"] == "radio"})
    status, reply = post_json(fast_url, "/gradio_api/run/predict", {"data": ["tr"], "fn_index": relabel})
    assert status == 200 and "Sorunuz".encode() in reply  # the label switch still runs directly


@pytest.mark.parametrize("headers", [{"Host": "evil.example"}, {"Host": "evil.example:7860"},
                                     {"X-Forwarded-Host": "evil.example"}, {"X-Gradio-Server": "http://evil.example"},
                                     {"X-Forwarded-Host": "evil.example", "X-Forwarded-Proto": "https"}])
def test_host_header_is_not_reflected(fast_url, headers):
    """Gradio builds /config's root (and the page's API snippets) from these headers."""
    for path in ("/config", "/", "/embed/config", "/embed/", "/gradio_api/info"):
        status, reply = _request(fast_url, "GET", path, headers=headers)
        assert b"evil" not in reply, (path, headers)
        assert status == (400 if "Host" in headers else 200)
    if "Host" not in headers:  # (a proxy on this machine may still say that it speaks https)
        root = json.loads(_request(fast_url, "GET", "/config", headers=headers)[1])["root"]
        assert urlsplit(root).netloc == urlsplit(fast_url).netloc


@pytest.mark.parametrize("method, path", [
    ("GET", "/gradio_api/deep_link?session_hash=abc"), ("POST", "/gradio_api/component_server"),
    ("POST", "/gradio_api/reset"), ("GET", "/gradio_api/runs"), ("GET", "/gradio_api/user"),
    ("GET", "/gradio_api/login_check"), ("POST", "/login"), ("GET", "/logout"), ("GET", "/gradio_api/startup-events"),
    ("GET", "/gradio_api/app_id"), ("POST", "/gradio_api/process_recording"), ("POST", "/gradio_api/vibe-edit"),
    ("GET", "/gradio_api/proxy=x"), ("POST", "/gradio_api/cancel"), ("PUT", "/"), ("DELETE", "/config"),
    ("GET", "/embed/gradio_api/deep_link"),
])
def test_gradio_routes_the_app_does_not_use_are_closed(fast_url, method, path):
    status, reply = _request(fast_url, method, path, b"{}" if method != "GET" else None,
                             {"Content-Type": "application/json"})
    assert status == 404 and len(reply) < 100, (status, reply[:200])
