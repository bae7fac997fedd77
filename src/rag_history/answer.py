"""Extractive answers: pick the source sentences that answer, each with its reference.

Candidates are the sentences of the best passages and their neighbours. Each is scored for how
well it matches the question (embedding similarity, shared words), for offering what the
question asks for (a date, a person, a reason, ...), and for following a sentence that restates
the question: the answer is often the next sentence. The answerer abstains when the question's
key terms (names, numbers) are not in the evidence or nothing is close enough.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

import numpy as np

from .citations import Citation, strip_citations
from .index import SentenceRecord
from .lexical import Tokenizer, fold, split_words
from .retrieval import Passage, Query
from .termmap import TermMatch

MAX_SENTENCES = 3
ABSTAIN_MESSAGE = {
    "tr": "Makale bu soruyu yanıtlayacak bir bilgi içermiyor.",
    "en": "The article does not contain information that answers this question.",
}
AUTHOR_LABEL = {"tr": "[makale yazarının ifadesi]", "en": "[the article author's own statement]"}

# What a question asks for, in Turkish and English, and how a sentence offers it.
_MONTHS = ("ocak|şubat|mart|nisan|mayıs|haziran|temmuz|ağustos|eylül|ekim|kasım|aralık|january|february|"
           "march|april|may|june|july|august|september|october|november|december")
QUESTION_TYPES = {
    "date": re.compile(r"\b(ne zaman|hangi tarih|hangi yıl|hangi gün|hangi ay|kaç yılında|when|what date|"
                       r"which date|which year|what year|which day|what day)\b", re.I),
    "person": re.compile(r"\b(kim|kimdir|kimdi|kime|kimin|kimi|kimler|who|whom|whose|which person)\b", re.I),
    "place": re.compile(r"\b(nere|nerede|nereye|nereden|neresi|hangi şehir|hangi bölge|where|which city|"
                        r"which region|which place)\b", re.I),
    "number": re.compile(r"\b(kaç|ne kadar|how many|how much|what number)\b", re.I),
    "reason": re.compile(r"\b(neden|niçin|niye|ne için|hangi amaç|ne amaç|sebeb|nedeni|why|what for|"
                         r"for what purpose|what reason|motive|motives)\w*", re.I),
    "consequence": re.compile(r"\b(sonuç|sonucu|ne oldu|etkisi|katkı|how did .* end|result|outcome|"
                              r"consequence|effect)\w*", re.I),
}
SENTENCE_OFFERS = {
    "date": re.compile(r"\b(\d{1,2}\s+(" + _MONTHS + r")|(1[5-9]|20)\d\d|" + _MONTHS + r")\w*", re.I),
    "person": re.compile(r"\b[A-ZÇĞİÖŞÜ][a-zçğıöşü]+\s+(Paşa|Bey|Efendi)\b|\b[A-ZÇĞİÖŞÜ][a-zçğıöşü]+\s+"
                         r"[A-ZÇĞİÖŞÜ][a-zçğıöşü]+\b"),
    "place": re.compile(r"\b[A-ZÇĞİÖŞÜ][a-zçğıöşü]+['’](da|de|ta|te|ya|ye|a|e|dan|den|tan|ten)\b"),
    "number": re.compile(r"\d|\b(bir|iki|üç|dört|beş|altı|yedi|sekiz|dokuz|on|yüz|bin|milyon)\b", re.I),
    "reason": re.compile(r"(sebebiyle|nedeniyle|amacıyla|gayesi|gayesinde|için|çünkü|dolayı|menfaat|"
                         r"ihtiyaç|istiyor|istemesi|isteyen|açısından)", re.I),
    "consequence": re.compile(r"(sonucu|sonucunda|böylece|neticede|nitekim|kılmıştır|sağlamış|"
                              r"etkilemiş|dolayısıyla|kalmışlardır)", re.I),
}


def key_terms(query: Query) -> list[TermMatch]:
    """The question's names and numbers: what an answer must be about, not just near."""
    words = split_words(query.text)
    first = words[0] if words else ""
    second_capital = len(words) > 1 and words[1][:1].isupper()
    out = []
    for m in query.terms:
        name = m.term[:1].isupper() and len(m.term) > 2 and (m.term != first or second_capital)
        number = m.term.isdigit() and len(m.term) >= 3
        if name or number:
            out.append(m)
    return out


def question_types(question: str) -> set[str]:
    return {name for name, rx in QUESTION_TYPES.items() if rx.search(question)}


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
            "citations": [c.to_dict() for c in self.citations],
            "sentences": [s.to_dict() for s in self.sentences],
            "passages": [p.to_dict() for p in self.passages],
        }


@dataclass(frozen=True)
class AnswerSettings:
    passages_considered: int = 4
    min_similarity: float = 0.28  # below this no sentence is close enough to be an answer
    lexical_weight: float = 0.35
    type_bonus: float = 0.06
    follow_bonus: float = 0.5  # share of the previous sentence's echo passed on to its successor
    include_ratio: float = 0.9  # a neighbour joins the answer when it scores this close to the best


class Answerer:
    def __init__(self, sentences: list[SentenceRecord], sentence_vectors: np.ndarray,
                 settings: AnswerSettings = AnswerSettings()):
        self.sentences = sentences
        self.vectors = sentence_vectors
        self.settings = settings
        self._position = {(s.source, s.index): i for i, s in enumerate(sentences)}
        self._words = [set(_content_words(strip_citations(s.text))) for s in sentences]
        df: dict[str, int] = {}
        for words in self._words:
            for w in words:
                df[w] = df.get(w, 0) + 1
        n = max(len(sentences), 1)
        self._idf = {w: math.log(1 + n / c) for w, c in df.items()}
        self._default_idf = math.log(1 + n)

    # --- candidates and scores ---------------------------------------------------------------

    def _candidates(self, passages: list[Passage]) -> dict[int, float]:
        """Sentence position -> prior from the best passage holding it (1.0 for the first)."""
        prior: dict[int, float] = {}
        for rank, p in enumerate(passages[: self.settings.passages_considered]):
            for idx in p.chunk.sentences:
                pos = self._position.get((p.chunk.source, idx))
                if pos is None:
                    continue
                for q in (pos - 1, pos, pos + 1):  # neighbours may hold the answer
                    if 0 <= q < len(self.sentences) and self._same_paragraph(pos, q):
                        value = 1.0 / (1 + rank) * (1.0 if q == pos else 0.6)
                        prior[q] = max(prior.get(q, 0.0), value)
        return prior

    def _same_paragraph(self, a: int, b: int) -> bool:
        sa, sb = self.sentences[a], self.sentences[b]
        return sa.source == sb.source and sa.paragraph == sb.paragraph

    def _overlap(self, question_words: set[str], pos: int) -> float:
        if not question_words:
            return 0.0
        weights = {w: self._idf.get(w, self._default_idf) for w in question_words}
        return sum(v for w, v in weights.items() if w in self._words[pos]) / sum(weights.values())

    def answer(self, query: Query, passages: list[Passage]) -> Answer:
        s = self.settings
        language = query.language
        prior = self._candidates(passages)
        if not prior:
            return self._abstain(query, passages, "no passage was retrieved")
        positions = sorted(prior)
        sims = self.vectors[positions] @ query.vector
        q_words = set(query.tokens)
        types = question_types(query.text)
        lexical_weight = s.lexical_weight if language == "tr" else s.lexical_weight * 0.6
        match: dict[int, float] = {}
        score: dict[int, float] = {}
        for pos, sim in zip(positions, sims):
            match[pos] = float(sim) + lexical_weight * self._overlap(q_words, pos)
            offered = sum(1 for t in types if SENTENCE_OFFERS[t].search(self.sentences[pos].text))
            score[pos] = match[pos] + s.type_bonus * offered + 0.04 * prior[pos]
        for pos in positions:
            # The answer often follows the sentence that restates the question.
            prev = pos - 1
            if prev in match and self._same_paragraph(prev, pos):
                score[pos] += s.follow_bonus * max(0.0, match[prev] - match[pos])
        best = max(score, key=score.get)
        best_sim = float(max(sims))
        if best_sim < s.min_similarity:
            return self._abstain(query, passages, f"best sentence similarity {best_sim:.2f} < {s.min_similarity}",
                                 best_sim)
        missing = self.unsupported_terms(query, passages)
        if missing:
            return self._abstain(query, passages, "not in the evidence: " + ", ".join(missing), best_sim)
        chosen = [best]
        for q in (best - 1, best + 1):
            if q in score and self._same_paragraph(best, q) and score[q] >= s.include_ratio * score[best]:
                chosen.append(q)
        chosen = sorted(chosen)[:MAX_SENTENCES]
        passage_of = self._passage_of(passages)
        sentences = [self._answer_sentence(p, score[p], passage_of) for p in chosen]
        text = " ".join(a.display(language) for a in sentences)
        return Answer(query.text, language, text, False, sentences, passages, confidence=best_sim)

    def unsupported_terms(self, query: Query, passages: list[Passage]) -> list[str]:
        """Names and numbers of the question that neither occur in nor map to the evidence."""
        evidence = {fold(w) for p in passages for w in split_words(p.chunk.text)}
        missing = []
        for m in key_terms(query):
            if not any(fold(w) in evidence for w in m.words):
                missing.append(m.term)
        return missing

    def _passage_of(self, passages: list[Passage]) -> dict[int, str]:
        out: dict[int, str] = {}
        for p in passages:
            for idx in p.chunk.sentences:
                pos = self._position.get((p.chunk.source, idx))
                if pos is not None:
                    out.setdefault(pos, p.chunk.id)
        return out

    def _answer_sentence(self, pos: int, score: float, passage_of: dict[int, str]) -> AnswerSentence:
        r = self.sentences[pos]
        return AnswerSentence(r.text, r.citation, r.attribution, r.source, r.section,
                              passage_of.get(pos, ""), r.start, r.end, score)

    def _abstain(self, query: Query, passages: list[Passage], reason: str, confidence: float = 0.0) -> Answer:
        message = ABSTAIN_MESSAGE.get(query.language, ABSTAIN_MESSAGE["en"])
        return Answer(query.text, query.language, message, True, [], passages, confidence=confidence, reason=reason)


_TOKENIZER = Tokenizer()


def _content_words(text: str) -> list[str]:
    """Stemmed content words, Turkish rules (the article's language)."""
    return _TOKENIZER(text)
