"""rag-history: cited extractive answers from historical sources."""

__version__ = "0.1.0"

__all__ = ["Assistant", "Answer", "__version__"]


def __getattr__(name):  # lazy, so `import rag_history` stays cheap
    if name == "Assistant":
        from .assistant import Assistant

        return Assistant
    if name == "Answer":
        from .answer import Answer

        return Answer
    raise AttributeError(name)
