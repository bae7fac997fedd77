"""Answers, questions and references as chat HTML, with every user and article string escaped.

Gradio's Chatbot renders HTML in messages (a typed `<img src=x onerror=...>` becomes an image),
so nothing reaches it unescaped: the only markup is the one built here. Each message is one
line, so that no renderer finds Markdown structure in it either.
"""

from __future__ import annotations

from difflib import SequenceMatcher
from html import escape

from ..answer import Answer, AnswerSentence
from ..assistant import ReferenceUse
from ..retrieval import Passage
from .labels import LABELS

MIN_HIGHLIGHT = 40  # characters: a shorter overlap between a sentence and a passage is chance


def user_html(question: str) -> str:
    return f'<div class="rh-question">{escape(question)}</div>'


def notice_html(message: str) -> str:
    """A message to the user that is not an answer (an empty question, a question that was cut)."""
    return f'<div class="rh-notice" role="status">{escape(message)}</div>'


def answer_html(answer: Answer, lang: str) -> str:
    """The answer sentences with their references, then the passages they come from (collapsed)."""
    labels = LABELS[lang]
    notice = answer.extra.get("notice")
    head = notice_html(notice) if notice else ""
    if answer.abstained:
        return (f'{head}<div class="rh-answer rh-abstained"><div class="rh-badge">{escape(labels["no_answer"])}'
                f'</div><p>{escape(answer.text)}</p></div>')
    sentences = " ".join(_sentence_html(s, answer.language) for s in answer.sentences)
    passages = "".join(_passage_html(p, answer.sentences, labels) for p in answer.passages)
    return (f'{head}<div class="rh-answer"><p class="rh-text">{sentences}</p>'
            f'<details class="rh-sources"><summary>{escape(labels["sources"])} ({len(answer.passages)})</summary>'
            f'<ol>{passages}</ol></details></div>')


def _sentence_html(s: AnswerSentence, language: str) -> str:
    text = escape(s.display(language))
    if s.citation is None:
        return f'<span class="rh-sentence rh-author">{text}</span>'
    raw = escape(s.citation.raw)
    at = text.rfind(raw)  # the reference as the article writes it, marked up where it stands
    return f'<span class="rh-sentence">{text[:at]}<cite>{raw}</cite>{text[at + len(raw):]}</span>'


def _passage_html(p: Passage, sentences: list[AnswerSentence], labels: dict[str, str]) -> str:
    c = p.chunk
    found = [(span, s) for s in sentences if (span := highlight_span(c.text, s.text))]
    body, last = [], 0
    for start, end in sorted(span for span, _ in found):
        if start < last:  # neighbouring answer sentences can overlap in a cut passage
            continue
        body.append(escape(c.text[last:start]) + f"<mark>{escape(c.text[start:end])}</mark>")
        last = end
    body.append(escape(c.text[last:]))
    refs = ", ".join(dict.fromkeys(s.citation.raw for _, s in found if s.citation))
    ref = f'<div class="rh-ref">{escape(labels["reference"])}: {escape(refs)}</div>' if refs else ""
    return (f'<li class="rh-passage"><div class="rh-meta">{escape(c.title or c.source)} · '
            f'{escape(labels["section"])}: {escape(c.section)}</div>'
            f'<blockquote>{"".join(body)}</blockquote>{ref}</li>')


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
    """The References view: every reference, its pages and the sentences citing it."""
    labels = LABELS[lang]
    items = []
    for r in references:
        pages = f' <span class="rh-pages">{escape(labels["pages"])} {escape(", ".join(r.pages))}</span>' if r.pages else ""
        cited = "".join(
            f'<li><span class="rh-meta">{escape(s.section)}</span> {escape(s.text)}'
            f'{" " + escape(labels["following"]) if s.attribution == "following" else ""}</li>'
            for s in r.sentences)
        items.append(f'<li class="rh-reference"><details><summary><b>{escape(r.key)}</b>{pages} '
                     f'({len(r.sentences)})</summary><div class="rh-meta">{escape(labels["cited_by"])}</div>'
                     f'<ul>{cited}</ul></details></li>')
    return (f'<div class="rh-references"><p>{escape(labels["references_intro"])}</p>'
            f'<ol>{"".join(items)}</ol></div>')
