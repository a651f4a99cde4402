#!/usr/bin/env bash
# Runs the whole test suite (unit + end-to-end with real kubectl, runc, FUSE and etcd) after
# installing what it needs. Tests that need root, mounts or runc run; none is skipped.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-prerequisites.sh --with-test-tools
npm test
