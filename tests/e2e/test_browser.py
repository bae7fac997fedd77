"""The chat in headless Chromium: questions in Turkish and English, the short answer, labels in the
interface language, escaping, the refusal, references, the embed view, and the widget on a course
page from another origin (Escape closing it from inside the chat)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from .chat import ENGLISH, REFUSED, TURKISH, aria_labels, ask, assert_cited_answer

pytestmark = pytest.mark.e2e

INJECTION = "<img src=x onerror=alert(1)>"


def test_turkish_question_in_a_turkish_browser(open_page, chat_url, assistant, screenshot_dir):
    requests: list[str] = []
    page = open_page(chat_url + "/", locale="tr-TR")
    page.on("request", lambda r: requests.append(r.url))
    expect(page.locator("#rh-send")).to_have_text("Sor")  # labels follow the browser language
    expect(page.locator("#rh-clear")).to_have_text("Temizle")
    expect(page.get_by_role("tab", name="Kaynakça")).to_be_visible()
    expect(page.locator("#rh-source")).to_be_hidden()  # one text: no chooser
    expected = assistant.ask(TURKISH)
    turn = ask(page, TURKISH)
    assert_cited_answer(turn, expected)
    # The short answer comes first, and is marked where the sentence gives it.
    assert expected.short is not None
    expect(turn.locator(".rh-short")).to_have_text(expected.short.display)
    expect(turn.locator(".rh-text mark.rh-hit")).to_have_text(expected.short.text)
    assert turn.locator(".rh-answer > *").first.get_attribute("class") == "rh-short"
    page.screenshot(path=str(screenshot_dir / "chat_tr_short_answer.png"), full_page=True)
    outside = [u for u in requests if not u.startswith(chat_url) and not u.startswith("data:")]
    assert not outside, f"the page fetched from elsewhere (no CDN allowed): {outside}"


def test_english_short_answer_is_shown_in_english(open_page, chat_url, assistant):
    question = "When was the Treaty of Moscow signed?"
    expected = assistant.ask(question)
    assert expected.short is not None and expected.short.display != expected.short.text
    turn = ask(open_page(chat_url + "/"), question)
    expect(turn.locator(".rh-short")).to_have_text(expected.short.display)  # "16 March 1921"
    expect(turn.locator("mark.rh-hit")).to_have_text(expected.short.text)  # the source's "16 Mart 1921"


def test_language_switch_relabels_the_screen(open_page, chat_url, assistant, screenshot_dir):
    page = open_page(chat_url + "/", locale="en-US")
    expect(page.locator("#rh-send")).to_have_text("Ask")
    expect(page.locator("#rh-chat .rh-empty")).to_contain_text("Type a question")
    turn = ask(page, ENGLISH)
    assert_cited_answer(turn, assistant.ask(ENGLISH))
    page.screenshot(path=str(screenshot_dir / "chat_en_answer.png"), full_page=True)
    page.locator("#rh-language").get_by_text("Türkçe").click()
    expect(page.locator(".rh-header h1")).to_have_text("Makaleye sorun")
    expect(page.get_by_role("tab", name="Sohbet")).to_be_visible()
    expect(page.get_by_role("tab", name="Kaynakça")).to_be_visible()
    expect(page.locator("#rh-send")).to_have_text("Sor")
    expect(page.locator("#rh-clear")).to_have_text("Temizle")
    expect(page.locator("#rh-question textarea")).to_have_attribute("placeholder", re.compile("Örneğin"))
    expect(page.locator("#rh-examples")).to_contain_text("Örnek sorular")
    expect(page.locator("#rh-chat .rh-log")).to_have_attribute("aria-label", "Sohbet")
    # The answer already given keeps its question's language: one bubble, one language.
    expect(turn.locator(".rh-answer .rh-copy")).to_have_text("Copy")
    page.get_by_role("tab", name="Kaynakça").click()
    expect(page.locator("#rh-references")).to_contain_text("Metinde gösterilen her kaynak")
    page.locator("#rh-language").get_by_text("English").click()
    expect(page.locator("#rh-references")).to_contain_text("Every reference the text gives")


def test_html_in_a_question_renders_as_text(open_page, chat_url, screenshot_dir):
    page = open_page(chat_url + "/")
    turn = ask(page, INJECTION)
    expect(turn.locator(".rh-question")).to_have_text(INJECTION)
    assert page.locator("#rh-chat img").count() == 0
    page.wait_for_timeout(500)  # an onerror handler would have fired by now
    assert page.dialogs == []
    page.screenshot(path=str(screenshot_dir / "injection_as_text.png"), full_page=True)


def test_empty_question_notice_is_in_the_interface_language_only(open_page, chat_url):
    page = open_page(chat_url + "/", locale="en-US")
    notice = ask(page, "   ").locator(".rh-notice")
    expect(notice).to_have_text("Please type a question.")
    page.locator("#rh-language").get_by_text("Türkçe").click()
    expect(page.locator("#rh-send")).to_have_text("Sor")
    expect(ask(page, "?!").locator(".rh-notice")).to_have_text("Lütfen bir soru yazın.")


def test_refusal_shows_its_reason_two_passages_and_a_hint(open_page, chat_url, assistant, screenshot_dir):
    expected = assistant.ask(REFUSED)
    assert expected.abstained and len(expected.passages) >= 2
    page = open_page(chat_url + "/")
    answer = ask(page, REFUSED).locator(".rh-answer")
    expect(answer).to_have_class(re.compile("rh-abstained"))
    expect(answer.locator(".rh-badge")).to_have_text("No answer found")
    expect(answer.locator(".rh-text")).to_have_text(expected.text)  # the reason, in the question's language
    expect(answer.locator(".rh-hint")).to_contain_text("Try one complete question")
    expect(answer.locator(".rh-sources summary")).to_have_text("Closest passages (2)")
    answer.locator(".rh-sources summary").click()
    passages = answer.locator(".rh-passage blockquote")
    expect(passages).to_have_count(2)
    for shown, passage in zip(passages.all(), expected.passages[:2]):
        assert " ".join(shown.inner_text().split()) == " ".join(passage.chunk.text.split())
    page.screenshot(path=str(screenshot_dir / "refusal_closest_passages.png"), full_page=True)


def test_references_view(open_page, chat_url, assistant, screenshot_dir):
    page = open_page(chat_url + "/")
    page.get_by_role("tab", name="References").click()
    expect(page.locator("#rh-references-text")).to_be_hidden()  # one text: no chooser
    references = page.locator("#rh-references .rh-reference")
    expect(references).to_have_count(len(assistant.references()))
    first = assistant.references()[0]
    references.first.locator("summary").click()
    expect(references.first).to_contain_text(first.key)
    expect(references.first).to_contain_text(first.sentences[0].text[:60])
    page.screenshot(path=str(screenshot_dir / "references_one_text.png"), full_page=True)


def test_embed_view_is_compact_and_dark(open_page, chat_url, assistant, screenshot_dir):
    page = open_page(chat_url + "/embed?lang=en&__theme=dark")  # the redirect to /embed/ keeps the query
    page.set_viewport_size({"width": 420, "height": 640})
    expect(page.locator("#rh-question textarea")).to_be_visible()
    expect(page.locator("body")).to_have_class(re.compile("dark"))
    assert page.locator(".rh-header").count() == 0 and page.locator("footer").count() == 0
    assert page.get_by_role("tab").count() == 0
    turn = ask(page, TURKISH)
    assert_cited_answer(turn, assistant.ask(TURKISH))
    page.screenshot(path=str(screenshot_dir / "embed_dark_answer.png"))


def test_widget_on_a_course_page_closes_with_escape_inside_it(open_page, course_url, chat_url, assistant,
                                                                screenshot_dir):
    page = open_page(course_url, locale="en-US")
    assert not course_url.startswith(chat_url)
    button = page.get_by_role("button", name="Makaleye sor")  # the page asks for Turkish (data-lang="tr")
    button.click()
    frame = page.frame_locator(".rh-widget-panel iframe")
    expect(frame.locator("#rh-question textarea")).to_be_visible()
    expect(frame.locator("#rh-send")).to_have_text("Sor")
    assert_cited_answer(ask(frame, TURKISH), assistant.ask(TURKISH))
    page.screenshot(path=str(screenshot_dir / "course_page_widget_answer.png"))
    assert not [label for label in aria_labels(page) if "<" in label]
    frame.locator("#rh-question textarea").focus()  # focus inside the chat's iframe: the page sees no key
    page.keyboard.press("Escape")
    expect(page.locator(".rh-widget-panel")).to_be_hidden()
    expect(button).to_be_focused()
    button.click()  # reopened: the conversation is still there, and the close button works too
    expect(frame.locator("#rh-chat .rh-answer")).to_have_count(1)
    page.get_by_role("button", name="Kapat").click()
    expect(page.locator(".rh-widget-panel")).to_be_hidden()
