# JavaDL Notebooks. Every target sets up what it needs first; `make setup` is quick once done.
PYTHON ?= python3
VENV   := .venv

.PHONY: setup lab test test-java test-notebooks clean

## setup: create .venv, build the Java modules, install the `javadl` kernel into .venv
setup:
	$(PYTHON) scripts/install.py --venv $(VENV)

## lab: set up, then open JupyterLab on notebooks/
lab: setup
	$(VENV)/bin/jupyter lab --notebook-dir=notebooks

## test: set up, then run every test (Java unit tests, notebooks through the kernel, repo checks)
test: setup test-java test-notebooks

test-java:
	mvn --batch-mode --quiet -Dstyle.color=never verify

test-notebooks:
	$(VENV)/bin/python -m pytest tests

## clean: remove build outputs (keeps .venv and DJL's cache)
clean:
	mvn --batch-mode --quiet -Dstyle.color=never clean
	rm -rf build
