"""Writes CIFAR-10 binary batches in the python-pickle layout that torchvision's CIFAR10 reads.

Run by bench/run.py in the bench environment: python cifar_to_pickle.py <binary root> <out root>. Reads
<binary root>/cifar-10-batches-bin/{test_batch,data_batch_1}.bin and batches.meta.txt; writes
<out root>/cifar-10-batches-py/{test_batch,data_batch_1,batches.meta} and <out root>/md5.json.
"""

import hashlib
import json
import pickle
import sys
from pathlib import Path

import numpy as np

RECORD = 3073


def main() -> None:
    source = Path(sys.argv[1]) / "cifar-10-batches-bin"
    out = Path(sys.argv[2])
    folder = out / "cifar-10-batches-py"
    folder.mkdir(parents=True, exist_ok=True)
    checksums = {}
    for name in ("test_batch", "data_batch_1"):
        records = np.fromfile(source / f"{name}.bin", dtype=np.uint8).reshape(-1, RECORD)
        batch = {
            "batch_label": name,
            "labels": records[:, 0].astype(int).tolist(),
            "data": np.ascontiguousarray(records[:, 1:]),
            "filenames": [f"{i}.png" for i in range(len(records))],
        }
        checksums[name] = write(folder / name, batch)
    names = [line.strip() for line in (source / "batches.meta.txt").read_text().splitlines() if line.strip()]
    checksums["batches.meta"] = write(folder / "batches.meta", {"label_names": names})
    (out / "md5.json").write_text(json.dumps(checksums))


def write(path: Path, content: dict) -> str:
    data = pickle.dumps(content, protocol=2)
    path.write_bytes(data)
    return hashlib.md5(data).hexdigest()


if __name__ == "__main__":
    main()
