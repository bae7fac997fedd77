"""Scoring without a model: the project's figures agree with the course scorer on hand-made
answers, rows without gold fields count nowhere but in `unscored`, figures say what they count,
and an output file is written whole or not at all."""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

import pytest

from rag_history.evaluation import described, format_metrics, judge, metrics
from rag_history.output import write_atomic

SCORER = Path("/work/shared/eval/score.py")


def _record(id, answer="", abstained=False, cites=(), passages=()):
    return {"id": id, "answer": answer, "abstained": abstained,
            "citations": [{"author": a, "year": y} for a, y in cites], "passages": [{"text": t} for t in passages]}


QUESTIONS = [
    {"id": "t1", "lang": "tr", "question": "?", "answer_contains": ["16 Mart 1921"],
     "gold_citations": ["Sofuoğlu 2005"], "answerable": True},
    {"id": "t2", "lang": "tr", "question": "?", "answer_contains": ["3 Aralık"], "gold_citations": ["Bilge 1992"],
     "answerable": True},
    {"id": "t3", "lang": "tr", "question": "?", "answer_contains": ["Kars"], "gold_citations": [], "answerable": True},
    {"id": "e1", "lang": "en", "question": "?", "answer_contains": ["Batum", "Batumi"], "gold_citations": ["Efe 2018"],
     "answerable": True},
    {"id": "e2", "lang": "en", "question": "?", "answer_contains": ["Lenin"], "gold_citations": [], "answerable": True},
    {"id": "u1", "lang": "tr", "question": "?", "answer_contains": [], "gold_citations": [], "answerable": False},
    {"id": "u2", "lang": "en", "question": "?", "answer_contains": [], "gold_citations": [], "answerable": False},
    {"id": "m1", "lang": "tr", "question": "?", "answer_contains": ["Ankara"], "gold_citations": [],
     "answerable": True},  # no answer at all in the batch
]
ANSWERS = [
    _record("t1", "16 Mart 1921'de imzalandı (Sofuoğlu,2005:204).", cites=[("Sofuoğlu", "2005")],
            passages=["x", "16 Mart 1921", "y"]),
    _record("t2", "3 Aralık 1920'de (Efe,2018:326).", cites=[("Efe", "2018")], passages=["3 Aralık 1920"]),
    _record("t3", "Başka bir cümle.", passages=["a", "b", "c", "d", "Kars"]),
    _record("e1", "BATUMİ limanı (Efe,2018:1).", cites=[("Efe", "2018")], passages=["Batum"]),
    _record("e2", "", abstained=True, passages=["Lenin'e mektup"]),
    _record("u1", "", abstained=True),
    _record("u2", "Bir cümle."),
]


def course_scorer():
    if not SCORER.exists():
        pytest.skip(f"{SCORER} is not in this environment")
    spec = importlib.util.spec_from_file_location("course_score", SCORER)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.score


def test_figures_agree_with_the_course_scorer():
    course = course_scorer()(QUESTIONS, ANSWERS)
    ours = metrics(judge(QUESTIONS, ANSWERS))
    shared = set(course) & set(ours)
    assert {"answer_accuracy", "answer_accuracy_tr", "answer_accuracy_en", "hit@1", "hit@3", "hit@5",
            "citation_accuracy", "abstention_accuracy", "false_abstentions", "overall"} <= shared
    assert {k: ours[k] for k in shared} == pytest.approx({k: course[k] for k in shared})
    # t1, t2 and e1 are correct with a gold reference; t2 cites another: 2 of 3.
    assert ours["citation_accuracy"] == pytest.approx(2 / 3) and ours["citations_checked"] == 3


def test_rows_without_gold_fields_change_no_figure():
    plain = [{"id": "p1", "question": "?"}, {"id": "p2", "question": "?", "lang": "en", "type": "date"}]
    answers = ANSWERS + [_record("p1", "Kars ve 16 Mart 1921"), _record("p2", "", abstained=True)]
    ours = metrics(judge(QUESTIONS + plain, answers))
    alone = metrics(judge(QUESTIONS, ANSWERS))
    assert {k: v for k, v in ours.items() if k not in ("questions", "unscored", "abstained")} == \
        {k: v for k, v in alone.items() if k not in ("questions", "unscored", "abstained")}
    assert ours["questions"] == 10 and ours["unscored"] == 2 and ours["abstained"] == alone["abstained"] + 1


def test_a_set_without_gold_fields_has_counts_only():
    m = metrics(judge([{"id": "p1", "question": "?"}], [_record("p1", "", abstained=True)]))
    assert m == {"questions": 1, "scored": 0, "unscored": 1, "abstained": 1}
    assert [key for key, _, _ in described(m)] == ["questions", "unscored", "abstained"]


def test_each_figure_says_what_it_counts():
    text = format_metrics(metrics(judge(QUESTIONS, ANSWERS)))
    lines = {line.split()[0]: line for line in text.splitlines()}
    assert "(of 6 answerable questions)" in lines["answer_accuracy"]
    assert "(of 2 answerable en questions)" in lines["answer_accuracy_en"]
    assert "(of 3 correct answers with a gold reference)" in lines["citation_accuracy"]
    assert "(of 2 unanswerable questions)" in lines["abstention_accuracy"]


def test_a_share_of_nothing_is_shown_as_a_dash():
    only_answerable = QUESTIONS[2:3]
    m = metrics(judge(only_answerable, ANSWERS))
    assert m["abstention_accuracy"] == 0.0  # as score.py has it
    line = next(line for line in format_metrics(m).splitlines() if line.startswith("abstention_accuracy"))
    assert line.split()[1] == "–" and "of 0 unanswerable questions" in line


def test_a_failed_write_leaves_the_old_file_and_no_temporary_one(tmp_path, monkeypatch):
    target = tmp_path / "answers.jsonl"
    target.write_text("old\n", encoding="utf-8")
    target.chmod(0o640)

    def disk_full(*args):
        raise OSError(28, "No space left on device")

    with monkeypatch.context() as m:
        m.setattr(os, "replace", disk_full)
        with pytest.raises(OSError):
            write_atomic(target, "new\n")
    assert target.read_text(encoding="utf-8") == "old\n" and os.listdir(tmp_path) == ["answers.jsonl"]
    write_atomic(target, "new\n")
    assert target.read_text(encoding="utf-8") == "new\n" and target.stat().st_mode & 0o777 == 0o640
