"""Traces the two tiny TorchScript test models and records what they output for the preprocessing fixtures.

Usage: /usr/bin/python3 make_tiny_models.py ../resources/embedder
Writes models/tiny_gray.pt, models/tiny_rgb.pt and models/expected_embeddings.txt
(one line per model and fixture: model, fixture, then the raw, un-normalised output values).

The Java test feeds the same fixture PNGs through the Java preprocessing and DJL; matching values prove the model
really runs on our preprocessing.
"""
import os
import sys

import torch
from PIL import Image

from loupe_preprocess import tensor

RGB_MEAN = [0.2, 0.3, 0.4]
RGB_STD = [0.5, 0.25, 0.2]
FIXTURES = ["rgb_noise_97x61", "rgba_shapes_80x120", "gray_gradient_200x150", "large_scene_523x389"]


class TinyGray(torch.nn.Module):
    """1x64x64 -> (logits[3], embedding[8]): a two-output model, the embedding is output 1."""

    def __init__(self):
        super().__init__()
        self.features = torch.nn.Sequential(
            torch.nn.Conv2d(1, 4, 3, stride=2), torch.nn.ReLU(),
            torch.nn.Conv2d(4, 8, 3, stride=2), torch.nn.Tanh(),
            torch.nn.AdaptiveAvgPool2d(1), torch.nn.Flatten())
        self.head = torch.nn.Linear(8, 3)

    def forward(self, x):
        e = self.features(x)
        return self.head(e), e


class TinyRgb(torch.nn.Module):
    """3x64x64 -> embedding [5, 1, 1] (unflattened pooled map, the Java side flattens)."""

    def __init__(self):
        super().__init__()
        self.features = torch.nn.Sequential(
            torch.nn.Conv2d(3, 6, 5, stride=3), torch.nn.Tanh(),
            torch.nn.Conv2d(6, 5, 3, stride=2), torch.nn.AdaptiveMaxPool2d(1))

    def forward(self, x):
        return self.features(x)


def main(out):
    torch.manual_seed(1234)
    models_dir = os.path.join(out, "models")
    os.makedirs(models_dir, exist_ok=True)
    gray, rgb = TinyGray().eval(), TinyRgb().eval()
    with torch.no_grad():
        traced_gray = torch.jit.trace(gray, torch.rand(2, 1, 64, 64))
        traced_rgb = torch.jit.trace(rgb, torch.rand(2, 3, 64, 64))
    traced_gray.save(os.path.join(models_dir, "tiny_gray.pt"))
    traced_rgb.save(os.path.join(models_dir, "tiny_rgb.pt"))
    lines = []
    for name in FIXTURES:
        with Image.open(os.path.join(out, "fixtures", name + ".png")) as im:
            g = torch.from_numpy(tensor(im))[None]
            r = torch.from_numpy(tensor(im, color="RGB", channels=3, mean=RGB_MEAN, std=RGB_STD))[None]
        with torch.no_grad():
            eg = traced_gray(g)[1][0]
            er = traced_rgb(r)[0].flatten()
        lines.append("tiny_gray %s %s" % (name, " ".join("%.9g" % v for v in eg.tolist())))
        lines.append("tiny_rgb %s %s" % (name, " ".join("%.9g" % v for v in er.tolist())))
    with open(os.path.join(models_dir, "expected_embeddings.txt"), "w") as f:
        f.write("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main(sys.argv[1])
