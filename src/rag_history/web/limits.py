"""Request size limit: a public chat takes questions, not uploads.

A question is cut to 500 characters anyway; the biggest legitimate body is the chat page's
history sent back with each question. Anything far beyond that (a pasted book, a file posted to
Gradio's upload route, which this app never uses) is refused before it is read into memory.
"""

from __future__ import annotations

MAX_REQUEST_BYTES = 1_000_000


class BodyLimit:
    """ASGI middleware: 413 for a declared body over `limit`; a streamed one is cut off there.

    Pure ASGI rather than BaseHTTPMiddleware, which would buffer Gradio's streamed queue events.
    """

    def __init__(self, app, limit: int = MAX_REQUEST_BYTES):
        self.app = app
        self.limit = limit

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        declared = dict(scope["headers"]).get(b"content-length", b"0")
        if not declared.isdigit() or int(declared) > self.limit:
            await send({"type": "http.response.start", "status": 413,
                        "headers": [(b"content-type", b"application/json")]})
            await send({"type": "http.response.body", "body": b'{"detail":"Request too large"}'})
            return
        received = 0

        async def limited():
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.limit:  # chunked, no length declared: stop reading here
                    return {"type": "http.disconnect"}
            return message

        return await self.app(scope, limited, send)
