"""Export a random-init torchvision resnet18 feature extractor to TorchScript.

    /usr/bin/python3 export_resnet18.py --out resnet18-64.pt

Used by Loupe benchmarks and to test loading user-supplied models; it is also the
"untrained" baseline in evaluate_dcai.py. weights=None (no download), torch.manual_seed(0),
fc replaced by Identity so the output is the 512-d global-average-pooled feature.
Input N x 3 x 64 x 64 float (traced with 1 x 3 x 64 x 64; the batch dimension stays dynamic).
"""
import argparse

import torch
import torch.nn as nn
import torchvision


def build() -> nn.Module:
    torch.manual_seed(0)
    m = torchvision.models.resnet18(weights=None)
    m.fc = nn.Identity()
    return m.eval()  # eval: BatchNorm uses its initial running stats (mean 0, var 1)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default="resnet18-64.pt")
    args = ap.parse_args()
    torch.set_num_threads(2)
    model = build()
    with torch.no_grad():
        traced = torch.jit.trace(model, torch.zeros(1, 3, 64, 64))
        x = torch.rand(2, 3, 64, 64)
        assert traced(x).shape == (2, 512) and torch.allclose(traced(x), model(x), atol=1e-5)
    traced.save(args.out)
    print(f"saved {args.out} (resnet18, random init seed 0, 512-d output)")


if __name__ == "__main__":
    main()
