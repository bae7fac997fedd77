"""The chat in headless Chromium: questions in Turkish and English, sources, escaping, references,
the embed view, and the widget on a course page from another origin."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from .conftest import WAIT_MS

pytestmark = pytest.mark.e2e

TURKISH = "Moskova Antlaşması ne zaman imzalandı?"
ENGLISH = "What did Mustafa Kemal ask Lenin for in his letter?"
INJECTION = "<img src=x onerror=alert(1)>"


def ask(page: Page, question: str, frame=None):
    """Type a question, send it, and return the new assistant message once it is there."""
    scope = frame or page
    answers = scope.locator("#rh-chat .rh-answer, #rh-chat .rh-notice")
    before = answers.count()
    scope.locator("#rh-question textarea").fill(question)
    scope.locator("#rh-question textarea").press("Enter")
    expect(answers).to_have_count(before + 1, timeout=WAIT_MS)
    return answers.nth(before)


def assert_cited_answer(answer, expected) -> None:
    """The message shows the core's answer sentences, each reference marked up, and its passages."""
    assert not expected.abstained, f"the core abstained on {expected.question!r}"
    shown = answer.inner_text()
    for sentence in expected.sentences:
        assert sentence.display(expected.language) in shown
    cites = [c.citation.raw for c in expected.sentences if c.citation]
    assert cites, "the answer carries at least one reference"
    expect(answer.locator("cite").first).to_have_text(cites[0])
    answer.locator(".rh-sources summary").click()
    passage = answer.locator(".rh-passage").first
    expect(passage).to_be_visible()
    expect(answer.locator(".rh-passage")).to_have_count(len(expected.passages))
    marked = answer.locator(".rh-passage blockquote mark").first
    expect(marked).to_be_visible()
    assert marked.inner_text().strip() in " ".join(s.text for s in expected.sentences)


def test_turkish_question_in_a_turkish_browser(open_page, chat_url, assistant, screenshot_dir):
    requests: list[str] = []
    page = open_page(chat_url + "/", locale="tr-TR")
    page.on("request", lambda r: requests.append(r.url))
    expect(page.locator("#rh-send")).to_have_text("Sor")  # labels follow the browser language
    expect(page.get_by_role("tab", name="Kaynakça")).to_be_visible()
    answer = ask(page, TURKISH)
    assert_cited_answer(answer, assistant.ask(TURKISH))
    page.screenshot(path=str(screenshot_dir / "chat_tr.png"), full_page=True)
    outside = [u for u in requests if not u.startswith(chat_url) and not u.startswith("data:")]
    assert not outside, f"the page fetched from elsewhere (no CDN allowed): {outside}"


def test_english_question_and_language_switch(open_page, chat_url, assistant, screenshot_dir):
    page = open_page(chat_url + "/", locale="en-US")
    expect(page.locator("#rh-send")).to_have_text("Ask")
    answer = ask(page, ENGLISH)
    assert_cited_answer(answer, assistant.ask(ENGLISH))
    page.screenshot(path=str(screenshot_dir / "chat_en.png"), full_page=True)
    page.locator("#rh-language").get_by_text("Türkçe").click()
    expect(page.locator("#rh-send")).to_have_text("Sor")
    expect(page.get_by_role("tab", name="Kaynakça")).to_be_visible()
    expect(page.locator("#rh-question textarea")).to_have_attribute("placeholder", re.compile("Örneğin"))


def test_html_in_a_question_renders_as_text(open_page, chat_url, screenshot_dir):
    page = open_page(chat_url + "/")
    ask(page, INJECTION)
    question = page.locator("#rh-chat .rh-question").last
    expect(question).to_have_text(INJECTION)
    assert page.locator("#rh-chat img").count() == 0
    page.wait_for_timeout(500)  # an onerror handler would have fired by now
    assert page.dialogs == []
    notice = ask(page, "   ")  # an empty question: a plain message, no traceback
    expect(notice).to_have_text(re.compile("Please type a question"))
    page.screenshot(path=str(screenshot_dir / "injection.png"), full_page=True)


def test_abstention_is_shown_as_such(open_page, chat_url):
    page = open_page(chat_url + "/")
    answer = ask(page, "Who won the 1998 FIFA World Cup final?")
    expect(answer).to_have_class(re.compile("rh-abstained"))
    expect(answer.locator(".rh-badge")).to_have_text("No answer in the article")
    expect(answer).to_contain_text("does not contain")


def test_references_view(open_page, chat_url, assistant, screenshot_dir):
    page = open_page(chat_url + "/")
    page.get_by_role("tab", name="References").click()
    references = page.locator("#rh-references .rh-reference")
    expect(references).to_have_count(len(assistant.references()))
    first = assistant.references()[0]
    references.first.locator("summary").click()
    expect(references.first).to_contain_text(first.key)
    expect(references.first).to_contain_text(first.sentences[0].text[:60])
    page.screenshot(path=str(screenshot_dir / "references.png"), full_page=True)


def test_embed_view_is_compact_and_dark(open_page, chat_url, assistant, screenshot_dir):
    page = open_page(chat_url + "/embed?lang=en&__theme=dark")  # the redirect to /embed/ keeps the query
    page.set_viewport_size({"width": 420, "height": 640})
    expect(page.locator("#rh-question textarea")).to_be_visible()
    expect(page.locator("body")).to_have_class(re.compile("dark"))
    assert page.locator(".rh-header").count() == 0 and page.locator("footer").is_hidden()
    assert page.get_by_role("tab").count() == 0
    answer = ask(page, TURKISH)
    assert_cited_answer(answer, assistant.ask(TURKISH))
    page.screenshot(path=str(screenshot_dir / "embed_dark.png"))


def test_widget_on_a_course_page_from_another_origin(open_page, course_url, chat_url, assistant, screenshot_dir):
    page = open_page(course_url, locale="en-US")
    assert not course_url.startswith(chat_url)
    button = page.get_by_role("button", name="Makaleye sor")  # the page asks for Turkish (data-lang="tr")
    button.click()
    frame = page.frame_locator(".rh-widget-panel iframe")
    expect(frame.locator("#rh-question textarea")).to_be_visible()
    expect(frame.locator("#rh-send")).to_have_text("Sor")
    answer = ask(page, TURKISH, frame=frame)
    assert_cited_answer(answer, assistant.ask(TURKISH))
    page.screenshot(path=str(screenshot_dir / "course_page_widget.png"))
    page.get_by_role("button", name="Kapat").click()
    expect(page.locator(".rh-widget-panel")).to_be_hidden()
