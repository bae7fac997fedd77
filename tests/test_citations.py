"""In-text references: every form the article uses parses; sentences get the reference that supports them."""

from __future__ import annotations

import pytest

from rag_history.citations import attribute, find_citations, parse_citation
from rag_history.source import parse_document


@pytest.mark.parametrize("raw, authors, year, pages", [
    ("(Sadıkov,2010:102)", ("Sadıkov",), "2010", "102"),
    ("(Kocabaşoğlu; Berge,1992:35)", ("Kocabaşoğlu", "Berge"), "1992", "35"),
    ("(Yılmaz;Yakşi,2016:18)", ("Yılmaz", "Yakşi"), "2016", "18"),
    ("(Yalçın v.d,2000:166)", ("Yalçın",), "2000", "166"),
    ("(Köstüklü,2016:26-27)", ("Köstüklü",), "2016", "26-27"),
    ("(Kılıç,2016,125)", ("Kılıç",), "2016", "125"),
    ("(Atatürk,1969:460)", ("Atatürk",), "1969", "460"),
])
def test_every_form_in_the_article_parses(raw, authors, year, pages):
    c = parse_citation(raw)
    assert c is not None
    assert (c.authors, c.year, c.pages, c.raw) == (authors, year, pages, raw)
    assert c.to_dict()["author"] == authors[0]


def test_et_al_is_marked_not_taken_for_a_name():
    c = parse_citation("(Yalçın v.d,2000:166)")
    assert c.et_al and c.authors == ("Yalçın",)


@pytest.mark.parametrize("raw", ["(Kut)", "(Gürcistan, Azerbaycan, Ermenistan)", "(1920-1921)",
                                 "(bkz. yukarıda, 1920)"])
def test_parentheses_that_are_not_references(raw):
    assert parse_citation(raw) is None
    assert find_citations(f"Halil {raw} Paşa Moskova'ya gitti.") == []


def test_citation_in_mid_sentence_is_found_where_it_stands():
    text = ("11 Mayıs 1920'de hareket eden heyet (Atatürk,1969:460) Sovyetlerle bir antlaşma "
            "imzalanması imkânını araştırmaktaydı (Ertan,2000:27).")
    found = find_citations(text)
    assert [c.raw for _, _, c in found] == ["(Atatürk,1969:460)", "(Ertan,2000:27)"]
    start, end, _ = found[0]
    assert text[start:end] == "(Atatürk,1969:460)"


def _attributions(raw: str) -> dict[str, tuple[str | None, str]]:
    doc = parse_document(raw, "t.txt")
    return {s.text: (a.citation.raw if a.citation else None, a.how) for s, a in zip(doc.sentences, attribute(doc))}


def test_attribution_own_then_following_then_author():
    # PDF layout: full-width lines joined by " \n\n"; a short line ending a sentence ends a paragraph.
    got = _attributions(
        " 1. Giriş \n\n"
        "Devrimle birlikte Çarlık rejimine son verildi. Demokratik bir rejim \n\n"
        "kuruldu (Bilge,1992:10). Bolşevikler barış istiyorlardı ve bunu her \n\n"
        "yerde söylüyorlardı (Yüceer,1997:40-41). Antlaşmanın büyük önemi \n\n"
        "vardı. \n\n"
        "Bu yeni bir paragraftır ve kaynağı sonraki paragraftaki atıf değildir \n\n"
        "elbette. \n\n"
        "Sonraki paragraf kaynak gösterir (Avcı,2008:71). \n"
    )
    assert got["Devrimle birlikte Çarlık rejimine son verildi."] == ("(Bilge,1992:10)", "following")
    assert got["Demokratik bir rejim kuruldu (Bilge,1992:10)."] == ("(Bilge,1992:10)", "own")
    assert got["Bolşevikler barış istiyorlardı ve bunu her yerde söylüyorlardı (Yüceer,1997:40-41)."] == (
        "(Yüceer,1997:40-41)", "own")
    # After the paragraph's last reference: the article author's own statement, never a borrowed one,
    # not even from the next paragraph.
    assert got["Antlaşmanın büyük önemi vardı."] == (None, "author")
    assert got["Bu yeni bir paragraftır ve kaynağı sonraki paragraftaki atıf değildir elbette."] == (
        None, "author")
    assert got["Sonraki paragraf kaynak gösterir (Avcı,2008:71)."] == ("(Avcı,2008:71)", "own")


def test_sentence_with_two_references_is_supported_by_its_last():
    got = _attributions(" 1. Giriş \n\nHeyet (Atatürk,1969:460) antlaşma imkânını araştırmaktaydı (Ertan,2000:27). \n")
    assert got["Heyet (Atatürk,1969:460) antlaşma imkânını araştırmaktaydı (Ertan,2000:27)."] == (
        "(Ertan,2000:27)", "own")


@pytest.fixture(scope="module")
def article_attribution(article_doc):
    return {s.text: a for s, a in zip(article_doc.sentences, attribute(article_doc))}


@pytest.mark.parametrize("sentence, key, how", [
    ("Devrimle birlikte Çarlık rejimine son verildi.", "Bilge, 1992", "following"),
    ("Nihayet 16 Mart 1921'de görüşmelerin tamamlanmasıyla Moskova Dostluk Antlaşması imzalanmıştır "
     "(Sofuoğlu,2005:204).", "Sofuoğlu, 2005", "own"),
    ("Çar ve hükûmet yetkilileri halkın içerisinde bulunduğu durumu kulak ardı ediyor ve artan huzursuzluğa "
     "çare dahi aramıyordu. (Sadıkov,2010:102)", "Sadıkov, 2010", "own"),
    ("Moskova Antlaşması, Batı’ya karşı mücadelede Türkiye’yi maddi, manevi ve siyasi yönden güçlü kılmıştır.",
     None, "author"),
])
def test_article_attribution(article_attribution, sentence, key, how):
    a = article_attribution[sentence]
    assert (a.citation.key if a.citation else None, a.how) == (key, how)


def test_every_reference_in_the_article_parses(article_text):
    # Every "(Name…,YYYY…)" in the file is a reference and must parse, whatever its form.
    import re

    candidates = re.findall(r"\([A-ZÇĞİÖŞÜ][^()]*?,\s*\d{4}[^()]*\)", article_text)
    assert len(candidates) > 40
    assert [c for c in candidates if parse_citation(c) is None] == []
