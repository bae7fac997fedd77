"""Every number that moves a score, in one tree, each with its reason. Defaults are written here
once; a component takes its branch in `__init__` (`Retriever(..., settings.retrieval)`).

What is fitted rather than chosen (the sentence and answerability weights, the abstention
threshold, the neighbour share) lives in the answer model file that `scripts/calibrate.py`
writes (`AnswerSettings.model_file`), with the figures it was chosen by.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

MODEL_FILE = Path(__file__).parent / "data" / "answer_model.json"


@dataclass(frozen=True)
class RetrievalSettings:
    # Reciprocal rank fusion's damping: 60 is the value of Cormack et al. (2009); smaller ones
    # let one ranking's first place outweigh agreement between rankings.
    rrf_k: int = 60
    # BM25's weight in the fusion when the question is in a source's own language, and when it
    # reaches the source only through mapped words (which miss more): development sets, eval/README.md.
    lexical_weight_same_language: float = 1.0
    lexical_weight_other_language: float = 0.7
    # Passages each ranking contributes: past this they are passages no ranking put near the top.
    dense_candidates: int = 100
    # A passage is also as good as its best sentence, which a long passage dilutes.
    sentence_weight: float = 0.5


@dataclass(frozen=True)
class TermSettings:
    # Question words mapped onto the sources' vocabulary by the term model (USE-m). True
    # translations of names and nouns score 0.68-0.93, unrelated nearest words 0.40-0.65.
    embedding_match: float = 0.68
    # Looser, for "does the evidence speak of this at all" ("Assembly" ~ "Meclis" 0.67); names the
    # sources never mention stay below (Enver 0.59, Radek 0.53, Lausanne 0.45).
    related_match: float = 0.62
    # Near-identical spelling bridges names across languages ("Batumi" ~ "Batum").
    spelling_match: float = 0.72
    # Consonants a name's transliteration key must keep to match another name by it ("Ekber" ~
    # "Akbar": k-b-r); with two, unrelated names would meet ("Kars" ~ "Kurs").
    transliteration_consonants: int = 3


@dataclass(frozen=True)
class SpellingSettings:
    # A word is a name when at least this share of its uses inside sentences is capitalized
    # ("Heyet-i Temsiliye" does not make "heyet" one).
    name_share: float = 0.8
    # Letters a word of the sources must have to lend its spelling to a longer typed word
    # ("mucadeleye" from "mücadele"; "imza" would turn too many words).
    min_stem: int = 5


@dataclass(frozen=True)
class AnswerSettings:
    # Retrieved passages whose sentences (and their neighbours) are candidates: the answer is in
    # the first five for 0.97-1.00 of the development questions; six leaves room for a follow-up.
    passages_considered: int = 6
    # An answer never grows past this, however close its neighbours score.
    max_sentences: int = 3
    # The best-scored sentences in which the abstention policy looks for the question's names
    # and for what it asks for.
    evidence_sentences: int = 5
    # A neighbour that is not there (a paragraph's first or last sentence) counts as this far
    # behind the best candidate: about the gap of an unrelated sentence.
    no_neighbour_gap: float = -0.25
    model_file: Path = MODEL_FILE


@dataclass(frozen=True)
class IndexSettings:
    # Above this many passages exact search gives way to HNSW (benchmarks/RESULTS.md, ann.py sweep
    # on 100k passages): exact search costs ~0.17 ms per 1,000 passages a query, HNSW under 1 ms.
    ann_threshold: int = 20_000
    hnsw_m: int = 32
    hnsw_ef_construction: int = 80
    # The candidate list: it must exceed the 100 neighbours asked for to matter; 160 gives
    # recall@10 0.997 and recall@100 0.986 against exact search at 0.46 ms.
    hnsw_ef_search: int = 160


@dataclass(frozen=True)
class Tuning:
    """The tree: every branch a component is configured with."""

    retrieval: RetrievalSettings = field(default_factory=RetrievalSettings)
    terms: TermSettings = field(default_factory=TermSettings)
    spelling: SpellingSettings = field(default_factory=SpellingSettings)
    answer: AnswerSettings = field(default_factory=AnswerSettings)
    index: IndexSettings = field(default_factory=IndexSettings)
