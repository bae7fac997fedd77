"""What course pages need to embed the chat: the snippets to paste, and who may frame it.

The widget is a plain script served by the app itself (no CDN, unlike Gradio's `<gradio-app>`
web component): it opens the `/embed` view in an iframe.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from starlette.datastructures import MutableHeaders

from ..errors import RagHistoryError

# Any site may frame the chat: course pages live on many hosts. Restrict it with --frame-ancestors.
DEFAULT_FRAME_ANCESTORS = "*"
_SOURCE = re.compile(r"^('self'|'none'|\*|[a-z][a-z0-9+.-]*:|([a-z][a-z0-9+.-]*://)?[*\w.-]+(:(\d+|\*))?(/\S*)?)$", re.I)


@dataclass(frozen=True)
class Snippets:
    iframe: str
    script: str


def snippets(base_url: str) -> Snippets:
    base = base_url.rstrip("/")
    return Snippets(
        iframe=(f'<iframe src="{base}/embed/?lang=tr" title="Ask the article" loading="lazy" '
                f'style="width:100%;max-width:480px;height:640px;border:1px solid #ccc;border-radius:8px"></iframe>'),
        script=f'<script src="{base}/widget.js" data-lang="tr" data-theme="light" defer></script>',
    )


def frame_ancestors_policy(sources: str | None) -> str:
    """The CSP frame-ancestors source list, checked so that it cannot smuggle in other directives."""
    value = " ".join((sources or DEFAULT_FRAME_ANCESTORS).replace(",", " ").split())
    bad = [s for s in value.split() if not _SOURCE.match(s)]
    if not value or bad:
        raise RagHistoryError(f"--frame-ancestors: {' '.join(bad) or 'nothing given'} is not a CSP source "
                              "(use e.g. \"'self' https://lms.example.edu\", or * for any site).")
    return value


class FrameAncestors:
    """ASGI middleware adding `Content-Security-Policy: frame-ancestors ...` to every response.

    Pure ASGI rather than BaseHTTPMiddleware, which would buffer Gradio's streamed queue events.
    """

    def __init__(self, app, policy: str):
        self.app = app
        self.header = f"frame-ancestors {policy}"

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)

        async def send_with_policy(message):
            if message["type"] == "http.response.start":
                MutableHeaders(scope=message)["Content-Security-Policy"] = self.header
            await send(message)

        return await self.app(scope, receive, send_with_policy)
