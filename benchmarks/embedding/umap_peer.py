"""The peer of Loupe's map benchmark: umap-learn on the same vector file, then both maps scored alike.

Usage: /usr/bin/python3 umap_peer.py --vectors v.f32 --sizes 3000,10000 --loupe-maps maps/loupe --out maps/umap
Prints one PEER line per size (umap-learn's time) and one QUALITY line per size and tool:
  - knn-preserved: mean share of a point's 15 nearest neighbours in the vectors that are among its 15 nearest
    on the map (1000 sampled points);
  - label-agreement: share of points whose given label is the majority of their 10 nearest on the map.
"""
import argparse
import time

import numpy as np


def read(path):
    raw = np.fromfile(path, dtype="<f4")
    n, d = raw[:2].view("<i4")
    return raw[2:2 + n * d].reshape(n, d)


def scores(vectors, xy, labels, rng):
    from sklearn.neighbors import NearestNeighbors
    sample = rng.choice(len(vectors), size=min(1000, len(vectors)), replace=False)
    high = NearestNeighbors(n_neighbors=16).fit(vectors).kneighbors(vectors[sample], return_distance=False)[:, 1:]
    low_index = NearestNeighbors(n_neighbors=16).fit(xy)
    low = low_index.kneighbors(xy[sample], return_distance=False)[:, 1:]
    preserved = np.mean([len(set(h) & set(l)) / 15.0 for h, l in zip(high, low)])
    near = low_index.kneighbors(xy, n_neighbors=11, return_distance=False)[:, 1:]
    agree = 0
    for i, row in enumerate(near):
        values, counts = np.unique(labels[row], return_counts=True)
        agree += values[np.argmax(counts)] == labels[i]
    return preserved, agree / len(vectors)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--vectors", required=True)
    parser.add_argument("--sizes", default="3000,10000,100000")
    parser.add_argument("--loupe-maps", required=True)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    import umap  # noqa: imported late so that --help works without it

    vectors = read(args.vectors)
    labels = np.array([line.split(",")[1] for line in open(args.vectors + ".labels").read().splitlines()])
    # Warm-up (numba compiles UMAP's kernels on first use), like the JVM warm-up on the Java side; not timed.
    umap.UMAP(n_neighbors=15, n_components=2, min_dist=0.1, n_epochs=200).fit_transform(vectors[:1000])
    rng = np.random.default_rng(7)
    for n in [int(s) for s in args.sizes.split(",")]:
        x = vectors[:n]
        started = time.perf_counter()
        # Same settings as Loupe's MapProjector: 15 neighbours, 2-D, min_dist 0.1, 200 epochs; no random_state,
        # which would switch umap-learn's parallelism off.
        xy = umap.UMAP(n_neighbors=15, n_components=2, min_dist=0.1, n_epochs=200).fit_transform(x)
        seconds = time.perf_counter() - started
        print(f"PEER n={n} umap-learn {umap.__version__ if hasattr(umap, '__version__') else ''} map {seconds:.2f} s", flush=True)
        xy.astype("<f4").tofile(f"{args.out}-{n}.raw")
        loupe = read(f"{args.loupe_maps}-{n}.f32")
        for tool, m in (("loupe", loupe), ("umap-learn", xy)):
            preserved, agreement = scores(x, np.asarray(m, dtype=np.float64), labels[:n], rng)
            print(f"QUALITY n={n} {tool}: knn-preserved {preserved:.4f}, label-agreement {agreement:.4f}", flush=True)


if __name__ == "__main__":
    main()
