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
    """The question cannot be asked (empty, unreadable, limited to a text that is not indexed).

    `by_language` holds the message in each interface language, for a chat that shows one."""

    def __init__(self, message: str, by_language: dict[str, str] | None = None):
        super().__init__(message)
        self.by_language = dict(by_language or {"en": message})

    def in_language(self, language: str) -> str:
        return self.by_language.get(language) or self.by_language.get("en") or str(self)


class QuestionLogError(RagHistoryError):
    """The question log cannot be created, written or read (read-only, full disk, not a log)."""
