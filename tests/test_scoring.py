"""How a sentence is scored: each feature of scoring.SENTENCE_FEATURES responds to what it
measures, on a tiny hand-made index (no model, no files)."""

from __future__ import annotations

import numpy as np
import pytest

from rag_history.citations import Citation, Reference
from rag_history.index import SentenceRecord
from rag_history.reading import QuestionReader
from rag_history.retrieval import Query
from rag_history.scoring import SENTENCE_FEATURES, Candidates, LinearModel, SentenceScorer, TreeModel, model_from_dict
from rag_history.termmap import TermMatch

TEXTS = [
    # paragraph 0
    "Moskova Antlaşması görüşmeleri uzun sürdü.",
    "Nihayet 16 Mart 1921'de Moskova Antlaşması imzalanmıştır.",
    "Antlaşma iki ülke arasında dostluğu pekiştirdi.",
    # paragraph 1
    "Sovyetler Ankara'ya 10000 tüfek gönderdi çünkü Batı'ya karşı bir müttefik istiyorlardı.",
    # paragraph 2 (English)
    "The Soviet government sent gold to Ankara in 1921 (Sofuoğlu, 2005).",
    # paragraph 3: the source asks
    "Sovyetler Ankara'ya neden altın gönderdi?",
]
PARAGRAPHS = [0, 0, 0, 1, 2, 3]
LANGUAGES = ["tr", "tr", "tr", "tr", "en", "tr"]


def records() -> list[SentenceRecord]:
    out, start = [], 0
    for i, (text, p, lang) in enumerate(zip(TEXTS, PARAGRAPHS, LANGUAGES)):
        citation = Citation("(Sofuoğlu, 2005)", ("Sofuoğlu",), "2005", "") if "Sofuoğlu" in text else None
        section = "Abstract" if lang == "en" else "1. Giriş"
        at = text.find("(Sofuoğlu, 2005)")
        refs = (Reference(citation.raw, at, at + len(citation.raw), (citation,)),) if citation else ()
        out.append(SentenceRecord("a.txt", i, text, start, start + len(text), p, section, lang, refs,
                                  (citation,) if citation else (), "own" if citation else "author"))
        start += len(text) + 1
    return out


# Vectors: sentence i is the i-th unit vector, so a question vector picks the sentences it is close to.
VECTORS = np.eye(len(TEXTS), 8, dtype=np.float32)


@pytest.fixture(scope="module")
def scorer() -> SentenceScorer:
    return SentenceScorer(records(), VECTORS, VECTORS, parts={4: "abstract"})


def query(text: str, near: dict[int, float] | None = None) -> Query:
    q = QuestionReader().read(text)
    vector = np.zeros(8, dtype=np.float32)
    for i, w in (near or {}).items():
        vector[i] = w
    terms = tuple(TermMatch(w, (w,), 1.0, "exact", (w,)) for w in q.words)
    return Query(q, vector, (), terms, vector)


def features(scorer, q: Query, positions=(0, 1, 2, 3, 4), prior=None) -> dict[int, dict[str, float]]:
    cands = Candidates(list(positions), prior or {p: 1.0 for p in positions}, set())
    x = scorer.features(q, cands)
    return {p: dict(zip(SENTENCE_FEATURES, row)) for p, row in zip(positions, x)}


def test_every_feature_is_computed_in_order(scorer):
    f = features(scorer, query("Moskova Antlaşması ne zaman imzalandı?", {1: 0.9}))
    assert list(f[1]) == list(SENTENCE_FEATURES)


def test_dense_and_term_similarity_and_their_gaps(scorer):
    f = features(scorer, query("Moskova Antlaşması ne zaman imzalandı?", {1: 0.9, 0: 0.5}))
    assert f[1]["dense"] == pytest.approx(0.9) and f[1]["dense_gap"] == pytest.approx(0.0)
    assert f[0]["dense_gap"] == pytest.approx(-0.4) and f[0]["term_gap"] == pytest.approx(-0.4)


def test_coverage_counts_the_question_terms_a_sentence_holds(scorer):
    f = features(scorer, query("Sovyetler Ankara'ya kaç tüfek gönderdi?"))
    assert f[3]["coverage"] > f[0]["coverage"]
    assert f[2]["coverage_near"] >= f[2]["coverage"]  # its neighbours count too


def test_names_are_looked_for_in_the_sentence_and_beside_it(scorer):
    f = features(scorer, query("Moskova Antlaşması ne zaman imzalandı?"))
    assert f[1]["names"] == 1.0 and f[3]["names"] < 1.0
    assert f[2]["names_near"] == 1.0  # "Moskova" is in the sentence before


def test_a_date_asked_for_is_offered_or_missing(scorer):
    f = features(scorer, query("Moskova Antlaşması ne zaman imzalandı?"))
    assert f[1]["date_offered"] == 1.0 and f[1]["date_missing"] == 0.0
    assert f[0]["date_offered"] == 0.0 and f[0]["date_missing"] == 1.0
    f = features(scorer, query("Moskova Antlaşması neyi pekiştirdi?"))
    assert f[1]["date_offered"] == f[1]["date_missing"] == 0.0  # not asked


def test_a_number_asked_for(scorer):
    f = features(scorer, query("Sovyetler kaç tüfek gönderdi?"))
    assert f[3]["number_offered"] == 1.0 and f[1]["number_missing"] == 1.0  # a year is not a quantity


def test_person_and_place_offered(scorer):
    f = features(scorer, query("Who sent gold to Ankara?"))
    assert f[4]["person_offered"] == 0.0  # "Soviet" is not a person's name
    f = features(scorer, query("Sovyetler tüfekleri nereye gönderdi?"))
    assert f[3]["place_offered"] == 1.0 and f[0]["place_offered"] == 0.0


def test_a_why_question_looks_for_a_reason(scorer):
    f = features(scorer, query("Sovyetler neden tüfek gönderdi?"))
    assert f[3]["reason_cue"] == 1.0 and f[1]["reason_cue"] == 0.0
    f = features(scorer, query("Sovyetler kaç tüfek gönderdi?"))
    assert f[3]["reason_cue"] == 0.0  # not asked


def test_consequence_and_manner_cues():
    from rag_history.scoring import CUES

    assert CUES["consequence"].search("Böylece Türkiye güçlü kılmıştır.")
    assert CUES["consequence"].search("This led to the treaty.")
    assert CUES["manner"].search("Yardım Batum yoluyla ulaştı.") and CUES["manner"].search("by sending gold")


def test_neighbours_closeness(scorer):
    f = features(scorer, query("x", {0: 0.9, 1: 0.5}))
    assert f[1]["prev_gap"] == pytest.approx(0.0)  # the sentence before it is the best one
    assert f[0]["prev_gap"] == pytest.approx(scorer.no_neighbour_gap)  # first of its paragraph
    assert f[2]["next_gap"] == pytest.approx(scorer.no_neighbour_gap)


def test_where_a_sentence_stands(scorer):
    cands = Candidates([0, 1, 4], {0: 1.0, 1: 0.5}, {4})
    x = dict(zip([0, 1, 4], (dict(zip(SENTENCE_FEATURES, r)) for r in scorer.features(query("x"), cands))))
    assert x[0]["passage_prior"] == 1.0 and x[1]["passage_prior"] == 0.5 and x[4]["passage_prior"] == 0.0
    assert x[4]["neighbour_only"] == 1.0 and x[0]["neighbour_only"] == 0.0


def test_the_part_a_question_names_and_abstracts(scorer):
    f = features(scorer, query("Özete göre Sovyetler ne gönderdi?"))
    assert f[4]["in_part"] == 1.0 and f[0]["in_part"] == 0.0 and f[4]["abstract"] == 0.0
    f = features(scorer, query("Sovyetler ne gönderdi?"))
    assert f[4]["abstract"] == 1.0 and f[4]["in_part"] == 0.0


def test_language_length_author_and_echo(scorer):
    f = features(scorer, query("According to Sofuoğlu, what did the Soviet government send?"))
    assert f[4]["same_language"] == 1.0 and f[0]["same_language"] == 0.0
    assert f[4]["cited_author"] == 1.0 and f[3]["cited_author"] == 0.0
    assert f[3]["length"] > f[0]["length"]
    f = features(scorer, query("Moskova Antlaşması görüşmeleri uzun sürdü mü?"))
    assert f[0]["echo"] > f[3]["echo"]  # the restating sentence echoes the question


def test_a_question_of_the_source_is_marked():
    f = features(scorer=SentenceScorer(records(), VECTORS, VECTORS, parts={}),
                 q=query("Sovyetler Ankara'ya neden altın gönderdi?"), positions=(3, 4, 5))
    assert f[5]["asks"] == 1.0 and f[3]["asks"] == 0.0 and f[4]["asks"] == 0.0


def test_a_linear_model_is_a_logistic_regression_over_standardized_features():
    model = LinearModel(("a", "b"), np.array([1.0, 0.0]), np.array([2.0, 1.0]), np.array([1.0, -1.0]), 0.5)
    x = np.array([3.0, 1.0])
    z = (3 - 1) / 2 * 1 - 1 + 0.5
    assert model.probability(x)[0] == pytest.approx(1 / (1 + np.exp(-z)))
    assert model.contributions(x) == pytest.approx({"a": 1.0, "b": -1.0})
    assert LinearModel.from_dict(model.to_dict()).probability(x) == pytest.approx(model.probability(x))


def _stump_and_tree() -> TreeModel:
    """Two trees by hand: a stump on "a" at 0.5, and a depth-2 tree on "b" then "a"."""
    i = lambda *v: np.array(v, dtype=np.int64)
    f = lambda *v: np.array(v, dtype=np.float64)
    stump = (i(0, -1, -1), f(0.5, 0, 0), i(1, -1, -1), i(2, -1, -1), f(0.0, -1.0, 1.0))
    deep = (i(1, -1, 0, -1, -1), f(0.0, 0, 2.0, 0, 0), i(1, -1, 3, -1, -1), i(2, -1, 4, -1, -1),
            f(0.2, -0.5, 0.6, 0.4, 2.0))
    return TreeModel(("a", "b"), (stump, deep), 0.5, 0.1)


def test_a_tree_model_adds_the_leaves_it_reaches():
    model = _stump_and_tree()
    x = np.array([[0.0, 1.0], [3.0, 1.0], [3.0, -1.0]])
    # row 0: stump left (-1), deep: b > 0, a <= 2 -> 0.4; row 1: +1, a > 2 -> 2.0; row 2: +1, b <= 0 -> -0.5
    z = 0.1 + 0.5 * np.array([-1 + 0.4, 1 + 2.0, 1 - 0.5])
    assert model.probability(x) == pytest.approx(1 / (1 + np.exp(-z)))
    assert model_from_dict(model.to_dict()).probability(x) == pytest.approx(model.probability(x))
    assert model_from_dict(LinearModel(("a",), np.zeros(1), np.ones(1), np.ones(1), 0.0).to_dict()).bias == 0.0


def test_a_tree_models_contributions_add_up_to_its_log_odds():
    model = _stump_and_tree()
    x = np.array([3.0, 1.0])
    c = model.contributions(x)
    # the stump's split on a: +1 - 0; the deep tree: b sends it from 0.2 to 0.6, a from 0.6 to 2.0
    assert c == pytest.approx({"a": 0.5 * (1.0 + 1.4), "b": 0.5 * 0.4})
    roots = 0.5 * (0.0 + 0.2)
    p = model.probability(x)[0]
    assert np.log(p / (1 - p)) == pytest.approx(model.bias + roots + sum(c.values()))
