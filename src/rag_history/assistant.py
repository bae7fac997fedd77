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
from .bibliography import BibEntry
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
    """A cited work, or an entry of a reference list, and the sentences it supports: the references
    view and `rag-history citations`."""

    citation: Citation | None  # the first form in which the text cites it; None for an entry never cited
    key: str  # "Sofuoğlu, 2005"
    sentences: tuple[SentenceRecord, ...]  # every sentence it supports, its own or the one before it
    pages: tuple[str, ...]
    source: str = ""  # the text citing it
    entry: BibEntry | None = None  # its entry in the text's reference list
    status: str = "cited"  # "cited"; "no entry": the text's reference list has none for it; "never cited": an entry no sentence cites


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
        """Every work the sources (or one text) cite, with the sentences it supports, in order of
        first use; then the entries of their reference lists that no sentence cites."""
        groups: dict[tuple[str, str], list[SentenceRecord]] = {}  # a work belongs to the text citing it
        first: dict[tuple[str, str], Citation] = {}
        for s in self.index.sentences:
            if source is not None and s.source != source:
                continue
            for c in s.cited:
                key = (s.source, f"entry {c.entry}" if c.entry else _reference_key(c))
                if s not in groups.setdefault(key, []):
                    groups[key].append(s)
                first.setdefault(key, c)
        out = []
        used: set[tuple[str, int]] = set()
        for (name, _), sentences in groups.items():
            c = first[name, _]
            listed = self.index.bibliography.get(name, [])
            entry = listed[c.entry - 1] if c.entry else None
            if entry:
                used.add((name, entry.n))
            pages = tuple(dict.fromkeys(w.pages for s in sentences for w in s.cited
                                        if w.pages and _same_work(w, c)))
            out.append(ReferenceUse(c, c.key, tuple(sentences), pages, name, entry,
                                    "no entry" if listed and entry is None else "cited"))
        for name, listed in self.index.bibliography.items():
            if source is None or name == source:
                out += [ReferenceUse(None, e.key, (), (), name, e, "never cited") for e in listed
                        if (name, e.n) not in used]
        return out

    @property
    def sources(self) -> list[str]:
        return list(self.index.manifest.get("sources", {}))

    @property
    def source_dir(self) -> Path:
        return self.settings.source_dir


def _reference_key(c: Citation) -> str:
    return "|".join(a.casefold() for a in c.authors) + "|" + c.year if c.year or c.authors else c.raw


def _same_work(a: Citation, b: Citation) -> bool:
    return a.entry == b.entry if a.entry or b.entry else _reference_key(a) == _reference_key(b)

