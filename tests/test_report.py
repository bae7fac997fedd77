"""The evaluation report, from hand-made outcomes: metrics, wrong answers, escaping, well-formed SVG."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from rag_history.evaluation import Outcome, metrics
from rag_history.report import question_type, report_files, tradeoff, write_report


def _answer(text, abstained=False, confidence=0.5, reason="", cites=()):
    return {"answer": text, "abstained": abstained, "confidence": confidence, "reason": reason,
            "citations": [{"author": a, "year": y, "raw": f"({a},{y}:1)"} for a, y in cites], "passages": []}


@pytest.fixture
def outcomes() -> list[Outcome]:
    return [
        Outcome({"id": "r1", "lang": "tr", "type": "date", "question": "Gümrü ne zaman?", "answerable": True,
                 "answer_contains": ["3 Aralık 1920"], "gold_citations": ["Efe 2018"]},
                _answer("... 3 Aralık 1920'de ... (Efe,2018:326).", confidence=0.8, cites=[("Efe", "2018")]),
                True, 0, True),
        Outcome({"id": "w1", "lang": "en", "type": "person", "question": "Who led <b>the</b> army & why?",
                 "answerable": True, "answer_contains": ["Kâzım Karabekir"], "gold_citations": ["Efe 2018"]},
                _answer("<script>alert(1)</script> Halil Paşa", confidence=0.4, cites=[("Benhür", "2004")]),
                False, 2, None),
        Outcome({"id": "a1", "lang": "en", "question": "When did the Assembly open?", "answerable": True,
                 "answer_contains": ["23 Nisan"], "gold_citations": []},
                _answer("The article does not ...", abstained=True, confidence=0.2, reason="key term missing"),
                False, None, None),
        Outcome({"id": "u1", "lang": "tr", "type": "number", "question": "Kaç delege?", "answerable": False,
                 "answer_contains": [], "gold_citations": []},
                _answer("Bir cümle.", confidence=0.45), False, None, None),
        Outcome({"id": "u2", "lang": "tr", "type": "number", "question": "Kaç tüfek?", "answerable": False,
                 "answer_contains": [], "gold_citations": []},
                _answer("Makale ...", abstained=True, confidence=0.1, reason="nothing close"), True, None, None),
    ]


def _svgs(text: str) -> list[str]:
    return re.findall(r"<svg\b.*?</svg>", text, re.S)


def test_html_report(tmp_path, outcomes):
    path = write_report(tmp_path / "r.html", outcomes, None)
    text = path.read_text(encoding="utf-8")
    m = metrics(outcomes)
    for key in ("answer_accuracy", "hit@1", "hit@5", "citation_accuracy", "abstention_accuracy"):
        assert key in text and f"{m[key]:.3f}" in text
    # Every wrong one is shown with what was expected; the right one is not.
    for needle in ("w1", "Kâzım Karabekir", "Benhür", "a1", "key term missing", "u1", "Kaç delege?"):
        assert needle in text
    assert "r1 (" not in text
    assert "<script>" not in text and "&lt;script&gt;" in text and "&lt;b&gt;the&lt;/b&gt; army &amp; why" in text
    svgs = _svgs(text)
    assert len(svgs) == 3
    for svg in svgs:
        ET.fromstring(svg)
    assert "src=" not in text and "<link" not in text  # self-contained


def test_markdown_report(tmp_path, outcomes):
    path = write_report(tmp_path / "out" / "r.md", outcomes, None)
    text = path.read_text(encoding="utf-8")
    assert f"{metrics(outcomes)['answer_accuracy']:.3f}" in text and "Kâzım Karabekir" in text
    assert "<script>" not in text
    charts = re.findall(r"!\[[^\]]*\]\(([^)]+)\)", text)
    assert len(charts) == 3
    for name in charts:
        ET.fromstring((path.parent / name).read_text(encoding="utf-8"))


def test_groups_use_the_type_field_else_the_question(outcomes):
    assert question_type(outcomes[0].question) == "date"
    assert question_type({"question": "Moskova Antlaşması ne zaman imzalandı?"}) == "date"
    assert question_type({"question": "Bir şey söyle"}) == "other"


def test_tradeoff_applies_thresholds_on_top_of_decisions(outcomes):
    points = tradeoff(outcomes)
    now = points[0]
    assert now.threshold == 0.0
    assert now.unanswerable_abstained == 0.5 and now.answerable_abstained == pytest.approx(1 / 3)
    assert now.answer_accuracy == pytest.approx(1 / 3)
    # Above 0.45 the unanswerable answer is dropped too; above 0.8 everything is abstained.
    mid = next(p for p in points if p.threshold > 0.45)
    assert mid.unanswerable_abstained == 1.0 and mid.answerable_abstained == pytest.approx(2 / 3)
    last = points[-1]
    assert last.answerable_abstained == 1.0 and last.answer_accuracy == 0.0
    shares = [p.unanswerable_abstained for p in points]
    assert shares == sorted(shares)


def test_report_files_names_every_file_a_report_writes(tmp_path, outcomes):
    """`eval` checks these before answering: a file missing from the list would go unchecked."""
    for name in ("r.md", "r.html"):
        folder = tmp_path / name.replace(".", "-")
        write_report(folder / name, outcomes, None)
        assert sorted(folder.iterdir()) == sorted(report_files(folder / name))


def test_unscored_questions_are_listed_and_count_in_no_figure(tmp_path, outcomes):
    plain = Outcome({"id": "p1", "question": "Kars ne zaman alındı?", "history": ["Gümrü ne zaman?"]},
                    _answer("Kars 30 Ekim 1920'de alındı (Efe,2018:320).", cites=[("Efe", "2018")]),
                    None, None, None)
    text = write_report(tmp_path / "r.html", outcomes + [plain], None).read_text(encoding="utf-8")
    assert f"<td>answer_accuracy</td><td>{metrics(outcomes)['answer_accuracy']:.3f}</td>" in text
    listed = text[text.index("Unscored questions (1)"):]
    for needle in ("p1", "Kars ne zaman alındı?", "Gümrü ne zaman?", "(Efe,2018:1)", "30 Ekim 1920"):
        assert needle in listed
    assert "p1" not in text[text.index("Wrong answers"):text.index("Unscored questions")]
