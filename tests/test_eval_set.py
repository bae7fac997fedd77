"""The project's question sets (eval/questions.jsonl, eval/heldout.jsonl) are well-formed and true to the article."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from rag_history.citations import attribute, find_references
from rag_history.evaluation import norm
from rag_history.source import load_document

ROOT = Path(__file__).resolve().parents[1]
EVAL = ROOT / "eval"
ARTICLE = ROOT / "source_texts" / "turk-sovyet-iliskileri-milli-mucadele.txt"
TYPES = {"date", "person", "place", "number", "reason", "consequence", "what", "list", "other"}
FIELDS = {"id": str, "lang": str, "question": str, "answer_contains": list, "gold_citations": list,
          "answerable": bool, "type": str}
# Per file: the least size and the least count of (lang, answerable) questions.
SETS = {
    "questions.jsonl": {"size": 90, ("tr", True): 40, ("en", True): 25, ("tr", False): 5, ("en", False): 5},
    # Written blind from the article after the system was tuned (eval/README.md: what its first run prompted).
    "heldout.jsonl": {"size": 40, ("tr", True): 14, ("en", True): 12, ("tr", False): 4, ("en", False): 4},
}


def load(name: str) -> list[dict]:
    lines = [line for line in (EVAL / name).read_text(encoding="utf-8").splitlines() if line.strip()]
    return [json.loads(line) for line in lines]


@pytest.fixture(scope="module", params=sorted(SETS))
def eval_set(request) -> tuple[str, list[dict]]:
    return request.param, load(request.param)


@pytest.fixture(scope="module")
def questions(eval_set) -> list[dict]:
    return eval_set[1]


@pytest.fixture(scope="module")
def article():
    """Normalized sentences (line wrapping and page breaks joined) and each one's reference."""
    doc = load_document(ARTICLE)
    refs = [f"{a.citation.author} {a.citation.year}" if a.citation else None for a in attribute(doc)]
    cited = {f"{c.author} {c.year}" for p in doc.paragraphs for r in find_references(p.text) for c in r.works}
    return [norm(s.text) for s in doc.sentences], refs, cited


def test_fields_and_ids(eval_set):
    file, questions = eval_set
    assert len(questions) >= SETS[file]["size"], file
    for q in questions:
        for name, kind in FIELDS.items():
            assert isinstance(q.get(name), kind), (q.get("id"), name)
        assert q["lang"] in {"tr", "en"} and q["type"] in TYPES, q["id"]
        assert q["question"].strip(), q["id"]
    ids = Counter(q["id"] for q in questions)
    assert not [i for i, n in ids.items() if n > 1]


def test_mix(eval_set):
    file, questions = eval_set
    count = Counter((q["lang"], q["answerable"]) for q in questions)
    for key in [("tr", True), ("en", True), ("tr", False), ("en", False)]:
        assert count[key] >= SETS[file][key], (file, key, count[key])
    assert len({q["question"] for q in questions}) == len(questions)


def test_sets_share_no_id_or_question():
    seen_ids: set[str] = set()
    seen_questions: set[str] = set()
    for file in SETS:
        questions = load(file)
        ids = {q["id"] for q in questions}
        texts = {q["question"] for q in questions}
        assert not ids & seen_ids, (file, sorted(ids & seen_ids))
        assert not texts & seen_questions, (file, sorted(texts & seen_questions))
        seen_ids |= ids
        seen_questions |= texts


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


# --- the blind sets of the third round (eval/README.md) ------------------------------------------

BLIND = EVAL / "blind"
# Recorded before anything was fitted; a locked set that changed is no longer the one run blind.
LOCKED = {"test.jsonl": "88e78478c0f1da0c676018ab04594143ecc892f1accfc5d2aae256046a8059d7",
          "conversation-test.jsonl": "60e827a3724b495ce989011f5729b29825dfcf87510bf6638a07b40faa12b3b3",
          "offtopic-test.jsonl": "c846cf3cbe0601031291742e089d1fcac60fc0f4e96f4e7c865ed69f426c3973",
          "round4-test.jsonl": "e4b5ec0bab20a4572360445fba94a489d9a04783bed505d15e3b2fd710c56172",
          "round4-readings-test.jsonl": "44e4b192f4edd009dba31f5e5b5d4f8086f0a2e36985f34f7778c0d929c72baa",
          "round5-test.jsonl": "ffae5e176b288fa6742ad7577f3a07c170dd1ace8f88efc164094a90152d1f24",
          "round5-readings-test.jsonl": "485daf3a4ec4862ef96caad712e0cabb7975f8d17294244cf092ba328366d99d",
          "round6-test.jsonl": "fb124849049d69758a2230d8a249f1a019a42341b98be3ad0216a5599a3f44c1",
          "round6-readings-test.jsonl": "5f04e734f7646b5103691d8da5f7af6c7568343a4f5037502e3f62bc35df6f5d",
          "round6b-test.jsonl": "b164867663a2051ebba59f43f966e8dbed77a22d6b1b9557977db5af496f368b",
          "round6-new-test.jsonl": "7713e4120a9ff014c441e991b2f4e0342a4b31e4eb9234a6f4e6256275cd0898",
          "round7a-test.jsonl": "63011fe81f3d693e3df5fb98dab77607a81cf90b467025840b5c8bf18e258409",
          "round7b-test.jsonl": "94343df2402f97f61875f2e66c16005f978ba14cd78a29bb69169c7f5e0ff998",
          "round7-readings-test.jsonl": "84611814f1242f538759c04eb66fe63688d5347264d61ffb4f8579515ac0a79e",
          "round7-new-test.jsonl": "31c63b895e87e0bcfcaeef3365431ce2995a5dcf452b6d403e9a433de3ea97c2",
          "round8a-test.jsonl": "b22093007137242419287a37d58d098f8ae93f41dc4e3de313551b726717a659",
          "round8b-test.jsonl": "c1ed0d7123a953c6c154b02c466859ba1830cb03e2234f1dcb0fd4073f395c48",
          "round8-readings-test.jsonl": "d7f16ff3a13fdda5675f61ace59883e012b18d34db610e8b4501f049fed716d5",
          "round8-new-test.jsonl": "a38457ffb2508a41e893e453c82dad39979aa1a79994601c136ec584402ef66c",
          "round9a-test.jsonl": "ceb5be4dde8d783ad1d9e951efb683b7205578e0f6a0f8f2bcde0612a5ca3faf",
          "round9b-test.jsonl": "d5603023511efe6df0f79db3bf9f17bdde851cfdef387feea112ab467ef5219e",
          "round9-readings-test.jsonl": "30340f7c361d46f8542d623286ee1667590ffaa4f62f970285db23db03e41d74",
          "round9-new-test.jsonl": "5116540239fa69d666afc4ccf9f701ce03d57dadcd9a07239ee14b021878ced5",
          "sealed-round9/marrs-publicizing-foreign-relations.txt":
              "a8d2c3a07c98519db8992795c418c6e52e8ae10fffbe46956c4d0c846c635f02",
          "sealed-round9/marrs-publicizing-foreign-relations.json":
              "166c58fec1c87607ff82b49323a5d4392a4291a1afc2c5f1f296a32b61b73e00",
          "sealed-round9/marrs-publicizing-foreign-relations.refs.json":
              "3f7d04d430a815ee539974ffb3a5a371724792c93ea5546eda740408aae3e27e"}


def test_the_locked_sets_are_the_ones_whose_hashes_were_recorded():
    import hashlib

    for name, digest in LOCKED.items():
        assert hashlib.sha256((BLIND / name).read_bytes()).hexdigest() == digest, name
        assert f"{digest}  eval/blind/{name}" in (EVAL / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", ["train.jsonl", "test.jsonl", "conversation.jsonl", "conversation-test.jsonl",
                                  "entities.jsonl", "offtopic.jsonl", "offtopic-test.jsonl", "round4-test.jsonl",
                                  "round5-test.jsonl", "round6-test.jsonl", "round6b-test.jsonl",
                                  "round7a-test.jsonl", "round7b-test.jsonl", "round8a-test.jsonl",
                                  "round8b-test.jsonl", "round9a-test.jsonl", "round9b-test.jsonl"])
def test_blind_sets_are_well_formed_and_true_to_the_article(name, article_text):
    rows = [json.loads(line) for line in (BLIND / name).read_text(encoding="utf-8").split("\n") if line.strip()]
    text = norm(article_text)
    assert len({r["id"] for r in rows}) == len(rows)
    for r in rows:
        for field, kind in FIELDS.items():
            assert isinstance(r.get(field), kind), (r.get("id"), field)
        assert all(isinstance(h, str) and h.strip() for h in r.get("history", [])), r["id"]
        if r["answerable"]:
            assert r["answer_contains"], r["id"]
        for needle in r["answer_contains"]:
            assert text.count(norm(needle)) == 1, (r["id"], needle)


# Writers working apart wrote these word for word as another writer (or an earlier set) had:
# reported with the locked set's figures (eval/README.md); no other overlap may appear.
KNOWN_OVERLAPS = {"When was the Treaty of Sèvres signed?",  # b1 (train) and b4 (test)
                  "When did the Grand National Assembly ratify the Treaty of Moscow?",  # heldout and b4
                  "Türkiye'den Moskova'ya yeni bir heyet hangi tarihte gönderildi?"}  # own set and b1


def test_blind_questions_overlap_other_sets_only_where_known():
    others = {q["question"] for f in SETS for q in load(f)}
    rows = {name: [json.loads(x) for x in (BLIND / name).read_text(encoding="utf-8").split("\n") if x]
            for name in ("train.jsonl", "test.jsonl")}
    train, test = ({r["question"] for r in rows[n]} for n in ("train.jsonl", "test.jsonl"))
    assert not {r["id"] for r in rows["train.jsonl"]} & {r["id"] for r in rows["test.jsonl"]}
    assert (train & test) | ((train | test) & others) == KNOWN_OVERLAPS


@pytest.mark.parametrize("name, size", [("round4-readings-test.jsonl", 120), ("round5-readings-test.jsonl", 75),
                                        ("round6-readings-test.jsonl", 40), ("round7-readings-test.jsonl", 48)])
def test_the_readings_locked_sets_are_well_formed_and_true_to_their_texts(name, size):
    rows = [json.loads(x) for x in (BLIND / name).read_text(encoding="utf-8").split("\n") if x]
    readings = Path(__file__).parent / "data" / "readings"
    assert len({r["id"] for r in rows}) == len(rows) == size
    for r in rows:
        for field, kind in FIELDS.items():
            assert isinstance(r.get(field), kind), (r.get("id"), field)
        text = norm((readings / r["source"]).read_text(encoding="utf-8"))
        assert bool(r["answer_contains"]) == r["answerable"], r["id"]
        for needle in r["answer_contains"]:
            assert text.count(norm(needle)) == 1, (r["id"], needle)
