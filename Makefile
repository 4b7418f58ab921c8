# Greenlight: `make run` opens the app, `make test` runs every check. Both set up what they need.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test test-quick lint bench dist deb clean system-deps system-deps-test test-servers

run: system-deps $(STAMP)
	$(BIN)/greenlight gui

system-deps:
	@scripts/system-deps.sh run

system-deps-test:
	@scripts/system-deps.sh test

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[test,build]'
	touch $(STAMP)

test-servers: system-deps-test
	@scripts/test-servers.sh

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check desktop tests benchmarks

test: system-deps-test $(STAMP) test-servers lint
	QT_QPA_PLATFORM=offscreen $(BIN)/pytest -p no:cacheprovider

# A quick local run: skips the tiers that start real publishing servers.
test-quick: system-deps-test $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/pytest -m "not slow"

bench: system-deps-test $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m benchmarks

# The one-folder build in dist/greenlight/. A team profile from `greenlight team package` in build/team/
# (or GREENLIGHT_TEAM_DIR=...) is verified and baked in.
dist: system-deps $(STAMP)
	$(BIN)/pyinstaller --noconfirm --log-level WARN --distpath dist --workpath build/pyinstaller build.spec

# dist/greenlight_<version>_<arch>.deb, installing to /opt/greenlight with /usr/bin/greenlight.
deb: dist
	scripts/build-deb.sh --dist dist/greenlight --out dist

clean:
	rm -rf build dist .pytest_cache .ruff_cache
