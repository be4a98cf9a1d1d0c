"""A small CIFAR-10 in the official binary format, for machines without the shared batches.

Each record is one label byte and 3072 pixel bytes (1024 red, 1024 green, 1024 blue, row by row). The images
are smooth random colour gradients, so that pictures and convolutions of them look like something; the
labels cycle through the ten classes in a shuffled order.
"""

from __future__ import annotations

import random
from pathlib import Path

CLASSES = ["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"]


def _image(rng: random.Random) -> bytes:
    channels = []
    for _ in range(3):
        base, dx, dy = rng.randrange(256), rng.uniform(-6, 6), rng.uniform(-6, 6)
        channels.append(
            bytes(
                max(0, min(255, int(base + dx * col + dy * row + rng.gauss(0, 12))))
                for row in range(32)
                for col in range(32)
            )
        )
    return b"".join(channels)


def write_fixture(folder: Path, images_per_batch: int, seed: int = 20241017) -> None:
    """Writes test_batch.bin, data_batch_1.bin and batches.meta.txt into `folder`, unless already there."""
    if (folder / "batches.meta.txt").is_file():
        return
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    for name in ("test_batch.bin", "data_batch_1.bin"):
        records = bytearray()
        for i in range(images_per_batch):
            records.append((i * 7 + 4) % 10)
            records += _image(rng)
        (folder / name).write_bytes(records)
    (folder / "batches.meta.txt").write_text("\n".join(CLASSES) + "\n\n")
