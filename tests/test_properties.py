"""Properties over arbitrary texts and questions (issue 6): ingestion and answering never crash,
every answer sentence is copied from its source, and every reference shown is one the source
writes for that sentence (its own, or the next one in its paragraph)."""

from __future__ import annotations

import tempfile
import unicodedata
from pathlib import Path

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from rag_history.assistant import Assistant
from rag_history.chunking import ChunkSettings, chunk_document
from rag_history.citations import attribute, find_references, strip_citations
from rag_history.config import Settings
from rag_history.errors import QuestionError, SourceError
from rag_history.index import build_index, load_index
from rag_history.source import parse_document

from conftest import HashingEncoder, never_refusing_model

WORDS = ("Moskova Antlaşması Ankara hükümeti Lenin Mustafa Kemal Paşa 16 Mart 1921 tarihinde imzalanmıştır "
         "Sovyet Rusya ile Türkiye arasında dostluk kurulmuştur. İstanbul’un işgali v.d vb. 20. yüzyıl "
         "“alıntı” (parantez) ve de ki mi? ! … İ ı I i").split()
CITATIONS = ("(Sadıkov,2010:102)", "(Kocabaşoğlu; Berge,1992:35)", "(Yılmaz;Yakşi,2016:18)",
             "(Yalçın v.d,2000:166)", "(Köstüklü,2016:26-27)", "(Kılıç,2016,125)", "(Atatürk,1969:460)",
             "(bkz. yukarıda, 1920)")
BREAKS = (" ", " ", " ", ". ", ".\n", "\n\n", "\n ", "\n", "\n2. Millî Mücadele Dönemi\n", "\n\n1. Giriş\n")

# Text shaped like the article (sentences with and without references, line and page breaks,
# headings), text made of its pieces in any order, and anything at all.
sentence = st.builds(lambda words, cite, end: " ".join(words)[:1].upper() + " ".join(words)[1:]
                     + (" " + cite if cite else "") + end,
                     st.lists(st.sampled_from(WORDS), min_size=1, max_size=10),
                     st.one_of(st.none(), st.sampled_from(CITATIONS)), st.sampled_from((".", ".", "?", "")))
prose = st.lists(st.tuples(sentence, st.sampled_from(BREAKS)), min_size=1, max_size=25).map(
    lambda parts: "".join(a + b for a, b in parts))
fragment = st.one_of(st.sampled_from(WORDS), st.sampled_from(CITATIONS), st.sampled_from(BREAKS),
                     st.text(max_size=12))
article = st.one_of(prose, st.lists(fragment, min_size=1, max_size=120).map("".join), st.text(max_size=400))
question = st.one_of(st.lists(st.sampled_from(WORDS), min_size=1, max_size=8).map(" ".join),
                     st.text(max_size=60))
FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _flat(text: str) -> str:
    return " ".join(text.split())


def _letters(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split())


def _check_document(raw: str, doc) -> None:
    for s in doc.sentences:
        paragraph = doc.paragraphs[s.paragraph].text
        assert s.text in paragraph
        # The offsets lead back to the same words: the repair only drops characters (control
        # characters, line-end hyphens, footnote marks) and expands ligatures, so the sentence is
        # a subsequence of its source slice, and both start and end alike.
        shown, source = _letters(s.text), _letters(raw[s.start:s.end])
        it = iter(source)
        assert all(ch in it for ch in shown), (s.text, raw[s.start:s.end])
        assert shown[:1] == source[:1] and shown[-1:] == source[-1:]


@FAST
@given(article)
def test_ingestion_never_crashes_and_keeps_offsets(raw):
    try:
        doc = parse_document(raw, "x.txt")
    except SourceError:
        return  # no text in it: refused with a message, which is fine
    _check_document(raw, doc)
    for s, a in zip(doc.sentences, attribute(doc), strict=True):
        _check_reference(doc, s, a.citation, a.how)
        event(f"sentence: {a.how}")
    for chunk in chunk_document(doc, ChunkSettings(32, 8)):
        assert chunk.sentences and all(0 <= i < len(doc.sentences) for i in chunk.sentences)


def _check_reference(doc, sentence, citation, how) -> None:
    """The reference is the sentence's own, or the next one written after it in its paragraph."""
    paragraph = doc.paragraphs[sentence.paragraph]
    if how == "own":
        assert citation.raw in sentence.text
    elif how == "following":
        later = [r.raw for r in find_references(paragraph.text) if paragraph.file_offset(r.start) >= sentence.end]
        assert later and later[0] == citation.raw
    else:
        assert how == "author" and citation is None


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(article, st.data())
def test_answers_are_copied_sentences_with_the_sources_references(raw, data):
    try:
        doc = parse_document(raw, "x.txt")
    except SourceError:
        return
    with tempfile.TemporaryDirectory() as tmp:
        sources = Path(tmp) / "sources"
        sources.mkdir()
        (sources / "x.txt").write_text(raw, encoding="utf-8", newline="")
        config = Settings(source_dir=sources, index_dir=Path(tmp) / "index", term_model="none")
        encoder = HashingEncoder(config.model)
        try:
            build_index(config.source_dir, config.index_dir, config.build, encoder, progress=False)
        except SourceError:
            return  # e.g. NUL bytes: a file the loader refuses, with a message (test_robust_sources)
        assistant = Assistant(config, load_index(config.index_dir), encoder, never_refusing_model())
    # Questions in the source's own words reach the answering path; arbitrary ones test the rest.
    own_words = st.sampled_from(doc.sentences).map(lambda s: strip_citations(s.text))
    questions = data.draw(st.lists(st.one_of(own_words, question), min_size=1, max_size=4))
    by_offset = {(s.start, s.end): s for s in doc.sentences}
    for q in questions:
        try:
            answer = assistant.ask(q)
        except QuestionError:
            continue  # nothing to ask: refused with a message
        if answer.abstained:
            assert not answer.sentences
            continue
        assert 1 <= len(answer.sentences) <= 3
        for s in answer.sentences:
            source = by_offset[(s.start, s.end)]
            assert s.text == source.text  # verbatim
            _check_reference(doc, source, s.citation, s.attribution)
            event(f"answer sentence: {s.attribution}")  # --hypothesis-show-statistics: what was covered
        assert answer.text == " ".join(s.display(answer.language) for s in answer.sentences)
