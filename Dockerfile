# The cable archive service for production: gunicorn on a slim Python, as a non-root user,
# with the parser compiled by mypyc (scripts/compile_parser.py: the same source, a quarter faster).
# Build: docker build -t cable-archive .   Run: docker compose up (MongoDB 7 beside it).

# Stage 1: compile the parser, on the full image (it has gcc and the Python headers).
FROM python:3.11-bookworm AS parser
WORKDIR /build
COPY pyproject.toml ./
# The dependencies (mypy reads their types) and the pinned mypy (mypyc) and setuptools.
RUN python -c 'import tomllib; p = tomllib.load(open("pyproject.toml", "rb"))["project"]; print("\n".join(p["dependencies"] + [r for r in p["optional-dependencies"]["test"] if r.split("==")[0] in ("mypy", "setuptools")]))' \
        > /tmp/requirements.txt \
    && pip install --no-cache-dir -r /tmp/requirements.txt
COPY scripts/compile_parser.py ./scripts/
COPY service ./service
RUN python scripts/compile_parser.py /compiled --service-only

# Stage 2: the service. The official images build their interpreter with profile-guided and
# link-time optimisation, which runs the parser about 15% faster than a default source build
# (docs/benchmarks/2026-11-28-interpreters.md): keep to an optimised interpreter.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app
RUN useradd --create-home --uid 10001 --shell /usr/sbin/nologin cables

# Dependencies in their own layer: it is rebuilt only when pyproject.toml changes.
COPY pyproject.toml ./
RUN python -c 'import tomllib; print("\n".join(tomllib.load(open("pyproject.toml", "rb"))["project"]["dependencies"]))' \
        > /tmp/requirements.txt \
    && pip install -r /tmp/requirements.txt \
    && rm /tmp/requirements.txt

# The project itself (editable, so that /app/openapi.yaml is the spec that /openapi.yaml serves).
COPY README.md openapi.yaml ./
COPY samples ./samples
COPY service ./service
# The compiled parser modules beside their sources (import prefers them), and mypyc's shared
# runtime library, a top-level module: hence /app on PYTHONPATH.
COPY --from=parser /compiled/service/parsing/*.so ./service/parsing/
COPY --from=parser /compiled/*__mypyc*.so ./
ENV PYTHONPATH=/app
RUN pip install --no-deps -e . && chown -R cables:cables /app \
    && python -c 'import service.parsing.fields as f; assert f.__file__.endswith(".so"), f.__file__'

USER cables

# Every setting is an environment variable (see .env.example); these are the server's.
ENV HOST=0.0.0.0 \
    PORT=8080 \
    WORKERS=2 \
    THREADS=8 \
    LOG_FORMAT=json
EXPOSE 8080

HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD python -c "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/health' % os.environ.get('PORT', '8080'), timeout=4)" || exit 1

# First `cables migrate` builds the store's indexes (workers only check them: a text index
# on a large collection outlasts gunicorn's start-up); if it fails (no primary during an
# election...) the service starts all the same and /ready answers 503 until they exist.
# Then the limits of `cables serve` (service/gunicorn_conf.py); workers and threads from the
# environment. The embedded store lives inside one process: without MONGO_URI, one worker.
CMD ["sh", "-c", "cables migrate || echo 'cables migrate failed: serving; /ready answers 503 until the indexes exist' >&2; if [ -z \"${MONGO_URI:-}\" ]; then WORKERS=1; fi; exec gunicorn -c python:service.gunicorn_conf --bind \"${HOST}:${PORT}\" --workers \"${WORKERS}\" --threads \"${THREADS}\" 'service:create_app()'"]
