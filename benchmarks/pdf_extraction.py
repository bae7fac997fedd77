"""pypdf against pdfminer.six on the Friedman PDF (tests/data/readings/): which gives the better
text for a source. Run it under each library's Python (pdfminer.six is not a dependency):

    python benchmarks/pdf_extraction.py --extractor pypdf --out results/pdf-pypdf.json
    OTHER_VENV/bin/python benchmarks/pdf_extraction.py --extractor pdfminer --out results/pdf-pdfminer.json

Figures: time for the 32 pages (median of --runs), how many of the question set's expected
answers and of the hand-counted footnote texts occur in the text (whitespace squashed, hyphens at
line ends joined), and whether paragraph indents survive (lines starting with a space after a
line that ends a sentence). Only the standard library besides the extractor.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import time
import unicodedata
from pathlib import Path

READINGS = Path(__file__).resolve().parent.parent / "tests" / "data" / "readings"
PDF = READINGS / "friedman-1955-in-1947.pdf"


def extract(extractor: str) -> str:
    if extractor == "pypdf":
        import pypdf

        return "\f".join(page.extract_text() for page in pypdf.PdfReader(str(PDF)).pages)
    from pdfminer.high_level import extract_text

    return extract_text(str(PDF))


def squash(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    text = re.sub(r"(\w)-[ \t]*\n[ \t]*(\w)", r"\1-\2", text)  # keep a line-end hyphen, join the line
    return " ".join(text.split())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--extractor", choices=("pypdf", "pdfminer"), required=True)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--out")
    args = parser.parse_args()
    times = []
    for _ in range(args.runs):
        start = time.perf_counter()
        text = extract(args.extractor)
        times.append(time.perf_counter() - start)
    flat = squash(text)
    answers = [a for line in (READINGS / "friedman-1955-in-1947.questions.jsonl").open() for a in json.loads(line)["answer_contains"]]
    notes = [squash(f["text"]) for f in json.loads((READINGS / "friedman-1955-in-1947.refs.json").read_text())["footnotes"]]
    lines = text.splitlines()
    indents = sum(1 for a, b in zip(lines, lines[1:]) if re.search(r"[.!?”]\d*\s*$", a) and b[:1] == " " and b.strip())
    result = {"extractor": args.extractor, "median_s": round(statistics.median(times), 2), "runs": args.runs,
              "answers_found": sum(squash(a) in flat for a in answers), "answers": len(answers),
              "footnotes_found": sum(n in flat for n in notes), "footnotes": len(notes),
              "indented_paragraph_starts": indents,
              "blank_line_share": round(sum(1 for x in lines if not x.strip()) / max(len(lines), 1), 2)}
    text_out = json.dumps(result, indent=2)
    if args.out:
        Path(args.out).write_text(text_out + "\n", encoding="utf-8")
    print(text_out)


if __name__ == "__main__":
    main()
