"""Answer quality on the real article, as students ask: the chat's example questions, the course
page's discussion questions, Turkish typed without its letters or in capitals, an English
question about another treaty than the first one, and a detail the article does not give."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from rag_history.evaluation import contains_any, judge, metrics

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[1]
# The sentence that answers each, by pieces of it (any one will do).
MOSCOW_DATE = ["16 Mart 1921'de görüşmelerin tamamlanmasıyla"]
WHY_SUPPORT = ["güney sınırlarının güvenliğinin sağlanması", "ikinci bir cephenin açılması ise Sovyetlerin",
               "güney sınırlarında Batılı bir devletin"]
EXPECTED = {
    # web/labels.py EXAMPLES
    "Moskova Antlaşması ne zaman imzalandı?": MOSCOW_DATE,
    "Sovyet Rusya Millî Mücadele'ye nasıl yardım etti?": ["askerî ve mali yardımda bulunmayı taahhüt",
                                                         "ekonomik ve askerî yardımlardı"],
    "What did Mustafa Kemal ask Lenin for in his letter?": ["silah, cephane ve parasal destek istemiş"],
    "Why did Soviet Russia support the Ankara government?": WHY_SUPPORT,
    # examples/course_page.html, its three discussion questions
    "Sovyet Rusya Ankara hükümetini neden desteklemiştir?": WHY_SUPPORT,
    "Moskova Antlaşması hangi koşullarda ve ne zaman imzalanmıştır?": MOSCOW_DATE,
    "Sovyet yardımının Batı cephesine etkisi ne olmuştur?": ["askeri gücünü batı cephesine sevk ederek"],
    # issue 10's failures
    "When was the Treaty of Kars signed?": ["13 Ekim 1921'de imzaladığı"],
    "MOSKOVA ANTLAŞMASI NE ZAMAN İMZALANDI": MOSCOW_DATE,
    "gumru antlasmasi ne zaman imzalandi": ["3 Aralık 1920'de Gümrü Antlaşması"],
}
# Not met yet (issue 10 stays open): why/how questions get a sentence on the topic instead of the
# reason. Retrieval ranks the passages that answer 8th to 11th of 43, below the six whose
# sentences are candidates; considering 10 or 14 passages moved no cross-validated figure
# (eval/README.md). Strict: a fix that makes one pass fails here until it is moved back.
NOT_YET = {"Sovyet Rusya Ankara hükümetini neden desteklemiştir?", "Sovyet Rusya Millî Mücadele'ye nasıl yardım etti?",
           "Sovyet yardımının Batı cephesine etkisi ne olmuştur?", "Why did Soviet Russia support the Ankara government?"}
# Asked for what the article does not give: a date of an event it never dates.
REFUSED = ["Lenin ne zaman öldü?"]


def test_the_examples_and_the_course_page_questions_are_in_this_test():
    from rag_history.web.labels import EXAMPLES

    page = (ROOT / "examples" / "course_page.html").read_text(encoding="utf-8")
    discussion = page.split('id="sorular"')[1].split("</ol>")[0]
    for question in EXAMPLES:
        assert question in EXPECTED, question
    for item in discussion.split("<li>")[1:]:
        assert item.split("</li>")[0].strip() in EXPECTED


@pytest.mark.parametrize("question", [pytest.param(q, marks=pytest.mark.xfail(strict=True, reason="why/how: issue 10"))
                                      if q in NOT_YET else q for q in sorted(EXPECTED)])
def test_answered_with_the_sentence_that_answers(assistant, question):
    answer = assistant.ask(question)
    assert not answer.abstained, answer.reason
    assert contains_any(answer.text, EXPECTED[question]), answer.text


@pytest.mark.parametrize("question", REFUSED)
def test_a_detail_the_article_does_not_give_is_refused(assistant, question):
    answer = assistant.ask(question)
    assert answer.abstained, answer.text


# Turkish as students type it: every Turkish question of the development sets, rewritten.
_ASCII = str.maketrans("çğıöşüâîûÇĞİÖŞÜÂÎÛ", "cgiosuaiuCGIOSUAIU")
VARIANTS = {
    "without Turkish letters": lambda q: q.translate(_ASCII),
    "in capitals": lambda q: q.replace("i", "İ").replace("ı", "I").upper(),
}
SETS = [ROOT.parent / "shared" / "eval" / "dev_qa.jsonl", ROOT / "eval" / "questions.jsonl"]


@pytest.fixture(scope="module")
def turkish_questions() -> list[dict]:
    rows = []
    for path in SETS:
        if path.exists():
            rows += [r for r in map(json.loads, path.read_text(encoding="utf-8").split("\n")[:-1] or [])
                     if r.get("lang") == "tr"]
    return rows


def _accuracy(assistant, rows: list[dict]) -> float:
    answers = [assistant.ask(r["question"], id=r["id"]).to_dict() for r in rows]
    return metrics(judge(rows, answers))["overall"]  # answered right, or rightly refused


@pytest.mark.parametrize("variant", sorted(VARIANTS))
def test_typing_styles_get_the_same_answers(assistant, turkish_questions, variant):
    """Accuracy on the rewritten questions (answered right, or rightly refused) within 0.03 of
    the originals."""
    assert len(turkish_questions) > 50
    rewritten = [dict(r, question=VARIANTS[variant](r["question"])) for r in turkish_questions]
    original, typed = _accuracy(assistant, turkish_questions), _accuracy(assistant, rewritten)
    assert typed >= original - 0.03, (variant, original, typed)
