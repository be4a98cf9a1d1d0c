"""What 07-regularization must show: the two penalties by hand, and the overfitting experiments they tame.

Expected numbers come from the notes' formulas, computed here. The training runs are stochastic (though seeded),
so for them the tests check the behaviour the prose claims. The regression always trains its full 100 epochs (it
takes about a second); the CNN's claims that need its full 20 epochs are checked at full size
(`make test-full-size`).
"""

from __future__ import annotations

import math
import re

import pytest
from tensorboard.backend.event_processing.event_accumulator import EventAccumulator

from executed_notebooks import (FULL_SIZE, epochs, images, numbers_in, outputs_of, png_size, pngs_of, tensorboard_log,
                                text_of)

NAME = "07-regularization.ipynb"
THETA = [1.0, -2.0, 3.0]
LAMBDA = 0.1
L2_LAMBDAS = [0, 1, 3, 10]
REGRESSION_EPOCHS = 100
CNN_EPOCHS = epochs(20)
WEIGHT_DECAYS = ["0.0", "0.005"]


def text(marker: str) -> str:
    return text_of(outputs_of(NAME, marker))


def line_numbers(text_: str, label: str) -> list[float]:
    """The numbers on the line that starts with `label` (after the label itself)."""
    lines = [line for line in text_.splitlines() if line.startswith(label)]
    assert len(lines) == 1, f"expected one line starting with {label!r} in:\n{text_}"
    return numbers_in(lines[0][len(label):])


def html_rows(marker: str) -> list[list[str]]:
    html = next(o["data"]["text/html"] for o in outputs_of(NAME, marker) if "text/html" in o.get("data", {}))
    rows = re.findall(r"<tr>(.*?)</tr>", html, re.S)
    return [re.findall(r"<td[^>]*>(.*?)</td>", row, re.S) for row in rows[1:]]


def events() -> EventAccumulator:
    return tensorboard_log(NAME)


def last(accumulator: EventAccumulator, tag: str) -> float:
    return accumulator.Scalars(tag)[-1].value


# --- the worked example -----------------------------------------------------------------------------------------

def test_worked_example_penalties_follow_the_formulas():
    out = text("thetaL2.square().sum()")
    assert line_numbers(out, "theta = ") == pytest.approx(THETA + [LAMBDA])
    assert line_numbers(out, "L2 penalty:") == pytest.approx([LAMBDA * sum(t * t for t in THETA)], abs=1e-4)  # 1.4
    assert line_numbers(out, "L1 penalty:") == pytest.approx([LAMBDA * sum(abs(t) for t in THETA)], abs=1e-4)  # 0.6


def test_worked_example_gradients_and_one_step():
    out = text("thetaL2.square().sum()")
    l2_gradient = [2 * LAMBDA * t for t in THETA]
    l1_gradient = [LAMBDA * math.copysign(1, t) for t in THETA]
    assert line_numbers(out, "L2 gradient:") == pytest.approx(l2_gradient, abs=1e-4)
    assert line_numbers(out, "L1 gradient:") == pytest.approx(l1_gradient, abs=1e-4)
    assert line_numbers(out, "L2 step (lr 1):") == pytest.approx([t - g for t, g in zip(THETA, l2_gradient)], abs=1e-4)
    assert line_numbers(out, "L1 step (lr 1):") == pytest.approx([t - g for t, g in zip(THETA, l1_gradient)], abs=1e-4)


# --- experiment 1: the regression -------------------------------------------------------------------------------

def test_regression_data_has_d2l_shapes_and_noise_level():
    out = text("trueB = 0.05f")
    assert line_numbers(out, "train: X") == [20, 200, 20, 1]
    assert line_numbers(out, "test:  X") == [100, 200, 100, 1]
    # half the mean square of 100 draws of N(0, 0.01^2): 5e-5 in expectation, within +-45% at 5 sigma
    (true_loss,) = line_numbers(out, "test loss of the true model:")
    assert 0.01 ** 2 / 2 * 0.55 < true_loss < 0.01 ** 2 / 2 * 1.45


def test_regression_runs_its_100_epochs_whatever_the_knobs_say_and_logs_every_one():
    assert line_numbers(text("int regressionEpochs = 100;"), "epochs per run:") == [REGRESSION_EPOCHS]
    accumulator = events()
    names = [f"L2 lambda={lam}" for lam in L2_LAMBDAS] + ["L1 lambda=1"]
    expected = {f"regression/{name}/{split}" for name in names for split in ("train", "test")}
    assert expected <= set(accumulator.Tags()["scalars"])
    for tag in expected:
        assert [e.step for e in accumulator.Scalars(tag)] == list(range(1, REGRESSION_EPOCHS + 1)), tag


def test_regression_table_shows_the_logged_losses():
    rows = html_rows("int regressionEpochs = 100;")
    accumulator = events()
    assert [float(r[0]) for r in rows] == L2_LAMBDAS
    for row, lam in zip(rows, L2_LAMBDAS):
        train, test = (float(v.replace(",", "")) for v in row[1:3])
        assert train == pytest.approx(last(accumulator, f"regression/L2 lambda={lam}/train"), rel=1e-4, abs=1e-6)
        assert test == pytest.approx(last(accumulator, f"regression/L2 lambda={lam}/test"), rel=1e-4, abs=1e-6)


def test_a_larger_lambda_gives_smaller_weights_and_a_lower_test_loss():
    rows = html_rows("int regressionEpochs = 100;")
    norms = [float(r[3].replace(",", "")) for r in rows]
    tests = [float(r[2].replace(",", "")) for r in rows]
    assert norms == sorted(norms, reverse=True) and len(set(norms)) == len(norms)
    assert tests == sorted(tests, reverse=True) and len(set(tests)) == len(tests)
    trains = [float(r[1].replace(",", "")) for r in rows]
    # overfitting without the penalty ("thousands of times larger"), and the trade the prose describes
    assert tests[0] > 1000 * trains[0]
    assert trains[0] < trains[1] < trains[2]
    assert tests[2] < tests[0] / 100
    assert norms[2] < 1  # from about 14 at the start


def test_regression_curves_are_one_chart():
    pngs = pngs_of(outputs_of(NAME, 'series("train, lambda = 0"'))
    assert len(pngs) == 1
    assert png_size(pngs[0]["data"]["image/png"]) == (1200, 800)


def test_l1_gives_sparser_weights_than_l2():
    out = text('trainRegression("L1", 1')
    l2 = line_numbers(out, "L2 lambda=1:")
    l1 = line_numbers(out, "L1 lambda=1:")
    for values in (l2, l1):
        assert values[1] == 200  # zeros out of the 200 weights
    assert len(pngs_of(outputs_of(NAME, 'trainRegression("L1", 1'))) == 1
    assert l1[0] > 100 and l2[0] < 30, out  # "most of the 200 weights (near) zero", "hardly any"


# --- experiment 2: the CNN --------------------------------------------------------------------------------------

def test_cnn_data_is_the_subset_and_the_test_set():
    out = text("optLimit(2000)")
    assert line_numbers(out, "training images:")[:1] == [images(2000)]
    assert numbers_in(out.split("test images:")[1]) == [images(10000)]


def test_cnn_trains_both_runs_for_the_capped_epochs_with_a_live_chart():
    outputs = outputs_of(NAME, "int cnnEpochs")
    out = text_of(outputs)
    for wd in WEIGHT_DECAYS:
        epochs = [int(m) for m in re.findall(rf"^wd={re.escape(wd)} epoch +(\d+):", out, re.M)]
        assert epochs == list(range(1, CNN_EPOCHS + 1)), out
    pngs = pngs_of(outputs)
    assert len(pngs) == 1  # one picture, redrawn in place
    accumulator = events()
    for wd in WEIGHT_DECAYS:
        for kind in ("train_loss", "test_loss", "train_accuracy", "test_accuracy"):
            tag = f"cifar/wd={wd}/{kind}"
            assert [e.step for e in accumulator.Scalars(tag)] == list(range(1, CNN_EPOCHS + 1)), tag


def test_cnn_table_matches_the_log_and_weight_decay_keeps_weights_smaller():
    rows = html_rows("Table.create(\"CourseCnn after")
    accumulator = events()
    assert [float(r[0]) for r in rows] == [0.0, 0.005]
    by_decay = {}
    for row, wd in zip(rows, WEIGHT_DECAYS):
        train_acc, test_acc, train_loss, test_loss, norm = (float(v.replace(",", "")) for v in row[1:6])
        for value, kind in ((train_acc, "train_accuracy"), (test_acc, "test_accuracy"), (train_loss, "train_loss"),
                            (test_loss, "test_loss")):
            assert value == pytest.approx(last(accumulator, f"cifar/wd={wd}/{kind}"), abs=1e-4), kind
        by_decay[wd] = (train_loss, test_loss, norm)
    assert by_decay["0.005"][2] < by_decay["0.0"][2]  # weight decay holds the weights back from the first step
    if FULL_SIZE:  # overfitting needs the full run
        no_decay, decay = by_decay["0.0"], by_decay["0.005"]
        assert no_decay[1] - no_decay[0] > 0.5  # overfits: test loss well above train loss
        assert decay[1] < no_decay[1]  # weight decay: lower test loss ...
        assert decay[0] > no_decay[0]  # ... at a higher training loss


# --- the exercises' answers ------------------------------------------------------------------------------------

RUN_LINE = re.compile(r"lambda +([\d.]+): train loss ([\d.]+), test loss ([\d.]+), \|\|w\|\| ([\d.]+)")


def test_answer_1_past_lambda_10_the_test_loss_rises_again_toward_the_bias_alone():
    out = text("// The answer to exercise 1")
    runs = [[float(v) for v in m] for m in RUN_LINE.findall(out)]
    assert [r[0] for r in runs] == [0, 0.3, 1, 3, 10, 30]
    trains, tests = [r[1] for r in runs], [r[2] for r in runs]
    assert trains == sorted(trains)  # the training loss rises all along
    best = min(range(len(runs)), key=tests.__getitem__)
    assert runs[best][0] == 10 and f"lowest test loss at lambda {runs[best][0]}" in out
    assert tests[-1] > tests[best]
    # w = 0 predicts the bias alone: half the variance of 0.01 * (a sum of 200 N(0, 1)), 200 * 0.01^2 / 2 = 0.01
    assert tests[-1] == pytest.approx(200 * 0.01 ** 2 / 2, rel=0.3)


def test_answer_2_djls_weight_decay_trains_close_to_the_penalty_but_decays_the_bias_too():
    out = text("// The answer to exercise 2")
    written = line_numbers(out, "lambda 3 in the loss, w alone:")
    decayed = line_numbers(out, "optWeightDecays(6), every parameter:")
    accumulator = events()
    assert written[:2] == pytest.approx([last(accumulator, f"regression/L2 lambda=3/{split}")
                                         for split in ("train", "test")], rel=1e-3)  # the table's run
    assert decayed[:3] == pytest.approx(written, rel=0.2)  # train loss, test loss, ||w||: close ...
    assert decayed[0] != pytest.approx(written[0], rel=1e-3)  # ... but not equal
    assert abs(decayed[3]) < 0.01  # the bias, decayed toward 0


def test_answer_3_ten_times_the_weight_decay_fits_worse_and_tests_no_better():
    out = text("// The answer to exercise 3")
    rows = {wd: numbers_in(line) for line in out.splitlines() if line.startswith("weight decay")
            for wd in [line.split()[2]]}
    assert list(rows) == ["0.0", "0.005", "0.05"]
    assert rows["0.05"][5] < rows["0.005"][5]  # the smallest weights
    if FULL_SIZE:  # each row: the decay, train loss, train accuracy, test loss, test accuracy, weight norm
        assert rows["0.05"][1] > rows["0.005"][1]
        assert rows["0.05"][4] <= rows["0.005"][4] + 0.5


def test_everything_is_closed_and_flushed():
    assert outputs_of(NAME, "writer.close()") == []
