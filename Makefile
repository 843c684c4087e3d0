# Solex: `make run` to try it, `make test` to check it. See README.md.
HOST ?= 127.0.0.1
PORT ?= 8000
SOLEX := .venv/bin/solex

.PHONY: run test bench install install-dev lint clean

install:
	@scripts/bootstrap base

install-dev:
	@scripts/bootstrap dev

# Installs, migrates, loads demo data into an empty database, and serves Solex with
# the production server and the background worker. Ctrl-C stops both.
run: install
	@$(SOLEX) run --host $(HOST) --port $(PORT)

# Lint, types, import contracts, then the whole suite on SQLite and on PostgreSQL,
# browser tests included.
test: install-dev
	@scripts/test

lint: install-dev
	@scripts/test --lint-only

bench: install-dev
	@.venv/bin/python -m bench $(BENCH_ARGS)

clean:
	rm -rf .venv var/test-pg.*
