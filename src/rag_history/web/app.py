"""The Gradio Blocks: the full chat with its References view, or the compact chat for iframes.

Both share the process's one Assistant. The interface language follows the browser (or a
`?lang=` parameter) and can be switched; answers keep the question's language. A page may be
limited to one text of the course (`?source=FILE.txt`, the widget's `data-source`), and the
chat can be switched between one text and the whole course.

The conversation lives in the browser, not in the server: the chat is a gr.HTML whose script
(static/chat.js) appends each turn the server renders, keeps the turns in localStorage until
Clear, and sends with each question only the last MAX_HISTORY_QUESTIONS earlier questions,
each as the answerer read it (at most 500 characters). The server keeps no session state, and a
request stays under 4 KB however long the conversation (the old page sent the whole chat back
with every question: its body passed 1 MB at turn 225, and every later question was refused).
The script also gives answers a plain-text Copy and readable labels, which a gr.Chatbot cannot:
it copies a message's HTML source and reads it out as its aria-label.

The answer handlers are `async def` without awaits: Gradio runs them on the server's event loop
instead of handing each to a worker thread. An answer is ~65 ms: the two encoders' ~55 ms run
one at a time under the assistant's lock (their buffers are not shared safely), the rest is
Python holding the GIL, so threads bought no parallelism, only GIL hand-offs with the loop (about
a third of the server's CPU per request under 16 concurrent clients, measured with USE-m;
benchmarks/FINDINGS.md, section 3). The queue's concurrency limit bounds how many answers are
admitted at once, and so how long the loop can be busy before it serves other requests (4 ×
~65 ms). The one await is the question log's write (when logging): an fsync, which a worker
thread waits for instead of the loop.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import secrets
import uuid
from dataclasses import dataclass
from pathlib import Path

import gradio as gr

from ..answer import Answer
from ..assistant import Assistant
from ..errors import QuestionError, RagHistoryError
from ..question import MAX_HISTORY_QUESTIONS, MAX_QUESTION_CHARS, clean_question
from .labels import EXAMPLES, LABELS, SCRIPT_LABELS, known
from .limits import earlier_questions
from .render import Course, answer_html, answer_text, notice_html, question_html, references_html

STATIC = Path(__file__).parent / "static"

# Runs in the browser on page load: `?lang=tr|en` wins, then the browser's own language; and the
# text the page is limited to (`?source=`), checked by the server (_start).
DETECT_JS = """(lang, source) => {
  const params = new URLSearchParams(window.location.search);
  const tag = params.get("lang") || navigator.language || "";
  return [tag.toLowerCase().startsWith("tr") ? "tr" : "en", params.get("source") || ""];
}"""
# Runs as a question is sent: chat.js shows it at once and gives the earlier questions to send.
ASK_JS = """(question, history, lang, source) =>
  [question, window.ragHistoryChat ? window.ragHistoryChat.asking(question) : [], lang, source]"""
CLEAR_JS = "() => { if (window.ragHistoryChat) window.ragHistoryChat.clear(); }"
FAILED_JS = "() => { if (window.ragHistoryChat) window.ragHistoryChat.failed(); }"
CHAT_TEMPLATE = ('<div class="rh-scroll"><div class="rh-log" role="log" aria-live="polite"></div>'
                 '<p class="rh-empty"></p></div>')


@dataclass
class ChatParts:
    """The components whose labels follow the interface language, and the chat's hidden carrier."""

    language: gr.Radio
    source: gr.Dropdown
    chat: gr.HTML
    history: gr.JSON
    question: gr.Textbox
    send: gr.Button
    clear: gr.Button
    examples: gr.Dataset


@dataclass
class PageParts:
    """What the full page has around the chat: header, tabs and the References view with its chooser."""

    header: gr.HTML
    chat_tab: gr.Tab
    references_tab: gr.Tab
    chooser: gr.Dropdown
    references: gr.HTML


def build_blocks(assistant: Assistant, compact: bool, concurrency: int, question_log=None) -> gr.Blocks:
    """The chat page (compact: the chat alone, for the embed view) with its events and the /ask API.

    `question_log` (a questionlog.QuestionLog, or None) records each question the chat answers,
    and the chat then shows thumbs up/down under each answer, which it records too.
    """
    course = Course.of(assistant.texts)
    en = LABELS["en"]
    with gr.Blocks(title=_title(en, course), analytics_enabled=False, fill_height=compact) as blocks:
        page = None
        if compact:
            with gr.Column(elem_classes=["rh-compact"], scale=1):
                parts = _chat(course, en, compact)
        else:
            with gr.Row(elem_classes=["rh-top"], equal_height=False):  # the language is the page's, above the tabs
                header = gr.HTML(_header(en, course), elem_classes=["rh-header"], js_on_load=None)
                language = _language(en)
            with gr.Tabs():
                with gr.Tab(en["chat"], id="chat") as chat_tab:
                    parts = _chat(course, en, compact, language)
                with gr.Tab(en["references"], id="references") as references_tab:
                    first = assistant.texts[0].name if assistant.texts else None
                    chooser = gr.Dropdown(_text_choices(course), value=first, label=en["references_text"],
                                          visible=course.many, elem_id="rh-references-text", interactive=True)
                    references = gr.HTML(references_html(assistant.references(first), "en"),
                                         elem_id="rh-references", js_on_load=None)
            page = PageParts(header, chat_tab, references_tab, chooser, references)
            gr.api(_record_api(assistant), api_name="ask",
                   api_description="Answer a question about the course texts; returns the answer record "
                                   "(sentences copied from the texts with their references). `history`: the "
                                   "conversation's earlier questions, oldest first; `source`: one text's file "
                                   "name to answer from (default: every text).")
        _wire_questions(assistant, course, parts, question_log)
        _wire_language(blocks, assistant, course, parts, page)
    blocks.queue(default_concurrency_limit=concurrency)
    return blocks


def _title(labels: dict[str, str], course: Course) -> str:
    return labels["title_many" if course.many else "title"]


def _header(labels: dict[str, str], course: Course) -> str:
    what = labels["what_many" if course.many else "what_one"]
    return f"<h1>{_title(labels, course)}</h1><p>{labels['intro'].format(what=what)}</p>"


def _text_choices(course: Course) -> list[tuple[str, str]]:
    return [(label, name) for name, label in course.labels.items()]


def _source_choices(course: Course, labels: dict[str, str]) -> list[tuple[str, str]]:
    return [(labels["whole_course"], "")] + _text_choices(course)


def _script_labels(labels: dict[str, str]) -> dict[str, str]:
    return {k: labels[k] for k in SCRIPT_LABELS}


def _language(labels: dict[str, str]) -> gr.Radio:
    return gr.Radio([("Türkçe", "tr"), ("English", "en")], value="en", label=labels["language"],
                    elem_id="rh-language", elem_classes=["rh-language"], container=False)


def _chat(course: Course, labels: dict[str, str], compact: bool, language: gr.Radio | None = None) -> ChatParts:
    """The chat's controls (the language too, unless the page has it elsewhere), the conversation,
    the question box and the examples."""
    with gr.Row(elem_classes=["rh-controls"], equal_height=True):
        language = language or _language(labels)
        source = gr.Dropdown(_source_choices(course, labels), value="", label=labels["source"],
                             visible=course.many, elem_id="rh-source", interactive=True, show_label=False,
                             container=False)
        clear = gr.Button(labels["clear"], variant="secondary", size="sm", elem_id="rh-clear", scale=0,
                          min_width=64)
    chat = gr.HTML(None, html_template=CHAT_TEMPLATE, js_on_load=(STATIC / "chat.js").read_text(encoding="utf-8"),
                   labels=_script_labels(labels), max_history=MAX_HISTORY_QUESTIONS,
                   max_chars=MAX_QUESTION_CHARS,
                   elem_id="rh-chat", apply_default_css=False, scale=1 if compact else None)
    history = gr.JSON(visible=False)
    with gr.Row(equal_height=False, elem_classes=["rh-ask"]):
        question = gr.Textbox(label=labels["question"], placeholder=labels["placeholder"], show_label=not compact,
                              elem_id="rh-question", scale=5, max_lines=4, autofocus=not compact)
        send = gr.Button(labels["send"], variant="primary", elem_id="rh-send", scale=1, min_width=64)
    shown = EXAMPLES[::2] if compact else EXAMPLES  # the embed view keeps one per language
    examples = gr.Examples(shown, inputs=question, label=labels["examples"], examples_per_page=len(shown),
                           elem_id="rh-examples")
    return ChatParts(language, source, chat, history, question, send, clear, examples.dataset)


def _wire_questions(assistant: Assistant, course: Course, parts: ChatParts, question_log) -> None:
    votes = Votes(question_log) if question_log is not None else None

    async def respond(question: str, history, lang: str, source: str):  # on the event loop: see the module doc
        lang = known(lang)
        try:
            answer = assistant.ask(question, history=_earlier(history), source=source or None, id=uuid.uuid4().hex)
        except QuestionError as exc:  # an empty question: say so in the interface language, keep what was typed
            return _notice_turn(exc.in_language(lang), lang), question
        vote = await asyncio.to_thread(votes.record, answer, source or None) if votes else ""
        return {"id": answer.id, "asked": clean_question(answer.question).text, "vote": vote,
                "html": question_html(answer.question) + answer_html(answer, course, votes=bool(vote)),
                "text": answer_text(answer, course)}, ""

    asked = gr.on([parts.question.submit, parts.send.click], respond, js=ASK_JS,
                  inputs=[parts.question, parts.history, parts.language, parts.source],
                  outputs=[parts.chat, parts.question], show_progress="hidden", api_visibility="private")
    asked.failure(None, js=FAILED_JS, api_visibility="private")
    parts.clear.click(None, js=CLEAR_JS, api_visibility="private", queue=False)
    if votes:
        # Every vote counts: Gradio's default ("once") drops a click made while an earlier vote
        # is still on its way, which a busy server turned into lost votes on other answers.
        parts.chat.feedback(votes.feedback, api_visibility="private", trigger_mode="multiple")


def _notice_turn(message: str, lang: str) -> dict:
    return {"id": uuid.uuid4().hex, "asked": "", "vote": "", "html": notice_html(message, lang), "text": message}


def _earlier(history) -> tuple[str, ...]:
    """The earlier questions a page or an API caller sent (checked by guard.py), within the limits."""
    if not isinstance(history, (list, tuple)):
        return ()
    return tuple(earlier_questions([h for h in history if isinstance(h, str)]))


# Signs the log entries this process hands out for voting (both pages: a turn given by one may be
# shown again by the other, which shares its browser storage).
_VOTE_KEY = secrets.token_bytes(32)


class Votes:
    """Thumbs up/down on logged answers. A vote names its log entry with a signature made by this
    process, so that a page can vote only on the answers it was given, not on any entry id."""

    def __init__(self, question_log):
        self.log = question_log

    @staticmethod
    def _sign(entry: int) -> str:
        return hmac.new(_VOTE_KEY, str(entry).encode(), hashlib.sha256).hexdigest()[:32]

    def record(self, answer: Answer, source: str | None) -> str:
        """Log the answer; the token its thumbs send back ("" when the log could not take it)."""
        try:
            entry = self.log.record(answer.to_dict(), limited_to=source)
        except RagHistoryError:  # a log gone bad (disk full) must not stop the answers
            return ""
        return f"{entry}.{self._sign(entry)}"

    def feedback(self, evt: gr.EventData) -> None:
        data = getattr(evt, "_data", None)  # the chat script's {vote, up}; from a stranger, anything
        if not isinstance(data, dict) or not isinstance(data.get("vote"), str):
            return
        entry, _, signature = data["vote"].partition(".")
        if not entry.isdigit() or not hmac.compare_digest(signature, self._sign(int(entry))):
            return
        try:
            self.log.feedback(int(entry), up=data.get("up") is True)
        except RagHistoryError:
            pass


def _wire_language(blocks: gr.Blocks, assistant: Assistant, course: Course, parts: ChatParts,
                   page: PageParts | None) -> None:
    def relabel(lang: str):
        labels = LABELS[known(lang)]
        updates = [gr.update(label=labels["language"]),
                   gr.update(label=labels["source"], choices=_source_choices(course, labels)),
                   gr.update(labels=_script_labels(labels)),
                   gr.update(label=labels["question"], placeholder=labels["placeholder"]),
                   gr.update(value=labels["send"]), gr.update(value=labels["clear"]),
                   gr.update(label=labels["examples"])]
        if page:
            updates += [_header(labels, course), gr.update(label=labels["chat"]),
                        gr.update(label=labels["references"]), gr.update(label=labels["references_text"])]
        return updates

    outputs = [parts.language, parts.source, parts.chat, parts.question, parts.send, parts.clear, parts.examples]
    if page:
        outputs += [page.header, page.chat_tab, page.references_tab, page.chooser]
    relabelled = parts.language.change(relabel, inputs=parts.language, outputs=outputs, api_visibility="private",
                                       queue=False)
    if page:  # the References view of the chosen text, in the interface language
        view = dict(fn=lambda lang, text: references_html(assistant.references(text), lang),
                    inputs=[parts.language, page.chooser], outputs=page.references, api_visibility="private",
                    queue=False)
        relabelled.then(**view)
        page.chooser.change(**view)

    def start(lang: str, source: str):
        """The detected language, and the text the page asked for if it is one of the course's."""
        return known(lang), (source if source in course.labels else "")

    requested = gr.Textbox(visible=False)
    blocks.load(start, inputs=[parts.language, requested], outputs=[parts.language, parts.source], js=DETECT_JS,
                api_visibility="private", queue=False)


def _record_api(assistant: Assistant):
    async def ask(question: str, history: list[str] | None = None, source: str | None = None) -> dict:
        """The answer record of CONTRACT.md for one question, in the conversation of `history`."""
        try:
            return assistant.ask(question, history=_earlier(history), source=source or None).to_dict()
        except QuestionError as exc:
            raise gr.Error(str(exc)) from None

    return ask
