"""The facade: load (or build) the index once, then answer questions with cited sentences.

    from rag_history import Assistant
    assistant = Assistant.load()
    answer = assistant.ask("Moskova Antlaşması ne zaman imzalandı?")
    answer.to_dict()
"""

from __future__ import annotations

import sys
import threading
from dataclasses import dataclass
from pathlib import Path

from .answer import Answer, Answerer
from .citations import Citation
from .config import Settings
from .errors import IndexProblem
from .index import LoadedIndex, SentenceRecord, build_index, index_status, load_index
from .errors import QuestionError
from .question import cut_notice
from .reading import QuestionReader
from .spelling import SpellingRestorer
from .retrieval import Passage, Query, Retriever
from .scoring import AnswerModel
from .source import TextInfo


@dataclass(frozen=True)
class ReferenceUse:
    """A reference and the sentences it supports, for the references view and `citations`."""

    citation: Citation  # the first form in which the article writes it
    key: str
    sentences: tuple[SentenceRecord, ...]
    pages: tuple[str, ...]


class Assistant:
    """Answers questions about the source texts; safe to share between threads."""

    def __init__(self, settings: Settings, index: LoadedIndex, encoders, model: AnswerModel | None = None):
        self.settings = settings
        self.index = index
        from .embedding import Encoders

        self.encoders = encoders = Encoders.of(encoders)
        tuning = settings.tuning
        self.retriever = Retriever(index, encoders, tuning.retrieval, tuning.terms)
        self.texts: list[TextInfo] = index.texts
        self.reader = QuestionReader(SpellingRestorer((s.text for s in index.sentences), tuning.spelling))
        self.answerer = Answerer(index.sentences, index.sentence_vectors, index.term_sentence_vectors,
                                 model or AnswerModel.load(tuning.answer.model_file), tuning.answer,
                                 chunks=index.chunks, texts=self.texts)
        self._lock = threading.Lock()  # the encoders' buffers are not shared safely

    @classmethod
    def load(cls, settings: Settings | None = None, build: str = "auto", progress: bool = False,
             log=None, model: AnswerModel | None = None) -> "Assistant":
        """Load the index; with build="auto", build or rebuild it when missing, stale or damaged.

        build="never" raises IndexProblem with the command to run instead.
        """
        from .embedding import Encoders

        settings = settings or Settings.from_env()
        log = log or (lambda msg: print(msg, file=sys.stderr))
        problem = index_status(settings.index_dir, settings.source_dir, settings.build)
        encoders = None
        if problem is None:
            try:
                index = load_index(settings.index_dir)
            except IndexProblem as exc:
                if build != "auto":
                    raise  # its message already says what to run
                problem = str(exc)
        if problem is not None:
            if build != "auto":
                raise IndexProblem(f"The index cannot be used: {problem}. Run `rag-history build`.")
            log(f"rag-history: building the index ({problem}).")
            encoders = Encoders.load(settings.build.model, settings.build.term_model)
            # force=False: when another process built it meanwhile, its fresh index is used as is.
            build_index(settings.source_dir, settings.index_dir, settings.build, encoders, progress=progress,
                        force=False)
            index = load_index(settings.index_dir)
        encoders = encoders or Encoders.load(index.model, index.term_model)
        return cls(settings, index, encoders, model)

    def ask(self, question, k: int | None = None, id: str | None = None, *, history=(),
            source: str | None = None) -> Answer:
        """Answer one question, in the conversation of `history` (the earlier questions, oldest
        first), from the text `source` only when given; raises QuestionError for an empty
        question or a text that is not indexed."""
        query, passages = self.prepare(question, history=history, source=source)
        answer = self.answerer.answer(query, passages, shown=k or self.settings.top_k)
        answer.id = id
        notice = cut_notice(query.question.omitted, query.question.typed_length, query.language)
        if notice:
            answer.extra["notice"] = notice
        return answer

    def prepare(self, question, *, history=(), source: str | None = None) -> tuple[Query, list[Passage]]:
        """The question read (with its conversation) and searched: what the answerer works on."""
        if source is not None and source not in self.sources:
            raise QuestionError(f"no text {source!r} is indexed; choose one of: {', '.join(self.sources)}.",
                                by_language={"en": f"No text {source!r} is indexed.",
                                             "tr": f"{source!r} adlı bir metin dizinde yok."})
        read = self.reader.read(question, history=tuple(history or ()), source=source)
        with self._lock:
            query = self.retriever.query(read)
        depth = max(self.settings.top_k, self.answerer.settings.passages_considered)
        return query, self.retriever.search(query, depth)

    def text(self, name: str) -> TextInfo | None:
        return next((t for t in self.texts if t.name == name), None)

    def references(self, source: str | None = None) -> list[ReferenceUse]:
        """Every reference in the sources (or in one text) with the sentences it supports, in order
        of first use."""
        groups: dict[str, list[SentenceRecord]] = {}
        first: dict[str, Citation] = {}
        for s in self.index.sentences:
            if s.citation is None or (source is not None and s.source != source):
                continue
            key = s.source + "|" + _reference_key(s.citation)  # a reference belongs to the text citing it
            groups.setdefault(key, []).append(s)
            first.setdefault(key, s.citation)
        return [ReferenceUse(first[k], first[k].key, tuple(v),
                             tuple(dict.fromkeys(s.citation.pages for s in v if s.citation.pages)))
                for k, v in groups.items()]

    @property
    def sources(self) -> list[str]:
        return list(self.index.manifest.get("sources", {}))

    @property
    def source_dir(self) -> Path:
        return self.settings.source_dir


def _reference_key(c: Citation) -> str:
    return "|".join(a.casefold() for a in c.authors) + "|" + c.year

