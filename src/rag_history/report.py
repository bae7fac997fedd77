"""Readable evaluation report: Markdown, or self-contained HTML (by the suffix) with inline SVG charts.

Headline numbers come from `evaluation.metrics`, each with what it counts (`evaluation.described`),
and each group (language, question type, source text) is scored by the same function on its
subset, so the report never disagrees with the scorer. Questions without gold fields are listed
with their answers; a set with none at all gets a report of its answers only.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from .evaluation import GOLD_FIELDS, Outcome, by_source, counted, described, metrics, source_of
from .markup import CSS, html_table, html_text, md_table, md_text
from .output import write_atomic

CHARTS = ("headline", "accuracy", "tradeoff")  # a Markdown report's SVG files, named after it
NOTHING_TO_SCORE = (f"Nothing to score: no question has gold fields ({', '.join(GOLD_FIELDS)}). "
                    "Here are the questions with their answers, references and abstentions.")
UNSCORED_TEXT = (f"These questions have no gold fields ({', '.join(GOLD_FIELDS)}): they were answered, "
                 "not scored, and count in no figure above except the counts. Each is shown with its "
                 "answer, references and whether it abstained.")
SOURCE_TEXT = ("The source text of a question is its row's source field, else the text its answer's "
               "first sentence comes from, else (an abstention) the text of its best passage.")
TRADEOFF_TEXT = (
    "For each threshold t over the answers' confidence (the similarity of the best answer sentence), "
    "a question counts as abstained if the system abstained, or answered with confidence below t: "
    "the threshold is applied on top of the current decisions, never undoing an abstention. "
    "The curve plots, over every t from 0 (today's decisions) to just above the highest confidence, "
    "the share of unanswerable questions abstained against the share of answerable questions "
    "wrongly abstained; answer accuracy counts answerable questions still answered correctly."
)


def question_type(question: dict) -> str:
    """The set's `type`, else what the answerer reads the question as asking for, else "other"."""
    if question.get("type"):
        return question["type"]
    from .reading import QUESTION_TYPES, question_types

    found = question_types(question.get("question", ""))
    return next((name for name in QUESTION_TYPES if name in found), "other")


@dataclass(frozen=True)
class Group:
    name: str
    answerable: int
    unanswerable: int
    metrics: dict


def groups(outcomes: list[Outcome], key) -> list[Group]:
    """Outcomes split by key(question), each scored by `metrics`, largest group first."""
    split: dict[str, list[Outcome]] = {}
    for o in outcomes:
        if o.scored:
            split.setdefault(key(o.question), []).append(o)
    out = [Group(name, sum(o.answerable for o in g), sum(not o.answerable for o in g), metrics(g))
           for name, g in split.items()]
    return sorted(out, key=lambda g: (-(g.answerable + g.unanswerable), g.name))


@dataclass(frozen=True)
class TradeoffPoint:
    threshold: float
    unanswerable_abstained: float  # share of unanswerable questions abstained
    answerable_abstained: float  # share of answerable questions wrongly abstained
    answer_accuracy: float  # share of answerable questions still answered correctly


def tradeoff(outcomes: list[Outcome]) -> list[TradeoffPoint]:
    """The abstention trade-off curve over the scored questions; see TRADEOFF_TEXT."""
    outcomes = [o for o in outcomes if o.scored]
    answerable = [o for o in outcomes if o.answerable]
    unanswerable = [o for o in outcomes if not o.answerable]
    answered = sorted({_confidence(o) for o in outcomes if not o.answer.get("abstained")})
    # A threshold at each confidence abstains below it; one just above the top abstains on everything.
    thresholds = [0.0] + [t for t in answered if t > 0] + ([math.nextafter(answered[-1], math.inf)] if answered else [])

    def abstains(o: Outcome, t: float) -> bool:
        return bool(o.answer.get("abstained")) or _confidence(o) < t

    def share(group: list[Outcome], pred) -> float:
        return sum(map(pred, group)) / len(group) if group else 0.0

    return [TradeoffPoint(t, share(unanswerable, lambda o: abstains(o, t)), share(answerable, lambda o: abstains(o, t)),
                          share(answerable, lambda o: o.correct and not abstains(o, t))) for t in thresholds]


def wrong(outcomes: list[Outcome]) -> list[Outcome]:
    """Wrong answers, wrong abstentions (either way), and right sentences with the wrong reference."""
    return [o for o in outcomes if o.scored and (not o.correct or o.cited is False)]


def report_files(path: Path) -> list[Path]:
    """Every file a report at `path` may write: the report, and for Markdown its charts."""
    path = Path(path)
    if _is_html(path):
        return [path]
    return [path] + [path.with_name(f"{path.stem}-{name}.svg") for name in CHARTS]


def write_report(path: Path, outcomes: list[Outcome], assistant) -> Path:
    """Write the report; `.html`/`.htm` gives HTML, anything else Markdown (charts as sibling SVG files).

    Each file is written whole or not at all; raises OSError when one cannot be written."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    blocks = _document(outcomes, _about(assistant))
    charts = _charts(outcomes) if any(o.scored for o in outcomes) else {}
    if _is_html(path):
        write_atomic(path, _html(blocks, charts))
    else:
        names = {}
        for name, chart in zip(CHARTS, report_files(path)[1:]):
            if name in charts:
                write_atomic(chart, charts[name])
                names[name] = chart.name
        write_atomic(path, _markdown(blocks, names))
    return path


# --- shared pieces -----------------------------------------------------------------------------


def _is_html(path: Path) -> bool:
    return path.suffix.lower() in (".html", ".htm")


def _confidence(o: Outcome) -> float:
    return float(o.answer.get("confidence") or 0.0)


def _lang(q: dict) -> str:
    return q.get("lang", "tr")


def _about(assistant) -> list[str]:
    """What was evaluated; assistant may be None (e.g. when scoring saved answers)."""
    lines = [f"written {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC"]
    if assistant is not None:
        lines += [f"embedding model: {assistant.index.model}", f"sources: {', '.join(assistant.sources)}"]
    return lines


def _fmt(value) -> str:
    return "–" if value is None else f"{value:.3f}" if isinstance(value, float) else str(value)


def _group_rows(outcomes: list[Outcome]) -> list[tuple[str, list[Group]]]:
    return [("language", groups(outcomes, _lang)), ("question type", groups(outcomes, question_type))]


def _group_cells(g: Group) -> list[str]:
    m = g.metrics
    return [g.name, str(g.answerable), _fmt(m["answer_accuracy"]) if g.answerable else "–",
            _fmt(m["hit@5"]) if g.answerable else "–", str(g.unanswerable),
            _fmt(m["abstention_accuracy"]) if g.unanswerable else "–"]


GROUP_HEAD = ["group", "answerable", "answer accuracy", "hit@5", "unanswerable", "abstention accuracy"]


def _tradeoff_rows(points: list[TradeoffPoint]) -> list[list[str]]:
    """The points where one more unanswerable question is abstained, and the last point."""
    rows, last = [], None
    for i, p in enumerate(points):
        if i == 0 or p.unanswerable_abstained != last or i == len(points) - 1:
            rows.append([f"{p.threshold:.3f}", _fmt(p.unanswerable_abstained), _fmt(p.answerable_abstained),
                         _fmt(p.answer_accuracy)])
        last = p.unanswerable_abstained
    return rows


TRADEOFF_HEAD = ["threshold", "unanswerable abstained", "answerable wrongly abstained", "answer accuracy"]


def _case(o: Outcome) -> dict[str, str]:
    """One wrong answer as label → text, expected and ours side by side."""
    q, a = o.question, o.answer
    if o.answerable:
        expected = " | ".join(q.get("answer_contains", [])) or "(no expected strings)"
        gold = ", ".join(q.get("gold_citations", [])) or "none: the article author's own statement"
    else:
        expected, gold = "abstain: the article does not answer this", "–"
    cites = _references(a)
    rank = "–" if o.first_hit is None else str(o.first_hit + 1)
    if not o.answerable:
        what = "answered an unanswerable question"
    elif a.get("abstained"):
        what = "wrongly abstained"
    elif o.correct:
        what = "right sentence, wrong reference"
    else:
        what = "wrong answer"
    return {"id": str(q.get("id", "")), "lang": _lang(q), "type": question_type(q), "what": what,
            "question": q.get("question", ""), "expected": expected, "gold": gold,
            "answer": a.get("answer", ""), "citations": cites or "none",
            "rank": rank, "reason": a.get("reason") or "–", "confidence": f"{_confidence(o):.3f}"}


def _references(a: dict) -> str:
    return ", ".join(c.get("raw") or f"{c.get('author', '')} {c.get('year', '')}" for c in a.get("citations") or [])


def _entry(o: Outcome) -> list[tuple[str, str]]:
    """One answered question as (label, text) rows: for the unscored list and an answers-only report."""
    q, a = o.question, o.answer
    abstained = a.get("abstained")
    rows = [("question", q.get("question", ""))]
    if q.get("history"):
        rows.append(("earlier questions", " | ".join(q["history"])))
    rows += [("answer", a.get("answer", "")), ("references", _references(a) or "none"),
             ("abstained", f"yes: {a.get('reason') or a.get('error') or 'no reason given'}" if abstained else "no"),
             ("source", source_of(o))]
    if a.get("notice"):
        rows.append(("notice", a["notice"]))
    return rows


def _headline_rows(m: dict) -> list[list[str]]:
    return [[key, _fmt(value), note] for key, value, note in described(m)]


METRIC_HEAD = ["metric", "value", "what it counts"]


def _source_sections(outcomes: list[Outcome]) -> list[tuple[str, list[list[str]] | None]]:
    """(heading, metric rows) per source text; one source: a sentence instead of a repeated table."""
    groups = by_source(outcomes)
    if len(groups) == 1:
        return [(f"Every question is about {groups[0][0]}: the figures are the headline ones.", None)]
    return [(f"{name} ({counted(len(group), 'question')})", _headline_rows(metrics(group))) for name, group in groups]


# --- SVG charts ----------------------------------------------------------------------------------


def _bars(title: str, rows: list[tuple[str, float, str]]) -> str:
    """Horizontal bar chart of shares in [0, 1]; rows are (label, value, note)."""
    left, width, bar_h, gap, top = 210, 300, 16, 6, 34
    height = top + len(rows) * (bar_h + gap) + 10
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{left + width + 120}" height="{height}" '
           f'viewBox="0 0 {left + width + 120} {height}" role="img" aria-label="{html_text(title)}" '
           'font-family="sans-serif" font-size="12">',
           f'<text x="4" y="18" font-size="14" font-weight="bold">{html_text(title)}</text>']
    for tick in (0, 0.5, 1):
        x = left + tick * width
        out.append(f'<line x1="{x:.1f}" y1="{top - 6}" x2="{x:.1f}" y2="{height - 8}" stroke="#ccc"/>')
    for i, (label, value, note) in enumerate(rows):
        y = top + i * (bar_h + gap)
        out.append(f'<text x="{left - 6}" y="{y + bar_h - 4}" text-anchor="end">{html_text(label)}</text>')
        out.append(f'<rect x="{left}" y="{y}" width="{max(value, 0) * width:.1f}" height="{bar_h}" fill="#3b6ea8">'
                   f'<title>{html_text(label)}: {value:.3f} {html_text(note)}</title></rect>')
        out.append(f'<text x="{left + width + 6}" y="{y + bar_h - 4}">{value:.2f} {html_text(note)}</text>')
    out.append("</svg>")
    return "\n".join(out)


def _curve(points: list[TradeoffPoint]) -> str:
    """The trade-off curve: x answerable wrongly abstained, y unanswerable abstained."""
    left, top, size = 60, 30, 300
    w, h = left + size + 30, top + size + 50

    def xy(p: TradeoffPoint) -> tuple[float, float]:
        return left + p.answerable_abstained * size, top + (1 - p.unanswerable_abstained) * size

    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}" role="img" '
           'aria-label="Abstention trade-off curve" font-family="sans-serif" font-size="12">',
           '<text x="4" y="18" font-size="14" font-weight="bold">Abstention trade-off</text>']
    for tick in (0, 0.25, 0.5, 0.75, 1):
        x, y = left + tick * size, top + (1 - tick) * size
        out.append(f'<line x1="{x:.1f}" y1="{top}" x2="{x:.1f}" y2="{top + size}" stroke="#ddd"/>')
        out.append(f'<line x1="{left}" y1="{y:.1f}" x2="{left + size}" y2="{y:.1f}" stroke="#ddd"/>')
        out.append(f'<text x="{x:.1f}" y="{top + size + 16}" text-anchor="middle">{tick:g}</text>')
        out.append(f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end">{tick:g}</text>')
    out.append(f'<text x="{left + size / 2}" y="{h - 8}" text-anchor="middle">answerable questions wrongly '
               'abstained</text>')
    out.append(f'<text x="14" y="{top + size / 2}" text-anchor="middle" transform="rotate(-90 14 '
               f'{top + size / 2})">unanswerable questions abstained</text>')
    if points:
        line = " ".join(f"{x:.1f},{y:.1f}" for x, y in map(xy, points))
        out.append(f'<polyline points="{line}" fill="none" stroke="#3b6ea8" stroke-width="2"/>')
        for i, p in enumerate(points):
            x, y = xy(p)
            r, colour = (5, "#c0392b") if i == 0 else (2.5, "#3b6ea8")  # the first point is today's decisions
            out.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r}" fill="{colour}">'
                       f'<title>threshold {p.threshold:.3f}: unanswerable abstained {p.unanswerable_abstained:.2f}, '
                       f'answerable wrongly abstained {p.answerable_abstained:.2f}</title></circle>')
        x, y = xy(points[0])
        out.append(f'<text x="{x + 8:.1f}" y="{y + 14:.1f}" fill="#c0392b">now</text>')
    out.append("</svg>")
    return "\n".join(out)


def _charts(outcomes: list[Outcome]) -> dict[str, str]:
    """The charts of a set with scored questions, by name (CHARTS)."""
    m = metrics(outcomes)
    of = {"citation_accuracy": m["citations_checked"], "abstention_accuracy": m["unanswerable"]}
    headline = [(k, m[k], f"(n={of.get(k, m['answerable'])})")
                for k in ("answer_accuracy", "hit@1", "hit@3", "hit@5", "citation_accuracy", "abstention_accuracy")]
    by_group = [(f"{kind}: {g.name}", g.metrics["answer_accuracy"], f"(n={g.answerable})")
                for kind, gs in _group_rows(outcomes) for g in gs if g.answerable]
    return {"headline": _bars("Headline metrics", headline),
            "accuracy": _bars("Answer accuracy by language and question type", by_group),
            "tradeoff": _curve(tradeoff(outcomes))}


# --- the document, then its HTML and Markdown ----------------------------------------------------


@dataclass(frozen=True)
class Heading:
    level: int
    text: str


@dataclass(frozen=True)
class Para:
    text: str
    strong: bool = False


@dataclass(frozen=True)
class Table:
    head: list[str]
    rows: list[list[str]]


@dataclass(frozen=True)
class Figure:
    chart: str  # a name in CHARTS
    alt: str


GROUPS_TEXT = ("Answer accuracy and hit@5 over answerable questions; abstention accuracy over unanswerable ones. "
               "Question type is the set's type field, else what the answerer reads the question as asking for, "
               "else “other”.")


def _document(outcomes: list[Outcome], about: list[str]) -> list:
    """The report as blocks, the same for both formats."""
    m = metrics(outcomes)
    scored = [o for o in outcomes if o.scored]
    unscored = [o for o in outcomes if not o.scored]
    out = [Heading(1, "rag-history evaluation report"), Para(" · ".join(about))]
    if not scored:
        out += [Para(NOTHING_TO_SCORE, strong=True), Heading(2, "Headline"), Table(METRIC_HEAD, _headline_rows(m))]
    else:
        out += [Heading(2, "Headline"), Table(METRIC_HEAD, _headline_rows(m)), Figure("headline", "Headline metrics"),
                Heading(2, "By language and question type"), Para(GROUPS_TEXT)]
        for kind, gs in _group_rows(scored):
            out += [Heading(3, f"By {kind}"), Table(GROUP_HEAD, [_group_cells(g) for g in gs])]
        out.append(Figure("accuracy", "Answer accuracy by group"))
    out += [Heading(2, "By source text"), Para(SOURCE_TEXT)]
    for heading, rows in _source_sections(outcomes):
        out += [Para(heading)] if rows is None else [Heading(3, heading), Table(METRIC_HEAD, rows)]
    if scored:
        cases = [_case(o) for o in wrong(scored)]
        out += [Heading(2, "Abstention trade-off"), Para(TRADEOFF_TEXT),
                Figure("tradeoff", "Abstention trade-off curve"),
                Table(TRADEOFF_HEAD, _tradeoff_rows(tradeoff(scored))),
                Heading(2, f"Wrong answers ({len(cases)})"),
                Para("Every question the system got wrong, with what was expected beside what it gave. The first "
                     "passage holding the answer is its rank among the retrieved passages (– : none).")]
        for c in cases:
            out += [Heading(3, f"{c['id']} ({c['lang']}, {c['type']}): {c['what']}"),
                    Para(f"Question: {c['question']}"),
                    Table(["", "expected", "ours"], [["answer", c["expected"], c["answer"]],
                                                     ["citation", c["gold"], c["citations"]]]),
                    Para(f"first passage holding the answer: {c['rank']} · abstention reason: {c['reason']} · "
                         f"confidence: {c['confidence']}")]
        if not cases:
            out.append(Para("None."))
        if unscored:
            out += [Heading(2, f"Unscored questions ({len(unscored)})"), Para(UNSCORED_TEXT)]
    else:
        out.append(Heading(2, f"Answers ({len(unscored)})"))
    for o in unscored:
        out += [Heading(3, str(o.question.get("id", ""))), Table(["", ""], [[k, v] for k, v in _entry(o)])]
    return out


_CSS = CSS + """
figure{display:inline-block;margin:1em 1em 1em 0}"""


def _html(blocks: list, charts: dict[str, str]) -> str:
    """One self-contained page: the charts inline."""
    parts = ["<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
             "<title>rag-history evaluation report</title>", f"<style>{_CSS}</style></head><body>"]
    for b in blocks:
        if isinstance(b, Heading):
            parts.append(f"<h{b.level}>{html_text(b.text)}</h{b.level}>")
        elif isinstance(b, Para):
            parts.append(f"<p><strong>{html_text(b.text)}</strong></p>" if b.strong else f"<p>{html_text(b.text)}</p>")
        elif isinstance(b, Table):
            parts.append(html_table(b.head, b.rows))
        else:
            parts.append(f"<figure>{charts[b.chart]}</figure>")
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


def _markdown(blocks: list, charts: dict[str, str]) -> str:
    """Markdown; `charts` names each chart's SVG file beside the report."""
    parts = []
    for b in blocks:
        if isinstance(b, Heading):
            parts.append(f"{'#' * b.level} {md_text(b.text)}")
        elif isinstance(b, Para):
            parts.append(f"**{md_text(b.text)}**" if b.strong else md_text(b.text))
        elif isinstance(b, Table):
            parts.append(md_table(b.head, b.rows))
        else:
            parts.append(f"![{b.alt}]({charts[b.chart]})")
    return "\n\n".join(parts) + "\n"
