"""In-text references: every common form parses; a sentence keeps every reference where it stands;
sentences get the references that support them; footnote marks are tied to their notes."""

from __future__ import annotations

import pytest

from rag_history.bibliography import parse_entry
from rag_history.citations import attribute, cite, find_references, parse_citation, strip_citations
from rag_history.notes import note_works
from rag_history.source import parse_document


def _works(text: str, **kw) -> list[tuple[tuple[str, ...], str, str]]:
    return [(w.authors, w.year, w.pages) for r in find_references(text, **kw) for w in r.works]


@pytest.mark.parametrize("raw, authors, year, pages", [
    # Turkish, the bundled article's forms among them
    ("(Sadıkov,2010:102)", ("Sadıkov",), "2010", "102"),
    ("(Ad, 2005: 12)", ("Ad",), "2005", "12"),
    ("(Ad 2005:12)", ("Ad",), "2005", "12"),
    ("(Kocabaşoğlu; Berge,1992:35)", ("Kocabaşoğlu", "Berge"), "1992", "35"),
    ("(Yılmaz;Yakşi,2016:18)", ("Yılmaz", "Yakşi"), "2016", "18"),
    ("(Köstüklü,2016:26-27)", ("Köstüklü",), "2016", "26-27"),
    ("(Kılıç,2016,125)", ("Kılıç",), "2016", "125"),
    ("(Yılmaz ve Kaya, 2010: 4)", ("Yılmaz", "Kaya"), "2010", "4"),
    ("(Kaya, 2005, s. 12)", ("Kaya",), "2005", "12"),
    # APA
    ("(Smith, 1999, p. 12)", ("Smith",), "1999", "12"),
    ("(Smith & Jones, 2003)", ("Smith", "Jones"), "2003", ""),
    ("(Smith et al., 2001, pp. 3–5)", ("Smith",), "2001", "3–5"),
    ("(Wang, Yang, Huang, Jiao, et al., 2024)", ("Wang", "Yang", "Huang", "Jiao"), "2024", ""),
    # Chicago author-date
    ("(Smith 1999, 12)", ("Smith",), "1999", "12"),
    ("(Smith 1999: 12)", ("Smith",), "1999", "12"),
    ("(Mardin 1962)", ("Mardin",), "1962", ""),
    ("(Nazif 1923: 53–54)", ("Nazif",), "1923", "53–54"),
    ("(Kolarz 1961, p. 470)", ("Kolarz",), "1961", "470"),
    ("(Remey 1916, p. 153)", ("Remey",), "1916", "153"),
    ("(Aspenskog, Johansson, and Snickars 2025)", ("Aspenskog", "Johansson", "Snickars"), "2025", ""),
    ("(Smith and Jones 2003, 45)", ("Smith", "Jones"), "2003", "45"),
    # names of more than one word, particles, the Arabic article, given names
    ("(Shoghi Effendi 1944: 193)", ("Shoghi Effendi",), "1944", "193"),
    ("(van der Linden 2008)", ("van der Linden",), "2008", ""),
    ("(de Bellaigue, 2017, p. 4)", ("de Bellaigue",), "2017", "4"),
    ("(al-Kulaynī, 1986)", ("al-Kulaynī",), "1986", ""),
    ("(Harald Motzki et al., 2011)", ("Harald Motzki",), "2011", ""),
    ("(Ḥusayn b. Muḥammad Taqī Nurī al-Ṭabarsī, 1987)", ("Ḥusayn b. Muḥammad Taqī Nurī al-Ṭabarsī",), "1987", ""),
    ("(Dagens Nyheter 1928)", ("Dagens Nyheter",), "1928", ""),
    ("(ALB 1996)", ("ALB",), "1996", ""),
    ("(May,2009:7)", ("May",), "2009", "7"),  # a surname that is a month, in the comma form
    # years: suffix, range, volume, no date
    ("(Cole 1998a)", ("Cole",), "1998a", ""),
    ("(Kuntay 1944–56 (2/I): 151–80)", ("Kuntay",), "1944–56", "151–80"),
    ("(Smith, n.d.)", ("Smith",), "n.d.", ""),
    ("(Kaya, t.y.)", ("Kaya",), "t.y.", ""),
    ("(al-Tirmidhī, No date)", ("al-Tirmidhī",), "No date", ""),
    # prefixes
    ("(see Smith 1999)", ("Smith",), "1999", ""),
    ("(cf. Smith, 1999)", ("Smith",), "1999", ""),
    ("(e.g., Smith, 1999)", ("Smith",), "1999", ""),
    ("(bkz. Kaya, 2005: 3)", ("Kaya",), "2005", "3"),
])
def test_every_common_form_parses(raw, authors, year, pages):
    c = parse_citation(raw)
    assert c is not None, raw
    assert (c.authors, c.year, c.pages, c.raw) == (authors, year, pages, raw)
    assert c.to_dict() == {"author": authors[0], "authors": list(authors), "year": year, "pages": pages, "raw": raw}


@pytest.mark.parametrize("raw", ["(Yalçın v.d,2000:166)", "(Yalçın vd., 2000)", "(Yalçın v.d., 2000)",
                                 "(Yalçın ve diğerleri, 2000)", "(Yalçın ve ark., 2000)", "(Yalçın et al. 2000)"])
def test_et_al_in_every_language_is_marked_not_taken_for_a_name(raw):
    c = parse_citation(raw)
    assert c.et_al and c.authors == ("Yalçın",) and c.year == "2000"


@pytest.mark.parametrize("text, works", [
    ("(Davison 1963; Devereux 1963)", [(("Davison",), "1963", ""), (("Devereux",), "1963", "")]),
    ("(Smith & Jones, 2003; Lee, 2001)", [(("Smith", "Jones"), "2003", ""), (("Lee",), "2001", "")]),
    ("(Smith 1999, 12; Jones 2003: 4)", [(("Smith",), "1999", "12"), (("Jones",), "2003", "4")]),
    ("(Smith 1999, Jones 2003)", [(("Smith",), "1999", ""), (("Jones",), "2003", "")]),
    ("(Smith 1999, 2001)", [(("Smith",), "1999", ""), (("Smith",), "2001", "")]),
    ("(see also Smith 1999; cf. Jones 2003)", [(("Smith",), "1999", ""), (("Jones",), "2003", "")]),
    ("(Cole 1998a; idem, 2001)", [(("Cole",), "1998a", ""), (("Cole",), "2001", "")]),
])
def test_several_works_in_one_parenthesis(text, works):
    found = find_references(text)
    assert len(found) == 1 and found[0].raw == text
    assert _works(text) == works


def test_ibid_and_age_repeat_the_previous_work_with_their_pages():
    text = "Birinci (Smith 1999, 12). İkinci (ibid., 14). Üçüncü (a.g.e., s. 20)."
    assert _works(text) == [(("Smith",), "1999", "12"), (("Smith",), "1999", "14"), (("Smith",), "1999", "20")]
    assert find_references("Nothing before it (ibid.).") == []  # no previous work: nothing to repeat


@pytest.mark.parametrize("text, raw, authors, year, pages", [
    ("Kolarz (1961) argues that it did.", "Kolarz (1961)", ("Kolarz",), "1961", ""),
    ("As Kolarz (1961) argues, it did.", "Kolarz (1961)", ("Kolarz",), "1961", ""),
    ("Smith and Jones (2003, 12) show it.", "Smith and Jones (2003, 12)", ("Smith", "Jones"), "2003", "12"),
    ("Smith & Jones (2003) show it.", "Smith & Jones (2003)", ("Smith", "Jones"), "2003", ""),
    ("Smith et al. (2001) show it.", "Smith et al. (2001)", ("Smith",), "2001", ""),
    ("Smith'e (1999) göre bu doğrudur.", "Smith'e (1999)", ("Smith",), "1999", ""),
    ("Smith'in (1999: 5) belirttiği gibi bu doğrudur.", "Smith'in (1999: 5)", ("Smith",), "1999", "5"),
    ("Kaya ve Demir (2010) bunu gösterir.", "Kaya ve Demir (2010)", ("Kaya", "Demir"), "2010", ""),
    ("Shoghi Effendi (1944: 193) wrote it.", "Shoghi Effendi (1944: 193)", ("Shoghi Effendi",), "1944", "193"),
])
def test_narrative_citations(text, raw, authors, year, pages):
    (ref,) = find_references(text)
    assert (ref.kind, ref.raw, text[ref.start:ref.end]) == ("narrative", raw, raw)
    assert [(w.authors, w.year, w.pages) for w in ref.works] == [(authors, year, pages)]


@pytest.mark.parametrize("text", [
    "Halil (Kut) Paşa Moskova'ya gitti.",
    "Kafkas Cumhuriyetleri (Gürcistan, Azerbaycan, Ermenistan) ve Rusya.",
    "Bu dönem (1920-1921) önemlidir.",
    "Fuat Köprülü (1890–1966) bir tarihçiydi.",  # life dates
    "Muslim b. al-Ḥajjāj (d. 261/875) compiled it.",
    "Muḥammad al-Bāqir (d. 114/733, Medina) was the fifth Imām.",
    "He died (d. 1320/1902) in Najaf.",
    "It was shown (December 1936) in Stockholm.",
    "The forces for Fiscal Year (FY) 1955 and (Fiscal Year 1955).",
    "Halil Paşa (bkz. yukarıda, 1920) gitti.",
    "The hadith (Hadith no: 1645) says so.",
    "The census (of 1890) shows it.",
])
def test_years_in_the_prose_are_not_references(text):
    assert find_references(text) == []


def test_a_narrative_year_must_match_the_reference_list_where_there_is_one():
    entries = (parse_entry("Offert, Fabian. 2023. On the Concept of History. Berlin.", 1, 0),)
    film = "As Charlie Chaplin in Modern Times (1936) once struggled, so did Offert (2023)."
    assert [r.raw for r in find_references(film, entries=entries)] == ["Offert (2023)"]
    assert [r.raw for r in find_references(film)] == ["Modern Times (1936)", "Offert (2023)"]  # no list: a name will do


def test_a_sentence_keeps_every_reference_where_it_stands():
    text = ("11 Mayıs 1920'de hareket eden heyet (Atatürk,1969:460) Sovyetlerle bir antlaşma "
            "imzalanması imkânını araştırmaktaydı (Ertan,2000:27).")
    found = find_references(text)
    assert [r.raw for r in found] == ["(Atatürk,1969:460)", "(Ertan,2000:27)"]
    assert all(text[r.start:r.end] == r.raw for r in found)
    assert strip_citations(text) == ("11 Mayıs 1920'de hareket eden heyet Sovyetlerle bir antlaşma imzalanması "
                                     "imkânını araştırmaktaydı .")


def _attributions(raw: str):
    doc = parse_document(raw, "t.txt")
    return {s.text: a for s, a in zip(doc.sentences, attribute(doc))}


def _containing(got: dict, words: str):
    """The attribution of the sentence holding these words (however source.py cuts the text)."""
    (a,) = [a for text, a in got.items() if words in text]
    return a


def _how(a) -> tuple[str | None, str]:
    return (a.citation.raw if a.citation else None, a.how)


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
    assert _how(got["Devrimle birlikte Çarlık rejimine son verildi."]) == ("(Bilge,1992:10)", "following")
    assert _how(got["Demokratik bir rejim kuruldu (Bilge,1992:10)."]) == ("(Bilge,1992:10)", "own")
    assert _how(got["Bolşevikler barış istiyorlardı ve bunu her yerde söylüyorlardı (Yüceer,1997:40-41)."]) == (
        "(Yüceer,1997:40-41)", "own")
    # After the paragraph's last reference: the article author's own statement, never a borrowed one,
    # not even from the next paragraph.
    assert _how(got["Antlaşmanın büyük önemi vardı."]) == (None, "author")
    assert _how(got["Bu yeni bir paragraftır ve kaynağı sonraki paragraftaki atıf değildir elbette."]) == (
        None, "author")
    assert _how(got["Sonraki paragraf kaynak gösterir (Avcı,2008:71)."]) == ("(Avcı,2008:71)", "own")


def test_a_sentence_with_two_references_is_supported_by_both():
    sentence = "Heyet (Atatürk,1969:460) antlaşma imkânını araştırmaktaydı (Ertan,2000:27)."
    a = _attributions(f" 1. Giriş \n\n{sentence} \n")[sentence]
    assert a.how == "own"
    assert [(r.raw, sentence[r.start:r.end]) for r in a.references] == [
        ("(Atatürk,1969:460)", "(Atatürk,1969:460)"), ("(Ertan,2000:27)", "(Ertan,2000:27)")]
    assert [c.key for c in a.cited] == ["Atatürk, 1969", "Ertan, 2000"]
    assert a.citation.raw == "(Ertan,2000:27)"  # the one shown where one is shown: the last, as before


def test_a_sentence_before_a_group_is_supported_by_every_work_in_it():
    got = _attributions(" 1. Intro \n\nThe first claim stands here. The second one too (Davison 1963; Devereux 1963).\n")
    first = _containing(got, "first claim")
    assert first.how == "following" and [c.key for c in first.cited] == ["Davison, 1963", "Devereux, 1963"]


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


# --- footnotes ---------------------------------------------------------------------------------

BRACKET_TEXT = (
    "THE TITLE[1:1]\n\n"
    "The frontier moved west.[5:1] Settlers followed it. The King tried to stop them.[5:2]\n\n"
    "FOOTNOTES:\n\n"
    "[1:1] A paper read in Chicago.\n\n"
    "[5:1] Bancroft (1860 ed.), iii, pp. 344, 345;\n[Mitchell] \"Contest in America\" (1752), p. 237.\n\n"
    "[5:2] Ibid., p. 12.\n"
)


def _notes(got: dict, words: str) -> list[tuple[str, str, str]]:
    """(mark, the sentence up to where the mark stood, the note) of each note of a sentence."""
    text, a = next((text, a) for text, a in got.items() if words in text)
    assert all(r.start == r.end for r in a.references if r.kind == "note")  # the mark is out of the text
    return [(r.works[0].note, text[:r.start], r.raw) for r in a.references if r.kind == "note"]


def test_bracket_marks_are_tied_to_their_notes_where_they_stood():
    got = _attributions(BRACKET_TEXT)
    assert _notes(got, "moved west") == [
        ("5:1", "The frontier moved west.",
         "Bancroft (1860 ed.), iii, pp. 344, 345; [Mitchell] \"Contest in America\" (1752), p. 237.")]
    assert _notes(got, "The King") == [("5:2", "The King tried to stop them.", "Ibid., p. 12.")]
    assert _notes(got, "Settlers") == []


def test_a_footnote_is_the_reference_of_its_sentence_and_ibid_repeats_the_note_before():
    got = _attributions(BRACKET_TEXT)
    moved = _containing(got, "moved west")
    assert moved.how == "own" and {r.kind for r in moved.references} == {"note"}
    assert [(c.author, c.year, c.note) for c in moved.cited if c.note == "5:1"] == [
        ("Bancroft", "1860", "5:1"), ("Mitchell", "1752", "5:1")]
    king = _containing(got, "The King")
    assert [(c.author, c.year, c.pages) for c in king.cited] == [("Bancroft", "1860", "12")]
    assert king.cited[0].raw == "Ibid., p. 12."  # the note as printed
    assert not any("Bancroft" in text for text in got)  # a note is a reference, never a sentence


PDF_TEXT = (
    "Introduction\n"
    "The Navy planned for a war with the U.S.S.R. 1 It had to do more with less. 2\n"
    "Planning went on.\n\n"
    "For this context, see Hal Friedman, Creating an American Lake (Westport: Greenwood Press, 2001).\n"
    "2\n"
    "For the interwar period, see Thomas Hone and Trent Hone, Battleline (Annapolis: NIP, 2006).\n"
    "1\n\n"
    "1\n\n"
    "\fThe study was ordered by Nimitz. 3\n\n"
    "3\n"
    "Nimitz to Ramsey, “Naval Operating Forces,” 18 November 1947, Folder A4-1, 1.\n\n"
    "2\n\n"
)


def test_pdf_page_foot_notes_are_the_references_of_the_sentences_their_marks_stand_in():
    got = _attributions(PDF_TEXT)
    assert [(mark, before[-12:], note[:16]) for mark, before, note in _notes(got, "U.S.S.R.")] == [
        ("1", "the U.S.S.R.", "For this context"), ("2", "e with less.", "For the interwar")]
    assert [(mark, note[:16]) for mark, _, note in _notes(got, "ordered by Nimitz")] == [("3", "Nimitz to Ramsey")]
    assert [(c.author, c.year) for c in _containing(got, "ordered by Nimitz").cited] == [("Nimitz", "1947")]


@pytest.mark.parametrize("note, works", [
    ("For this context, see Hal Friedman, Creating an American Lake, 1945-1947 (Westport, Connecticut: "
     "Greenwood Press, 2001); idem, Governing the American Lake (East Lansing: MSU Press, 2007).",
     [(("Friedman",), "2001", ""), (("Friedman",), "2007", "")]),
    ("Nimitz to Ramsey, Fechteler, and Curts, “Naval Operating Forces – fiscal year 1955,” 18 November 1947, "
     "Folder A4-1, Box 109, NA II, 1.", [(("Nimitz",), "1947", "")]),
    ("See Al Christman, Target Hiroshima (Annapolis, Maryland: Naval Institute Press, 1998), 232-235.",
     [(("Christman",), "1998", "232-235")]),
    ("Bancroft (1860 ed.), iii, pp. 344, 345, citing Logan MSS.; [Mitchell] \"Contest in America,\" etc. (1752), p. 237.",
     [(("Bancroft",), "1860", ""), (("Mitchell",), "1752", "237")]),
    ("Compare Thorpe, in _Annals American Academy_, September, 1891; Bryce, \"American Commonwealth\" (1888), ii, p. 689.",
     [(("Thorpe",), "1891", ""), (("Bryce",), "1888", "")]),
    ("See, for example, the speech of Clay, in the House of Representatives, January 30, 1824.",
     [(("Clay",), "1824", "")]),
    ("Styer, Wright, and Bachman to Sherman, “Naval Operating Forces,” no date, Folder A4, 1.",
     [(("Styer",), "", "")]),  # a work, but no dated one
    ("A writer in _The Home Missionary_ (1850), p. 239, reporting Wisconsin conditions.", []),
    # Wikipedia's notes (tests/data/readings/wikipedia-history-of-kashmir.txt, notes 49, 77, 90, 3)
    ("Culture and political history of Kashmir, Prithivi Nath Kaul Bamzai, M.D. Publications Pvt. Ltd., 1994.",
     [(("Bamzai",), "1994", "")]),
    ("Bowers, Paul. 2004. \"Kashmir.\" Research Paper 4/28 Archived 26 March 2009 at the Wayback Machine, "
     "International Affairs and Defence, House of Commons Library.", [(("Bowers",), "2004", "")]),
    ("Sheikh Abdullah, Flames of the Chinar, New Delhi, 1993, p.97", [(("Abdullah",), "1993", "97")]),
    ("One or more of the preceding sentences incorporates text from a publication now in the public domain: "
     "Holdich, Thomas Hungerford (1911).", [(("Holdich",), "1911", "")]),
    ("Reports of the Press Club, Cambridge University Press, 1990.", []),
    ("Plea for the West (Cincinnati, 1835), pp. 11 ff.", []),
])
def test_the_works_a_note_cites(note, works):
    assert [(w.authors, w.year, w.pages) for w in note_works(note)] == works


def test_ibid_idem_and_the_authors_own_work_in_notes():
    before = note_works("Towers to Nimitz, “Naval Operating Forces,” 20 November 1947, Folder HDCL/9, 1.")
    assert [(w.authors, w.year, w.pages) for w in note_works("Ibid., 2-3.", before)] == [(("Towers",), "1947", "2-3")]
    own = note_works("Author's article in _The Ægis_ (Madison, Wis.), November 4, 1892.", (), "Frederick Jackson Turner")
    assert [(w.authors, w.year) for w in own] == [(("Turner",), "1892")]


def test_cite_returns_the_reference_list_with_the_attributions():
    raw = (" 1. Intro \n\nSmith (1999) argues it. Others agree (Jones, 2003).\n\nReferences\n\n"
           "Jones, A. (2003). Another Title. Press.\n\nSmith, John. 1999. A Title. Press.\n")
    found = cite(parse_document(raw, "t.txt"))
    assert [(e.n, e.authors, e.year) for e in found.entries] == [(1, ("Jones",), "2003"), (2, ("Smith",), "1999")]
    own = [a for a in found.attributions if a.how == "own"]
    assert [[(c.author, c.entry) for c in a.cited] for a in own] == [[("Smith", 2)], [("Jones", 1)]]


NUMBERED_TEXT = (
    "Kashmir was part of the Mauryan Empire.[1] Its chronicle was written later.[2]\n\n"
    "Notes\n\n"
    "[1] Sharma 2005, p. 74.\n"
    "[2] Christopher Snedden (15 September 2015). Understanding Kashmir. Hurst. p. 22.\n\n"
    "Bibliography\n\n"
    "-   Sharma, Tej Ram (2005), Historiography: A History of Historical Writing, Concept Publishing.\n\n"
    "-   Zutshi, Chitralekha (2012), \"Whither Kashmir Studies?\", Modern Asian Studies.\n"
)


def test_numbered_notes_and_short_forms_linked_to_the_list():
    found = cite(parse_document(NUMBERED_TEXT, "k.txt"))
    assert [(e.authors, e.year, e.raw[:6]) for e in found.entries] == [(("Sharma",), "2005", "Sharma"),
                                                                       (("Zutshi",), "2012", "Zutshi")]
    mauryan, chronicle = found.attributions
    assert [(c.author, c.year, c.pages, c.entry, c.note) for c in mauryan.cited] == [("Sharma", "2005", "74", 1, "1")]
    assert [(c.author, c.year, c.entry, c.note) for c in chronicle.cited] == [("Snedden", "2015", None, "2")]


def test_a_range_of_full_years_is_a_period_not_a_work():
    assert find_references("Princely State of Kashmir and Jammu (Dogra Rule, 1846–1947) followed.") == []
    assert _works("(Kuntay 1944–56)") == [(("Kuntay",), "1944–56", "")]


def test_stripping_keeps_years_of_the_prose():
    assert strip_citations("Modern Times (1936) was shown (Offert 2023).") == "Modern Times (1936) was shown ."
    assert strip_citations("It moved west.[5:1] Then") == "It moved west. Then"


def test_a_mark_after_the_full_stop_belongs_to_the_sentence_before():
    # Friedman: "“in hand.” 28 On 2 December", the mark between two sentences of a line.
    raw = ("Introduction\n"
           "Sherman said the ship program was “in hand.” 1 On 2 December, Captain Carter sent a\n"
           "memorandum to Sherman about the studies. 2\nNothing more was said.\n\n"
           "1 Sherman to Carter, Office Memorandum, 25 November 1947, Folder A16-3, 1.\n"
           "2 Carter to Sherman, “Planning Studies,” 2 December 1947, Folder A16-3, 1.\n"
           "\fThe rest followed. Nothing else happened.\n")
    got = _attributions(raw)
    assert [(mark, before) for mark, before, _ in _notes(got, "in hand")] == [
        ("1", "Sherman said the ship program was “in hand.”")]
    assert [(c.author, c.year, c.note) for c in _containing(got, "in hand").cited] == [("Sherman", "1947", "1")]
    assert [(c.author, c.year, c.note) for c in _containing(got, "Captain Carter").cited] == [("Carter", "1947", "2")]
    assert _containing(got, "Nothing more").how == "author"


def test_a_reprints_two_years_are_one_year_linked_to_the_edition():
    # APA's "(Freud, 1900/1953)": original and edition (Adinolfi's "(Falco, 1945/1945)").
    refs = find_references("As the statute shows (Falco, 1945/1945). On 12/1945 nothing was cited.")
    assert [(w.authors, w.year, r.raw) for r in refs for w in r.works] == [(("Falco",), "1945", "(Falco, 1945/1945)")]
    assert [w.year for r in find_references("(Freud, 1900/1953, p. 12)") for w in r.works] == ["1953"]


def test_references_inside_a_parenthesis_of_prose_are_found():
    text = ("Research on the library (see, for example, (Mazal 1986), (Mauthe 2010)) focused on single items "
            "(based on previous work from (Krickl, Mayer, and Zangger 2022)).")
    assert [(r.works[0].authors, r.works[0].year) for r in find_references(text)] == [
        (("Mazal",), "1986"), (("Mauthe",), "2010"), (("Krickl", "Mayer", "Zangger"), "2022")]


def test_a_web_citations_author_list_is_one_work_by_its_first_author():
    # Wikipedia's notes (tests/data/readings/wikipedia-history-of-kashmir.txt, note 15): the ";"
    # between authors parted them into works, and the one with the date was the last author's.
    note = ("Jukar, Advait M.; Bhat, Ghulam; Parfitt, Simon; Ashton, Nick; Craig, Jonathan (11 January 2024). "
            "\"Elephant butchery\". Quaternary Science Reviews.")
    assert [(w.authors, w.year) for w in note_works(note)] == [(("Jukar",), "2024")]
    assert [(w.authors, w.year) for w in note_works("Dhar, Somnath (1986), Jammu and Kashmir folklore, p. 8")] == [
        (("Dhar",), "1986")]


def test_a_reference_after_see_in_a_parenthesis_of_prose_is_found():
    # tests/data/readings/mourlon-druol-bergamini-delors-committee.txt, lines 21 and 208.
    text = ("The Committee met eight times (For more details on the work of the Committee, see James, 2012, "
            "pp.463-475.). It reported (Committee for the Study of EMU, Report, 17 April 1989. See also James, 2012, "
            "p. 313-317).")
    assert [(r.works[0].authors, r.works[0].year, r.works[0].pages) for r in find_references(text)] == [
        (("James",), "2012", "463-475"), (("James",), "2012", "313-317")]
