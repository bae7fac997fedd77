"""Language detection: lingua (restricted to Turkish and English) against the function-word
detector of language.py, on short texts (every question with a `lang` in the eval sets and the
readings' question sets), and lingua's load time and memory (lazy models, as language.py
builds it, against preloaded ones).

    python benchmarks/language.py --out results/language.json
"""

from __future__ import annotations

import argparse
import json
import subprocess

from common import PYTHON, ROOT, write_json

LOAD = """
import time
def status(key):
    return next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith(key)) / 1024
before = status("VmRSS:")
start = time.perf_counter()
from lingua import Language, LanguageDetectorBuilder
builder = LanguageDetectorBuilder.from_languages(Language.TURKISH, Language.ENGLISH)
detector = (builder.with_preloaded_language_models() if {preload} else builder).build()
for path in {texts!r}:
    detector.detect_language_of(open(path, encoding="utf-8").read())
print(time.perf_counter() - start, status("VmHWM:") - before)
"""


def main() -> None:
    from rag_history.language import detect_language, lingua_detector

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out")
    args = parser.parse_args()
    files = [ROOT / "eval" / "questions.jsonl", ROOT / "eval" / "heldout.jsonl", ROOT.parent / "shared" / "eval" / "dev_qa.jsonl",
             *sorted((ROOT / "tests" / "data" / "readings").glob("*.questions.jsonl"))]
    rows = [json.loads(line) for f in files if f.exists() for line in f.open(encoding="utf-8") if line.strip()]
    detector, codes = lingua_detector()
    words = lingua = 0
    misses = []
    for row in rows:
        lang = row.get("lang", "tr")
        a, b = detect_language(row["question"]), codes.get(detector.detect_language_of(row["question"]), "tr")
        words += a == lang
        lingua += b == lang
        if a != lang or b != lang:
            misses.append({"question": row["question"], "lang": lang, "function_words": a, "lingua": b})
    texts = [str(ROOT / "source_texts" / "turk-sovyet-iliskileri-milli-mucadele.txt"),
             str(ROOT / "tests" / "data" / "readings" / "kara-nur-medina-hadith-sts.txt")]
    load = {}
    for preload in (False, True):
        out = subprocess.run([PYTHON, "-c", LOAD.format(preload=preload, texts=texts)], capture_output=True, text=True,
                             check=True, timeout=300).stdout.split()
        load["preloaded" if preload else "lazy"] = {"seconds": round(float(out[0]), 2), "peak_rss_mb": round(float(out[1]))}
    write_json(args.out, {"questions": len(rows), "function_words_right": words, "lingua_right": lingua,
                          "misses": misses, "load_and_two_texts": load})


if __name__ == "__main__":
    main()
