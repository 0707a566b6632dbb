# Glossa's container image: the HTTP service, no torch, models and glossary on volumes.
#
#   docker build -t glossa .                       (or: podman build -t glossa .)
#   docker run -p 8000:8000 -v glossa-models:/var/lib/glossa/models \
#              -v glossa-glossary:/var/lib/glossa/glossary glossa
#
# BASE_IMAGE: any Debian-like image with python3 (>= 3.10) and its venv module; a site points it at
# its own mirror or hardened base. PIP_CERT: a CA bundle path inside the build, for sites whose
# proxy re-signs TLS (mount it at build time, e.g. podman build -v /etc/ssl/certs/ca.crt:/run/ca.crt).
ARG BASE_IMAGE=python:3.11-slim-bookworm

FROM ${BASE_IMAGE} AS build
ARG PIP_CERT=
ARG PIP_INDEX_URL=
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /src
COPY pyproject.toml constraints.txt README.md ./
COPY service ./service
# A plain (not editable) install into its own venv, which the runtime stage copies whole.
RUN python3 -m venv /opt/glossa \
 && /opt/glossa/bin/pip install -q ${PIP_CERT:+--cert "$PIP_CERT"} ${PIP_INDEX_URL:+--index-url "$PIP_INDEX_URL"} \
        -c constraints.txt . \
 && /opt/glossa/bin/python -c "import service.api, argostranslate.package, ctranslate2"

FROM ${BASE_IMAGE}
# The shipped house glossary (seeds an empty glossary volume) and the demo models (what
# `glossa models ensure` installs where the Argos index cannot be reached).
COPY --from=build /opt/glossa /opt/glossa
COPY glossaries /opt/glossa/share/glossaries
COPY models/demo/*.argosmodel /opt/glossa/share/demo-models/
COPY deploy/container-entrypoint.sh /usr/local/bin/glossa-entrypoint
RUN groupadd --gid 10001 glossa \
 && useradd --uid 10001 --gid glossa --no-create-home --home-dir /var/lib/glossa --shell /usr/sbin/nologin glossa \
 && mkdir -p /var/lib/glossa/models /var/lib/glossa/glossary \
 && chown -R glossa:glossa /var/lib/glossa \
 && chmod 0755 /usr/local/bin/glossa-entrypoint
ENV PATH=/opt/glossa/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    HOME=/var/lib/glossa \
    ARGOS_PACKAGES_DIR=/var/lib/glossa/models \
    GLOSSA_GLOSSARY_DIR=/var/lib/glossa/glossary \
    GLOSSA_DEMO_MODELS_DIR=/opt/glossa/share/demo-models \
    GLOSSA_HOST=0.0.0.0 \
    GLOSSA_PORT=8000
USER glossa
WORKDIR /var/lib/glossa
VOLUME ["/var/lib/glossa/models", "/var/lib/glossa/glossary"]
EXPOSE 8000
# /ready: every installed model loads and translates its probe (checked once per set of models).
HEALTHCHECK --interval=30s --timeout=10s --start-period=120s --retries=3 \
  CMD ["python3", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/ready' % os.environ.get('GLOSSA_PORT', '8000'), timeout=8)"]
ENTRYPOINT ["glossa-entrypoint"]
CMD []
