# BoneCheck: `make run` starts the service, `make test` runs every test.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
export FLASK_APP := wsgi
# Python keeps each module's compiled bytecode in __pycache__ (ignored by git), so a
# `flask` command, a test's server or a worker starts without compiling every module
# afresh, even where the environment says otherwise.
unexport PYTHONDONTWRITEBYTECODE

.PHONY: run test lint bench install clean

run: $(BIN)/.runtime node_modules/.installed
	@mkdir -p instance
	$(BIN)/flask db upgrade
	$(BIN)/flask seed demo
	RUN_SCHEDULER=1 $(BIN)/flask --app webapp.devserver run --no-reload --host 127.0.0.1 --port 5000

# The suite runs in two processes (pytest-xdist), one a core; each starts its own
# PostgreSQL server and Chromium, so no test shares them across processes.
test: $(BIN)/.dev node_modules/.installed system-packages
	$(BIN)/ruff check .
	$(BIN)/pytest --numprocesses 2 --durations 15

lint: $(BIN)/.dev
	$(BIN)/ruff check .

bench: $(BIN)/.dev node_modules/.installed
	@scripts/install-system-packages.sh bench
	$(BIN)/python bench/risk.py
	$(BIN)/python bench/casefinding.py
	$(BIN)/python bench/selfcheck.py
	$(BIN)/python bench/summary_pdf.py
	$(BIN)/python bench/groups.py
	$(BIN)/python bench/dispatch.py
	$(BIN)/python bench/inbound.py
	$(BIN)/python bench/measures.py
	$(BIN)/python bench/dashboard.py

install: $(BIN)/.runtime node_modules/.installed

system-packages:
	@scripts/install-system-packages.sh

# The project itself is installed editable so `flask` finds its plugin commands
# (pyproject.toml, "flask.commands") without building the app first. In "compat" mode
# the install is one path in a .pth file, not an import hook that every Python process
# (each `flask` command, test server and worker) would load at start.
$(BIN)/.runtime: requirements.txt pyproject.toml
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "BoneCheck needs $(PYTHON) (Python 3.11)"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e . \
		--config-settings editable_mode=compat
	@touch $@

$(BIN)/.dev: requirements-dev.txt $(BIN)/.runtime
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	@touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

clean:
	rm -rf $(VENV) node_modules instance .pytest_cache .ruff_cache .hypothesis
