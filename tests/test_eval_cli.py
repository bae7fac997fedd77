"""`rag-history eval` with a fake assistant (no model, milliseconds): which rows are scored, what
the figures say they count, the report of a set without gold fields, outputs checked before any
answering, answers kept when a late write fails, malformed rows refused in one line."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path
from types import SimpleNamespace

import pytest

from rag_history.assistant import Assistant
from rag_history.cli import main

GUMRU = "Gümrü Antlaşması ne zaman imzalandı?"
MOSKOVA = "Moskova Antlaşması ne zaman imzalandı?"
UNKNOWN = "Frunze Ankara'ya neden geldi?"
# question -> (answer, (author, year) cited, source text of the answer sentence)
KNOWN = {
    GUMRU: ("Gümrü Antlaşması 3 Aralık 1920'de imzalandı (Efe,2018:326).", ("Efe", "2018"), "article.txt"),
    MOSKOVA: ("Nihayet 16 Mart 1921'de Moskova Dostluk Antlaşması imzalanmıştır (Sofuoğlu,2005:204).",
              ("Sofuoğlu", "2005"), "article.txt"),
    "Fener ne zaman yakıldı?": ("Fener ilk kez 14 Temmuz 1862’de yakıldı (Doğanay,1991:45).",
                                ("Doğanay", "1991"), "fener.txt"),
}


class FakeAnswer:
    def __init__(self, record: dict):
        self.record = record

    def to_dict(self) -> dict:
        return dict(self.record)


class FakeAssistant:
    """Answers the KNOWN questions, abstains on the others; records every call."""

    sources = ["article.txt", "fener.txt"]
    index = SimpleNamespace(model="fake-model")

    def __init__(self):
        self.calls: list[dict] = []
        self.before_answer = lambda n: None  # a test's hook: runs before the n-th answer (0-based)

    def ask(self, question, k=None, id=None, history=(), source=None):
        self.before_answer(len(self.calls))
        self.calls.append({"question": question, "id": id, "history": history, "source": source})
        if question not in KNOWN:
            return FakeAnswer({"id": id, "question": question, "answer": "The article does not say.",
                               "abstained": True, "confidence": 0.1, "reason": "key term missing",
                               "citations": [], "sentences": [], "passages": []})
        text, (author, year), src = KNOWN[question]
        return FakeAnswer({"id": id, "question": question, "answer": text, "abstained": False, "confidence": 0.8,
                           "reason": "", "citations": [{"author": author, "year": year, "raw": f"({author},{year})"}],
                           "sentences": [{"text": text, "source": src}],
                           "passages": [{"text": text, "source": src}]})


@pytest.fixture
def fake(monkeypatch, clean_env):
    assistant = FakeAssistant()
    monkeypatch.setattr(Assistant, "load", classmethod(lambda cls, *args, **kwargs: assistant))
    return assistant


@pytest.fixture
def run(fake, capsys, tmp_path):
    """Run `eval` on rows (or a path); returns (status, stdout, stderr)."""

    def go(rows, *options, out=None):
        if isinstance(rows, (str, Path)):
            questions = Path(rows)
        else:
            questions = tmp_path / "q.jsonl"
            questions.write_text("".join((r if isinstance(r, str) else json.dumps(r, ensure_ascii=False)) + "\n"
                                         for r in rows), encoding="utf-8")
        code = main(["eval", str(questions), "--out", str(out or tmp_path / "answers.jsonl"), "-q", *options])
        printed, err = capsys.readouterr()
        return code, printed, err

    return go


def gold(id, question, expected=(), cites=(), answerable=True, **extra):
    return {"id": id, "lang": "tr", "question": question, "answer_contains": list(expected),
            "gold_citations": list(cites), "answerable": answerable, **extra}


def figures(printed: str) -> dict[str, str]:
    """The printed metrics: name -> value (the first two words of each line)."""
    return {line.split()[0]: line.split()[1] for line in printed.splitlines() if len(line.split()) >= 2}


def one_line_error(code: int, err: str) -> None:
    assert code == 2 and err.count("\n") == 1 and "Traceback" not in err, err


# --- 1. rows without gold fields ------------------------------------------------------------------


def test_a_row_without_gold_fields_is_answered_and_listed_not_scored(run, tmp_path):
    rows = [gold("g1", GUMRU, ["3 Aralık 1920"], ["Efe 2018"]), {"id": "plain", "question": MOSKOVA}]
    code, printed, _ = run(rows, "--report", str(tmp_path / "r.md"))
    assert code == 0
    got = figures(printed)
    assert got["answer_accuracy"] == "1.000" and got["overall"] == "1.000"
    assert got["questions"] == "2" and got["unscored"] == "1"
    answers = [json.loads(line) for line in (tmp_path / "answers.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [a["id"] for a in answers] == ["g1", "plain"] and "16 Mart 1921" in answers[1]["answer"]
    report = (tmp_path / "r.md").read_text(encoding="utf-8")
    unscored = report[report.index("## Unscored questions (1)"):]
    assert "plain" in unscored and "16 Mart 1921" in unscored and "(Sofuoğlu,2005:204)" in unscored
    assert "g1" not in unscored


# --- 2. a set without any gold field ---------------------------------------------------------------


@pytest.mark.parametrize("name", ["r.md", "r.html"])
def test_a_set_without_gold_fields_says_so_and_still_writes_the_answers_report(run, tmp_path, name):
    rows = [{"id": "p1", "question": GUMRU}, {"id": "p2", "question": UNKNOWN}]
    code, printed, err = run(rows, "--report", str(tmp_path / name))
    assert code == 0 and err == ""
    assert "Nothing to score" in printed and "answer_accuracy" not in printed
    assert figures(printed)["abstained"] == "1"
    report = (tmp_path / name).read_text(encoding="utf-8")
    assert "Nothing to score" in report and "Answers (2)" in report
    for needle in ("p1", GUMRU, "3 Aralık 1920", "(Efe,2018)", "p2", "key term missing", "yes"):
        assert needle in report.replace("&#x27;", "'")
    assert "citation_accuracy" not in report  # no figure that has nothing to count


# --- 3. what citation accuracy counts --------------------------------------------------------------


def test_citation_accuracy_says_it_counts_correct_answers_with_a_gold_reference(run, tmp_path):
    rows = [gold("c1", GUMRU, ["3 Aralık 1920"], ["Efe 2018"]),
            gold("c2", MOSKOVA, ["16 Mart 1921"], ["Bilge 1992"]),  # right sentence, wrong reference
            gold("c3", UNKNOWN, ["Frunze"], ["Efe 2018"])]  # wrong answer: its reference is not checked
    code, printed, _ = run(rows, "--report", str(tmp_path / "r.html"))
    line = next(line for line in printed.splitlines() if line.startswith("citation_accuracy"))
    assert code == 0 and "0.500" in line and "of 2 correct answers with a gold reference" in line
    assert "of 2 correct answers with a gold reference" in (tmp_path / "r.html").read_text(encoding="utf-8")


# --- 4. outputs checked before answering; late failures keep the answers --------------------------


@pytest.fixture
def a_file(tmp_path) -> Path:
    path = tmp_path / "a-file"
    path.write_text("not a folder\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("target", [
    "/dev/full",  # a device that takes nothing
    "{tmp}",  # a directory
    "{tmp}/a-file/answers.jsonl",  # under a file
    "{tmp}/a-file/deeper/answers.jsonl",
    "/sys/answers.jsonl",  # a place nobody may write, not even root
    "{tmp}/q.jsonl",  # the question set itself
])
def test_unusable_out_is_refused_before_any_answering(run, fake, tmp_path, a_file, target):
    questions = [gold("o1", GUMRU, ["3 Aralık 1920"])]
    code, printed, err = run(questions, out=target.format(tmp=tmp_path))
    one_line_error(code, err)
    assert "--out" in err and fake.calls == [] and printed == ""
    assert json.loads((tmp_path / "q.jsonl").read_text(encoding="utf-8"))["id"] == "o1"


def test_a_read_only_folder_is_refused(run, fake, tmp_path):
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        if os.access(folder, os.W_OK):
            pytest.skip("running as root: permissions do not stop writes (the /sys case covers it)")
        code, _, err = run([gold("o1", GUMRU, ["3 Aralık 1920"])], out=folder / "answers.jsonl")
    finally:
        folder.chmod(0o755)
    one_line_error(code, err)
    assert fake.calls == []


@pytest.mark.parametrize("target", ["{tmp}", "/sys/report.md", "/sys/report.html", "{tmp}/a-file/r.md",
                                    "{tmp}/answers.jsonl", "{tmp}/q.jsonl", "{tmp}/q-headline.svg"])
def test_unusable_report_is_refused_before_any_answering(run, fake, tmp_path, a_file, target):
    if target.endswith("q-headline.svg"):  # a Markdown report "q.md" would write its chart over this
        target = str(tmp_path / "q.md")
        (tmp_path / "q-headline.svg").mkdir()
    code, _, err = run([gold("o1", GUMRU, ["3 Aralık 1920"])], "--report", target.format(tmp=tmp_path))
    one_line_error(code, err)
    assert "--report" in err and fake.calls == []
    assert not (tmp_path / "answers.jsonl").exists()


def test_out_folder_gone_after_answering_keeps_the_answers_elsewhere(run, fake, tmp_path, monkeypatch):
    (tmp_path / "tmp").mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))  # where save_elsewhere puts them
    folder = tmp_path / "results"

    def break_the_folder(n):
        if n == 1:  # the folder was checked; now it becomes a file
            folder.rmdir()
            folder.write_text("", encoding="utf-8")

    fake.before_answer = break_the_folder
    rows = [gold("l1", GUMRU, ["3 Aralık 1920"]), gold("l2", MOSKOVA, ["16 Mart 1921"])]
    code, printed, err = run(rows, out=folder / "answers.jsonl")
    one_line_error(code, err)
    saved = Path(err.split("saved in ")[1].rstrip(".\n"))
    assert saved.parent == tmp_path / "tmp"
    assert [json.loads(line)["id"] for line in saved.read_text(encoding="utf-8").splitlines()] == ["l1", "l2"]
    assert figures(printed)["answer_accuracy"] == "1.000"  # the figures are still shown


def test_report_folder_gone_after_answering_keeps_the_answers(run, fake, tmp_path):
    folder = tmp_path / "reports"

    def break_the_folder(n):
        if n == 0:
            folder.rmdir()
            folder.write_text("", encoding="utf-8")

    fake.before_answer = break_the_folder
    code, _, err = run([gold("l1", GUMRU, ["3 Aralık 1920"])], "--report", str(folder / "r.html"))
    one_line_error(code, err)
    assert "--report" in err and str(tmp_path / "answers.jsonl") in err
    assert json.loads((tmp_path / "answers.jsonl").read_text(encoding="utf-8"))["id"] == "l1"


def test_answers_computed_before_a_failure_are_saved(run, fake, tmp_path, monkeypatch):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))

    def interrupt(n):
        if n == 2:
            raise KeyboardInterrupt

    fake.before_answer = interrupt
    rows = [gold(f"i{n}", GUMRU, ["3 Aralık 1920"]) for n in range(4)]
    code, _, err = run(rows)
    assert code == 130 and "stopped after 2 of 4 questions" in err
    saved = next(tmp_path.glob("rag-history-*-answers.jsonl"))
    assert [json.loads(line)["id"] for line in saved.read_text(encoding="utf-8").splitlines()] == ["i0", "i1"]


# --- 5 and 6. malformed rows, silently wrong figures --------------------------------------------


@pytest.mark.parametrize("row, field", [
    (gold("m1", GUMRU, ["3 Aralık 1920"], ["Efe"]), "gold_citations"),  # no year
    ({**gold("m1", GUMRU, ["3 Aralık 1920"]), "gold_citations": "Efe 2018"}, "gold_citations"),
    ({**gold("m1", GUMRU), "answer_contains": 1920}, "answer_contains"),
    ({**gold("m1", GUMRU), "answer_contains": [1920]}, "answer_contains"),
    ({**gold("m1", GUMRU), "answer_contains": "3 Aralık 1920"}, "answer_contains"),  # matched letter by letter
    ({**gold("m1", GUMRU), "answer_contains": [" "]}, "answer_contains"),  # in every answer
    (gold("m1", GUMRU), "answer_contains"),  # answerable, nothing expected: always wrong
    ({**gold("m1", GUMRU, ["3 Aralık 1920"]), "answerable": "false"}, "answerable"),
    ({**gold("m1", GUMRU, ["3 Aralık 1920"]), "id": {"a": 1}}, "id"),
    ({"id": "m1", "question": ["a", "list"]}, "question"),
    ({"id": "m1", "question": GUMRU, "history": "Moskova?"}, "history"),
    ({"id": "m1", "question": GUMRU, "history": [MOSKOVA, 3]}, "history"),
    ({"id": "m1", "question": GUMRU, "history": [MOSKOVA] * 21}, "history"),
    ({"id": "m1", "question": GUMRU, "source": ["article.txt"]}, "source"),
    ({"id": "m1", "question": GUMRU, "source": "../../etc/passwd"}, "source"),  # not an indexed text
])
def test_a_malformed_row_is_refused_naming_file_line_and_field(run, fake, tmp_path, row, field):
    code, printed, err = run([{"id": "ok", "question": MOSKOVA}, row])
    one_line_error(code, err)
    assert f"{tmp_path / 'q.jsonl'}, line 2, {field}:" in err
    assert fake.calls == [] and printed == "" and not (tmp_path / "answers.jsonl").exists()


def test_a_string_answer_contains_would_have_scored_a_wrong_answer_right(run):
    # Matched one character at a time, "Moskova" is "in" the answer about Gümrü (it has an M, an o, ...).
    code, _, err = run([{**gold("s1", GUMRU), "answer_contains": "Moskova"}])
    one_line_error(code, err)
    assert "line 1, answer_contains:" in err and "[\"Moskova\"]" in err


def test_repeated_ids_are_refused_naming_the_lines(run, fake, tmp_path):
    rows = [gold("d1", GUMRU, ["3 Aralık 1920"]), gold("d2", MOSKOVA, ["16 Mart 1921"]),
            gold("d1", UNKNOWN, [], answerable=False)]
    code, _, err = run(rows)
    one_line_error(code, err)
    assert 'id "d1" is on lines 1, 3' in err and fake.calls == []


def test_a_question_set_that_is_a_directory_is_one_line(run, fake, tmp_path):
    code, _, err = run(tmp_path)
    one_line_error(code, err)
    assert "is a directory" in err and fake.calls == []


# --- 7. history and source ---------------------------------------------------------------------------


def test_history_and_source_are_passed_to_the_assistant(run, fake):
    rows = [{"id": "h1", "question": GUMRU, "history": [MOSKOVA, "Peki ya Kars?"], "source": "article.txt"},
            {"id": "h2", "question": MOSKOVA}]
    code, _, _ = run(rows)
    assert code == 0
    assert fake.calls == [
        {"question": GUMRU, "id": "h1", "history": [MOSKOVA, "Peki ya Kars?"], "source": "article.txt"},
        {"question": MOSKOVA, "id": "h2", "history": (), "source": None}]


def test_figures_by_source_text(run, tmp_path):
    rows = [gold("a1", GUMRU, ["3 Aralık 1920"]),  # the source of its answer sentence: article.txt
            gold("a2", UNKNOWN, ["Frunze"], source="article.txt"),  # its row's source
            gold("f1", "Fener ne zaman yakıldı?", ["14 Temmuz 1862"]),  # fener.txt
            gold("f2", "Fener kaç metre?", [], answerable=False, source="fener.txt")]
    code, printed, _ = run(rows, "--report", str(tmp_path / "r.md"))
    assert code == 0
    by_source = printed[printed.index("by source:"):]
    article = by_source[by_source.index("article.txt (2 questions)"):by_source.index("fener.txt")]
    fener = by_source[by_source.index("fener.txt (2 questions)"):]
    assert figures(article)["answer_accuracy"] == "0.500"
    assert figures(fener)["answer_accuracy"] == "1.000" and figures(fener)["abstention_accuracy"] == "1.000"
    report = (tmp_path / "r.md").read_text(encoding="utf-8")
    assert "## By source text" in report and "### article.txt (2 questions)" in report
    assert "### fener.txt (2 questions)" in report


# --- start-up ---------------------------------------------------------------------------------------


def test_eval_imports_no_web_stack(tmp_path):
    """The whole command with a stand-in assistant, in a fresh process: gradio is never imported."""
    questions = tmp_path / "q.jsonl"
    questions.write_text(json.dumps({"id": "w1", "question": "Soru?"}) + "\n", encoding="utf-8")
    script = textwrap.dedent(f"""
        import sys
        from types import SimpleNamespace
        from rag_history.assistant import Assistant
        from rag_history.cli import main

        class Answer:
            def to_dict(self):
                return {{"id": "w1", "answer": "-", "abstained": True, "citations": [], "sentences": [],
                        "passages": []}}

        stub = SimpleNamespace(sources=[], index=SimpleNamespace(model="stub"), ask=lambda *a, **k: Answer())
        Assistant.load = classmethod(lambda cls, *a, **k: stub)
        code = main(["eval", {str(questions)!r}, "--out", {str(tmp_path / "a.jsonl")!r}, "-q",
                     "--report", {str(tmp_path / "r.html")!r}])
        print(code, sorted({{m.split(".")[0] for m in sys.modules}} & {{"gradio", "fastapi", "uvicorn"}}))
    """)
    env = {k: v for k, v in os.environ.items() if not k.startswith("RAG_HISTORY_")}
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=120)
    assert run.stdout.splitlines()[-1] == "0 []", run.stderr
