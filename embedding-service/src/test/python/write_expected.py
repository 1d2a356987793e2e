"""Writes <image>.gray64.txt (PIL's loupe-gray64-v1 8-bit result) next to every image in a directory tree.

Usage: /usr/bin/python3 write_expected.py DIR
Then compare with Java: PilParityCheck DIR (test classpath).
"""
import os
import sys

from PIL import Image

from loupe_preprocess import hex_rows, resized

EXTENSIONS = (".png", ".jpg", ".jpeg", ".gif", ".bmp")

for root, _, files in os.walk(sys.argv[1]):
    for f in sorted(files):
        if f.lower().endswith(EXTENSIONS):
            path = os.path.join(root, f)
            with Image.open(path) as im:
                expected = resized(im)
            with open(path + ".gray64.txt", "w") as out:
                out.write(hex_rows(expected))
