"""Security headers on every response: a Content-Security-Policy for the app's own pages (with the
frame-ancestors of embed.py), `X-Content-Type-Options: nosniff` and a Referrer-Policy.

Gradio's page carries a few inline scripts (its config among them, which differs with the root
URL); rather than allowing every inline script, each HTML response's CSP lists the SHA-256 of
the inline scripts that response itself holds, so only those run. Pure ASGI rather than
BaseHTTPMiddleware, which would buffer Gradio's streamed queue events; only HTML responses are
held until complete (the page is ~70 KB).
"""

from __future__ import annotations

import base64
import hashlib
import re

from starlette.datastructures import MutableHeaders

# What the Gradio page needs, checked in Chromium (tests/e2e/test_headers.py): its scripts,
# styles and fonts from the app itself; inline styles (Svelte sets style attributes); icons as
# data: URIs; and `'unsafe-eval'`, without which the page does not start: Gradio's Blocks script
# compiles the `js=` hooks of events (app.py's language detection) with the AsyncFunction
# constructor, and its HTML component renders templates with Function(). No other origin.
PAGE_POLICY = ("default-src 'self'; script-src 'self' 'unsafe-eval' {hashes}; style-src 'self' 'unsafe-inline'; "
               "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; "
               "form-action 'self'; frame-ancestors {frame_ancestors}")
REFERRER_POLICY = "strict-origin-when-cross-origin"  # other sites see the origin, never the path or ?lang=
_INLINE_SCRIPT = re.compile(rb"<script(?![^>]*\ssrc=)[^>]*>(.*?)</script>", re.S | re.I)


def inline_script_hashes(html: bytes) -> list[str]:
    """CSP hash sources ('sha256-...') of the inline scripts of an HTML document."""
    return [f"'sha256-{base64.b64encode(hashlib.sha256(body).digest()).decode()}'"
            for body in _INLINE_SCRIPT.findall(html)]


class SecurityHeaders:
    """ASGI middleware: the page CSP, nosniff and Referrer-Policy on every HTTP response."""

    def __init__(self, app, frame_ancestors: str):
        self.app = app
        self.frame_ancestors = frame_ancestors

    def policy(self, html: bytes = b"") -> str:
        hashes = " ".join(dict.fromkeys(inline_script_hashes(html)))
        return PAGE_POLICY.format(hashes=hashes, frame_ancestors=self.frame_ancestors).replace("  ", " ")

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        start = None
        body = []

        async def send_with_headers(message):
            nonlocal start
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers["X-Content-Type-Options"] = "nosniff"
                headers["Referrer-Policy"] = REFERRER_POLICY
                if headers.get("content-type", "").startswith("text/html") and "content-encoding" not in headers:
                    start = message  # held until the body is complete: its CSP names the page's scripts
                    return
                headers["Content-Security-Policy"] = self.policy()
            elif message["type"] == "http.response.body" and start is not None:
                body.append(message.get("body", b""))
                if message.get("more_body", False):
                    return
                html = b"".join(body)
                MutableHeaders(scope=start)["Content-Security-Policy"] = self.policy(html)
                await send(start)
                message = {"type": "http.response.body", "body": html}
            await send(message)

        return await self.app(scope, receive, send_with_headers)
