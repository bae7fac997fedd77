"""Follow-up questions completed from the conversation, and complete questions left alone."""

from __future__ import annotations

import pytest

from rag_history.reading import QuestionReader


@pytest.fixture(scope="module")
def reader():
    return QuestionReader()


@pytest.mark.parametrize("history, question, about, words", [
    (["Moskova Antlaşması ne zaman imzalandı?"], "Peki Kars?", "Kars Antlaşması", {"Kars", "Antlaşması"}),
    (["When was the Treaty of Moscow signed?"], "What about Kars?", "Treaty of Kars", {"Kars", "Treaty"}),
    (["Mustafa Kemal Samsun'a ne zaman çıktı?"], "Ya Havza'ya?", "Mustafa Kemal Havza", {"Havza"}),
    (["What did the Treaty of Moscow mean for Turkey?"], "And for the Soviets?", "Treaty of Moscow, Soviets",
     {"Soviets", "Moscow"}),
    (["Tell me about the Treaty of Moscow"], "Who signed it?", "Treaty of Moscow", {"Moscow"}),
    (["Gümrü Antlaşması hangi devletle imzalandı?"], "Ne zaman?", "Gümrü Antlaşması", {"Gümrü"}),
    (["Moskova Antlaşması ne zaman imzalandı?", "Peki Kars?"], "Kimler arasında imzalandı?", "Kars Antlaşması",
     {"Kars"}),
])
def test_a_follow_up_is_completed_from_the_question_before(reader, history, question, about, words):
    q = reader.read(question, history=history)
    assert q.about == about
    assert words <= set(q.words)
    assert q.typed == question


def test_what_a_follow_up_asks_for_is_its_own_or_else_the_earlier_ones(reader):
    assert reader.read("And when?", history=["Tell me about the Treaty of Moscow"]).asks_for == {"date"}
    assert "date" in reader.read("Peki Kars?", history=["Moskova Antlaşması ne zaman imzalandı?"]).asks_for


@pytest.mark.parametrize("history, question", [
    (["When was the Treaty of Moscow signed?"], "Who led the delegation sent to Moscow in 1920?"),
    (["Halil Paşa Moskova'ya ne zaman vardı?"], "Tarih boyunca Türk-Rus ilişkilerinde temel belirleyici unsur ne olmuştur?"),
    ([], "Who signed it?"),  # nothing to continue
])
def test_a_complete_question_is_answered_as_it_stands(reader, history, question):
    q = reader.read(question, history=history)
    assert q.about == "" and q.text == question


def test_a_preamble_is_read_as_the_conversation_before_the_question(reader):
    q = reader.read("Mustafa Kemal Lenin'e bir mektup yazdı. Mektupta ne istedi?")
    assert q.about and "Lenin" in q.words


def test_a_pronoun_after_the_questions_own_name_does_not_point_back(reader):
    history = ["Tell me about the Treaty of Moscow", "When was it signed?"]
    assert reader.read("What did Mustafa Kemal ask Lenin for in his letter?", history=history).about == ""
    assert reader.read("What did he ask Lenin for?", history=["Who wrote to Lenin in April 1920?"]).about != ""
