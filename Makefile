# chuanyu: `make run` installs everything and answers from the shipped catalogue; `make test` checks it all.
VENV ?= .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
# The interpreter the environments are made with (the real one, not a version manager's shim).
PYTHON ?= $(shell python3 -c 'import sys; print(sys.executable)')
# uv, installed by pip into a folder of its own from hashes in requirements/uv.txt, installs the rest.
TOOLS := .tools
UV := $(TOOLS)/bin/uv
UV_VERSION := 0.13.9
export UV_PYTHON_DOWNLOADS := never
# What the system must have: Debian's packages for the SVG renderer and its fonts (docs/install.md).
SYSTEM_PACKAGES := libcairo2 fontconfig fonts-wqy-microhei
# and the headless browser that tests `chuanyu serve` (a failed install of it warns: that one test then says so)
BROWSER_PACKAGES := chromium

.PHONY: install system run serve screenshot docs test test-newest test-lowest test-ends ends-venv ci lint reference lock bench bench-growth briefing golden clean

$(UV): requirements/uv.txt
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/python -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements/uv.txt
	touch $@

# The development environment is exactly uv.lock: the packages first, then chuanyu itself, editable,
# built by the locked hatchling (so no build tool is resolved afresh either). Each package's
# bytecode is compiled as it is installed: where PYTHONDONTWRITEBYTECODE is set (CI, this machine)
# Python would otherwise compile rich and Typer from source in every command (~150 ms a table).
$(INSTALLED): pyproject.toml uv.lock $(UV)
	$(UV) sync --quiet --frozen --compile-bytecode --extra test --extra serve --no-install-project --python $(PYTHON)
	$(UV) pip install --quiet --python $(BIN)/python --no-deps --no-build-isolation -e .
	touch $@

# Debian's packages the tests need, installed where missing and possible (root with apt-get);
# otherwise one line naming what to install, and the tests that need it say so too.
system:
	@missing=$$(for p in $(SYSTEM_PACKAGES); do dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'ok installed' || printf '%s ' $$p; done); \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if command -v apt-get >/dev/null && [ "$$(id -u)" = 0 ]; then \
	  echo "installing Debian packages: $$missing" >&2; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	else \
	  echo "warning: missing Debian packages: $$missing(install them as root: apt-get install $$missing)" >&2; \
	fi
	@missing=$$(for p in $(BROWSER_PACKAGES); do dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'ok installed' || printf '%s ' $$p; done); \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if command -v apt-get >/dev/null && [ "$$(id -u)" = 0 ]; then \
	  echo "installing Debian packages: $$missing" >&2; \
	  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; } \
	    || echo "warning: could not install $$missing: the browser test of chuanyu serve says so" >&2; \
	else \
	  echo "warning: missing Debian packages: $$missing(install them as root: apt-get install $$missing)" >&2; \
	fi

# Bytecode for what changed since, on every install: where PYTHONDONTWRITEBYTECODE is set, every
# command would otherwise compile each changed module again (a query's time doubled).
install: $(INSTALLED)
	$(BIN)/python -m compileall -q cli/chuanyu

run: install
	$(BIN)/chuanyu validate
	$(BIN)/chuanyu build
	$(BIN)/chuanyu agencies --format table
	@echo "next: $(BIN)/chuanyu agency 重庆市金融监管局, pairs, gaps, stats, search 数字人民币 (README: What it answers)" >&2

# The shipped catalogue in a browser, at http://127.0.0.1:8001/chuanyu (docs/serve.md).
serve: install
	$(BIN)/chuanyu serve

# The picture of the web face (docs/serve.png, in README and docs/serve.md), taken in headless Chromium.
screenshot: install system
	$(BIN)/python tests/browser.py docs/serve.png

lint: install
	$(BIN)/ruff check cli tests
	$(BIN)/ruff format --check cli tests
	$(BIN)/mypy

test: lint docs system
	$(BIN)/pytest

# The suite with the newest and the lowest versions pyproject.toml's ranges allow, each in a venv of
# its own under build/ (the lock is what make test uses; these show where a range's end stands).
test-newest: $(UV)
	$(MAKE) --no-print-directory ends-venv END=newest RESOLUTION=highest

test-lowest: $(UV)
	$(MAKE) --no-print-directory ends-venv END=lowest RESOLUTION=lowest-direct

test-ends: test-newest test-lowest

ends-venv: system
	rm -rf build/venv-$(END)
	$(UV) venv --quiet --python $(PYTHON) build/venv-$(END)
	$(UV) pip install --quiet --python build/venv-$(END)/bin/python --resolution $(RESOLUTION) -e '.[test,serve]'
	$(UV) pip freeze --python build/venv-$(END)/bin/python --exclude-editable > build/venv-$(END)/versions.txt
	build/venv-$(END)/bin/python -m pytest -q -p no:cacheprovider

# Resolve uv.lock afresh to the newest versions the ranges allow, and uv's own hashes.
lock: $(UV)
	$(UV) lock --upgrade --python $(PYTHON)
	{ echo '# uv itself, which installs everything else from uv.lock; `make lock` rewrites this file.'; \
	  echo 'uv==$(UV_VERSION)' | $(UV) pip compile --quiet --generate-hashes --no-header --python $(PYTHON) -; } > requirements/uv.txt

# What CI runs: both ends of the ranges first, reported but not binding (a new release must not stop
# a change from landing; the warning says which end to fix), then the suite from the lock, which is.
ci:
	$(MAKE) --no-print-directory test-ends || echo "warning: the suite fails at an end of pyproject.toml's ranges (above): fix the code or the range" >&2
	$(MAKE) --no-print-directory test

# The briefing set in Chinese, its readers' language (docs/briefings.md): Markdown, Word, CSV,
# Excel, and the pictures as SVG and PNG, into build/briefing/. In English: chuanyu report --lang en.
briefing: install system
	$(BIN)/chuanyu report --lang zh --out build/briefing

# Rewrite the briefing's golden files after a change that is meant: the text files of the set in
# English (tests/golden/briefing) and in Chinese (tests/golden/briefing-zh).
golden: install
	rm -rf build/golden
	$(BIN)/chuanyu report --lang en --out build/golden/en
	$(BIN)/chuanyu report --lang zh --out build/golden/zh
	cp build/golden/en/*.md build/golden/en/*.csv build/golden/en/*.svg tests/golden/briefing/
	mkdir -p tests/golden/briefing-zh
	cp build/golden/zh/*.md build/golden/zh/*.csv build/golden/zh/*.svg tests/golden/briefing-zh/

# Rewrite what the docs read off chuanyu itself: the command reference (docs/reference.md), the table
# of the database (docs/database.md) and every example's output in README and docs/ (tests hold them equal).
reference: install
	$(BIN)/python tests/reference.py --write

# The docs site (mkdocs.yml), into build/site; --strict: a broken link or a page left out of the nav fails
# (not --quiet, which hides the warnings from --strict too).
docs: install
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict

clean:
	rm -rf $(VENV) $(TOOLS) build dist .pytest_cache .mypy_cache .ruff_cache

# Start-up of one query as a process, as a ratio to a bare Python floor; add of a PDF by PDFium
# against the former pypdf path, time and peak memory (figures, not a test).
bench: install
	$(BIN)/python -m compileall -q cli/chuanyu
	$(BIN)/python tests/bench_startup.py
	$(BIN)/python tests/bench_pdf.py

# How build and queries grow at 1k, 10k and 100k measures (figures, not a test; a few minutes).
bench-growth: install
	$(BIN)/python -m compileall -q cli/chuanyu
	$(BIN)/python tests/bench_growth.py
