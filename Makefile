# Trygghetsdialog: the front door. `make help` lists the targets.
# Two environments: .venv (API, Python 3.11) and .venv-rasa (Rasa + actions, Python 3.10).

SHELL := /bin/bash
.DEFAULT_GOAL := help

PY311 ?= $(shell command -v python3.11 || echo $(HOME)/.pyenv/versions/3.11.7/bin/python)
PY310 ?= $(shell test -x $(HOME)/.pyenv/versions/3.10.13/bin/python && echo $(HOME)/.pyenv/versions/3.10.13/bin/python || command -v python3.10)
API_VENV := .venv
RASA_VENV := .venv-rasa
RASA := RASA_TELEMETRY_ENABLED=false $(RASA_VENV)/bin/rasa
export RASA_TELEMETRY_ENABLED := false
export TF_CPP_MIN_LOG_LEVEL := 2

BOT_SOURCES := config.yml $(wildcard bot/domain/*.yml bot/data/*/*.yml nlu_data/*.yml nlu_data/lookups/*.yml \
	nlu_data/safety/*.yml bot/components/*.py bot/policies.py)
# nlu_data/themes (theme classifier) and nlu_data/safety (safety net patterns) are not Rasa training data.
RASA_DATA := bot/data $(wildcard nlu_data/*.yml) nlu_data/lookups
THEME_SOURCES := $(wildcard nlu_data/themes/*.yml nlu_data/themes/lexicon/*.yml api/classifier/*.py api/seed_data/themes.json)

.PHONY: help run test setup env static browser validate lint test-api test-actions test-bot test-e2e test-browser eval bench clean

help: ## List the targets
	@grep -E '^[a-zA-Z0-9_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  %-14s %s\n", $$1, $$2}'

run: setup ## Set up what is missing, then start the API, Rasa and the action server (Ctrl-C stops all)
	$(API_VENV)/bin/python scripts/run_all.py

test: setup browser ## Set up what is missing, then run every check and test
	$(MAKE) --no-print-directory validate lint test-api test-actions test-bot test-e2e test-browser

setup: env $(API_VENV)/.installed $(RASA_VENV)/.installed static models/bot.tar.gz models/themes/meta.json ## Environments, secrets, static files, trained models

env: .env ## Write .env with fresh random secrets (kept if it exists)

.env: .env.example
	$(PY311) scripts/make_env.py .env.example .env
	@touch .env

$(API_VENV)/.installed: requirements/api.lock pyproject.toml
	test -x $(API_VENV)/bin/python || $(PY311) -m venv $(API_VENV)
	$(API_VENV)/bin/pip install -q --disable-pip-version-check -r requirements/api.lock
	$(API_VENV)/bin/pip install -q --disable-pip-version-check --no-deps -e .
	@touch $@

$(RASA_VENV)/.installed: requirements/rasa.lock
	test -x $(RASA_VENV)/bin/python || $(PY310) -m venv $(RASA_VENV)
	$(RASA_VENV)/bin/pip install -q --disable-pip-version-check "pip==24.3.1"
	$(RASA_VENV)/bin/pip install -q --disable-pip-version-check -r requirements/rasa.lock
	@touch $@

# Front-end libraries come from npm (package-lock.json) and are served by the API: no CDN, no third-party requests.
VENDOR := api/static/vendor
static: $(VENDOR)/.copied ## Install the npm packages and copy what the pages serve into api/static/vendor

$(VENDOR)/.copied: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	mkdir -p $(VENDOR)/leaflet
	cp node_modules/axe-core/axe.min.js node_modules/chart.js/dist/chart.umd.min.js $(VENDOR)/
	cp -r node_modules/leaflet/dist/leaflet.js node_modules/leaflet/dist/leaflet.css node_modules/leaflet/dist/images \
		$(VENDOR)/leaflet/
	@touch $@

# Browser tests drive Debian's Chromium (Playwright cannot download browsers here).
browser: ## Install Debian's chromium for the browser tests when it is missing
	@command -v chromium >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

models/spacy-sv/meta.json: scripts/build_spacy_sv.py $(RASA_VENV)/.installed
	$(RASA_VENV)/bin/python scripts/build_spacy_sv.py models/spacy-sv

# Rasa also skips training when its fingerprint is unchanged; make skips even starting it.
# scripts/bench/timed.py records how long each training took (models/timings/) for `make bench`.
models/bot.tar.gz: $(BOT_SOURCES) models/spacy-sv/meta.json
	$(PY311) scripts/bench/timed.py bot -- $(RASA_VENV)/bin/rasa train --domain bot/domain --data $(RASA_DATA) \
		--config config.yml --out models --fixed-model-name bot

models/themes/meta.json: $(THEME_SOURCES) $(API_VENV)/.installed
	$(PY311) scripts/bench/timed.py themes -- $(API_VENV)/bin/trygg train-themes --out models/themes

validate: $(RASA_VENV)/.installed models/spacy-sv/meta.json ## Check the Rasa domain, NLU data, stories and rules
	$(RASA) data validate --domain bot/domain --data $(RASA_DATA) --config config.yml --fail-on-warnings

lint: $(API_VENV)/.installed ## ruff (incl. the bandit security rules)
	$(API_VENV)/bin/ruff check api actions bot scripts tests rasa_sdk_plugins

test-api: $(API_VENV)/.installed models/themes/meta.json ## API tests on SQLite and the real PostgreSQL
	$(API_VENV)/bin/pytest -q tests/api

test-actions: $(RASA_VENV)/.installed models/bot.tar.gz ## Action server unit tests, the safety net, the policies on the trained bot
	$(RASA_VENV)/bin/pytest -q -p no:cacheprovider tests/actions tests/bot

test-bot: models/bot.tar.gz ## Rasa test stories: every dialogue prediction must be right
	PYTHONPATH=. $(RASA) test core --model models/bot.tar.gz --stories tests/bot/test_stories.yml \
		--out results/stories --fail-on-prediction-errors

test-e2e: setup ## Real API + Rasa + action server, chatting through POST /api/v1/chat
	$(API_VENV)/bin/pytest -q tests/e2e

test-browser: $(API_VENV)/.installed browser static ## Staff pages and /lofte in Chromium: flows, roles, inert resident text, axe-core, 360 px, keyboard
	$(API_VENV)/bin/pytest -q tests/browser

eval: setup ## Write reports/nlu.md (5-fold CV, held-out NLU, emergency) and reports/themes.md (theme classifier)
	$(API_VENV)/bin/python scripts/eval_themes.py
	PYTHONPATH=. $(RASA_VENV)/bin/python scripts/eval_nlu.py

bench: setup ## Write reports/bench.md: NLU, chat load vs stock Rasa, classifier, scrubbing, ingest, memory, start-up, training
	$(API_VENV)/bin/python scripts/bench/run.py

clean: ## Remove environments, models and reports
	rm -rf $(API_VENV) $(RASA_VENV) models reports results
