"""The reference list: found under its heading, split into entries of every common style, each
parsed into authors, year and title; in-text references linked to their entries."""

from __future__ import annotations

import pytest

from rag_history.bibliography import find_reference_list, link, link_all, parse_entries


@pytest.mark.parametrize("printed, authors, year, title", [
    # APA
    ("Abdelazim, H., Tharwat, M., & Mohamed, A. (2023). Semantic Embeddings for Arabic Retrieval. IJACSA, 14(11).",
     ("Abdelazim", "Tharwat", "Mohamed"), "2023", "Semantic Embeddings for Arabic Retrieval"),
    ("al-Kulaynī, M. b. Y. b. I. (1986). Al-Kāfī fī ʿIlm al-Dīn (G. ʿAlī Akbar, Ed.; Vol. 4). Dār al-Kutub.",
     ("al-Kulaynī",), "1986", "Al-Kāfī fī ʿIlm al-Dīn"),
    ("Abū al-Qāsim al-Khū’ī. (No date). Mu‘jam Rijāl al-Ḥadīth (Vol. 11). Muassasah.",
     ("Abū al-Qāsim al-Khū’ī",), "No date", "Mu‘jam Rijāl al-Ḥadīth"),
    ("de Marneffe, M.-C., Manning, C. D., Nivre, J., & Zeman, D. (2021). Universal Dependencies. CL, 47(2).",
     ("de Marneffe", "Manning", "Nivre", "Zeman"), "2021", "Universal Dependencies"),
    # Chicago
    ("Arnheim, Rudolf. 1957. Film as Art. 2nd ed. Berkeley: University of California Press.",
     ("Arnheim",), "1957", "Film as Art"),
    ("Aspenskog, Robert, Mathias Johansson, and Pelle Snickars. 2025. “Journal Digital Corpus.” JOHD 11: 44.",
     ("Aspenskog", "Johansson", "Snickars"), "2025", "Journal Digital Corpus"),
    ("Bhargav, Samarth, Nanne van Noord, and Jaap Kamps. 2019. “Deep Learning as a Tool.” In ICMR.",
     ("Bhargav", "van Noord", "Kamps"), "2019", "Deep Learning as a Tool"),
    ("Armaselu, Florentina, and Andreas Fickers, eds. 2024. Zoomland. De Gruyter.",
     ("Armaselu", "Fickers"), "2024", "Zoomland"),
    ("Aftonbladet. 1936a. “Stockholms-Tidningen Enda Tidning i Norden.” Aftonbladet, December, 30.",
     ("Aftonbladet",), "1936a", "Stockholms-Tidningen Enda Tidning i Norden"),
    # Turkish
    ("Sadıkov, A. (2010). Türk-Rus İlişkileri. Ankara: Türk Tarih Kurumu.", ("Sadıkov",), "2010", "Türk-Rus İlişkileri"),
    ("Yüceer, Saime (1997), Birinci Dünya Savaşı'nda Osmanlı, Ankara: Kültür Bakanlığı.",
     ("Yüceer",), "1997", "Birinci Dünya Savaşı'nda Osmanlı"),
    ("Kocabaşoğlu, Uygur ve Berber, Metin (1994). Bolşevik İhtilali ve Osmanlılar. İstanbul: İletişim.",
     ("Kocabaşoğlu", "Berber"), "1994", "Bolşevik İhtilali ve Osmanlılar"),
])
def test_entries_of_every_style_parse(printed, authors, year, title):
    (entry,) = parse_entries(printed + "\n")
    assert (entry.authors, entry.year, entry.title, entry.raw) == (authors, year, title, printed)


def test_a_dash_repeats_the_authors_of_the_entry_before():
    entries = parse_entries("ALB. 1996. “Ledningsgrupp.”\n\n———. 1997. “Minnesanteckningar.”\n\n"
                            "———, 1998. Application.\n")
    assert [(e.n, e.authors, e.year) for e in entries] == [(1, ("ALB",), "1996"), (2, ("ALB",), "1997"),
                                                           (3, ("ALB",), "1998")]


def test_wrapped_entries_are_joined_and_split_where_one_ends():
    text = ("Arnheim, Rudolf. 1957. Film as Art. 2nd ed. Berkeley and Los Angeles: University\n"
            "of California Press.\n"
            "Asp, Jon. 2014. Film För Folket: Om Folkets Hus Och Filmen. Stock-\n"
            "holm: Premiss.\n")
    entries = parse_entries(text)
    assert [e.raw for e in entries] == [
        "Arnheim, Rudolf. 1957. Film as Art. 2nd ed. Berkeley and Los Angeles: University of California Press.",
        "Asp, Jon. 2014. Film För Folket: Om Folkets Hus Och Filmen. Stockholm: Premiss."]


@pytest.mark.parametrize("heading", ["References", "Bibliography", "Works Cited", "Kaynakça", "KAYNAKLAR",
                                     "5. Kaynakça"])
def test_the_reference_list_is_found_under_its_heading(heading):
    raw = f"Body text (Efe, 2018: 3).\n\n{heading}\n\nEfe, A. (2018). Gümrü. Ankara.\n\nNotes\n\n1 A note.\n"
    entries, (start, end) = find_reference_list(raw)
    assert [(e.authors, e.year) for e in entries] == [(("Efe",), "2018")]
    assert raw[start:end].startswith(heading) and "A note" not in raw[start:end]
    assert raw[entries[0].start:].startswith("Efe, A. (2018)")


def test_no_heading_no_list():
    assert find_reference_list("Just text (Efe, 2018: 3).\n") == ([], None)


ENTRIES = tuple(parse_entries(
    "Aftonbladet. 1936a. “One.” Aftonbladet.\n\n———. 1936b. “Two.” Aftonbladet.\n\n"
    "Bhargav, Samarth, Nanne van Noord, and Jaap Kamps. 2019. “Deep Learning.” In ICMR.\n\n"
    "Kuzudişli, B. (2015). Sunni-Shi‘i Interaction. Hadith Studies.\n\n"
    "al-Ṭūsī, M. b. al-Ḥasan. (1986). Tahdhīb al-Aḥkām. Dār al-Kutub.\n\n"
    "al-Ṭūsī, M. b. al-Ḥasan. (1995). Al-Amālī. Dār al-Thaqāfa.\n\n"
    "Motzki, H., Boekhoff-van der Voort, N., & Anthony, S. W. (2011). Analysing Muslim Traditions. Brill.\n\n"
    "Tafrīshī, M. (No date). Naqd al-Rijāl. Qum.\n\n"
    "van der Linden, Marcel. 2008. Workers of the World. Leiden: Brill.\n"))


@pytest.mark.parametrize("authors, year, entry", [
    (("Aftonbladet",), "1936a", 1),
    (("Aftonbladet",), "1936b", 2),
    (("Aftonbladet",), "1936", 1),  # no suffix in the text: the first of that year
    (("Bhargav", "Van Noord", "Kamps"), "2019", 3),
    (("Kuzudisli",), "2015", 4),  # without the diacritics
    (("al-Ṭūsī",), "1995", 6),
    (("Tusi",), "1986", 5),  # without the article and the diacritics
    (("Harald Motzki",), "2011", 7),  # a given name in the text
    (("Tafrīshī",), "n.d.", 8),  # "No date" in the list
    (("van der Linden",), "2008", 9),
    (("Linden",), "2008", 9),
    (("Smith",), "2008", None),  # not in the list
    (("Motzki",), "2012", None),  # another year
])
def test_linking_is_tolerant(authors, year, entry):
    assert link(authors, year, ENTRIES) == entry


def test_a_citation_fitting_two_entries_goes_to_the_one_a_fuller_citation_did_not_take():
    entries = tuple(parse_entries(
        "Wang, L., Yang, N., Huang, X., Jiao, B., Yang, L., & Wei, F. (2024). Text Embeddings. arXiv.\n\n"
        "Wang, L., Yang, N., Huang, X., Yang, L., & Wei, F. (2024). Multilingual E5. arXiv.\n"))
    assert link_all([(("Wang",), "2024"), (("Wang", "Yang", "Huang", "Jiao"), "2024")], entries) == [2, 1]
    assert link_all([(("Wang",), "2024")], entries) == [1]
