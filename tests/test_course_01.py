"""01-datasets: the values the notes print, checked against the CIFAR-10 files the notebook read."""

from __future__ import annotations

import re

import pytest

from conftest import png_size
from executed_notebooks import (
    class_names,
    normalized,
    outputs_of,
    pngs_of,
    read_records,
    records_in,
    tensor_rows,
    tensorboard_log,
    text_of,
)

NAME = "01-datasets.ipynb"
TRAIN_FILES = [f"data_batch_{i}.bin" for i in range(1, 6)]


def test_the_pipeline_is_compose_of_to_tensor():
    assert text_of(outputs_of(NAME, "nb01-03")).strip() == "Compose(ToTensor())"


def test_split_sizes_are_the_images_in_the_files():
    text = text_of(outputs_of(NAME, "nb01-05"))
    assert f"train_set: {records_in(TRAIN_FILES)} images" in text
    assert f"test_set: {records_in(['test_batch.bin'])} images" in text
    assert f"classes: [{', '.join(class_names())}]" in text


def test_the_table_counts_the_test_images_of_each_class():
    html = outputs_of(NAME, "nb01-07")[0]["data"]["text/html"]
    labels = [label for label, _ in read_records("test_batch.bin", records_in(["test_batch.bin"]))]
    for number, name in enumerate(class_names()):
        assert f"<td>{name}</td><td>{labels.count(number)}</td>" in html
    assert "10 rows &times; 2 columns" in html


def test_test_set_0_prints_its_pixels_target_and_class():
    label, pixels = read_records("test_batch.bin", 1)[0]
    lines = text_of(outputs_of(NAME, "nb01-09")).splitlines()

    assert lines[0] == "ND: (3, 32, 32) cpu() float32"
    rows = tensor_rows("\n".join(lines[1:-2]))
    # ToTensor: byte / 255; the first row of the red plane, its first and last three pixels
    red_row_0 = [p / 255 for p in pixels[:32]]
    assert rows[0] == pytest.approx(red_row_0[:3] + red_row_0[-3:], abs=5e-5)
    blue_last_row = [p / 255 for p in pixels[2048 + 31 * 32 : 3072]]
    assert rows[-1] == pytest.approx(blue_last_row[:3] + blue_last_row[-3:], abs=5e-5)
    assert len(rows) == 3 * 6  # 3 planes, 3 rows at each end
    assert lines[-2] == str(label)
    assert lines[-1] == class_names()[label]


def test_ten_test_images_go_to_tensorboard_and_three_are_shown():
    outputs = outputs_of(NAME, "nb01-11")
    assert len(pngs_of(outputs)) == 3
    assert "the first 3 images of 'test_set' are shown above" in text_of(outputs)

    events = tensorboard_log(NAME)
    images = events.Images("test_set")
    assert [e.step for e in images] == list(range(10))
    assert all((e.width, e.height) == (32, 32) for e in images)


def test_the_grid_shows_ten_labelled_images_enlarged():
    outputs = outputs_of(NAME, "nb01-13")
    width, height = png_size(pngs_of(outputs)[0]["data"]["image/png"])
    assert width >= 10 * 32 * 4 and height > 32 * 4  # four times as large, with a label band


def test_answer_1_compares_the_first_training_and_test_images_classes():
    train_label, _ = read_records("data_batch_1.bin", 1)[0]
    test_label, _ = read_records("test_batch.bin", 1)[0]
    names = class_names()
    assert text_of(outputs_of(NAME, "nb01-17")).splitlines() == [
        f"train_set[0]: target {train_label}, {names[train_label]}",
        f"test_set[0]:  target {test_label}, {names[test_label]}",
        "the same class" if train_label == test_label else "not the same class",
    ]


def test_answer_2_normalizes_with_the_training_sets_mean_and_std():
    _, pixels = read_records("test_batch.bin", 1)[0]
    after = normalized(pixels)
    before = [p / 255 for p in pixels]
    text = text_of(outputs_of(NAME, "nb01-19"))
    ranges = re.search(r"before: ([-\d.]+) to ([-\d.]+); after: ([-\d.]+) to ([-\d.]+)", text).groups()
    assert [float(v) for v in ranges] == pytest.approx([min(before), max(before), min(after), max(after)], abs=5e-4)


def test_answer_3_writes_ten_training_images_beside_the_test_images():
    shown = text_of(outputs_of(NAME, "nb01-21"))
    assert "the first 3 images of 'train_set' are shown above" in shown
    images = tensorboard_log(NAME).Images("train_set")
    assert [e.step for e in images] == list(range(10))
