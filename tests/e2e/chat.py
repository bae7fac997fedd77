"""What the browser tests share: asking in the chat, and checking an answer against the core's."""

from __future__ import annotations

from playwright.sync_api import Locator, expect

from .conftest import WAIT_MS

TURKISH = "Moskova Antlaşması ne zaman imzalandı?"
ENGLISH = "What did Mustafa Kemal ask Lenin for in his letter?"
REFUSED = "Who won the 1998 FIFA World Cup final?"


def ask(scope, question: str) -> Locator:
    """Type a question, send it, and return its turn (question and answer bubbles) once answered."""
    turns = scope.locator("#rh-chat .rh-turn:not(.rh-pending)")
    before = turns.count()
    box = scope.locator("#rh-question textarea")
    box.fill(question)
    box.press("Enter")
    expect(turns).to_have_count(before + 1, timeout=WAIT_MS)
    return turns.nth(before)


def assert_cited_answer(turn: Locator, expected) -> None:
    """The turn shows the core's answer sentences, each reference marked up, and its passages."""
    assert not expected.abstained, f"the core abstained on {expected.question!r}"
    answer = turn.locator(".rh-answer")
    expect(answer).to_have_attribute("lang", expected.language)
    shown = answer.inner_text()
    for sentence in expected.sentences:
        assert " ".join(sentence.display(expected.language).split()) in " ".join(shown.split())
    cites = [c.citation.raw for c in expected.sentences if c.citation]
    assert cites, "the answer carries at least one reference"
    expect(answer.locator("cite").first).to_have_text(cites[0])
    answer.locator(".rh-sources summary").click()
    expect(answer.locator(".rh-passage").first).to_be_visible()
    expect(answer.locator(".rh-passage")).to_have_count(len(expected.passages))
    marked = answer.locator(".rh-passage blockquote mark").first
    expect(marked).to_be_visible()
    assert marked.inner_text().strip() in " ".join(s.text for s in expected.sentences)


def aria_labels(page) -> list[str]:
    """Every aria-label in the page and its frames."""
    labels = []
    for frame in page.frames:
        labels += frame.evaluate("[...document.querySelectorAll('[aria-label]')]"
                                 ".map(e => e.getAttribute('aria-label'))")
    return labels
