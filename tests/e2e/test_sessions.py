"""Conversations and sessions (issue 13): a question carries a bounded history (the page keeps the
conversation and sends only its last questions), so a long conversation keeps working (at turn
225 the old page's requests passed 1 MB and every later question got a 413), and Gradio's
per-session state is bounded. Memory itself is measured by benchmarks/sessions.py, not asserted
here."""

from __future__ import annotations

from html import escape

import pytest

from .fast import ask_in_chat, chat_event, post_json

pytestmark = pytest.mark.e2e

QUESTIONS = ["Moskova Antlaşması ne zaman imzalandı?", "What did Mustafa Kemal ask Lenin for in his letter?",
             "Kars Antlaşması ne zaman imzalandı?", "Sovyet Rusya Millî Mücadele'ye nasıl yardım etti?"]


def test_a_300_turn_conversation_keeps_working(fast_url):
    """The page sends the last questions with each one, as the chat does, for 300 questions."""
    from rag_history.question import MAX_HISTORY_QUESTIONS
    from rag_history.web.limits import MAX_REQUEST_BYTES

    event, asked, sizes = chat_event(fast_url), [], []
    for turn in range(300):
        size, reply = ask_in_chat(fast_url, event, f"{QUESTIONS[turn % 4]} ({turn})",
                                  asked[-MAX_HISTORY_QUESTIONS:], "long-talk")
        sizes.append(size)
        assert f"({turn})" in reply["html"] and "rh-answer" in reply["html"] and reply["asked"].endswith(f"({turn})")
        asked.append(reply["asked"])
    assert max(sizes) < MAX_REQUEST_BYTES / 100 and max(sizes[50:]) <= 1.2 * max(sizes[:50])


def test_history_beyond_the_limits_is_dropped_oldest_first(fast_url, fast_assistant):
    from rag_history.question import MAX_HISTORY_QUESTIONS

    event = chat_event(fast_url)
    # The question the follow-up leans on, then more than the limit of others after it.
    history = ["Tell me about the Treaty of Moscow"] + [QUESTIONS[1]] * (3 * MAX_HISTORY_QUESTIONS)
    _, reply = ask_in_chat(fast_url, event, "When was it signed?", history, "limits")
    kept = fast_assistant.ask("When was it signed?", history=history[-MAX_HISTORY_QUESTIONS:]).about
    assert kept and kept != fast_assistant.ask("When was it signed?", history=history[:1]).about
    assert f'<p class="rh-about">(about: {escape(kept)})</p>' in reply["html"]  # read with the last six only
    for bad in ("not a list", [{"role": "user", "content": "Moskova?"}], [1, 2], {"q": "x"}):
        status, _ = post_json(fast_url, "/gradio_api/queue/join",
                              {"data": [QUESTIONS[0], bad, "en", ""], "fn_index": event, "session_hash": "limits"})
        assert status == 422, bad


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
