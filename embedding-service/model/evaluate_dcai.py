"""Evaluate glyphnet-v1 embeddings on the real DCAI 2021 Roman-numeral set (read only).

    LD_PRELOAD=/usr/lib/x86_64-linux-gnu/libjemalloc.so.2 \
    MALLOC_CONF=dirty_decay_ms:-1,muzzy_decay_ms:-1 \
    /usr/bin/python3 evaluate_dcai.py [--data /work/shared/datasets/dcai-roman-2021] [--model glyphnet-v1.pt]

Uses train/ and val/ (2,880 images). Images are only read and embedded in memory;
nothing derived from them except aggregate numbers (and a few file names) is written.

Reports, for glyphnet-v1 and two baselines (random-init resnet18 features, raw pixels):
- leave-one-out k-NN (k=1, k=5; cosine) agreement with the given labels. Vote: majority
  of the k neighbours; a tie goes to the tied class whose member is nearest. Shown both
  with all neighbours and with each image's exact duplicates removed from its neighbours
  (duplicates trivially vote for their own label and inflate the number a bit).
- exact duplicates (same file bytes, md5): how many pairs are each other's nearest neighbour.
- outlier score = mean cosine distance to the 10 nearest neighbours; rank of the single
  all-white image (1 = strongest outlier).
"""
import argparse
import hashlib
import json
import os
import sys
from collections import defaultdict
from multiprocessing import Pool

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from preprocess import preprocess  # noqa: E402

CLASSES = ["i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x"]


def load(root):
    paths, labels = [], []
    for split in ("train", "val"):
        for ci, c in enumerate(CLASSES):
            d = os.path.join(root, split, c)
            for f in sorted(os.listdir(d)):
                if f.endswith(".png"):
                    paths.append(os.path.join(d, f))
                    labels.append(ci)
    return paths, np.array(labels)


def _read(p):
    with open(p, "rb") as f:
        b = f.read()
    x = preprocess(b)
    return hashlib.md5(b).hexdigest(), x, bool((x == 0).all())  # all-white -> all zeros


@torch.no_grad()
def embed(model, x, bs=256):
    out = [model(torch.from_numpy(x[i:i + bs])) for i in range(0, len(x), bs)]
    e = torch.cat(out).float()
    return torch.nn.functional.normalize(e, dim=1).numpy()  # cosine = dot product


def knn_agreement(sim, labels, k, exclude):
    """sim: n x n cosine similarities; exclude: boolean n x n mask of forbidden neighbours."""
    s = np.where(exclude, -np.inf, sim)
    nn_idx = np.argsort(-s, axis=1, kind="stable")[:, :k]
    correct = 0
    for i in range(len(labels)):
        votes = labels[nn_idx[i]]
        counts = np.bincount(votes, minlength=len(CLASSES))
        best = np.flatnonzero(counts == counts.max())
        pred = next(v for v in votes if v in best)  # neighbours are sorted nearest first
        correct += pred == labels[i]
    return correct / len(labels)


def analyse(name, emb, labels, paths, dup_pairs, blank_idx):
    n = len(labels)
    sim = emb @ emb.T
    self_mask = np.eye(n, dtype=bool)
    dup_mask = self_mask.copy()
    for a, b in dup_pairs:
        dup_mask[a, b] = dup_mask[b, a] = True
    r = {"model": name}
    for k in (1, 5):
        r[f"knn{k}"] = knn_agreement(sim, labels, k, self_mask)
        r[f"knn{k}_nodup"] = knn_agreement(sim, labels, k, dup_mask)
    s = np.where(self_mask, -np.inf, sim)
    nn1 = s.argmax(1)
    mutual = 0
    max_diff = 0.0
    for a, b in dup_pairs:
        # "each other's nearest neighbour": the partner has the top similarity. A 1e-6
        # tolerance because identical inputs at different batch positions can differ in
        # the last float bit (oneDNN kernels), so "identical" is 1 - O(1e-7), not exactly 1.
        if s[a, b] >= s[a, nn1[a]] - 1e-6 and s[b, a] >= s[b, nn1[b]] - 1e-6:
            mutual += 1
        max_diff = max(max_diff, float(np.abs(emb[a] - emb[b]).max()))
    r["dup_pairs"] = len(dup_pairs)
    r["dup_mutual_nn"] = mutual
    r["dup_max_abs_diff"] = max_diff
    top10 = -np.sort(-s, axis=1)[:, :10]
    score = 1.0 - top10.mean(1)  # mean cosine distance to 10 NN
    order = np.argsort(-score, kind="stable")
    rank = {int(i): int(np.flatnonzero(order == i)[0]) + 1 for i in blank_idx}
    r["blank_rank"] = [rank[i] for i in blank_idx]
    r["top_outliers"] = [(os.path.relpath(paths[i], os.path.dirname(os.path.dirname(os.path.dirname(paths[i])))),
                          round(float(score[i]), 4)) for i in order[:5]]
    return r


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default="/work/shared/datasets/dcai-roman-2021")
    ap.add_argument("--model", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "glyphnet-v1.pt"))
    ap.add_argument("--json", default=None, help="optionally write the numbers (no image data) here")
    args = ap.parse_args()
    torch.set_num_threads(2)

    paths, labels = load(args.data)
    with Pool(2) as pool:
        res = pool.map(_read, paths, chunksize=32)
    md5s = [r[0] for r in res]
    x = np.stack([r[1] for r in res])[:, None]  # N x 1 x 64 x 64
    blank_idx = [i for i, r in enumerate(res) if r[2]]

    groups = defaultdict(list)
    for i, m in enumerate(md5s):
        groups[m].append(i)
    dup_pairs = [(g[a], g[b]) for g in groups.values() for a in range(len(g)) for b in range(a + 1, len(g))]
    same_label = sum(labels[a] == labels[b] for a, b in dup_pairs)
    print(f"{len(paths)} images; {len(dup_pairs)} exact-duplicate pairs (md5), {same_label} with equal labels; "
          f"{len(blank_idx)} all-white image(s)")

    results = []
    glyph = torch.jit.load(args.model).eval()
    results.append(analyse("glyphnet-v1", embed(glyph, x), labels, paths, dup_pairs, blank_idx))

    from export_resnet18 import build
    rn = build()
    results.append(analyse("resnet18 random (512-d)", embed(rn, np.repeat(x, 3, axis=1)),
                           labels, paths, dup_pairs, blank_idx))

    # Raw pixels: what any embedding has to beat to be worth shipping.
    raw = x.reshape(len(x), -1).astype(np.float32)
    raw = raw / np.maximum(np.linalg.norm(raw, axis=1, keepdims=True), 1e-12)
    results.append(analyse("raw pixels 64x64", raw, labels, paths, dup_pairs, blank_idx))

    print()
    print(f"{'model':26s} {'1-NN':>6s} {'5-NN':>6s} {'1-NN*':>6s} {'5-NN*':>6s} {'dup NN':>8s} {'blank rank':>10s}")
    for r in results:
        print(f"{r['model']:26s} {r['knn1']:6.3f} {r['knn5']:6.3f} {r['knn1_nodup']:6.3f} {r['knn5_nodup']:6.3f} "
              f"{r['dup_mutual_nn']:>3d}/{r['dup_pairs']:<4d} {','.join(map(str, r['blank_rank'])):>10s}")
    print("* = each image's exact duplicates removed from its candidate neighbours")
    print("dup NN = duplicate pairs that are each other's nearest neighbour; "
          "blank rank = rank of the all-white image by mean cosine distance to its 10 NN (1 = top outlier)")
    for r in results:
        print(f"{r['model']}: max |emb diff| within duplicate pairs {r['dup_max_abs_diff']:.2e}; "
              f"top outliers {r['top_outliers']}")
    if args.json:
        with open(args.json, "w") as f:
            json.dump(results, f, indent=2)


if __name__ == "__main__":
    main()
