"""A course of two texts in the browser (issue 11, item 6): each answer names its text, passages
name theirs, the References view is per text, and the chat (and the widget, with data-source) can
be limited to one text."""

from __future__ import annotations

import re

import pytest
from conftest import ARTICLE, FIXTURE_ANSWER, FIXTURE_NAME, FIXTURE_QUESTION  # tests/conftest.py: tests/ on sys.path
from playwright.sync_api import expect

from .chat import TURKISH, ask, assert_cited_answer

pytestmark = pytest.mark.e2e


def choose(page, dropdown: str, label: str) -> None:
    """Pick an option of a Gradio dropdown by its label."""
    page.locator(f"{dropdown} input").click()
    page.get_by_role("option", name=label, exact=True).click()
    expect(page.locator(f"{dropdown} input")).to_have_value(label)


def test_answers_name_their_text_and_the_chat_can_be_limited(open_page, course_chat_url, course_assistant,
                                                             screenshot_dir):
    article, fixture = course_assistant.text(ARTICLE.name), course_assistant.text(FIXTURE_NAME)
    page = open_page(course_chat_url + "/")
    expect(page.locator(".rh-header h1")).to_have_text("Ask the course texts")
    expect(page.locator("#rh-source input")).to_have_value("Whole course")
    for question, text in ((FIXTURE_QUESTION, fixture), (TURKISH, article)):
        expected = course_assistant.ask(question)
        turn = ask(page, question)
        assert_cited_answer(turn, expected)
        expect(turn.locator(".rh-work")).to_have_text(f"\u2014 {text.label}")
        metas = turn.locator(".rh-passage .rh-meta").all_inner_texts()
        assert metas and all(m.startswith(course_assistant.text(p.chunk.source).short_title)
                             for m, p in zip(metas, expected.passages))
    page.screenshot(path=str(screenshot_dir / "course_two_texts_answers.png"), full_page=True)

    choose(page, "#rh-source", article.label)  # only the article: the lighthouse is not in it
    limited = course_assistant.ask(FIXTURE_QUESTION, source=article.name)
    assert {s.source for s in limited.sentences} <= {article.name}
    answer = ask(page, FIXTURE_QUESTION).locator(".rh-answer")
    assert FIXTURE_ANSWER not in answer.inner_text() and fixture.short_title not in answer.inner_text()
    if limited.abstained:
        expect(answer.locator(".rh-text")).to_have_text(limited.text)  # naming the text it was limited to
    else:
        expect(answer.locator(".rh-work")).to_have_text(f"\u2014 {article.label}")
    choose(page, "#rh-source", "Whole course")
    page.locator("#rh-language").get_by_text("Türkçe").click()  # the chooser follows the interface language
    expect(page.locator("#rh-source input")).to_have_value("Tüm ders")
    expect(page.locator(".rh-header h1")).to_have_text("Ders metinlerine sorun")


def test_references_view_is_per_text(open_page, course_chat_url, course_assistant, screenshot_dir):
    page = open_page(course_chat_url + "/")
    page.get_by_role("tab", name="References").click()
    first = course_assistant.texts[0]
    expect(page.locator("#rh-references-text input")).to_have_value(first.label)
    references = page.locator("#rh-references .rh-reference")
    expect(references).to_have_count(len(course_assistant.references(first.name)))
    fixture = course_assistant.text(FIXTURE_NAME)
    choose(page, "#rh-references-text", fixture.label)
    expected = course_assistant.references(FIXTURE_NAME)
    expect(references).to_have_count(len(expected))
    expect(references.first).to_contain_text(expected[0].key)
    page.screenshot(path=str(screenshot_dir / "course_references_per_text.png"), full_page=True)


def test_widget_limited_to_one_text_with_data_source(open_page, limited_course_url, course_assistant,
                                                     screenshot_dir):
    page = open_page(limited_course_url)
    page.get_by_role("button", name="Makaleye sor").click()
    iframe = page.locator(".rh-widget-panel iframe")
    expect(iframe).to_have_attribute("src", re.compile(f"source={re.escape(FIXTURE_NAME)}"))
    frame = page.frame_locator(".rh-widget-panel iframe")
    fixture = course_assistant.text(FIXTURE_NAME)
    expect(frame.locator("#rh-source input")).to_have_value(fixture.label)
    expected = course_assistant.ask(TURKISH, source=FIXTURE_NAME)
    assert {s.source for s in expected.sentences} <= {FIXTURE_NAME}
    answer = ask(frame, TURKISH).locator(".rh-answer")
    assert "16 Mart 1921" not in answer.inner_text()  # the article's treaty is not in the lighthouse's history
    expect(answer.locator(".rh-text").first).to_contain_text(expected.text if expected.abstained
                                                             else expected.sentences[0].display(expected.language))
    turn = ask(frame, FIXTURE_QUESTION)
    assert_cited_answer(turn, course_assistant.ask(FIXTURE_QUESTION, source=FIXTURE_NAME))
    page.screenshot(path=str(screenshot_dir / "course_widget_limited_to_one_text.png"))
