"""Batch answering and scoring of question sets (JSON Lines, see CONTRACT.md).

The metrics are defined exactly as the course's scorer defines them, so both agree on the
same files: answer accuracy (an expected string appears in the answer), hit@k of the passages,
citation accuracy (an expected surname and year among the citations of a correct answer) and
abstention accuracy. A row without gold fields is answered and counted as unscored.

Rows are checked by hand rather than by a schema library: each problem must be one line naming
the file, the line and the field (what a user can fix), the schema is a handful of fields, and
pydantic's or jsonschema's multi-line errors would need rewriting into that line anyway.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from .errors import QuestionError, QuestionSetError

# A row with any of these is scored; `lang` and `type` only group the scored rows.
GOLD_FIELDS = ("answerable", "answer_contains", "gold_citations")
# Earlier questions of a conversation a row may carry: a longer one is not a conversation a
# reader had but a mistake in the set, and every entry is read again for the row's answer.
MAX_HISTORY = 20
# A gold reference as score.py splits it: everything before the last space, then a year
# (with the letter some references add: "Bilge 1992a").
GOLD_CITATION = re.compile(r"\S.*\s\d{4}[a-z]?")
NO_SOURCE = "no source (no source field, no answer sentence, no passage)"


def norm(s: str) -> str:
    s = s.replace("\u2019", "'").replace("\u2018", "'").replace("İ", "i").replace("I", "ı")
    s = unicodedata.normalize("NFKD", s.lower())
    s = "".join(c for c in s if not unicodedata.combining(c)).replace("ı", "i")
    return re.sub(r"\s+", " ", s).strip()


def contains_any(text: str, needles) -> bool:
    t = norm(text or "")
    return any(norm(n) in t for n in needles)


# --- reading a question set ----------------------------------------------------------------------


@dataclass(frozen=True)
class QuestionSet:
    """The rows of a question set as read (each with its `id`), and the line each came from."""

    path: Path
    rows: list[dict]
    lines: list[int]

    def where(self, i: int) -> str:
        return f"{self.path}, line {self.lines[i]}"


def has_gold(row: dict) -> bool:
    return any(field in row for field in GOLD_FIELDS)


def load_questions(path: Path) -> QuestionSet:
    """Read and check a question set; raises QuestionSetError naming the file, line and field."""
    path = Path(path)
    try:
        # "\n" only: splitlines() would also break inside a question at U+2028 and the like.
        lines = path.read_text(encoding="utf-8-sig").split("\n")
    except FileNotFoundError:
        raise QuestionSetError(f"{path}: no such file.") from None
    except IsADirectoryError:
        raise QuestionSetError(f"{path} is a directory; give the question set's .jsonl file.") from None
    except UnicodeDecodeError:
        raise QuestionSetError(f"{path}: not UTF-8 text.") from None
    except OSError as exc:
        raise QuestionSetError(f"{path}: cannot read it ({exc.strerror or exc}).") from None
    rows, numbers = [], []
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        where = f"{path}, line {n}"
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise QuestionSetError(f"{where}: not valid JSON ({exc.msg}).") from None
        if not isinstance(row, dict) or "question" not in row:
            raise QuestionSetError(f"{where}: each line needs a JSON object with a \"question\".")
        problem = _row_problem(row)
        if problem:
            field, what = problem
            raise QuestionSetError(f"{where}, {field}: {what}.")
        row.setdefault("id", f"q{n}")
        rows.append(row)
        numbers.append(n)
    if not rows:
        raise QuestionSetError(f"{path}: no questions in it (one JSON object with a \"question\" a line).")
    _refuse_repeated_ids(path, rows, numbers)
    return QuestionSet(path, rows, numbers)


def check_sources(questions: QuestionSet, sources: list[str]) -> None:
    """Every `source` a row names must be one of the indexed texts (checked before answering)."""
    for i, row in enumerate(questions.rows):
        if "source" in row and row["source"] not in sources:
            raise QuestionSetError(f"{questions.where(i)}, source: {_show(row['source'])} is not one of the "
                                   f"source texts ({', '.join(sources) or 'none'}).")


def _row_problem(row: dict) -> tuple[str, str] | None:
    """(field, what is wrong) for the first malformed field of a row, else None."""
    strings = ("must be a list of strings", "e.g. [\"16 Mart 1921\"]")
    if not isinstance(row["question"], str):
        return "question", f"must be a string, not {_kind(row['question'])}"
    if "id" in row and (isinstance(row["id"], bool) or not isinstance(row["id"], (str, int))
                        or not str(row["id"]).strip()):
        return "id", f"must be a non-empty string or a whole number, not {_kind(row['id'])}"
    for field in ("lang", "type"):
        if field in row and not isinstance(row[field], str):
            return field, f"must be a string, not {_kind(row[field])}"
    if "answerable" in row and not isinstance(row["answerable"], bool):
        return "answerable", f"must be true or false, not {_kind(row['answerable'])}"
    if "answer_contains" in row:
        value = row["answer_contains"]
        if isinstance(value, str):
            return "answer_contains", (f"is a string, which would be matched one character at a time; "
                                       f"write a list: [{_show(value)}]")
        if not isinstance(value, list):
            return "answer_contains", f"{strings[0]}, {strings[1]}, not {_kind(value)}"
        for k, item in enumerate(value, 1):
            if not isinstance(item, str):
                return "answer_contains", f"item {k} is {_kind(item)}; {strings[0]}"
            if not norm(item):
                return "answer_contains", f"item {k} is empty, which every answer contains"
    if "gold_citations" in row:
        value = row["gold_citations"]
        if not isinstance(value, list):
            return "gold_citations", (f"must be a list of \"Surname Year\" strings, e.g. [\"Efe 2018\"], "
                                      f"not {_kind(value)}")
        for k, item in enumerate(value, 1):
            if not isinstance(item, str):
                return "gold_citations", f"item {k} is {_kind(item)}; write \"Surname Year\", e.g. \"Efe 2018\""
            if not GOLD_CITATION.fullmatch(item.strip()):
                return "gold_citations", f"item {k}, {_show(item)}, is not \"Surname Year\" (e.g. \"Efe 2018\")"
    if has_gold(row) and row.get("answerable", True) and not row.get("answer_contains"):
        return "answer_contains", ("an answerable question needs at least one expected string "
                                   "(or \"answerable\": false)")
    if "history" in row:
        value = row["history"]
        if not isinstance(value, list) or not all(isinstance(q, str) for q in value):
            return "history", f"must be a list of the earlier questions (strings), oldest first, not {_kind(value)}"
        if len(value) > MAX_HISTORY:
            return "history", f"has {len(value)} earlier questions; at most {MAX_HISTORY}"
    if "source" in row and (not isinstance(row["source"], str) or not row["source"].strip()):
        return "source", f"must be the file name of a text in the sources, not {_kind(row['source'])}"
    return None


def _refuse_repeated_ids(path: Path, rows: list[dict], numbers: list[int]) -> None:
    """Answers are matched to questions by id: a repeated one would score every copy against one answer."""
    lines_of: dict = {}
    for row, n in zip(rows, numbers):
        lines_of.setdefault(row["id"], []).append(n)
    repeated = [(key, ns) for key, ns in lines_of.items() if len(ns) > 1]
    if repeated:
        key, ns = repeated[0]
        more = f" (and {len(repeated) - 1} more repeated ids)" if len(repeated) > 1 else ""
        raise QuestionSetError(f"{path}: id {_show(key)} is on lines {', '.join(map(str, ns))}{more}; "
                               "each id must be unique (a row without one is given \"q\" and its line number).")


def _kind(value) -> str:
    if isinstance(value, str):
        return f"the string {_show(value)}"
    names = {bool: "true/false", int: "a number", float: "a number", list: "a list", dict: "an object",
             type(None): "null"}
    return names.get(type(value), type(value).__name__)


def _show(value, limit: int = 60) -> str:
    """A value quoted for a one-line message (JSON escapes any line break in it)."""
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= limit else text[:limit - 1] + "…"


# --- answering and scoring -----------------------------------------------------------------------


def answer_record(assistant, row: dict) -> dict:
    """One CONTRACT record; a question that cannot be asked gets an abstained record saying why."""
    try:
        return assistant.ask(row["question"], id=row.get("id"), history=row.get("history") or (),
                             source=row.get("source")).to_dict()
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
    correct: bool | None  # None when the row has no gold fields: answered, not scored
    first_hit: int | None  # rank (0-based) of the first passage holding the answer
    cited: bool | None  # None when there is no gold citation to check

    @property
    def scored(self) -> bool:
        return self.correct is not None

    @property
    def answerable(self) -> bool:
        return bool(self.question.get("answerable", True))


def judge(questions: list[dict], answers: list[dict]) -> list[Outcome]:
    by_id = {a.get("id"): a for a in answers}
    out = []
    for q in questions:
        a = by_id.get(q["id"]) or {"answer": "", "abstained": True, "citations": [], "passages": []}
        if not has_gold(q):
            out.append(Outcome(q, a, None, None, None))
            continue
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
    """score.py's figures over the scored outcomes, then counts; only the counts when none is scored."""
    scored = [o for o in outcomes if o.scored]
    counts = {"questions": len(outcomes), "scored": len(scored), "unscored": len(outcomes) - len(scored),
              "abstained": sum(bool(o.answer.get("abstained")) for o in outcomes)}
    if not scored:
        return counts
    answerable = [o for o in scored if o.answerable]
    unanswerable = [o for o in scored if not o.answerable]
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
    per_lang = {}
    for lang in sorted({o.question.get("lang", "tr") for o in answerable}):
        group = [o for o in answerable if o.question.get("lang", "tr") == lang]
        out[f"answer_accuracy_{lang}"] = sum(o.correct for o in group) / len(group)
        per_lang[f"answerable_{lang}"] = len(group)
    out["overall"] = sum(o.correct for o in scored) / len(scored)
    return {**out, **counts, "answerable": len(answerable), "unanswerable": len(unanswerable),
            "citations_checked": len(cited), **per_lang}


def described(m: dict) -> list[tuple[str, float | int | None, str]]:
    """(metric, value, what it counts) for every figure shown: one wording for the printed
    metrics and the report. A share of no question at all is None (shown "–"), where the dict
    keeps score.py's 0.0."""
    rows = []

    def share(key: str, count: int, note: str) -> None:
        rows.append((key, m[key] if count else None, note))

    if m["scored"]:
        a, answerable = m["answerable"], f"of {counted(m['answerable'], 'answerable question')}"
        share("answer_accuracy", a, answerable)
        for key in m:
            if key.startswith("answer_accuracy_"):
                lang = key.removeprefix("answer_accuracy_")
                share(key, 1, f"of {counted(m['answerable_' + lang], f'answerable {lang} question')}")
        share("hit@1", a, f"{answerable}: an expected string in the first passage")
        share("hit@3", a, f"{answerable}: in one of the first 3 passages")
        share("hit@5", a, f"{answerable}: in one of the first 5 passages")
        share("citation_accuracy", m["citations_checked"],
              f"of {counted(m['citations_checked'], 'correct answer')} with a gold reference")
        share("abstention_accuracy", m["unanswerable"], f"of {counted(m['unanswerable'], 'unanswerable question')}")
        rows += [("false_abstentions", m["false_abstentions"], answerable),
                 ("overall", m["overall"], f"of {counted(m['scored'], 'scored question')}: right answers and "
                                           "right abstentions")]
    return rows + [("questions", m["questions"], ""),
                   ("unscored", m["unscored"], "answered, not scored: no gold fields"),
                   ("abstained", m["abstained"], f"of {counted(m['questions'], 'question')}, scored or not")]


def counted(n: int, noun: str) -> str:
    """"1 question", "2 questions": the one wording of a count for the metrics and the report."""
    return f"{n} {noun}" + ("" if n == 1 else "s")


def format_metrics(m: dict) -> str:
    """One figure a line: name, value, and what it counts in brackets."""
    lines = []
    for key, value, note in described(m):
        shown = "–" if value is None else f"{value:.3f}" if isinstance(value, float) else str(value)
        lines.append(f"{key:24s} {shown:5s}  ({note})" if note else f"{key:24s} {shown}")
    return "\n".join(lines)


def source_of(o: Outcome) -> str:
    """The source text a question is about: the row's `source`, else the text of its answer's first
    sentence, else (an abstention has no sentence) that of its best passage."""
    sentence = (o.answer.get("sentences") or [{}])[0]
    passage = (o.answer.get("passages") or [{}])[0]
    return o.question.get("source") or sentence.get("source") or passage.get("source") or NO_SOURCE


def by_source(outcomes: list[Outcome]) -> list[tuple[str, list[Outcome]]]:
    """Outcomes split by source text, largest group first."""
    split: dict[str, list[Outcome]] = {}
    for o in outcomes:
        split.setdefault(source_of(o), []).append(o)
    return sorted(split.items(), key=lambda item: (-len(item[1]), item[0]))


def format_by_source(outcomes: list[Outcome]) -> str:
    groups = by_source(outcomes)
    if len(groups) == 1:
        return f"by source: every question is about {groups[0][0]} (the figures above)"
    parts = ["by source:"]
    for name, group in groups:
        body = "\n".join("  " + line for line in format_metrics(metrics(group)).splitlines())
        parts.append(f"{name} ({counted(len(group), 'question')})\n{body}")
    return "\n".join(parts)
