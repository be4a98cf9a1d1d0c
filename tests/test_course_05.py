"""05-pooling: MaxPool2d(3) on the notes' 5x5 input, computed here from the definition, and over CIFAR-10."""

from __future__ import annotations

import math
import re

import pytest

from executed_notebooks import outputs_of, pngs_of, read_records, records_in, tensor_rows, tensorboard_log, text_of
from notes_inputs import INPUT_5X5 as INPUT

NAME = "05-pooling.ipynb"


def max_pool(image, size, ceil_mode):
    """Max pooling with stride = window size; in ceil mode a window may hang over the bottom/right edge."""
    n = len(image)
    count = math.ceil((n - size) / size) + 1 if ceil_mode else (n - size) // size + 1
    return [
        [
            max(
                image[r][c]
                for r in range(i * size, min(i * size + size, n))
                for c in range(j * size, min(j * size + size, n))
            )
            for j in range(count)
        ]
        for i in range(count)
    ]


def test_input_is_one_5x5_image():
    assert text_of(outputs_of(NAME, "nb05-03")).strip() == "(1, 1, 5, 5)"


def test_floor_mode_keeps_the_one_whole_window():
    text = text_of(outputs_of(NAME, "nb05-05"))
    assert text.splitlines()[0] == "ND: (1, 1, 1, 1) cpu() float32"
    assert tensor_rows(text) == max_pool(INPUT, 3, ceil_mode=False) == [[2]]


def test_ceil_mode_keeps_the_partial_windows():
    text = text_of(outputs_of(NAME, "nb05-07"))
    assert text.splitlines()[0] == "ND: (1, 1, 2, 2) cpu() float32"
    assert tensor_rows(text) == max_pool(INPUT, 3, ceil_mode=True)


def test_pooling_cifar_images_downsamples_32_to_10():
    outputs = outputs_of(NAME, "nb05-09")
    text = text_of(outputs)
    assert "input (64, 3, 32, 32) -> output (64, 3, 10, 10)" in text
    assert f"values per image: {3 * 32 * 32} -> {3 * 10 * 10}" in text
    batches = math.ceil(records_in(["test_batch.bin"]) / 64)
    assert f"{batches} batches logged" in text
    assert len(pngs_of(outputs)) == 2

    events = tensorboard_log(NAME)
    assert [e.step for e in events.Images("output")] == list(range(batches))
    assert events.Images("output")[0].width == 8 * 12 + 2  # 8 images of 10 pixels per row, padded by 2


def test_pooling_shrinks_the_dense_layers_weights_and_leaves_the_convolutions_alone():
    text = text_of(outputs_of(NAME, "nb05-21"))
    without, pooled = text.split("with a 3x3 max pool before Flatten:")
    conv_out = 32 - 3 + 1  # a 3x3 kernel without padding fits 30 times across 32 pixels; a 3x3 pool leaves 30 // 3
    for part, positions in ((without, conv_out**2), (pooled, (conv_out // 3) ** 2)):
        sizes = [int(n.replace(",", "")) for n in re.findall(r"^  \S+ +\([\d, ]+\) +([\d,]+)$", part, re.M)]
        assert sizes == [6 * 3 * 3 * 3, 6, 10 * 6 * positions, 10], part  # the convolution's are the same
        assert int(re.search(r"total ([\d,]+)", part).group(1).replace(",", "")) == sum(sizes)


def test_answer_1_a_2x2_pool_with_and_without_ceil_mode():
    text = text_of(outputs_of(NAME, "nb05-13"))
    floor_part, ceil_part = text.split("ceil_mode=True:")
    assert tensor_rows(floor_part) == max_pool(INPUT, 2, ceil_mode=False) == [[2, 3], [5, 3]]
    assert tensor_rows(ceil_part) == max_pool(INPUT, 2, ceil_mode=True)


def test_answer_2_average_pooling_is_darker_than_max_pooling():
    outputs = outputs_of(NAME, "nb05-15")
    pixels = [[p / 255 for p in image] for _, image in read_records("test_batch.bin", 8)]

    def pooled_mean(pool) -> float:
        values = []
        for image in pixels:
            for channel in range(3):
                plane = [image[channel * 1024 + r * 32 : channel * 1024 + r * 32 + 32] for r in range(32)]
                values += [
                    pool([plane[r][c] for r in range(3 * i, 3 * i + 3) for c in range(3 * j, 3 * j + 3)])
                    for i in range(10)
                    for j in range(10)
                ]
        return sum(values) / len(values)

    brightness = re.search(r"mean brightness: max-pooled ([\d.]+), average-pooled ([\d.]+)", text_of(outputs))
    assert [float(v) for v in brightness.groups()] == pytest.approx(
        [pooled_mean(max), pooled_mean(lambda window: sum(window) / 9)], abs=5e-4
    )
    assert len(pngs_of(outputs)) == 1


def test_answer_3_pooling_twice_leaves_27_values():
    text = text_of(outputs_of(NAME, "nb05-17"))
    assert "input (8, 3, 32, 32) -> (8, 3, 10, 10) -> (8, 3, 3, 3)" in text
    assert "values per image: 27" in text
