"""Readable evaluation report: Markdown, or self-contained HTML (by the suffix) with inline SVG charts.

Headline numbers come from `evaluation.metrics`, and each group (language, question type) is
scored by the same function on its subset, so the report never disagrees with the scorer.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from .evaluation import Outcome, metrics
from .markup import CSS, html_table, html_text, md_table, md_text

HEADLINE = ("answer_accuracy", "answer_accuracy_tr", "answer_accuracy_en", "hit@1", "hit@3", "hit@5",
            "citation_accuracy", "abstention_accuracy", "false_abstentions", "overall", "questions")
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
        split.setdefault(key(o.question), []).append(o)
    out = [Group(name, sum(_answerable(o) for o in g), sum(not _answerable(o) for o in g), metrics(g))
           for name, g in split.items()]
    return sorted(out, key=lambda g: (-(g.answerable + g.unanswerable), g.name))


@dataclass(frozen=True)
class TradeoffPoint:
    threshold: float
    unanswerable_abstained: float  # share of unanswerable questions abstained
    answerable_abstained: float  # share of answerable questions wrongly abstained
    answer_accuracy: float  # share of answerable questions still answered correctly


def tradeoff(outcomes: list[Outcome]) -> list[TradeoffPoint]:
    """The abstention trade-off curve; see TRADEOFF_TEXT."""
    answerable = [o for o in outcomes if _answerable(o)]
    unanswerable = [o for o in outcomes if not _answerable(o)]
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
    return [o for o in outcomes if not o.correct or o.cited is False]


def write_report(path: Path, outcomes: list[Outcome], assistant) -> Path:
    """Write the report; `.html`/`.htm` gives HTML, anything else Markdown (charts as sibling SVG files)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    about = _about(assistant)
    if path.suffix.lower() in (".html", ".htm"):
        path.write_text(_html(outcomes, about), encoding="utf-8")
    else:
        charts = {}
        for name, svg in _charts(outcomes).items():
            chart = path.with_name(f"{path.stem}-{name}.svg")
            chart.write_text(svg, encoding="utf-8")
            charts[name] = chart.name
        path.write_text(_markdown(outcomes, about, charts), encoding="utf-8")
    return path


# --- shared pieces -----------------------------------------------------------------------------


def _answerable(o: Outcome) -> bool:
    return bool(o.question.get("answerable", True))


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
    return f"{value:.3f}" if isinstance(value, float) else str(value)


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
    if _answerable(o):
        expected = " | ".join(q.get("answer_contains", [])) or "(no expected strings)"
        gold = ", ".join(q.get("gold_citations", [])) or "none: the article author's own statement"
    else:
        expected, gold = "abstain: the article does not answer this", "–"
    cites = ", ".join(c.get("raw") or f"{c.get('author', '')} {c.get('year', '')}" for c in a.get("citations") or [])
    rank = "–" if o.first_hit is None else str(o.first_hit + 1)
    if not _answerable(o):
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
    m = metrics(outcomes)
    headline = [(k, m[k], "") for k in ("answer_accuracy", "hit@1", "hit@3", "hit@5", "citation_accuracy",
                                        "abstention_accuracy")]
    by_group = [(f"{kind}: {g.name}", g.metrics["answer_accuracy"], f"(n={g.answerable})")
                for kind, gs in _group_rows(outcomes) for g in gs if g.answerable]
    return {"headline": _bars("Headline metrics", headline),
            "accuracy": _bars("Answer accuracy by language and question type", by_group),
            "tradeoff": _curve(tradeoff(outcomes))}


# --- HTML --------------------------------------------------------------------------------------

_CSS = CSS + """.case td{width:50%}.case th{width:auto}
figure{display:inline-block;margin:1em 1em 1em 0}code{background:#f3f3f3}"""


def _html_case(c: dict) -> str:
    rows = [("question", c["question"], ""), ("answer", c["expected"], c["answer"]),
            ("citation", c["gold"], c["citations"])]
    body = "".join(f"<tr><th>{html_text(k)}</th><td>{html_text(e)}</td><td>{html_text(o)}</td></tr>" if k != "question"
                   else f"<tr><th>{html_text(k)}</th><td colspan=\"2\">{html_text(e)}</td></tr>" for k, e, o in rows)
    facts = (f"first passage holding the answer: {c['rank']} · abstention reason: {c['reason']} · "
             f"confidence: {c['confidence']}")
    return (f"<h3>{html_text(c['id'])} ({html_text(c['lang'])}, {html_text(c['type'])}): {html_text(c['what'])}</h3>"
            f"<table class=\"case\"><tr><th></th><th>expected</th><th>ours</th></tr>{body}</table>"
            f"<p>{html_text(facts)}</p>")


def _html(outcomes: list[Outcome], about: list[str]) -> str:
    m = metrics(outcomes)
    charts = _charts(outcomes)
    cases = [_case(o) for o in wrong(outcomes)]
    parts = ["<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
             "<title>rag-history evaluation report</title>", f"<style>{_CSS}</style></head><body>",
             "<h1>rag-history evaluation report</h1>", f"<p>{html_text(' · '.join(about))}</p>",
             "<h2>Headline</h2>", html_table(["metric", "value"], [[k, _fmt(m[k])] for k in HEADLINE if k in m]),
             f"<figure>{charts['headline']}</figure>",
             "<h2>By language and question type</h2>",
             "<p>Answer accuracy and hit@5 over answerable questions; abstention accuracy over unanswerable "
             "ones. Question type is the set's <code>type</code> field, else what the answerer reads the "
             "question as asking for, else “other”.</p>"]
    for kind, gs in _group_rows(outcomes):
        parts.append(f"<h3>By {html_text(kind)}</h3>" + html_table(GROUP_HEAD, [_group_cells(g) for g in gs]))
    parts += [f"<figure>{charts['accuracy']}</figure>", "<h2>Abstention trade-off</h2>", f"<p>{html_text(TRADEOFF_TEXT)}</p>",
              f"<figure>{charts['tradeoff']}</figure>",
              html_table(TRADEOFF_HEAD, _tradeoff_rows(tradeoff(outcomes))),
              f"<h2>Wrong answers ({len(cases)})</h2>",
              "<p>Every question the system got wrong, with what was expected beside what it gave. "
              "The first passage holding the answer is its rank among the retrieved passages (– : none).</p>"]
    parts += [_html_case(c) for c in cases] or ["<p>None.</p>"]
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


# --- Markdown ----------------------------------------------------------------------------------


def _markdown(outcomes: list[Outcome], about: list[str], charts: dict[str, str]) -> str:
    m = metrics(outcomes)
    cases = [_case(o) for o in wrong(outcomes)]
    parts = ["# rag-history evaluation report", md_text(" · ".join(about)), "## Headline",
             md_table(["metric", "value"], [[k, _fmt(m[k])] for k in HEADLINE if k in m]),
             f"![Headline metrics]({charts['headline']})", "## By language and question type",
             "Answer accuracy and hit@5 over answerable questions; abstention accuracy over unanswerable ones. "
             "Question type is the set's `type` field, else what the answerer reads the question as asking "
             "for, else “other”."]
    for kind, gs in _group_rows(outcomes):
        parts += [f"### By {kind}", md_table(GROUP_HEAD, [_group_cells(g) for g in gs])]
    parts += [f"![Answer accuracy by group]({charts['accuracy']})", "## Abstention trade-off", md_text(TRADEOFF_TEXT),
              f"![Abstention trade-off curve]({charts['tradeoff']})",
              md_table(TRADEOFF_HEAD, _tradeoff_rows(tradeoff(outcomes))),
              f"## Wrong answers ({len(cases)})",
              "The first passage holding the answer is its rank among the retrieved passages (– : none)."]
    for c in cases:
        parts += [f"### {md_text(c['id'])} ({md_text(c['lang'])}, {md_text(c['type'])}): {md_text(c['what'])}",
                  f"**Question:** {md_text(c['question'])}",
                  md_table(["", "expected", "ours"], [["answer", c["expected"], c["answer"]],
                                                       ["citation", c["gold"], c["citations"]]]),
                  md_text(f"first passage holding the answer: {c['rank']} · abstention reason: {c['reason']} · "
                      f"confidence: {c['confidence']}")]
    if not cases:
        parts.append("None.")
    return "\n\n".join(parts) + "\n"
