"""The server's size limits: request bodies, the chat history a question carries, error replies,
and the per-session state Gradio keeps.

A public chat takes questions, not uploads. A question is cut to 500 characters anyway; the
biggest legitimate body is the chat page's history sent back with each question, and that is
bounded here too (the last few questions and answers), so a long conversation never grows its
requests. Anything far beyond (a pasted book, a file posted to Gradio's upload route) is refused
before it is read into memory.
"""

from __future__ import annotations

import json

from ..question import MAX_HISTORY_QUESTIONS, MAX_INPUT_BYTES

MAX_REQUEST_BYTES = 1_000_000
# The history a question carries is the conversation the reader reads it in (question.py's
# MAX_HISTORY_QUESTIONS earlier questions, and the answers between them); older messages are
# dropped before Gradio sees them (Gradio copies every input into the session's state).
# One chat message, as JSON: a question's HTML is at most ~3,000 characters (500 characters, each
# escaped to at most 6); the longest answer the chat renders over the 135 questions of
# eval/questions.jsonl and eval/heldout.jsonl is 4,971 characters of HTML (5 passages). A message
# longer than this did not come from this server: it and everything before it are dropped.
MAX_MESSAGE_CHARS = 12_000
# A text field (the question) is cut here, as `ask` cuts stdin: the answerer keeps only its first
# 500 characters (question.MAX_QUESTION_CHARS), and the rest would only sit in the session's state.
MAX_TEXT_CHARS = MAX_INPUT_BYTES
# Error replies are short sentences; a longer one (FastAPI's validation errors echo the whole
# request: a 680 KB request got a 3.5 MB reply) is replaced by its status line.
MAX_ERROR_BYTES = 2_000
# Gradio keeps a copy of each session's component values (~23 KB for the full page, plus the
# history it last sent and got back) for its 10,000 most recent sessions: ~2 MB each with long
# histories, never freed. Nothing of this app lives in that state (the page sends its history
# with each question; there is no gr.State), so it is only a cache: 64 sessions is far more than
# the events that can run at once (4 answers per page, and the unqueued label switches), and
# bounds it to a few MB even with full histories.
SESSION_CAPACITY = 64


def trimmed_history(messages: list) -> list:
    """The end of a chat history within the limits: at most MAX_HISTORY_QUESTIONS questions and
    the messages after the first of them, none longer than MAX_MESSAGE_CHARS."""
    kept, questions = [], 0
    for message in reversed(messages):
        if _length(message) > MAX_MESSAGE_CHARS:
            break
        kept.append(message)
        questions += message.get("role") == "user"
        if questions == MAX_HISTORY_QUESTIONS:
            break
    return kept[::-1]


def _length(message: dict) -> int:
    return len(json.dumps(message, ensure_ascii=False))


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
