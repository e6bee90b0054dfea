# The two commands a newcomer runs (README): `make demo` and `make test`.
# Both create .venv and install polyfn with its dev extras first.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin

.PHONY: demo test lint check bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# The Azure Python worker (azure-functions-runtime) declares Python >= 3.13 but its
# function indexing runs on 3.10+; the runtime tests index the examples through it.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	$(BIN)/python -m pip install --quiet --no-deps --ignore-requires-python azure-functions-runtime==1.3.0
	touch $@

demo: $(VENV)/.installed
	$(BIN)/python -m examples.demo

# pytest exits 5 when it collected no test: that is a failure here, not a success.
# Two workers (pytest-xdist): the fuzz suite beside the real-server tests, each group
# on one worker (tests/conftest.py test_group); PYTEST_WORKERS=0 runs in one process.
PYTEST_WORKERS ?= 2
test: $(VENV)/.installed
	@$(BIN)/python -m pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS); rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "error: pytest collected no tests" >&2; exit 1; fi; exit $$rc

lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/mypy --strict sdk adapters

check: test lint

bench: $(VENV)/.installed
	$(BIN)/python -m benchmarks

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
