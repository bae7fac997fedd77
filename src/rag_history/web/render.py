"""Answers, questions and references as chat HTML and as plain text, every user and source string escaped.

The chat inserts these strings as HTML (chat.js), so nothing reaches it unescaped: the only
markup is the one built here. An answer bubble is written in its question's language, labels
included, so that one bubble never mixes two languages; the interface's own words are the
caller's (app.py). The plain text of an answer is what its Copy button copies: each sentence
with its reference, then the name of the text it comes from.
"""

from __future__ import annotations

from dataclasses import dataclass
from difflib import SequenceMatcher
from html import escape

from ..answer import Answer, AnswerSentence
from ..assistant import ReferenceUse
from ..retrieval import Passage
from .labels import LABELS, known

MIN_HIGHLIGHT = 40  # characters: a shorter overlap between a sentence and a passage is chance
CLOSEST_SHOWN = 2  # passages under a refusal: the nearest ones, enough to rephrase from, not a wall
VOTES = (("up", "helpful"), ("down", "not_helpful"))  # the value a thumb sends, and its label
# A thumb drawn inline (Feather's thumbs-up, MIT): an emoji needs a font the reader may not have.
THUMB = ('<svg viewBox="0 0 24 24" width="14" height="14" fill="none" stroke="currentColor" stroke-width="2" '
         'stroke-linecap="round" stroke-linejoin="round" aria-hidden="true"><path d="M14 9V5a3 3 0 0 0-3-3l-4 '
         '9v11h11.28a2 2 0 0 0 2-1.7l1.38-9a2 2 0 0 0-2-2.3zM7 22H4a2 2 0 0 1-2-2v-7a2 2 0 0 1 2-2h3"/></svg>')


@dataclass(frozen=True)
class Course:
    """How the chat names the texts: each answer names its text only when the course has several."""

    labels: dict[str, str]  # file name -> "Doğanay 1991, Serinova Feneri"
    short_titles: dict[str, str]  # file name -> "Serinova Feneri"

    @classmethod
    def of(cls, texts) -> "Course":
        return cls({t.name: t.label for t in texts}, {t.name: t.short_title for t in texts})

    @property
    def many(self) -> bool:
        return len(self.labels) > 1

    def label(self, source: str) -> str:
        return self.labels.get(source) or source


@dataclass(frozen=True)
class Mark:
    """Markup around text[start:end] of a string that is otherwise escaped as it is."""

    start: int
    end: int
    open: str
    close: str


def marked(text: str, marks: list[Mark]) -> str:
    """`text` escaped, with each mark's markup around its span; a mark overlapping an earlier one is dropped."""
    out, last = [], 0
    for m in sorted(marks, key=lambda m: (m.start, -m.end)):
        if m.start < last or m.end <= m.start:
            continue
        out.append(escape(text[last:m.start]) + m.open + escape(text[m.start:m.end]) + m.close)
        last = m.end
    out.append(escape(text[last:]))
    return "".join(out)


def question_html(question: str) -> str:
    return f'<div class="rh-bubble rh-question">{escape(question)}</div>'


def notice_html(message: str, lang: str) -> str:
    """A message that is not an answer (an empty question), in the interface language."""
    return f'<div class="rh-bubble rh-notice" role="status" lang="{known(lang)}">{escape(message)}</div>'


def answer_html(answer: Answer, course: Course, votes: bool = False) -> str:
    """The bubble: what the question was understood to be about, the short answer, the sentences
    with their references (naming their text in a course of several), the passages (collapsed),
    and the Copy (and thumbs) buttons; a refusal says why, with the closest passages and a hint."""
    lang = known(answer.language)
    labels = LABELS[lang]
    head = ""
    if notice := answer.extra.get("notice"):
        head += f'<p class="rh-cut" role="status">{escape(notice)}</p>'
    if answer.about:
        head += f'<p class="rh-about">({escape(labels["about"])}: {escape(answer.about)})</p>'
    if answer.abstained:
        closest = answer.passages[:CLOSEST_SHOWN]
        body = (f'<div class="rh-badge">{escape(labels["no_answer"])}</div>'
                f'<p class="rh-text">{escape(answer.text)}</p>'
                f'<p class="rh-hint">{escape(labels["rephrase"])}</p>'
                + _passages_html(closest, [], labels["closest"], labels, course))
    else:
        short = ""
        if answer.short:
            short = f'<p class="rh-short"><strong>{escape(answer.short.display)}</strong></p>'
        body = (short + _sentences_html(answer, course)
                + _passages_html(answer.passages, answer.sentences, labels["sources"], labels, course))
    actions = (f'<button type="button" class="rh-copy" data-copied="{escape(labels["copied"])}">'
               f'{escape(labels["copy"])}</button>')
    if votes:
        actions += "".join(f'<button type="button" class="rh-vote" data-vote="{vote}" aria-pressed="false" '
                           f'aria-label="{escape(labels[name])}" title="{escape(labels[name])}">{THUMB}</button>'
                           for vote, name in VOTES)
        actions += f'<span class="rh-thanks" hidden>{escape(labels["thanks"])}</span>'
    kind = " rh-abstained" if answer.abstained else ""
    return (f'<div class="rh-bubble rh-answer{kind}" lang="{lang}">{head}{body}'
            f'<div class="rh-actions">{actions}</div></div>')


def answer_text(answer: Answer, course: Course) -> str:
    """The answer as plain text: each sentence with its reference, then the name of its text."""
    if answer.abstained:
        return answer.text
    labels = LABELS[known(answer.language)]
    lines = []
    for source, sentences in _runs(answer.sentences):
        lines += [s.display(answer.language) for s in sentences]
        lines.append(f"{labels['text']}: {course.label(source)}")
    return "\n".join(lines)


def _runs(sentences: list[AnswerSentence]) -> list[tuple[str, list[AnswerSentence]]]:
    """Consecutive sentences grouped by the text they come from."""
    runs: list[tuple[str, list[AnswerSentence]]] = []
    for s in sentences:
        if runs and runs[-1][0] == s.source:
            runs[-1][1].append(s)
        else:
            runs.append((s.source, [s]))
    return runs


def _sentences_html(answer: Answer, course: Course) -> str:
    out, index = [], 0
    for source, sentences in _runs(answer.sentences):
        shown = []
        for s in sentences:
            short = answer.short if answer.short and answer.short.sentence == index else None
            shown.append(_sentence_html(s, answer.language, short))
            index += 1
        out.append(f'<p class="rh-text">{" ".join(shown)}</p>')
        if course.many:
            out.append(f'<p class="rh-work">\u2014 {escape(course.label(source))}</p>')
    return "".join(out)


def _sentence_html(s: AnswerSentence, language: str, short) -> str:
    shown = s.display(language)
    marks = []
    if short is not None:
        marks.append(Mark(short.start, short.end, '<mark class="rh-hit">', "</mark>"))
    if s.citation is None:
        if shown.startswith(s.text) and len(shown) > len(s.text):
            marks.append(Mark(len(s.text) + 1, len(shown), '<span class="rh-own">', "</span>"))
        return f'<span class="rh-sentence rh-author">{marked(shown, marks)}</span>'
    at = shown.rfind(s.citation.raw)  # the reference as the text writes it, marked up where it stands
    if at >= 0:
        marks.append(Mark(at, at + len(s.citation.raw), "<cite>", "</cite>"))
    return f'<span class="rh-sentence">{marked(shown, marks)}</span>'


def _passages_html(passages: list[Passage], sentences: list[AnswerSentence], title: str,
                   labels: dict[str, str], course: Course) -> str:
    if not passages:
        return ""
    items = "".join(_passage_html(p, sentences, labels, course) for p in passages)
    return (f'<details class="rh-sources"><summary>{escape(title)} ({len(passages)})</summary>'
            f'<ol>{items}</ol></details>')


def _passage_html(p: Passage, sentences: list[AnswerSentence], labels: dict[str, str], course: Course) -> str:
    c = p.chunk
    found = [(span, s) for s in sentences if s.source == c.source and (span := highlight_span(c.text, s.text))]
    body = marked(c.text, [Mark(start, end, "<mark>", "</mark>") for (start, end), _ in found])
    refs = ", ".join(dict.fromkeys(s.citation.raw for _, s in found if s.citation))
    ref = f'<div class="rh-ref">{escape(labels["reference"])}: {escape(refs)}</div>' if refs else ""
    where = f'{escape(labels["section"])}: {escape(c.section)}'
    if course.many:
        where = f"{escape(course.short_titles.get(c.source) or c.source)} \u00b7 {where}"
    return f'<li class="rh-passage"><div class="rh-meta">{where}</div><blockquote>{body}</blockquote>{ref}</li>'


def highlight_span(passage: str, sentence: str) -> tuple[int, int] | None:
    """Where `sentence` stands in `passage`: all of it, or the part a chunk boundary left there."""
    at = passage.find(sentence)
    if at >= 0:
        return at, at + len(sentence)
    match = SequenceMatcher(None, passage, sentence, autojunk=False).find_longest_match()
    if match.size >= min(MIN_HIGHLIGHT, len(sentence)):
        return match.a, match.a + match.size
    return None


def references_html(references: list[ReferenceUse], lang: str) -> str:
    """The References view of one text: every reference, its pages and the sentences citing it."""
    labels = LABELS[known(lang)]
    items = []
    for r in references:
        pages = (f' <span class="rh-pages">{escape(labels["pages"])} {escape(", ".join(r.pages))}</span>'
                 if r.pages else "")
        cited = "".join(
            f'<li><span class="rh-meta">{escape(s.section)}</span> {escape(s.text)}'
            f'{" " + escape(labels["following"]) if s.attribution == "following" else ""}</li>'
            for s in r.sentences)
        items.append(f'<li class="rh-reference"><details><summary><b>{escape(r.key)}</b>{pages} '
                     f'({len(r.sentences)})</summary><div class="rh-meta">{escape(labels["cited_by"])}</div>'
                     f'<ul>{cited}</ul></details></li>')
    return (f'<div class="rh-references" lang="{known(lang)}"><p>{escape(labels["references_intro"])}</p>'
            f'<ol>{"".join(items)}</ol></div>')
