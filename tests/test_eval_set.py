"""The project's own question set (eval/questions.jsonl) is well-formed and true to the article."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from rag_history.citations import attribute, find_citations
from rag_history.evaluation import norm
from rag_history.source import load_document

ROOT = Path(__file__).resolve().parents[1]
QUESTIONS = ROOT / "eval" / "questions.jsonl"
ARTICLE = ROOT / "source_texts" / "turk-sovyet-iliskileri-milli-mucadele.txt"
TYPES = {"date", "person", "place", "number", "reason", "consequence", "what", "list", "other"}
FIELDS = {"id": str, "lang": str, "question": str, "answer_contains": list, "gold_citations": list,
          "answerable": bool, "type": str}


@pytest.fixture(scope="module")
def questions() -> list[dict]:
    lines = [line for line in QUESTIONS.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [json.loads(line) for line in lines]


@pytest.fixture(scope="module")
def article():
    """Normalized sentences (line wrapping and page breaks joined) and each one's reference."""
    doc = load_document(ARTICLE)
    refs = [f"{a.citation.author} {a.citation.year}" if a.citation else None for a in attribute(doc)]
    cited = {f"{c.author} {c.year}" for p in doc.paragraphs for _, _, c in find_citations(p.text)}
    return [norm(s.text) for s in doc.sentences], refs, cited


def test_fields_and_ids(questions):
    assert len(questions) >= 90
    for q in questions:
        for name, kind in FIELDS.items():
            assert isinstance(q.get(name), kind), (q.get("id"), name)
        assert q["lang"] in {"tr", "en"} and q["type"] in TYPES, q["id"]
        assert q["question"].strip(), q["id"]
    ids = Counter(q["id"] for q in questions)
    assert not [i for i, n in ids.items() if n > 1]


def test_mix(questions):
    count = Counter((q["lang"], q["answerable"]) for q in questions)
    assert count["tr", True] >= 40 and count["en", True] >= 25
    assert count["tr", False] >= 5 and count["en", False] >= 5
    assert len({q["question"] for q in questions}) == len(questions)


def test_unanswerable_have_no_gold(questions):
    for q in questions:
        if not q["answerable"]:
            assert q["answer_contains"] == [] and q["gold_citations"] == [], q["id"]


def test_answer_strings_point_at_one_sentence_each(questions, article):
    sentences, _, _ = article
    for q in questions:
        if not q["answerable"]:
            continue
        assert q["answer_contains"], q["id"]
        for needle in q["answer_contains"]:
            hits = [i for i, s in enumerate(sentences) if norm(needle) in s]
            # Distinctive: one sentence, so a right string in the answer means the right sentence.
            assert len(hits) == 1, (q["id"], needle, len(hits))


def test_gold_citations_follow_the_attribution_rule(questions, article):
    sentences, refs, cited = article
    for q in questions:
        assert set(q["gold_citations"]) <= cited, q["id"]
        for needle in q["answer_contains"]:
            i = next(i for i, s in enumerate(sentences) if norm(needle) in s)
            if refs[i] is None:
                assert q["gold_citations"] == [], (q["id"], "the author's own statement has no reference")
            else:
                assert refs[i] in q["gold_citations"], (q["id"], needle, refs[i])
