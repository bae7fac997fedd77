"""Batch answering and scoring of question sets (JSON Lines, see CONTRACT.md).

The metrics are defined exactly as the course's scorer defines them, so both agree on the
same files: answer accuracy (an expected string appears in the answer), hit@k of the passages,
citation accuracy (an expected surname and year among the citations) and abstention accuracy.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from .errors import QuestionError, RagHistoryError


def norm(s: str) -> str:
    s = s.replace("\u2019", "'").replace("\u2018", "'").replace("İ", "i").replace("I", "ı")
    s = unicodedata.normalize("NFKD", s.lower())
    s = "".join(c for c in s if not unicodedata.combining(c)).replace("ı", "i")
    return re.sub(r"\s+", " ", s).strip()


def contains_any(text: str, needles) -> bool:
    t = norm(text or "")
    return any(norm(n) in t for n in needles)


def load_jsonl(path: Path) -> list[dict]:
    rows = []
    try:
        # "\n" only: splitlines() would also break inside a question at U+2028 and the like.
        lines = Path(path).read_text(encoding="utf-8").split("\n")
    except FileNotFoundError:
        raise RagHistoryError(f"{path}: no such file.") from None
    except UnicodeDecodeError:
        raise RagHistoryError(f"{path}: not UTF-8 text.") from None
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise RagHistoryError(f"{path}, line {n}: not valid JSON ({exc.msg}).") from None
        if not isinstance(row, dict) or "question" not in row:
            raise RagHistoryError(f"{path}, line {n}: each line needs an object with a \"question\".")
        row.setdefault("id", f"q{n}")
        rows.append(row)
    return rows


def answer_record(assistant, row: dict) -> dict:
    """One CONTRACT record; a question that cannot be asked gets an abstained record saying why."""
    try:
        return assistant.ask(row["question"], id=row.get("id")).to_dict()
    except QuestionError as exc:
        return {"id": row.get("id"), "question": row.get("question"), "answer": str(exc), "abstained": True,
                "citations": [], "sentences": [], "passages": [], "error": str(exc)}


def _cites(answer: dict, gold) -> bool:
    got = [(norm(str(c.get("author", ""))), str(c.get("year", ""))) for c in answer.get("citations") or []]
    for g in gold:
        surname, year = g.rsplit(" ", 1)
        if any(norm(surname) in a and y == year for a, y in got):
            return True
    return False


@dataclass
class Outcome:
    """How one question fared."""

    question: dict
    answer: dict
    correct: bool
    first_hit: int | None  # rank (0-based) of the first passage holding the answer
    cited: bool | None  # None when there is no gold citation to check


def judge(questions: list[dict], answers: list[dict]) -> list[Outcome]:
    by_id = {a.get("id"): a for a in answers}
    out = []
    for q in questions:
        a = by_id.get(q["id"]) or {"answer": "", "abstained": True, "citations": [], "passages": []}
        if not q.get("answerable", True):
            out.append(Outcome(q, a, bool(a.get("abstained")), None, None))
            continue
        ok = (not a.get("abstained")) and contains_any(a.get("answer", ""), q.get("answer_contains", []))
        texts = [p.get("text", "") for p in (a.get("passages") or [])]
        first = next((i for i, t in enumerate(texts) if contains_any(t, q.get("answer_contains", []))), None)
        cited = _cites(a, q["gold_citations"]) if q.get("gold_citations") and ok else None
        out.append(Outcome(q, a, ok, first, cited))
    return out


def metrics(outcomes: list[Outcome]) -> dict:
    answerable = [o for o in outcomes if o.question.get("answerable", True)]
    unanswerable = [o for o in outcomes if not o.question.get("answerable", True)]
    n = max(len(answerable), 1)
    cited = [o.cited for o in answerable if o.cited is not None]
    out = {
        "answer_accuracy": sum(o.correct for o in answerable) / n,
        "hit@1": sum(o.first_hit is not None and o.first_hit < 1 for o in answerable) / n,
        "hit@3": sum(o.first_hit is not None and o.first_hit < 3 for o in answerable) / n,
        "hit@5": sum(o.first_hit is not None and o.first_hit < 5 for o in answerable) / n,
        "citation_accuracy": sum(cited) / max(len(cited), 1),
        "abstention_accuracy": sum(o.correct for o in unanswerable) / max(len(unanswerable), 1),
        "false_abstentions": sum(bool(o.answer.get("abstained")) for o in answerable),
    }
    for lang in sorted({o.question.get("lang", "tr") for o in answerable}):
        group = [o for o in answerable if o.question.get("lang", "tr") == lang]
        out[f"answer_accuracy_{lang}"] = sum(o.correct for o in group) / max(len(group), 1)
    out["overall"] = sum(o.correct for o in outcomes) / max(len(outcomes), 1)
    out["questions"] = len(outcomes)
    return out


def has_gold(questions: list[dict]) -> bool:
    return any("answerable" in q or "answer_contains" in q for q in questions)


def format_metrics(m: dict) -> str:
    return "\n".join(f"{k:24s} {v:.3f}" if isinstance(v, float) else f"{k:24s} {v}" for k, v in m.items())
