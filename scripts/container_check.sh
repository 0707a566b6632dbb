#!/usr/bin/env bash
# Builds the Glossa container image and proves it serves: build, mount, start, /ready, /v1/translate,
# the image's HEALTHCHECK command, stop. Needs root, podman and debootstrap (Debian packages).
#
# Made for machines where no registry image can be pulled and `podman run` cannot start containers
# (no usable cgroups), as on Glossa's build machines:
#   - the base image is built here: debootstrap (Debian bookworm, python3) + `podman import`;
#   - `podman build --isolation chroot` builds on it; pip inside the build gets the machine's CA
#     bundle (a bind mount + the PIP_CERT build argument), for proxies that re-sign TLS;
#   - instead of `podman run`, the built image is mounted (`podman image mount`) and its entry point
#     runs under chroot as the image's user, with the image's environment, on 127.0.0.1, with fresh
#     folders bound on its two volumes. The Argos index points at a closed loopback port: the
#     image is checked as an air-gapped site gets it (demo models installed at first start).
# Where `podman run` works, `podman run -p 8000:8000 glossa` is the ordinary way; this is the check.
#
#   sudo scripts/container_check.sh            # about 5 minutes the first time (debootstrap + pip)
# Env: BASE_IMAGE (skip debootstrap, use this image), IMAGE (tag to build), PORT, CA_BUNDLE.
set -euo pipefail
cd "$(dirname "$0")/.."

IMAGE="${IMAGE:-localhost/glossa:check}"
BASE_IMAGE="${BASE_IMAGE:-localhost/glossa-base:bookworm}"
CA_BUNDLE="${CA_BUNDLE:-/etc/ssl/certs/ca-certificates.crt}"
PORT="${PORT:-18093}"
WORK="$(mktemp -d /var/tmp/glossa-container-check.XXXXXX)"
started=$(date +%s)
say() { printf 'container_check [%4ss]: %s\n' "$(( $(date +%s) - started ))" "$*" >&2; }

need=()
command -v podman >/dev/null || need+=(podman)
command -v debootstrap >/dev/null || need+=(debootstrap)
if [ "${#need[@]}" -gt 0 ]; then
  say "installing ${need[*]}"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi

mnt="" server_pid="" bound=()
cleanup() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill -TERM "$server_pid" 2>/dev/null || true
    for _ in $(seq 1 60); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.5; done
    kill -KILL "$server_pid" 2>/dev/null || true
  fi
  for ((i=${#bound[@]}-1; i>=0; i--)); do umount -l "${bound[$i]}" 2>/dev/null || true; done
  [ -n "$mnt" ] && podman image unmount "$IMAGE" >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT

# 1. The base image (once per machine).
if ! podman image exists "$BASE_IMAGE"; then
  say "building $BASE_IMAGE with debootstrap (Debian bookworm, python3)"
  debootstrap --variant=minbase --include=python3,python3-venv,ca-certificates \
    bookworm "$WORK/rootfs" http://deb.debian.org/debian >"$WORK/debootstrap.log" 2>&1 \
    || { tail -20 "$WORK/debootstrap.log" >&2; exit 1; }
  tar -C "$WORK/rootfs" -c . | podman import -q - "$BASE_IMAGE" >/dev/null
  rm -rf "$WORK/rootfs"
fi

# 2. The image, from the Dockerfile as a site builds it.
say "podman build $IMAGE on $BASE_IMAGE"
podman build -q --format docker --isolation chroot --build-arg "BASE_IMAGE=$BASE_IMAGE" \
  -v "$CA_BUNDLE:/run/host-ca.crt:ro" --build-arg PIP_CERT=/run/host-ca.crt \
  -t "$IMAGE" . >/dev/null
say "built: $(podman image inspect --format '{{.Size}}' "$IMAGE" | awk '{printf "%.0f MB", $1/1e6}')"

# 3. Mount it and run its entry point as its user, with its environment, on loopback.
mnt="$(podman image mount "$IMAGE")"
user="$(podman image inspect --format '{{.Config.User}}' "$IMAGE")"
uid="$(awk -F: -v u="$user" '$1 == u {print $3 ":" $4}' "$mnt/etc/passwd")"
[ -n "$uid" ] || { echo "container_check: user $user not in the image" >&2; exit 1; }
mapfile -t image_env < <(podman image inspect --format '{{range .Config.Env}}{{println .}}{{end}}' "$IMAGE" | sed '/^$/d')
entrypoint="$(podman image inspect --format '{{index .Config.Entrypoint 0}}' "$IMAGE")"
mkdir -p "$WORK/models" "$WORK/glossary" "$WORK/tmp"
chown "$uid" "$WORK/models" "$WORK/glossary"
chmod 1777 "$WORK/tmp"
bind() { mount --bind "$1" "$2"; bound+=("$2"); }
bind /proc "$mnt/proc"
bind /dev "$mnt/dev"
bind "$WORK/tmp" "$mnt/tmp"
bind "$WORK/models" "$mnt/var/lib/glossa/models"
bind "$WORK/glossary" "$mnt/var/lib/glossa/glossary"

say "starting $entrypoint as $user ($uid) on 127.0.0.1:$PORT"
chroot --userspec="$uid" "$mnt" /usr/bin/env -i "${image_env[@]}" \
  GLOSSA_HOST=127.0.0.1 GLOSSA_PORT="$PORT" GLOSSA_THREADS=1 \
  ARGOS_PACKAGE_INDEX=http://127.0.0.1:9/index.json \
  sh -c "cd /var/lib/glossa && exec $entrypoint" >"$WORK/server.log" 2>&1 &
server_pid=$!

# 4. Ready, translate, healthcheck.
url="http://127.0.0.1:$PORT"
for _ in $(seq 1 240); do
  code="$(curl -s -o "$WORK/ready.json" -w '%{http_code}' "$url/ready" || true)"
  [ "$code" = 200 ] && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$WORK/server.log" >&2; echo "container_check: the server exited" >&2; exit 1; }
  sleep 1
done
[ "$code" = 200 ] || { cat "$WORK/server.log" >&2; echo "container_check: /ready answered $code" >&2; exit 1; }
say "/ready: 200 $(head -c 200 "$WORK/ready.json")"
answer="$(curl -s -f "$url/v1/translate" -H 'content-type: application/json' \
  -d '{"text": "Kim Jong Un visited Moscow.", "source": "en", "target": "ru"}')"
echo "$answer" | python3 -c 'import json, sys; r = json.load(sys.stdin)["results"][0]; assert r["translation"].strip(), r; print("container_check: /v1/translate:", r["translation"], "|", "; ".join(r["models"]))' >&2
[ -f "$WORK/glossary/glossary.pot" ] || { echo "container_check: the glossary volume was not seeded" >&2; exit 1; }
ls "$WORK/models" | grep -q . || { echo "container_check: no models on the models volume" >&2; exit 1; }
health="$(podman image inspect --format '{{json .Config.Healthcheck.Test}}' "$IMAGE" 2>/dev/null || true)"
if [ -n "$health" ] && [ "$health" != null ]; then
  mapfile -t health_cmd < <(python3 -c 'import json, sys; t = json.loads(sys.argv[1]); print("\n".join(t[1:]))' "$health")
  chroot --userspec="$uid" "$mnt" /usr/bin/env -i "${image_env[@]}" GLOSSA_PORT="$PORT" "${health_cmd[@]}"
  say "HEALTHCHECK command: exit 0"
fi

# 5. Stop (SIGTERM, as a container runtime does).
kill -TERM "$server_pid"
for _ in $(seq 1 60); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.5; done
if kill -0 "$server_pid" 2>/dev/null; then echo "container_check: the server ignored SIGTERM" >&2; exit 1; fi
server_pid=""
say "PASS: built, started, /ready 200, translated, healthcheck ok, stopped"
