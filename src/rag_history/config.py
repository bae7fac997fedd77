"""Settings: where sources and the index live, which model, how to chunk.

Every setting has a default that works on the bundled article and can be changed by an
environment variable (``RAG_HISTORY_*``) or a command-line option.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path

from .chunking import ChunkSettings
from .embedding import DEFAULT_MODEL, DEFAULT_TERM_MODEL, NO_MODEL, canonical_model_name
from .errors import RagHistoryError
from .index import BuildSettings
from .settings import RetrievalSettings, Tuning

# Passages retrieved for a question: at least one; at most the retriever's candidate depth, past
# which they are passages no ranking put near the top, that only slow the answer down.
TOP_K_RANGE = (1, RetrievalSettings().dense_candidates)


def _env_int(name: str, default: int, what: str) -> int:
    value = os.environ.get(name)
    if value is None or not value.strip():
        return default
    try:
        return int(value)
    except ValueError:
        raise RagHistoryError(f"{name}={value!r} is not a whole number: it sets {what}; unset it for the "
                              f"default, {default}.") from None


@dataclass(frozen=True)
class Settings:
    source_dir: Path = field(default_factory=lambda: Path("source_texts"))
    index_dir: Path = field(default_factory=lambda: Path("index"))
    model: str = DEFAULT_MODEL
    term_model: str = DEFAULT_TERM_MODEL
    chunk_tokens: int = 192
    chunk_overlap: int = 48
    top_k: int = 5
    tuning: Tuning = field(default_factory=Tuning)  # every number that moves a score (settings.py)

    def __post_init__(self):
        low, high = TOP_K_RANGE
        if isinstance(self.top_k, bool) or not isinstance(self.top_k, int) or not low <= self.top_k <= high:
            raise RagHistoryError(f"passages retrieved (-k or RAG_HISTORY_TOP_K) must be a whole number from {low} "
                                  f"to {high}, not {self.top_k!r}.")

    @classmethod
    def from_env(cls, **overrides) -> "Settings":
        """The defaults, then RAG_HISTORY_* variables, then the overrides that are not None (options)."""
        env = os.environ
        given = {k: v for k, v in overrides.items() if v is not None}

        def number(field: str, name: str, what: str) -> int:  # an option wins: its variable is not read
            return given.pop(field) if field in given else _env_int(name, getattr(cls, field), what)

        base = cls(
            source_dir=Path(env.get("RAG_HISTORY_SOURCES") or "source_texts"),
            index_dir=Path(env.get("RAG_HISTORY_INDEX") or "index"),
            model=env.get("RAG_HISTORY_MODEL") or DEFAULT_MODEL,
            term_model=env.get("RAG_HISTORY_TERM_MODEL") or DEFAULT_TERM_MODEL,
            chunk_tokens=number("chunk_tokens", "RAG_HISTORY_CHUNK_TOKENS", "the chunk size in tokens"),
            chunk_overlap=number("chunk_overlap", "RAG_HISTORY_CHUNK_OVERLAP", "the chunk overlap in tokens"),
            top_k=number("top_k", "RAG_HISTORY_TOP_K", "the passages retrieved ({} to {})".format(*TOP_K_RANGE)),
        )
        return base.with_(**given)

    def with_(self, **changes) -> "Settings":
        return replace(self, **changes)

    @property
    def build(self) -> BuildSettings:
        model = canonical_model_name(self.model)
        term_model = canonical_model_name(self.term_model, DEFAULT_TERM_MODEL)
        return BuildSettings(model, model if term_model == NO_MODEL else term_model,
                             ChunkSettings(self.chunk_tokens, self.chunk_overlap), self.tuning.index)
