"""The web server: the chat at `/`, the embed view at `/embed/`, `/widget.js`, and the /ask API.

One FastAPI app mounts both Gradio pages over the same Assistant and runs under uvicorn in a
background thread, so `serve` and the tests start and stop it the same way.
"""

from __future__ import annotations

import gc
import importlib.util
import os
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

import gradio as gr
import uvicorn
from fastapi import FastAPI, Request
from fastapi.responses import FileResponse, RedirectResponse
from starlette.middleware.trustedhost import TrustedHostMiddleware

from ..assistant import Assistant
from ..errors import RagHistoryError
from ..questionlog import QuestionLog
from .app import build_blocks
from .embed import snippets
from .guard import Page, RequestGuard
from .headers import SecurityHeaders
from .limits import SESSION_CAPACITY, BodyLimit
from .options import ServeOptions, cannot_serve

STATIC = Path(__file__).parent / "static"
STARTUP_TIMEOUT = 120.0  # seconds; a slow shared machine can take a while to import and bind


# Gradio's queue records every event for its /monitoring summary (not served here) and by
# default rebuilds a pandas DataFrame of the last 10,000 events, in a worker thread, after each
# one: a cost per request that grows with the events served (~3 ms of CPU after a thousand).
# Keep one record and never rebuild the summary.
QUEUE_ANALYTICS = {"GRADIO_ANALYTICS_MAX_EVENTS": "1", "GRADIO_ANALYTICS_CACHE_FREQUENCY": str(2**62)}


def create_app(assistant: Assistant, options: ServeOptions) -> FastAPI:
    for name, value in QUEUE_ANALYTICS.items():  # read when the Blocks' queue is created, below
        os.environ.setdefault(name, value)
    if importlib.util.find_spec("matplotlib") is None:
        # Gradio tries `import matplotlib` twice around every call; when it is not installed each
        # failed try searches the whole sys.path again. Recording its absence makes that instant.
        sys.modules.setdefault("matplotlib", None)
    app = FastAPI(docs_url=None, redoc_url=None, openapi_url=None)

    @app.get("/widget.js", include_in_schema=False)
    def widget() -> FileResponse:
        return FileResponse(STATIC / "widget.js", media_type="text/javascript; charset=utf-8")

    @app.get("/embed", include_in_schema=False)
    def embed(request: Request) -> RedirectResponse:
        # Relative, so that it also holds behind a proxy that serves the app under a prefix.
        query = f"?{request.url.query}" if request.url.query else ""
        return RedirectResponse(f"embed/{query}")

    pages = {}
    # The embed mount comes first: the one at "/" would otherwise take its requests.
    for path, compact in (("/embed", True), ("/", False)):
        blocks = build_blocks(assistant, compact=compact, concurrency=options.concurrency,
                              question_log=options.question_log)
        blocks.state_session_capacity = SESSION_CAPACITY  # read by the mount below
        gr.mount_gradio_app(
            app, blocks, path=path, root_path=(options.root_path + path.rstrip("/")) or None,
            css_paths=[STATIC / "chat.css"], footer_links=[], ssr_mode=False,
            mcp_server=False, show_error=False,  # a gr.Error's message still reaches the page
        )
        pages[path.rstrip("/")] = Page.of(blocks)
    # Outermost last: every reply gets the headers, then only this server's names pass, then the
    # body limit, then only the routes and events the app uses.
    app.add_middleware(RequestGuard, pages=pages)
    app.add_middleware(BodyLimit)
    app.add_middleware(TrustedHostMiddleware, allowed_hosts=options.host_names(), www_redirect=False)
    app.add_middleware(SecurityHeaders, frame_ancestors=options.frame_ancestors)
    return app


class RunningServer:
    """uvicorn in a daemon thread: `with RunningServer(app, host, port) as server:` serves until the block ends."""

    def __init__(self, app: FastAPI, host: str, port: int, root_path: str = ""):
        self.host = host
        # uvicorn puts the proxy's prefix back in front of each path, so that the Gradio mounts,
        # told the same prefix, route and build their URLs under it.
        prefix = urlsplit(root_path).path.rstrip("/")
        self.server = uvicorn.Server(uvicorn.Config(app, host=host, port=port, root_path=prefix,
                                                    log_level="warning", access_log=False))
        self.thread = threading.Thread(target=self.server.run, name="rag-history-web", daemon=True)

    def __enter__(self) -> "RunningServer":
        self.thread.start()
        deadline = time.monotonic() + STARTUP_TIMEOUT
        while not self.server.started:
            if not self.thread.is_alive() or time.monotonic() > deadline:
                self.server.should_exit = True
                raise RagHistoryError(cannot_serve(self.host, self.server.config.port))
            time.sleep(0.05)
        return self

    def __exit__(self, *exc) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=30)

    @property
    def port(self) -> int:
        return self.server.servers[0].sockets[0].getsockname()[1]

    @property
    def url(self) -> str:
        """The local address, e.g. http://127.0.0.1:7860 (a wildcard host shown as loopback)."""
        host = "127.0.0.1" if self.host in ("", "0.0.0.0", "::") else self.host
        return f"http://{f'[{host}]' if ':' in host else host}:{self.port}"

    def wait(self) -> None:
        while self.thread.is_alive():  # short joins keep Ctrl+C responsive in the main thread
            self.thread.join(timeout=0.5)


def public_url(local_url: str, root_path: str) -> str:
    """Where browsers reach the app: the root path if it is a full URL, else local URL + prefix."""
    if root_path.startswith(("http://", "https://")):
        return root_path.rstrip("/")
    return local_url + root_path.rstrip("/")


def _logging(question_log: QuestionLog | None) -> str:
    if question_log is None:
        return "Questions are not logged (--question-log FILE logs them)."
    return (f"Question log: {question_log.path} (each question, its answer and thumbs up/down, "
            "with the time; no IP address, cookie or user agent)")


def serve(assistant: Assistant, host: str = "127.0.0.1", port: int = 7860, root_path: str = "",
          frame_ancestors: str | None = None, question_log: QuestionLog | None = None) -> int:
    """Serve until Ctrl+C; prints the URL, the API call and the embed snippets once listening."""
    options = ServeOptions(host=host, port=port, root_path=root_path, frame_ancestors=frame_ancestors,
                           question_log=question_log)
    app = create_app(assistant, options)
    # The model, index and libraries are ~580k objects that live as long as the process: exempt
    # them from the cyclic collector, whose full passes over them stalled every request ~0.24 s.
    gc.collect()
    gc.freeze()
    with RunningServer(app, options.host, options.port, options.root_path) as running:
        base = public_url(running.url, options.root_path)
        embed = snippets(base)
        print(f"Ask the article: {base}/\n"
              f"API: gradio_client.Client(\"{base}/\").predict(\"...\", api_name=\"/ask\")\n"
              f"Embed as an iframe:\n  {embed.iframe}\n"
              f"or as a floating \"Ask the article\" button:\n  {embed.script}\n"
              f"Sites allowed to frame it (CSP frame-ancestors): {options.frame_ancestors}\n"
              f"Host names it answers to: {', '.join(options.host_names())} (another: give the public URL "
              "as --root-path)\n"
              "The index is read once, now: after `rag-history build`, restart the server.\n"
              f"{_logging(question_log)}\n"
              "Press Ctrl+C to stop.", flush=True)
        try:
            running.wait()
        except KeyboardInterrupt:
            print("Stopped.")
    return 0
