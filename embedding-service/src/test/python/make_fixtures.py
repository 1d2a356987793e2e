"""Writes the synthetic preprocessing fixtures (PNG) and their PIL-computed expected 64x64 gray pixels.

Usage: /usr/bin/python3 make_fixtures.py ../resources/embedder/fixtures
Everything is drawn here from a fixed seed: no third-party images.
"""
import os
import sys

import numpy as np
from PIL import Image, ImageDraw

from loupe_preprocess import hex_rows, resized

rng = np.random.default_rng(20251129)


def scene(mode, size, bg):
    im = Image.new(mode, size, bg)
    d = ImageDraw.Draw(im)
    w, h = size
    for _ in range(12):
        x0, y0 = int(rng.integers(0, w)), int(rng.integers(0, h))
        x1, y1 = x0 + int(rng.integers(1, max(2, w // 2))), y0 + int(rng.integers(1, max(2, h // 2)))
        if mode in ("RGB", "RGBA"):
            fill = tuple(int(v) for v in rng.integers(0, 256, len(mode)))
        elif mode == "LA":
            fill = tuple(int(v) for v in rng.integers(0, 256, 2))
        else:
            fill = int(rng.integers(0, 256))
        [d.rectangle, d.ellipse, d.line][int(rng.integers(0, 3))]([x0, y0, x1, y1], fill=fill)
    return im


def fixtures():
    noise = Image.fromarray(rng.integers(0, 256, (61, 97, 3), dtype=np.uint8), "RGB")
    yield "rgb_noise_97x61", noise
    yield "rgba_shapes_80x120", scene("RGBA", (80, 120), (30, 200, 90, 0))
    g = np.add.outer(np.arange(150), np.arange(200) * 0.7).astype(np.uint8)
    grad = Image.fromarray(g, "L")
    ImageDraw.Draw(grad).ellipse([40, 20, 160, 120], fill=17)
    yield "gray_gradient_200x150", grad
    yield "la_shapes_50x70", scene("LA", (50, 70), (200, 128))
    pal = scene("RGB", (45, 33), (250, 10, 10)).convert("P", palette=Image.ADAPTIVE, colors=16)
    pal.info["transparency"] = 0
    yield "palette_trns_45x33", pal
    g16 = (np.add.outer(np.arange(90) * 700, np.arange(90) * 13) % 65536).astype(np.uint16)
    yield "gray16_90x90", Image.fromarray(g16, "I;16")
    yield "bilevel_129x64", scene("L", (129, 64), 255).convert("1")
    yield "exact_rgb_64x64", scene("RGB", (64, 64), (0, 0, 255))
    yield "tiny_rgb_5x3", Image.fromarray(rng.integers(0, 256, (3, 5, 3), dtype=np.uint8), "RGB")
    yield "large_scene_523x389", scene("RGB", (523, 389), (240, 240, 220))


def main(out):
    os.makedirs(out, exist_ok=True)
    for name, im in fixtures():
        path = os.path.join(out, name + ".png")
        im.save(path, transparency=im.info["transparency"]) if "transparency" in im.info else im.save(path)
        with Image.open(path) as back:
            expected = resized(back)
        with open(os.path.join(out, name + ".gray64.txt"), "w") as f:
            f.write(hex_rows(expected))
        print(name, back.mode, os.path.getsize(path))


if __name__ == "__main__":
    main(sys.argv[1])
