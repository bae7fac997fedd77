"""Escaping and tables for the readable reports (evaluation and question log), Markdown or HTML.

What goes into a report can be typed by anyone (questions, answers), so every cell is escaped:
HTML as text, Markdown cells on one line, without HTML and with pipes escaped.
"""

from __future__ import annotations

import html
import re

CSS = """body{font-family:sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222}
table{border-collapse:collapse;margin:1em 0}
td,th{border:1px solid #ccc;padding:4px 8px;vertical-align:top;text-align:left}
th{background:#f3f3f3}"""


def html_text(text) -> str:
    return html.escape(str(text), quote=True)


def html_table(head: list[str], rows: list[list[str]]) -> str:
    th = "".join(f"<th>{html_text(h)}</th>" for h in head)
    body = "".join("<tr>" + "".join(f"<td>{html_text(c)}</td>" for c in r) + "</tr>" for r in rows)
    return f"<table><tr>{th}</tr>{body}</table>"


def md_text(text) -> str:
    """Safe in a Markdown table cell: no HTML, no pipes, one line."""
    return re.sub(r"\s+", " ", html.escape(str(text), quote=False)).replace("|", "\\|").strip()


def md_table(head: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(map(md_text, head)) + " |", "|" + " --- |" * len(head)]
    lines += ["| " + " | ".join(map(md_text, r)) + " |" for r in rows]
    return "\n".join(lines)
