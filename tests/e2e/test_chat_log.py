"""The chat with a question log (issue 12, item 6): each answered question is recorded, the thumbs
under an answer record their vote (the latest wins), and without a log there are no thumbs."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from rag_history.questionlog import QuestionLog, read_log

from .chat import REFUSED, TURKISH, ask

pytestmark = pytest.mark.e2e

VOTE_POLLS = 300  # × 100 ms: a slow shared machine, bounded


@pytest.fixture
def logged_chat(assistant, tmp_path):
    from rag_history.web.server import RunningServer, ServeOptions, create_app

    path = tmp_path / "course.db"
    with QuestionLog.open(path) as log:
        app = create_app(assistant, ServeOptions(port=0, question_log=log))
        with RunningServer(app, "127.0.0.1", 0) as server:
            yield server.url, path


def test_thumbs_record_votes_on_logged_answers(open_page, logged_chat, screenshot_dir):
    url, path = logged_chat
    page = open_page(url + "/")
    first = ask(page, TURKISH)
    second = ask(page, REFUSED)
    ask(page, "   ")  # an empty question is not an answer: nothing is logged
    entries = read_log(path)
    assert [(e.question, e.abstained, e.vote) for e in entries] == [(TURKISH, False, None), (REFUSED, True, None)]
    first.get_by_role("button", name="Yararlı değil").click()
    expect(first.get_by_role("button", name="Yararlı değil")).to_have_attribute("aria-pressed", "true")
    expect(first.locator(".rh-thanks")).to_be_visible()
    second.get_by_role("button", name="Helpful", exact=True).click()
    expect(second.get_by_role("button", name="Helpful", exact=True)).to_have_attribute("aria-pressed", "true")
    page.screenshot(path=str(screenshot_dir / "chat_thumbs_with_question_log.png"), full_page=True)
    first.get_by_role("button", name="Yararlı", exact=True).click()  # changed its mind: the latest vote wins
    expect(first.get_by_role("button", name="Yararlı", exact=True)).to_have_attribute("aria-pressed", "true")
    votes = lambda: [e.vote for e in read_log(path)]  # noqa: E731
    for _ in range(VOTE_POLLS):  # the vote's request may still be on its way
        if votes() == [True, True]:
            break
        page.wait_for_timeout(100)
    assert votes() == [True, True]
    page.reload()  # the vote shown is kept with the conversation
    expect(page.locator("#rh-chat .rh-turn").first.get_by_role("button", name="Yararlı", exact=True)) \
        .to_have_attribute("aria-pressed", "true")


def test_no_thumbs_without_a_log(open_page, chat_url):
    turn = ask(open_page(chat_url + "/"), TURKISH)
    expect(turn.locator(".rh-copy")).to_be_visible()
    assert turn.locator(".rh-vote").count() == 0


def test_votes_on_two_answers_in_a_row_are_both_recorded(open_page, logged_chat, monkeypatch):
    """A vote made while the one before is still being written (a slow disk, a busy server) is
    not dropped."""
    import time

    slow = QuestionLog.feedback

    def slowly(self, entry, up):
        time.sleep(1.5)
        return slow(self, entry, up=up)

    monkeypatch.setattr(QuestionLog, "feedback", slowly)
    url, path = logged_chat
    page = open_page(url + "/")
    first, second = ask(page, TURKISH), ask(page, REFUSED)
    first.get_by_role("button", name="Yararlı", exact=True).click()
    second.get_by_role("button", name="Helpful", exact=True).click()
    votes = lambda: [e.vote for e in read_log(path)]  # noqa: E731
    for _ in range(VOTE_POLLS):
        if votes() == [True, True]:
            break
        page.wait_for_timeout(100)
    assert votes() == [True, True]
