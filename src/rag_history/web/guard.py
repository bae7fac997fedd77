"""What reaches Gradio: the routes the chat, the widget and the /ask API use, and event requests
in the shape the page sends them. Everything else gets a short 4xx here.

Gradio serves many more routes than this app uses (deep links that write session state to disk,
component servers, streams, run histories) and turns malformed events into 500s with a traceback
in the log: an unknown `fn_index` (KeyError), an unknown keyword (TypeError), `[null]` for data,
a stream opened for an unknown session (an exception after the response started). No library
checks Gradio's event bodies, so this middleware does, from the Blocks' own event list:

- each event runs through the route its page uses: queued events (answers) only through the
  queue, whose concurrency limit bounds them; unqueued ones (label switches) through /run/predict;
- each input value must fit its component: text (cut at MAX_TEXT_CHARS), one of a Radio's or a
  Dropdown's choices, a history of earlier questions (a list of text, trimmed by
  limits.earlier_questions), an example's index; components of other kinds pass as sent, bounded
  by the body limit only; a named API's parameters that have defaults may be left out;
- the body Gradio gets is rebuilt from the checked values, without other keys;
- error replies are short: a longer one (FastAPI's validation errors echo the request) or any
  5xx is replaced by its status phrase, so no exception text reaches a client.

Pure ASGI rather than BaseHTTPMiddleware, which would buffer Gradio's streamed queue events.
"""

from __future__ import annotations

import inspect
import json
import re
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Any, Callable
from urllib.parse import parse_qsl

import gradio as gr

from .limits import MAX_ERROR_BYTES, MAX_TEXT_CHARS, earlier_questions

API = "/gradio_api"
# What Gradio's page, its API view and gradio_client request, relative to a page's mount.
PAGE_GET = {"/", "/config", "/theme.css", "/favicon.ico", "/robots.txt", "/manifest.json",
            f"{API}/info", f"{API}/openapi.json"}
PAGE_GET_PREFIXES = ("/assets/", "/static/", f"{API}/heartbeat/")
APP_GET = {"/widget.js", "/embed"}  # server.py's own routes
# Gradio's session hashes are 10-11 characters from the page, a UUID from gradio_client.
_SESSION = re.compile(r"[A-Za-z0-9_-]{1,64}")
_EVENT_ID = re.compile(r"[0-9a-f]{32}")
_REQUIRED = object()  # the default of a parameter that has none
# Gradio builds the app's own URLs (/config's root, the API page) from these headers when a request
# has them; dropped, so that only the Host header counts, and that only for the names the server
# answers to (TrustedHostMiddleware, server.py). uvicorn has already applied X-Forwarded-Proto
# from a proxy on this machine to the request's scheme.
FORWARDED = (b"x-forwarded-host", b"x-gradio-server", b"x-forwarded-proto")


class Refused(Exception):
    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status


Check = Callable[[Any], Any]  # an input value -> the value Gradio gets (raises Refused)


@dataclass(frozen=True)
class Event:
    queued: bool
    names: tuple[str, ...]  # the function's parameter names (call/v2 takes them as keys)
    checks: tuple[Check, ...]
    defaults: tuple  # per parameter: its default, or _REQUIRED (Gradio itself fills none in)

    @property
    def required(self) -> int:
        return sum(d is _REQUIRED for d in self.defaults)

    def data(self, values) -> list:
        if not isinstance(values, list) or not self.required <= len(values) <= len(self.checks):
            count = f"{self.required} to {len(self.checks)}" if self.required < len(self.checks) else len(self.checks)
            raise Refused(422, f"data must be a list of {count} value(s).")
        values = values + list(self.defaults[len(values):])
        return [check(value) for check, value in zip(self.checks, values)]


@dataclass
class Page:
    """One mounted Blocks: its events by fn_index, and its named API (`ask`) if it has one."""

    blocks: gr.Blocks
    events: dict[int, Event] = field(default_factory=dict)
    api: dict[str, Event] = field(default_factory=dict)

    @classmethod
    def of(cls, blocks: gr.Blocks) -> "Page":
        page = cls(blocks)
        for index, fn in blocks.fns.items():
            if fn.fn is None:  # runs in the browser only
                continue
            event = Event(fn.queue, tuple(fn.input_parameter_names), tuple(_check(c) for c in fn.inputs),
                          _defaults(fn.fn, len(fn.inputs)))
            page.events[index] = event
            if fn.api_visibility == "public" and fn.api_name:
                page.api[fn.api_name] = event
        return page

    def knows_session(self, session_hash: str) -> bool:
        """Whether the queue holds messages for this session (Gradio's queue is the one record of
        it; read here, never changed, so that its stream opens only for a session it knows)."""
        return session_hash in self.blocks._queue.pending_messages_per_session


class RequestGuard:
    """ASGI middleware in front of the Gradio mounts (`pages`: mount path -> Page)."""

    def __init__(self, app, pages: dict[str, Page]):
        self.app = app
        self.pages = pages

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        try:
            body = await self._checked(scope, receive)
        except Refused as refused:
            return await _reply(send, refused.status, str(refused))
        scope = {**scope, "headers": [(k, v) for k, v in scope["headers"] if k not in FORWARDED]}
        if body is not None:
            scope = _with_body(scope, body)
            receive = _replay(body, receive)
        return await self.app(scope, receive, _short_errors(send))

    async def _checked(self, scope, receive) -> bytes | None:
        """None: pass the request on as it is; bytes: the rebuilt body to pass on instead."""
        method, path = scope["method"], _app_path(scope)
        if method in ("GET", "HEAD") and path in APP_GET:
            return None
        mount = "/embed" if path == "/embed" or path.startswith("/embed/") else ""
        page, route = self.pages[mount], path[len(mount):] or "/"
        if method in ("GET", "HEAD"):
            self._check_get(page, route, _query(scope))
            return None
        if method == "POST" and route in (f"{API}/queue/join", f"{API}/run/predict"):
            return _encode(self._event(page, route, await _json(receive)))
        if method == "POST" and route.startswith(f"{API}/call/"):
            return _encode(self._call(page, route, await _json(receive)))
        raise Refused(404, "Not Found")

    def _check_get(self, page: Page, route: str, query: dict[str, str]) -> None:
        if route in PAGE_GET or route.startswith(PAGE_GET_PREFIXES):
            return
        if route == f"{API}/queue/data":
            session = query.get("session_hash", "")
            if not _SESSION.fullmatch(session) or not page.knows_session(session):
                raise Refused(404, "No events for this session.")
            return
        name, _, event_id = route.removeprefix(f"{API}/call/").removeprefix("v2/").partition("/")
        if not route.startswith(f"{API}/call/") or name not in page.api:
            raise Refused(404, "Not Found")
        # A /call event has no session of its own (_call drops any): the queue files it under its id.
        if not _EVENT_ID.fullmatch(event_id) or not page.knows_session(event_id):
            raise Refused(404, "No such event.")

    def _event(self, page: Page, route: str, body) -> dict:
        if not isinstance(body, dict):
            raise Refused(422, "The body must be a JSON object.")
        index = body.get("fn_index")
        queued = route.endswith("/queue/join")
        event = page.events.get(index) if type(index) is int else None
        if event is None or event.queued != queued:
            # An answer only ever runs through the queue, within its concurrency limit.
            raise Refused(404, "No such event here.")
        session = body.get("session_hash")
        if (queued or session is not None) and not (isinstance(session, str) and _SESSION.fullmatch(session)):
            raise Refused(422, "session_hash must be 1-64 letters, digits, '-' or '_'.")
        trigger = body.get("trigger_id")
        if trigger is not None and type(trigger) is not int:
            raise Refused(422, "trigger_id must be a number.")
        event_data = body.get("event_data")
        if event_data is not None and not isinstance(event_data, dict):
            raise Refused(422, "event_data must be an object.")
        return {"data": event.data(body.get("data")), "fn_index": index, "session_hash": session,
                "trigger_id": trigger, "event_data": event_data}

    def _call(self, page: Page, route: str, body) -> dict:
        """POST /call/NAME {"data": [...]} or /call/v2/NAME {"param": value}, for the named API only."""
        v2 = route.startswith(f"{API}/call/v2/")
        event = page.api.get(route.removeprefix(f"{API}/call/").removeprefix("v2/"))
        if event is None:
            raise Refused(404, "No such API here.")
        if not isinstance(body, dict):
            raise Refused(422, "The body must be a JSON object.")
        if not v2:
            return {"data": event.data(body.get("data"))}
        required = event.names[:event.required]
        if set(body) - set(event.names) or set(required) - set(body):
            raise Refused(422, f"Give these keys: {', '.join(required)}; and, if you like: "
                               f"{', '.join(event.names[event.required:]) or 'no others'}.")
        return dict(zip(event.names, event.data([body.get(n, d) for n, d in zip(event.names, event.defaults)])))


def _defaults(fn, count: int) -> tuple:
    """Each of the `count` input parameters' default, _REQUIRED for none (gr.api's optional ones)."""
    try:
        params = [p for p in inspect.signature(fn).parameters.values()
                  if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    except (TypeError, ValueError):
        params = []
    if len(params) != count:  # the function takes more than its inputs (event data): no defaults
        return (_REQUIRED,) * count
    return tuple(_REQUIRED if p.default is p.empty else p.default for p in params)


def _check(component) -> Check:
    """The check of one input component's value."""
    if isinstance(component, (gr.Radio, gr.Dropdown)):
        values = [value for _, value in component.choices]
        return lambda value: _one_of(value, values)
    if isinstance(component, gr.JSON) or _takes_texts(component):  # the chat's earlier questions, /ask's history
        return _history
    if isinstance(component, gr.Dataset):
        count = len(component.samples)
        return lambda value: _index(value, count)
    if component.api_info() == {"type": "string"}:  # a Textbox, or a `str` parameter of gr.api
        return _text
    return lambda value: value


def _text(value):
    if value is None:
        return value  # an empty field: the answerer says to type a question
    if not isinstance(value, str):
        raise Refused(422, "A question must be text.")
    return value[:MAX_TEXT_CHARS]


def _one_of(value, values: list):
    if not isinstance(value, str) or value not in values:
        raise Refused(422, f"Expected one of: {', '.join(map(str, values))}.")
    return value


def _index(value, count: int):
    if type(value) is not int or not 0 <= value < count:
        raise Refused(422, f"Expected an example number from 0 to {count - 1}.")
    return value


def _takes_texts(component) -> bool:
    """A gr.api parameter typed `list[str]` (or `list[str] | None`)."""
    info = component.api_info()
    return {"type": "array", "items": {"type": "string"}} in [info, *info.get("oneOf", [])]


def _history(value) -> list:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(q, str) for q in value):
        raise Refused(422, "The history must be a list of the earlier questions, as text.")
    return earlier_questions(value)


def _app_path(scope) -> str:
    """The path under the app's own root (uvicorn puts a --root-path prefix in front of it)."""
    path, root = scope["path"], scope.get("root_path", "")
    return (path[len(root):] or "/") if root and path.startswith(root) else path


def _query(scope) -> dict[str, str]:
    return dict(parse_qsl(scope.get("query_string", b"").decode("latin-1")))


async def _json(receive):
    chunks = []
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            raise Refused(400, "The request body did not arrive.")
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            break
    try:
        return json.loads(b"".join(chunks))
    except ValueError:  # also undecodable bytes
        raise Refused(400, "The request body is not JSON.") from None


def _encode(body: dict) -> bytes:
    return json.dumps(body, ensure_ascii=False).encode()


def _with_body(scope, body: bytes) -> dict:
    headers = [(k, v) for k, v in scope["headers"] if k != b"content-length"]
    return {**scope, "headers": headers + [(b"content-length", str(len(body)).encode())]}


def _replay(body: bytes, receive):
    sent = False

    async def replayed():
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()  # after the body: the client's disconnect, as usual

    return replayed


async def _reply(send, status: int, message: str) -> None:
    body = json.dumps({"detail": message}).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})


def _short_errors(send):
    """`send`, with an error reply over MAX_ERROR_BYTES, or any 5xx, replaced by its status phrase."""
    held, body, replaced = None, b"", False

    async def short(message):
        nonlocal held, body, replaced
        if replaced:
            return  # the rest of a replaced reply
        if message["type"] == "http.response.start" and message["status"] >= 400:
            held = message  # sent with its body once that is known to be short
            return
        if held is None or message["type"] != "http.response.body":
            return await send(message)
        body += message.get("body", b"")
        status = held["status"]
        if status >= 500 or len(body) > MAX_ERROR_BYTES:
            replaced = True
            return await _reply(send, status, HTTPStatus(status).phrase)
        if not message.get("more_body", False):
            await send(held)
            await send({"type": "http.response.body", "body": body})

    return short
