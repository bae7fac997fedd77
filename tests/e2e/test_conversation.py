"""Conversations in the browser (issue 12, items 1 and 2): follow-ups answered in their context and
saying what they were understood to be about, a new question answered as itself, the conversation
kept across a reload until Clear, a request that does not grow with the conversation, a long
question answered from its asking sentence, plain-text copy, readable aria-labels, and one
language per bubble."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import expect

from rag_history.question import MAX_QUESTION_CHARS
from rag_history.question import MAX_HISTORY_QUESTIONS as MAX_HISTORY
from rag_history.web.labels import LABELS
from rag_history.web.render import Course, answer_text

from .chat import ENGLISH, REFUSED, TURKISH, aria_labels, ask, assert_cited_answer

pytestmark = pytest.mark.e2e

# The words of an answer bubble, by where they stand in it.
BUBBLE_LABELS = {".rh-badge": "no_answer", ".rh-hint": "rephrase", ".rh-copy": "copy"}
PREAMBLE = ("I am a first-year student and this week we read the article on Turkish-Soviet relations for "
            "our history seminar. My group has to prepare a short presentation about the treaties that the "
            "Ankara government signed with Soviet Russia, and I am responsible for the timeline part. I have "
            "read the introduction and the part about the letter to Lenin, but I got confused about the order "
            "of events after the Grand National Assembly opened. The exam is next Monday, and I want all my "
            "class notes to be right. ")
ASKING = "When was the Treaty of Moscow signed?"


def _about(turn) -> str:
    return turn.locator(".rh-about").inner_text() if turn.locator(".rh-about").count() else ""


# A follow-up after the question it leans on, what its answer must say, and its short answer.
FOLLOW_UPS = [("Tell me about the Treaty of Moscow", "When was it signed?", "16 Mart 1921", "16 March 1921"),
              ("Mustafa Kemal Lenin'e ne zaman mektup gönderdi?", "Mektupta ne istedi?", "silah", None),
              ("Moskova Antlaşması ne zaman imzalandı?", "Peki Kars?", "13 Ekim 1921", "13 Ekim 1921")]


@pytest.mark.parametrize("first, follow_up, answer_has, short", FOLLOW_UPS)
def test_follow_up_pair_is_answered_in_its_conversation(open_page, chat_url, assistant, first, follow_up,
                                                        answer_has, short):
    page = open_page(chat_url + "/")
    ask(page, first)
    expected = assistant.ask(follow_up, history=[first])
    assert expected.about, f"the core did not read {follow_up!r} as a follow-up"
    turn = ask(page, follow_up)
    assert_cited_answer(turn, expected)
    about = "about" if expected.language == "en" else "konu"
    expect(turn.locator(".rh-about")).to_have_text(f"({about}: {expected.about})")
    assert answer_has in turn.locator(".rh-answer .rh-text").inner_text()


def test_follow_ups_get_the_right_short_answer(assistant):
    wrong = [(follow_up, got, short) for first, follow_up, _, short in FOLLOW_UPS
             if (got := getattr(assistant.ask(follow_up, history=[first]).short, "display", None)) != short]
    assert not wrong


def test_a_new_complete_question_is_answered_as_itself(open_page, chat_url, assistant):
    page = open_page(chat_url + "/")
    ask(page, "Tell me about the Treaty of Moscow")
    ask(page, "When was it signed?")
    turn = ask(page, ENGLISH)
    assert_cited_answer(turn, assistant.ask(ENGLISH))  # the same answer as in a fresh chat
    assert _about(turn) == ""


def test_reload_keeps_the_conversation_until_clear(open_page, chat_url, assistant):
    page = open_page(chat_url + "/")
    ask(page, "Tell me about the Treaty of Moscow")
    ask(page, REFUSED)
    shown = page.locator("#rh-chat .rh-log").inner_text()
    page.reload()
    expect(page.locator("#rh-chat .rh-turn")).to_have_count(2)
    assert page.locator("#rh-chat .rh-log").inner_text() == shown
    # The restored conversation is the one the next question leans on.
    turn = ask(page, "When was it signed?")
    expected = assistant.ask("When was it signed?", history=["Tell me about the Treaty of Moscow", REFUSED])
    expect(turn.locator(".rh-about")).to_have_text(f"(about: {expected.about})")
    page.locator("#rh-clear").click()
    expect(page.locator("#rh-chat .rh-turn")).to_have_count(0)
    expect(page.locator("#rh-chat .rh-empty")).to_be_visible()
    page.reload()
    expect(page.locator("#rh-question textarea")).to_be_visible()
    expect(page.locator("#rh-chat .rh-empty")).to_be_visible()
    assert page.locator("#rh-chat .rh-turn").count() == 0
    # Nothing of the cleared conversation is sent with the next question.
    assert assistant.ask("When was it signed?").about == ""
    assert _about(ask(page, "When was it signed?")) == ""


def test_each_question_sends_only_the_last_earlier_questions(open_page, chat_url):
    page = open_page(chat_url + "/")
    bodies: list[bytes] = []
    page.on("request", lambda r: bodies.append(r.post_data_buffer) if "queue/join" in r.url else None)
    long = ("Why " + "really " * 120 + "did Soviet Russia help Ankara?")  # over the question limit
    questions = [long] + [f"Who was commissar number {n}?" for n in range(1, MAX_HISTORY + 2)]
    for question in questions:
        ask(page, question)
    sent = [json.loads(b) for b in bodies if b]
    asked = [d for d in sent if isinstance(d.get("data"), list) and d["data"][:1] in ([q] for q in questions)]
    assert len(asked) == len(questions)
    history = asked[-1]["data"][1]
    assert len(history) == MAX_HISTORY
    assert history == questions[-MAX_HISTORY - 1:-1]  # the latest ones, oldest first
    assert all(len(h) <= MAX_QUESTION_CHARS for h in asked[1]["data"][1])  # the long one, as it was read
    sizes = [len(b) for b in bodies if b]
    assert max(sizes) < 6000, sizes  # bytes: bounded, however long the conversation


def test_a_long_preamble_question_is_answered(open_page, chat_url, assistant, screenshot_dir):
    question = PREAMBLE + ASKING
    assert len(question) == 536  # the question: over the limit, the question itself last
    expected = assistant.ask(question)
    assert not expected.abstained
    page = open_page(chat_url + "/")
    turn = ask(page, question)
    assert_cited_answer(turn, expected)
    expect(turn.locator(".rh-cut")).to_have_text(expected.extra["notice"])
    assert "16 Mart 1921" in turn.locator(".rh-text").inner_text()  # the question kept is the one asked
    page.screenshot(path=str(screenshot_dir / "long_preamble_answered.png"), full_page=True)


def test_copy_gives_plain_text(open_page, chat_url, assistant):
    page = open_page(chat_url + "/", permissions=["clipboard-read", "clipboard-write"])
    turn = ask(page, TURKISH)
    turn.locator(".rh-copy").click()
    expect(turn.locator(".rh-copy")).to_have_text("Kopyalandı")
    copied = page.evaluate("navigator.clipboard.readText()")
    expected = assistant.ask(TURKISH)
    assert copied == answer_text(expected, Course.of(assistant.texts))
    assert "<" not in copied and expected.sentences[0].display("tr") in copied
    assert copied.splitlines()[-1] == f"Metin: {assistant.texts[0].label}"


def test_aria_labels_are_readable_text(open_page, chat_url):
    page = open_page(chat_url + "/")
    for question in (TURKISH, ENGLISH, REFUSED, "  "):
        ask(page, question)
    labels = aria_labels(page)
    assert labels and "Conversation" in labels
    assert not [label for label in labels if "<" in label or ">" in label]


@pytest.mark.parametrize("interface, question, language", [
    ("en-US", TURKISH, "tr"),
    ("en-US", "1998 Dünya Kupası finalini kim kazandı?", "tr"),
    ("tr-TR", ENGLISH, "en"),
    ("tr-TR", REFUSED, "en"),
])
def test_one_language_per_bubble(open_page, chat_url, interface, question, language):
    page = open_page(chat_url + "/", locale=interface)
    answer = ask(page, question).locator(".rh-answer")
    expect(answer).to_have_attribute("lang", language)
    other = "en" if language == "tr" else "tr"
    words = {selector: answer.locator(selector).all_inner_texts() for selector in BUBBLE_LABELS}
    words[".rh-sources summary"] = answer.locator(".rh-sources summary").all_inner_texts()
    words[".rh-meta"] = answer.locator(".rh-passage .rh-meta").all_text_contents()
    for selector, key in BUBBLE_LABELS.items():
        for text in words[selector]:
            assert text == LABELS[language][key], (selector, text)
    for text in words[".rh-sources summary"]:
        assert text.startswith((LABELS[language]["sources"], LABELS[language]["closest"])), text
    for text in words[".rh-meta"]:
        assert text.startswith(LABELS[language]["section"]) and LABELS[other]["section"] not in text, text
    assert any(words.values()), "the bubble has labels to check"
