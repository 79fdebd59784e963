#!/usr/bin/env bash
# Regenerates the 3-seed table of docs/results/hypernets.md with ./cl reproduce hypernets
# (runs/reproductions/hypernets.yaml: HNET, the RNN hypernetwork, finetune, EWC, SI and joint on Split Fashion-MNIST
# and Permuted MNIST 10 tasks). Finished runs are skipped, killed ones resume. Extra arguments go to ./cl reproduce.
# Only the page's generated block is rewritten; the rest of docs/results/hypernets.md (seed-0 tables, regulariser
# options, memory, the notes on the 3-seed table) was typed by hand from single runs and is marked so on the page.
# Usage: scripts/hypernets.sh [cl reproduce options]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
exec ./cl reproduce hypernets --write-docs --check "$@"
