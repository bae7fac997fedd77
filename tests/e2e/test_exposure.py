"""The server exposes only the app (issue 6): no source or index file by URL, no directory
listing, no debug or schema pages, no tracebacks, and request bodies are size-limited."""

from __future__ import annotations

import http.client
import json
from urllib.parse import quote, urlsplit

import pytest

pytestmark = pytest.mark.e2e

ARTICLE = "turk-sovyet-iliskileri-milli-mucadele.txt"
TOO_BIG = 2_000_000  # bytes: more than any question or chat history the page sends


def _request(url: str, method: str, path: str, body: bytes | None = None, headers: dict | None = None):
    """Send the path exactly as written (no client-side normalization of "..")."""
    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


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
