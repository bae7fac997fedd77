"""The reference list: the entries of a document's references section, of every common style,
each parsed into authors, year and title; in-text references linked to their entries."""

from __future__ import annotations

import pytest

from rag_history.bibliography import entries_named, link, link_all, parse_entry
from rag_history.citations import cite
from rag_history.source import parse_document


def entries(*printed: str, body: str = "Body text.", heading: str = "References"):
    """The reference list of a document with these entries, a blank line between them."""
    return cite(parse_document(f"{body}\n\n{heading}\n\n" + "\n\n".join(printed) + "\n", "x.txt")).entries


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
    # Chicago notes and bibliography: the year after the publisher or the journal's volume (Buck 2025)
    ("Horowitz, David A. Beyond Left and Right: Insurgency and the Establishment. Urbana: University of Illinois Press, 1997.",
     ("Horowitz",), "1997", "Beyond Left and Right: Insurgency and the Establishment"),
    ("Koistinen, Paul A. C. State of War: The Political Economy of American Warfare. Lawrence: University Press of Kansas, 2012.",
     ("Koistinen",), "2012", "State of War: The Political Economy of American Warfare"),
    ("Richman, Sheldon. “New Deal Nemesis: The ‘Old Right’ Jeffersonians.” The Independent Review 1, no. 2 (1996): 201–48.",
     ("Richman",), "1996", "New Deal Nemesis: The ‘Old Right"),
    ("Wiltz, John Edward. “The Nye Committee Revisited.” The Historian 23, no. 2 (February 1961): 211–33.",
     ("Wiltz",), "1961", "The Nye Committee Revisited"),
    ("Poole, Keith T., and Howard Rosenthal. Ideology & Congress. Oxford: Routledge, 2007.",
     ("Poole", "Rosenthal"), "2007", "Ideology & Congress"),
    ("Herbert Hoover to Felix Morley, 18 Dec. 1952. Herbert Hoover Folder, Box 1, Felix Morley Papers.",
     ("Hoover",), "1952", "Herbert Hoover Folder, Box 1, Felix Morley Papers"),
    # Turkish
    ("Sadıkov, A. (2010). Türk-Rus İlişkileri. Ankara: Türk Tarih Kurumu.", ("Sadıkov",), "2010", "Türk-Rus İlişkileri"),
    ("Yüceer, Saime (1997), Birinci Dünya Savaşı'nda Osmanlı, Ankara: Kültür Bakanlığı.",
     ("Yüceer",), "1997", "Birinci Dünya Savaşı'nda Osmanlı"),
    ("Kocabaşoğlu, Uygur ve Berber, Metin (1994). Bolşevik İhtilali ve Osmanlılar. İstanbul: İletişim.",
     ("Kocabaşoğlu", "Berber"), "1994", "Bolşevik İhtilali ve Osmanlılar"),
])
def test_entries_of_every_style_parse(printed, authors, year, title):
    entry = parse_entry(printed, 1, 0)
    assert (entry.authors, entry.year, entry.title, entry.raw) == (authors, year, title, printed)


def test_a_dash_repeats_the_authors_of_the_entry_before():
    found = entries("ALB. 1996. “Ledningsgrupp.”", "———. 1997. “Minnesanteckningar.”", "———, 1998. Application.")
    assert [(e.n, e.authors, e.year) for e in found] == [(1, ("ALB",), "1996"), (2, ("ALB",), "1997"),
                                                           (3, ("ALB",), "1998")]


def test_one_dash_repeats_them_in_notes_and_bibliography_style():
    found = entries("Kauffman, Bill. Ain’t My America. New York: Metropolitan Books, 2008.",
                    "— America First!: Its History, Culture, and Politics. Amherst, NY: Prometheus Books, 1995.")
    assert [(e.authors, e.year, e.title) for e in found] == [
        (("Kauffman",), "2008", "Ain’t My America"), (("Kauffman",), "1995", "America First!: Its History, Culture, and Politics")]


LISTED = entries("Gross, H.R. “Foreign Aid: A Form of Glorified Blackmail.” 87th Congress, 1st sess. Congressional Record 107, pt. 7: 8574, 1961.",
                 "Poole, Keith T., and Howard Rosenthal. Ideology & Congress. Oxford: Routledge, 2007.",
                 "Rothbard, Murray N. The Betrayal of the American Right. Auburn, AL: Ludwig von Mises Institute, 2007.",
                 "“Congress Cuts Defense Funds $1.8 Billion.” In CQ Almanac 1963. Washington, DC: Congressional Quarterly, 1964.",
                 "Zutshi, Chitralekha. Languages of Belonging. London: Hurst, 2003.",
                 "UNCIP Resolution, 5 January 1949, Mount Holyoke College.",
                 "UNCIP Resolution, 13 August 1948, Mount Holyoke College.")


@pytest.mark.parametrize("note, named", [
    ("See also, Chapter 4 of Rothbard, Murray N. The Betrayal of the American Right (Auburn, 2007)", [3]),
    ("Chapter 5 of Rothbard, Betrayal of the American Right.", [3]),  # a short title
    ("Pool, Keith T. and Rosenthal, Howard Ideology & Congress (Oxen: Routledge, 2007).", [2]),  # a slip in the name
    ("Pool, Keith T. and Rosenthal, p.102.", [2]),  # a short note: the only entry of that name
    ("See, \"Congress Cuts Defense Funds $1.8 Billion.\" In CQ Almanac 1963. Then Rothbard, The Betrayal of the American Right.", [4, 3]),
    ("UNCIP Resolution, 13 August 1948.", [7]),  # led by its title, told apart by the date
    ("Zutshi, Chitralekha (2004). Languages of Belonging.", []),  # another year than the entry's
    ("The aforementioned H.R. Gross served in the House for 26 years.", []),  # a name, no work
])
def test_a_note_names_the_entries_of_the_reference_list(note, named):
    assert [e.n for _, e in entries_named(note, LISTED)] == named


def test_wrapped_entries_are_joined_and_split_where_one_ends():
    text = ("Arnheim, Rudolf. 1957. Film as Art. 2nd ed. Berkeley and Los Angeles: University\n"
            "of California Press.\n"
            "Asp, Jon. 2014. Film För Folket: Om Folkets Hus Och Filmen. Stock-\n"
            "holm: Premiss.")
    assert [e.raw for e in entries(text)] == [
        "Arnheim, Rudolf. 1957. Film as Art. 2nd ed. Berkeley and Los Angeles: University of California Press.",
        "Asp, Jon. 2014. Film För Folket: Om Folkets Hus Och Filmen. Stockholm: Premiss."]


@pytest.mark.parametrize("heading", ["References", "Bibliography", "Works Cited", "Kaynakça", "KAYNAKLAR",
                                     "5. Kaynakça"])
def test_the_reference_list_is_found_under_its_heading(heading):
    raw = f"Body text (Efe, 2018: 3).\n\n{heading}\n\nEfe, A. (2018). Gümrü. Ankara.\n\nNotes\n\n1 A note.\n"
    found = cite(parse_document(raw, "x.txt"))
    assert [(e.authors, e.year, e.raw) for e in found.entries] == [(("Efe",), "2018", "Efe, A. (2018). Gümrü. Ankara.")]
    assert raw[found.entries[0].start:].startswith("Efe, A. (2018)")
    assert [c.entry for a in found.attributions for c in a.cited] == [1]


def test_no_heading_no_list():
    assert cite(parse_document("Just text (Efe, 2018: 3).\n", "x.txt")).entries == ()


def test_a_bullet_is_no_part_of_its_entry():
    (entry,) = entries("-   Sharma, Tej Ram (2005), Historiography: A History of Historical Writing, Concept.")
    assert (entry.authors, entry.year, entry.raw[:6]) == (("Sharma",), "2005", "Sharma")


@pytest.fixture(scope="module")
def listed():
    return entries(
        "Aftonbladet. 1936a. “One.” Aftonbladet.", "———. 1936b. “Two.” Aftonbladet.",
        "Bhargav, Samarth, Nanne van Noord, and Jaap Kamps. 2019. “Deep Learning.” In ICMR.",
        "Kuzudişli, B. (2015). Sunni-Shi‘i Interaction. Hadith Studies.",
        "al-Ṭūsī, M. b. al-Ḥasan. (1986). Tahdhīb al-Aḥkām. Dār al-Kutub.",
        "al-Ṭūsī, M. b. al-Ḥasan. (1995). Al-Amālī. Dār al-Thaqāfa.",
        "Motzki, H., Boekhoff-van der Voort, N., & Anthony, S. W. (2011). Analysing Muslim Traditions. Brill.",
        "Tafrīshī, M. (No date). Naqd al-Rijāl. Qum.",
        "van der Linden, Marcel. 2008. Workers of the World. Leiden: Brill.")


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
def test_linking_is_tolerant(authors, year, entry, listed):
    assert link(authors, year, listed) == entry


def test_a_citation_fitting_two_entries_goes_to_the_one_a_fuller_citation_did_not_take():
    found = entries("Wang, L., Yang, N., Huang, X., Jiao, B., Yang, L., & Wei, F. (2024). Text Embeddings. arXiv.",
                    "Wang, L., Yang, N., Huang, X., Yang, L., & Wei, F. (2024). Multilingual E5. arXiv.")
    assert link_all([(("Wang",), "2024", ""), (("Wang", "Yang", "Huang", "Jiao"), "2024", "")], found) == [2, 1]
    assert link_all([(("Wang",), "2024", "")], found) == [1]


def test_cited_co_authors_in_order_pick_their_entry():
    listed = entries("Mayr, Eva, Annerose Tartler, Florian Windhager, and Simon Mayer. 2025. Sammlungen als Daten. Wien.",
                     "Mayr, Eva, Florian Windhager, Annerose Tartler, and Simon Mayer. 2025. Bibliotheca Eugeniana. Wien.")
    assert link_all([(("Mayr", "Windhager"), "2025", ""), (("Mayr",), "2025", "")], listed) == [2, 1]


def test_a_bulleted_list_has_one_entry_a_bullet_and_no_headings_or_page_footer():
    # From a scraped Wikipedia page (tests/data/readings/wikipedia-history-of-kashmir.txt): entries
    # end in an ISBN, a subheading and the page's categories stand among them.
    text = ("Kashmir was a lake. Rulers came.\n\nBibliography\n\n"
            "-   Haywood, John (1998), Historical Atlas of the Medieval World, Barnes & Noble\n"
            "-   Heckel, Waldemar (2003), The Wars of Alexander the Great, Taylor & Francis, ISBN 978-0-203-49959-7\n"
            "-   Pandit, K. N. (2013). Baharistan-i-shahi. Srinagar: Gulshan Books.\n\nPrimary sources\n\n"
            "-   Sharma, Tej Ram (2005), Historiography, Concept Publishing\n\n"
            "Wikipedia articles incorporating text from the 1911 Encyclopædia Britannica\n")
    found = cite(parse_document(text, "k.txt")).entries
    assert [(e.authors, e.year) for e in found] == [(("Haywood",), "1998"), (("Heckel",), "2003"),
                                                    (("Pandit",), "2013"), (("Sharma",), "2005")]


def test_the_cited_page_tells_a_chapter_from_a_book_of_the_same_author_and_year():
    listed = entries("James, H. (2012). The Delors Report. In K. Dyson (Ed.), The Road to Maastricht (pp. 193-220). "
                     "Oxford University Press.",
                     "James, H. (2012). Making the European monetary union. Belknap Press.")
    assert link_all([(("James",), "2012", "463-475"), (("James",), "2012", "200")], listed) == [2, 1]
