"""Conversations and sessions (issue 13): a question carries a bounded history, so a long
conversation keeps working (at turn 225 its requests passed 1 MB and every later question got a
413), and Gradio's per-session state is bounded. Memory itself is measured by
benchmarks/sessions.py, not asserted here."""

from __future__ import annotations

import copy

import pytest

from .fast import ask_in_chat, chat_event, post_json

pytestmark = pytest.mark.e2e

QUESTIONS = ["Moskova Antlaşması ne zaman imzalandı?", "What did Mustafa Kemal ask Lenin for in his letter?",
             "Kars Antlaşması ne zaman imzalandı?", "Sovyet Rusya Millî Mücadele'ye nasıl yardım etti?"]


def test_a_300_turn_conversation_keeps_working(fast_url):
    """The page sends back the history it was given, as the chat does, for 300 questions."""
    from rag_history.web.limits import MAX_HISTORY_QUESTIONS, MAX_REQUEST_BYTES

    event, history, sizes = chat_event(fast_url), [], []
    for turn in range(300):
        size, history = ask_in_chat(fast_url, event, f"{QUESTIONS[turn % 4]} ({turn})", history, "long-talk")
        sizes.append(size)
        assert f"({turn})" in history[-2]["content"][0]["text"] and "rh-answer" in history[-1]["content"][0]["text"]
    questions = [m for m in history if m["role"] == "user"]
    assert len(questions) == MAX_HISTORY_QUESTIONS + 1  # the kept ones and the new one
    assert "(299)" in questions[-1]["content"][0]["text"] and "(293)" in questions[0]["content"][0]["text"]
    assert max(sizes) < MAX_REQUEST_BYTES / 10 and max(sizes[50:]) <= 1.2 * max(sizes[:50])


def test_history_beyond_the_limits_is_dropped_oldest_first(fast_url):
    from rag_history.web.limits import MAX_HISTORY_QUESTIONS, MAX_MESSAGE_CHARS

    event = chat_event(fast_url)
    _, turn = ask_in_chat(fast_url, event, QUESTIONS[0], [], "limits")
    history = [copy.deepcopy(message) for message in turn * 20]
    history[-4]["content"][0]["text"] = "x" * MAX_MESSAGE_CHARS  # not a message this server wrote
    _, kept = ask_in_chat(fast_url, event, QUESTIONS[1], history, "limits")
    assert kept[:-2] == history[-3:]  # after the over-long message only
    _, kept = ask_in_chat(fast_url, event, QUESTIONS[1], turn * 20, "limits")
    assert kept[:-2] == (turn * 20)[-2 * MAX_HISTORY_QUESTIONS:]


def test_gradio_keeps_a_bounded_number_of_sessions(fast_assistant):
    """Gradio kept state for its 10,000 latest sessions (~2 MB each with a long history)."""
    from starlette.routing import Mount

    from rag_history.web.limits import SESSION_CAPACITY
    from rag_history.web.server import RunningServer, ServeOptions, create_app

    app = create_app(fast_assistant, ServeOptions(port=0))
    holders = [route.app.state_holder for route in app.routes if isinstance(route, Mount)]
    with RunningServer(app, "127.0.0.1", 0) as server:
        event = chat_event(server.url)
        for i in range(SESSION_CAPACITY + 40):
            ask_in_chat(server.url, event, QUESTIONS[i % 4], [], f"visitor-{i}")
            assert post_json(server.url, "/gradio_api/call/ask", {"data": [QUESTIONS[i % 4]]})[0] == 200
    assert len(holders) == 2 and holders[1].session_data
    assert all(len(holder.session_data) <= SESSION_CAPACITY for holder in holders)
