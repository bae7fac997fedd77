"""Why it refused: the one policy's decision and reason for each gate, with a hand-made model."""

from __future__ import annotations

import numpy as np
import pytest

from rag_history.abstention import ANSWERABLE_FEATURES, AbstentionPolicy, Decision, Reason, Scope, refusal_message
from rag_history.scoring import Candidates, LinearModel

from test_scoring import VECTORS, query, records
from rag_history.scoring import SentenceScorer

N = len(ANSWERABLE_FEATURES)


def model(**weights) -> LinearModel:
    """Log-odds = bias + the given weights on features centred on 0.5 (a feature at 0 pulls down)."""
    w = np.zeros(N)
    for name, value in weights.items():
        w[ANSWERABLE_FEATURES.index(name)] = value
    return LinearModel(ANSWERABLE_FEATURES, np.full(N, 0.5), np.ones(N), w, -2.0)


def x(**values) -> np.ndarray:
    out = np.ones(N)
    for name, value in values.items():
        out[ANSWERABLE_FEATURES.index(name)] = value
    out[ANSWERABLE_FEATURES.index("english")] = 0.0
    return out


@pytest.fixture(scope="module")
def scorer():
    return SentenceScorer(records(), VECTORS, VECTORS, parts={})


def test_answered_at_or_above_the_threshold(scorer):
    policy = AbstentionPolicy(model(top_probability=8.0), 0.5, scorer)
    d = policy.decide(query("Moskova Antlaşması ne zaman imzalandı?"), x(top_probability=1.0))
    assert not d.abstain and d.reason is Reason.ANSWERED and d.probability == pytest.approx(1 / (1 + np.exp(-2)))


def test_refused_below_the_threshold_for_names_missing_from_the_sources(scorer):
    policy = AbstentionPolicy(model(names_known=3.0, names_top=1.0, top_probability=1.0), 0.5, scorer)
    d = policy.decide(query("Churchill Moskova Antlaşması hakkında ne dedi?"),
                      x(names_known=0.0, names_top=0.0, names_evidence=0.0))
    assert d.abstain and d.reason is Reason.NAMES_MISSING and d.detail == "Churchill"


def test_refused_when_the_asked_for_date_is_not_offered(scorer):
    policy = AbstentionPolicy(model(slot_top=2.0, slot_evidence=2.0, top_probability=1.0), 0.5, scorer)
    d = policy.decide(query("Antlaşma görüşmeleri ne zaman başladı?"), x(slot_top=0.0, slot_evidence=0.0))
    assert d.abstain and d.reason is Reason.SLOT_MISSING and d.detail == "date"


def test_refused_for_being_far_when_no_group_pulls_it_down(scorer):
    policy = AbstentionPolicy(model(top_probability=1.0), 0.9, scorer)
    d = policy.decide(query("Moskova Antlaşması ne zaman imzalandı?"), x(top_probability=1.0))
    assert d.abstain and d.reason is Reason.FAR


def test_a_name_the_sources_have_is_never_given_as_missing(scorer):
    # The names pull the probability down, but every name is in the sources: the reason is "far".
    policy = AbstentionPolicy(model(names_top=3.0, top_probability=1.0), 0.5, scorer)
    d = policy.decide(query("Moskova Antlaşması ne zaman imzalandı?"), x(names_top=0.0, top_probability=0.0))
    assert d.abstain and d.reason is Reason.FAR


@pytest.mark.parametrize("reason, detail, language, expected", [
    (Reason.NAMES_MISSING, "Churchill", "en", "The course text does not mention Churchill"),
    (Reason.NAMES_MISSING, "Churchill", "tr", "Ders metninde «Churchill» geçmiyor"),
    (Reason.SLOT_MISSING, "date", "en", "does not say when"),
    (Reason.SLOT_MISSING, "person", "tr", "sorduğu kişiyi vermiyor"),
    (Reason.FAR, "", "en", "Nothing in the course text answers this question closely enough."),
    (Reason.NOTHING_RETRIEVED, "", "tr", "bu soruyla ilgili bir pasaj yok"),
])
def test_the_refusal_says_what_was_not_found_in_the_questions_language(reason, detail, language, expected):
    assert expected in refusal_message(Decision(True, 0.1, reason, detail), language, Scope.course(1))


def test_the_refusal_names_the_course_texts_or_the_text_it_was_limited_to():
    d = Decision(True, 0.1, Reason.SLOT_MISSING, "number")
    assert refusal_message(d, "en", Scope.course(3)).startswith("The course texts do not say how many")
    assert refusal_message(d, "en", Scope.text("Serinova Feneri")).startswith("«Serinova Feneri» does not")
    assert refusal_message(Decision(True, 0.1, Reason.FAR), "tr", Scope.text("Serinova Feneri")).startswith(
        "«Serinova Feneri» metninde")


def test_the_best_sentence_in_another_language_is_marked(scorer):
    policy = AbstentionPolicy(model(), 0.5, scorer)
    cands = Candidates([4, 0], {4: 1.0, 0: 0.5}, set())
    for question, best, expected in (("Sovyetler Ankara'ya ne gönderdi?", 0, 1.0),
                                     ("Sovyetler Ankara'ya ne gönderdi?", 1, 0.0),
                                     ("What did the Soviets send to Ankara?", 0, 0.0)):
        q = query(question)
        probabilities = np.array([0.9, 0.1]) if best == 0 else np.array([0.1, 0.9])
        x = policy.features(q, cands, scorer.features(q, cands), probabilities)
        assert x[ANSWERABLE_FEATURES.index("other_language")] == expected, question
