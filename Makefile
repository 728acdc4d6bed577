# dyadwatch — two commands on a fresh machine:
#   make demo   install into .venv, load the real data, write the Iran–Russia report
#   make test   install into .venv (with test extras and system deps), run the tests
#   make serve  see it live: the demo store in a browser at http://127.0.0.1:$(PORT)/ (runs make demo first if needed)
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
DATA   ?= ../shared/data
OUT    ?= out
PORT   ?= 8000

.PHONY: demo test serve golden install install-test system-deps clean

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

serve: install
	@test -f $(OUT)/dyadwatch.duckdb || $(MAKE) demo
	$(BIN)/dyadwatch serve --db $(OUT)/dyadwatch.duckdb --port $(PORT)

test: install-test system-deps
	$(BIN)/python -m pytest -q

# regenerate the report's golden files (tests/report/golden) after a change that is meant to move them;
# review the diff in git before committing
golden: install-test
	DYADWATCH_UPDATE_GOLDEN=1 $(BIN)/python -m pytest -q tests/report/test_report_golden.py

clean:
	rm -rf $(VENV) $(OUT)
