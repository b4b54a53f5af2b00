# gan-course: `make lab` to learn, `make test` to check everything.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
KERNEL := gan-course
# JupyterLab refuses to run as root unless told; CI runs as root.
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root,)
LAB_ARGS ?=

.PHONY: lab test unit notebooks install clean slides html mutation
SITE ?= site

# (Re)create the venv when it is missing or broken, and reinstall when pyproject.toml changes.
$(STAMP): pyproject.toml
	@$(BIN)/python -c "import sys" 2>/dev/null || { rm -rf $(VENV) && $(PYTHON) -m venv $(VENV); }
	$(BIN)/python -m pip install --quiet -e ".[test]"
	$(BIN)/python -m ipykernel install --sys-prefix --name $(KERNEL) --display-name "Python (gan-course)"
	@touch $(STAMP)

install: $(STAMP)

# No news or update pop-ups (the course runs offline), and every cell of a notebook rendered (jupyterlab-deck's
# live slides scroll by the whole notebook); a kernel idle for an hour is shut down, open
# tab or not (four open lessons hold about 2.6 GB): rerun its cells, or pass a longer
# LAB_ARGS=--MappingKernelManager.cull_idle_timeout=SECONDS.
lab: $(STAMP)
	install -D -m 644 tools/jupyterlab-overrides.json $(VENV)/share/jupyter/lab/settings/overrides.json
	$(BIN)/jupyter lab --ServerApp.ip=127.0.0.1 --ServerApp.root_dir=notebooks $(ROOT_FLAG) \
		--LabApp.news_url=None --MappingKernelManager.cull_idle_timeout=3600 \
		--MappingKernelManager.cull_interval=300 --MappingKernelManager.cull_connected=True $(LAB_ARGS)

# Unit tests, then every lesson in the quick budget (through nbval, or in the browser tests, which check
# what nbval would: tests/conftest.py), on two workers (one per core, one thread each); a lesson's cells,
# and the browser tests, each stay on one worker (loadscope).
test: $(STAMP)
	GAN_COURSE_BUDGET=quick OMP_NUM_THREADS=1 $(BIN)/python -m pytest tests notebooks \
		--nbval-lax --nbval-current-env --nbval-sanitize-with tests/nbval_sanitize.cfg \
		-n 2 --dist loadscope -p no:cacheprovider -ra --durations=15

unit: $(STAMP)
	$(BIN)/python -m pytest tests -q

# Re-execute every lesson in the full budget and save it clean (maintainers, before committing).
notebooks: $(STAMP)
	$(BIN)/python tools/execute_notebooks.py notebooks/*.ipynb

# Offline copies for class and for readers without Python (no CDN at view time): reveal.js decks
# of every lesson (site/slides/), and a site with an index page (site/index.html; decks included).
slides: $(STAMP)
	$(BIN)/python tools/build_site.py slides --out $(SITE)

html: $(STAMP)
	$(BIN)/python tools/build_site.py html slides --out $(SITE)

# Mutation testing of the core modules (a measurement, not part of make test; about 20 minutes on 2 cores):
# how many planted bugs the unit tests catch. MUTATION_ARGS="losses train" for some modules, "--fresh" to start over.
MUTATION_ARGS ?=
mutation: $(STAMP)
	$(BIN)/python -m pip install --quiet -e ".[test,mutation]"
	$(BIN)/python tools/mutation.py $(MUTATION_ARGS)

clean:
	rm -rf $(VENV) .pytest_cache site build/mutation
