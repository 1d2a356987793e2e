"""Inference throughput of a TorchScript model in Python PyTorch: the peer of Loupe's DJL embedder.

    /usr/bin/python3 torch_throughput.py --model glyphnet-v1.pt --channels 1 --n 2048 --batch 64 --threads 2

Same model file, same input shape, same batch size and thread count as the Java side; inference only (random
input tensors), no_grad, best of --rounds after one warm-up round.
"""
import argparse
import time

import torch


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", required=True)
    ap.add_argument("--channels", type=int, default=1)
    ap.add_argument("--size", type=int, default=64)
    ap.add_argument("--n", type=int, default=2048)
    ap.add_argument("--batch", type=int, default=64)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    model = torch.jit.load(args.model).eval()
    batches = [torch.rand(args.batch, args.channels, args.size, args.size) for _ in range(args.n // args.batch)]
    best = float("inf")
    with torch.no_grad():
        for _ in range(args.rounds + 1):
            start = time.perf_counter()
            for b in batches:
                model(b)
            best = min(best, time.perf_counter() - start)
    n = len(batches) * args.batch
    print(f"python torch {torch.__version__} {args.model}: {n} images in {best:.2f} s = {n / best:.1f} images/s")


if __name__ == "__main__":
    main()
