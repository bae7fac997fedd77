"""Errors a user can cause: each carries one message that says what to do."""


class RagHistoryError(Exception):
    """Base class: the message is shown to the user as is, without a traceback."""


class SourceError(RagHistoryError):
    """A source text is missing, unreadable or empty."""


class IndexProblem(RagHistoryError):
    """The index is missing, stale or broken and cannot be rebuilt here."""


class QuestionError(RagHistoryError):
    """The question cannot be asked (empty, unreadable)."""


class QuestionLogError(RagHistoryError):
    """The question log cannot be created, written or read (read-only, full disk, not a log)."""
