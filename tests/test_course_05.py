"""05-pooling: MaxPool2d(3) on the notes' 5x5 input, computed here from the definition, and over CIFAR-10."""

from __future__ import annotations

import math

from executed_notebooks import outputs_of, pngs_of, records_in, tensor_rows, tensorboard_log, text_of
from notes_inputs import INPUT_5X5 as INPUT

NAME = "05-pooling.ipynb"


def max_pool(image, size, ceil_mode):
    """Max pooling with stride = window size; in ceil mode a window may hang over the bottom/right edge."""
    n = len(image)
    count = math.ceil((n - size) / size) + 1 if ceil_mode else (n - size) // size + 1
    return [[max(image[r][c] for r in range(i * size, min(i * size + size, n))
                 for c in range(j * size, min(j * size + size, n)))
             for j in range(count)] for i in range(count)]


def test_input_is_one_5x5_image():
    assert text_of(outputs_of(NAME, "reshape(-1, 1, 5, 5)")).strip() == "(1, 1, 5, 5)"


def test_floor_mode_keeps_the_one_whole_window():
    text = text_of(outputs_of(NAME, "Block tudui = "))
    assert text.splitlines()[0] == "ND: (1, 1, 1, 1) cpu() float32"
    assert tensor_rows(text) == max_pool(INPUT, 3, ceil_mode=False) == [[2]]


def test_ceil_mode_keeps_the_partial_windows():
    text = text_of(outputs_of(NAME, "Block tuduiCeil = "))
    assert text.splitlines()[0] == "ND: (1, 1, 2, 2) cpu() float32"
    assert tensor_rows(text) == max_pool(INPUT, 3, ceil_mode=True)


def test_pooling_cifar_images_downsamples_32_to_10():
    outputs = outputs_of(NAME, "for (Batch data : dataloader)")
    text = text_of(outputs)
    assert "input (64, 3, 32, 32) -> output (64, 3, 10, 10)" in text
    assert f"values per image: {3 * 32 * 32} -> {3 * 10 * 10}" in text
    batches = math.ceil(records_in(["test_batch.bin"]) / 64)
    assert f"{batches} batches logged" in text
    assert len(pngs_of(outputs)) == 2

    events = tensorboard_log(NAME)
    assert [e.step for e in events.Images("output")] == list(range(batches))
    assert events.Images("output")[0].width == 8 * 12 + 2  # 8 images of 10 pixels per row, padded by 2
