"""Source repair: PDF lines into paragraphs and sections, Turkish sentence splitting, offsets."""

from __future__ import annotations

import pytest

from conftest import squash
from rag_history.source import MAX_SENTENCE_CHARS, OPEN_LIMIT, parse_document, split_sentences

# Two abstracts, headings, wrapped lines (" \n\n") and a page break in mid-sentence ("\n "),
# laid out as the PDF extraction of the article lays them out.
PDF_TEXT = (
    " Türkler ve Ruslar yüzyıllar boyunca Boğazlar üzerinde mücadele vermiştir. Bu mücadele \n\n"
    "bazen durgun bazen gergin olmuştur. \n"
    " Turks and Russians have struggled for supremacy over the Black \n\n"
    "Sea for centuries. This struggle was sometimes static. \n"
    " 1. Giriş \n\n"
    "Türk-Rus ilişkileri tarih boyunca inişli çıkışlı bir seyir izlemiştir. Vlademir Lenin ve \n\n"
    "Josef Stalin'in, 20 Kasım\n"
    " 1917'de, yayınladıkları broşür İtilaf Devletlerinin emellerini ortaya çıkarmıştır \n\n"
    "(Mustafayev,2017:445). \n\n"
    "2. Millî Mücadele Dönemi Öncesi Türk-Rus İlişkileri \n\n"
    "Birinci Cihan Harbi Rus ekonomisini büyük oranda tahrip etmişti. Çar ve hükûmet yetkilileri \n\n"
    "halkın durumunu kulak ardı ediyordu. Mustafa Kemal Paşa Samsun'a çıkmadan önce bazı hazırlıklar yapmıştı. \n\n"
    "19 Mayıs 1919'da Samsun'a ayak basan Mustafa Kemal Paşa, oradan Havza'ya geçti ve \n\n"
    "20. yüzyılın en önemli hareketlerinden birini başlattı. \n"
)


def texts(text: str) -> list[str]:
    return [text[a:b] for a, b in split_sentences(text)]


@pytest.fixture(scope="module")
def doc():
    return parse_document(PDF_TEXT, "ornek.txt")


def test_wrapped_lines_are_joined_into_one_paragraph(doc):
    assert "Bu mücadele bazen durgun bazen gergin olmuştur." in [s.text for s in doc.sentences]
    assert doc.paragraphs[0].text == ("Türkler ve Ruslar yüzyıllar boyunca Boğazlar üzerinde mücadele vermiştir. "
                                      "Bu mücadele bazen durgun bazen gergin olmuştur.")


def test_page_break_in_mid_sentence_is_joined(doc):
    sentence = next(s.text for s in doc.sentences if "Stalin" in s.text)
    assert sentence == ("Vlademir Lenin ve Josef Stalin'in, 20 Kasım 1917'de, yayınladıkları broşür İtilaf "
                        "Devletlerinin emellerini ortaya çıkarmıştır (Mustafayev,2017:445).")


def test_numbered_headings_start_sections(doc):
    bodies = [s for s in doc.sections if s.kind == "body"]
    assert [s.title for s in bodies] == ["1. Giriş", "2. Millî Mücadele Dönemi Öncesi Türk-Rus İlişkileri"]
    first = next(s for s in doc.sentences if s.text.startswith("Birinci Cihan Harbi"))
    assert doc.section_of(first).title.startswith("2. Millî Mücadele")


def test_dates_and_ordinals_opening_a_wrapped_line_are_not_headings(doc):
    # "19 Mayıs 1919'da ..." and "20. yüzyılın ..." open lines after a finished sentence.
    assert all(not s.title.startswith(("19 ", "20.")) for s in doc.sections)
    assert ("19 Mayıs 1919'da Samsun'a ayak basan Mustafa Kemal Paşa, oradan Havza'ya geçti ve 20. yüzyılın "
            "en önemli hareketlerinden birini başlattı.") in [s.text for s in doc.sentences]


def test_opening_abstracts_are_sections_tagged_with_their_language(doc):
    abstracts = [s for s in doc.sections if s.kind == "abstract"]
    assert [s.language for s in abstracts] == ["tr", "en"]
    english = next(s for s in doc.sentences if s.text.startswith("Turks and Russians"))
    assert doc.section_of(english).kind == "abstract" and doc.section_of(english).language == "en"


def test_synthetic_offsets_point_into_the_original(doc):
    for s in doc.sentences:
        assert squash(PDF_TEXT[s.start:s.end]) == s.text


def test_real_article_sections(article_doc):
    sections = article_doc.sections
    assert [(s.kind, s.language) for s in sections[:2]] == [("abstract", "tr"), ("abstract", "en")]
    assert [s.title for s in sections[2:]] == [
        "1. Giriş",
        "2. Millî Mücadele Dönemi Öncesi Türk-Rus İlişkileri",
        "3. Meclisin Açılışı ile Birlikte Gelişen Türk-Sovyet İlişkileri",
        "4. Sonuç",
    ]


def test_every_article_sentence_maps_back_into_the_file(article_doc, article_text):
    assert len(article_doc.sentences) > 80
    for s in article_doc.sentences:
        assert squash(article_text[s.start:s.end]) == s.text


def test_article_page_break_sentence_is_whole(article_doc):
    sentence = next(s.text for s in article_doc.sentences if "Josef Stalin" in s.text)
    assert "20 Kasım 1917’de" in sentence and sentence.endswith("(Mustafayev,2017:445).")


def test_article_stray_period_keeps_the_date_with_the_treaty(article_doc):
    sentence = next(s.text for s in article_doc.sentences if "13 Ekim 1921'de imzaladığı" in s.text)
    assert "Kars Anlaşmaları ile" in sentence


def test_article_citation_after_the_period_stays_with_its_sentence(article_doc):
    texts_ = [s.text for s in article_doc.sentences]
    assert any(t.endswith("aramıyordu. (Sadıkov,2010:102)") for t in texts_)
    assert any(t.startswith("Çarlık Rusyası’nda yaşanan gelişmeler") for t in texts_)


def test_article_quotation_is_not_split(article_doc):
    # Nutuk is quoted in ‘’…’’ with apostrophes inside ("Moskova’ya").
    sentence = next(s.text for s in article_doc.sentences if "‘’Efendiler" in s.text)
    assert sentence.endswith("Moskova’ya bir heyet izamı olmuştur.’’")


@pytest.mark.parametrize("text, expected", [
    ("Bu olay 20. yüzyıl başında oldu. Sonra bitti.", ["Bu olay 20. yüzyıl başında oldu.", "Sonra bitti."]),
    ("Bu konu Yalçın v.d. Tarafından işlendi. Sonra bitti.",
     ["Bu konu Yalçın v.d. Tarafından işlendi.", "Sonra bitti."]),
    ("Silah, cephane vb. Yardımlar istendi. Sonra bitti.",
     ["Silah, cephane vb. Yardımlar istendi.", "Sonra bitti."]),
    ("Heyet (bkz. Ek 1. Belge) gitti. Sonra döndü.", ["Heyet (bkz. Ek 1. Belge) gitti.", "Sonra döndü."]),
    ("Şöyle dedi: “Heyet gitti. Karar bu.” Sonra döndü.", ["Şöyle dedi: “Heyet gitti. Karar bu.”", "Sonra döndü."]),
    ('O dedi ki: "Bitti. Artık yeter." Sonra gitti.', ['O dedi ki: "Bitti. Artık yeter."', "Sonra gitti."]),
    ("Şöyle dedi: ‘Moskova’ya heyet gitti. Karar bu.’ Sonra döndü.",
     ["Şöyle dedi: ‘Moskova’ya heyet gitti. Karar bu.’", "Sonra döndü."]),
    ("Şöyle dedi: ‘’Karar verildi. Moskova’ya heyet gitti.’’ Sonra döndü.",
     ["Şöyle dedi: ‘’Karar verildi. Moskova’ya heyet gitti.’’", "Sonra döndü."]),
    ("Çare aramıyordu. (Sadıkov,2010:102) Çarlık Rusyası değişti.",
     ["Çare aramıyordu. (Sadıkov,2010:102)", "Çarlık Rusyası değişti."]),
    ("Ermenistan ile 13 Ekim 1921'de imzaladığı. Kars Anlaşmaları ile savaş bitti.",
     ["Ermenistan ile 13 Ekim 1921'de imzaladığı. Kars Anlaşmaları ile savaş bitti."]),
    ("Bunu istedi! Neden? Çünkü gerekliydi.", ["Bunu istedi!", "Neden?", "Çünkü gerekliydi."]),
    ("İlk cümle bitti. 3 Mart 1918’de barış oldu.", ["İlk cümle bitti.", "3 Mart 1918’de barış oldu."]),
])
def test_sentence_splitting(text, expected):
    assert texts(text) == expected


# --- sentences in English, long and unclosed ---------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    # Punkt's English model knows these abbreviations; the hand list did not.
    ("The U.S. Navy planned for 1955. Nimitz agreed.", ["The U.S. Navy planned for 1955.", "Nimitz agreed."]),
    ("Gen. Marshall and Adm. Nimitz met. They disagreed.", ["Gen. Marshall and Adm. Nimitz met.", "They disagreed."]),
    ("The authors wanted “. . . the employment of quick offensive power.” Sherman agreed.",
     ["The authors wanted “. . . the employment of quick offensive power.”", "Sherman agreed."]),
    ("The era had ended. (Webb, 2024) Even Musaylama erected a safe area.",
     ["The era had ended. (Webb, 2024)", "Even Musaylama erected a safe area."]),
    # tests/data/readings/oliva-city-of-tomorrow.txt: "(video essay, 10.06)." was a sentence of its
    # own, and the answer to a question about the essay's editing software.
    ("Split Screenshot comparing the Futurama and Democracity. (video essay, 10.06). The Fair closed.",
     ["Split Screenshot comparing the Futurama and Democracity. (video essay, 10.06).", "The Fair closed."]),
    ("(1) The first point. Then more.", ["(1) The first point.", "Then more."]),
])
def test_english_sentence_splitting(text, expected):
    assert [text[a:b] for a, b in split_sentences(text, "en")] == expected


def test_a_text_without_sentence_ends_is_cut_at_the_limit():
    text = "kelime " * 100_000
    spans = split_sentences(text)
    assert max(b - a for a, b in spans) <= MAX_SENTENCE_CHARS and len(spans) > 300
    assert all(text[a] != " " and text[b - 1] != " " for a, b in spans)  # cut between words
    assert "".join(text[a:b] for a, b in spans).replace(" ", "") == text.replace(" ", "")  # nothing lost


def test_an_unclosed_bracket_is_forgotten():
    # PDF text loses closing marks: one lost ")" must not glue the rest of the paragraph together.
    text = "Heyet (Ankara’dan gitti. " + "Görüşmeler sürdü. " * 300 + "Sonra döndü."
    spans = split_sentences(text)
    assert spans[0][1] <= OPEN_LIMIT + 20 and len(spans) > 200


def test_the_sidecar_language_wins_and_lingua_decides_without_it():
    english = "The delegation left Ankara in May. It reached Moscow in July after a long journey.\n"
    assert parse_document(english, "a.txt").language == "en"
    assert parse_document(english, "a.txt", {"language": "tr"}).language == "tr"
    assert parse_document(PDF_TEXT, "b.txt").language == "tr"


def test_the_title_repeated_as_a_paragraph_is_no_sentence():
    # tests/data/readings/oliva-city-of-tomorrow.txt repeats its title cell under the abstract; it
    # was given as the answer to "which site was chosen for the Fair?" (round 8).
    title = "The City of Tomorrow: Urban Visions at the New York World's Fair of 1939"
    raw = (f"{title}\n\nAbstract\n\nThe project explores the Fair.\n\n{title}\n\nIntroduction\n\n"
           "The Fair opened on April 30, 1939.\n")
    doc = parse_document(raw, "x.txt", {"language": "en", "title": title})
    assert title not in [s.text for s in doc.sentences]
    assert "The Fair opened on April 30, 1939." in [s.text for s in doc.sentences]
