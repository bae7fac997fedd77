"""The /ask API through gradio_client, the served widget and headers, and the escaping of article text."""

from __future__ import annotations

import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest

from .conftest import FRAME_ANCESTORS

pytestmark = pytest.mark.e2e

QUESTIONS = ["Moskova Antlaşması ne zaman imzalandı?",
             "What did Mustafa Kemal ask Lenin for in his letter?",
             "Kars Antlaşması ne zaman imzalandı?"]
CONTRACT_KEYS = {"id", "question", "answer", "abstained", "citations", "sentences", "passages"}


def test_ask_api_returns_the_answer_record(chat_url, assistant):
    from gradio_client import Client

    client = Client(chat_url + "/", verbose=False)
    with ThreadPoolExecutor(len(QUESTIONS)) as pool:  # sessions are served side by side
        records = list(pool.map(lambda q: client.predict(q, api_name="/ask"), QUESTIONS))
    for question, record in zip(QUESTIONS, records):
        assert CONTRACT_KEYS <= record.keys()
        expected = assistant.ask(question).to_dict()
        assert record["answer"] == expected["answer"]
        assert record["citations"] == expected["citations"]
        assert [p["id"] for p in record["passages"]] == [p["id"] for p in expected["passages"]]
    assert not records[0]["abstained"] and records[0]["citations"][0]["raw"] in records[0]["answer"]
    with pytest.raises(Exception, match="Please type a question"):
        client.predict("  ", api_name="/ask")


def test_widget_script_embed_redirect_and_frame_policy(chat_url):
    with urllib.request.urlopen(chat_url + "/widget.js", timeout=30) as r:
        assert r.headers["Content-Type"].startswith("text/javascript")
        assert "Ask the article" in r.read().decode()
    for path in ("/", "/embed/"):
        with urllib.request.urlopen(chat_url + path, timeout=30) as r:
            assert r.headers["Content-Security-Policy"].endswith(f"; frame-ancestors {FRAME_ANCESTORS}")
    with urllib.request.urlopen(chat_url + "/embed?lang=tr", timeout=30) as r:
        assert r.url == chat_url + "/embed/?lang=tr"


def test_article_text_is_escaped(assistant):
    """Markup in a source sentence or passage reaches the chat as text."""
    from dataclasses import replace

    from rag_history.web.render import Course, answer_html

    bad = "<img src=x onerror=alert(1)>"
    answer = assistant.ask(QUESTIONS[0])
    answer.sentences = [replace(s, text=bad + s.text) for s in answer.sentences]
    answer.passages = [replace(p, chunk=replace(p.chunk, text=bad + p.chunk.text)) for p in answer.passages]
    html = answer_html(answer, Course.of(assistant.texts))
    assert "<img" not in html
    assert html.count("&lt;img src=x onerror=alert(1)&gt;") >= 1 + len(answer.passages)


def test_root_path_behind_a_proxy(assistant):
    """Under --root-path the pages still route, and tell the browser the public prefix."""
    import json

    from rag_history.web.server import RunningServer, ServeOptions, create_app

    options = ServeOptions(port=0, root_path="/course/chat")
    with RunningServer(create_app(assistant, options), "127.0.0.1", 0, options.root_path) as server:
        for path, root in (("/config", "/course/chat"), ("/embed/config", "/course/chat/embed")):
            with urllib.request.urlopen(server.url + path, timeout=30) as r:
                assert json.load(r)["root"] == server.url + root
