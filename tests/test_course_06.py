"""06-activations: ReLU then Sigmoid on the notes' input and on CIFAR-10, computed here from the definitions."""

from __future__ import annotations

import math
import re

import pytest

from executed_notebooks import (
    normalized,
    outputs_of,
    pngs_of,
    read_records,
    records_in,
    tensor_rows,
    tensorboard_log,
    text_of,
)

NAME = "06-activations.ipynb"
INPUT = [[1, -0.5], [-1, 3]]


def relu(x: float) -> float:
    return max(0.0, x)


def sigmoid(x: float) -> float:
    return 1 / (1 + math.exp(-x))


def test_four_numbers_reshape_to_one_2x2_image():
    assert text_of(outputs_of(NAME, "nb06-03")).strip() == "(1, 1, 2, 2)"


def test_relu_then_sigmoid():
    text = text_of(outputs_of(NAME, "nb06-05"))
    relu_part, sigmoid_part = text.split("relu then sigmoid:")
    assert tensor_rows(relu_part) == [[relu(x) for x in row] for row in INPUT]
    expected = [[sigmoid(relu(x)) for x in row] for row in INPUT]
    assert tensor_rows(sigmoid_part) == [pytest.approx(row, abs=5e-5) for row in expected]


def test_cifar_images_are_squeezed_into_half_to_0_73():
    outputs = outputs_of(NAME, "nb06-07")
    text = text_of(outputs)
    pixels = [p / 255 for _, image in read_records("test_batch.bin", 64) for p in image]
    low, high = min(pixels), max(pixels)
    match = re.search(r"input in \[([\d.]+), ([\d.]+)\] -> output in \[([\d.]+), ([\d.]+)\]", text)
    assert [float(v) for v in match.groups()] == pytest.approx(
        [low, high, sigmoid(relu(low)), sigmoid(relu(high))], abs=5e-5
    )
    batches = math.ceil(records_in(["test_batch.bin"]) / 64)
    assert f"{batches} batches logged" in text
    assert len(pngs_of(outputs)) == 2


def test_the_functions_are_plotted_and_logged_as_figures():
    assert len(pngs_of(outputs_of(NAME, "nb06-09"))) == 1
    assert len(pngs_of(outputs_of(NAME, "nb06-11"))) == 1
    events = tensorboard_log(NAME)
    assert sorted(events.Tags()["images"]) == ["input", "output", "relu", "sigmoid"]
    assert (events.Images("relu")[0].width, events.Images("relu")[0].height) == (500, 320)


def test_answer_1_without_relu_the_two_negatives_fall_below_a_half():
    text = text_of(outputs_of(NAME, "nb06-15"))
    sigmoid_only = tensor_rows(text.split("sigmoid only:")[1])
    assert sigmoid_only == [pytest.approx([sigmoid(x) for x in row], abs=5e-5) for row in INPUT]


def test_answer_2_tanhs_largest_slope_is_one():
    outputs = outputs_of(NAME, "nb06-17")
    assert "largest slope of tanh: 1.0000; of the sigmoid: 0.2500" in text_of(outputs)
    assert len(pngs_of(outputs)) == 1


def test_answer_3_relu_zeroes_the_normalized_values_below_their_channels_mean():
    values = [v for _, image in read_records("test_batch.bin", 8) for v in normalized(image)]
    outputs = outputs_of(NAME, "nb06-19")
    share = float(re.search(r"values ReLU set to 0: ([\d.]+)%", text_of(outputs)).group(1))
    assert share == pytest.approx(100 * sum(v < 0 for v in values) / len(values), abs=0.05)
    assert len(pngs_of(outputs)) == 1
