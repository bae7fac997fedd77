"""Shared fixtures: one real index over the bundled article, built once per test session."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SOURCE_DIR = ROOT / "source_texts"
ARTICLE = SOURCE_DIR / "turk-sovyet-iliskileri-milli-mucadele.txt"


@pytest.fixture(scope="session")
def article_text() -> str:
    return ARTICLE.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def settings(tmp_path_factory):
    """Settings pointing at the bundled sources and a private index directory."""
    from rag_history.config import Settings

    return Settings(source_dir=SOURCE_DIR, index_dir=tmp_path_factory.mktemp("index"))


@pytest.fixture(scope="session")
def assistant(settings):
    """The real assistant over the real article (builds the index once)."""
    from rag_history import Assistant

    return Assistant.load(settings, progress=False, log=lambda msg: None)
