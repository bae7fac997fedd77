"""Extractive answers: pick the source sentences that answer, each with its reference.

Candidates are the sentences of the best passages and their neighbours, taken one at a time or
two adjacent ones together (the answer often follows the sentence that restates the question).
Each window is scored for embedding similarity, for the share of the question's terms it covers
(mapped across languages, names counting double) and for offering what the question asks for;
a date or number question only takes a window that gives one, and a why/how question also gets
the sentence after the window, where the article explains. A question that names a part of the
article ("according to the conclusion") is answered from that part. The answerer abstains when
nothing is close enough, or when a name, number or asked-for noun of the question is not in
the evidence (eval/README.md has the calibration). How the question is read: reading.py.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from .chunking import Chunk
from .citations import Citation, strip_citations
from .index import SentenceRecord, sentence_positions
from .lexical import Tokenizer, fold, split_words
from .reading import EXPLAINED, QUESTION_WORDS, SENTENCE_OFFERS, SLOT_TYPES, offers
from .retrieval import Passage, Query
from .short_answer import ShortAnswer, short_answer
from .source import ABSTRACT_TITLES, TextInfo

MAX_SENTENCES = 3
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
    citation: Citation | None
    attribution: str  # "own", "following" or "author"
    source: str
    section: str
    passage_id: str
    start: int  # offsets in the source file
    end: int
    score: float

    def display(self, language: str) -> str:
        """The sentence followed by its reference, as the article writes it."""
        if self.citation is None:
            return f"{self.text} {AUTHOR_LABEL.get(language, AUTHOR_LABEL['en'])}"
        if self.text.rstrip(" .").endswith(self.citation.raw):
            return self.text
        return f"{self.text} {self.citation.raw}"

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
        seen: dict[str, Citation] = {}
        for s in self.sentences:
            for c in ([s.citation] if s.citation else []):
                seen.setdefault(c.raw, c)
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
class AnswerSettings:
    passages_considered: int = 4
    coverage_weight: float = 0.5  # weight of the question terms a sentence covers
    type_bonus: float = 0.06  # for offering what the question asks for (a date, a reason, ...)
    prior_weight: float = 0.04  # for standing in a better-ranked passage
    pair_margin: float = 0.0  # what each added sentence must gain for a longer window to win
    max_window: int = 2  # adjacent sentences shown together at most
    min_similarity: float = 0.32  # below this no sentence is close enough to be an answer (eval/README.md)
    min_support: float = 0.0  # share of the question's terms the answer must cover
    explain_next: bool = True  # why/how questions also get the sentence after the best window


@dataclass(frozen=True)
class QuestionTerm:
    """A content word of the question, as the stems it may take in the sources."""

    term: str
    stems: frozenset[str]
    weight: float
    key: bool  # a name or number: the answer must be about it


@dataclass(frozen=True)
class Window:
    """One sentence, or two adjacent ones of a paragraph, as a candidate answer."""

    positions: tuple[int, ...]
    score: float
    similarity: float
    coverage: float


class Answerer:
    def __init__(self, sentences: list[SentenceRecord], sentence_vectors: np.ndarray,
                 settings: AnswerSettings = AnswerSettings(), chunks: list[Chunk] = (),
                 texts: list[TextInfo] = ()):
        self.sentences = sentences
        self.texts = {t.name: t for t in texts}
        self.vectors = sentence_vectors
        self.settings = settings
        self._position = sentence_positions(sentences)
        self._chunk_of: dict[int, Chunk] = {}  # sentence position -> the first passage holding it
        for c in chunks:
            for pos in self._positions(c):
                self._chunk_of.setdefault(pos, c)
        self._plain = [strip_citations(s.text) for s in sentences]  # page numbers are not quantities
        self._stems = [frozenset(_content_words(text)) for text in self._plain]
        df: dict[str, int] = {}
        for stems in self._stems:
            for w in stems:
                df[w] = df.get(w, 0) + 1
        n = max(len(sentences), 1)
        self._idf = {w: math.log(1 + n / c) for w, c in df.items()}
        self._default_idf = math.log(1 + n)
        self._prefixes = [frozenset(fold(w)[:5] for w in split_words(s.text)) for s in sentences]
        parts = section_parts(sentences)
        self._part_positions: dict[str, list[int]] = {}
        for p, r in enumerate(sentences):
            if (r.source, r.section) in parts:
                self._part_positions.setdefault(parts[r.source, r.section], []).append(p)

    # --- question terms ----------------------------------------------------------------------

    def question_terms(self, query: Query) -> list[QuestionTerm]:
        keys = set(query.question.names)
        out = []
        for m in query.terms:
            if fold(m.term) in QUESTION_WORDS:
                continue
            own = query.language == "tr" or m.how in ("exact", "spelling")
            stems = set(_content_words(m.term)) if own else set()
            for w in m.words[:6]:
                stems.update(_content_words(w))
            if not stems and not m.term[:1].isupper():
                continue  # an English word with no counterpart in the sources: nothing to weigh
            # The commonest form decides how telling a term is, not a rare look-alike.
            weight = min((self._idf[st] for st in stems if st in self._idf), default=self._default_idf)
            key = m.term in keys
            out.append(QuestionTerm(m.term, frozenset(stems), weight * (2.0 if key else 1.0), key))
        return out

    def coverage(self, terms: list[QuestionTerm], positions) -> float:
        total = sum(t.weight for t in terms)
        if not total:
            return 0.0
        words = frozenset().union(*(self._stems[p] for p in positions))
        return sum(t.weight for t in terms if t.stems & words) / total

    # --- candidates ----------------------------------------------------------------------------

    def _candidates(self, passages: list[Passage]) -> dict[int, float]:
        """Sentence position -> prior from the best passage holding it (1.0 for the first)."""
        prior: dict[int, float] = {}
        for rank, p in enumerate(passages[: self.settings.passages_considered]):
            for pos in self._positions(p.chunk):
                for q in (pos - 1, pos, pos + 1):  # neighbours may hold the answer
                    if 0 <= q < len(self.sentences) and self._same_paragraph(pos, q):
                        value = 1.0 / (1 + rank) * (1.0 if q == pos else 0.6)
                        prior[q] = max(prior.get(q, 0.0), value)
        return prior

    def within_asked_part(self, query: Query, prior: dict[int, float]) -> dict[int, float]:
        """Keep to the part of the article the question names, taking in all of its sentences
        (these parts are short; retrieval may have missed them), in the sources retrieval found.
        Unchanged when no such part exists."""
        sources = {self.sentences[p].source for p in prior}  # of the sources retrieval found
        inside = [p for part in query.question.parts for p in self._part_positions.get(part, ())
                  if self.sentences[p].source in sources]
        if not inside:
            return prior
        return {p: prior.get(p, 0.5) for p in inside}

    def _same_paragraph(self, a: int, b: int) -> bool:
        sa, sb = self.sentences[a], self.sentences[b]
        return sa.source == sb.source and sa.paragraph == sb.paragraph

    def _windows(self, query: Query, prior: dict[int, float], terms: list[QuestionTerm]) -> list[Window]:
        """Score single sentences and adjacent pairs: the answer often follows (or precedes) the
        sentence that restates the question, and the pair then matches better than either."""
        s = self.settings
        types = query.question.asks_for
        wanted = types & SLOT_TYPES
        sims = {p: float(self.vectors[p] @ query.vector) for p in prior}
        out = []
        for p in sorted(prior):
            spans = [(p,)]
            while (len(spans) < s.max_window and spans[-1][-1] + 1 in prior
                   and self._same_paragraph(p, spans[-1][-1] + 1)):
                spans.append(spans[-1] + (spans[-1][-1] + 1,))
            for span in spans:
                if len(span) == 1:
                    similarity = sims[p]
                else:
                    # USE averages word features, so the mean vector stands in for the window's.
                    v = self.vectors[list(span)].sum(axis=0)
                    similarity = float(v @ query.vector) / max(float(np.linalg.norm(v)), 1e-9)
                cov = self.coverage(terms, span)
                text = " ".join(self._plain[q] for q in span)
                if wanted and not all(offers(t, text, query.question.text) for t in wanted):
                    continue  # asked for a date or a number, and this gives none
                offered = sum(1 for t in types & SENTENCE_OFFERS.keys() if SENTENCE_OFFERS[t].search(text))
                score = (similarity + s.coverage_weight * cov + s.type_bonus * offered
                         + s.prior_weight * max(prior[q] for q in span) - s.pair_margin * (len(span) - 1))
                out.append(Window(span, score, similarity, cov))
        return out

    # --- the answer ----------------------------------------------------------------------------

    def answer(self, query: Query, passages: list[Passage]) -> Answer:
        s = self.settings
        retrieved = self._candidates(passages)
        if not retrieved:
            return self._abstain(query, passages, "no passage was retrieved", kind="none")
        prior = self.within_asked_part(query, retrieved)
        terms = self.question_terms(query)
        windows = self._windows(query, prior, terms)
        best_sim = max(float(self.vectors[p] @ query.vector) for p in retrieved)
        if not windows:
            wanted = "/".join(sorted(query.question.asks_for & SLOT_TYPES))
            return self._abstain(query, passages, f"the question asks for a {wanted}; the evidence gives none",
                                 best_sim, kind="slot", detail=wanted)
        best = max(windows, key=lambda w: w.score)
        if best_sim < s.min_similarity:
            return self._abstain(query, passages, f"best sentence similarity {best_sim:.2f} < {s.min_similarity}",
                                 best_sim, kind="far")
        passage_of = self._passage_of(passages)
        missing = self.unsupported_terms(query, passage_of.keys() | prior.keys())
        if missing:
            return self._abstain(query, passages, "not in the evidence: " + ", ".join(missing), best_sim,
                                 kind="names", detail=", ".join(missing))
        if best.coverage < s.min_support:
            return self._abstain(query, passages, f"the best answer covers {best.coverage:.2f} of the question's "
                                 f"terms < {s.min_support}", best_sim, kind="far")
        positions = self.with_explanation(query, best.positions)
        passages = self._with_answer_passages(passages, positions, passage_of)
        sentences = [self._answer_sentence(p, best.score, passage_of) for p in positions]
        shown = " ".join(a.display(query.language) for a in sentences)
        answer = Answer(query.question.typed, query.language, shown, False, sentences, passages,
                        confidence=best_sim, about=query.question.about,
                        short=short_answer(query.question, [a.text for a in sentences], [a.start for a in sentences]))
        answer.extra["coverage"] = round(best.coverage, 4)
        return answer

    def with_explanation(self, query: Query, positions: tuple[int, ...]) -> tuple[int, ...]:
        """A why/how/what-result question is restated by the sentences closest to it, and the
        article explains in the sentence after them ("... silah ve cephaneye ihtiyaç vardı. İç
        kaynaklar yeterli değildi."): that sentence joins the answer, up to MAX_SENTENCES."""
        if not (self.settings.explain_next and query.question.asks_for & EXPLAINED) \
                or len(positions) >= MAX_SENTENCES:
            return positions
        after = positions[-1] + 1
        if after < len(self.sentences) and self._same_paragraph(positions[-1], after):
            return positions + (after,)
        return positions

    def unsupported_terms(self, query: Query, positions) -> list[str]:
        """Names, numbers and the asked-for noun of the question that neither occur in nor map to
        the evidence: the sentences at these positions (the passages' and their neighbours').

        Words are compared by their first five letters, so inflection ("Antlaşmaları" /
        "Anlaşmaları" aside) does not hide a name; a term followed by another in parentheses
        ("Gyumri (Gümrü)") is supported when either is.
        """
        evidence = frozenset().union(*(self._prefixes[p] for p in positions))

        def present(word: str) -> bool:
            key = fold(word)
            # A short root ("Batı") is also the start of its longer forms ("Batılı").
            return key[:5] in evidence or any(key[:n] in evidence for n in (3, 4) if n < len(key))

        question = query.question
        groups = list(question.aliases) + [(w,) for w in question.focus if w not in question.names]
        missing = []
        for group in groups:
            matches = [query.term(w) for w in group]
            if not any(present(w) for m in matches if m for w in (m.term, *m.related)):
                missing.append(group[0])
        return missing

    def _with_answer_passages(self, passages: list[Passage], positions, passage_of: dict[int, str]) -> list[Passage]:
        """The retrieved passages, then any passage holding an answer sentence that none of them
        holds (a neighbour, the explaining sentence, the part the question names), so that every
        answer sentence can be read in its passage; `passage_of` is updated to match."""
        added = []
        for p in positions:
            chunk = self._chunk_of.get(p)
            if p in passage_of or chunk is None:
                continue
            added.append(Passage(chunk, 0.0, -1.0, 0.0))  # not retrieved: no scores
            for pos in self._positions(chunk):
                passage_of.setdefault(pos, chunk.id)
        return passages + added if added else passages

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
                              passage_of.get(pos, ""), r.start, r.end, score)

    def _abstain(self, query: Query, passages: list[Passage], reason: str, confidence: float = 0.0,
                 kind: str = "far", detail: str = "") -> Answer:
        message = refusal_text(kind, detail, query.language, self._scope(query.question.source, query.language))
        return Answer(query.question.typed, query.language, message, True, [], passages, confidence=confidence,
                      reason=reason, about=query.question.about)

    def _scope(self, source: str | None, language: str) -> str:
        """What the refusal speaks of: the text it was limited to, the course text, or texts."""
        if source in self.texts:
            return f"«{self.texts[source].short_title}»"
        if len(self.texts) > 1:
            return "ders metinleri" if language == "tr" else "the course texts"
        return "ders metni" if language == "tr" else "the course text"


def refusal_text(kind: str, detail: str, language: str, scope: str) -> str:
    """Why there is no answer, in the question's language: what was not found, where."""
    if language == "tr":
        where = scope[:1].upper() + scope[1:]
        slot = {"date": "bir tarih", "number": "bir sayı"}.get(detail.split("/")[0], "bu bilgiyi")
        return {
            "names": f"{where} içinde «{detail}» geçmiyor; bu soruyu yanıtlayan bir cümle bulunamadı.",
            "slot": f"{where} bu soru için {slot} vermiyor.",
            "none": f"{where} içinde bu soruyla ilgili bir pasaj bulunamadı.",
        }.get(kind, f"{where} içinde bu soruyu yanıtlayacak kadar yakın bir cümle bulunamadı.")
    where = scope[:1].upper() + scope[1:] if scope.startswith("«") else scope[:1].upper() + scope[1:]
    slot = {"date": "a date", "number": "a number"}.get(detail.split("/")[0], "that")
    verb = "do" if scope.endswith("texts") else "does"
    return {
        "names": f"{where} {verb} not mention {detail}; no sentence there answers this question.",
        "slot": f"{where} {verb} not give {slot} for this question.",
        "none": f"{where} {verb} not have a passage on this question.",
    }.get(kind, f"Nothing in {scope} is close enough to this question to answer it.")


_TOKENIZER = Tokenizer()


def _content_words(text: str) -> list[str]:
    """Stemmed content words, Turkish rules (the article's language)."""
    return _TOKENIZER(text)
