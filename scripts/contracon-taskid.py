#!/usr/bin/env python3
"""Offline analysis of ConTraCon's task identification from a validation-logits dump.

The dump is written by ContraconLearner after the last task when the JVM runs with
-Dcllab.contracon.dump=DIR (CL_JAVA_OPTS for ./cl): DIR/logits.csv with one row per (validation task, task model,
view, image) and that model's logits; view -1 is the original image, views 0, 1, ... the augmented views the
identification uses. The validation images are carved from each task's training data (never test data).

Prints, per validation task, the mean entropy of every task's model (is the right model lower?) and the task-
identification / class-incremental accuracy of several scoring rules. Rules with a per-task calibration (z-scored
entropy) fit it on the first half of each task's own validation images and are scored on the second half only; the
other rules are scored on the same second half so that all rows compare alike.

usage: scripts/contracon-taskid.py DIR/logits.csv [--views V] [--copies C] [--auroc]
"""
import argparse
import csv
import math
from collections import defaultdict


def softmax(z):
    m = max(z)
    e = [math.exp(v - m) for v in z]
    s = sum(e)
    return [v / s for v in e]


def entropy(z):
    # the reference's formula: -sum p log(p + 1e-4)
    return -sum(p * math.log(p + 1e-4) for p in softmax(z))


def lse(z):
    m = max(z)
    return m + math.log(sum(math.exp(v - m) for v in z))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("csv")
    ap.add_argument("--views", type=int, default=4, help="V of the identification (copies + augmented)")
    ap.add_argument("--copies", type=int, default=1)
    ap.add_argument("--auroc", action="store_true", help="per model: AUROC of its entropy, own task vs the others")
    a = ap.parse_args()

    # logits[(i, j, v, r)] = list, label[(i, r)]
    logits = {}
    label = {}
    tasks = set()
    nimg = defaultdict(int)
    with open(a.csv) as f:
        rd = csv.reader(f)
        next(rd)
        for row in rd:
            i, j, v, r, y = (int(x) for x in row[:5])
            logits[(i, j, v, r)] = [float(x) for x in row[5:]]
            label[(i, r)] = y
            tasks.add(j)
            nimg[i] = max(nimg[i], r + 1)
    T = len(tasks)
    aug = a.views - a.copies
    maxview = max(k[2] for k in logits) + 1
    if aug > maxview:
        raise SystemExit(f"dump has {maxview} augmented views, need {aug}")

    def mean_logits(i, j, r, views, copies):
        z = [c * x for c, x in zip([copies] * 99, logits[(i, j, -1, r)])]
        for v in range(views - copies):
            z = [p + q for p, q in zip(z, logits[(i, j, v, r)])]
        return [x / views for x in z]

    # per-model calibration on the first half of its own task's images
    def half(i):
        return range(nimg[i] // 2), range(nimg[i] // 2, nimg[i])

    print(f"tasks {T}, images per validation task {dict(nimg)}, identification V={a.views} (copies {a.copies})")
    print()
    print("Mean entropy (V=1, original image) of model j (columns) on task i's validation images (rows):")
    print("       " + " ".join(f"  m{j}  " for j in range(T)))
    for i in sorted(nimg):
        hs = [sum(entropy(logits[(i, j, -1, r)]) for r in range(nimg[i])) / nimg[i] for j in range(T)]
        print(f"task {i} " + " ".join(f"{h:6.3f}" for h in hs))
    print()
    print(f"Mean entropy of the view-averaged logits (V={a.views}):")
    for i in sorted(nimg):
        hs = [sum(entropy(mean_logits(i, j, r, a.views, a.copies)) for r in range(nimg[i])) / nimg[i]
              for j in range(T)]
        print(f"task {i} " + " ".join(f"{h:6.3f}" for h in hs))
    print()
    print("Mean logit norm |z1 - z0| (V=1) (head scale):")
    for i in sorted(nimg):
        hs = [sum(abs(max(logits[(i, j, -1, r)]) - min(logits[(i, j, -1, r)])) for r in range(nimg[i])) / nimg[i]
              for j in range(T)]
        print(f"task {i} " + " ".join(f"{h:6.2f}" for h in hs))
    print()

    # calibration statistics per model j on its own task j, first half
    def stats(score):
        mu, sd = {}, {}
        for j in range(T):
            fit, _ = half(j)
            vals = [score(j, j, r) for r in fit]
            m = sum(vals) / len(vals)
            s = math.sqrt(sum((v - m) ** 2 for v in vals) / max(1, len(vals) - 1)) or 1.0
            mu[j], sd[j] = m, s
        return mu, sd

    def ent_v(V, C):
        return lambda i, j, r: entropy(mean_logits(i, j, r, V, C))

    def mean_ent(V, C):
        def f(i, j, r):
            hs = [entropy(logits[(i, j, -1, r)])] * C + [entropy(logits[(i, j, v, r)]) for v in range(V - C)]
            return sum(hs) / V
        return f

    def energy(V, C):
        return lambda i, j, r: -lse(mean_logits(i, j, r, V, C))

    def disagreement(V, C):
        def f(i, j, r):
            z0 = logits[(i, j, -1, r)]
            k0 = z0.index(max(z0))
            n = 0
            for v in range(V - C):
                z = logits[(i, j, v, r)]
                n += z.index(max(z)) != k0
            return n / max(1, V - C) + 1e-3 * entropy(mean_logits(i, j, r, V, C))
        return f

    rules = []
    for V, C in sorted({(1, 1), (a.views, a.copies), (maxview + 1, 1)}):
        rules.append((f"entropy of mean logits, V={V}", ent_v(V, C), False))
        if V > 1:
            rules.append((f"mean of entropies, V={V}", mean_ent(V, C), False))
            rules.append((f"view disagreement, V={V}", disagreement(V, C), False))
        rules.append((f"energy -logsumexp, V={V}", energy(V, C), False))
        rules.append((f"z-scored entropy (own-task fit), V={V}", ent_v(V, C), True))
        rules.append((f"z-scored energy (own-task fit), V={V}", energy(V, C), True))

    if a.auroc:
        print("AUROC per model j: P(its entropy on an own-task image < on another task's image), V=1 (every 3rd "
              "other-task image); entropy quantiles q10 / median / q90")
        for j in range(T):
            own = sorted(entropy(logits[(j, j, -1, r)]) for r in range(nimg[j]))
            oth = sorted(entropy(logits[(i, j, -1, r)]) for i in sorted(nimg) if i != j
                         for r in range(0, nimg[i], 3))
            c = sum((x < y) + 0.5 * (x == y) for x in own for y in oth) / (len(own) * len(oth))
            q = lambda xs: "%.3f / %.3f / %.3f" % (xs[len(xs) // 10], xs[len(xs) // 2], xs[9 * len(xs) // 10])
            print(f"m{j}: AUROC {c:.3f}; own task {q(own)}; other tasks {q(oth)}")
        print()
    print(f"{'rule':45s} task-id  CIL    per-task task-id")
    for name, score, calibrate in rules:
        mu, sd = stats(score) if calibrate else ({j: 0 for j in range(T)}, {j: 1 for j in range(T)})
        ok_t = ok_c = n = 0
        per = []
        for i in sorted(nimg):
            _, ev = half(i)
            ti = 0
            for r in ev:
                s = [(score(i, j, r) - mu[j]) / sd[j] for j in range(T)]
                jbest = s.index(min(s))
                z = logits[(i, jbest, -1, r)]
                ok_t += jbest == i
                ti += jbest == i
                ok_c += jbest == i and z.index(max(z)) == label[(i, r)]
                n += 1
            per.append(ti / len(ev))
        print(f"{name:45s} {ok_t / n:.3f}   {ok_c / n:.3f}  " + " ".join(f"{p:.2f}" for p in per))


if __name__ == "__main__":
    main()
