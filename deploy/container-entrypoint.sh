#!/bin/sh
# First start of a Glossa container: seed an empty glossary volume with the shipped house glossary,
# install models (official ones when the Argos index answers, else the labelled demo models; the
# store's file lock makes concurrent replicas safe), then serve. Arguments go to `glossa serve`.
set -eu
glossary="${GLOSSA_GLOSSARY_DIR:-/var/lib/glossa/glossary}"
if [ -z "$(ls -A "$glossary" 2>/dev/null)" ]; then
  mkdir -p "$glossary"
  cp -R /opt/glossa/share/glossaries/. "$glossary/"
  echo "glossa: seeded $glossary with the shipped house glossary" >&2
fi
if [ "${GLOSSA_SKIP_MODELS_ENSURE:-0}" != "1" ]; then
  glossa models ensure
fi
exec glossa serve "$@"
