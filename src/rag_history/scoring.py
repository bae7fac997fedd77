"""How a sentence is scored: the features of a candidate answer sentence, and the fitted model
that turns them into the probability that it answers the question.

Every candidate sentence gets the same features (`SENTENCE_FEATURES`): how close it is to the
question by each model, alone and against the best candidate; how much of the question's
terms and names it covers (mapped across languages); whether it offers what the question asks
for (a date, a number, a person, a place, a reason, a consequence, a manner); how close its
neighbours are (the answer often follows the sentence that restates the question); where it
stands (retrieved passage rank, the part of the text the question names, an abstract, its
language); whether it cites an author the question names. The weights are not set by hand:
`scripts/calibrate.py` fits a logistic regression (or boosted trees) on labelled questions (grouped
cross-validation) and writes `data/answer_model.json`, which this module only reads.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path

import numpy as np

from .citations import strip_citations
from .errors import RagHistoryError
from .index import SentenceRecord
from .lexical import ENGLISH_STOPWORDS, fold, split_words, tokenizer_for
from .question import Question
from .reading import SENTENCE_OFFERS, offers
from .retrieval import Query
from .settings import MODEL_FILE, AnswerSettings


SENTENCE_FEATURES = (
    "dense", "dense_gap", "term", "term_gap", "coverage", "coverage_near", "aspect", "aspect_near", "names",
    "names_near", "date_offered", "date_missing", "number_offered", "number_missing", "person_offered",
    "place_offered", "name_offered",
    "reason_cue", "consequence_cue", "manner_cue", "prev_gap", "next_gap", "passage_prior", "neighbour_only",
    "in_part", "abstract", "same_language", "length", "cited_author", "echo", "asks",
)

# How a sentence explains, in the languages of the sources.
CUES = {
    "reason": re.compile(SENTENCE_OFFERS["reason"].pattern + r"|\b(because|since|due to|owing to|in order to|so as to|"
                         r"aim(?:ed)? (?:at|to)|sought|wanted|intended|needed|need for|interest in|for fear)\b", re.I),
    "consequence": re.compile(SENTENCE_OFFERS["consequence"].pattern + r"|\b(as a result|result(?:ed)? in|led to|"
                              r"thus|therefore|consequently|so that|hence|ended|brought about|caused)\b", re.I),
    "manner": re.compile(r"(yoluyla|vasıtasıyla|aracılığıyla|şeklinde|suretiyle|ederek|yaparak|göndererek|"
                         r"sağlayarak|\bby (?:means of|sending|providing|\w+ing)\b|\bthrough\b|\bvia\b)", re.I),
}
_PERSON_EN = re.compile(r"\b[A-Z][a-z]+(?:\s+(?:[A-Z]\.\s*)?[A-Z][a-z]+)+\b")
_CAPITALIZED = re.compile(r"(?<=\s)[A-ZÇĞİÖŞÜ][\w-]+")
_PLACE_EN = re.compile(r"\b(?:in|at|to|from|near)\s+(?:the\s+)?[A-Z][a-z]+")


@dataclass(frozen=True)
class LinearModel:
    """A logistic regression over named features, standardized as when it was fitted."""

    features: tuple[str, ...]
    mean: np.ndarray
    scale: np.ndarray
    weights: np.ndarray
    bias: float

    def probability(self, x: np.ndarray) -> np.ndarray:
        z = ((np.atleast_2d(x) - self.mean) / self.scale) @ self.weights + self.bias
        return 1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))

    def contributions(self, x: np.ndarray) -> dict[str, float]:
        """Each feature's share of the log-odds, against an average question."""
        return dict(zip(self.features, (((np.asarray(x) - self.mean) / self.scale) * self.weights).tolist()))

    def to_dict(self) -> dict:
        return {"features": list(self.features), "mean": self.mean.tolist(), "scale": self.scale.tolist(),
                "weights": self.weights.tolist(), "bias": self.bias}

    @classmethod
    def from_dict(cls, d: dict) -> "LinearModel":
        return cls(tuple(d["features"]), np.asarray(d["mean"], dtype=np.float64), np.asarray(d["scale"], np.float64),
                   np.asarray(d["weights"], dtype=np.float64), float(d["bias"]))


@dataclass(frozen=True)
class TreeModel:
    """Boosted regression trees over named features (scikit-learn's GradientBoostingClassifier,
    read from its fitted trees), for where features act together: a date offered counts only when
    a date is asked, a name missing only when the sentence is also far. Same interface as
    `LinearModel`; contributions follow each feature along the path it sends a question down
    (each split's change of the node value goes to its feature), so they add up to the log-odds."""

    features: tuple[str, ...]
    # Per tree: the split feature (negative at a leaf), threshold, children and value of each node.
    trees: tuple[tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray], ...]
    rate: float
    bias: float

    @cached_property
    def _stacked(self) -> tuple[np.ndarray, ...]:
        """The trees as (tree, node) arrays, padded with leaves, so all are walked at once: one
        question goes down 200 trees in a few array steps, not 200 Python loops."""
        width = max(len(tree[0]) for tree in self.trees)
        pad = lambda a, fill: np.pad(a, (0, width - len(a)), constant_values=fill)
        return tuple(np.stack([pad(tree[k], fill) for tree in self.trees])
                     for k, fill in enumerate((-1, 0.0, 0, 0, 0.0)))

    def _paths(self, x: np.ndarray) -> list[np.ndarray]:
        """The node each row (axis 0) is at in each tree (axis 1), root first, until all are at leaves."""
        x = np.atleast_2d(x)
        feature, threshold, left, right, _ = self._stacked
        tree = np.arange(len(self.trees))
        node = np.zeros((len(x), len(self.trees)), dtype=np.int64)
        path = [node]
        while (inner := feature[tree, node] >= 0).any():
            f = np.where(inner, feature[tree, node], 0)
            go_left = np.take_along_axis(x, f, axis=1) <= threshold[tree, node]
            node = np.where(inner, np.where(go_left, left[tree, node], right[tree, node]), node)
            path.append(node)
        return path

    def probability(self, x: np.ndarray) -> np.ndarray:
        value = self._stacked[4]
        z = self.bias + self.rate * value[np.arange(len(self.trees)), self._paths(x)[-1]].sum(axis=1)
        return 1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))

    def contributions(self, x: np.ndarray) -> dict[str, float]:
        """Each feature's share of the log-odds of one question, against the trees' average question."""
        feature, _, _, _, value = self._stacked
        tree = np.arange(len(self.trees))
        out = np.zeros(np.shape(x)[-1])
        path = self._paths(x)
        for parent, child in zip(path, path[1:]):
            moved = parent[0] != child[0]  # a tree whose leaf was reached earlier stays put
            np.add.at(out, feature[tree, parent[0]][moved],
                      self.rate * (value[tree, child[0]] - value[tree, parent[0]])[moved])
        return dict(zip(self.features, out.tolist()))

    def to_dict(self) -> dict:
        return {"kind": "trees", "features": list(self.features), "rate": self.rate, "bias": self.bias,
                "trees": [[a.tolist() for a in tree] for tree in self.trees]}

    @classmethod
    def from_dict(cls, d: dict) -> "TreeModel":
        types = (np.int64, np.float64, np.int64, np.int64, np.float64)
        return cls(tuple(d["features"]), tuple(tuple(np.asarray(a, dtype=t) for a, t in zip(tree, types))
                                               for tree in d["trees"]), float(d["rate"]), float(d["bias"]))


def model_from_dict(d: dict) -> LinearModel | TreeModel:
    return TreeModel.from_dict(d) if d.get("kind") == "trees" else LinearModel.from_dict(d)


@dataclass(frozen=True)
class AnswerModel:
    """What calibration fitted: the sentence ranker, the answerability model and its threshold."""

    sentence: LinearModel | TreeModel
    answerable: LinearModel | TreeModel
    threshold: float  # abstain below this probability that the question is answerable
    extend: float  # a neighbour joins the answer at this share of the best sentence's probability
    about: dict  # how and on what it was fitted, with the cross-validated figures

    @classmethod
    def load(cls, path: Path = MODEL_FILE) -> "AnswerModel":
        return _load_model(str(path))

    def to_dict(self) -> dict:
        return {"sentence": self.sentence.to_dict(), "answerable": self.answerable.to_dict(),
                "threshold": self.threshold, "extend": self.extend, "about": self.about}


@lru_cache(maxsize=4)
def _load_model(path: str) -> AnswerModel:
    from .abstention import ANSWERABLE_FEATURES

    try:
        d = json.loads(Path(path).read_text(encoding="utf-8"))
        model = AnswerModel(model_from_dict(d["sentence"]), model_from_dict(d["answerable"]),
                            float(d["threshold"]), float(d["extend"]), d.get("about", {}))
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise RagHistoryError(f"the answer model {path} cannot be read ({exc.__class__.__name__}); reinstall the "
                              "package, or refit it with `make calibrate`.") from None
    if model.sentence.features != SENTENCE_FEATURES or model.answerable.features != ANSWERABLE_FEATURES:
        raise RagHistoryError(f"the answer model {path} was fitted for other features than this version computes; "
                              "refit it with `make calibrate`.")
    return model


@dataclass(frozen=True)
class QuestionTerm:
    """A content word of the question, as the stems it may take in each language of the sources."""

    term: str
    stems: frozenset[str]
    weight: float


@dataclass(frozen=True)
class Candidates:
    """Sentences that may answer: their positions in the index, and how each was found."""

    positions: list[int]
    prior: dict[int, float]  # 1 / (1 + rank) of the best retrieved passage holding it; 0: not retrieved
    neighbour: set[int]  # taken in as a neighbour of a retrieved sentence only


class SentenceScorer:
    """Computes the features of candidate sentences for a question; configured once per index."""

    def __init__(self, sentences: list[SentenceRecord], dense_vectors: np.ndarray, term_vectors: np.ndarray,
                 parts: dict[int, str], no_neighbour_gap: float = AnswerSettings().no_neighbour_gap):
        self.no_neighbour_gap = no_neighbour_gap
        self.sentences = sentences
        self.dense_vectors = dense_vectors
        self.term_vectors = term_vectors
        self.parts = parts  # sentence position -> "abstract" / "introduction" / "conclusion"
        self.plain = [strip_citations(s.text) for s in sentences]
        self.stems = [frozenset(tokenizer_for(s.language)(text)) for s, text in zip(sentences, self.plain)]
        folded: dict[str, str] = {}  # each distinct word folded once: a course repeats its words
        self.prefixes = [frozenset(folded.get(w) or folded.setdefault(w, fold(w)[:5]) for w in split_words(s.text))
                         for s in sentences]
        df: dict[str, int] = {}
        for stems in self.stems:
            for w in stems:
                df[w] = df.get(w, 0) + 1
        n = max(len(sentences), 1)
        self._idf = {w: math.log(1 + n / c) for w, c in df.items()}
        self._default_idf = math.log(1 + n)
        self._languages = sorted({s.language for s in sentences}) or ["tr"]

    # --- the question's side -------------------------------------------------------------------

    def question_terms(self, query: Query) -> list[QuestionTerm]:
        """The question's content words as stems in every language of the sources: the word's
        own stems where the sources use it, and those of the source words it maps to."""
        from .reading import QUESTION_WORDS

        out = []
        for m in query.terms:
            if fold(m.term) in QUESTION_WORDS:
                continue
            stems = {st for lang in self._languages for st in tokenizer_for(lang)(m.term)}
            for w in (*m.words[:6], *m.translations):
                stems.update(st for lang in self._languages for st in tokenizer_for(lang)(w))
            weight = min((self._idf[st] for st in stems if st in self._idf), default=self._default_idf)
            name = m.term in query.question.names
            out.append(QuestionTerm(m.term, frozenset(stems), weight * (2.0 if name else 1.0)))
        return out

    def evidence(self, positions) -> frozenset[str]:
        """The word starts of these sentences, for `present`."""
        return frozenset().union(*(self.prefixes[p] for p in positions)) if positions else frozenset()

    def present(self, query: Query, word: str, evidence: frozenset[str]) -> bool:
        """Whether a word of the question, or a source word it maps to, is in the evidence
        (by its first five letters, so that inflection does not hide a name; a short root of
        three or four letters is also the start of a form up to three letters longer: "Rus" of
        "Rusya", "Batı" of "Batılı", but "ara" not of "Aralov")."""
        match = query.term(word)
        for w in (word, *(match.related if match else ())):
            key = fold(w)
            if key[:5] in evidence or any(key[:n] in evidence for n in (3, 4) if n < len(key) <= n + 3):
                return True
        return False

    def name_share(self, query: Query, evidence: frozenset[str]) -> float:
        """Share of the question's names (an alias group counts once) present in the evidence."""
        groups = query.question.aliases
        if not groups:
            return 1.0
        return sum(any(self.present(query, w, evidence) for w in g) for g in groups) / len(groups)

    # --- the features ----------------------------------------------------------------------------

    def features(self, query: Query, candidates: Candidates) -> np.ndarray:
        q: Question = query.question
        positions = candidates.positions
        dense = self.dense_vectors[positions] @ query.vector
        term = self.term_vectors[positions] @ query.term_vector
        best_dense, best_term = float(dense.max()), float(term.max())
        terms = self.question_terms(query)
        total = sum(t.weight for t in terms)
        # What the question asks about its names: the terms that are not names ("kaç maddeden", "ended").
        aspect = [t for t in terms if t.term not in q.names]
        aspect_total = sum(t.weight for t in aspect)
        question_stems = frozenset().union(*(t.stems for t in terms)) if terms else frozenset()
        surnames = {fold(w) for w in q.names}
        rows = []
        for i, p in enumerate(positions):
            s = self.sentences[p]
            near = [x for x in (p - 1, p, p + 1) if self._same_paragraph(p, x)]
            text = self.plain[p]
            row = {
                "dense": float(dense[i]), "dense_gap": float(dense[i]) - best_dense,
                "term": float(term[i]), "term_gap": float(term[i]) - best_term,
                "coverage": self._coverage(terms, total, [p]), "coverage_near": self._coverage(terms, total, near),
                "aspect": self._coverage(aspect, aspect_total, [p]),
                "aspect_near": self._coverage(aspect, aspect_total, near),
                "names": self.name_share(query, self.prefixes[p]),
                "names_near": self.name_share(query, self.evidence(near)),
                "person_offered": float("person" in q.asks_for and self._offers_person(text, q)),
                "place_offered": float("place" in q.asks_for and self._offers_place(text, q)),
                "name_offered": float("name" in q.asks_for and self._offers_name(text, q)),
                "prev_gap": self._neighbour_gap(query, p, p - 1, best_dense),
                "next_gap": self._neighbour_gap(query, p, p + 1, best_dense),
                "passage_prior": candidates.prior.get(p, 0.0), "neighbour_only": float(p in candidates.neighbour),
                "in_part": float(bool(q.parts) and self.parts.get(p) in q.parts),
                "abstract": float(self.parts.get(p) == "abstract" and not q.parts),
                "same_language": float(s.language == q.language), "length": math.log1p(len(text.split())),
                "cited_author": float(bool(s.citation) and bool(surnames & {fold(a) for a in s.citation.authors})),
                "echo": len(self.stems[p] & question_stems) / max(len(self.stems[p]), 1),
                # The source's own question ("Why was it that the trader passed so rapidly?")
                # restates the student's; the answer is in what follows it.
                "asks": float(text.rstrip().endswith("?")),
            }
            for kind in ("date", "number"):
                asked = kind in q.asks_for
                given = asked and offers(kind, text, q.text)
                row[f"{kind}_offered"], row[f"{kind}_missing"] = float(given), float(asked and not given)
            for kind in ("reason", "consequence", "manner"):
                row[f"{kind}_cue"] = float(kind in q.asks_for and bool(CUES[kind].search(text)))
            rows.append([row[f] for f in SENTENCE_FEATURES])
        return np.asarray(rows, dtype=np.float64)

    def _coverage(self, terms: list[QuestionTerm], total: float, positions) -> float:
        if not total:
            return 0.0
        words = frozenset().union(*(self.stems[p] for p in positions))
        return sum(t.weight for t in terms if t.stems & words) / total

    def _neighbour_gap(self, query: Query, p: int, other: int, best: float) -> float:
        if not self._same_paragraph(p, other):
            return self.no_neighbour_gap
        return float(self.dense_vectors[other] @ query.vector) - best

    def _same_paragraph(self, a: int, b: int) -> bool:
        if not 0 <= b < len(self.sentences):
            return False
        sa, sb = self.sentences[a], self.sentences[b]
        return sa.source == sb.source and sa.paragraph == sb.paragraph

    @staticmethod
    def _offers_person(text: str, q: Question) -> bool:
        """A name of two capitalized words (or one with a title) that the question does not give."""
        names = {fold(n) for n in q.names}
        for rx in (SENTENCE_OFFERS["person"], _PERSON_EN):
            for m in rx.finditer(text):
                words = m.group(0).split()
                while words and words[0].lower() in ENGLISH_STOPWORDS:  # "The Soviet government"
                    words = words[1:]
                if len(words) >= 2 and fold(words[0]) not in names:
                    return True
        return False

    @staticmethod
    def _offers_name(text: str, q: Question) -> bool:
        """A capitalized word, not the sentence's first, that the question does not give."""
        names = {fold(n) for n in q.names}
        return any(fold(m.group(0)) not in names for m in _CAPITALIZED.finditer(text) if m.start() > 0)

    @staticmethod
    def _offers_place(text: str, q: Question) -> bool:
        names = {fold(n) for n in q.names}
        found = [m.group(0) for rx in (SENTENCE_OFFERS["place"], _PLACE_EN) for m in rx.finditer(text)]
        return any(fold(re.split(r"['’\s]", f)[-1] if " " in f else re.split(r"['’]", f)[0]) not in names for f in found)
