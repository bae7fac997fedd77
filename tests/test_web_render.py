"""The chat's HTML and plain text of answers (web/render.py), and its thumbs' signatures (web/app.py),
on small hand-made answers: no index, no server."""

from __future__ import annotations

import re

import pytest

from rag_history.answer import Answer, AnswerSentence
from rag_history.chunking import Chunk
from rag_history.citations import Citation
from rag_history.retrieval import Passage
from rag_history.short_answer import ShortAnswer
from rag_history.source import TextInfo
from rag_history.web.render import Course, Mark, answer_html, answer_text, marked

BAD = "<img src=x onerror=alert(1)>"
LIGHT = TextInfo("feneri.txt", "Serinova Feneri: bir kıyı kasabası", "Doğanay", "1991")
ARTICLE = TextInfo("makale.txt", "Millî Mücadele döneminde Türk-Sovyet ilişkileri")


def sentence(text: str, raw: str | None, source: str = "feneri.txt") -> AnswerSentence:
    citation = Citation(raw, ("Doğanay",), "1991", "45") if raw else None
    return AnswerSentence(text, citation, "own" if raw else "author", source, "2. Yapım", "p1", 0, len(text), 1.0)


def passage(text: str, source: str = "feneri.txt") -> Passage:
    chunk = Chunk("p1", source, "Serinova Feneri: bir kıyı kasabası", "2. Yapım", 1, (0,), (0,), 0, len(text),
                  text, 10)
    return Passage(chunk, 1.0, 0.5, 0.5)


def answer(sentences, passages, language="tr", **kw) -> Answer:
    text = " ".join(s.display(language) for s in sentences)
    return Answer("Fener ne zaman yakıldı?", language, text, False, sentences, passages, **kw)


LIT = "Fener ilk kez 14 Temmuz 1862’de yakıldı (Doğanay,1991:45)."


def test_marks_are_escaped_and_an_overlapping_one_dropped():
    assert marked("a<b>c", [Mark(1, 4, "<i>", "</i>"), Mark(2, 3, "<u>", "</u>")]) == "a<i>&lt;b&gt;</i>c"


def test_the_short_answer_comes_first_and_is_marked_in_its_sentence():
    s = sentence(LIT, "(Doğanay,1991:45)")
    start = LIT.index("14 Temmuz 1862")
    short = ShortAnswer("14 Temmuz 1862", "14 Temmuz 1862", 0, start, start + 14, 0, 0)
    html = answer_html(answer([s], [passage(LIT)], short=short), Course.of([LIGHT]))
    assert html.index('class="rh-short"') < html.index('class="rh-text"')
    assert '<mark class="rh-hit">14 Temmuz 1862</mark>' in html
    assert "<cite>(Doğanay,1991:45)</cite>" in html
    assert 'lang="tr"' in html and "Kopyala" in html and "Copy" not in html


def test_one_text_is_not_named_and_two_texts_are():
    a = answer([sentence(LIT, "(Doğanay,1991:45)")], [passage(LIT)])
    one = answer_html(a, Course.of([LIGHT]))
    assert "rh-work" not in one and "Serinova Feneri: bir" not in one  # no title in the passages either
    two = answer_html(a, Course.of([LIGHT, ARTICLE]))
    assert "\u2014 Doğanay 1991, Serinova Feneri</p>" in two
    assert re.search(r'rh-meta">Serinova Feneri · Bölüm: 2\. Yapım<', two)


def test_everything_shown_is_escaped():
    s = sentence(BAD + LIT, "(Doğanay,1991:45)")
    bad_short = ShortAnswer(BAD, BAD, 0, 0, len(BAD), 0, 0)
    a = answer([s], [passage(BAD + LIT)], about=BAD, short=bad_short)
    a.extra["notice"] = BAD
    html = answer_html(a, Course.of([TextInfo("feneri.txt", BAD), ARTICLE]), votes=True)
    assert "<img" not in html and html.count("&lt;img src=x onerror=alert(1)&gt;") == 7


def test_plain_text_is_each_sentence_with_its_reference_then_its_text():
    own = sentence("Bu, yazarın görüşüdür.", None)
    a = answer([sentence(LIT, "(Doğanay,1991:45)"), own, sentence("Moskova'da imzalandı (Doğanay,1991:45).",
                                                                    "(Doğanay,1991:45)", "makale.txt")], [])
    assert answer_text(a, Course.of([LIGHT, ARTICLE])).splitlines() == [
        LIT, "Bu, yazarın görüşüdür. [yazarın kendi ifadesi]", "Metin: Doğanay 1991, Serinova Feneri",
        "Moskova'da imzalandı (Doğanay,1991:45).", "Metin: Millî Mücadele döneminde Türk-Sovyet ilişkileri"]


def test_a_refusal_copies_its_reason_and_shows_two_passages():
    refusal = Answer("Kim?", "en", "The course text does not mention Kars.", True, [],
                     [passage("one"), passage("two"), passage("three")])
    html = answer_html(refusal, Course.of([LIGHT]))
    assert "Closest passages (2)" in html and html.count('class="rh-passage"') == 2 and "three" not in html
    assert "No answer found" in html and "Try one complete question" in html
    assert answer_text(refusal, Course.of([LIGHT])) == "The course text does not mention Kars."


class FakeLog:
    def __init__(self):
        self.votes = []

    def record(self, record, limited_to=None):
        return 7

    def feedback(self, entry, up):
        self.votes.append((entry, up))


def test_a_vote_counts_only_with_the_token_its_answer_was_given():
    pytest.importorskip("gradio")
    from gradio import EventData

    from rag_history.web.app import Votes

    log = FakeLog()
    votes = Votes(log)
    token = votes.record(answer([sentence(LIT, "(Doğanay,1991:45)")], []), None)
    for forged in ("7", "7.", "8." + token.split(".")[1], "x.y", None, 7):
        votes.feedback(EventData(None, {"vote": forged, "up": True}))
    votes.feedback(EventData(None, "not a dict"))
    assert log.votes == []
    votes.feedback(EventData(None, {"vote": token, "up": False}))
    assert log.votes == [(7, False)]
