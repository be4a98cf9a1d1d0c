"""02-dataloader: batch counts, one image's shape and target, and two epochs of logged batches."""

from __future__ import annotations

import re

from executed_notebooks import outputs_of, pngs_of, read_records, records_in, tensorboard_log, text_of

NAME = "02-dataloader.ipynb"
TRAIN_FILES = [f"data_batch_{i}.bin" for i in range(1, 6)]


def batches_per_epoch() -> int:
    return records_in(TRAIN_FILES) // 64  # drop_last


def test_the_loader_counts_whole_batches_of_64():
    assert text_of(outputs_of(NAME, "testData.prepare()")).strip() == f"{records_in(TRAIN_FILES)} images"
    assert text_of(outputs_of(NAME, "optDropLast(true)")).strip() == f"{batches_per_epoch()} batches per epoch"


def test_one_image_has_three_channels_of_32_by_32_and_its_target():
    label, _ = read_records("data_batch_1.bin", 1)[0]
    assert text_of(outputs_of(NAME, "testData.get(manager, 0)")).split() == ["(3,", "32,", "32)", str(label)]


def test_two_epochs_log_every_batch_in_a_new_order():
    outputs = outputs_of(NAME, "writer.addImages(")
    text = text_of(outputs)
    for epoch in (0, 1):
        assert f"Epoch: {epoch}, {batches_per_epoch()} batches logged" in text
    firsts = re.findall(r"Epoch: (\d), first batch: imgs \(64, 3, 32, 32\), targets \[([\d, ]+)\]", text)
    assert [epoch for epoch, _ in firsts] == ["0", "1"]
    assert firsts[0][1] != firsts[1][1], "both epochs started with the same targets: not shuffled per epoch"
    assert len(pngs_of(outputs)) == 6  # the first three grids of each tag

    events = tensorboard_log(NAME)
    assert sorted(events.Tags()["images"]) == ["Epoch: 0", "Epoch: 1"]
    for tag in ("Epoch: 0", "Epoch: 1"):
        grids = events.Images(tag)
        assert [e.step for e in grids] == list(range(batches_per_epoch()))
        assert {(e.width, e.height) for e in grids} == {(8 * 34 + 2, 8 * 34 + 2)}  # make_grid of 64
