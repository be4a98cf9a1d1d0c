# JavaDL Notebooks. Every target sets up what it needs first; `make setup` is quick once done.
PYTHON ?= python3
VENV   ?= .venv
# JupyterLab refuses to run as root unless told; root is common in containers and CI.
ALLOW_ROOT := $(if $(filter 0,$(shell id -u)),--allow-root)

# The PyTorch build the kernel loads: `make setup` chooses the CPU build, `make setup TORCH=cuda` PyTorch's CUDA
# build from PyPI (about 3 GB to download); every other target keeps the build chosen last.
TORCH ?=

.PHONY: setup installed test-tools lab html export figures test lint test-java test-notebooks test-full-size test-cuda test-image gpu-check hub \
	bench bench-allocators bench-image bench-hub bench-notebooks clean

# The installer (python/javadl) runs before the environment exists, from the checkout
INSTALL = PYTHONPATH=$(CURDIR)/python $(PYTHON) -m javadl.install --venv $(VENV)

## setup: create .venv, build the Java modules, install the `javadl` kernel into .venv (TORCH=cuda: with
## PyTorch's CUDA build, from PyPI into .venv/torch-cuda, about 5 GB; `make setup` returns to the CPU build)
setup:
	$(INSTALL) --torch $(or $(TORCH),cpu)

# what every other target sets up first: as `make setup`, but keeping the PyTorch build chosen last
installed:
	$(INSTALL) $(if $(TORCH),--torch $(TORCH))

# what the test and bench targets set up first: as `installed`, and the test tools of requirements-dev.txt
test-tools:
	$(INSTALL) --with requirements-dev.txt $(if $(TORCH),--torch $(TORCH))

## lab: set up, then open JupyterLab on notebooks/ (LAB_ARGS="--port=9999 --no-browser" passes options)
lab: installed
	$(VENV)/bin/jupyter lab --notebook-dir=notebooks $(ALLOW_ROOT) $(LAB_ARGS)

## html: set up, then execute every notebook and write build/html/ (one page each, and index.html)
html: installed
	$(VENV)/bin/python -m javadl.site.export --out build/html

## export: set up, then write each notebook as a JShell script and as a Maven project, in build/export/<notebook>/
## (NB=notebooks/09-train-cifar10.ipynb: that one only; docs/programs.md)
export: installed
	$(VENV)/bin/python -m javadl.export_notebook --out build/export $(or $(NB),notebooks/*.ipynb)

## figures: draw the course's figures again, notebooks/figures/*.svg, with tools/figures.py (a test checks they are
## what it draws)
figures:
	$(PYTHON) tools/figures.py

## test: set up, then run every test (the linters, Java unit tests, notebooks through the kernel, repo checks)
test: test-tools lint test-java test-notebooks

# The Python and shell linters (pinned in requirements-dev.txt; their settings in ruff.toml); Checkstyle runs in
# test-java, at Maven's verify
SHELL_SCRIPTS = .ci/run binder/postBuild docker/start-server.sh
lint: test-tools
	$(VENV)/bin/ruff check --quiet .
	$(VENV)/bin/ruff format --check --quiet .
	$(VENV)/bin/shellcheck $(SHELL_SCRIPTS)
	$(VENV)/bin/hadolint Dockerfile

# The opt-in tier of the Java tests reads the real CIFAR-10 batches in $(SHARED_DATASETS) when they are there.
SHARED_DATASETS ?= ../shared/datasets
SHARED_CIFAR := $(wildcard $(SHARED_DATASETS)/cifar-10-batches-bin/test_batch.bin)

test-java:
	$(if $(SHARED_CIFAR),,@echo "NOTE: $(SHARED_DATASETS)/cifar-10-batches-bin is missing: the shared-data test tier is off")
	mvn --batch-mode --quiet -Dstyle.color=never verify \
	    $(if $(SHARED_CIFAR),-Djavadl.shared.datasets=$(abspath $(SHARED_DATASETS)))
	$(PYTHON) tests/surefire_report.py lib agent kernel

# TEST_IGNORE: test files make test leaves out, as CI's second JDK leaves out $(JDK_SAME)
test-notebooks:
	$(VENV)/bin/python -m pytest -rs --durations=15 tests --ignore=tests/image --ignore=tests/cuda $(addprefix --ignore=,$(TEST_IGNORE))

# The tests that start no JVM, so that every JDK runs them alike: the repository's and docs' checks, the figures, the
# Dockerfile read as text, the HTML export of executed notebooks, the course's text, the bench's diagnostics, and the
# image's course update
JDK_SAME = tests/test_repository.py tests/test_figures.py tests/test_docker.py tests/test_html.py \
	tests/test_course_text.py tests/test_bench_diagnostics.py tests/test_course_update.py

## test-full-size: set up, then run 07 and 09 at full size (no JAVADL_DATASET_LIMIT or JAVADL_MAX_EPOCHS) on the
## CIFAR-10 batches in $(SHARED_DATASETS), and check the claims their text makes (about 4 minutes on 2 cores)
test-full-size: test-tools
	$(if $(SHARED_CIFAR),,$(error $(SHARED_DATASETS)/cifar-10-batches-bin is missing: the full-size tier needs it))
	JAVADL_TEST_FULL_SIZE=1 $(VENV)/bin/python -m pytest -rs tests/test_course_07.py tests/test_course_09.py \
	    tests/test_notebooks.py -k "07-regularization or 09-train-cifar10 or test_course_07 or test_course_09"

## test-cuda: set up PyTorch's CUDA build, run on it what can differ between the builds and the CUDA build's own
## checks, then return to the CPU build (CI runs this after `make test`; without a GPU the cells run on the CPU)
test-cuda:
	$(INSTALL) --with requirements-dev.txt --torch cuda
	$(VENV)/bin/python -m pytest -rs tests $(addprefix --ignore=,$(CUDA_SAME)) -k "$(CUDA_SAME_EXPORTS)"; \
	    status=$$?; $(MAKE) setup && exit $$status

# The tests that never load the kernel's PyTorch library, which test-cuda leaves out: those that start no JVM, the
# image, Binder (which installs the CPU build), the browser tests, the data errors, and the Maven programs (the
# library in a program, the exports' Maven form: they bring PyTorch's CPU library of their own)
CUDA_SAME = $(JDK_SAME) tests/image tests/test_binder.py tests/test_browser.py tests/test_lab.py \
	tests/test_reliability_data.py tests/test_library_in_a_program.py
# and of the exports, all but one JShell script: what the build changes there is the library jshell.sh points to,
# which 00's first line names
CUDA_SAME_EXPORTS = not maven and not project_compiles and not capstone_runs_in_both and not (executed_notebook_shows and not 00-setup)

## gpu-check: on a machine with an NVIDIA GPU and the CUDA build (make setup TORCH=cuda), run a convolution, a
## training step and an epoch of 09's training on gpu(0) beside the CPU; exits with 2 when there is no GPU
gpu-check: installed
	$(VENV)/bin/python -m javadl.gpu_check

## test-image: set up, then build the Dockerfile on a local Debian base and test the running image (needs root:
## installs docker.io and debootstrap if missing and starts its own dockerd; data in build/docker, about 4 GB)
test-image: test-tools
	$(VENV)/bin/python -m pytest -rs tests/image

## hub: JupyterHub for a class on this server, each learner in a container of the image (needs Docker and the image,
## `docker build -t javadl .`; docs/teaching.md); its state goes to build/hub
hub:
	$(INSTALL) --with jupyterhub/requirements.txt $(if $(TORCH),--torch $(TORCH))
	cd jupyterhub && npm ci --no-audit --no-fund
	mkdir -p build/hub && cd build/hub && $(abspath $(VENV))/bin/jupyterhub -f $(abspath jupyterhub/jupyterhub_config.py)

## bench: set up, then time the course's Java code beside PyTorch (installs PyTorch into build/bench-venv; BENCH_ARGS="--only c" passes options)
bench: test-tools
	$(VENV)/bin/python bench/run.py $(BENCH_ARGS)

## bench-allocators: set up, then train the course CNN in a cell under glibc's malloc (as installed, and other
## settings), jemalloc and tcmalloc, in 10 fresh kernels each (BENCH_ARGS="--runs 20" passes options)
bench-allocators: test-tools
	$(VENV)/bin/python bench/allocators.py $(BENCH_ARGS)

## bench-image: build the Docker image as make test-image does (needs root) and measure it: its size, what takes its
## room (du) and its kernel's first result (BENCH_ARGS="--runs 10" passes options)
bench-image: test-tools
	$(VENV)/bin/python bench/image.py $(BENCH_ARGS)

## bench-hub: build the image as make test-image does (needs root), then measure a class on the hub: N learners
## spawning and running 02-dataloader at once, and a training learner beside another (BENCH_ARGS="--learners 8")
bench-hub: test-tools
	$(VENV)/bin/python bench/hub_capacity.py $(BENCH_ARGS)

## bench-notebooks: set up, then run every notebook at full size with the kernel's heap at 1 GB, as on Binder, and
## tabulate each one's time and peak memory (on a 50,000-image layout made from $(SHARED_DATASETS); BENCH_ARGS="--data
## DIR" reads another dataset root, such as the real download)
bench-notebooks: test-tools
	$(VENV)/bin/python bench/notebooks.py $(BENCH_ARGS)

## clean: remove build outputs (keeps .venv and DJL's cache)
clean:
	mvn --batch-mode --quiet -Dstyle.color=never clean
	rm -rf build
