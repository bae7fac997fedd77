# make run: set up and start the chat on the bundled article. make test: set up and run every test.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install run build test bench calibrate clean

$(BIN)/python:
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Python 3.11 is needed ($(PYTHON) not found)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# The CPU torch wheel first: an unpinned torch would pull a multi-GB CUDA build.
$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet torch==2.13.0
	$(BIN)/pip install --quiet -e '.[test]'
	@touch $(STAMP)

install: $(STAMP)

build: install
	$(BIN)/rag-history build

run: install
	$(BIN)/rag-history serve

test: install
	$(BIN)/python -m pytest -q -rs

# make calibrate: refit the answer model on the labelled sets (src/rag_history/data/answer_model.json).
calibrate: install
	$(BIN)/pip install --quiet -e '.[calibrate]'
	$(BIN)/python scripts/calibrate.py $(CALIBRATE_ARGS)

# make bench: figures in benchmarks/RESULTS.md (about two hours); BENCH_ARGS=--quick skips 100k passages.
bench: install
	$(BIN)/python benchmarks/run.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) index/current index/build-* index/.tmp-*
