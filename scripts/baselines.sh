#!/usr/bin/env bash
# Regenerates the tables of docs/results/baselines.md with ./cl reproduce (runs/reproductions/baselines-*.yaml):
# Split Fashion-MNIST class- and task-incremental, Permuted MNIST domain-incremental (7 learners x 3 seeds each) and
# the EWC + replay composition block. Finished runs are skipped, killed ones resume; --check fails on any figure
# outside its tolerance. Extra arguments go to every ./cl reproduce (e.g. --workers 2, --executor slurm).
# Usage: scripts/baselines.sh [cl reproduce options]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
for name in baselines-split-fmnist baselines-permuted-mnist baselines-composition; do
  ./cl reproduce "$name" --write-docs --check "$@"
done
