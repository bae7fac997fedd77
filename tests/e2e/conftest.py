"""Fixtures for the end-to-end tests: the chat server, a course-page site on another origin, and
Debian's Chromium driven by Playwright (nothing is downloaded: no `playwright install`)."""

from __future__ import annotations

import shutil
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from conftest import ARTICLE, FIXTURE_DIR, FIXTURE_NAME, patch_encoder  # tests/conftest.py: tests/ is on sys.path

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "artifacts" / "screenshots"
COURSE_PAGE = ROOT / "examples" / "course_page.html"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
WAIT_MS = 90_000  # a slow shared 2-core machine: generous, and bounded
FRAME_ANCESTORS = "'self' http://127.0.0.1:*"  # the course site runs on another loopback port


def _serve(assistant):
    from rag_history.web.server import RunningServer, ServeOptions, create_app

    app = create_app(assistant, ServeOptions(port=0, frame_ancestors=FRAME_ANCESTORS))
    with RunningServer(app, "127.0.0.1", 0) as server:
        yield server.url


@pytest.fixture(scope="session")
def chat_url(assistant) -> str:
    """The chat served on a free loopback port for the whole session."""
    yield from _serve(assistant)


@pytest.fixture(scope="session")
def course_assistant(assistant, tmp_path_factory):
    """A course of two texts: the bundled article and the invented tests/data/serinova-feneri.txt."""
    from rag_history import Assistant
    from rag_history.config import Settings

    sources = tmp_path_factory.mktemp("course")
    for path in (ARTICLE, FIXTURE_DIR / FIXTURE_NAME):
        for name in (path.name, path.with_suffix(".json").name):
            shutil.copy(path.parent / name, sources / name)
    settings = Settings(source_dir=sources, index_dir=tmp_path_factory.mktemp("course-index"))
    with pytest.MonkeyPatch.context() as mp:
        patch_encoder(mp, assistant.encoders)  # the models the session already loaded
        return Assistant.load(settings, progress=False, log=lambda msg: None)


@pytest.fixture(scope="session")
def course_chat_url(course_assistant) -> str:
    """The chat over the two-text course, on its own port."""
    yield from _serve(course_assistant)


class _CoursePage(SimpleHTTPRequestHandler):
    """Serves examples/ with the widget's address pointed at the test's chat server (and, given a
    source, the widget limited to that text)."""

    def __init__(self, *args, chat_url: str, source: str = "", **kwargs):
        self.chat_url = chat_url
        self.source = source
        super().__init__(*args, directory=str(COURSE_PAGE.parent), **kwargs)

    def do_GET(self):
        if self.path.split("?")[0] != "/course_page.html":
            return super().do_GET()
        page = COURSE_PAGE.read_text(encoding="utf-8").replace("http://127.0.0.1:7860", self.chat_url)
        if "theme=dark" in self.path:  # the widget as on a course page that asks for the dark theme
            page = page.replace('data-theme="light"', 'data-theme="dark"')
        if self.source:
            page = page.replace('/widget.js"', f'/widget.js" data-source="{self.source}"')
        body = page.encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):  # keep the test output clean
        pass


def _course_site(chat_url: str, source: str = ""):
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), partial(_CoursePage, chat_url=chat_url, source=source))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/course_page.html"
    httpd.shutdown()
    thread.join(timeout=10)


@pytest.fixture(scope="session")
def course_url(chat_url) -> str:
    """examples/course_page.html from a second local server: another origin than the chat."""
    yield from _course_site(chat_url)


@pytest.fixture(scope="session")
def limited_course_url(course_chat_url) -> str:
    """The course page with the widget of the two-text chat limited to the fixture text (data-source)."""
    yield from _course_site(course_chat_url, source=FIXTURE_NAME)


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def open_page(browser):
    """open_page(url, locale) -> a page in a fresh context; dialogs (alert) are recorded and dismissed."""
    contexts = []

    def open_(url: str, locale: str = "en-US", **context_options):
        context = browser.new_context(locale=locale, viewport={"width": 1100, "height": 900}, **context_options)
        context.set_default_timeout(WAIT_MS)
        contexts.append(context)
        page = context.new_page()
        page.dialogs = []
        page.on("dialog", lambda d: (page.dialogs.append(d.message), d.dismiss()))
        page.goto(url)
        return page

    yield open_
    for context in contexts:
        context.close()


@pytest.fixture(scope="session")
def screenshot_dir() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS


@pytest.fixture(scope="module")
def fast_assistant(tmp_path_factory):
    """The real answerer and index format over the bundled article, embedded by the tests' hashing
    encoder: the server's behaviour without the model's seconds (benchmarks/ measure the model)."""
    from conftest import HashingEncoder, never_refusing_model  # tests/conftest.py: tests/ is on sys.path
    from rag_history import Assistant
    from rag_history.config import Settings
    from rag_history.index import build_index, load_index

    settings = Settings(source_dir=ROOT / "source_texts", index_dir=tmp_path_factory.mktemp("fast-index"))
    encoder = HashingEncoder(settings.model)
    build_index(settings.source_dir, settings.index_dir, settings.build, encoder, progress=False)
    return Assistant(settings, load_index(settings.index_dir), encoder, never_refusing_model())


@pytest.fixture(scope="module")
def fast_url(fast_assistant):
    """The real app (create_app: Gradio queue, guard, limits, /ask API) over fast_assistant."""
    from .fast import serving

    with serving(fast_assistant) as url:
        yield url
