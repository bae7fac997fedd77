"""The short answer inside an answer sentence: the date, number, person or place asked for."""

from __future__ import annotations

from rag_history.reading import QuestionReader
from rag_history.short_answer import english_date, short_answer


def short(question: str, sentence: str):
    return short_answer(QuestionReader().read(question), [sentence], [100])


def test_a_date_with_its_offsets_in_the_sentence_and_the_file():
    s = short("Kars Antlaşması ne zaman imzalandı?", "Kars Antlaşması 13 Ekim 1921'de imzalandı (Cankut,2018:80).")
    assert s.text == "13 Ekim 1921" and s.display == "13 Ekim 1921"
    assert (s.start, s.end, s.file_start) == (16, 28, 116)


def test_an_english_question_gets_the_date_the_english_way():
    s = short("When was the Treaty of Kars signed?", "Kars Antlaşması 13 Ekim 1921'de imzalandı.")
    assert s.text == "13 Ekim 1921" and s.display == "13 October 1921"
    assert english_date("16 Mart 1921") == "16 March 1921"


def test_a_date_the_question_gives_and_a_references_year_are_not_answers():
    s = short("Lenin 26 Nisan 1920 tarihli mektuba hangi tarihte cevap verdi?",
              "Lenin 26 Nisan 1920 tarihli mektuba 2 Haziran 1920'de cevap verdi (Sofuoğlu,2005:204).")
    assert s.text == "2 Haziran 1920"
    assert short("Mektup ne zaman yazıldı?", "Mektup o yıl yazıldı (Sofuoğlu,2005:204).") is None


def test_a_number_person_and_place():
    assert short("Kaç tüfek gönderildi?", "Sovyetler 39.000 tüfek gönderdi.").text.startswith("39.000")
    assert short("Heyete kim başkanlık etti?", "Heyete Bekir Sami Bey başkanlık etti.").text == "Bekir Sami Bey"


def test_why_questions_have_no_short_answer():
    assert short("Sovyetler neden yardım etti?", "Sovyetler müttefik istiyordu.") is None


def test_of_two_dates_the_one_nearest_the_name_asked_about():
    sentence = ("Ankara Hükümeti, Sovyetler ile 16 Mart 1921'de Moskova ve ardından Kafkas Cumhuriyetleri ile "
                "13 Ekim 1921'de imzaladığı Kars Antlaşması ile çatışmalara son vermiştir.")
    assert short("Kars Antlaşması ne zaman imzalandı?", sentence).text == "13 Ekim 1921"
    assert short("Moskova Antlaşması ne zaman imzalandı?", sentence).text == "16 Mart 1921"
    assert short("Antlaşmalar ne zaman imzalandı?", sentence).text == "16 Mart 1921"  # no name: the first


def test_a_month_is_no_persons_name():
    q = QuestionReader().read("Who signed the Treaty of Moscow on behalf of Soviet Russia?")
    s = short_answer(q, ["Nihayet 16 Mart 1921'de Moskova Dostluk Antlaşması imzalanmıştır."], [0])
    assert s is None or "Mart" not in s.text


def test_number_words_are_the_sentences_language():
    q = QuestionReader().read("How many pages long was the report?")
    sentence = ["The committee published its final report on how to reach the union in April."]
    assert short_answer(q, sentence, [0], languages=["en"]) is None
    assert short_answer(QuestionReader().read("Kaç tümen gönderildi?"), ["Oraya on tümen gönderildi."], [0],
                        languages=["tr"]).text == "on tümen"
