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
from .index import BuildSettings


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or not value.strip():
        return default
    try:
        return int(value)
    except ValueError:
        raise SystemExit(f"rag-history: {name}={value!r} is not a whole number") from None


@dataclass(frozen=True)
class Settings:
    source_dir: Path = field(default_factory=lambda: Path("source_texts"))
    index_dir: Path = field(default_factory=lambda: Path("index"))
    model: str = DEFAULT_MODEL
    term_model: str = DEFAULT_TERM_MODEL
    chunk_tokens: int = 192
    chunk_overlap: int = 48
    top_k: int = 5

    @classmethod
    def from_env(cls, **overrides) -> "Settings":
        env = os.environ
        base = cls(
            source_dir=Path(env.get("RAG_HISTORY_SOURCES") or "source_texts"),
            index_dir=Path(env.get("RAG_HISTORY_INDEX") or "index"),
            model=env.get("RAG_HISTORY_MODEL") or DEFAULT_MODEL,
            term_model=env.get("RAG_HISTORY_TERM_MODEL") or DEFAULT_TERM_MODEL,
            chunk_tokens=_env_int("RAG_HISTORY_CHUNK_TOKENS", 192),
            chunk_overlap=_env_int("RAG_HISTORY_CHUNK_OVERLAP", 48),
            top_k=_env_int("RAG_HISTORY_TOP_K", 5),
        )
        return base.with_(**{k: v for k, v in overrides.items() if v is not None})

    def with_(self, **changes) -> "Settings":
        return replace(self, **changes)

    @property
    def build(self) -> BuildSettings:
        model = canonical_model_name(self.model)
        term_model = canonical_model_name(self.term_model, DEFAULT_TERM_MODEL)
        return BuildSettings(model, model if term_model == NO_MODEL else term_model,
                             ChunkSettings(self.chunk_tokens, self.chunk_overlap))
