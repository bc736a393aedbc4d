#!/usr/bin/env bash
# Install Debian packages with apt-get (as root, or through sudo). Used by `make test-deps` and
# `make pdf-deps` for what pip and npm cannot bring: Chromium, PostgreSQL, Pango for PDFs.
set -euo pipefail
[ "$#" -gt 0 ] || exit 0
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then sudo="sudo"
  else echo "Need root (or sudo) to install: $*" >&2; exit 1; fi
fi
echo "Installing: $*"
$sudo env DEBIAN_FRONTEND=noninteractive apt-get update
$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "$@"
