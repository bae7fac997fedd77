"""Turkish as students type it, mapped back to the sources' own words (no model, no files)."""

from __future__ import annotations

import pytest

from rag_history.spelling import SpellingRestorer, fold_key

SOURCE = [
    "Gümrü Antlaşması 3 Aralık 1920'de imzalanmıştır.",
    "Mustafa Kemal 25 Mayıs'ta Havza'ya geçmiştir.",
    "Havza'da direniş örgütlendi.",  # a name that starts a sentence is still a name
    "Heyet Moskova'ya gitti ve heyet orada kaldı.",
    "Bu mücadele uzun sürdü.",
    "Heyet-i Temsiliye Sivas'ta toplandı.",
    "Sonra Moskova Antlaşması yapıldı ve antlaşması yürürlüğe girdi.",
]


@pytest.fixture(scope="module")
def restorer():
    return SpellingRestorer(SOURCE)


@pytest.mark.parametrize("typed, restored", [
    ("gumru antlasmasi ne zaman imzalandi", "Gümrü Antlaşması ne zaman imzalandi"),
    ("GÜMRÜ ANTLAŞMASI NE ZAMAN İMZALANDI", "Gümrü Antlaşması ne zaman imzalandı"),
    ("GUMRU ANTLASMASI HANGI TARIHTE", "Gümrü Antlaşması hangi tarihte"),  # ASCII capitals: I is i
    ("HEYET HANGİ TARİHTE ATANDI", "heyet hangi tarihte atandı"),  # Turkish capitals: I is ı
    ("Mustafa Kemal havzaya ne zaman gecti", "Mustafa Kemal Havza'ya ne zaman gecti"),  # the apostrophe back
    ("heyet moskovaya gitti mi", "heyet Moskova'ya gitti mi"),  # a common word stays common
    ("moskovanin heyeti", "Moskova'nın heyeti"),  # the ending's i by vowel harmony
    ("SIVASTA TOPLANDI MI", "Sivas'ta toplandı mı"),
    ("mucadelesinin sonucu", "mücadelesinin sonucu"),  # after a front vowel i stays i
    ("bu mucadeleye nasil baslandi", "bu mücadeleye nasıl baslandi"),  # a longer form of a known word
    ("Gümrü Antlaşması ne zaman imzalandı?", "Gümrü Antlaşması ne zaman imzalandı?"),  # as written: unchanged
    ("Heyet ne zaman öldü?", "Heyet ne zaman öldü?"),  # typed with its letters: not the sources' "oldu"
])
def test_typed_turkish_is_read_in_the_sources_spelling(restorer, typed, restored):
    assert restorer.restore(typed, "tr") == restored


@pytest.mark.parametrize("typed, restored", [
    # an apostrophe follows a name only: the word before one, and a word the sources lack before it
    ("LOZAN ANTLAŞMASI'NDA NE OLDU", "Lozan Antlaşması'nda ne oldu"),
    ("İZMİR'E KİM GİTTİ", "İzmir'e kim gitti"),
    # a pair the sources write as one name ("Moskova Antlaşması"), however its second word is used alone
    ("MOSKOVA ANTLAŞMASI KAÇ MADDEDİR", "Moskova Antlaşması kaç maddedir"),
    ("moskova antlasmasi ne zaman", "Moskova Antlaşması ne zaman"),
])
def test_a_name_whose_case_was_lost_gets_its_capitals_back(restorer, typed, restored):
    assert restorer.restore(typed, "tr") == restored


def test_an_english_question_keeps_its_letters_and_only_gets_names_capitalized(restorer):
    assert restorer.restore("when did the heyet reach moskova", "en") == "when did the heyet reach Moskova"
    assert restorer.restore("When did the delegation reach Havza?", "en") == "When did the delegation reach Havza?"


def test_the_key_folds_case_and_turkish_letters_only():
    assert fold_key("İMZALANDI") == fold_key("imzalandı") == fold_key("imzalandi") == "imzalandi"
    assert fold_key("Şık") == "sik" and fold_key("sık") == "sik"


def test_the_second_word_of_a_name_gets_its_capital_the_turkish_way():
    restorer = SpellingRestorer(["Sonra Moskova İttifakı kuruldu.", "Moskova İttifakı sürdü.", "Bir ittifakı vardı.",
                                 "Yeni ittifakı bozdu.", "Eski ittifakı sürdü."])
    assert restorer.restore("moskova ittifakı ne zaman", "tr") == "Moskova İttifakı ne zaman"
