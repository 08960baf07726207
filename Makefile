# Two commands set everything up: `make run` and `make test`. Nothing global is installed.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test install migrate seed lint format bench bench-corpus clean

run: seed
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

test: install
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/ruff check .
	$(BIN)/pytest

install: $(VENV)/.installed

# Reinstall only when the pinned requirements change.
$(VENV)/.installed: requirements.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed: $(PYTHON) is " + sys.version.split()[0])'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

migrate: install
	$(BIN)/python manage.py migrate --no-input

# Idempotent: a letter already in the archive is left as it is.
seed: migrate
	$(BIN)/python manage.py load_seed_letters

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Modest by default (a few minutes, temporary SQLite). Full scale, on an empty throwaway PostgreSQL database:
#   DATABASE_URL=postgres://... make bench BENCH_LETTERS=20000 BENCH_ORGANIZATIONS=200000
BENCH_LETTERS ?= 500
BENCH_ORGANIZATIONS ?= 5000
bench: install
	$(BIN)/python bench/pages.py --letters $(BENCH_LETTERS) --organizations $(BENCH_ORGANIZATIONS)
	$(BIN)/python bench/matching.py --orgs $(BENCH_ORGANIZATIONS) --lines 600

# The parser scored on real letters (default ../shared/corpus; read there, never copied into this repository).
CORPUS ?= ../shared/corpus
bench-corpus: install
	$(BIN)/python bench/corpus.py $(CORPUS)

clean:
	rm -rf $(VENV) staticfiles .pytest_cache
