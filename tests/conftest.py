"""Shared fixtures: one real index over the bundled article, built once per test session."""

from __future__ import annotations

import os
import shutil
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


class HashingEncoder:
    """A fast, deterministic stand-in for the embedding model: hashed word prefixes, normalized.

    Words sharing their first five letters share a dimension (a crude stemmer for Turkish
    suffixes), so a question with the article's words finds its sentence; that is all the
    robustness tests need, in milliseconds instead of seconds.
    """

    dimension = 256

    def __init__(self, model_name: str | None = None):
        from rag_history.embedding import canonical_model_name

        self.name = canonical_model_name(model_name)

    def encode(self, texts, batch_size: int = 64):
        import re
        import zlib

        import numpy as np

        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        out[:, 0] = 0.01  # never a zero vector, so every row normalizes
        for row, text in enumerate(texts):
            for word in re.findall(r"\w+", text.casefold()):
                out[row, 1 + zlib.crc32(word[:5].encode()) % (self.dimension - 1)] += 1.0
        return out / np.linalg.norm(out, axis=1, keepdims=True)

    encode_queries = encode


def never_refusing_model():
    """The fitted answer model with its abstention threshold at 0. Its answerability was fitted on
    the real models' similarities, which a HashingEncoder's do not resemble: the tests that use one
    check everything but that decision."""
    from dataclasses import replace

    from rag_history.scoring import AnswerModel

    return replace(AnswerModel.load(), threshold=0.0)


def use_fake_models(patch) -> None:
    """Every Encoder the package makes is a HashingEncoder, every answer model never refuses.
    `patch(target, value)`: monkeypatch.setattr, or plain setattr in another process."""
    from rag_history import embedding, scoring

    model = never_refusing_model()
    patch(embedding, "Encoder", HashingEncoder)
    patch(scoring.AnswerModel, "load", classmethod(lambda cls, path=None: model))


@pytest.fixture
def fake_encoder(monkeypatch):
    """Builds and loads take milliseconds (HashingEncoder), answers are never refused."""
    use_fake_models(monkeypatch.setattr)
    return HashingEncoder


@pytest.fixture
def source_copy(tmp_path) -> Path:
    """A private copy of source_texts/ that a test may add to, damage or remove from."""
    import shutil

    target = tmp_path / "sources"
    shutil.copytree(SOURCE_DIR, target)
    for p in target.iterdir():
        p.chmod(0o644)  # the bundled article is read-only; a test may need to edit its copy
    return target


# A second source text, invented for the tests (tests/data/serinova-feneri.txt, labelled as a
# fixture in its sidecar): PDF-style wrapped lines, two numbered headings, a page break in
# mid-sentence and three references, about something the article never mentions.
FIXTURE_DIR = ROOT / "tests" / "data"
FIXTURE_NAME = "serinova-feneri.txt"
FIXTURE_QUESTION = "Serinova Feneri ilk kez ne zaman yakıldı?"
FIXTURE_ANSWER = "Fener ilk kez 14 Temmuz 1862’de yakıldı (Doğanay,1991:45)."


def squash(text: str) -> str:
    """Whitespace-normalized text: how a repaired sentence compares with the raw file."""
    return " ".join(text.split())


@pytest.fixture(scope="session")
def article_doc():
    from rag_history.source import load_document

    return load_document(ARTICLE)


@pytest.fixture
def fixture_sources(tmp_path) -> Path:
    """A source directory holding only the small invented text (fast to index)."""
    directory = tmp_path / "sources"
    directory.mkdir()
    for name in (FIXTURE_NAME, FIXTURE_NAME.replace(".txt", ".json")):
        shutil.copy(FIXTURE_DIR / name, directory / name)
    return directory


def patch_encoder(monkeypatch, loaded) -> None:
    """Any code path that loads a model of `loaded` (Encoders) gets it (a model load takes seconds)."""
    from rag_history import embedding

    real = embedding.Encoder
    by_name = {e.name: e for e in (loaded.dense, loaded.terms)}

    def encoder(name=None):
        return by_name.get(embedding.canonical_model_name(name)) or real(name)

    monkeypatch.setattr(embedding, "Encoder", encoder)


@pytest.fixture
def reuse_encoder(monkeypatch, assistant):
    patch_encoder(monkeypatch, assistant.encoders)
    return assistant.encoders


@pytest.fixture
def clean_env(monkeypatch):
    """No RAG_HISTORY_* settings from the caller's environment leak into a test."""
    for name in list(os.environ):
        if name.startswith("RAG_HISTORY_"):
            monkeypatch.delenv(name)
