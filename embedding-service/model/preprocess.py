"""Preprocessing contract "loupe-gray64-v1" (shared by training, evaluation and fixtures).

The Java side (embedding-service) re-implements exactly this, so it is kept simple:

1. Decode the file. Images with an alpha channel (RGBA, LA, or palette images with
   transparency) are composited over opaque white first. Then convert to 8-bit grey
   with PIL ``convert("L")``; for RGB that is L = (R*19595 + G*38470 + B*7471 + 0x8000) >> 16.
   Mode "L" input passes through unchanged. (16-bit grey PNGs are out of contract:
   PIL clips rather than rescales them.) No EXIF orientation is applied.
2. Pad to a square canvas of side s = max(w, h) filled with 255, the image pasted at
   (floor((s - w) / 2), floor((s - h) / 2)).
3. Resize to 64x64 with ``Image.resize((64, 64), Image.BILINEAR)``. Pillow implements this
   as an antialiased separable triangle filter in 8-bit fixed point; see
   ``pil_bilinear_resize_reference`` below for a line-by-line spec the Java side can port
   (it is checked bit-exact against PIL in ``__main__``).
4. x = 1 - pixel / 255 as float32 (ink is high, background 0). No mean/std.
   The model input is N x 1 x 64 x 64.
"""
import io
import math

import numpy as np
from PIL import Image

CONTRACT = "loupe-gray64-v1"
SIZE = 64


def to_gray(im: Image.Image) -> Image.Image:
    """Step 1: 8-bit grey; transparent pixels become white, not black."""
    has_alpha = im.mode in ("RGBA", "LA", "La", "RGBa", "PA") or (
        im.mode == "P" and "transparency" in im.info)
    if has_alpha:
        rgba = im.convert("RGBA")
        white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        im = Image.alpha_composite(white, rgba)
    return im.convert("L")


def pad_square(im: Image.Image) -> Image.Image:
    """Step 2: centre on a white square canvas (floor offsets)."""
    w, h = im.size
    s = max(w, h)
    if w == h:
        return im
    canvas = Image.new("L", (s, s), 255)
    canvas.paste(im, ((s - w) // 2, (s - h) // 2))
    return canvas


def preprocess_image(im: Image.Image) -> np.ndarray:
    g = pad_square(to_gray(im))
    g = g.resize((SIZE, SIZE), Image.BILINEAR)
    return (1.0 - np.asarray(g, dtype=np.float32) / 255.0).astype(np.float32)


def preprocess(path_or_bytes) -> np.ndarray:
    """loupe-gray64-v1: file path or encoded bytes -> float32[64, 64], ink high."""
    if isinstance(path_or_bytes, (bytes, bytearray, memoryview)):
        src = io.BytesIO(bytes(path_or_bytes))
    else:
        src = path_or_bytes
    with Image.open(src) as im:
        im.load()
        return preprocess_image(im)


# --------------------------------------------------------------------------------------
# Reference of Pillow's resize(BILINEAR) for 8-bit grey (Pillow src/libImaging/Resample.c).
# Written out so the Java port has something exact to follow; slow, for checks only.
PRECISION_BITS = 32 - 8 - 2  # 22


def _coeffs(in_size: int, out_size: int):
    """Per output pixel: first input index, count, and fixed-point int weights."""
    scale = in_size / out_size                 # double
    filterscale = max(scale, 1.0)              # antialias only when shrinking
    support = 1.0 * filterscale                # triangle filter has support 1
    out = []
    for xx in range(out_size):
        center = (xx + 0.5) * scale
        ss = 1.0 / filterscale
        xmin = max(int(center - support + 0.5), 0)       # C (int) cast = trunc
        xmax = min(int(center + support + 0.5), in_size) - xmin
        w = []
        for x in range(xmax):
            t = abs((x + xmin - center + 0.5) * ss)
            w.append(1.0 - t if t < 1.0 else 0.0)
        ww = sum(w)                               # summed left to right, in double
        if ww != 0.0:
            w = [v / ww for v in w]
        # round half away from zero to 22-bit fixed point (weights are >= 0 here)
        k = [int(-0.5 + v * (1 << PRECISION_BITS)) if v < 0 else int(0.5 + v * (1 << PRECISION_BITS))
             for v in w]
        out.append((xmin, k))
    return out


def _pass(img: np.ndarray, coeffs) -> np.ndarray:
    """One 1-D pass along axis 1 of a uint8 image; result is uint8 (rounded, clipped)."""
    rows = img.astype(np.int64)
    res = np.empty((img.shape[0], len(coeffs)), dtype=np.uint8)
    for xx, (xmin, k) in enumerate(coeffs):
        acc = np.full(img.shape[0], 1 << (PRECISION_BITS - 1), dtype=np.int64)
        for i, kv in enumerate(k):
            acc += rows[:, xmin + i] * kv
        res[:, xx] = np.clip(acc >> PRECISION_BITS, 0, 255)   # arithmetic shift, then clip
    return res


def pil_bilinear_resize_reference(img: np.ndarray, out_w: int = SIZE, out_h: int = SIZE) -> np.ndarray:
    """uint8[h, w] -> uint8[out_h, out_w], bit-identical to PIL resize(BILINEAR).

    Horizontal pass first (skipped if the width is unchanged), then vertical pass
    (skipped if the height is unchanged); the intermediate image is uint8.
    """
    h, w = img.shape
    if out_w != w:
        img = _pass(img, _coeffs(w, out_w))
    if out_h != h:
        img = _pass(img.T, _coeffs(h, out_h)).T
    return np.ascontiguousarray(img)


if __name__ == "__main__":
    # Self-check: the reference resize equals PIL on the given images (paths as args).
    import sys
    n = 0
    for p in sys.argv[1:]:
        with Image.open(p) as im:
            sq = pad_square(to_gray(im))
        ref = pil_bilinear_resize_reference(np.asarray(sq))
        pil = np.asarray(sq.resize((SIZE, SIZE), Image.BILINEAR))
        if not np.array_equal(ref, pil):
            print("MISMATCH", p, int(np.abs(ref.astype(int) - pil).max()))
            sys.exit(1)
        n += 1
    print(f"reference resize bit-identical to PIL on {n} images")
