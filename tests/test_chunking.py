"""Chunks: token limits (cl100k), whole sentences, one section each, stable ids, overlap."""

from __future__ import annotations

import pytest

from conftest import squash
from rag_history.chunking import ChunkSettings, chunk_document, count_tokens
from rag_history.errors import RagHistoryError
from rag_history.source import parse_document

SETTINGS = [ChunkSettings(128, 32), ChunkSettings(16, 0), ChunkSettings(48, 16), ChunkSettings(512, 100)]


def shared_text(a: str, b: str) -> str:
    """The longest end of a that b starts with: what two neighbouring chunks repeat."""
    for k in range(min(len(a), len(b)), 0, -1):
        if a.endswith(b[:k]) and (k == len(b) or b[k] == " ") and (k == len(a) or a[-k - 1] == " "):
            return b[:k]
    return ""


@pytest.fixture(scope="module", params=SETTINGS, ids=lambda s: f"{s.max_tokens}-{s.overlap_tokens}")
def chunked(request, article_doc):
    return request.param, chunk_document(article_doc, request.param)


def test_every_chunk_fits_the_token_limit(chunked):
    settings, chunks = chunked
    for c in chunks:
        assert c.n_tokens == count_tokens(c.text) <= settings.max_tokens


def test_chunks_are_whole_sentences_of_one_section(chunked, article_doc, article_text):
    settings, chunks = chunked
    for c in chunks:
        sentences = [article_doc.sentences[i] for i in c.sentences]
        assert {article_doc.paragraphs[s.paragraph].section for s in sentences} == {c.section_index}
        assert c.section == article_doc.sections[c.section_index].title
        if all(count_tokens(s.text) <= settings.max_tokens for s in sentences):
            assert c.text == " ".join(s.text for s in sentences)
            assert squash(article_text[c.start:c.end]) == c.text
        else:  # a sentence longer than a chunk is cut at word boundaries
            assert f" {c.text} " in f" {' '.join(s.text for s in sentences)} "
        # Either way the offsets point at exactly the chunk's text, not at whole sentences.
        assert squash(article_text[c.start:c.end]) == c.text


def test_every_sentence_is_in_some_chunk(chunked, article_doc):
    _, chunks = chunked
    assert {i for c in chunks for i in c.sentences} == set(range(len(article_doc.sentences)))


def test_overlap_between_neighbours_stays_within_the_setting(chunked):
    settings, chunks = chunked
    overlaps = [shared_text(a.text, b.text) for a, b in zip(chunks, chunks[1:]) if a.section_index == b.section_index]
    assert all(count_tokens(o) <= settings.overlap_tokens for o in overlaps)
    if settings.overlap_tokens == 0:
        assert not any(overlaps)


def test_overlap_repeats_the_previous_sentence_when_it_fits(article_doc):
    chunks = chunk_document(article_doc, ChunkSettings(128, 64))
    assert sum(bool(set(a.sentences) & set(b.sentences)) for a, b in zip(chunks, chunks[1:])) >= 5


def test_ids_are_stable_and_unique(article_doc, article_text):
    first = chunk_document(article_doc)
    again = chunk_document(parse_document(article_text, article_doc.name, article_doc.metadata))
    assert [c.id for c in first] == [c.id for c in again]
    assert len({c.id for c in first}) == len(first)
    assert all(c.id.startswith("turk-sovyet-iliskileri-milli-mucadele#") for c in first)


def test_provenance_points_into_the_source(article_doc):
    c = next(c for c in chunk_document(article_doc) if "16 Mart 1921" in c.text)
    assert c.source == article_doc.name
    assert c.section.startswith("3. Meclisin Açılışı")
    assert c.start < c.end and c.paragraphs


def test_a_very_long_sentence_is_cut_at_word_boundaries():
    words = [f"kelime{i}" for i in range(300)]
    raw = "Kısa bir giriş cümlesi. " + " ".join(words) + " bitti. Son cümle geldi. \n"
    chunks = chunk_document(parse_document(raw, "uzun.txt"), ChunkSettings(32, 8))
    assert len(chunks) > 5
    assert all(c.n_tokens <= 32 for c in chunks)
    seen = [w for c in chunks for w in c.text.split() if w.startswith("kelime")]
    assert list(dict.fromkeys(seen)) == words  # whole words, in order, none lost


def test_a_word_longer_than_a_chunk_is_cut_not_dropped():
    word = "ğüşıöç" * 40
    chunks = chunk_document(parse_document(f"Uzun {word} kelime bitti. Son cümle. \n", "x.txt"), ChunkSettings(16, 0))
    assert all(c.n_tokens <= 16 for c in chunks)
    assert word in "".join(c.text.replace(" ", "") for c in chunks)


@pytest.mark.parametrize("size, overlap", [(64, 64), (64, 100), (64, -1), (8, 0)])
def test_bad_settings_are_refused_with_a_message(size, overlap):
    with pytest.raises(RagHistoryError, match="chunk"):
        ChunkSettings(size, overlap)
