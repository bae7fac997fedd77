"""Hybrid retrieval: dense FAISS search, BM25 and best-sentence similarity, fused by weighted
reciprocal rank fusion.

BM25 helps Turkish questions (same words as the article). An English question reaches BM25
through its terms mapped onto the article's vocabulary (termmap.py), which misses more, so its
lexical weight is lower. Weights chosen on the project's and the course's development sets
(eval/README.md).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import numpy as np

from .chunking import Chunk
from .index import LoadedIndex, sentence_positions
from .lexical import BM25Index, tokenizer_for
from .question import Question
from .settings import RetrievalSettings, TermSettings
from .termmap import TermMapper, TermMatch, languages_of



@dataclass(frozen=True)
class Passage:
    """A retrieved chunk with its scores."""

    chunk: Chunk
    score: float  # fused
    dense: float  # cosine similarity to the question
    lexical: float  # BM25

    def to_dict(self) -> dict:
        c = self.chunk
        return {"id": c.id, "source": c.source, "title": c.title, "section": c.section,
                "text": c.text, "start": c.start, "end": c.end, "score": round(self.score, 6),
                "dense": round(self.dense, 6), "lexical": round(self.lexical, 6)}


@dataclass(frozen=True)
class Query:
    """A question as the index sees it: its vector, its BM25 tokens, its words mapped onto the sources'."""

    question: Question
    vector: np.ndarray
    tokens: tuple[str, ...]  # BM25 tokens in the sources' terms (Turkish-stemmed)
    terms: tuple[TermMatch, ...]  # the question's content words mapped onto the sources' vocabulary
    term_vector: np.ndarray  # the question by the term model (its second opinion on sentences)

    @property
    def text(self) -> str:
        return self.question.text

    @property
    def language(self) -> str:
        return self.question.language

    def term(self, word: str) -> TermMatch | None:
        return next((m for m in self.terms if m.term == word), None)


def rrf(rankings: list[tuple[np.ndarray, float]], size: int, k: int) -> np.ndarray:
    """Weighted reciprocal rank fusion: sum of weight / (k + rank) over rankings (rank from 1)."""
    fused = np.zeros(size, dtype=np.float64)
    for order, weight in rankings:
        if weight:
            fused[order] += weight / (k + np.arange(1, len(order) + 1))
    return fused


class Retriever:
    def __init__(self, index: LoadedIndex, encoders, settings: RetrievalSettings = RetrievalSettings(),
                 terms: TermSettings = TermSettings()):
        self.index = index
        self.encoders = encoders
        self.settings = settings
        self.chunks = index.chunks
        position = sentence_positions(index.sentences)
        # Each passage in its own language's words (a section's language: an English abstract of
        # a Turkish article is English); a question is tokenized for every language there is.
        self.chunk_languages = [next((index.sentences[position[c.source, j]].language for j in c.sentences
                                      if (c.source, j) in position), "tr") for c in self.chunks]
        self.languages = sorted(set(self.chunk_languages)) or ["tr"]
        self.bm25 = BM25Index([c.search_text for c in self.chunks], [tokenizer_for(lang) for lang in self.chunk_languages])
        self._passages_in = Counter(self.chunk_languages)  # per language, for lexical_weight
        # Each passage's sentence positions, flat: passage i's are _sentence_ids[_sentence_start[i]:][:_sentence_count[i]].
        sentences_of = [[position[(c.source, j)] for j in c.sentences if (c.source, j) in position] for c in self.chunks]
        self._sentence_count = np.array([len(s) for s in sentences_of], dtype=np.int64)
        self._sentence_start = np.cumsum(self._sentence_count) - self._sentence_count
        self._sentence_ids = np.array([i for s in sentences_of for i in s], dtype=np.int64)
        written = languages_of((s.text, s.language) for s in index.sentences)  # one pass over the words
        self.terms = TermMapper(index.vocabulary, index.vocab_vectors, encoders.terms,
                                {w for w in written if w.isdigit()}, terms, written)
        self._source_ids = {name: i for i, name in enumerate(dict.fromkeys(c.source for c in self.chunks))}
        self._source_of = np.array([self._source_ids[c.source] for c in self.chunks], dtype=np.int64)

    def lexical_weight(self, language: str) -> float:
        """BM25's weight: full when most passages are in the question's language, lower when the
        question reaches them through words mapped from another language."""
        same = self._passages_in[language] >= len(self.chunk_languages) / 2
        return self.settings.lexical_weight_same_language if same else self.settings.lexical_weight_other_language

    def _only(self, source: str | None):
        """FAISS search parameters that keep to one text's passages (built in one run, so one id range)."""
        if source is None:
            return None
        import faiss

        ids = np.flatnonzero(self._source_of == self._source_ids.get(source, -1))
        if not len(ids):
            return None
        selector = faiss.IDSelectorRange(int(ids[0]), int(ids[-1]) + 1)
        params = faiss.SearchParametersHNSW() if hasattr(self.index.faiss_index, "hnsw") else faiss.SearchParameters()
        params.sel = selector
        return params

    def query(self, question: Question) -> Query:
        words = list(question.words)
        vector = self.encoders.dense.encode_queries([question.text])[0]
        # One term-model call for the question and its words: the per-call overhead dominates.
        vectors = self.encoders.terms.encode_queries([question.text, *words])
        terms = tuple(self.terms.match(words, question.language, vectors=vectors[1:]))
        tokens = [t for lang in self.languages for t in tokenizer_for(lang)(question.text)]
        if set(self.languages) - {question.language}:
            # Search with the sources' own words for what the question names in another language.
            tokens += [t for m in terms for w in (m.words[:3] if m.how != "exact" else m.translations)
                       for lang in self.languages for t in tokenizer_for(lang)(w)]
        return Query(question, vector, tuple(dict.fromkeys(tokens)), terms, vectors[0])

    def _best_sentence(self, passages: np.ndarray, vector: np.ndarray) -> np.ndarray:
        """Each passage's best sentence similarity (-1 for one without sentences), in one product
        over all their sentences: a loop over a large corpus's ~200 candidates cost 4 ms a query."""
        counts = self._sentence_count[passages]
        best = np.full(len(passages), -1.0)
        if not counts.sum():
            return best
        # The flat positions of every candidate's sentences, in candidate order.
        offsets = np.cumsum(counts) - counts  # where each candidate's sentences start among them
        within = np.arange(counts.sum()) - np.repeat(offsets, counts)
        sims = self.index.sentence_vectors[self._sentence_ids[np.repeat(self._sentence_start[passages], counts) + within]] @ vector
        some = counts > 0
        best[some] = np.maximum.reduceat(sims, offsets[some])
        return best

    def search(self, query: Query, k: int = 5) -> list[Passage]:
        """The k best passages, of the text the question is limited to if it is."""
        n = len(self.chunks)
        if n == 0:
            return []
        source = query.question.source
        s = self.settings
        depth = min(n, max(s.dense_candidates, k))
        sims, ids = self.index.faiss_index.search(query.vector[None, :], depth, params=self._only(source))
        ids, sims = ids[0], sims[0]
        keep = ids >= 0
        dense_order, dense_sims = ids[keep], sims[keep]
        dense = np.full(n, -1.0, dtype=np.float32)
        dense[dense_order] = dense_sims
        lexical = self.bm25.scores(query.tokens)
        rankings = [(dense_order, 1.0)]
        lex_order = np.zeros(0, dtype=np.int64)
        if lexical.any():
            hits = np.flatnonzero(lexical)
            if len(hits) > depth:  # only the best `depth` need ordering, not every passage with a hit
                hits = hits[np.argpartition(-lexical[hits], depth - 1)[:depth]]
            lex_order = hits[np.argsort(-lexical[hits], kind="stable")]
            rankings.append((lex_order, self.lexical_weight(query.language)))
        # Only passages some ranking found, in index order (as ties fall): at most 2 × depth of
        # them, so nothing below scans every passage of a large corpus.
        candidates = np.union1d(dense_order, lex_order)
        if s.sentence_weight:
            # A passage is also as good as its best sentence, which a long passage dilutes.
            best = self._best_sentence(candidates, query.vector)
            rankings.append((candidates[np.argsort(-best, kind="stable")], s.sentence_weight))
        fused = rrf(rankings, n, s.rrf_k)
        if source is not None:
            candidates = candidates[self._source_of[candidates] == self._source_ids.get(source, -1)]
        candidates = candidates[fused[candidates] > 0]  # a ranking of weight 0 found nothing
        top = candidates[np.argsort(-fused[candidates], kind="stable")][:k]
        return [Passage(self.chunks[i], float(fused[i]), float(dense[i]), float(lexical[i])) for i in top]
