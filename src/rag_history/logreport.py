"""The teacher's report on a question log: most asked, unanswered and thumbs-down questions.

`rag-history log course.db` writes it as Markdown (to stdout, or `--out FILE.md`) or one
self-contained HTML page (`--out FILE.html`), in Turkish or English. Questions are grouped by
`question_key`: the same words asked with other capitals, spacing, punctuation or accents
(ş/s, ı/i, typed on a keyboard without Turkish letters) count as one question; a question
limited to one source text is counted apart from the same question over all texts.
"""

from __future__ import annotations

import os
import unicodedata
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from .errors import QuestionLogError
from .lexical import APOSTROPHES, fold
from .markup import CSS, html_table, html_text, md_table, md_text
from .questionlog import LogEntry

LANGUAGES = ("tr", "en")
# How many of the most asked questions the report lists by default: a page a teacher reads in
# full. The unanswered and thumbs-down questions are always listed in full: each asks for action.
DEFAULT_TOP = 20

LABELS: dict[str, dict[str, str]] = {
    "en": {
        "title": "Question log",
        "summary": "{questions} questions from {first} to {last} (UTC): {unanswered} unanswered, "
                   "{up} thumbs up, {down} thumbs down.",
        "empty": "No questions have been logged yet.",
        "most_asked": "Most asked questions",
        "most_asked_intro": "The {shown} most asked of {groups} different questions. Questions that differ only "
                            "in capitals, spacing, punctuation or accents (ş/s, ı/i) count as one, shown as "
                            "most often typed.",
        "unanswered": "Unanswered questions",
        "unanswered_intro": "Every question the assistant declined to answer because the texts do not support "
                            "an answer, most often asked first.",
        "thumbs_down": "Thumbs-down answers",
        "thumbs_down_intro": "Every question whose answer a student marked with a thumbs down, with the answer "
                             "last marked so (the latest vote of each student counts).",
        "question": "question", "text": "limited to", "asked": "asked", "unanswered_n": "unanswered",
        "up": "thumbs up", "down": "thumbs down", "last_asked": "last asked", "answer": "answer given",
        "all_texts": "all texts", "none": "None.",
    },
    "tr": {
        "title": "Soru günlüğü",
        "summary": "{first} ile {last} (UTC) arasında {questions} soru: {unanswered} yanıtsız, "
                   "{up} beğeni, {down} beğenmeme.",
        "empty": "Henüz hiç soru kaydedilmedi.",
        "most_asked": "En çok sorulan sorular",
        "most_asked_intro": "{groups} farklı sorudan en çok sorulan {shown} soru. Yalnızca büyük/küçük harf, "
                            "boşluk, noktalama ya da harf işaretleriyle (ş/s, ı/i) ayrılan sorular tek soru "
                            "sayılır ve en sık yazıldığı biçimiyle gösterilir.",
        "unanswered": "Yanıtlanamayan sorular",
        "unanswered_intro": "Metinler bir yanıtı desteklemediği için yanıtlanmayan bütün sorular, en çok "
                            "sorulandan başlayarak.",
        "thumbs_down": "Beğenilmeyen yanıtlar",
        "thumbs_down_intro": "Yanıtını bir öğrencinin beğenmediği bütün sorular, en son beğenilmeyen "
                             "yanıtla birlikte (her öğrencinin son oyu sayılır).",
        "question": "soru", "text": "sınırlandığı metin", "asked": "soruluş", "unanswered_n": "yanıtsız",
        "up": "beğeni", "down": "beğenmeme", "last_asked": "son soruluş", "answer": "verilen yanıt",
        "all_texts": "tüm metinler", "none": "Yok.",
    },
}


def question_key(question: str) -> str:
    """What grouping compares: lowercase without accents (lexical.fold), apostrophes dropped
    ("Lenin'e" ~ "Lenine"), other punctuation and symbols as spaces, spaces collapsed."""
    text = fold(question)
    text = "".join("" if c in APOSTROPHES else " " if unicodedata.category(c)[0] in "PS" else c for c in text)
    return " ".join(text.split())


@dataclass(frozen=True)
class QuestionGroup:
    """One question however it was typed, over the entries that asked it."""

    question: str  # the wording typed most often (the first of equals)
    limited_to: str | None
    asked: int
    unanswered: int
    up: int
    down: int
    last_asked: datetime
    down_answer: str  # the answer of the latest entry voted down; "" if none was


def group_questions(entries: list[LogEntry]) -> list[QuestionGroup]:
    """Entries grouped by (question_key, limited_to), most asked first (ties: most recent first)."""
    split: dict[tuple[str, str | None], list[LogEntry]] = {}
    for e in entries:
        split.setdefault((question_key(e.question), e.limited_to), []).append(e)
    groups = []
    for (_, limited_to), members in split.items():
        wording = Counter(" ".join(e.question.split()) for e in members).most_common(1)[0][0]
        downs = [e for e in members if e.vote is False]
        groups.append(QuestionGroup(
            wording, limited_to, len(members), sum(e.abstained for e in members),
            sum(e.vote is True for e in members), len(downs), max(e.asked_at for e in members),
            max(downs, key=lambda e: e.id).answer if downs else ""))
    groups.sort(key=lambda g: g.last_asked, reverse=True)
    return sorted(groups, key=lambda g: g.asked, reverse=True)  # stable: keeps the recency order of ties


def default_language(environ=os.environ) -> str:
    """The teacher's language from the locale variables (LC_ALL, LC_MESSAGES, LANG, the first set),
    "tr" for a Turkish locale, else "en"."""
    value = next((environ[k] for k in ("LC_ALL", "LC_MESSAGES", "LANG") if environ.get(k)), "")
    return "tr" if value.lower().startswith("tr") else "en"


def render_log_report(entries: list[LogEntry], lang: str, html: bool = False, top: int = DEFAULT_TOP,
                      name: str = "") -> str:
    """The report as Markdown, or as one HTML page; name: the log file, shown in the heading."""
    report = _Report(entries, LABELS[lang], top)
    return report.html(lang, name) if html else report.markdown(name)


def write_log_report(entries: list[LogEntry], out: Path, lang: str, top: int = DEFAULT_TOP, name: str = "") -> Path:
    """Write the report to out: HTML for `.html`/`.htm`, Markdown for anything else."""
    out = Path(out)
    text = render_log_report(entries, lang, html=out.suffix.lower() in (".html", ".htm"), top=top, name=name)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise QuestionLogError(f"Cannot write the report {out}: {exc.strerror}; choose another --out.") from None
    return out


class _Report:
    """The three tables of a report, with their labels, ready for either format."""

    def __init__(self, entries: list[LogEntry], labels: dict[str, str], top: int):
        self.labels = labels
        self.entries = entries
        self.groups = group_questions(entries)
        self.top = top
        # The "limited to" column only when some question was limited to one text.
        self.texts = any(g.limited_to is not None for g in self.groups)

    def title(self, name: str) -> str:
        return f"{self.labels['title']}: {name}" if name else self.labels["title"]

    def summary(self) -> str:
        if not self.entries:
            return self.labels["empty"]
        times = [e.asked_at for e in self.entries]
        return self.labels["summary"].format(
            questions=len(self.entries), first=_time(min(times)), last=_time(max(times)),
            unanswered=sum(e.abstained for e in self.entries), up=sum(e.vote is True for e in self.entries),
            down=sum(e.vote is False for e in self.entries))

    def sections(self) -> list[tuple[str, str, list[str], list[list[str]]]]:
        """(heading, introduction, table head, rows) for each section; none for an empty log."""
        if not self.entries:
            return []
        L = self.labels
        text = [L["text"]] if self.texts else []
        most = self.groups[:self.top]
        unanswered = sorted((g for g in self.groups if g.unanswered), key=lambda g: g.unanswered, reverse=True)
        down = sorted((g for g in self.groups if g.down), key=lambda g: g.down, reverse=True)
        return [
            (L["most_asked"], L["most_asked_intro"].format(shown=len(most), groups=len(self.groups)),
             [L["question"], *text, L["asked"], L["unanswered_n"], L["up"], L["down"]],
             [[g.question, *self._text(g), str(g.asked), str(g.unanswered), str(g.up), str(g.down)] for g in most]),
            (L["unanswered"], L["unanswered_intro"], [L["question"], *text, L["unanswered_n"], L["last_asked"]],
             [[g.question, *self._text(g), str(g.unanswered), _time(g.last_asked)] for g in unanswered]),
            (L["thumbs_down"], L["thumbs_down_intro"], [L["question"], *text, L["down"], L["up"], L["answer"]],
             [[g.question, *self._text(g), str(g.down), str(g.up), g.down_answer] for g in down]),
        ]

    def _text(self, g: QuestionGroup) -> list[str]:
        return [g.limited_to or self.labels["all_texts"]] if self.texts else []

    def markdown(self, name: str) -> str:
        parts = [f"# {md_text(self.title(name))}", md_text(self.summary())]
        for heading, intro, head, rows in self.sections():
            parts += [f"## {md_text(heading)} ({len(rows)})", md_text(intro),
                      md_table(head, rows) if rows else self.labels["none"]]
        return "\n\n".join(parts) + "\n"

    def html(self, lang: str, name: str) -> str:
        title = html_text(self.title(name))
        parts = ["<!DOCTYPE html>", f'<html lang="{lang}"><head><meta charset="utf-8">', f"<title>{title}</title>",
                 f"<style>{CSS}</style></head><body>", f"<h1>{title}</h1>", f"<p>{html_text(self.summary())}</p>"]
        for heading, intro, head, rows in self.sections():
            parts += [f"<h2>{html_text(heading)} ({len(rows)})</h2>", f"<p>{html_text(intro)}</p>",
                      html_table(head, rows) if rows else f"<p>{html_text(self.labels['none'])}</p>"]
        parts.append("</body></html>")
        return "\n".join(parts) + "\n"


def _time(moment: datetime) -> str:
    return f"{moment:%Y-%m-%d %H:%M}"
