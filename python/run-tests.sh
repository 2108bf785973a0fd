#!/usr/bin/env bash
# The Python package's tests (pytest) against the real server, which `npm test` builds first.
# They run in a venv on Debian's python3 with its system packages (torch, numpy, requests,
# pytest), and the package is installed from this folder: no PyPI.
set -euo pipefail
cd "$(dirname "$0")"
PYTHON=${CNNVIS_PYTHON:-/usr/bin/python3}
VENV=.venv
[ -x "$VENV/bin/python" ] || "$PYTHON" -m venv --system-site-packages "$VENV"
"$VENV/bin/python" -m pip install --quiet --no-index --no-build-isolation .
exec "$VENV/bin/python" -m pytest -q -p no:cacheprovider tests "$@"
