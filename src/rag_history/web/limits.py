"""The server's size limits: request bodies, the earlier questions a question carries, error
replies, and the per-session state Gradio keeps.

A public chat takes questions, not uploads. A question is cut to 500 characters anyway; the
biggest legitimate body is a question with the earlier questions of its conversation, and those
are bounded here too (the last few), so a long conversation never grows its requests. Anything
far beyond (a pasted book, a file posted to Gradio's upload route) is refused before it is read
into memory.
"""

from __future__ import annotations

from ..question import MAX_HISTORY_QUESTIONS, MAX_INPUT_BYTES

MAX_REQUEST_BYTES = 1_000_000
# The history a question carries is the conversation the reader reads it in: question.py's
# MAX_HISTORY_QUESTIONS earlier questions (what the chat page sends); older ones, from an API
# caller, are dropped before Gradio sees them (Gradio copies every input into the session's state).
# A text field (the question) is cut here, as `ask` cuts stdin: the answerer keeps only its first
# 500 characters (question.MAX_QUESTION_CHARS), and the rest would only sit in the session's state.
MAX_TEXT_CHARS = MAX_INPUT_BYTES
# Error replies are short sentences; a longer one (FastAPI's validation errors echo the whole
# request: a 680 KB request got a 3.5 MB reply) is replaced by its status line.
MAX_ERROR_BYTES = 2_000
# Gradio keeps a copy of each session's component values (~23 KB for the full page, plus the
# history a question last carried) for its 10,000 most recent sessions, never freed. Nothing of
# this app lives in that state (the page keeps its conversation and sends the last questions with
# each question; there is no gr.State), so it is only a cache: 64 sessions is far more than
# the events that can run at once (4 answers per page, and the unqueued label switches), and
# bounds it to a few MB even with full histories.
SESSION_CAPACITY = 64


def earlier_questions(history: list[str]) -> list[str]:
    """The end of a question's history within the limits: its last MAX_HISTORY_QUESTIONS
    questions, each cut at MAX_TEXT_CHARS (the answerer reads each as it reads a question)."""
    return [question[:MAX_TEXT_CHARS] for question in history[-MAX_HISTORY_QUESTIONS:]]


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
