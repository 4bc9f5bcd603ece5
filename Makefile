# chuanyu: `make run` installs everything and answers from the shipped catalogue; `make test` checks it all.
VENV ?= .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed

.PHONY: install run test lint reference bench bench-growth briefing golden clean

$(INSTALLED): pyproject.toml
	python3 -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $@

# Bytecode for what changed since, on every install: where PYTHONDONTWRITEBYTECODE is set, every
# command would otherwise compile each changed module again (a query's time doubled).
install: $(INSTALLED)
	$(BIN)/python -m compileall -q cli/chuanyu

run: install
	$(BIN)/chuanyu validate
	$(BIN)/chuanyu build
	$(BIN)/chuanyu agencies --format table

lint: install
	$(BIN)/ruff check cli tests
	$(BIN)/ruff format --check cli tests
	$(BIN)/mypy

test: lint
	$(BIN)/pytest

# The briefing set: Markdown, CSV, Excel and SVG pictures, into build/briefing/.
briefing: install
	$(BIN)/chuanyu report --out build/briefing

# Rewrite the briefing's golden files (tests/golden/briefing) after a change that is meant.
golden: install
	$(BIN)/chuanyu report --out build/golden
	cp build/golden/*.md build/golden/*.csv build/golden/*.svg tests/golden/briefing/

# Rewrite what is read off the Typer app: README's command reference and examples, and the direct
# path's commands/direct.json (tests hold them equal).
reference: install
	$(BIN)/python tests/reference.py --write README.md

clean:
	rm -rf $(VENV) build dist .pytest_cache .mypy_cache .ruff_cache

# Start-up of one query as a process, as a ratio to a bare Python floor (figures, not a test).
bench: install
	$(BIN)/python -m compileall -q cli/chuanyu
	$(BIN)/python tests/bench_startup.py

# How build and queries grow at 1k, 10k and 100k measures (figures, not a test; a few minutes).
bench-growth: install
	$(BIN)/python -m compileall -q cli/chuanyu
	$(BIN)/python tests/bench_growth.py
