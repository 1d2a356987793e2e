"""Train "loupe-glyphnet-v1", Loupe's default image embedder, and export it to TorchScript.

Exact command used for the shipped glyphnet-v1.pt (run from this directory, 2 CPU threads):

    LD_PRELOAD=/usr/lib/x86_64-linux-gnu/libjemalloc.so.2 \
    MALLOC_CONF=dirty_decay_ms:-1,muzzy_decay_ms:-1 \
    /usr/bin/python3 train_glyphnet.py --jar loupe-synthetic-0.1.0-SNAPSHOT.jar \
        --per-class 800 --seeds 101 202 --epochs 8 --out .

Steps:
1. Generate synthetic Roman numerals with Loupe's own generator jar, one zip per seed
   (``--wrong 0 --junk 0 --val 0.2``), into --workdir (outside the deliverable; no data
   is shipped).
2. Preprocess every image with the "loupe-gray64-v1" contract (preprocess.py).
3. Train a small CNN (64-d L2-normalised embedding + cosine-softmax 10-class head) with
   on-the-fly tensor augmentation, fixed seeds, deterministic algorithms.
4. Export the embedding part only (no head) with torch.jit.trace to glyphnet-v1.pt and
   write glyphnet-v1.json (sha256, command, seeds, epochs, val accuracy, torch version).
"""
import argparse
import hashlib
import json
import math
import os
import random
import subprocess
import sys
import time
import zipfile
from multiprocessing import Pool

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

from preprocess import CONTRACT, SIZE, preprocess

CLASSES = ["i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x"]
JAVA = "/usr/lib/jvm/temurin-25-jdk-amd64/bin/java"
MODEL_ID = "loupe-glyphnet-v1"
EMBED_DIM = 64


# ----------------------------------------------------------------------------- model
def conv_bn(cin, cout, k=3, stride=1):
    return [nn.Conv2d(cin, cout, k, stride, k // 2, bias=False), nn.BatchNorm2d(cout), nn.ReLU(inplace=True)]


class GlyphNet(nn.Module):
    """~0.6 M params. A stride-2 5x5 stem keeps the 2-core CPU budget (64->32 px at once);
    the rest is a plain VGG-style stack ending in global average pooling, so where the
    numeral sits on the canvas matters little (DCAI numerals are often off-centre)."""

    def __init__(self, widths=(32, 64, 128, 256), dim=EMBED_DIM):
        super().__init__()
        a, b, c, d = widths
        self.features = nn.Sequential(
            *conv_bn(1, a, 5, 2), *conv_bn(a, a), *conv_bn(a, a), nn.MaxPool2d(2),   # 32 -> 16
            *conv_bn(a, b), *conv_bn(b, b), nn.MaxPool2d(2),                        # 16 -> 8
            *conv_bn(b, c), *conv_bn(c, c), nn.MaxPool2d(2),                        # 8 -> 4
            *conv_bn(c, d), nn.AdaptiveAvgPool2d(1), nn.Flatten())
        self.fc = nn.Linear(d, dim)

    def forward(self, x):
        return F.normalize(self.fc(self.features(x)), dim=1)


class CosineHead(nn.Module):
    """Linear 10-class head on the normalised embedding with normalised weights (CosFace).
    Training on cosine logits makes cosine k-NN in embedding space match the classifier,
    which is what Loupe uses the embedding for."""

    def __init__(self, dim, n, scale=16.0, margin=0.15):
        super().__init__()
        self.w = nn.Parameter(torch.randn(n, dim) * 0.1)
        self.scale, self.margin = scale, margin

    def forward(self, emb, labels=None):
        cos = emb @ F.normalize(self.w, dim=1).t()
        if labels is not None:  # subtract the margin from the true-class cosine only
            cos = cos - self.margin * F.one_hot(labels, cos.shape[1])
        return self.scale * cos


# ------------------------------------------------------------------------------ data
def generate(jar, workdir, per_class, seed):
    out = os.path.join(workdir, f"syn-{seed}-{per_class}.zip")
    if not os.path.exists(out):  # the generator is deterministic per (seed, per_class)
        subprocess.run([JAVA, "-jar", jar, "--out", out, "--per-class", str(per_class),
                        "--seed", str(seed), "--wrong", "0", "--junk", "0", "--val", "0.2"], check=True)
    return out


def _prep(b):
    return (preprocess(b) * 255.0 + 0.5).astype(np.uint8)  # exact: values are k/255


def load_zip(path, pool):
    """-> {split: (uint8[N,64,64] ink-high, int64[N])}, sorted by name for determinism."""
    with zipfile.ZipFile(path) as z:
        names = sorted(n for n in z.namelist() if n.endswith(".png"))
        blobs = [z.read(n) for n in names]
    arrs = pool.map(_prep, blobs, chunksize=64)
    out = {}
    for split in ("train", "val"):
        idx = [i for i, n in enumerate(names) if n.startswith(split + "/")]
        x = np.stack([arrs[i] for i in idx])
        y = np.array([CLASSES.index(names[i].split("/")[1]) for i in idx], dtype=np.int64)
        out[split] = (x, y)
    return out


# ------------------------------------------------------------------------ augmentation
def augment(x, g):
    """x: float N x 1 x 64 x 64 (ink high, background 0). All randomness from generator g."""
    n = x.shape[0]
    u = lambda lo, hi: lo + (hi - lo) * torch.rand(n, generator=g)
    # Random affine. affine_grid maps output coords to input coords, so build the forward
    # transform M (rotate * shear * scale) and pass its inverse. Zero padding = background.
    rot, shear = u(-10, 10) * math.pi / 180, u(-10, 10) * math.pi / 180
    s = u(0.8, 1.1)
    cos, sin = torch.cos(rot), torch.sin(rot)
    R = torch.stack([torch.stack([cos, -sin], 1), torch.stack([sin, cos], 1)], 1)
    Sh = torch.stack([torch.stack([torch.ones(n), torch.tan(shear)], 1),
                      torch.stack([torch.zeros(n), torch.ones(n)], 1)], 1)
    M = R @ Sh * s.view(n, 1, 1)
    t = torch.stack([u(-0.12, 0.12), u(-0.12, 0.12)], 1)  # in [-1, 1] units: ~ +-4 px
    Minv = torch.linalg.inv(M)
    theta = torch.cat([Minv, -(Minv @ t.unsqueeze(2))], 2)
    x = F.grid_sample(x, F.affine_grid(theta, x.shape, align_corners=False),
                      mode="bilinear", padding_mode="zeros", align_corners=False)
    # Stroke thickness: blend towards a 3x3 dilation (thicker) or erosion (thinner); a
    # fractional blend avoids jumping a whole pixel on small numerals.
    r = torch.rand(n, generator=g)
    a = u(0.3, 1.0).view(n, 1, 1, 1)
    dil = F.max_pool2d(x, 3, 1, 1)
    ero = -F.max_pool2d(-x, 3, 1, 1)
    thick, thin = (r < 0.25).view(n, 1, 1, 1), ((r >= 0.25) & (r < 0.4)).view(n, 1, 1, 1)
    # Erosion is capped at 60 %: a full erosion wipes out 1-px strokes of tiny numerals.
    x = torch.where(thick, x + a * (dil - x), torch.where(thin, x + 0.6 * a * (ero - x), x))
    # Ink intensity (DCAI ink is 0 or 64 grey, i.e. 1.0 or 0.75 here).
    x = x * u(0.7, 1.0).view(n, 1, 1, 1)
    # Small specks: erase a few tiny squares (gaps in strokes) and add a few dots (dirt).
    yy = torch.arange(SIZE).view(1, SIZE, 1)
    xx = torch.arange(SIZE).view(1, 1, SIZE)

    def squares(p, max_half):
        half = torch.randint(1, max_half + 1, (n, 1, 1), generator=g)
        cy = torch.randint(0, SIZE, (n, 1, 1), generator=g)
        cx = torch.randint(0, SIZE, (n, 1, 1), generator=g)
        on = (torch.rand(n, 1, 1, generator=g) < p)
        return (((yy - cy).abs() < half) & ((xx - cx).abs() < half) & on).unsqueeze(1)

    for _ in range(2):
        x = x.masked_fill(squares(0.3, 3), 0.0)   # up to 5x5 px erased
        x = x.masked_fill(squares(0.2, 1), 0.8)   # 1x1 px speck
    return x.clamp_(0.0, 1.0)


# ------------------------------------------------------------------------------ train
def to_float(u8):
    return torch.from_numpy(u8).float().div_(255.0).unsqueeze(1)


@torch.no_grad()
def accuracy(model, head, x, y, bs=512):
    model.eval()
    correct = 0
    for i in range(0, len(x), bs):
        logits = head(model(to_float(x[i:i + bs])))
        correct += (logits.argmax(1) == torch.from_numpy(y[i:i + bs])).sum().item()
    return correct / len(x)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--jar", default="loupe-synthetic-0.1.0-SNAPSHOT.jar")
    ap.add_argument("--per-class", type=int, default=800)
    ap.add_argument("--seeds", type=int, nargs="+", default=[101, 202])
    ap.add_argument("--epochs", type=int, default=8)
    ap.add_argument("--batch", type=int, default=128)
    ap.add_argument("--lr", type=float, default=3e-3)
    ap.add_argument("--train-seed", type=int, default=0)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--workdir", default="/tmp/loupe-glyphnet-data")
    ap.add_argument("--out", default=".")
    args = ap.parse_args()

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.train_seed)
    np.random.seed(args.train_seed)
    random.seed(args.train_seed)
    torch.use_deterministic_algorithms(True)
    os.makedirs(args.workdir, exist_ok=True)
    t0 = time.time()

    xs, ys, vxs, vys = [], [], [], []
    with Pool(args.threads) as pool:
        for seed in args.seeds:
            d = load_zip(generate(args.jar, args.workdir, args.per_class, seed), pool)
            xs.append(d["train"][0]); ys.append(d["train"][1])
            vxs.append(d["val"][0]); vys.append(d["val"][1])
    xtr, ytr = np.concatenate(xs), np.concatenate(ys)
    xva, yva = np.concatenate(vxs), np.concatenate(vys)
    t_data = time.time() - t0
    print(f"data: {len(xtr)} train / {len(xva)} val images in {t_data:.0f} s", flush=True)

    model, head = GlyphNet(), CosineHead(EMBED_DIM, len(CLASSES))
    n_params = sum(p.numel() for p in model.parameters())
    print(f"GlyphNet params: {n_params}", flush=True)
    params = list(model.parameters()) + list(head.parameters())
    opt = torch.optim.AdamW(params, lr=args.lr, weight_decay=5e-4)
    steps_per_epoch = len(xtr) // args.batch  # drop the last partial batch (BatchNorm)
    total = steps_per_epoch * args.epochs
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=args.lr, total_steps=total, pct_start=0.15)
    g = torch.Generator().manual_seed(args.train_seed)
    xtr_t, ytr_t = torch.from_numpy(xtr), torch.from_numpy(ytr)

    t1 = time.time()
    history = []
    for epoch in range(args.epochs):
        model.train()
        perm = torch.randperm(len(xtr), generator=g)
        run_loss = run_acc = 0.0
        for step in range(steps_per_epoch):
            idx = perm[step * args.batch:(step + 1) * args.batch]
            xb = augment(xtr_t[idx].float().div_(255.0).unsqueeze(1), g)
            yb = ytr_t[idx]
            logits = head(model(xb), yb)
            loss = F.cross_entropy(logits, yb)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            sched.step()
            run_loss += loss.item()
            run_acc += (logits.argmax(1) == yb).float().mean().item()
        va = accuracy(model, head, xva, yva)
        history.append({"epoch": epoch + 1, "loss": run_loss / steps_per_epoch,
                        "trainAccAugmented": run_acc / steps_per_epoch, "valAcc": va})
        print(f"epoch {epoch + 1}/{args.epochs} loss {run_loss / steps_per_epoch:.4f} "
              f"train(aug) {run_acc / steps_per_epoch:.4f} val {va:.4f} [{time.time() - t1:.0f} s]", flush=True)
    t_train = time.time() - t1

    # Export the embedder only. trace is enough: the graph has no data-dependent control
    # flow, and the batch dimension stays dynamic (checked below with a batch of 3).
    model.eval()
    example = torch.zeros(1, 1, SIZE, SIZE)
    traced = torch.jit.trace(model, example)
    check = to_float(xva[:3])
    with torch.no_grad():
        assert torch.allclose(traced(check), model(check), atol=1e-6)
    pt = os.path.join(args.out, "glyphnet-v1.pt")
    traced.save(pt)
    sha = hashlib.sha256(open(pt, "rb").read()).hexdigest()
    cmd = ("/usr/bin/python3 train_glyphnet.py --jar " + os.path.basename(args.jar)
           + f" --per-class {args.per_class} --seeds {' '.join(map(str, args.seeds))}"
           + f" --epochs {args.epochs} --batch {args.batch} --lr {args.lr}"
           + f" --train-seed {args.train_seed} --threads {args.threads} --out .")
    meta = {
        "id": MODEL_ID,
        "format": "torchscript",
        "file": "glyphnet-v1.pt",
        "sha256": sha,
        "input": {"channels": 1, "size": SIZE, "preprocessing": CONTRACT, "layout": "NCHW float32"},
        "output": "L2-normalised embedding (no classifier head)",
        "embeddingDim": EMBED_DIM,
        "parameters": n_params,
        "training": {
            "command": cmd,
            "generator": os.path.basename(args.jar),
            "generatorArgs": "--wrong 0 --junk 0 --val 0.2",
            "dataSeeds": args.seeds,
            "perClass": args.per_class,
            "trainImages": int(len(xtr)),
            "valImages": int(len(xva)),
            "trainSeed": args.train_seed,
            "epochs": args.epochs,
            "batch": args.batch,
            "optimizer": f"AdamW lr {args.lr} wd 5e-4, OneCycle",
            "loss": "CosFace (scale 16, margin 0.15) on the normalised embedding",
            "threads": args.threads,
            "trainSeconds": round(t_train, 1),
            "history": history,
        },
        "syntheticValAccuracy": history[-1]["valAcc"],
        "torchVersion": torch.__version__,
    }
    with open(os.path.join(args.out, "glyphnet-v1.json"), "w") as f:
        json.dump(meta, f, indent=2)
        f.write("\n")
    print(f"saved {pt} sha256 {sha}; training {t_train:.0f} s, total {time.time() - t0:.0f} s")


if __name__ == "__main__":
    main()
