"""The /ask API's conversation and source parameters through gradio_client, and where teachers find
the API description now that the page shows students no API link."""

from __future__ import annotations

import json
import urllib.request

import pytest
from conftest import ARTICLE, FIXTURE_NAME, FIXTURE_QUESTION  # tests/conftest.py: tests/ is on sys.path

pytestmark = pytest.mark.e2e

FIRST = "Moskova Antlaşması ne zaman imzalandı?"
FOLLOW_UP = "Kimler arasında imzalandı?"


def test_ask_takes_the_conversation_history(chat_url, assistant):
    from gradio_client import Client

    client = Client(chat_url + "/", verbose=False)
    record = client.predict(FOLLOW_UP, [FIRST], api_name="/ask")
    expected = assistant.ask(FOLLOW_UP, history=[FIRST]).to_dict()
    assert record["about"] == expected["about"] != ""
    assert record["answer"] == expected["answer"] and record["language"] == "tr"
    assert {"about", "short", "language"} <= record.keys()
    alone = client.predict(FOLLOW_UP, api_name="/ask")  # history is optional
    assert alone["about"] == "" and alone == assistant.ask(FOLLOW_UP).to_dict() | {"id": alone["id"]}
    many = client.predict(FOLLOW_UP, ["Lenin kimdir?"] * 20 + [FIRST], api_name="/ask")
    assert many["about"] == record["about"]  # only the latest questions count


def test_ask_takes_a_source(course_chat_url, course_assistant):
    from gradio_client import Client

    client = Client(course_chat_url + "/", verbose=False)
    record = client.predict(FIXTURE_QUESTION, [], FIXTURE_NAME, api_name="/ask")
    assert not record["abstained"] and {s["source"] for s in record["sentences"]} == {FIXTURE_NAME}
    limited = client.predict(FIXTURE_QUESTION, None, ARTICLE.name, api_name="/ask")
    assert {s["source"] for s in limited["sentences"]} <= {ARTICLE.name}
    assert limited["answer"] == course_assistant.ask(FIXTURE_QUESTION, source=ARTICLE.name).text
    with pytest.raises(Exception, match="is indexed"):
        client.predict(FIXTURE_QUESTION, None, "../pyproject.toml", api_name="/ask")


def test_no_api_link_for_students_and_the_api_described_for_teachers(chat_url):
    with urllib.request.urlopen(chat_url + "/config", timeout=30) as r:
        assert json.load(r)["footer_links"] == []  # no "Use via API" link under the chat
    with urllib.request.urlopen(chat_url + "/gradio_api/info", timeout=30) as r:
        ask = json.load(r)["named_endpoints"]["/ask"]
    assert [p["parameter_name"] for p in ask["parameters"]] == ["question", "history", "source"]
    assert "history" in ask["description"] and "Client(" in ask["code_snippets"]["python"]
