#!/usr/bin/env python3
"""Markdown tables of the key-value bottleneck runs: OUT/<stream>/<variant>/seed-N/summary.json.

Usage: dkvb-table.py OUT_DIR. One table per stream, one row per variant: final class-incremental ACC
(mean ± std over seeds, and each seed), BWT, forgetting, wall seconds per run.
"""
import json
import os
import statistics
import sys

out = sys.argv[1]
STREAMS = [("toy", "2-D Gaussian toy, 8 classes in 4 tasks of 2, class-incremental"),
           ("split-mnist", "Split MNIST 5x2 (bundled), class-incremental, frozen Fashion-MNIST encoder features")]


def fmt(values):
    if not values:
        return "–"
    sd = statistics.stdev(values) if len(values) > 1 else 0.0
    return f"{statistics.mean(values):.4f} ± {sd:.4f}"


for stream, title in STREAMS:
    sdir = os.path.join(out, stream)
    if not os.path.isdir(sdir):
        continue
    print(f"\n### {title}\n")
    print("| variant | seeds | final ACC | ACC per seed | BWT | forgetting | wall s / run |")
    print("|---|---|---|---|---|---|---|")
    for variant in sorted(os.listdir(sdir)):
        rows = []
        for seed in sorted(os.listdir(os.path.join(sdir, variant))):
            f = os.path.join(sdir, variant, seed, "summary.json")
            if not os.path.exists(f):
                continue
            s = json.load(open(f))
            e = s["evaluations"]["class-incremental"]
            rows.append((seed.replace("seed-", ""), e["acc"], e.get("bwt"), e.get("forgetting"), s["wall_seconds"]))
        if not rows:
            continue
        accs = [r[1] for r in rows]
        print(f"| {variant} | {len(rows)} ({','.join(r[0] for r in rows)}) | {fmt(accs)} | "
              f"{' '.join(f'{a:.4f}' for a in accs)} | {fmt([r[2] for r in rows if r[2] is not None])} | "
              f"{fmt([r[3] for r in rows if r[3] is not None])} | {statistics.mean(r[4] for r in rows):.1f} |")
