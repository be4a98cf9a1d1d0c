"""04-convolution: the notes' 5x5 example, computed here from the definition of a 2-D convolution."""

from __future__ import annotations

import math
import re

from executed_notebooks import outputs_of, pngs_of, records_in, tensor_rows, tensorboard_log, text_of
from notes_inputs import INPUT_5X5 as INPUT

NAME = "04-convolution.ipynb"
KERNEL = [[1, 2, 1], [0, 1, 0], [2, 1, 0]]


def conv2d(image, kernel, stride=1, padding=0, dilation=1):
    """Cross-correlation, as F.conv2d defines it, of one channel."""
    size = len(image) + 2 * padding
    padded = [[0] * size for _ in range(size)]
    for r, row in enumerate(image):
        for c, value in enumerate(row):
            padded[r + padding][c + padding] = value
    span = dilation * (len(kernel) - 1) + 1
    positions = range(0, size - span + 1, stride)
    return [
        [
            sum(
                kernel[i][j] * padded[r + i * dilation][c + j * dilation]
                for i in range(len(kernel))
                for j in range(len(kernel))
            )
            for c in positions
        ]
        for r in positions
    ]


def printed(cell_id: str) -> tuple[str, list[list[float]]]:
    text = text_of(outputs_of(NAME, cell_id))
    return text.splitlines()[0], tensor_rows(text)


def test_input_and_kernel_are_reshaped_to_4d():
    assert text_of(outputs_of(NAME, "nb04-03")).split("\n")[:2] == [
        "(1, 1, 5, 5)",
        "(1, 1, 3, 3)",
    ]


def test_stride_1_gives_a_3x3_result():
    header, rows = printed("nb04-05")
    assert header == "ND: (1, 1, 3, 3) cpu() int32"
    assert rows == conv2d(INPUT, KERNEL, stride=1)


def test_stride_2_gives_a_2x2_result():
    header, rows = printed("nb04-07")
    assert header == "ND: (1, 1, 2, 2) cpu() int32"
    assert rows == conv2d(INPUT, KERNEL, stride=2)


def test_padding_1_keeps_the_5x5_size():
    header, rows = printed("nb04-09")
    assert header == "ND: (1, 1, 5, 5) cpu() int32"
    assert rows == conv2d(INPUT, KERNEL, stride=1, padding=1)


def test_dilation_2_fits_once():
    header, rows = printed("nb04-11")
    assert header == "ND: (1, 1, 1, 1) cpu() int32"
    assert rows == conv2d(INPUT, KERNEL, dilation=2)


def test_the_layer_maps_64x3x32x32_to_64x6x30x30_and_logs_every_batch():
    outputs = outputs_of(NAME, "nb04-15")
    text = text_of(outputs)
    assert "input (64, 3, 32, 32) -> output (64, 6, 30, 30)" in text
    batches = math.ceil(records_in(["test_batch.bin"]) / 64)
    assert f"{batches} batches logged" in text
    assert len(pngs_of(outputs)) == 2  # the first input grid and the first output grid

    events = tensorboard_log(NAME)
    assert [e.step for e in events.Images("input")] == list(range(batches))
    assert [e.step for e in events.Images("output")] == list(range(batches))
    assert events.Images("output")[0].width == 8 * 32 + 2  # 8 images of 30 pixels per row, padded by 2


def test_the_layers_weights_start_as_pytorchs_within_one_over_the_root_of_fan_in():
    text = text_of(outputs_of(NAME, "nb04-13"))
    bound = 1 / math.sqrt(3 * 3 * 3)
    weight = re.search(r"conv1_weight \(6, 3, 3, 3\) in \[(-?[\d.]+), (-?[\d.]+)\]", text).groups()
    low, high = (float(v) for v in weight)
    assert -bound <= low < -0.8 * bound and 0.8 * bound < high <= bound  # 162 uniform draws reach near the bound
    assert re.search(r"conv1_bias \(6\) in \[0\.0000, 0\.0000\]", text)
    assert f"1/sqrt(27) = {bound:.4f}" in text


def test_answer_1_padding_2_keeps_32_by_32():
    assert text_of(outputs_of(NAME, "nb04-19")).splitlines() == [
        "predicted: (1, 6, 32, 32)",
        "DJL:       (1, 6, 32, 32)",
    ]


def test_answer_2_sums_the_bottom_right_products():
    text = text_of(outputs_of(NAME, "nb04-21"))
    expected = conv2d(INPUT, KERNEL, stride=2)[1][1]
    products = " + ".join(f"{KERNEL[r][c]}·{INPUT[2 + r][2 + c]}" for r in range(3) for c in range(3))
    assert text.splitlines() == [f"{products} = {expected}", f"output2's bottom-right: {expected}"]


def test_answer_3_shows_both_halves_of_the_channels_and_logs_the_last_three():
    assert len(pngs_of(outputs_of(NAME, "nb04-23"))) == 1
    assert [e.step for e in tensorboard_log(NAME).Images("output, channels 3-5")] == [0]
