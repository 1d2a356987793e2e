"""Reference implementation of the Loupe preprocessing contracts (PIL), the ground truth the Java Preprocessor
must reproduce bit for bit.

loupe-gray<S>-v1 (loupe-gray64-v1 by default):
  1. decode; 16-bit samples keep their high byte; anything with alpha (RGBA, LA, palette or RGB/L with a
     transparency chunk) is alpha-composited over opaque white; then PIL convert("L")
     (L = (R*19595 + G*38470 + B*7471 + 0x8000) >> 16 in Pillow 9.4);
  2. pad to a square white (255) canvas, image at ((side-w)//2, (side-h)//2);
  3. resize to SxS with Image.BILINEAR (antialiased triangle filter, 8-bit intermediate);
  4. x = 1 - v/255 as float32, layout C x S x S; optional per-channel (x - mean) / std.
loupe-rgb<S>-v1: the same with convert("RGB") instead of convert("L") (C = 3).

Run with Debian's /usr/bin/python3 (python3-pil 9.4, python3-numpy).
"""
import numpy as np
from PIL import Image

_SIXTEEN_BIT = ("I;16", "I;16B", "I;16L", "I;16N", "I")


def decode(im, color="L"):
    if im.mode in _SIXTEEN_BIT:
        im = Image.fromarray((np.asarray(im).astype(np.uint32) >> 8).astype(np.uint8), "L")
    has_alpha = im.mode in ("RGBA", "LA", "PA") or im.info.get("transparency") is not None
    if has_alpha:
        rgba = im.convert("RGBA")
        im = Image.alpha_composite(Image.new("RGBA", im.size, (255, 255, 255, 255)), rgba)
    return im.convert(color)


def resized(im, size=64, color="L"):
    """Steps 1-3: the 8-bit SxS image."""
    im = decode(im, color)
    w, h = im.size
    side = max(w, h)
    canvas = Image.new(color, (side, side), 255 if color == "L" else (255, 255, 255))
    canvas.paste(im, ((side - w) // 2, (side - h) // 2))
    return canvas.resize((size, size), Image.BILINEAR)


def tensor(im, size=64, color="L", channels=1, mean=None, std=None):
    """Step 4: float32 C x S x S."""
    r = np.asarray(resized(im, size, color), dtype=np.float32)
    x = 1 - r / 255
    x = x[None, :, :] if x.ndim == 2 else x.transpose(2, 0, 1)
    if channels == 3 and x.shape[0] == 1:
        x = np.repeat(x, 3, axis=0)
    if mean is not None:
        x = (x - np.asarray(mean, np.float32)[:, None, None]) / np.asarray(std, np.float32)[:, None, None]
    return x.astype(np.float32)


def hex_rows(img):
    """Expected-values format: one line per row, two hex digits per pixel (per channel for RGB)."""
    a = np.asarray(img, dtype=np.uint8)
    return "\n".join(row.tobytes().hex() for row in a.reshape(a.shape[0], -1)) + "\n"
