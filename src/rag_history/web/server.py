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
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import gradio as gr
import uvicorn
from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import FileResponse, RedirectResponse

from ..assistant import Assistant
from ..errors import RagHistoryError
from ..questionlog import QuestionLog
from .app import build_blocks
from .embed import FrameAncestors, frame_ancestors_policy, snippets
from .limits import BodyLimit

STATIC = Path(__file__).parent / "static"
STARTUP_TIMEOUT = 120.0  # seconds; a slow shared machine can take a while to import and bind


@dataclass(frozen=True)
class ServeOptions:
    host: str = "127.0.0.1"
    port: int = 7860  # 0: any free port
    root_path: str = ""  # URL prefix (or full public URL) when behind a reverse proxy
    frame_ancestors: str | None = None  # CSP frame-ancestors sources; None: embed.DEFAULT_FRAME_ANCESTORS
    concurrency: int = 4  # answers admitted at once per page (computed in turn on the event loop: app.py)
    question_log: QuestionLog | None = None  # where the chat logs questions and votes; None: nothing is logged


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
    app.add_middleware(FrameAncestors, policy=frame_ancestors_policy(options.frame_ancestors))
    app.add_middleware(BodyLimit)

    # Each Gradio mount would publish FastAPI's schema of its internal routes; the app's API is
    # described at /gradio_api/info and /gradio_api/openapi.json.
    @app.get("/openapi.json", include_in_schema=False)
    @app.get("/embed/openapi.json", include_in_schema=False)
    def no_schema():
        raise HTTPException(404)

    # The app has no file inputs: Gradio's upload routes would only store what strangers send.
    @app.api_route("/embed/gradio_api/upload", methods=["GET", "POST", "PUT"], include_in_schema=False)
    @app.api_route("/embed/gradio_api/upload_progress", methods=["GET", "POST"], include_in_schema=False)
    @app.api_route("/gradio_api/upload", methods=["GET", "POST", "PUT"], include_in_schema=False)
    @app.api_route("/gradio_api/upload_progress", methods=["GET", "POST"], include_in_schema=False)
    async def no_upload():
        raise HTTPException(404)

    @app.get("/widget.js", include_in_schema=False)
    def widget() -> FileResponse:
        return FileResponse(STATIC / "widget.js", media_type="text/javascript; charset=utf-8")

    @app.get("/embed", include_in_schema=False)
    def embed(request: Request) -> RedirectResponse:
        # Relative, so that it also holds behind a proxy that serves the app under a prefix.
        query = f"?{request.url.query}" if request.url.query else ""
        return RedirectResponse(f"embed/{query}")

    root = options.root_path.rstrip("/")
    # The embed mount comes first: the one at "/" would otherwise take its requests.
    for path, compact in (("/embed", True), ("/", False)):
        gr.mount_gradio_app(
            app, build_blocks(assistant, compact=compact, concurrency=options.concurrency,
                              question_log=options.question_log), path=path,
            root_path=(root + path.rstrip("/")) or None, css_paths=[STATIC / "chat.css"],
            footer_links=[], ssr_mode=False, mcp_server=False,
        )
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
                raise RagHistoryError(f"Cannot serve on {self.host}:{self.server.config.port} (in use, or "
                                      "not an address of this machine); choose another with --host/--port.")
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
    with RunningServer(app, host, port, root_path) as running:
        base = public_url(running.url, root_path)
        embed = snippets(base)
        print(f"Ask the article: {base}/\n"
              f"API: gradio_client.Client(\"{base}/\").predict(\"...\", api_name=\"/ask\")\n"
              f"Embed as an iframe:\n  {embed.iframe}\n"
              f"or as a floating \"Ask the article\" button:\n  {embed.script}\n"
              f"Sites allowed to frame it (CSP frame-ancestors): {frame_ancestors_policy(frame_ancestors)}\n"
              f"{_logging(question_log)}\n"
              "Press Ctrl+C to stop.", flush=True)
        try:
            running.wait()
        except KeyboardInterrupt:
            print("Stopped.")
    return 0
