"""How the answerer reads a question: what it asks for, its names, the noun it asks about."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from rag_history.answer import Answerer, section_parts
from rag_history.index import SentenceRecord
from rag_history.reading import EXPLAINED, SENTENCE_OFFERS, QuestionReader, asked_parts, offers, question_types
from rag_history.retrieval import Query
from rag_history.termmap import TermMatch


def query(text: str, language: str) -> Query:
    question = QuestionReader().read(text)
    assert question.language == language, (text, question.language)
    terms = tuple(TermMatch(w, (), 0.0, "none") for w in question.words)
    return Query(question, np.zeros(4, dtype=np.float32), (), terms, np.zeros(4, dtype=np.float32))


def focus_terms(q: Query) -> list[str]:
    return list(q.question.focus)


@pytest.mark.parametrize("question, kind", [
    ("Moskova Antlaşması ne zaman imzalandı?", "date"),
    ("What is the date of Mustafa Kemal's letter to Lenin?", "date"),
    ("Sivas Kongresi'ne kaç delege katıldı?", "number"),
    ("How many rifles did the Soviets send?", "number"),
    ("Sovyetler neden yardım etti?", "reason"),
    ("Who headed the delegation?", "person"),
    ("Antlaşma hangi tarihte imzalandı?", "date"),  # inflected question words
    ("Kongre hangi yılda toplandı?", "date"),
    ("Antlaşma hangi şehirde imzalandı?", "place"),
    ("buyuk millet meclisi hangi gun acildi", "date"),  # typed without Turkish letters
    ("HANGİ GÜN AÇILDI", "date"),
    ("How large was the army he led?", "number"),
    ("How far is the well from the mosque?", "number"),
    ("Düğün hangi kilisede yapıldı?", "place"),
    ("Which Swedish church was it held in?", "place"),
    ("Halil Paşa hangi Sovyet yetkilileriyle görüştü?", "person"),
    ("Bu hedef hangi çarın döneminde belirlendi?", "person"),
    ("Uçağı hangi uçak üreticisi yaptı?", "name"),
    ("Which version of the software did they use?", "name"),
])
def test_question_types(question, kind):
    assert kind in question_types(question)


def test_a_word_that_only_starts_like_a_question_word_is_not_one():
    assert question_types("Hangi ayrıntı eksikti?") == set()
    assert question_types("What was the book about?") == set()  # "what" + a noun asks a name only next to it


def test_quantities_are_not_years_days_or_pages():
    number = SENTENCE_OFFERS["number"]
    assert not number.search("16 Mart 1921'de imzalanmıştır")
    assert number.search("iki devlet vardı")
    assert number.search("3000 tüfek gönderildi")
    assert not number.search("Antlaşmanın 2’nci maddesiyle")
    assert not number.search("20. yüzyıla gelindiğinde")
    assert number.search("toplam 2.000 kişi")


def test_names_are_key_terms_but_an_english_opening_word_is_not():
    assert query("Besides Russia, which states signed in 1918?", "en").question.names == ("Russia", "1918")
    assert query("Enver Paşa kimdir?", "tr").question.names == ("Enver", "Paşa")


def test_the_noun_an_english_question_asks_for():
    assert focus_terms(query("Which Soviet foreign affairs commissar negotiated it?", "en")) \
        == ["commissar"]
    assert focus_terms(query("Who was the first Soviet ambassador to Ankara?", "en")) \
        == ["ambassador"]
    assert focus_terms(query("What event made relations official?", "en")) == []  # only the kind of answer


def test_the_noun_a_turkish_question_asks_for():
    assert focus_terms(query("Osmanlı Devleti hangi sancakları geri aldı?", "tr")) == ["sancakları"]
    assert focus_terms(query("Kongreye kaç delege katıldı?", "tr")) == ["delege"]
    # Only the kind of answer, in any inflection.
    for question in ("İlişkiler hangi olayla şekillendi?", "Hangi gün imzalandı?", "Hangi sebeple gitti?"):
        assert focus_terms(query(question, "tr")) == [], question


def test_a_name_in_parentheses_is_an_alias():
    q = query("When was the Treaty of Gyumri (Gümrü) signed?", "en")
    assert [g for g in q.question.aliases if len(g) > 1] == [("Gyumri", "Gümrü")]


@pytest.mark.parametrize("question, explained", [
    ("Şubat Devrimi'nin ardından nasıl bir rejim kuruldu?", True),
    ("How did Turkey use the alliance?", True),
    ("Sovyetler neden yardım etti?", True),
    ("How many rifles did the Soviets send?", False),
    ("Moskova Antlaşması ne zaman imzalandı?", False),
])
def test_why_and_how_questions_ask_for_an_explanation(question, explained):
    assert bool(question_types(question) & EXPLAINED) is explained


def _sentences(paragraphs: list[list[str]]) -> list[SentenceRecord]:
    out, start = [], 0
    for p, texts in enumerate(paragraphs):
        for text in texts:
            out.append(SentenceRecord("a.txt", len(out), text, start, start + len(text), p, "s", "tr"))
            start += len(text) + 1
    return out


def test_a_slot_the_question_fills_itself_is_no_answer():
    question = "Lenin, 26 Nisan 1920 tarihli mektuba hangi tarihte cevap verdi?"
    assert not offers("date", "26 Nisan 1920 tarihli mektupta Sovyetlerden yardım istendi.", question)
    assert offers("date", "Lenin 2 Haziran 1920'de cevap verdi.", question)


@pytest.mark.parametrize("question, parts", [
    ("Özete göre ilişkiler nasıl şekillendi?", {"abstract"}),
    ("According to the article's abstract, which area mattered most?", {"abstract"}),
    ("Sonuç bölümüne göre ne oldu?", {"conclusion"}),
    ("According to the conclusion, who seized power?", {"conclusion"}),
    ("Giriş bölümüne göre menfaat neydi?", {"introduction"}),
    ("Ozete gore iliskiler nasil sekillendi?", {"abstract"}),  # typed without Turkish letters
    ("Sonuc bolumune gore ne oldu?", {"conclusion"}),
    ("giris bolumunde ne deniyor", {"introduction"}),
    ("Ozetle, Moskova Antlasmasi ne zaman imzalandi?", set()),
    ("Özetle, Moskova Antlaşması ne zaman imzalandı?", set()),  # "in short"
    ("In conclusion, what did the treaty give?", set()),
])
def test_the_part_of_the_article_a_question_names(question, parts):
    assert asked_parts(question) == parts


def test_parts_by_heading_else_by_position():
    titled = _sentences([["a"], ["b"], ["c"], ["d"]])
    titled = [replace(r, section=t) for r, t in
              zip(titled, ["Özet", "1. Giriş", "2. Savaş", "3. Sonuç ve Değerlendirme"])]
    assert sorted(section_parts(titled).values()) == ["abstract", "conclusion", "introduction"]
    assert section_parts(titled)["a.txt", "3. Sonuç ve Değerlendirme"] == "conclusion"
    plain = [replace(r, section=t) for r, t in zip(titled, ["Abstract", "A", "B", "C"])]
    parts = section_parts(plain)
    assert parts["a.txt", "A"] == "introduction" and parts["a.txt", "C"] == "conclusion" and ("a.txt", "B") not in parts


def test_a_question_naming_a_part_takes_its_candidates_from_that_part():
    from rag_history.chunking import Chunk
    from rag_history.retrieval import Passage
    from rag_history.scoring import AnswerModel

    sentences = _sentences([["Özetteki cümle."], ["Girişteki cümle."], ["Sonuçtaki cümle."]])
    sentences = [replace(r, section=t) for r, t in zip(sentences, ["Özet", "1. Giriş", "2. Sonuç"])]
    vectors = np.eye(len(sentences), 4, dtype=np.float32)
    answerer = Answerer(sentences, vectors, vectors, AnswerModel.load())
    chunk = Chunk("a#1", "a.txt", "A", "Özet", 0, (0,), (0,), 0, 10, "Özetteki cümle.", 4)
    passages = [Passage(chunk, 1.0, 1.0, 0.0)]
    assert answerer.candidates(query("Sonuç bölümüne göre ne oldu?", "tr"), passages).positions == [2]
    assert answerer.candidates(query("Ne oldu?", "tr"), passages).positions == [0]
