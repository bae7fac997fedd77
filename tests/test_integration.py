"""End to end on the real article: cited extractive answers, abstention, the answer record, scoring,
and a second source text next to the article."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import (ARTICLE, FIXTURE_ANSWER, FIXTURE_DIR, FIXTURE_NAME, FIXTURE_QUESTION, patch_encoder,
                      squash)
from rag_history import Assistant
from rag_history.config import Settings
from rag_history.evaluation import answer_record, judge, metrics

pytestmark = pytest.mark.integration

SCORER = Path("/work/shared/eval/score.py")

# Our own questions (not the development set), each answered by one sentence of the article.
QUESTIONS = [
    ("Moskova Antlaşması ne zaman imzalandı?", "16 Mart 1921", "(Sofuoğlu,2005:204)"),
    ("When was the Treaty of Moscow signed?", "16 Mart 1921", "(Sofuoğlu,2005:204)"),
    ("Gümrü Antlaşması ne zaman imzalandı?", "3 Aralık 1920", "(Efe,2018:326)"),
    ("Brest Litovsk Barışı ne zaman yapıldı?", "3 Mart 1918", "(Yüceer,1997:40-41)"),
    ("Ukrayna ile hangi antlaşma imzalandı?", "Dostluk ve Kardeşlik Antlaşması", "(Aliyef,1981:80)"),
]
# People the article never names. Churchill is not met yet (issue 10): answered since the
# answerability model became boosted trees, which refuse Cebesoy; the name features pull
# against each other (eval/README.md).
NEVER_NAMED = ("Ali Fuat Cebesoy Moskova'da ne yaptı?", "What did Winston Churchill say about the Treaty of Moscow?")
UNSUPPORTED = [NEVER_NAMED[0], pytest.param(NEVER_NAMED[1], marks=pytest.mark.xfail(
    strict=True, reason="a name the article lacks: issue 10"))]


@pytest.fixture(scope="module")
def answers(assistant):
    return {q: assistant.ask(q) for q, _, _ in QUESTIONS}


@pytest.mark.parametrize("question, expected, reference", QUESTIONS)
def test_cited_answer(answers, question, expected, reference):
    answer = answers[question]
    assert not answer.abstained
    assert expected in answer.text
    # The sentence holding the answer carries the reference that supports it, as the article writes it.
    holder = next(s for s in answer.sentences if expected in s.text)
    assert holder.citation is not None and holder.citation.raw == reference
    assert reference in answer.text[answer.text.index(expected):]


def test_answer_sentences_are_verbatim_article_sentences_in_order(answers, article_doc, article_text):
    article_sentences = {s.text for s in article_doc.sentences}
    for answer in answers.values():
        assert 1 <= len(answer.sentences) <= 3
        assert [s.start for s in answer.sentences] == sorted(s.start for s in answer.sentences)
        for s in answer.sentences:
            assert s.source == ARTICLE.name
            assert s.text in article_sentences
            assert squash(article_text[s.start:s.end]) == s.text
            assert s.text in answer.text


@pytest.mark.parametrize("question", [
    "Örgütlü hâle gelen millî direniş neden dışarıdan silah ve cephane yardımına muhtaçtı?",  # explained after
    "According to the abstract, how were Turkish-Russian relations reshaped after 1917?",  # a named part
    "Sonuç bölümüne göre Rusya'da iktidarı kim ele geçirdi?",
])
def test_every_answer_sentence_can_be_read_in_a_passage_of_the_record(assistant, question):
    record = assistant.ask(question).to_dict()
    assert not record["abstained"]
    texts = {p["id"]: squash(p["text"]) for p in record["passages"]}
    assert len(record["passages"]) >= 5
    for s in record["sentences"]:
        assert squash(s["text"]) in texts[s["passage_id"]]


@pytest.mark.parametrize("question", [
    "Örgütlü hâle gelen millî direniş neden dışarıdan silah ve cephane yardımına muhtaçtı?",
    "When was the Treaty of Kars signed?",
    "Sovyetler Millî Mücadele'ye nasıl yardım etti?",
])
def test_the_passage_the_answer_quotes_comes_first(assistant, question):
    record = assistant.ask(question).to_dict()
    first = record["sentences"][0]["passage_id"]
    assert record["passages"][0]["id"] == first
    assert len({p["id"] for p in record["passages"]}) == len(record["passages"]) >= 5


def test_authors_own_statement_is_marked_not_given_a_reference(assistant):
    answer = assistant.ask("Moskova Antlaşması Türkiye'yi hangi yönlerden güçlü kıldı?")
    own = [s for s in answer.sentences if s.citation is None]
    assert own, "the answer is the article author's own statement"
    assert all(s.attribution == "author" for s in own)
    assert "yazarın kendi ifadesi" in answer.text


def test_record_has_the_contract_fields(assistant):
    record = assistant.ask("Moskova Antlaşması ne zaman imzalandı?", id="t1").to_dict()
    json.dumps(record, ensure_ascii=False)
    assert {"id", "question", "answer", "abstained", "citations", "sentences", "passages"} <= set(record)
    assert record["id"] == "t1" and record["abstained"] is False
    citation = record["citations"][0]
    assert {k: citation[k] for k in ("author", "authors", "year", "pages", "raw")} == {
        "author": "Sofuoğlu", "authors": ["Sofuoğlu"], "year": "2005", "pages": "204", "raw": "(Sofuoğlu,2005:204)"}
    for s in record["sentences"]:
        assert {"text", "citation", "passage_id", "start", "end"} <= set(s)
    assert len(record["passages"]) >= 5
    for p in record["passages"]:
        assert {"id", "source", "section", "text", "score"} <= set(p)
    scores = [p["score"] for p in record["passages"]]
    assert scores == sorted(scores, reverse=True)


@pytest.mark.parametrize("question", UNSUPPORTED)
def test_abstains_on_what_the_article_never_mentions(assistant, question):
    answer = assistant.ask(question)
    assert answer.abstained and answer.sentences == [] and answer.citations == []
    english = question.startswith("What")
    assert ("The course text does not" in answer.text) if english else answer.text.startswith("Ders metni")


def test_project_scorer_agrees_with_the_course_scorer(assistant, tmp_path):
    if not SCORER.exists():
        pytest.skip(f"{SCORER} is not in this environment")
    questions = [
        {"id": "a1", "lang": "tr", "question": QUESTIONS[0][0], "answer_contains": ["16 Mart 1921"],
         "gold_citations": ["Sofuoğlu 2005"], "answerable": True},
        {"id": "a2", "lang": "en", "question": QUESTIONS[1][0], "answer_contains": ["16 Mart 1921"],
         "gold_citations": ["Bilge 1992"], "answerable": True},  # a wrong gold reference: not cited
        {"id": "a3", "lang": "tr", "question": QUESTIONS[2][0], "answer_contains": ["hiç geçmeyen ifade"],
         "gold_citations": [], "answerable": True},  # an answer it cannot contain
        {"id": "a4", "lang": "tr", "question": NEVER_NAMED[0], "answer_contains": [], "gold_citations": [],
         "answerable": False},
    ]
    answers = [answer_record(assistant, q) for q in questions]
    q_path, a_path = tmp_path / "q.jsonl", tmp_path / "a.jsonl"
    for path, rows in ((q_path, questions), (a_path, answers)):
        path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    run = subprocess.run([sys.executable, str(SCORER), str(q_path), str(a_path), "--json"],
                         capture_output=True, text=True, check=True)
    course = json.loads(run.stdout)
    ours = metrics(judge(questions, answers))
    shared = set(course) & set(ours)
    assert {"answer_accuracy", "hit@5", "citation_accuracy", "abstention_accuracy", "overall"} <= shared
    assert {k: ours[k] for k in shared} == pytest.approx({k: course[k] for k in shared})
    assert 0 < ours["answer_accuracy"] < 1 and ours["citation_accuracy"] == 0.5


@pytest.fixture(scope="module")
def two_sources(assistant, tmp_path_factory):
    """The article and the invented fixture text, indexed together."""
    directory = tmp_path_factory.mktemp("two-sources")
    for path in (ARTICLE, ARTICLE.with_suffix(".json"), FIXTURE_DIR / FIXTURE_NAME,
                 FIXTURE_DIR / FIXTURE_NAME.replace(".txt", ".json")):
        shutil.copy(path, directory / path.name)
    settings = Settings(source_dir=directory, index_dir=tmp_path_factory.mktemp("two-index"))
    with pytest.MonkeyPatch.context() as mp:
        patch_encoder(mp, assistant.encoders)
        yield Assistant.load(settings, progress=False, log=lambda msg: None)


def test_second_source_text_is_answered_from_with_its_reference(two_sources):
    assert set(two_sources.sources) == {ARTICLE.name, FIXTURE_NAME}
    answer = two_sources.ask(FIXTURE_QUESTION)
    assert not answer.abstained
    assert FIXTURE_ANSWER in answer.text
    assert {s.source for s in answer.sentences} == {FIXTURE_NAME}
    assert [c.key for c in answer.citations] == ["Doğanay, 1991"]


def test_article_answers_are_unchanged_by_a_second_source(two_sources):
    answer = two_sources.ask(QUESTIONS[0][0])
    assert "16 Mart 1921" in answer.text and {s.source for s in answer.sentences} == {ARTICLE.name}
