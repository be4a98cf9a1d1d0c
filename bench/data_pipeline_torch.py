"""Workload (a) of bench/run.py, PyTorch's side: one pass of torchvision's CIFAR10 with ToTensor through
DataLoader(batch_size=64, shuffle=True, num_workers=0), timed. Prints one line per timed pass:
`pass <seconds> <images>`.

Run by bench/run.py in the bench environment: python data_pipeline_torch.py <root> <warm-up> <passes>, where
<root> holds cifar-10-batches-py/ (the pickle layout torchvision reads) and <root>/md5.json its checksums.
"""

import json
import sys
import time
from pathlib import Path

import torch
import torchvision
from torch.utils.data import DataLoader
from torchvision import transforms


def dataset_class(checksums: dict):
    """torchvision's CIFAR10 with the checksums of the copy bench/run.py wrote; its loading code is untouched."""

    class CopiedCIFAR10(torchvision.datasets.CIFAR10):
        train_list = [[name, checksums[name]] for name in ["data_batch_1"]]
        test_list = [["test_batch", checksums["test_batch"]]]
        meta = {"filename": "batches.meta", "key": "label_names", "md5": checksums["batches.meta"]}

    return CopiedCIFAR10


def main() -> None:
    root, warm_up, passes = Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
    checksums = json.loads((root / "md5.json").read_text())
    test_set = dataset_class(checksums)(str(root), train=False, transform=transforms.ToTensor(), download=False)
    loader = DataLoader(test_set, batch_size=64, shuffle=True, num_workers=0,
                        generator=torch.Generator().manual_seed(0))
    for i in range(warm_up + passes):
        start = time.perf_counter()
        images = 0
        for imgs, _targets in loader:
            images += imgs.shape[0]
        seconds = time.perf_counter() - start
        if i >= warm_up:
            print(f"pass {seconds} {images}", flush=True)


if __name__ == "__main__":
    main()
