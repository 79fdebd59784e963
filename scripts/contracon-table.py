#!/usr/bin/env python3
"""Writes docs/results/contracon.md (to stdout) from the finished runs under OUT/<name>/seed-N (scripts/contracon.sh).

Usage: contracon-table.py OUT CONFIG ELAPSED_SECONDS JOBS [LOAD] [BLOCK]
Every number comes from a run's summary.json or run.log; runs that did not finish are listed as missing.
BLOCK: the name of the `./cl reproduce BLOCK --write-docs` table block to leave in the page (scripts/contracon-fmnist.sh).
A run directory with dump/logits.csv (-Dcllab.contracon.dump, see ContraconLearner) gets its task-identification
analysis (scripts/contracon-taskid.py) on the page.
"""
import json
import os
import re
import statistics
import sys

out, config, elapsed, jobs = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
load = sys.argv[5] if len(sys.argv) > 5 else "not recorded"
block = sys.argv[6] if len(sys.argv) > 6 else None

NAMES = [
    ("contracon", "ConTraCon (default: k = 3, gated skip, V = 4)"),
    ("contracon-aug", "ConTraCon trained on augmented images (`train_augment`, V = 4)"),
    ("contracon-v1", "ConTraCon, V = 1 (views ablation)"),
    ("kernel-1", "ConTraCon, k = 1 (V = 1)"),
    ("kernel-5", "ConTraCon, k = 5 (V = 1)"),
    ("no-gate", "ConTraCon, no gate: W0 + conv(W0) (V = 1)"),
    ("finetune", "finetune (whole transformer, V = 1)"),
    ("independent", "one backbone per task (V = 1)"),
    ("diag", "diagnostic: 3,000 training images per task, V = 4, no class-incremental matrix (stopped after its dump)"),
    ("diag-aug", "diagnostic: as above with `train_augment` and V = 1 (stopped after its dump)"),
    ("diag-aug-ls0", "diagnostic: as diag-aug with label smoothing 0 (ran to the end; no class-incremental matrix)"),
    ("hnet", "HNET (784-100-100 MLP target; task id by entropy)"),
    ("ewc", "EWC (784-100-100 multi-head MLP)"),
]
NOTE = re.compile(r"backbone (\d+) shared parameters; per task: ([\d ]+) \(.*total stored (\d+)")


def fmt(xs):
    if not xs:
        return "-"
    if len(xs) == 1:
        return "%.4f" % xs[0]
    return "%.4f ± %.4f" % (statistics.mean(xs), statistics.stdev(xs))


def last_row_mean(ev):
    m = ev.get("accuracy_matrix")
    if not m:
        return None
    row = m[-1]
    return sum(row) / len(row)


def partial(run_dir):
    """(tasks done, {series: mean accuracy over the learned tasks}) from metrics.csv of an unfinished run."""
    p = os.path.join(run_dir, "metrics.csv")
    if not os.path.isfile(p):
        return None
    acc = {}
    with open(p) as f:
        next(f)
        for line in f:
            series, after, task, a = line.strip().split(",")
            acc.setdefault(int(after), {}).setdefault(series, {})[int(task)] = float(a)
    done = max(acc)
    if done == 0:
        return None
    return done, {k: sum(v[t] for t in range(1, done + 1)) / done for k, v in acc[done].items()}


TS = re.compile(r"^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d),(\d{3})")
START = re.compile(r"ProgressReporter - task (\d+)/\d+ \(classes")
END = re.compile(r"ContraconLearner - contracon task (\d+): epoch")


def timeline(log):
    """Seconds of the before-training evaluation, then per task (training, evaluation after it), from run.log."""
    import datetime
    note = None
    starts = {}
    ends = {}
    with open(log) as f:
        for line in f:
            m = TS.match(line)
            if not m:
                continue
            t = datetime.datetime.fromisoformat(m.group(1)).timestamp() + int(m.group(2)) / 1000
            if NOTE.search(line) and note is None:
                note = t
            a = START.search(line)
            if a and int(a.group(1)) not in starts:
                starts[int(a.group(1))] = t
            b = END.search(line)
            if b:
                ends[int(b.group(1)) + 1] = t
    if note is None or 1 not in starts:
        return None
    parts = ["eval before training %.0f" % (starts[1] - note)]
    for k in sorted(starts):
        if k in ends:
            parts.append("task %d: train %.0f" % (k, ends[k] - starts[k]))
            if k + 1 in starts:
                parts.append("eval %.0f" % (starts[k + 1] - ends[k]))
    return ", ".join(parts)


VAL = re.compile(r"contracon task (\d+): epoch (\d+) selected \(validation accuracy ([\d.]+)\)")


def validation(log):
    out = []
    with open(log) as f:
        for line in f:
            m = VAL.search(line)
            if m:
                out.append("task %d: %.3f (epoch %s)" % (int(m.group(1)) + 1, float(m.group(3)), m.group(2)))
    return ", ".join(out)


rows = []
vals = []
timelines = []
partials = []
missing = []
params = {}
for name, label in NAMES:
    d = os.path.join(out, name)
    til, cil, tid, wall, seeds = [], [], [], [], []
    for seed in sorted(os.listdir(d)) if os.path.isdir(d) else []:
        log = os.path.join(d, seed, "run.log")
        if os.path.isfile(log) and validation(log):
            vals.append((label, seed.replace("seed-", ""), validation(log)))
        if os.path.isfile(log) and timeline(log):
            timelines.append((label, seed.replace("seed-", ""), timeline(log)))
        if os.path.isfile(log):
            with open(log) as f:
                for line in f:
                    m = NOTE.search(line)
                    if m:
                        params[name] = (int(m.group(1)), [int(x) for x in m.group(2).split()], int(m.group(3)))
        p = os.path.join(d, seed, "summary.json")
        if not os.path.isfile(p) or not json.load(open(p)).get("finished"):
            missing.append("%s/%s" % (name, seed))
            part = partial(os.path.join(d, seed))
            if part:
                partials.append((label, seed.replace("seed-", ""), part))
            continue
        s = json.load(open(p))
        ev = s["evaluations"]
        til.append(ev["task-incremental"]["acc"])
        if "class-incremental" in ev:
            cil.append(ev["class-incremental"]["acc"])
        if "task-identification" in ev:
            t = ev["task-identification"]
            tid.append(t["acc"] if "acc" in t else last_row_mean(t))
        wall.append(s["wall_seconds"])
        seeds.append(seed.replace("seed-", ""))
    if seeds:
        w = "%.0f" % wall[0] if len(wall) == 1 else "%.0f ± %.0f" % (statistics.mean(wall), statistics.stdev(wall))
        rows.append((label, ",".join(seeds), fmt(til), fmt(cil), fmt(tid), w))
    elif not os.path.isdir(d):
        missing.append(name + " (not run)")

print("# ConTraCon on a compact convolutional transformer (issue 11)")
print()
if block:
    print("Generated by `scripts/contracon-fmnist.sh` (runs: `./cl reproduce %s`, runs/reproductions/%s.yaml; this page:"
          % (block, block))
    print("`scripts/contracon-table.py`) from the runs' `summary.json` and `run.log`; config `%s`, every other run" % config)
    print("differs by the `set` keys of the reproduction file. Do not edit by hand.")
else:
    print("Generated by `scripts/contracon.sh` (this page: `scripts/contracon-table.py`) from the runs' `summary.json` and")
    print("`run.log`; config `%s`, every other run differs by the `--set` keys in the script. Do not edit by hand." % config)
print()
print("ConTraCon (Roy et al., ICCV 2023, \"Exemplar-Free Continual Transformer with Convolutions\"; authors' code")
print("CVIR/contracon): a CCT is trained whole on task 0; each later task re-weights every head's frozen task-0")
print("Q/K/V block by its own k x k convolution with a gated skip, `W_t,h = conv_t,h(W_0,h) + sigmoid(s_t,h) W_0,h`,")
print("and trains its own LayerNorms, sequence pooling and head. Without a task id, the task whose head has the")
print("lowest entropy of the view-averaged softmax wins. Implementation: `hypernets/.../contracon/`.")
print()
print("## Results (Split-MNIST 5x2, bundled 10,000 digits)" if config.endswith("split-mnist.yaml")
      else "## Results (Split Fashion-MNIST 5x2)" if config.endswith("split-fmnist.yaml") else "## Results")
print()
print("ACC = mean accuracy over the tasks after the last task; TIL = task-incremental (task id given), CIL =")
print("class-incremental (task identified by entropy), task id = task-identification accuracy after the last task.")
print("Mean ± sample std over the seeds listed (one value: one seed). Wall time per run in seconds, measured on a")
print("LOADED 2-core machine (other developers' jobs alongside; %s run(s) at a time, ND4J with OMP_NUM_THREADS=%s; /proc/loadavg at start and end: %s)." % (jobs, os.environ.get("OMP_NUM_THREADS", "unset"), load))
print()
print("| run | seeds | TIL ACC | CIL ACC | task id | wall s |")
print("|---|---|---|---|---|---|")
for r in rows:
    print("| %s |" % " | ".join(r))
print()
if block:
    print("Reproduction (`./cl reproduce %s`; reference values and their sources in runs/reproductions/%s.yaml):"
          % (block, block))
    print()
    print("<!-- table:begin %s (generated by ./cl reproduce %s --write-docs; do not edit) -->" % (block, block))
    print("<!-- table:end %s -->" % block)
    print()
if missing:
    print("Not finished when this page was written: %s." % ", ".join(missing))
    print()
if partials:
    print("Unfinished runs, measured so far (from `metrics.csv`): mean accuracy over the tasks learned so far, after")
    print("the last task boundary reached. Not comparable with ACC over all 5 tasks.")
    print()
    print("| run | seed | tasks done | TIL | CIL | task id |")
    print("|---|---|---|---|---|---|")
    for label, seed, (done, a) in partials:
        g = lambda k: "%.4f" % a[k] if k in a else "-"
        print("| %s | %s | %d of 5 | %s | %s | %s |" % (label, seed, done, g("task-incremental"),
              g("class-incremental"), g("task-identification")))
    print()
print("Whole script: %d s of wall time." % elapsed if elapsed > 0
      else "Whole script: not measured (this page was regenerated from runs made earlier).")
print()
print("## Validation accuracy of the selected epoch per task (from the run logs)")
print()
print("Accuracy on the 10 % of each task's training data held out for epoch selection (local labels, own head).")
print()
print("| run | seed | per task |")
print("|---|---|---|")
for label, seed, v in vals:
    print("| %s | %s | %s |" % (label, seed, v))
print()
print("## Where the time goes (seconds, from the run logs' timestamps; loaded machine)")
print()
print("Training includes the per-epoch validation pass; evaluation is the protocol's pass over all 5 test sets")
print("(task-incremental, then class-incremental and task identification from one pass over V views x learned tasks).")
print()
print("| run | seed | segments |")
print("|---|---|---|")
for label, seed, tl in timelines:
    print("| %s | %s | %s |" % (label, seed, tl))
print()
dumps = []
for name, label in NAMES:
    d = os.path.join(out, name)
    for seed in sorted(os.listdir(d)) if os.path.isdir(d) else []:
        f = os.path.join(d, seed, "dump", "logits.csv")
        if os.path.isfile(f):
            dumps.append((label, seed.replace("seed-", ""), f))
if dumps:
    import subprocess
    print("## Why the task is not identified: entropies on validation images")
    print()
    print("From the run's dump of every task model's logits on 300 images of every task's validation split (carved")
    print("from training data, never test data), the original and 8 augmented views, after the last task")
    print("(`scripts/contracon-taskid.py`; rules with a per-task calibration are fitted on the first 150 images of the")
    print("model's own task and all rules are scored on the other 150). Correct identification needs the right model's")
    print("entropy (the diagonal) to be the lowest in its row; the AUROC is, per model, the probability that an image")
    print("of its own task has a lower entropy than an image of another task (0.5 = no signal).")
    print()
    here = os.path.dirname(os.path.abspath(__file__))
    for label, seed, f in dumps:
        print("### %s, seed %s" % (label, seed))
        print()
        print("```")
        sys.stdout.flush()
        r = subprocess.run([sys.executable, os.path.join(here, "contracon-taskid.py"), f, "--views", "4",
                            "--copies", "1", "--auroc"], capture_output=True, text=True, check=True)
        print(r.stdout.rstrip())
        print("```")
        print()
print("## Parameters (from each run's start note)")
print()
print("| run | shared backbone | own parameters per task (task 0 .. T-1) | total stored | per-task share of the backbone (tasks > 0) |")
print("|---|---|---|---|---|")
for name, label in NAMES:
    if name in params:
        b, per, total = params[name]
        later = per[1:] if len(per) > 1 else per
        share = max(later) / b if name not in ("independent",) else (max(later) + b) / b
        print("| %s | %d | %s | %d | %.2f %% |" % (label, b, " ".join(str(x) for x in per), total, 100 * share))
print()
print("For `independent` every task stores a whole backbone (the share counts it); for `finetune` the backbone is")
print("shared and overwritten, so earlier tasks forget.")
print()
DIFFERS = """## What differs from the paper (and from the reference code)

- Scale: a CCT for 28x28 grayscale images (2 tokenizer convolutions with 2x2 max-pooling to 7x7 = 49 tokens, dim 64,
  4 heads, 2 layers, MLP ratio 2, sine positions) instead of CCT-6 on CIFAR-100/ImageNet-100/TinyImageNet;
  each head's block is 16x64, so the re-weighting kernel defaults to k = 3 (the paper: k = 15 on 64x256 blocks).
- Epochs: 2 per task (a loaded machine), not the reference's hundreds; views: V = 4 (the original once + 3
  augmented: shifts of up to 2 px, rotations of up to 10 degrees, Gaussian noise 0.1, seeded) instead of 16 (6 copies
  + 10 augmented). The copies of the original only weight it in the average, so 6 copies + 10 views is reachable
  with `learner.contracon.views=16 copies=6`.
- Optimiser: the learner's defaults are the reference's (AdamW 8e-4, weight decay 6e-7, head SGD 5e-3), but the
  committed experiment trains the head with AdamW too, all at 2e-3: with 2 epochs (46 steps per task) head SGD at
  5e-3 left task 2's head at chance (validation accuracy 0.49 in a first, aborted run) - a run made before the fix of
  the schedule (stepped per minibatch until 0649e8a), so this reason no longer holds (see the config's comment);
  AdamW is kept so that these results stay as measured.
- Task identification: the rule is the reference's (mean of the logits over the views, softmax, entropy
  -sum p log(p + 1e-4), argmin over the learned tasks; no temperature, no per-task normalisation), but the reference
  trains on augmented images (random crops, flips, rotations, AutoAugment) and its 10 views are AutoAugment views, so
  they lie inside its training distribution. The committed config trains on plain images, so its views (shifts,
  rotations, noise) are new to every model; `learner.contracon.train_augment` (our reconstruction: training images
  get the views' own shifts, rotations and noise) is the row "trained on augmented images".
- Model selection: the epoch with the best accuracy on 10 % of the task's training data held out; the reference
  keeps the best epoch by test accuracy, which we do not do.
- Our reconstruction where the paper is open: later tasks start their LayerNorms and pooling from task 0's trained
  values (the reference copies the task-0 model); head SGD momentum 0.9 (when SGD is used); one cosine schedule with warm restarts
  (T_0 = epochs/2) shapes both the AdamW and the head SGD rate, stepped once per epoch as in the reference (with
  2 epochs, T_0 = 1: the base rate throughout); the no-gate ablation keeps a
  plain skip (`W0 + conv(W0)`; `skip: none` drops it).
- Stream: Split-MNIST from the bundled 10,000 digits (about 1,600 training and 400 test images per task), one seed;
  the issue's acceptance asks for Split Fashion-MNIST with 3 seeds (config `runs/configs/contracon-split-fmnist.yaml`,
  `CONFIG=runs/configs/contracon-split-fmnist.yaml SEEDS="0 1 2" scripts/contracon.sh`), which did not fit the time.
"""
if config.endswith("split-fmnist.yaml"):
    DIFFERS = DIFFERS.replace("""- Stream: Split-MNIST from the bundled 10,000 digits (about 1,600 training and 400 test images per task), one seed;
  the issue's acceptance asks for Split Fashion-MNIST with 3 seeds""", """- Stream: Split Fashion-MNIST (12,000 training and 2,000 test images per task); the seeds listed above;
  the issue's acceptance asks for 3 seeds""")
print(DIFFERS)
