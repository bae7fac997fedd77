"""The lexical side: Turkish lowercasing, apostrophe suffixes, stopwords, Snowball stems, BM25."""

from __future__ import annotations

import pytest

from rag_history.lexical import BM25Index, Tokenizer, split_words, turkish_lower


@pytest.fixture(scope="module")
def tokenize():
    return Tokenizer()


def test_turkish_lowercasing_keeps_dotted_and_dotless_i_apart():
    assert turkish_lower("İSTANBUL IRMAK Işık İzmir") == "istanbul ırmak ışık izmir"


def test_apostrophe_suffixes_are_split_off():
    assert split_words("İstanbul’u Rusya'nın Moskova`ya gitti") == ["İstanbul", "Rusya", "Moskova", "gitti"]


def test_capitalized_words_meet_their_lowercase_forms(tokenize):
    # "İstanbul’u" in a sentence and "istanbul" in a question are one term.
    assert tokenize("İstanbul’u") == tokenize("istanbul") == tokenize("İSTANBUL")
    assert len(tokenize("İstanbul’u")) == 1
    assert tokenize("IRMAK") == tokenize("ırmak")


def test_stopwords_are_dropped(tokenize):
    assert tokenize("ve bu için ile ama de") == []
    assert tokenize("Lenin ve Stalin") == tokenize("Lenin Stalin")


def test_inflected_forms_share_a_stem(tokenize):
    assert tokenize("antlaşmaları") == tokenize("antlaşmasının") == tokenize("antlaşmada")
    assert tokenize("mektubu") == tokenize("mektupta") == tokenize("mektup")


def test_possessive_form_shares_the_stem(tokenize):
    # Plain Snowball Turkish leaves the 's' of the possessive on a bare noun ("antlaşması" ->
    # "antlaşmas"), so "Moskova Antlaşması" in a question would miss "antlaşmanın" in the text.
    assert tokenize("Moskova Antlaşması") == tokenize("Moskova antlaşmaları")
    assert tokenize("Erzurum Kongresi") == tokenize("Erzurum kongresinde")


def test_a_name_keeps_what_snowball_would_cut_but_not_its_plural(tokenize):
    # Suffixes of names follow an apostrophe ("Batum'u"): "Batum" is not "Batı" plus an ending.
    assert tokenize("Batum") != tokenize("Batı")
    assert tokenize("Lenin") == tokenize("Lenin'e") == ["lenin"]
    assert tokenize("Kâzım Karabekir") == tokenize("Kazım Karabekir'in")
    assert tokenize("Ruslar") == tokenize("Rus") and tokenize("Türklerin") == tokenize("Türk")
    assert tokenize("kongresinde") == tokenize("kongre")  # other words are stemmed as before


def test_bm25_ranks_the_passage_with_the_query_words_first(tokenize):
    passages = [
        "Ermenistan ile 3 Aralık 1920'de Gümrü Antlaşması imza edilmiştir.",
        "Nihayet 16 Mart 1921'de görüşmelerin tamamlanmasıyla Moskova Dostluk Antlaşması imzalanmıştır.",
        "Mustafa Kemal Lenin'e bir mektup göndermiştir.",
        "Sovyetler Moskova'da bir heyeti kabul etti.",
    ]
    scores = BM25Index(passages, tokenize).scores(tokenize("Moskova dostluk antlaşmasının imzalanması"))
    assert int(scores.argmax()) == 1
    assert scores[2] == 0


def test_bm25_without_known_words_scores_nothing(tokenize):
    index = BM25Index(["Lenin mektup yazdı.", "Heyet Moskova'ya gitti."], tokenize)
    assert not index.scores(tokenize("Napolyon Waterloo")).any()
