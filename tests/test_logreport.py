"""`rag-history log`: the teacher's report from a real log of real answers, Markdown and HTML,
Turkish and English, with what students typed escaped."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from rag_history.cli import main
from rag_history.logreport import question_key
from rag_history.questionlog import QuestionLog

pytestmark = pytest.mark.integration

ARTICLE = "turk-sovyet-iliskileri-milli-mucadele.txt"
MOSCOW = "Moskova Antlaşması ne zaman imzalandı?"
OFF_TOPIC = "Which football team won the 1998 World Cup?"  # nothing of the article: the assistant abstains
SCRIPT = "<script>alert(1)</script> Lenin | kimdir?"
MOSCOW_WORDINGS = [MOSCOW, "  moskova antlaşması NE ZAMAN imzalandı ", "MOSKOVA ANTLAŞMASI NE ZAMAN İMZALANDI???",
                   "Moskova antlasmasi ne zaman imzalandi"]
OFF_TOPIC_WORDINGS = [OFF_TOPIC, "Which  football team won the 1998 World Cup"]
# (as typed, the text it was limited to, the vote: True up, False down, None none)
ASKED = [
    (MOSCOW, None, False),
    (MOSCOW_WORDINGS[1], None, True),
    (MOSCOW_WORDINGS[2], None, None),
    (MOSCOW_WORDINGS[3], None, None),
    (OFF_TOPIC, None, False),
    (OFF_TOPIC_WORDINGS[1], None, None),
    ("What did Mustafa Kemal ask Lenin for in his letter?", None, True),
    ("Gümrü Antlaşması ne zaman imzalandı?", ARTICLE, None),
    (SCRIPT, None, None),
]


@pytest.fixture(scope="module")
def course_log(assistant, tmp_path_factory):
    """A log written through the API with the real assistant's answer records."""
    path = tmp_path_factory.mktemp("log") / "course.db"
    answers = {}
    with QuestionLog.open(path) as log:
        for question, limited_to, vote in ASKED:
            answer = assistant.ask(question)
            answers[question] = answer
            entry = log.record(answer.to_dict(), limited_to=limited_to)
            if vote is not None:
                log.feedback(entry, up=vote)
    assert answers[OFF_TOPIC].abstained and not answers[MOSCOW].abstained
    return path, answers


@pytest.fixture
def report(course_log, monkeypatch, capsys):
    """Run `rag-history log` in-process: (status, stdout, stderr)."""
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(name, raising=False)

    def run(*args: str):
        code = main(["log", str(course_log[0]), *args])
        out, err = capsys.readouterr()
        return code, out, err

    return run


def _section(markdown: str, heading: str) -> list[str]:
    """The table rows under a `## heading (n)` line."""
    block = markdown.split(f"## {heading}", 1)[1].split("\n## ", 1)[0]
    return [line for line in block.splitlines() if line.startswith("| ") and " --- " not in line][1:]


def test_markdown_report_in_english(report, course_log):
    answers = course_log[1]
    abstained = {q for q, a in answers.items() if a.abstained}
    moscow_unanswered = len(abstained & set(MOSCOW_WORDINGS))
    code, out, err = report("--lang", "en")
    assert code == 0 and err == ""
    assert out.startswith(f"# Question log: {course_log[0]}\n")
    assert "9 questions from " in out and f"{len(abstained)} unanswered, 2 thumbs up, 2 thumbs down." in out
    most = _section(out, "Most asked questions (5)")
    # Four wordings of one question, each typed once: counted together, shown as the first.
    assert most[0] == f"| {MOSCOW} | all texts | 4 | {moscow_unanswered} | 1 | 1 |"
    assert most[1] == f"| {OFF_TOPIC} | all texts | 2 | 2 | 0 | 1 |"
    assert f"| Gümrü Antlaşması ne zaman imzalandı? | {ARTICLE} | 1 | 0 | 0 | 0 |" in most
    unanswered = _section(out, "Unanswered questions")
    assert f"| {OFF_TOPIC} | all texts | 2 | " in "\n".join(unanswered)
    assert len(unanswered) == len({question_key(q) for q in abstained})
    down = _section(out, "Thumbs-down answers (2)")
    assert "16 Mart 1921" in answers[MOSCOW].text  # the answer given is shown beside the thumbs down
    assert down[0] == f"| {MOSCOW} | all texts | 1 | 1 | {answers[MOSCOW].text} |"
    assert down[1] == f"| {OFF_TOPIC} | all texts | 1 | 0 | {answers[OFF_TOPIC].text} |"


def test_markdown_report_in_turkish_by_option_and_by_locale(report, monkeypatch):
    code, out, _ = report("--lang", "tr")
    assert code == 0
    for heading in ("# Soru günlüğü", "## En çok sorulan sorular (5)", "## Yanıtlanamayan sorular",
                    "## Beğenilmeyen yanıtlar (2)"):
        assert heading in out
    assert "9 soru: " in out and "yanıtsız, 2 beğeni, 2 beğenmeme." in out and "| tüm metinler |" in out
    monkeypatch.setenv("LANG", "tr_TR.UTF-8")
    assert report()[1] == out
    monkeypatch.setenv("LANG", "C.UTF-8")
    assert "## Most asked questions" in report()[1]


def test_what_students_typed_is_escaped(report):
    _, out, _ = report("--lang", "en")
    assert "<script>" not in out
    assert "| &lt;script&gt;alert(1)&lt;/script&gt; Lenin \\| kimdir? | all texts | 1 |" in out


def test_top_limits_the_most_asked(report):
    _, out, _ = report("--lang", "en", "--top", "1")
    assert len(_section(out, "Most asked questions (1)")) == 1
    assert len(_section(out, "Unanswered questions")) > 1  # never cut


class _Page(HTMLParser):
    """Collects what a browser would see: the tags opened and closed, the cells' text."""

    VOID = {"meta", "br", "img", "link"}

    def __init__(self):
        super().__init__()
        self.open: list[str] = []
        self.tags: list[str] = []
        self.cells: list[str] = []
        self.lang = None

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        if tag == "html":
            self.lang = dict(attrs).get("lang")
        if tag not in self.VOID:
            self.open.append(tag)
        if tag == "td":
            self.cells.append("")

    def handle_endtag(self, tag):
        assert self.open and self.open.pop() == tag, f"</{tag}> closes {self.open[-1:]}"

    def handle_data(self, data):
        if self.open and self.open[-1] == "td":
            self.cells[-1] += data


@pytest.mark.parametrize("lang, heading", [("en", "Most asked questions"), ("tr", "En çok sorulan sorular")])
def test_html_report_in_both_languages(report, course_log, tmp_path, lang, heading):
    out = tmp_path / "reports" / "course.html"
    code, printed, _ = report("--lang", lang, "--out", str(out))
    assert code == 0 and printed == f"Report: {out}\n"
    page = _Page()
    page.feed(out.read_text(encoding="utf-8"))
    page.close()
    assert page.open == [] and page.lang == lang
    assert "script" not in page.tags and page.tags.count("table") == 3
    assert f"<h2>{heading} (5)</h2>" in out.read_text(encoding="utf-8")
    assert MOSCOW in page.cells and SCRIPT in page.cells  # shown as typed, as text
    assert course_log[1][MOSCOW].text in page.cells


def test_markdown_file_and_an_empty_log(report, tmp_path, capsys):
    out = tmp_path / "course.md"
    code, _, _ = report("--lang", "en", "--out", str(out))
    assert code == 0 and out.read_text(encoding="utf-8") == report("--lang", "en")[1]
    empty = tmp_path / "empty.db"
    QuestionLog.open(empty).close()
    assert main(["log", str(empty), "--lang", "en"]) == 0
    printed = capsys.readouterr().out
    assert printed == f"# Question log: {empty}\n\nNo questions have been logged yet.\n"
