"""The Gradio Blocks: the full chat with its References view, or the compact chat for iframes.

Both share the process's one Assistant. The interface language follows the browser (or a
`?lang=` parameter) and can be switched; answers keep the question's language.

The answer handlers are `async def` without awaits: Gradio runs them on the server's event loop
instead of handing each to a worker thread. An answer is ~7 ms of single-threaded Python that
holds the GIL anyway, so threads bought no parallelism, only GIL hand-offs with the loop (about
a third of the server's CPU per request under 16 concurrent clients; benchmarks/FINDINGS.md,
section 3). The queue's concurrency limit bounds how many answers are admitted at once, and so
how long the loop can be busy before it serves other requests (4 × ~7 ms).
"""

from __future__ import annotations

from dataclasses import dataclass

import gradio as gr

from ..assistant import Assistant
from ..errors import QuestionError
from .labels import EXAMPLES, LABELS, LANGUAGES
from .render import answer_html, notice_html, references_html, user_html

# Runs in the browser on page load: `?lang=tr|en` wins, then the browser's own language.
DETECT_LANGUAGE_JS = """() => {
  const tag = new URLSearchParams(window.location.search).get("lang") || navigator.language || "";
  return tag.toLowerCase().startsWith("tr") ? "tr" : "en";
}"""


@dataclass
class ChatParts:
    """The components whose labels follow the interface language."""

    language: gr.Radio
    chatbot: gr.Chatbot
    question: gr.Textbox
    send: gr.Button
    examples: gr.Dataset


@dataclass
class PageParts:
    """What the full page has around the chat: header, tabs and the References view per language."""

    header: gr.HTML
    chat_tab: gr.Tab
    references_tab: gr.Tab
    references: gr.HTML
    views: dict[str, str]


def build_blocks(assistant: Assistant, compact: bool, concurrency: int) -> gr.Blocks:
    """The chat page (compact: the chat alone, for the embed view) with its events and the /ask API."""
    en = LABELS["en"]
    with gr.Blocks(title=en["title"], analytics_enabled=False, fill_height=compact) as blocks:
        page = None
        if compact:
            with gr.Column(elem_classes=["rh-compact"], scale=1):
                parts = _chat(en, compact)
        else:
            header = gr.HTML(_header(en), elem_classes=["rh-header"])
            with gr.Tabs():
                with gr.Tab(en["chat"], id="chat") as chat_tab:
                    parts = _chat(en, compact)
                with gr.Tab(en["references"], id="references") as references_tab:
                    views = {lang: references_html(assistant.references(), lang) for lang in LANGUAGES}
                    references = gr.HTML(views["en"], elem_id="rh-references")
            page = PageParts(header, chat_tab, references_tab, references, views)
            gr.api(_record_api(assistant), api_name="ask",
                   api_description="Answer a question about the article; returns the answer record "
                                   "(sentences copied from the article with their references).")
        _wire_questions(assistant, parts)
        _wire_language(blocks, parts, page)
    blocks.queue(default_concurrency_limit=concurrency)
    return blocks


def _header(labels: dict[str, str]) -> str:
    return f"<h1>{labels['title']}</h1><p>{labels['intro']}</p>"


def _chat(labels: dict[str, str], compact: bool) -> ChatParts:
    language = gr.Radio([("Türkçe", "tr"), ("English", "en")], value="en", label=labels["language"],
                        elem_id="rh-language", elem_classes=["rh-language"], container=False)
    chatbot = gr.Chatbot(
        label=labels["title"], show_label=False, elem_id="rh-chat",
        height="100%" if compact else 520, scale=1 if compact else None,
        placeholder=labels["empty"],
        # Messages are HTML built by render.py from escaped text; no Markdown or LaTeX reading.
        render_markdown=False, latex_delimiters=[], sanitize_html=True,
        buttons=["copy"], feedback_options=None, group_consecutive_messages=False,
    )
    with gr.Row(equal_height=False, elem_classes=["rh-ask"]):
        question = gr.Textbox(label=labels["question"], placeholder=labels["placeholder"], show_label=not compact,
                              elem_id="rh-question", scale=5, max_lines=4, autofocus=not compact)
        send = gr.Button(labels["send"], variant="primary", elem_id="rh-send", scale=1, min_width=80)
    shown = EXAMPLES[::2] if compact else EXAMPLES  # the embed view keeps one per language
    examples = gr.Examples(shown, inputs=question, label=labels["examples"], examples_per_page=len(shown),
                           elem_id="rh-examples")
    return ChatParts(language, chatbot, question, send, examples.dataset)


def _wire_questions(assistant: Assistant, parts: ChatParts) -> None:
    async def respond(question: str, history: list, lang: str):  # on the event loop: see the module doc
        history = list(history or [])
        try:
            answer = assistant.ask(question)
        except QuestionError as exc:  # an empty question: say so in the chat, keep nothing else
            return history + [{"role": "assistant", "content": notice_html(str(exc))}], question
        return history + [{"role": "user", "content": user_html(answer.question)},
                          {"role": "assistant", "content": answer_html(answer, _known(lang))}], ""

    ask = dict(fn=respond, inputs=[parts.question, parts.chatbot, parts.language],
               outputs=[parts.chatbot, parts.question], api_visibility="private")
    parts.question.submit(**ask)
    parts.send.click(**ask)


def _wire_language(blocks: gr.Blocks, parts: ChatParts, page: PageParts | None) -> None:
    def relabel(lang: str):
        lang = _known(lang)
        labels = LABELS[lang]
        updates = [gr.update(label=labels["language"]), gr.update(placeholder=labels["empty"]),
                   gr.update(label=labels["question"], placeholder=labels["placeholder"]),
                   gr.update(value=labels["send"]), gr.update(label=labels["examples"])]
        if page:
            updates += [_header(labels), gr.update(label=labels["chat"]), gr.update(label=labels["references"]),
                        page.views[lang]]
        return updates

    outputs = [parts.language, parts.chatbot, parts.question, parts.send, parts.examples]
    if page:
        outputs += [page.header, page.chat_tab, page.references_tab, page.references]
    parts.language.change(relabel, inputs=parts.language, outputs=outputs, api_visibility="private", queue=False)
    blocks.load(None, outputs=parts.language, js=DETECT_LANGUAGE_JS, api_visibility="private", queue=False)


def _known(lang: str) -> str:
    return lang if lang in LANGUAGES else "en"


def _record_api(assistant: Assistant):
    async def ask(question: str) -> dict:  # on the event loop: see the module doc
        """The answer record of CONTRACT.md for one question."""
        try:
            return assistant.ask(question).to_dict()
        except QuestionError as exc:
            raise gr.Error(str(exc)) from None

    return ask
