# Quick start: `make demo` and `make test`. Both need only python3 and make.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin

.PHONY: demo test lint typecheck catalog docs bench wheel-test clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# The runtime install; pyc files are compiled up front so that even with
# PYTHONDONTWRITEBYTECODE set the command starts fast.
$(VENV)/.runtime: pyproject.toml $(BIN)/python
	$(BIN)/python -m pip install -q -e .
	$(BIN)/python -m compileall -q linter
	touch $@

# The wheelhouse lets the pre-commit test install the hook without the network.
$(VENV)/.test: pyproject.toml $(VENV)/.runtime
	$(BIN)/python -m pip install -q -e '.[test]'
	$(BIN)/python -m pip download -q -d $(VENV)/wheelhouse hatchling $$($(BIN)/python bench/runtime_deps.py)
	touch $@

# Lints examples/. shiplint exits 1 because the examples have findings; that is the point of the
# demo, so only an exit of 2 (an error) fails it.
demo: $(VENV)/.runtime
	@rc=0; $(BIN)/shiplint check examples || rc=$$?; [ $$rc -le 1 ]

test: $(VENV)/.test
	$(BIN)/python -m compileall -q linter
	$(BIN)/ruff check linter tests bench tools
	$(BIN)/ruff format --check linter tests bench tools
	$(BIN)/mypy
	$(BIN)/python -m linter.devtools catalog --check
	$(BIN)/python -m linter.devtools docs --check
	$(BIN)/python -m pytest

catalog: $(VENV)/.runtime
	$(BIN)/python -m linter.devtools catalog

docs: $(VENV)/.runtime
	$(BIN)/python -m linter.devtools docs

bench: $(VENV)/.runtime
	$(BIN)/python bench/startup.py

clean:
	rm -rf $(VENV) dist build
