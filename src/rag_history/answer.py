"""Extractive answers: pick the source sentences that answer, each with its reference.

Candidates are the sentences of the best retrieved passages and their neighbours (all of the
part of a text the question names, when it names one). Each is scored by the fitted sentence
model (scoring.py: how a sentence is scored); the abstention policy (abstention.py: why it
refused) decides from the best ones whether the question is answered at all. The answer is the
best sentence, joined by a neighbour that the model scores nearly as high (the restating
sentence and the one that explains), with the short answer in it for a when / how many / who /
where question.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .chunking import Chunk
from .citations import Citation
from .index import SentenceRecord, sentence_positions
from .lexical import fold
from .abstention import AbstentionPolicy, Decision, Reason, Scope, refusal_message
from .retrieval import Passage, Query
from .scoring import AnswerModel, Candidates, LinearModel, SentenceScorer
from .settings import AnswerSettings
from .short_answer import ShortAnswer, short_answer
from .source import ABSTRACT_TITLES, TextInfo

NOTE_SHOWN = 160  # characters of a footnote shown after its sentence; the record holds all of it
AUTHOR_LABEL = {"tr": "[yazarın kendi ifadesi]", "en": "[the author's own statement]"}

# Words in the headings of an introduction and a conclusion.
_SECTION_TITLES = {"introduction": ("giris", "introduction"), "conclusion": ("sonuc", "conclusion")}


def section_parts(sentences: list[SentenceRecord]) -> dict[tuple[str, str], str]:
    """(source, section title) -> the part it is: the abstracts, and the body sections titled as an
    introduction or conclusion, else the first and last body sections."""
    abstracts = set(ABSTRACT_TITLES.values())
    body: dict[str, list[str]] = {}
    out = {}
    for r in sentences:
        if r.section in abstracts:
            out[r.source, r.section] = "abstract"
        elif r.section not in body.setdefault(r.source, []):
            body[r.source].append(r.section)
    for source, titles in body.items():
        for part, position in (("introduction", 0), ("conclusion", -1)):
            named = [t for t in titles if any(w in fold(t) for w in _SECTION_TITLES[part])]
            out.setdefault((source, (named or titles)[0 if named else position]), part)
    return out


@dataclass(frozen=True)
class AnswerSentence:
    text: str  # as the article writes it
    citation: Citation | None  # the reference shown after it
    attribution: str  # "own", "following" or "author"
    source: str
    section: str
    passage_id: str
    start: int  # offsets in the source file
    end: int
    score: float
    cited: tuple[Citation, ...] = ()  # every work supporting it (a sentence may cite several)

    def display(self, language: str) -> str:
        """The sentence followed by its reference as the text writes it: the parenthesis (already
        in the sentence when it is the sentence's own), or the footnote, by its mark and text."""
        c = self.citation
        if c is None:
            return f"{self.text} {AUTHOR_LABEL.get(language, AUTHOR_LABEL['en'])}"
        if c.note:
            text = c.raw if len(c.raw) <= NOTE_SHOWN else c.raw[:NOTE_SHOWN].rsplit(" ", 1)[0] + "…"
            return f"{self.text} [{c.note}: {text}]"
        if c.raw in self.text:
            return self.text
        return f"{self.text} {c.raw}"

    def to_dict(self) -> dict:
        return {"text": self.text, "citation": self.citation.raw if self.citation else None,
                "attribution": self.attribution, "source": self.source, "section": self.section,
                "passage_id": self.passage_id, "start": self.start, "end": self.end,
                "score": round(self.score, 6)}


@dataclass
class Answer:
    question: str
    language: str
    text: str
    abstained: bool
    sentences: list[AnswerSentence]
    passages: list[Passage]
    id: str | None = None
    confidence: float = 0.0  # support for the best sentence; the abstention threshold applies to it
    reason: str = ""  # why it abstained, for the report
    about: str = ""  # what a follow-up was understood to be about, as the conversation named it
    short: ShortAnswer | None = None  # the exact span that answers a when / how many / who / where question
    extra: dict = field(default_factory=dict)

    @property
    def citations(self) -> list[Citation]:
        """Every work the answer sentences cite, once (works of one parenthesis share its `raw`)."""
        seen: dict[tuple, Citation] = {}
        for s in self.sentences:
            for c in s.cited or ([s.citation] if s.citation else []):
                seen.setdefault((c.authors, c.year, c.pages, c.note), c)
        return list(seen.values())

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "question": self.question,
            "language": self.language,
            "answer": self.text,
            "abstained": self.abstained,
            "confidence": round(self.confidence, 6),
            "reason": self.reason,
            "about": self.about,
            "short": self.short.to_dict() if self.short else None,
            **({"notice": self.extra["notice"]} if self.extra.get("notice") else {}),
            "citations": [c.to_dict() for c in self.citations],
            "sentences": [s.to_dict() for s in self.sentences],
            "passages": [p.to_dict() for p in self.passages],
        }


@dataclass(frozen=True)
class Examination:
    """What the answerer saw for a question: candidates, their features and probabilities."""

    candidates: Candidates
    features: np.ndarray  # one row of SENTENCE_FEATURES per candidate
    probabilities: np.ndarray  # that each candidate answers
    answerable_features: np.ndarray  # ANSWERABLE_FEATURES of the question

    @property
    def best(self) -> int:
        """The position of the best-scored candidate."""
        return self.candidates.positions[int(np.argmax(self.probabilities))]


class Answerer:
    """Chooses the answer sentences, or refuses; configured once per index and fitted model."""

    def __init__(self, sentences: list[SentenceRecord], dense_vectors: np.ndarray, term_vectors: np.ndarray,
                 model: AnswerModel, settings: AnswerSettings = AnswerSettings(), chunks: list[Chunk] = (),
                 texts: list[TextInfo] = ()):
        self.sentences = sentences
        self.settings = settings
        self.model = model
        self.texts = {t.name: t for t in texts}
        self._position = sentence_positions(sentences)
        self._chunk_of: dict[int, Chunk] = {}  # sentence position -> the first passage holding it
        for c in chunks:
            for pos in self._positions(c):
                self._chunk_of.setdefault(pos, c)
        parts = section_parts(sentences)
        self._part_of = {p: parts[r.source, r.section] for p, r in enumerate(sentences) if (r.source, r.section) in parts}
        self.scorer = SentenceScorer(sentences, dense_vectors, term_vectors, self._part_of, settings.no_neighbour_gap)
        self.policy = AbstentionPolicy(model.answerable, model.threshold, self.scorer, settings.evidence_sentences)

    # --- candidates ----------------------------------------------------------------------------

    def candidates(self, query: Query, passages: list[Passage]) -> Candidates:
        """The sentences of the best passages and their neighbours; a question that names a part
        of a text ("according to the conclusion") takes all of that part (these parts are short,
        and retrieval may have missed them), in the texts retrieval found."""
        prior: dict[int, float] = {}
        neighbour: set[int] = set()
        for rank, p in enumerate(passages[: self.settings.passages_considered]):
            for pos in self._positions(p.chunk):
                prior[pos] = max(prior.get(pos, 0.0), 1.0 / (1 + rank))
        for pos in list(prior):
            for q in (pos - 1, pos + 1):
                if q not in prior and self.scorer._same_paragraph(pos, q):
                    neighbour.add(q)
        positions = sorted(prior.keys() | neighbour)
        sources = {self.sentences[p].source for p in positions}
        named = [p for p, part in self._part_of.items() if part in query.question.parts and self.sentences[p].source in sources]
        if named:
            positions, neighbour = sorted(named), {p for p in neighbour if p in named}
        return Candidates(positions, prior, neighbour)

    def examine(self, query: Query, passages: list[Passage], sentence_model: LinearModel | None = None) -> Examination | None:
        """Score every candidate; None when retrieval found nothing."""
        candidates = self.candidates(query, passages)
        if not candidates.positions:
            return None
        x = self.scorer.features(query, candidates)
        p = (sentence_model or self.model.sentence).probability(x)
        return Examination(candidates, x, p, self.policy.features(query, candidates, x, p))

    # --- the answer ----------------------------------------------------------------------------

    def answer(self, query: Query, passages: list[Passage], shown: int = 5) -> Answer:
        """The answer from the retrieved passages, best first; the record shows the first `shown`
        of them and any other holding an answer sentence."""
        seen = self.examine(query, passages)
        if seen is None:
            return self._abstain(query, passages, Decision(True, 0.0, Reason.NOTHING_RETRIEVED, "",
                                                           "no passage was retrieved"), None)
        decision = self.policy.decide(query, seen.answerable_features)
        if decision.abstain:
            return self._abstain(query, passages[:shown], decision, seen)
        positions = self.window(seen)
        passages = passages[:shown]
        passage_of = self._passage_of(passages)
        passages = self._with_answer_passages(passages, positions, passage_of)
        best = float(seen.probabilities.max())
        sentences = [self._answer_sentence(p, best, passage_of) for p in positions]
        shown = " ".join(a.display(query.language) for a in sentences)
        return Answer(query.question.typed, query.language, shown, False, sentences, passages,
                      confidence=decision.probability, reason=decision.explanation, about=query.question.about,
                      short=short_answer(query.question, [a.text for a in sentences], [a.start for a in sentences],
                                         first=positions.index(seen.best),
                                         languages=[self.sentences[p].language for p in positions]))

    def window(self, seen: Examination, extend: float | None = None) -> tuple[int, ...]:
        """The best sentence, with each neighbour in its paragraph that the model scores at least
        `extend` (the fitted share) times as high (the restatement before it, the explanation
        after it), in order."""
        extend = self.model.extend if extend is None else extend
        probability = dict(zip(seen.candidates.positions, seen.probabilities.tolist()))
        top = seen.best
        chosen = [top]
        for step in (-1, 1):
            q = top + step
            while (len(chosen) < self.settings.max_sentences and q in probability and self.scorer._same_paragraph(top, q)
                   and probability[q] >= extend * probability[top]):
                chosen.append(q)
                q += step
        return tuple(sorted(chosen))

    def _with_answer_passages(self, passages: list[Passage], positions, passage_of: dict[int, str]) -> list[Passage]:
        """The passages holding the answer's sentences first, in the answer's order (the passage
        a reader opens to check the answer is the one it quotes, wherever retrieval ranked it),
        then the other retrieved ones in their order. A passage holding an answer sentence that
        none of them holds (a neighbour, the part the question names) is added, so that every
        answer sentence can be read in its passage; `passage_of` is updated to match."""
        added = []
        for p in positions:
            chunk = self._chunk_of.get(p)
            if p in passage_of or chunk is None:
                continue
            added.append(Passage(chunk, 0.0, -1.0, 0.0))  # not retrieved: no scores
            for pos in self._positions(chunk):
                passage_of.setdefault(pos, chunk.id)
        quoted = list(dict.fromkeys(passage_of[p] for p in positions if p in passage_of))
        everything = passages + added
        return sorted(everything, key=lambda x: quoted.index(x.chunk.id) if x.chunk.id in quoted else len(quoted))

    def _passage_of(self, passages: list[Passage]) -> dict[int, str]:
        out: dict[int, str] = {}
        for p in passages:
            for pos in self._positions(p.chunk):
                out.setdefault(pos, p.chunk.id)
        return out

    def _positions(self, chunk: Chunk) -> list[int]:
        """Positions in the sentence list of a passage's sentences."""
        return [self._position[chunk.source, idx] for idx in chunk.sentences if (chunk.source, idx) in self._position]

    def _answer_sentence(self, pos: int, score: float, passage_of: dict[int, str]) -> AnswerSentence:
        r = self.sentences[pos]
        return AnswerSentence(r.text, r.citation, r.attribution, r.source, r.section,
                              passage_of.get(pos, ""), r.start, r.end, score, r.cited)

    def _abstain(self, query: Query, passages: list[Passage], decision: Decision, seen: Examination | None) -> Answer:
        message = refusal_message(decision, query.language, self._scope(query.question.source))
        answer = Answer(query.question.typed, query.language, message, True, [], passages,
                        confidence=decision.probability, reason=f"{decision.reason.value}: {decision.explanation}"
                        + (f"; missing: {decision.detail}" if decision.detail else ""), about=query.question.about)
        answer.extra["refusal"] = decision.reason.value
        return answer

    def _scope(self, source: str | None) -> Scope:
        """What the refusal speaks of: the text it was limited to, the course text, or texts."""
        if source in self.texts:
            return Scope.text(self.texts[source].short_title)
        return Scope.course(len(self.texts))
