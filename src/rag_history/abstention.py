"""Why it refused: the one abstention policy.

The question is answered when the fitted answerability model gives it a probability of at least
`AnswerModel.threshold` (chosen by cross-validation, `scripts/calibrate.py`) of being answerable
from the evidence; otherwise it is refused. The evidence is read as features
(`ANSWERABLE_FEATURES`): how likely the best sentence answers and how far ahead of the next it is,
how close it is by each model, whether the question's names are in the best sentences and in the
sources at all, whether what it asks for (a date, a number, a person, a place) is offered, whether
its asked-for noun is there, how many of its words the sources know, and whether the best
sentence is in the question's language. No single word vetoes an
answer: a name the sources lack only lowers the probability. The reason given is the feature group
that pulled the probability down most, with what it found missing.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

import numpy as np

from .retrieval import Query
from .scoring import Candidates, LinearModel, SentenceScorer, TreeModel

ANSWERABLE_FEATURES = (
    "top_probability", "margin", "dense_max", "term_max", "names_top", "names_evidence", "names_known",
    "names_unmatched", "names_count", "slot_asked", "slot_top", "slot_evidence", "slot_on_topic",
    "slot_on_topic_tr", "focus_found", "coverage_top", "aspect_top", "aspect_top_tr", "aspect_best", "english",
    "follow_up", "words_known", "words_known_tr", "other_language",
)
SLOTS = ("date", "number", "person", "place", "name")
ON_TOPIC = 10  # the best-scored sentences in which a sentence offering the asked slot is looked for


class Reason(Enum):
    """Why an answer was refused (or `ANSWERED`)."""

    ANSWERED = "answered"
    NOTHING_RETRIEVED = "none"  # no passage at all
    NAMES_MISSING = "names"  # what the question names is not in the evidence
    SLOT_MISSING = "slot"  # the date, number, person or place asked for is not given
    FAR = "far"  # nothing close enough


@dataclass(frozen=True)
class Decision:
    abstain: bool
    probability: float  # that the question is answerable from the evidence
    reason: Reason
    detail: str = ""  # the missing names, or the kind of slot
    explanation: str = ""  # for the record: the figures behind the decision


class AbstentionPolicy:
    """Answer, or refuse with a reason: one threshold on one fitted probability."""

    def __init__(self, model: LinearModel | TreeModel, threshold: float, scorer: SentenceScorer,
                 evidence_sentences: int = 5):
        self.evidence_sentences = evidence_sentences  # AnswerSettings.evidence_sentences
        self.model = model
        self.threshold = threshold
        self.scorer = scorer
        # The word starts of every sentence of each text (None: of all), for "is this name in the
        # sources at all?"; computed once per text.
        self._known: dict[str | None, frozenset[str]] = {}

    def features(self, query: Query, candidates: Candidates, sentence_features: np.ndarray,
                 probabilities: np.ndarray) -> np.ndarray:
        from .scoring import SENTENCE_FEATURES

        q = query.question
        order = np.argsort(-probabilities)
        top = order[0]
        column = {f: i for i, f in enumerate(SENTENCE_FEATURES)}
        best = self.scorer.evidence([candidates.positions[i] for i in order[:self.evidence_sentences]])
        asked = [k for k in SLOTS if k in q.asks_for]
        offered = [self._offers(sentence_features[i], column, asked) for i in order[:self.evidence_sentences]]
        focus = [w for w in q.focus if w not in q.names]
        x = {
            "top_probability": float(probabilities[top]),
            "margin": float(probabilities[top] - (probabilities[order[1]] if len(order) > 1 else 0.0)),
            "dense_max": float(sentence_features[:, column["dense"]].max()),
            "term_max": float(sentence_features[:, column["term"]].max()),
            "names_top": float(sentence_features[top, column["names_near"]]),
            "names_evidence": self.scorer.name_share(query, best),
            "names_known": self.scorer.name_share(query, self._sources(query)),
            # A name that neither spelling nor the term model relates to anything of the sources
            # ("Churchill"), as against one they only spell differently ("Gyumri" / "Gümrü").
            "names_unmatched": float(any(all((query.term(w) is None or not query.term(w).related)
                                             and not self.scorer.present(query, w, self._sources(query)) for w in g)
                                         for g in q.aliases if not g[0].isdigit())),
            "names_count": min(len(q.aliases), 3) / 3,
            "slot_asked": float(bool(asked)),
            "slot_top": float(offered[0]) if asked else 1.0,
            "slot_evidence": float(any(offered)) if asked else 1.0,
            # How much of the question a sentence that offers the slot covers: "Sivas Kongresi" with
            # the date it opened, for "when did it end?", covers less than the sentence that answers.
            "slot_on_topic": max((float(sentence_features[i, column["aspect_near"]]) for i in order[:ON_TOPIC]
                                  if self._offers(sentence_features[i], column, asked)), default=0.0) if asked else 1.0,
            "slot_on_topic_tr": 0.0,
            "focus_found": (sum(self.scorer.present(query, w, best) for w in focus) / len(focus)) if focus else 1.0,
            "coverage_top": float(sentence_features[top, column["coverage"]]),
            "aspect_top": float(sentence_features[top, column["aspect_near"]]),
            # The same for Turkish questions alone: their words are matched as written, where an
            # English question's go through the term model and match less.
            "aspect_top_tr": float(sentence_features[top, column["aspect_near"]]) if q.language == "tr" else 0.0,
            "aspect_best": float(max(sentence_features[i, column["aspect_near"]] for i in order[:self.evidence_sentences])),
            "english": float(q.language == "en"),
            "follow_up": float(bool(q.about)),
            # How much of the question the sources know at all, in any sentence: "fotosentez" is
            # in none, which no name feature sees (it is no name) and a similarity hardly shows.
            "words_known": (sum(self.scorer.present(query, w, self._sources(query)) for w in q.words) / len(q.words))
            if q.words else 1.0,
            "words_known_tr": 0.0,
            # The best sentence is in another language than the question (a Turkish question on an
            # English reading): its probabilities are lower for answerable and unanswerable alike.
            "other_language": float(self.scorer.sentences[candidates.positions[top]].language != q.language),
        }
        x["slot_on_topic_tr"] = x["slot_on_topic"] if q.language == "tr" else 0.0
        x["words_known_tr"] = x["words_known"] if q.language == "tr" else 0.0
        return np.asarray([x[f] for f in ANSWERABLE_FEATURES], dtype=np.float64)

    def decide(self, query: Query, x: np.ndarray) -> Decision:
        p = float(self.model.probability(x)[0])
        values = dict(zip(ANSWERABLE_FEATURES, x.tolist()))
        explanation = f"answerable probability {p:.2f} (threshold {self.threshold:.2f})"
        if p >= self.threshold:
            return Decision(False, p, Reason.ANSWERED, "", explanation)
        pull = self.model.contributions(x)
        groups = {
            Reason.NAMES_MISSING: pull["names_top"] + pull["names_evidence"] + pull["names_known"]
            + pull["names_unmatched"],
            Reason.SLOT_MISSING: pull["slot_top"] + pull["slot_evidence"] + pull["slot_on_topic"]
            + pull["slot_on_topic_tr"] if values["slot_asked"] else 0.0,
        }
        reason, weight = min(groups.items(), key=lambda kv: kv[1])
        if weight >= 0:
            return Decision(True, p, Reason.FAR, "", explanation)
        if reason is Reason.NAMES_MISSING:
            missing = [g[0] for g in query.question.aliases if not any(
                self.scorer.present(query, w, self._sources(query)) for w in g)]
            if not missing:
                return Decision(True, p, Reason.FAR, "", explanation)
            return Decision(True, p, reason, ", ".join(missing), explanation)
        return Decision(True, p, reason, next(k for k in SLOTS if k in query.question.asks_for), explanation)

    def _sources(self, query: Query) -> frozenset[str]:
        """The word starts of the text the question is limited to, or of all texts."""
        key = query.question.source
        if key not in self._known:
            self._known[key] = self.scorer.evidence(
                [i for i, s in enumerate(self.scorer.sentences) if key is None or s.source == key])
        return self._known[key]

    @staticmethod
    def _offers(row: np.ndarray, column: dict[str, int], asked: list[str]) -> bool:
        return any(row[column[f"{k}_offered"]] > 0 for k in asked)


@dataclass(frozen=True)
class Scope:
    """What a refusal speaks of, as each language needs it."""

    en: str  # "the course text", "the course texts", "«Serinova Feneri»"
    tr: str  # "ders metni", "ders metinleri", "«Serinova Feneri»"
    tr_in: str  # "ders metninde", "ders metinlerinde", "«Serinova Feneri» metninde"
    plural: bool = False

    @classmethod
    def course(cls, texts: int) -> "Scope":
        if texts > 1:
            return cls("the course texts", "ders metinleri", "ders metinlerinde", True)
        return cls("the course text", "ders metni", "ders metninde")

    @classmethod
    def text(cls, title: str) -> "Scope":
        return cls(f"«{title}»", f"«{title}»", f"«{title}» metninde")


_SLOT_WORDS = {"en": {"date": "when", "number": "how many", "person": "who", "place": "where", "name": "the name"},
               "tr": {"date": "tarihi", "number": "sayıyı", "person": "kişiyi", "place": "yeri", "name": "adı"}}
# Each reason's message in each language. {Subject} and {Where} open a sentence; {verb} agrees
# with the scope (one text or the course); {detail} is what was not found.
_REFUSALS = {
    "tr": {Reason.NAMES_MISSING: "{Where} «{detail}» geçmiyor; bu soruyu yanıtlayan bir cümle bulunamadı.",
           Reason.SLOT_MISSING: "{Subject} bu sorunun sorduğu {slot} vermiyor.",
           Reason.NOTHING_RETRIEVED: "{Where} bu soruyla ilgili bir pasaj yok.",
           Reason.FAR: "{Where} bu soruyu yanıtlayacak kadar yakın bir cümle bulunamadı."},
    "en": {Reason.NAMES_MISSING: "{Subject} {verb} not mention {detail}; no sentence there answers this question.",
           Reason.SLOT_MISSING: "{Subject} {verb} not say {slot}, as this question asks.",
           Reason.NOTHING_RETRIEVED: "{Subject} {verb} not have a passage on this question.",
           Reason.FAR: "Nothing in {subject} answers this question closely enough."},
}


def refusal_message(decision: Decision, language: str, scope: Scope) -> str:
    """Why there is no answer, in the question's language: what was not found, where. Never
    "no information" for a question that could not be asked: those never reach the policy."""
    language = "tr" if language == "tr" else "en"
    subject, where = (scope.tr, scope.tr_in) if language == "tr" else (scope.en, scope.en)
    template = _REFUSALS[language].get(decision.reason, _REFUSALS[language][Reason.FAR])
    return template.format(subject=subject, Subject=subject[:1].upper() + subject[1:],
                           Where=where[:1].upper() + where[1:], verb="do" if scope.plural else "does",
                           detail=decision.detail, slot=_SLOT_WORDS[language].get(decision.detail, ""))
