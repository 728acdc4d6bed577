# dyadwatch — two commands on a fresh machine:
#   make demo   install into .venv, load the real data, write the Iran–Russia report
#   make test   install into .venv (with test extras and system deps), run the tests
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
DATA   ?= ../shared/data
OUT    ?= out

.PHONY: demo test install install-test system-deps clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --upgrade pip >/dev/null

install: $(BIN)/python
	$(BIN)/pip install -e . 

install-test: $(BIN)/python
	$(BIN)/pip install -e '.[test,spark]'

system-deps:
	bash scripts/install-system-deps.sh

demo: install
	mkdir -p $(OUT)
	$(BIN)/dyadwatch demo --mirror $(DATA) --db $(OUT)/dyadwatch.duckdb --out $(OUT)/iran-russia.html --claims examples/claims_iran_russia.jsonl

test: install-test system-deps
	$(BIN)/python -m pytest -q

clean:
	rm -rf $(VENV) $(OUT)
