# Switchboard's image: the same install as tests/e2e/test_install.py, step for step (but here
# pip also compiles what it installs, see below).
#   1. build a wheel from the checkout (`pip wheel --no-deps`),
#   2. install that wheel into a clean virtualenv outside the source tree,
#   3. run `switchboard` from it as an unprivileged user.
# pip compiles what it installs to bytecode (the image's PYTHONDONTWRITEBYTECODE keeps anything
# from being written at run time): without it every start compiled every module from source.
# docs/deploy.md says how to run it (compose.yaml: PostgreSQL, one `db upgrade`, two instances).

FROM python:3.11-slim AS build
WORKDIR /src
COPY . .
RUN python -m pip wheel --no-deps --no-cache-dir -w /wheels .

FROM python:3.11-slim
ENV PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    PATH=/opt/switchboard/bin:$PATH \
    PORT=3000
COPY --from=build /wheels /wheels
RUN python -m venv /opt/switchboard \
    && /opt/switchboard/bin/pip install --no-cache-dir /wheels/switchboard_bot-*.whl \
    && rm -rf /wheels \
    && useradd --system --uid 10001 --create-home --home-dir /var/lib/switchboard switchboard
USER switchboard
WORKDIR /var/lib/switchboard
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD python -c "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/healthz' % os.environ.get('PORT', '3000'), timeout=4)"
CMD ["switchboard", "serve"]
