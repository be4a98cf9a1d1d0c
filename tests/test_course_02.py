"""02-dataloader: batch counts, one image's shape and target, and two epochs of logged batches."""

from __future__ import annotations

import re

from executed_notebooks import outputs_of, pngs_of, read_records, records_in, tensorboard_log, text_of

NAME = "02-dataloader.ipynb"
TRAIN_FILES = [f"data_batch_{i}.bin" for i in range(1, 6)]


def batches_per_epoch() -> int:
    return records_in(TRAIN_FILES) // 64  # drop_last


def test_the_loader_counts_whole_batches_of_64():
    assert text_of(outputs_of(NAME, "nb02-03")).strip() == f"{records_in(TRAIN_FILES)} images"
    assert text_of(outputs_of(NAME, "nb02-05")).strip() == f"{batches_per_epoch()} batches per epoch"


def test_one_image_has_three_channels_of_32_by_32_and_its_target():
    label, _ = read_records("data_batch_1.bin", 1)[0]
    assert text_of(outputs_of(NAME, "nb02-07")).split() == ["(3,", "32,", "32)", str(label)]


def test_two_epochs_log_every_batch_in_a_new_order():
    outputs = outputs_of(NAME, "nb02-09")
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


def test_answer_1_keeps_the_short_last_batch():
    images = records_in(TRAIN_FILES)
    text = text_of(outputs_of(NAME, "nb02-13"))
    assert f"drop_last=True:  {images // 64} batches per epoch" in text
    last = images % 64 or 64
    assert f"drop_last=False: {-(-images // 64)} batches per epoch, the last of shape ({last}, 3, 32, 32)" in text


def test_answer_2_unshuffled_epochs_start_alike_and_shuffled_ones_do_not():
    text = text_of(outputs_of(NAME, "nb02-15"))
    plain = re.search(r"shuffle=False, first targets of epoch 0: (\[.*?\]), of epoch 1: (\[.*?\])", text).groups()
    shuffled = re.search(r"shuffle=True,  first targets of epoch 0: (\[.*?\]), of epoch 1: (\[.*?\])", text).groups()
    in_file_order = [label for label, _ in read_records("data_batch_1.bin", 8)]
    assert plain == (str(in_file_order), str(in_file_order))
    assert shuffled[0] != shuffled[1]


def test_answer_3_times_an_epoch_with_and_without_workers():
    text = text_of(outputs_of(NAME, "nb02-17"))
    assert re.fullmatch(r"num_workers=0: [\d.]+ s for one epoch\nnum_workers=2: [\d.]+ s for one epoch\n", text), text
