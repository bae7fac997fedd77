"""Errors a user can cause: each carries one message that says what to do."""


class RagHistoryError(Exception):
    """Base class: the message is shown to the user as is, without a traceback."""


class SourceError(RagHistoryError):
    """A source text is missing, unreadable or empty."""


class QuestionSetError(RagHistoryError):
    """A question set (JSON Lines for `eval`) cannot be read, or a row of it is malformed."""


class OutputError(RagHistoryError):
    """An output file (`eval --out`, `--report`) cannot be written where it was asked for."""


class IndexProblem(RagHistoryError):
    """The index is missing, stale or broken and cannot be rebuilt here."""


class QuestionError(RagHistoryError):
    """The question cannot be asked (empty, unreadable)."""
