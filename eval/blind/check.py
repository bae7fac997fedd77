#!/usr/bin/env python3
"""Check a blind question file: fields, answer pieces verbatim and unique in the text, citations present.

    python3 check.py OUT.jsonl --text TEXT.txt
"""
import argparse, json, re, sys

TYPES = {"date", "person", "place", "number", "reason", "consequence", "manner", "what", "list", "other"}
STYLES = {"standard", "ascii", "caps", "lower", "no_apostrophe", "no_punctuation", "sloppy"}
FIELDS = ("id", "source", "lang", "question", "answer_contains", "gold_citations", "answerable", "type", "style")

ap = argparse.ArgumentParser()
ap.add_argument("file")
ap.add_argument("--text", required=True)
a = ap.parse_args()
text = open(a.text, encoding="utf-8").read()
flat = re.sub(r"\s+", " ", text)
problems, ids = [], set()
for n, line in enumerate(open(a.file, encoding="utf-8"), 1):
    if not line.strip():
        continue
    try:
        r = json.loads(line)
    except ValueError as e:
        problems.append(f"line {n}: not JSON ({e})"); continue
    where = f"line {n} ({r.get('id')})"
    for f in FIELDS:
        if f not in r:
            problems.append(f"{where}: missing field {f}")
    if r.get("id") in ids:
        problems.append(f"{where}: duplicate id")
    ids.add(r.get("id"))
    if r.get("lang") not in ("tr", "en"):
        problems.append(f"{where}: lang must be tr or en")
    if r.get("type") not in TYPES:
        problems.append(f"{where}: type {r.get('type')!r} not one of {sorted(TYPES)}")
    if r.get("style") not in STYLES:
        problems.append(f"{where}: style {r.get('style')!r} not one of {sorted(STYLES)}")
    if not isinstance(r.get("question"), str) or len(r.get("question", "").split()) < 2:
        problems.append(f"{where}: question too short")
    pieces, cites = r.get("answer_contains", []), r.get("gold_citations", [])
    if r.get("answerable") is True:
        if not pieces:
            problems.append(f"{where}: answerable but answer_contains is empty")
        starts = []
        for p in pieces:
            k = len(p.split())
            if not 2 <= k <= 8:
                problems.append(f"{where}: piece {p!r} has {k} words (2-8)")
            c = flat.count(re.sub(r"\s+", " ", p))
            if c != 1:
                problems.append(f"{where}: piece {p!r} occurs {c} times in the text (must be exactly once; "
                                "line breaks count as spaces)")
            else:
                starts.append(flat.index(re.sub(r"\s+", " ", p)))
        if len(starts) > 1 and max(starts) - min(starts) > 600:
            problems.append(f"{where}: pieces lie far apart; are they in ONE sentence?")
        for c in cites:
            m = re.fullmatch(r"(.+?) (\d{4}[a-z]?|n\.d\.)", c)
            if not m:
                problems.append(f"{where}: citation {c!r} is not 'Surname Year'"); continue
            surname, year = m.groups()
            last = surname.split()[-1]
            near = re.search(re.escape(last) + r".{0,120}?" + re.escape(year[:4]), flat) or \
                re.search(re.escape(year[:4]) + r".{0,60}?" + re.escape(last), flat)
            if not near:
                problems.append(f"{where}: citation {c!r}: surname and year never appear together in the text")
    elif r.get("answerable") is False:
        if pieces or cites:
            problems.append(f"{where}: unanswerable rows have answer_contains [] and gold_citations []")
    else:
        problems.append(f"{where}: answerable must be true or false")
print(f"{len(ids)} questions, {len(problems)} problems")
for p in problems:
    print(" -", p)
sys.exit(1 if problems else 0)
