"""rag-history: cited extractive answers from historical sources."""

# The index manifest records it: a release that reads sources differently bumps it, so an index
# built before is rebuilt (0.2.1: the works of title-first and explanatory notes).
__version__ = "0.2.1"

__all__ = ["Assistant", "Answer", "__version__"]


def __getattr__(name):  # lazy, so `import rag_history` stays cheap
    if name == "Assistant":
        from .assistant import Assistant

        return Assistant
    if name == "Answer":
        from .answer import Answer

        return Answer
    raise AttributeError(name)
