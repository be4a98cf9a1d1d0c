"""Value tests for 08-gradient-stability: each printed number is checked against its definition or theory.

The experiments are seeded, but the tests do not copy the notebook's numbers: each measured series is computed again
with numpy (the gradient at every layer's input, over 8 seeds), and checked against what the prose claims and the
numbers that follow from the definitions (σ'(0) = 0.25, 0.25^10, the factor √(128 · Var(w) · E[f'²]) per layer, the
growth rate of a product of Gaussian matrices).
"""

from __future__ import annotations

import math
import re

import numpy as np
import pytest
from tensorboard.backend.event_processing.event_accumulator import EventAccumulator

from executed_notebooks import code_cells, is_answer, numbers_in, outputs_of, pngs_of, tensorboard_log, text_of

NAME = "08-gradient-stability.ipynb"
LAYERS = 20
WIDTH = 128
CLIP_EPOCHS = 5  # the notebook's clipEpochs
STEPS_PER_EPOCH = 1000 // 50
NUMBER = r"(-?[\d.]+(?:e[-+]?\d+)?|NaN|-?Infinity)"


def text(cell_id: str) -> str:
    return text_of(outputs_of(NAME, cell_id))


def ratio_line(cell_text: str, name: str, layers: int = LAYERS) -> dict[str, float]:
    """The first layer, last layer, first/last and per-layer numbers that printRatio printed for `name`."""
    match = re.search(
        rf"^{re.escape(name)}:\s+first layer {NUMBER}, last layer {NUMBER}, "
        rf"first/last = {NUMBER}, per layer = {NUMBER}$",
        cell_text,
        re.MULTILINE,
    )
    assert match, f"no line for {name!r} in:\n{cell_text}"
    first, last, ratio, per_layer = (float(g) for g in match.groups())
    assert ratio == pytest.approx(first / last, rel=1e-3)
    assert per_layer == pytest.approx(ratio ** (1 / (layers - 1)), rel=1e-3)
    return {"first": first, "last": last, "ratio": ratio, "per_layer": per_layer}


def sigmoid(x: float) -> float:
    return 1 / (1 + math.exp(-x))


# --- the sigmoid's derivative ----------------------------------------------------------------------------------


def test_sigmoid_derivative_peaks_at_a_quarter_and_ten_of_its_factors_at_most_its_tenth_power():
    out = text("nb08-03")
    grid = [-6 + 12 * i / 200 for i in range(201)]
    derivative = [sigmoid(x) * (1 - sigmoid(x)) for x in grid]
    peak = max(range(201), key=derivative.__getitem__)
    match = re.search(r"largest sigmoid'\(x\) = ([\d.]+), at x = (-?[\d.]+)", out)
    assert float(match.group(1)) == pytest.approx(derivative[peak], abs=5e-5) == pytest.approx(0.25)
    assert float(match.group(2)) == pytest.approx(grid[peak], abs=0.005) == pytest.approx(0)
    product = re.search(r"0\.25\^10 = ([\d.e+-]+)", out).group(1)
    assert float(product) == pytest.approx(0.25**10, rel=1e-4)  # 9.5367431640625e-07
    relu = re.search(r"relu'\(x\) at x = 3: ([\d.]+), at x = -3: ([\d.]+)", out)
    assert (float(relu.group(1)), float(relu.group(2))) == (1.0, 0.0)


# --- an independent computation of the measure: the gradient at each layer's input ---------------------------------

ACTIVATIONS = {  # f and f' (given z and f(z))
    "sigmoid": (lambda z: 1 / (1 + np.exp(-z)), lambda z, a: a * (1 - a)),
    "relu": (lambda z: np.maximum(z, 0), lambda z, a: (z > 0).astype(float)),
    "tanh": (np.tanh, lambda z, a: 1 - a * a),
}


def pytorch_default(rng) -> np.ndarray:
    return rng.uniform(-1 / math.sqrt(WIDTH), 1 / math.sqrt(WIDTH), (WIDTH, WIDTH))


def normal(std: float):
    return lambda rng: rng.standard_normal((WIDTH, WIDTH)) * std


def numpy_input_gradient_norms(activation: str, draw, seed: int, layers: int = LAYERS) -> list[float]:
    """The notebook's experiment written again with numpy: an MLP of `layers` layers of width 128, zero biases and
    weights from `draw`, on a batch of 64 N(0, 1) inputs; the loss is the mean of the output. Returns the norm of
    dL/dx at each layer's input, the first layer first."""
    rng = np.random.default_rng(seed)
    f, derivative = ACTIVATIONS[activation]
    inputs, before = [rng.standard_normal((64, WIDTH))], []
    weights = [draw(rng) for _ in range(layers)]
    for w in weights:
        before.append(inputs[-1] @ w)
        inputs.append(f(before[-1]))
    gradient = np.full((64, WIDTH), 1 / (64 * WIDTH))  # d mean(output) / d output
    norms = []
    for layer in reversed(range(layers)):
        gradient = (gradient * derivative(before[layer], inputs[layer + 1])) @ weights[layer].T
        norms.append(float(np.linalg.norm(gradient)))
    return norms[::-1]


def reference(activation: str, draw, layers: int = LAYERS) -> tuple[float, float]:
    """Mean and standard deviation over 8 seeds of log10(first layer's norm / last layer's)."""
    ratios = []
    for seed in range(8):
        norms = numpy_input_gradient_norms(activation, draw, seed, layers)
        ratios.append(math.log10(norms[0] / norms[-1]))
    return float(np.mean(ratios)), float(np.std(ratios))


def assert_matches_reference(measured: dict[str, float], activation: str, draw, layers: int = LAYERS) -> float:
    mean, spread = reference(activation, draw, layers)
    assert math.log10(measured["ratio"]) == pytest.approx(mean, abs=max(0.5, 4 * spread)), (activation, mean)
    return mean


def per_layer(log10_ratio: float, layers: int = LAYERS) -> float:
    return 10 ** (log10_ratio / (layers - 1))


# --- vanishing gradients ------------------------------------------------------------------------------------------


def test_with_pytorchs_default_weights_sigmoid_and_relu_networks_both_vanish_at_the_rates_the_text_derives():
    out = text("nb08-07")
    sig = ratio_line(out, "sigmoid")
    relu = ratio_line(out, "relu")
    sig_reference = assert_matches_reference(sig, "sigmoid", pytorch_default)
    relu_reference = assert_matches_reference(relu, "relu", pytorch_default)
    # the text: weights of variance 1/(3 * 128) give sqrt(1/3) a layer; the sigmoid's 0.25 near 0 makes it 0.14,
    # ReLU's half of the entries sqrt(1/6) = 0.41
    assert per_layer(sig_reference) == pytest.approx(math.sqrt(1 / 3) * 0.25, abs=0.01)
    assert per_layer(relu_reference) == pytest.approx(math.sqrt(1 / 6), abs=0.03)
    assert sig["ratio"] < 1e-15 and relu["ratio"] < 1e-5, "both vanish"


def test_batch_norm_keeps_the_sigmoid_gradients_level():
    out = text("nb08-15")
    plain = ratio_line(out, "sigmoid")
    normed = ratio_line(out, "sigmoid + BatchNorm")
    assert 1 / 10 < normed["ratio"] < 10  # "within a factor of about 3"
    assert normed["first"] > 1e10 * plain["first"]
    assert math.log10(plain["ratio"]) == pytest.approx(-16, abs=0.5)  # "a fall by about 16 orders of magnitude"


def test_residual_connections_keep_the_sigmoid_gradients_level():
    out = text("nb08-17")
    plain = ratio_line(out, "sigmoid")
    residual = ratio_line(out, "sigmoid, residual")
    assert 1 / 3 < residual["ratio"] < 3
    assert residual["first"] > 1e10 * plain["first"]


# --- exploding gradients: a product of random matrices ------------------------------------------------------------


def matrix_entries(block: str) -> list[float]:
    return numbers_in(block.split("float32", 1)[1])


def test_a_product_of_100_random_matrices_explodes_at_the_rate_theory_gives():
    out = text("nb08-09")
    single = out.split("a single matrix", 1)[1].split("after multiplying", 1)[0]
    after = out.split("after multiplying 100 matrices", 1)[1].split("log10 of the norm", 1)[0]
    first, product = matrix_entries(single), matrix_entries(after)
    assert len(first) == 16 and len(product) == 16
    assert max(abs(v) for v in first) < 5, "entries of one N(0, 1) matrix are of order 1"
    assert max(abs(v) for v in product) > 1e15
    one, hundred_one = (float(v) for v in re.search(r"([\d.]+) with 1 factor, ([\d.]+) with 101 factors", out).groups())
    assert one == pytest.approx(math.log10(math.sqrt(sum(v * v for v in first))), abs=0.01)
    # x·A for a unit vector x and a 4x4 N(0, 1) matrix A has a chi-distributed norm with 4 degrees of freedom, so
    # log||x A1 ... An|| grows by E[log chi_4] = (ln 2 + digamma(2)) / 2 per factor, with digamma(2) = 1 - γ
    euler_gamma = 0.5772156649015329
    per_factor = (math.log(2) + 1 - euler_gamma) / 2 / math.log(10)  # 0.2423 orders of magnitude
    spread = math.sqrt(101 * (math.pi**2 / 6 - 1) / 4) / math.log(10)  # sd of the sum, about 1.75
    assert abs(hundred_one - 101 * per_factor) < 4 * spread


# --- initialization ---------------------------------------------------------------------------------------------

INITIALIZERS = {
    "N(0, 1)": 1.0,
    "N(0, 0.01^2)": 0.01,
    "Xavier": math.sqrt(2 / (WIDTH + WIDTH)),
    "He (Kaiming)": math.sqrt(2 / WIDTH),
}  # the standard deviation each draws its weights with


def test_each_initialization_scales_the_relu_gradient_per_layer_as_the_table_says():
    out = text("nb08-11")
    for name, std in INITIALIZERS.items():
        line = ratio_line(out, name)
        assert_matches_reference(line, "relu", normal(std))
        # the table's last column, sqrt(128 * Var(w) / 2): 8, 0.08, 0.71 and 1
        factor = math.sqrt(WIDTH * std**2 / 2)
        assert math.log10(line["ratio"]) == pytest.approx((LAYERS - 1) * math.log10(factor), abs=1.0), name
    assert ratio_line(out, "N(0, 1)")["ratio"] > 1e16, "10^17 to 10^18 times the last's"
    assert ratio_line(out, "N(0, 0.01^2)")["ratio"] < 1e-19, "vanishes by a factor of about 10^20"
    assert 1 / 10 < ratio_line(out, "He (Kaiming)")["ratio"] < 10, "about level, within a factor of a few"


# --- can the sigmoid explode? ------------------------------------------------------------------------------------

SIGMAS = [0.1, 0.5, 1, 2, 4, 8]


def test_large_weights_make_a_sigmoid_network_explode_as_an_independent_computation_predicts():
    out = text("nb08-13")
    measured = {sigma: ratio_line(out, f"sigmoid, N(0, {float(sigma)}^2)") for sigma in SIGMAS}
    references = {sigma: assert_matches_reference(measured[sigma], "sigmoid", normal(sigma)) for sigma in SIGMAS}
    # what the prose says: small weights vanish, sigma = 1 is about level, from sigma = 2 on the gradient grows on
    # its way back, the more so the larger sigma: about 10^3 at sigma = 2 and 10^8 at sigma = 8
    assert references[0.1] < -8 and references[0.5] < -2
    assert -1 < references[1] < 1
    assert 0 < references[2] < references[4] < references[8]
    assert references[2] == pytest.approx(3, abs=0.5) and references[8] == pytest.approx(8, abs=0.5)
    assert len(pngs_of(outputs_of(NAME, "nb08-13"))) == 1


# --- gradient clipping ------------------------------------------------------------------------------------------


def test_clipping_saves_a_run_that_a_too_high_learning_rate_explodes():
    out = text("nb08-21")
    steps = STEPS_PER_EPOCH * CLIP_EPOCHS
    assert f"steps per run: {steps} ({CLIP_EPOCHS} epochs of 20)" in out
    exploded = re.search(
        rf"lr 0\.3, no clipping: largest finite loss {NUMBER}, not a number from step (\d+) on; "
        rf"final loss {NUMBER}",
        out,
    )
    assert float(exploded.group(1)) > 1e10
    assert int(exploded.group(2)) < steps
    assert not math.isfinite(float(exploded.group(3).replace("Infinity", "inf")))
    clipped = re.search(
        rf"lr 0\.3, clipped to 1\.0: first loss {NUMBER}, final loss {NUMBER}; "
        rf"gradient norm at step 1 {NUMBER}",
        out,
    )
    first, final, norm = (float(g) for g in clipped.groups())
    assert final < 0.1 * first
    assert norm > 1.0, "the first gradient should be above the clipping threshold, or clipping did nothing"
    suitable = re.search(rf"lr 0\.03, no clipping: first loss {NUMBER}, final loss {NUMBER}", out)
    assert float(suitable.group(1)) == pytest.approx(first, rel=1e-4), "all runs start from the same weights"
    assert float(suitable.group(2)) < 0.1 * first


# --- the exercises' answers ------------------------------------------------------------------------------------


def test_answer_1_tanh_vanishes_more_slowly_and_weights_of_variance_one_over_128_bring_it_close_to_level():
    out = text("nb08-26")
    assert ratio_line(out, "sigmoid")["ratio"] < 1e-15
    tanh = assert_matches_reference(ratio_line(out, "tanh"), "tanh", pytorch_default)
    scaled = assert_matches_reference(ratio_line(out, "tanh, Var(w) = 1/128"), "tanh", normal(math.sqrt(1 / WIDTH)))
    assert per_layer(tanh) == pytest.approx(math.sqrt(1 / 3), abs=0.03)  # "about 0.57 a layer", the weights' 0.58
    assert 0.85 < per_layer(scaled) < 1  # "close to level, about 0.9 a layer"


def test_answer_2_fifty_layers_take_each_initializers_factor_49_times():
    out = text("nb08-28")
    for name, std in INITIALIZERS.items():
        line = ratio_line(out, name, layers=50)
        assert_matches_reference(line, "relu", normal(std), layers=50)
        factor = math.sqrt(WIDTH * std**2 / 2)
        assert math.log10(line["ratio"]) == pytest.approx(49 * math.log10(factor), abs=1.5), name
    assert 1 / 10 < ratio_line(out, "He (Kaiming)", layers=50)["ratio"] < 10


def test_answer_3_adam_survives_the_rate_that_exploded_sgd_and_trains_at_the_suitable_one():
    outputs = outputs_of(NAME, "nb08-30")
    runs = {
        m[0]: [float(v.replace("Infinity", "inf")) for v in m[1:]]
        for m in re.findall(
            rf"^(SGD, lr 0\.3|Adam, lr 0\.3|SGD, lr 0\.03|Adam, lr 0\.03): +first loss {NUMBER}, largest finite loss "
            rf"{NUMBER}, final loss {NUMBER}$",
            text_of(outputs),
            re.M,
        )
    }
    assert len(runs) == 4
    first = runs["SGD, lr 0.3"][0]
    assert all(run[0] == pytest.approx(first) for run in runs.values()), "all runs start from the same weights"
    assert runs["SGD, lr 0.3"][1] > 1e10 and not math.isfinite(runs["SGD, lr 0.3"][2])
    adam_high = runs["Adam, lr 0.3"]
    assert math.isfinite(adam_high[1]) and adam_high[1] > 10 * first, "the loss jumps far above where it started"
    assert adam_high[2] < first, "... and comes down"
    for name in ("SGD, lr 0.03", "Adam, lr 0.03"):
        assert runs[name][1] == pytest.approx(first, rel=1e-4) and runs[name][2] < first / 100, name
    assert runs["Adam, lr 0.03"][2] < adam_high[2], "0.3 is too high for Adam too"
    assert len(pngs_of(outputs)) == 1
    for tag in ("loss/adam_0.3", "loss/adam_0.03"):
        assert [e.step for e in tensorboard_log(NAME).Scalars(tag)] == list(range(1, STEPS_PER_EPOCH * CLIP_EPOCHS + 1))


# --- pictures and the TensorBoard log ---------------------------------------------------------------------------


def test_shows_eight_charts_and_one_more_in_an_answer():
    charts = [(is_answer(cell), png) for cell in code_cells(NAME) for png in pngs_of(cell.outputs)]
    assert sum(not in_answer for in_answer, _ in charts) == 8
    assert sum(in_answer for in_answer, _ in charts) == 1


@pytest.fixture(scope="module")
def events() -> EventAccumulator:
    return tensorboard_log(NAME)


def test_the_log_holds_every_plotted_series(events):
    steps = STEPS_PER_EPOCH * CLIP_EPOCHS
    functions = ["function/sigmoid", "function/sigmoid_derivative", "function/relu", "function/relu_derivative"]
    norms = ["sigmoid", "relu", "sigmoid_batchnorm", "sigmoid_residual"] + [
        f"relu_init_{i}" for i in ("normal_1", "normal_0.01", "xavier", "he")
    ]
    norms = [f"input_grad_norm/{tag}" for tag in norms + [f"sigmoid_init_normal_{float(sigma)}" for sigma in SIGMAS]]
    losses = ["loss/lr_0.3", "loss/lr_0.3_clip_1.0", "loss/lr_0.03", "loss/adam_0.3", "loss/adam_0.03"]
    assert sorted(events.Tags()["scalars"]) == sorted(functions + norms + ["matrix_product/log10_norm"] + losses)
    for tag in functions:
        assert [e.step for e in events.Scalars(tag)] == list(range(201)), tag
    for tag in norms:
        assert [e.step for e in events.Scalars(tag)] == list(range(1, LAYERS + 1)), tag
    assert [e.step for e in events.Scalars("matrix_product/log10_norm")] == list(range(1, 102))
    for tag in losses[1:]:
        assert [e.step for e in events.Scalars(tag)] == list(range(1, steps + 1)), tag
    exploded = events.Scalars("loss/lr_0.3")
    assert 0 < len(exploded) < steps and all(math.isfinite(e.value) for e in exploded)


def test_the_logged_values_match_their_definitions(events):
    grid = [-6 + 12 * i / 200 for i in range(201)]
    expected = {
        "function/sigmoid": [sigmoid(x) for x in grid],
        "function/sigmoid_derivative": [sigmoid(x) * (1 - sigmoid(x)) for x in grid],
        "function/relu": [max(0.0, x) for x in grid],
    }
    for tag, values in expected.items():
        assert [e.value for e in events.Scalars(tag)] == pytest.approx(values, abs=1e-6), tag
    relu_derivative = [e.value for e in events.Scalars("function/relu_derivative")]
    assert relu_derivative[:100] == [0.0] * 100 and relu_derivative[101:] == [1.0] * 100
    sigmoid_norms = [e.value for e in events.Scalars("input_grad_norm/sigmoid")]
    assert sigmoid_norms == sorted(sigmoid_norms), "the sigmoid's gradient norms should grow from layer 1 to 20"
    log10_norms = [e.value for e in events.Scalars("matrix_product/log10_norm")]
    assert 0.15 < (log10_norms[-1] - log10_norms[0]) / 100 < 0.35
