"""PyTorch's side of bench/run.py: the same workloads as bench/CourseBench.java, written the way the notes
write them, timed pass by pass.

    python course_bench_torch.py WORKLOAD ROOT WARM_UP_SECONDS PASSES

ROOT holds cifar-10-batches-py/ (the pickle layout torchvision reads) and md5.json, as bench/cifar_to_pickle.py
writes them. Workloads: pipeline, conv, pool, activations, epoch, logged-epoch (see CourseBench.java). Prints the
first pass as `first <seconds> <images>`, runs untimed passes until WARM_UP_SECONDS have passed, then prints one
line per timed pass, `pass <seconds> <images>`. The epochs have no warm-up: the first line is the first epoch,
then PASSES more epochs; they also print `rss <bytes>` after every epoch and `peak <bytes>` at the end (VmRSS and
VmHWM).
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path

import torch
import torchvision
from torch import nn
from torch.utils.data import DataLoader
from torch.utils.tensorboard import SummaryWriter
from torchvision import transforms


def dataset_class(checksums: dict):
    """torchvision's CIFAR10 with the checksums of the copy bench/run.py wrote; its loading code is untouched."""

    class CopiedCIFAR10(torchvision.datasets.CIFAR10):
        train_list = [["data_batch_1", checksums["data_batch_1"]]]
        test_list = [["test_batch", checksums["test_batch"]]]
        meta = {"filename": "batches.meta", "key": "label_names", "md5": checksums["batches.meta"]}

    return CopiedCIFAR10


def cifar(root: Path, train: bool):
    checksums = json.loads((root / "md5.json").read_text())
    return dataset_class(checksums)(str(root), train=train, transform=transforms.ToTensor(), download=False)


def course_cnn() -> nn.Module:
    """The notes' CIFAR-10 model (lib's CourseCnn)."""
    return nn.Sequential(
        nn.Conv2d(3, 32, 5, padding=2),
        nn.MaxPool2d(2),
        nn.Conv2d(32, 32, 5, padding=2),
        nn.MaxPool2d(2),
        nn.Conv2d(32, 64, 5, padding=2),
        nn.MaxPool2d(2),
        nn.Flatten(),
        nn.Linear(1024, 64),
        nn.Linear(64, 10),
    )


def report(kind: str, start: float, images: int) -> None:
    print(f"{kind} {time.perf_counter() - start} {images}", flush=True)


def run_passes(one_pass, warm_up_seconds: float, passes: int) -> None:
    """The first pass, untimed passes for `warm_up_seconds`, then `passes` timed ones; one_pass returns images."""
    start = time.perf_counter()
    report("first", start, one_pass())
    while time.perf_counter() - start < warm_up_seconds:
        one_pass()
    for _ in range(passes):
        pass_start = time.perf_counter()
        report("pass", pass_start, one_pass())


def proc_status(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return 1024 * int(line.split()[1])
    raise OSError(f"{field} not in /proc/self/status")


def pipeline(root: Path, warm_up_seconds: float, passes: int) -> None:
    loader = DataLoader(
        cifar(root, train=False), batch_size=64, shuffle=True, num_workers=0, generator=torch.Generator().manual_seed(0)
    )
    run_passes(lambda: sum(imgs.shape[0] for imgs, _targets in loader), warm_up_seconds, passes)


def layer(root: Path, warm_up_seconds: float, passes: int, module: nn.Module) -> None:
    torch.manual_seed(0)
    batches = [imgs for imgs, _targets in DataLoader(cifar(root, train=False), batch_size=64)]
    with torch.no_grad():
        run_passes(lambda: sum(module(imgs).shape[0] for imgs in batches), warm_up_seconds, passes)


def epochs(root: Path, count: int, writer: SummaryWriter | None = None) -> None:
    """The capstone's loop, as lib's ClassifierLoop.trainEpoch runs it: loss and accuracy of every batch. With a
    writer, as (h) logs it: the loss every step, the epoch's loss and accuracy every epoch."""
    torch.manual_seed(0)
    step = 0
    start = time.perf_counter()
    loader = DataLoader(
        cifar(root, train=True), batch_size=64, shuffle=True, generator=torch.Generator().manual_seed(0)
    )
    model, loss_fn = course_cnn(), nn.CrossEntropyLoss()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
    model.train()
    for epoch in range(count):
        loss_sum, correct, images = 0.0, 0, 0
        for imgs, targets in loader:
            scores = model(imgs)
            loss = loss_fn(scores, targets)
            optimizer.zero_grad()
            loss.backward()
            loss_sum += loss.item() * len(targets)
            correct += (scores.argmax(1) == targets).sum().item()
            optimizer.step()
            images += len(targets)
            step += 1
            if writer:
                writer.add_scalar("loss/train_step", loss.item(), step)
        if writer:
            writer.add_scalar("loss/train", loss_sum / images, epoch + 1)
            writer.add_scalar("accuracy/train", correct / images, epoch + 1)
        report("first" if epoch == 0 else "pass", start, images)
        print(f"rss {proc_status('VmRSS')}", flush=True)
        start = time.perf_counter()
    print(f"peak {proc_status('VmHWM')}", flush=True)


def main() -> None:
    workload, root, warm_up, passes = sys.argv[1], Path(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4])
    if workload == "pipeline":
        pipeline(root, warm_up, passes)
    elif workload == "conv":
        layer(root, warm_up, passes, nn.Conv2d(3, 6, 3))
    elif workload == "pool":
        layer(root, warm_up, passes, nn.MaxPool2d(3, ceil_mode=True))
    elif workload == "activations":
        layer(root, warm_up, passes, nn.Sequential(nn.ReLU(), nn.Sigmoid()))
    elif workload == "epoch":
        epochs(root, 1 + passes)
    elif workload == "logged-epoch":
        with tempfile.TemporaryDirectory() as logs, SummaryWriter(logs) as writer:
            epochs(root, 1 + passes, writer)
    else:
        sys.exit(f"unknown workload {workload}")


if __name__ == "__main__":
    main()
