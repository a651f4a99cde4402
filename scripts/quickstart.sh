#!/usr/bin/env bash
# Quick start: install what is needed, start Cistern in the background (data in ${CISTERN_DIR:-~/.cistern})
# and run the guide's demo against it. Afterwards: source ~/.cistern/env && kubectl get pvc
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-prerequisites.sh
DIR="${CISTERN_DIR:-$HOME/.cistern}"
node bin/cistern.js up --background --data-dir "$DIR" --file-system-id fs-12345678
node bin/cistern.js demo --data-dir "$DIR"
