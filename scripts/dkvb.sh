#!/usr/bin/env bash
# Regenerates the tables of docs/results/dkvb.md with ./cl reproduce: dkvb-toy (2-D Gaussian toy, 5 seeds),
# dkvb-split-mnist (bottleneck, linear probe, MLP on frozen encoder features, 3 seeds) and ncm-split-mnist (nearest
# class mean); the encoder is pre-trained first when missing (the reproductions' `requires`). Finished runs are
# skipped, killed ones resume. Extra arguments go to every ./cl reproduce.
# Usage: scripts/dkvb.sh [cl reproduce options]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
for name in dkvb-toy dkvb-split-mnist ncm-split-mnist; do
  ./cl reproduce "$name" --write-docs --check "$@"
done
