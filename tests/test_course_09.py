"""09-train-cifar10: the capstone trains the course CNN watched on a validation split, logs, tabulates, saves and
reloads it, and reads the test set once, at the end."""

from __future__ import annotations

import math
import re

import pytest

from executed_notebooks import (
    FULL_SIZE,
    code_cells,
    epochs,
    full_size_only,
    is_answer,
    outputs_of,
    pngs_of,
    records_in,
    run_dir,
    tensorboard_log,
    text_of,
)

NAME = "09-train-cifar10.ipynb"
TRAIN_FILES = [f"data_batch_{i}.bin" for i in range(1, 6)]
EPOCHS = epochs(20)


def test_it_says_where_it_trains():
    assert re.fullmatch(r"Training on (cpu\(\)|gpu\(\d+\))\n", text_of(outputs_of(NAME, "nb09-01")))


def test_the_training_images_split_nine_tenths_to_train_one_tenth_to_validate_in_batches_of_64():
    text = text_of(outputs_of(NAME, "nb09-03"))
    images = records_in(TRAIN_FILES)
    train = images * 9 // 10
    assert f"train: {train} images in {math.ceil(train / 64)} batches" in text
    assert f"validation: {images - train} images in {math.ceil((images - train) / 64)} batches" in text


def test_the_model_has_the_course_cnns_parameters():
    # (in * out * k * k + out) per convolution, (in * out + out) per linear layer
    convs = [(3, 32), (32, 32), (32, 64)]
    count = sum(i * o * 25 + o for i, o in convs) + (1024 * 64 + 64) + (64 * 10 + 10)
    text = text_of(outputs_of(NAME, "nb09-05"))
    assert f"{count:,} parameters" in text
    assert "(1, 10)" in text  # the last layer's output shape


def test_an_untrained_model_has_a_loss_of_about_ln_10():
    text = text_of(outputs_of(NAME, "nb09-07"))
    loss = float(re.search(r"loss of the first batch: ([\d.]+)", text).group(1))
    assert loss == pytest.approx(math.log(10), abs=0.15)


def test_training_shows_two_live_charts_one_line_per_epoch_and_logs_scalars():
    outputs = outputs_of(NAME, "nb09-09")
    lines = re.findall(r"epoch (\d+)/(\d+)  train: +loss ([\d.]+), accuracy ([\d.]+)%", text_of(outputs))
    assert [(int(e), int(n)) for e, n, _, _ in lines] == [(e, EPOCHS) for e in range(1, EPOCHS + 1)]
    assert len(pngs_of(outputs)) == 2  # each chart redrawn in place, not appended

    events = tensorboard_log(NAME)
    assert sorted(events.Tags()["scalars"]) == [
        "accuracy/train",
        "accuracy/validation",
        "loss/train",
        "loss/validation",
    ]
    for tag in events.Tags()["scalars"]:
        assert [e.step for e in events.Scalars(tag)] == list(range(1, EPOCHS + 1))
    train_losses = [e.value for e in events.Scalars("loss/train")]
    assert [float(loss) for _, _, loss, _ in lines] == pytest.approx(train_losses, abs=5e-5)
    train_accuracies = [100 * e.value for e in events.Scalars("accuracy/train")]  # logged from 0 to 1, printed in %
    assert [float(acc) for *_, acc in lines] == pytest.approx(train_accuracies, abs=5e-3)


def test_the_results_table_has_a_row_per_epoch():
    html = outputs_of(NAME, "nb09-11")[0]["data"]["text/html"]
    assert "<th>validation accuracy (%)</th>" in html
    assert f"{EPOCHS} rows" in html


def test_the_saved_model_reloads_with_the_same_validation_accuracy():
    text = text_of(outputs_of(NAME, "nb09-13"))
    assert f"course-cnn-{EPOCHS:04d}.params" in text
    trained = re.search(r"trained model:\s+([\d.]+)%", text).group(1)
    reloaded = re.search(r"reloaded model:\s+([\d.]+)%", text).group(1)
    assert trained == reloaded
    assert float(trained) == pytest.approx(
        100 * tensorboard_log(NAME).Scalars("accuracy/validation")[-1].value, abs=0.005
    )
    assert (run_dir(NAME) / "models" / "09-train-cifar10" / f"course-cnn-{EPOCHS:04d}.params").is_file()


def test_sixteen_guesses_are_shown():
    assert len(pngs_of(outputs_of(NAME, "nb09-15"))) == 1


def test_the_test_set_is_read_once_at_the_end_for_the_whole_split():
    cells = code_cells(NAME)
    reading = [i for i, cell in enumerate(cells) if "Usage.TEST" in cell.source]
    assert len(reading) == 1, "one cell reads the test set"
    assert all(is_answer(cell) for cell in cells[reading[0] + 1 : -1]), (
        "only the answers and the clean-up come after it"
    )
    text = text_of(cells[reading[0]].outputs)
    match = re.search(
        r"test: (\d+) images, loss ([\d.]+), accuracy ([\d.]+)%\nlast validation accuracy: ([\d.]+)%", text
    )
    count, _, test_accuracy, validation_accuracy = (float(v) for v in match.groups())
    assert count == records_in(["test_batch.bin"])
    logged = 100 * tensorboard_log(NAME).Scalars("accuracy/validation")[-1].value
    assert validation_accuracy == pytest.approx(logged, abs=0.005)
    if FULL_SIZE:  # "close to the last validation accuracy"
        assert abs(test_accuracy - validation_accuracy) < 3


@full_size_only
def test_at_full_size_the_loss_falls_and_the_validation_accuracy_lands_where_the_text_says():
    events = tensorboard_log(NAME)
    train_loss = [e.value for e in events.Scalars("loss/train")]
    assert train_loss[-1] < train_loss[0] - 0.5, train_loss  # "the loss falls from about 2.3"
    validation_accuracy = 100 * events.Scalars("accuracy/validation")[-1].value
    train_accuracy = 100 * events.Scalars("accuracy/train")[-1].value
    assert validation_accuracy >= 40  # "to 40% or more"; chance is 10%
    assert abs(train_accuracy - validation_accuracy) < 5  # "within a few points of each other"


def answer_accuracies(cell_id: str, name: str) -> list[tuple[float, float]]:
    lines = re.findall(
        rf"^epoch \d+: validation accuracy +([\d.]+)% plain, +([\d.]+)% {name}$",
        text_of(outputs_of(NAME, cell_id)),
        re.M,
    )
    assert len(lines) == min(3, EPOCHS)
    return [(float(plain), float(variant)) for plain, variant in lines]


def test_answers_1_and_2_compare_variants_with_the_plain_model_trained_the_same_way():
    relu = answer_accuracies("nb09-19", "with ReLU")
    relu_he = answer_accuracies("nb09-19", "with ReLU and He initialization")
    momentum = answer_accuracies("nb09-21", "with momentum 0.9")
    assert [a for a, _ in relu] == [a for a, _ in relu_he] == [a for a, _ in momentum]  # one plain run for all
    if FULL_SIZE:
        assert relu[-1][1] < relu[-1][0]  # with PyTorch's default weights, ReLU learns slower at first ...
        assert all(variant > plain + 5 for plain, variant in relu_he)  # ... with He's, faster from the first epoch
        assert momentum[-1][1] > momentum[-1][0] + 5  # "the validation accuracy rises much faster"


def test_answer_3_lists_the_most_frequent_mistakes():
    html = outputs_of(NAME, "nb09-23")[0]["data"]["text/html"]
    rows = re.findall(r"<td>(\w+)</td><td>(\w+)</td><td>(\d+)</td>", html)
    assert len(rows) == 8
    counts = [int(n) for *_, n in rows]
    assert counts == sorted(counts, reverse=True)
    assert all(truth != guess for truth, guess, _ in rows)
    if FULL_SIZE:  # "animals with animals, vehicles with vehicles"
        vehicles = {"airplane", "automobile", "ship", "truck"}
        assert all((truth in vehicles) == (guess in vehicles) for truth, guess, _ in rows), rows
