"""The capstone (notebooks/09-train-cifar10) in PyTorch, for a side-by-side comparison: the notes' CIFAR-10 CNN
trained on the training batches present (data_batch_1 in the offline copy) with ToTensor, batch 64, shuffle,
SGD lr 0.01, evaluated on the test set after every epoch. Prints one line per epoch:
`epoch <n> train_seconds <s> train_loss <l> test_accuracy <a>`; train_seconds includes loading.

Run in the bench environment: python course_cnn_torch.py <root> <epochs>, where <root> holds
cifar-10-batches-py/ and md5.json, as bench/run.py writes them (build/bench/cifar-pickle).
"""

import json
import sys
import time
from pathlib import Path

import torch
from torch import nn
from torch.utils.data import DataLoader
from torchvision import transforms

from data_pipeline_torch import dataset_class


def course_cnn() -> nn.Module:
    return nn.Sequential(
        nn.Conv2d(3, 32, 5, padding=2), nn.MaxPool2d(2),
        nn.Conv2d(32, 32, 5, padding=2), nn.MaxPool2d(2),
        nn.Conv2d(32, 64, 5, padding=2), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(1024, 64), nn.Linear(64, 10))


def main() -> None:
    root, epochs = Path(sys.argv[1]), int(sys.argv[2])
    torch.manual_seed(0)
    cifar = dataset_class(json.loads((root / "md5.json").read_text()))
    train = DataLoader(cifar(str(root), train=True, transform=transforms.ToTensor()), batch_size=64, shuffle=True)
    test = DataLoader(cifar(str(root), train=False, transform=transforms.ToTensor()), batch_size=64)
    model, loss_fn = course_cnn(), nn.CrossEntropyLoss()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
    for epoch in range(1, epochs + 1):
        model.train()
        start, total_loss, seen = time.perf_counter(), 0.0, 0
        for imgs, targets in train:
            loss = loss_fn(model(imgs), targets)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            total_loss += loss.item() * len(targets)
            seen += len(targets)
        seconds = time.perf_counter() - start
        model.eval()
        correct = 0
        with torch.no_grad():
            for imgs, targets in test:
                correct += (model(imgs).argmax(1) == targets).sum().item()
        print(f"epoch {epoch} train_seconds {seconds:.2f} train_loss {total_loss / seen:.4f} "
              f"test_accuracy {correct / len(test.dataset):.4f}", flush=True)


if __name__ == "__main__":
    main()
