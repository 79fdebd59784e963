#!/usr/bin/env bash
# Regenerates the nearest-class-mean block of docs/results/dkvb.md: ./cl reproduce ncm-split-mnist
# (runs/reproductions/ncm-split-mnist.yaml). Extra arguments go to ./cl reproduce.
# Usage: scripts/ncm.sh [cl reproduce options]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
exec ./cl reproduce ncm-split-mnist --write-docs --check "$@"
