"""What 07-regularization must show: the two penalties by hand, and the overfitting experiments they tame.

Expected numbers come from the notes' formulas, computed here. The training runs are stochastic (though seeded),
so for them the tests check the behaviour the prose claims, and that choices are made on the validation split and the
test set is read once, for the chosen model. The regression always trains its full 100 epochs (it
takes about a second); the CNN's claims that need its full 20 epochs are checked at full size
(`make test-full-size`).
"""

from __future__ import annotations

import math
import re

import pytest
from tensorboard.backend.event_processing.event_accumulator import EventAccumulator

from conftest import png_size
from executed_notebooks import (
    FULL_SIZE,
    epochs,
    full_size_only,
    images,
    numbers_in,
    outputs_of,
    pngs_of,
    tensorboard_log,
    text_of,
)

NAME = "07-regularization.ipynb"
THETA = [1.0, -2.0, 3.0]
LAMBDA = 0.1
L2_LAMBDAS = [0, 1, 3, 10]
REGRESSION_EPOCHS = 100
L1_EPOCHS = 300  # the L1 and L2 runs from w = 0
CNN_EPOCHS = epochs(20)
WEIGHT_DECAYS = ["0.0", "0.005"]


def text(cell_id: str) -> str:
    return text_of(outputs_of(NAME, cell_id))


def line_numbers(text_: str, label: str) -> list[float]:
    """The numbers on the line that starts with `label` (after the label itself)."""
    lines = [line for line in text_.splitlines() if line.startswith(label)]
    assert len(lines) == 1, f"expected one line starting with {label!r} in:\n{text_}"
    return numbers_in(lines[0][len(label) :])


def html_rows(cell_id: str) -> list[list[str]]:
    html = next(o["data"]["text/html"] for o in outputs_of(NAME, cell_id) if "text/html" in o.get("data", {}))
    rows = re.findall(r"<tr>(.*?)</tr>", html, re.S)
    return [re.findall(r"<td[^>]*>(.*?)</td>", row, re.S) for row in rows[1:]]


def events() -> EventAccumulator:
    return tensorboard_log(NAME)


def last(accumulator: EventAccumulator, tag: str) -> float:
    return accumulator.Scalars(tag)[-1].value


# --- the worked example -----------------------------------------------------------------------------------------


def test_worked_example_penalties_follow_the_formulas():
    out = text("nb07-06")
    assert line_numbers(out, "theta = ") == pytest.approx(THETA + [LAMBDA])
    assert line_numbers(out, "L2 penalty:") == pytest.approx([LAMBDA * sum(t * t for t in THETA)], abs=1e-4)  # 1.4
    assert line_numbers(out, "L1 penalty:") == pytest.approx([LAMBDA * sum(abs(t) for t in THETA)], abs=1e-4)  # 0.6


def test_worked_example_gradients_and_one_step():
    out = text("nb07-06")
    l2_gradient = [2 * LAMBDA * t for t in THETA]
    l1_gradient = [LAMBDA * math.copysign(1, t) for t in THETA]
    assert line_numbers(out, "L2 gradient:") == pytest.approx(l2_gradient, abs=1e-4)
    assert line_numbers(out, "L1 gradient:") == pytest.approx(l1_gradient, abs=1e-4)
    assert line_numbers(out, "L2 step (lr 1):") == pytest.approx(
        [t - g for t, g in zip(THETA, l2_gradient, strict=True)], abs=1e-4
    )
    assert line_numbers(out, "L1 step (lr 1):") == pytest.approx(
        [t - g for t, g in zip(THETA, l1_gradient, strict=True)], abs=1e-4
    )


# --- experiment 1: the regression -------------------------------------------------------------------------------


def test_regression_data_has_d2l_shapes_and_noise_level():
    out = text("nb07-09")
    assert line_numbers(out, "train:      X") == [20, 200, 20, 1]
    assert line_numbers(out, "validation: X") == [20, 200, 20, 1]
    assert line_numbers(out, "test:       X") == [100, 200, 100, 1]
    # half the mean square of 20 draws of N(0, 0.01^2): 5e-5 in expectation; chi-squared with 20 degrees of freedom
    # over 20 lies within 0.25 to 2.5 but for a chance below 1e-4
    (true_loss,) = line_numbers(out, "validation loss of the true rule:")
    assert 0.01**2 / 2 * 0.25 < true_loss < 0.01**2 / 2 * 2.5


def test_regression_runs_its_100_epochs_whatever_the_knobs_say_and_logs_every_one():
    assert line_numbers(text("nb07-13"), "epochs per run:") == [REGRESSION_EPOCHS]
    accumulator = events()
    names = [f"L2 lambda={lam}" for lam in L2_LAMBDAS] + ["L1 lambda=0.03", "L2 lambda=0.03"]
    expected = {f"regression/{name}/{split}" for name in names for split in ("train", "validation")}
    assert expected <= set(accumulator.Tags()["scalars"])
    assert not any("test" in tag for tag in accumulator.Tags()["scalars"]), "the test set is for the end only"
    for tag in expected:
        epochs = L1_EPOCHS if "0.03" in tag else REGRESSION_EPOCHS
        assert [e.step for e in accumulator.Scalars(tag)] == list(range(1, epochs + 1)), tag


def regression_table() -> list[list[float]]:
    """lambda, train loss, validation loss, ||w|| of each row."""
    return [[float(v.replace(",", "")) for v in row[:4]] for row in html_rows("nb07-13")]


def test_regression_table_shows_the_logged_losses_and_the_lambda_the_validation_loss_chooses():
    rows = regression_table()
    accumulator = events()
    assert [r[0] for r in rows] == L2_LAMBDAS
    for lam, train, valid, _ in rows:
        assert train == pytest.approx(last(accumulator, f"regression/L2 lambda={lam:g}/train"), rel=1e-4, abs=1e-6)
        assert valid == pytest.approx(last(accumulator, f"regression/L2 lambda={lam:g}/validation"), rel=1e-4, abs=1e-6)
    chosen = min(rows, key=lambda r: r[2])[0]
    assert line_numbers(text("nb07-13"), "lowest validation loss at lambda") == [chosen]


def test_a_larger_lambda_gives_smaller_weights_and_a_lower_validation_loss_down_to_about_predicting_the_mean():
    rows = regression_table()
    trains, valids, norms = ([r[k] for r in rows] for k in (1, 2, 3))
    assert norms == sorted(norms, reverse=True) and len(set(norms)) == len(norms)
    assert valids == sorted(valids, reverse=True) and len(set(valids)) == len(valids)
    # overfitting without the penalty ("millions of times larger"), its random start kept: ||w|| near sqrt(200)
    assert valids[0] > 1e6 * trains[0]
    assert norms[0] == pytest.approx(math.sqrt(200), rel=0.05)
    assert trains == sorted(trains)
    assert valids[2] < valids[0] / 100
    assert norms[2] < 1  # from about 14 at the start
    # w = 0 with the bias at the mean predicts with half the variance of y, 200 * 0.01^2 / 2 in expectation; the best
    # lambda comes close to it ("how close the best lambda comes to predicting the mean")
    (mean_loss,) = line_numbers(text("nb07-13"), "predicting the mean (w = 0): validation loss")
    assert mean_loss == pytest.approx(200 * 0.01**2 / 2, rel=0.6)
    assert 0.8 * mean_loss < min(valids) < mean_loss


def test_regression_curves_are_one_chart():
    pngs = pngs_of(outputs_of(NAME, "nb07-15"))
    assert len(pngs) == 1
    assert png_size(pngs[0]["data"]["image/png"]) == (1200, 800)


def test_l1_from_zero_keeps_no_more_weights_than_examples_and_l2_keeps_nearly_all():
    out = text("nb07-17")
    l2 = line_numbers(out, "L2 lambda=0.03:")
    l1 = line_numbers(out, "L1 lambda=0.03:")
    for values in (l2, l1):
        assert values[1:3] == [200, 0.0005]  # of the 200 weights, those within 0.0005 of zero
    assert len(pngs_of(outputs_of(NAME, "nb07-17"))) == 1
    assert 0 < 200 - l1[0] <= 20, out  # "a handful, no more than the 20 examples"
    assert l2[0] < 200 * 0.2, out  # "nearly all 200 small and nonzero"


def test_the_chosen_lambda_is_tested_once_and_its_test_loss_is_close_to_its_validation_loss():
    rows = regression_table()
    best = min(rows, key=lambda r: r[2])
    match = re.search(r"chosen: lambda ([\d.]+), validation loss ([\d.]+), test loss ([\d.]+)", text("nb07-37"))
    lam, valid, test = (float(v) for v in match.groups())
    assert (lam, valid) == (best[0], pytest.approx(best[2], abs=1e-6))
    assert 0.5 < test / valid < 2  # "close to the validation loss, not equal"


# --- experiment 2: the CNN --------------------------------------------------------------------------------------


def test_cnn_data_is_two_thirds_of_the_first_3000_training_images_and_the_rest_for_validation():
    out = text("nb07-19")
    pool = images(3000)
    assert line_numbers(out, "training images:")[:1] == [pool * 2 // 3]
    assert numbers_in(out.split("validation images:")[1]) == [pool - pool * 2 // 3]


def test_cnn_trains_both_runs_for_the_capped_epochs_with_a_live_chart():
    outputs = outputs_of(NAME, "nb07-23")
    out = text_of(outputs)
    for wd in WEIGHT_DECAYS:
        epochs = [int(m) for m in re.findall(rf"^wd={re.escape(wd)} epoch +(\d+):", out, re.M)]
        assert epochs == list(range(1, CNN_EPOCHS + 1)), out
    pngs = pngs_of(outputs)
    assert len(pngs) == 1  # one picture, redrawn in place
    accumulator = events()
    for wd in WEIGHT_DECAYS:
        for kind in ("train_loss", "validation_loss", "train_accuracy", "validation_accuracy"):
            tag = f"cifar/wd={wd}/{kind}"
            assert [e.step for e in accumulator.Scalars(tag)] == list(range(1, CNN_EPOCHS + 1)), tag


def cnn_table() -> dict[str, list[float]]:
    """Per weight decay: train accuracy, validation accuracy, train loss, validation loss, weight norm."""
    rows = html_rows("nb07-25")
    assert [float(r[0]) for r in rows] == [0.0, 0.005]
    return {wd: [float(v.replace(",", "")) for v in row[1:6]] for row, wd in zip(rows, WEIGHT_DECAYS, strict=True)}


def test_cnn_table_matches_the_log_and_weight_decay_keeps_weights_smaller():
    table = cnn_table()
    accumulator = events()
    for wd, values in table.items():
        for value, kind in zip(
            values[:4], ("train_accuracy", "validation_accuracy", "train_loss", "validation_loss"), strict=True
        ):
            assert value == pytest.approx(last(accumulator, f"cifar/wd={wd}/{kind}"), abs=1e-4), kind
    assert table["0.005"][4] < table["0.0"][4]  # weight decay holds the weights back from the first step
    chosen = min(table, key=lambda wd: table[wd][3])
    assert line_numbers(text("nb07-25"), "lowest validation loss at weight decay") == [float(chosen)]
    if FULL_SIZE:  # overfitting needs the full run
        no_decay, decay = table["0.0"], table["0.005"]
        assert no_decay[3] - no_decay[2] > 0.5  # overfits: validation loss well above train loss
        assert decay[3] < no_decay[3]  # weight decay: lower validation loss ...
        assert decay[2] > no_decay[2]  # ... at a higher training loss


@full_size_only
def test_cnn_validation_loss_stops_falling_partway_and_climbs_without_weight_decay():
    curve = [e.value for e in events().Scalars("cifar/wd=0.0/validation_loss")]
    lowest = curve.index(min(curve))
    assert 0 < lowest < len(curve) - 1 and curve[-1] > min(curve) + 0.1, curve


def test_the_chosen_cnn_is_tested_once_on_the_whole_test_set():
    table = cnn_table()
    chosen = min(table, key=lambda wd: table[wd][3])
    match = re.search(
        r"chosen: weight decay ([\d.]+), validation loss ([\d.]+), accuracy ([\d.]+)% \| "
        r"test loss ([\d.]+), accuracy ([\d.]+)% on (\d+) images",
        text("nb07-39"),
    )
    wd, valid_loss, valid_acc, test_loss, test_acc, count = (float(v) for v in match.groups())
    assert (wd, count) == (float(chosen), images(10000))
    assert (valid_loss, valid_acc) == (
        pytest.approx(table[chosen][3], abs=1e-4),
        pytest.approx(100 * table[chosen][1], abs=0.05),
    )
    if FULL_SIZE:  # the validation set estimated what the test set measures
        assert abs(test_acc - valid_acc) < 5 and abs(test_loss - valid_loss) < 0.2


# --- the exercises' answers ------------------------------------------------------------------------------------

RUN_LINE = re.compile(r"lambda +([\d.]+): train loss ([\d.]+), validation loss ([\d.]+), \|\|w\|\| ([\d.]+)")


def test_answer_1_past_lambda_10_the_validation_loss_rises_toward_predicting_the_mean():
    out = text("nb07-29")
    runs = [[float(v) for v in m] for m in RUN_LINE.findall(out)]
    assert [r[0] for r in runs] == [0, 0.3, 1, 3, 10, 30, 100]
    trains, valids = [r[1] for r in runs], [r[2] for r in runs]
    assert trains == sorted(trains)  # the training loss rises all along
    best = min(range(len(runs)), key=valids.__getitem__)
    assert runs[best][0] == 10 and f"lowest validation loss at lambda {runs[best][0]}" in out
    assert valids[best:] == sorted(valids[best:]) and valids[-1] > valids[best]  # rises at 30 and 100 ...
    (mean_loss,) = line_numbers(out, "predicting the mean (w = 0): validation loss")
    assert valids[-1] == pytest.approx(mean_loss, rel=0.02)  # ... toward predicting the mean
    assert mean_loss == pytest.approx(200 * 0.01**2 / 2, rel=0.6)


def test_answer_2_djls_weight_decay_trains_close_to_the_penalty_but_decays_the_bias_too():
    out = text("nb07-31")
    written = line_numbers(out, "lambda 3 in the loss, w alone:")
    decayed = line_numbers(out, "optWeightDecays(6), every parameter:")
    accumulator = events()
    assert written[:2] == pytest.approx(
        [last(accumulator, f"regression/L2 lambda=3/{split}") for split in ("train", "validation")], rel=1e-3
    )  # the table's run
    assert decayed[:3] == pytest.approx(written[:3], rel=0.2)  # train loss, validation loss, ||w||: close ...
    assert decayed[0] != pytest.approx(written[0], rel=1e-3)  # ... but not equal
    assert abs(decayed[3] - written[3]) > 0.005  # the biases take different paths ...
    assert max(abs(decayed[3]), abs(written[3])) < 0.03  # ... and neither gets near the true 0.05


def test_answer_3_ten_times_the_weight_decay_fits_worse_and_validates_no_better():
    out = text("nb07-33")
    rows = {
        wd: numbers_in(line) for line in out.splitlines() if line.startswith("weight decay") for wd in [line.split()[2]]
    }
    assert list(rows) == ["0.0", "0.005", "0.05"]
    assert rows["0.05"][5] < rows["0.005"][5]  # the smallest weights
    chosen = min(rows, key=lambda wd: rows[wd][3])
    assert line_numbers(out, "lowest validation loss at weight decay") == [float(chosen)]
    if FULL_SIZE:  # each row: the decay, train loss, train accuracy, validation loss, validation accuracy, weight norm
        assert rows["0.05"][1] > rows["0.005"][1]
        assert rows["0.05"][4] <= rows["0.005"][4] + 0.5


def test_everything_is_closed_and_flushed():
    assert outputs_of(NAME, "nb07-35") == []
