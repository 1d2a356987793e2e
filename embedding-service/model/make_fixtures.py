"""Regenerate fixtures/ for the Java test suite (preprocessing + DJL inference checks).

    /usr/bin/python3 make_fixtures.py --jar loupe-synthetic-0.1.0-SNAPSHOT.jar

Five SYNTHETIC images from Loupe's generator (seed 9001, 1 per class; no DCAI data), copied
as fixtures/<cls>.png, and fixtures/expected.json with, per image: the sum of the
preprocessed 64x64 tensor (loupe-gray64-v1), values at fixed (row, col) coordinates, and
the glyphnet-v1 embedding (first 8 values, plus all 64 for convenience).
Each image is embedded alone (batch of 1), as the Java side will most likely do.
"""
import argparse
import hashlib
import json
import os
import subprocess
import tempfile
import zipfile

import numpy as np
import torch

from preprocess import CONTRACT, preprocess

JAVA = "/usr/lib/jvm/temurin-25-jdk-amd64/bin/java"
PICK = ["i", "iv", "vi", "viii", "x"]   # 5 of the 10 classes; varied shapes
COORDS = [(0, 0), (16, 16), (16, 48), (32, 32), (32, 20), (40, 44), (48, 16), (63, 63)]
SEED = 9001


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--jar", default="loupe-synthetic-0.1.0-SNAPSHOT.jar")
    ap.add_argument("--model", default="glyphnet-v1.pt")
    ap.add_argument("--out", default="fixtures")
    args = ap.parse_args()
    torch.set_num_threads(2)
    os.makedirs(args.out, exist_ok=True)
    model = torch.jit.load(args.model).eval()

    with tempfile.TemporaryDirectory() as tmp:
        z = os.path.join(tmp, "fx.zip")
        subprocess.run([JAVA, "-jar", args.jar, "--out", z, "--per-class", "1", "--seed", str(SEED),
                        "--wrong", "0", "--junk", "0", "--val", "0"], check=True)
        with zipfile.ZipFile(z) as zf:
            names = sorted(n for n in zf.namelist() if n.endswith(".png"))
            blobs = {n.split("/")[1]: zf.read(n) for n in names}

    items = []
    for cls in PICK:
        b = blobs[cls]
        fname = f"{cls}.png"
        with open(os.path.join(args.out, fname), "wb") as f:
            f.write(b)
        x = preprocess(b)
        with torch.no_grad():
            emb = model(torch.from_numpy(x)[None, None])[0].numpy()
        from PIL import Image
        import io
        w, h = Image.open(io.BytesIO(b)).size
        items.append({
            "file": fname,
            "md5": hashlib.md5(b).hexdigest(),
            "width": w, "height": h,
            "label": cls,
            "tensorSum": float(x.astype(np.float64).sum()),
            "nonZero": int((x != 0).sum()),
            "samples": [{"row": r, "col": c, "value": float(x[r, c]),
                         "pixel": int(round((1.0 - float(x[r, c])) * 255))} for r, c in COORDS],
            # Fixed coordinates are mostly background on small numerals, so also sample
            # 6 ink pixels: evenly spaced through the non-zero positions in row-major order.
            "inkSamples": [{"row": int(r), "col": int(c), "value": float(x[r, c]),
                            "pixel": int(round((1.0 - float(x[r, c])) * 255))}
                           for r, c in np.argwhere(x != 0)[np.linspace(0, (x != 0).sum() - 1, 6).astype(int)]],
            "embeddingFirst8": [float(v) for v in emb[:8]],
            "embedding": [float(v) for v in emb],
        })
    meta = {
        "preprocessing": CONTRACT,
        "model": "loupe-glyphnet-v1",
        "modelSha256": hashlib.sha256(open(args.model, "rb").read()).hexdigest(),
        "generator": f"{os.path.basename(args.jar)} --per-class 1 --seed {SEED} --wrong 0 --junk 0 --val 0",
        "notes": "value = 1 - pixel/255 in float32 at [row][col] of the 64x64 tensor; pixel = the uint8 after "
                 "PIL resize. Embeddings from a batch of 1 on CPU (torch " + torch.__version__ + "); "
                 "compare with a tolerance of ~1e-5 (different kernels round differently).",
        "images": items,
    }
    with open(os.path.join(args.out, "expected.json"), "w") as f:
        json.dump(meta, f, indent=2)
        f.write("\n")
    print(f"wrote {len(items)} fixtures to {args.out}/")


if __name__ == "__main__":
    main()
