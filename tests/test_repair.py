"""Repairs of extracted text (issue 11), each on a sample found in a real source: quote markers,
line-end hyphens, page furniture, ligatures, footnote marks and notes, references sections,
tables of contents, line endings, control characters. Offsets always lead back to the source."""

from __future__ import annotations

import unicodedata

import pytest

from conftest import ARTICLE, squash
from rag_history.repair import repair, section_kind
from rag_history.source import parse_document


def letters(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split())


def assert_traceable(doc) -> None:
    """Every sentence and note is its source slice with characters dropped (and ligatures
    expanded), starting and ending on the same characters."""
    for piece in [*doc.sentences, *doc.notes]:
        shown, source = letters(piece.text), letters(doc.text[piece.start:piece.end])
        it = iter(source)
        assert all(ch in it for ch in shown), (piece.text, doc.text[piece.start:piece.end])
        assert shown[:1] == source[:1] and shown[-1:] == source[-1:]


def sentences(raw: str, **kw) -> list[str]:
    doc = parse_document(raw, "x.txt", **kw)
    assert_traceable(doc)
    return [s.text for s in doc.sentences]


# --- quote markers -----------------------------------------------------------------------------

def test_quote_markers_at_line_starts_are_dropped():
    # The sample: a wrapped line quoted by a mail client, "performance of > the patriotic play".
    raw = ("In 1873 the performance of\n> the patriotic play Vatan yahut Silistre caused a stir in Istanbul.\n"
           "> > Namık Kemal was sent into exile soon after.\n")
    assert sentences(raw, metadata={"language": "en"}) == [
        "In 1873 the performance of the patriotic play Vatan yahut Silistre caused a stir in Istanbul.",
        "Namık Kemal was sent into exile soon after."]


def test_a_greater_than_sign_inside_a_line_stays():
    assert sentences("Prices rose by > 20 percent in 1921. Wages did not.\n", metadata={"language": "en"})[0] == (
        "Prices rose by > 20 percent in 1921.")


# --- hyphens at line ends ----------------------------------------------------------------------

HYPHENS = (
    "The ministry lacked reliable information about the frontier. Officials asked for more infor-\n"
    "mation from the consulates in 1921.\n\n"
    "The Soviet-Turkish treaty was signed in Moscow. It opened the Soviet-\n"
    "Turkish friendship of the 1920s.\n\n"
    "The plan listed five cruisers, thirty-two destroyers and thirty-\n"
    "five cargo ships for the years 1945-\n"
    "1947 in the Pacific.\n"
)


def test_a_word_cut_by_the_line_end_is_joined():
    assert "Officials asked for more information from the consulates in 1921." in sentences(HYPHENS)


def test_a_hyphenated_word_keeps_its_hyphen():
    found = sentences(HYPHENS)
    assert "It opened the Soviet-Turkish friendship of the 1920s." in found  # the capital, and the text writes it
    # "thirty-five": two words of their own; "1945-1947": numbers (both as the Friedman PDF has them).
    assert "The plan listed five cruisers, thirty-two destroyers and thirty-five cargo ships for the years 1945-1947 in the Pacific." in found


def test_a_soft_hyphen_always_joins():
    assert sentences("Bu karar Ankara’da tartış\u00ad\nmalara yol açtı. Sonra bitti.\n")[0] == (
        "Bu karar Ankara’da tartışmalara yol açtı.")


# --- page furniture ----------------------------------------------------------------------------

def _pages(*bodies: str) -> str:
    """Pages as pdftotext writes them: a running head on top, the page number at the foot."""
    return "\f".join(f"Journal of Ottoman Studies 12 (2020)\n\n{body}\n\n{i}\n" for i, body in enumerate(bodies, 1))


def test_running_heads_and_page_numbers_are_dropped_and_a_sentence_goes_on_across_the_page():
    raw = _pages("The delegation left Ankara in May 1920. It reached Moscow",
                 "in July after a long journey through the Caucasus. Talks began at once.",
                 "The treaty was signed on 16 March 1921. It settled the border.",
                 "Kars was returned to Turkey. The border has stayed since.")
    found = sentences(raw, metadata={"language": "en"})
    assert "It reached Moscow in July after a long journey through the Caucasus." in found
    assert not any("Journal of Ottoman" in s or s.rstrip(".").isdigit() for s in found)


def test_a_short_line_ending_in_a_reference_does_not_end_the_paragraph():
    # Johansson et al., wrapped by pandoc: a reference on a line of its own in mid-sentence.
    # Its known headings ("Introduction") stand alone, so "The tool stum" is no heading either.
    raw = ("Introduction\n\nNewsreels were shown before films.\n\n"
           "Transcribing flash intertitles\n\nThe tool stum\n(Johansson 2025)\ncombines three well established "
           "libraries to create a pipeline:\nOpenCV2 for image processing\n(Bradski 2000),\nEAST for text detection.\n")
    assert sentences(raw, metadata={"language": "en"})[1:] == [
        "The tool stum (Johansson 2025) combines three well established libraries to create a pipeline: OpenCV2 for "
        "image processing (Bradski 2000), EAST for text detection."]


def test_a_figure_credit_in_mid_sentence_is_dropped():
    # The Friedman PDF, page 6: the credit of a photograph between two halves of a sentence.
    raw = ("He particularly wanted them to note the differences in the composition of the Naval\n\n"
           "Courtesy of the National Archives & Records Administration\n\n"
           "Operating Forces at the present time. He concluded by telling his subordinates.\n")
    assert sentences(raw, metadata={"language": "en"})[0] == (
        "He particularly wanted them to note the differences in the composition of the Naval Operating "
        "Forces at the present time.")


def test_table_of_contents_lines_are_dropped():
    raw = ("İçindekiler\n\n1. Giriş ........................ 3\n2. Moskova Antlaşması ......... 7\n\n"
           "1. Giriş\n\nMoskova Antlaşması 16 Mart 1921’de imzalandı. Kars Antlaşması onu izledi.\n")
    doc = parse_document(raw, "x.txt")
    assert [s.title for s in doc.sections] == ["1. Giriş"]
    assert not any("...." in p.text for p in doc.paragraphs)


def test_a_heading_may_end_in_the_years_of_its_period():
    # tests/data/readings/wikipedia-history-of-kashmir.txt: "Durrani Empire (1752–1819)" was
    # taken for a sentence of its own and given as the answer to "when did they take Kashmir?".
    raw = ("Nadir Shah's invasion in 1738 weakened Mughal control.[61]\n\nDurrani Empire (1752–1819)\n\n"
           "The Durrani Empire took control of Kashmir in 1752.[62]\n\nIt was ruled by governors "
           "(Sharma 2005).\n\nSikh rule\n\nThe Sikhs came in 1819.\n")
    doc = parse_document(raw, "x.txt", {"language": "en"})
    assert [s.title for s in doc.sections][-2:] == ["Durrani Empire (1752–1819)", "Sikh rule"]
    assert not any(s.text.startswith("Durrani Empire (") for s in doc.sentences)


def test_an_entry_of_a_name_without_initials_opens_with_its_year():
    # tests/data/readings/oliva-city-of-tomorrow.txt: "Le Corbusier. (2010)." was joined to the
    # entry before it, and every later entry's number moved by one (25 of 58 works linked).
    raw = ("Body\n\nThe plan was radical (Le Corbusier, 2010).\n\nBibliography\n\n"
           "Kreutzer, E. (2022). Digital Digging. Research in Film and History.\n"
           "Le Corbusier. (2010). The City of Tomorrow and its Planning,. The Blackwell City Reader.\n"
           "World Health Organization. (n.d.). A report.\n"
           "Luce, H. R. (1941). The American Century,. Life,.\n")
    doc = parse_document(raw, "x.txt", {"language": "en"})
    assert [p.text[:12] for p in doc.paragraphs_of("references")] == [
        "Kreutzer, E.", "Le Corbusier", "World Health", "Luce, H. R. "]


def test_under_notes_a_numbered_line_is_a_note_not_a_heading():
    # tests/data/readings/oliva-city-of-tomorrow.txt: its last note, with no full stop, was taken
    # for a numbered heading, and its mark [29] stood tied to no note.
    raw = ("Body\n\nThe pavilion showed the future.[29] It was popular.\n\nNotes\n\n"
           "28. Kyle Westphal, The City, Library of Congress.\n"
           "29. Futurama Exhibition, in the video essay: 08:48-10:16\n\nBibliography\n\n"
           "Zim, L. (1988). The World of Tomorrow.\n")
    doc = parse_document(raw, "x.txt", {"language": "en"})
    assert [s.title for s in doc.sections] == ["Body", "Notes", "Bibliography"]
    assert doc.note("29")


def test_the_rules_of_a_plain_text_table_are_dropped():
    # tests/data/readings/mayer-et-al-prince-eugene-library.txt: pandoc's table rules made a
    # "sentence" of dashes, given as the answer to a question about the library's price.
    raw = ("The entry reads as follows.\n\n  " + "-" * 60 + "\n  author   title        year\n"
           "  -------- ------------ ----\n  Lister   Historia     1685\n\n  " + "-" * 60 + "\n\n"
           "| a | b |\n|---|:--|\n\nThe library was sold in 1738.\n")
    doc = parse_document(raw, "x.txt", {"language": "en"})
    assert not any("---" in p.text for p in doc.paragraphs)
    assert "Lister" in doc.text and doc.paragraphs[-1].text == "The library was sold in 1738."


def test_markdown_headings_are_headings_in_any_section_and_the_marks_are_dropped():
    # tests/data/readings/adinolfi-italian-senate-1848-1946.txt: "Notes" over a list of a method's
    # remarks took the analysis, the conclusions and the reference list into a notes section.
    raw = ("## Method\n\nThe scraper reads each page.\n\nNotes\n\n- It keeps the old columns.\n\n"
           "## Reading the Senate\n\nThe Senate grew after 1861 (Mayer, 1981).\n\n## References\n\n"
           "  Mayer, A. J. (1981). The Persistence of the Old Regime. Pantheon. https://doi.org/10.1/x\n"
           "  Noiret, S. (1987). Il Senato. Laterza.\n")
    doc = parse_document(raw, "x.txt", {"language": "en"})
    assert [(s.title, s.kind) for s in doc.sections] == [
        ("Method", "body"), ("Notes", "notes"), ("Reading the Senate", "body"), ("References", "references")]
    # An entry that ends with its web address ends there.
    assert [p.text[:9] for p in doc.paragraphs_of("references")] == ["Mayer, A.", "Noiret, S"]


def test_markdown_marks_are_dropped_and_offsets_still_map():
    raw = ("# Title\n\nThe author [![orcid](https://orcid.org/x.png)](https://orcid.org/1) works at CIES.\n\n## Data\n\n"
           "The rule keeps **magistrates apart** from `lawyers`, as [the register](https://senato.it){:target=\"_blank\"} "
           "shows.\n")
    doc = parse_document(raw, "x.txt", {"language": "en"})
    assert [s.title for s in doc.sections] == ["Title", "Data"]
    assert doc.sentences[0].text == "The author works at CIES."
    s = doc.sentences[-1]
    assert s.text == "The rule keeps magistrates apart from lawyers, as the register shows."
    assert_traceable(doc)
    # Without Markdown headings the same marks are the text's own ("**" after a footnoted name).
    plain = parse_document("Prof. Dr. Ayşe Yılmaz** wrote it in `1990`.\n", "y.txt", {"language": "en"})
    assert "**" in plain.sentences[0].text and "`" in plain.sentences[0].text


# --- ligatures, control characters, line endings -----------------------------------------------

def test_ligatures_are_expanded_and_offsets_still_map():
    raw = "The ﬁrst oﬃcial report reached the ministry. It was ﬁled in 1921.\n"
    doc = parse_document(raw, "x.txt", {"language": "en"})
    assert [s.text for s in doc.sentences] == ["The first official report reached the ministry.", "It was filed in 1921."]
    assert_traceable(doc)
    assert raw[doc.sentences[1].start:doc.sentences[1].end] == "It was ﬁled in 1921."


def test_terminal_escapes_and_control_characters_are_dropped():
    raw = "Ankara \x1b[31mhükümeti\x1b[0m Moskova’ya\x07 bir heyet gönderdi.\x1b]0;owned\x07 Heyet döndü.\n"
    assert sentences(raw) == ["Ankara hükümeti Moskova’ya bir heyet gönderdi.", "Heyet döndü."]


@pytest.mark.parametrize("newline", ["\r", "\r\n"])
def test_the_article_with_other_line_endings_parses_the_same(newline, article_doc, article_text):
    # A CR-only copy used to give one section instead of six, and answers carrying "\r\r".
    raw = article_text.replace("\n", newline)
    doc = parse_document(raw, article_doc.name, article_doc.metadata)
    assert [(s.title, s.kind) for s in doc.sections] == [(s.title, s.kind) for s in article_doc.sections]
    assert [s.text for s in doc.sentences] == [s.text for s in article_doc.sentences]
    assert not any("\r" in s.text for s in doc.sentences)
    for s in doc.sentences:  # offsets into the CR text
        assert squash(raw[s.start:s.end]) == s.text


# --- footnotes -----------------------------------------------------------------------------------

TURNER = (  # the Gutenberg text of Turner (1893), CRLF and [page:n] markers, notes at the end
    "Said Calhoun in 1817, \"We are great,\r\nand rapidly--I was about to say fearfully--growing!\"[2:1] So saying, he\r\n"
    "touched the distinguishing feature of American life.\r\n\r\n"
    "The Indian trade pioneered the way for civilization.[5:1]\r\n\r\n\r\n"
    "FOOTNOTES:\r\n\r\n"
    "[2:1] \"Abridgment of Debates of Congress,\" v, p. 706.\r\n\r\n"
    "[5:1] Bancroft (1860 ed.), iii, pp. 344, 345, citing Logan MSS.;\r\n"
    "[Mitchell] \"Contest in America,\" etc. (1752), p. 237.\r\n"
)


def test_notes_at_the_end_are_kept_by_marker_and_their_marks_out_of_the_text():
    doc = parse_document(TURNER, "turner.txt", {"language": "en"})
    assert_traceable(doc)
    assert [s.text for s in doc.sentences] == [
        "Said Calhoun in 1817, \"We are great, and rapidly--I was about to say fearfully--growing!\"",
        "So saying, he touched the distinguishing feature of American life.",
        "The Indian trade pioneered the way for civilization."]
    assert {n.marker: n.text for n in doc.notes} == {
        "[2:1]": "\"Abridgment of Debates of Congress,\" v, p. 706.",
        "[5:1]": "Bancroft (1860 ed.), iii, pp. 344, 345, citing Logan MSS.; [Mitchell] \"Contest in America,\" etc. "
                 "(1752), p. 237."}
    assert [doc.sections[doc.paragraphs[n.paragraph].section].kind for n in doc.notes] == ["notes", "notes"]
    first = doc.marks[0]
    paragraph = doc.paragraphs[first.paragraph].text
    assert first.marker == "[2:1]" and paragraph[:first.at].endswith("growing!\"")
    assert TURNER[first.start:first.end] == "[2:1]"


def test_footnotes_at_the_feet_of_text_pages_are_notes():
    # The Friedman text as pdftotext gives it: the mark after a space, the note at the page foot.
    raw = ("with the U.S.S.R. 1\nIt is precisely because this period was so confusing that I\n"
           "have focused on the Navy. 2 Readers will note a detailed narrative.\n\n"
           "1 For this context, see Hal Friedman, Creating an American Lake (Westport: Greenwood Press, 2001).\n"
           "2 For the parsimony of the interwar period, see Thomas Hone and Trent Hone, Battleline\n"
           "(Annapolis: Naval Institute Press, 2006).\n\n1\n"
           "\fThe Navy had to disengage from one region of the world. The rest followed.\n\n2\n"
           "\fIt did so in 1947. Nothing else happened.\n\n3\n")
    doc = parse_document(raw, "friedman.txt", {"language": "en"})
    assert_traceable(doc)
    assert [n.marker for n in doc.notes] == ["1", "2"]
    assert doc.notes[1].text == ("For the parsimony of the interwar period, see Thomas Hone and Trent Hone, Battleline "
                                 "(Annapolis: Naval Institute Press, 2006).")
    assert [m.marker for m in doc.marks] == ["1", "2"]
    assert "I have focused on the Navy." in " ".join(s.text for s in doc.sentences)
    assert not any("Greenwood" in s.text for s in doc.sentences)


def test_note_numbers_standing_together_share_the_lines_and_a_date_goes_on_its_note():
    # Friedman as pdftotext gives it: the numbers of two short notes in a column before their
    # texts; on the next page a note whose number moved to the page's end, with a line opening
    # on a date ("24 November 1947").
    raw = ("Planning went on. 1\nThe carriers were listed. 2 The Navy had 126 old and slower\n"
           "1\n2\n\nIbid., 6.\nIbid.\n\n1\n"
           "\fvessels to replace. English asked for a study on carriers in\n1955. 3\n"
           "It should describe new carriers.\n\n"
           "English, Memorandum, “Employment of Naval Forces 1955, Request for Studies of,”\n"
           "24 November 1947, Folder A16-3, 1.\n3\n\n2\n"
           "\fThe rest followed. Nothing else happened.\n\n3\n")
    doc = parse_document(raw, "friedman.txt", {"language": "en"})
    assert_traceable(doc)
    assert [(n.marker, n.text) for n in doc.notes] == [
        ("1", "Ibid., 6."), ("2", "Ibid."),
        ("3", "English, Memorandum, “Employment of Naval Forces 1955, Request for Studies of,” 24 November 1947, "
              "Folder A16-3, 1.")]
    assert [m.marker for m in doc.marks] == ["1", "2", "3"]
    assert not any("English, Memorandum" in s.text for s in doc.sentences)


def test_superscript_marks_are_taken_out():
    raw = "Lenin’e bir mektup gönderildi.¹ Cevap geldi².\n\nDipnotlar\n\n¹ Sofuoğlu, 2005, s. 204.\n² Bolat, 2006.\n"
    doc = parse_document(raw, "x.txt")
    assert [s.text for s in doc.sentences] == ["Lenin’e bir mektup gönderildi.", "Cevap geldi."]
    assert [(n.marker, n.text) for n in doc.notes] == [("1", "Sofuoğlu, 2005, s. 204."), ("2", "Bolat, 2006.")]


# --- sections ----------------------------------------------------------------------------------

@pytest.mark.parametrize("title, kind", [
    ("References", "references"), ("Bibliography", "references"), ("Works Cited:", "references"),
    ("KAYNAKÇA", "references"), ("5. Kaynakça", "references"), ("Kaynaklar", "references"),
    ("Notes", "notes"), ("FOOTNOTES:", "notes"), ("Abstract:", "abstract"), ("ÖZET", "abstract"),
    ("Introduction", "body"), ("The Indian Trade", None),
])
def test_section_kinds_by_title(title, kind):
    assert section_kind(title) == kind


def test_a_references_section_is_kept_out_of_the_sentences_with_one_paragraph_an_entry():
    raw = ("1. Giriş\n\nMoskova Antlaşması 16 Mart 1921’de imzalandı (Sofuoğlu, 2005: 204).\n\n"
           "Kaynakça\n\nSofuoğlu, A. (2005). Kuva-yı Milliye Dönemi. Ankara: Atatürk Araştırma Merkezi.\n"
           "Bolat, M. (2006). Türk-Sovyet İlişkileri. İstanbul: Kitabevi.\n")
    doc = parse_document(raw, "x.txt")
    assert [s.text for s in doc.sentences] == ["Moskova Antlaşması 16 Mart 1921’de imzalandı (Sofuoğlu, 2005: 204)."]
    assert [p.text for p in doc.paragraphs_of("references")] == [
        "Sofuoğlu, A. (2005). Kuva-yı Milliye Dönemi. Ankara: Atatürk Araştırma Merkezi.",
        "Bolat, M. (2006). Türk-Sovyet İlişkileri. İstanbul: Kitabevi."]


def test_the_article_is_repaired_as_before(article_text):
    blocks = repair(article_text)
    assert [b.text for b in blocks if b.kind == "heading"] == [
        "1. Giriş", "2. Millî Mücadele Dönemi Öncesi Türk-Rus İlişkileri",
        "3. Meclisin Açılışı ile Birlikte Gelişen Türk-Sovyet İlişkileri", "4. Sonuç"]
    assert ARTICLE.name.endswith(".txt") and len([b for b in blocks if b.kind == "paragraph"]) == 16


def test_a_web_pages_notes_are_tied_to_their_bracket_marks():
    # The form of a Wikipedia page converted to text (tests/data/readings/wikipedia-history-of-kashmir.txt):
    # lettered notes numbered "1." by the conversion, numbered notes with backlinks under "References".
    text = ("Kashmir was a lake.[1] The name is old.[a] Rulers came in 1846, 7 of them.[2][1]\n\n"
            "See also\n\n-   List of topics\n\nNotes\n\n1.  ^ Puranic genealogy is incomplete.\n\n"
            "References\n\n1.  ^ a b Sharma 2005, p. 74.\n2.  ^ Dhar, Somnath (1986), Jammu and Kashmir folklore\n\n"
            "Bibliography\n\n-   Sharma, Tej Ram (2005), Historiography, Concept Publishing\n")
    doc = parse_document(text, "k.txt")
    assert {n.marker: n.text for n in doc.notes} == {
        "a": "Puranic genealogy is incomplete.", "1": "Sharma 2005, p. 74.",
        "2": "Dhar, Somnath (1986), Jammu and Kashmir folklore"}
    assert [m.marker for m in doc.marks] == ["1", "a", "2", "1"]  # "7 of them" is a number, not a mark
    assert [s.text for s in doc.sentences] == ["Kashmir was a lake.", "The name is old.", "Rulers came in 1846, 7 of them."]
    assert [s.kind for s in doc.sections][-4:] == ["links", "notes", "references", "references"]


@pytest.mark.parametrize("text, menu", [
    ("-   Main page -   Contents -   Current events -   Random article", True),
    ("-   History of Ladakh -   History of Poonch District", True),
    ("-   The treaty was signed in 1921. -   It gave Batum to Georgia.", False),
    ("The valley was a lake, as the Rajatarangini says.", False),
])
def test_a_web_pages_menus_are_no_sentences(text, menu):
    from rag_history.repair import is_link_list

    assert is_link_list(text) is menu
    doc = parse_document(f"Kashmir was a lake. It was drained.\n\n{text}\n", "k.txt")
    assert any(text[4:20] in s.text for s in doc.sentences) is not menu
