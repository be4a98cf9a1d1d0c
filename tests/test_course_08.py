"""Value tests for 08-gradient-stability: each printed number is checked against its definition or theory.

The experiments are seeded, but the tests do not copy the notebook's numbers: they check what the prose claims
(the sigmoid's gradient vanishes layer by layer, ReLU's does not, ...) and the numbers that follow from the
definitions (σ'(0) = 0.25, 0.25^10, the growth rate of a product of Gaussian matrices, the factor by which an
initializer's scale changes the gradients of a ReLU network).
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


def text(marker: str) -> str:
    return text_of(outputs_of(NAME, marker))


def ratio_line(cell_text: str, name: str, layers: int = LAYERS) -> dict[str, float]:
    """The first layer, last layer, first/last and per-layer numbers that printRatio printed for `name`."""
    match = re.search(rf"^{re.escape(name)}:\s+first layer {NUMBER}, last layer {NUMBER}, "
                      rf"first/last = {NUMBER}, per layer = {NUMBER}$", cell_text, re.MULTILINE)
    assert match, f"no line for {name!r} in:\n{cell_text}"
    first, last, ratio, per_layer = (float(g) for g in match.groups())
    assert ratio == pytest.approx(first / last, rel=1e-3)
    assert per_layer == pytest.approx(ratio ** (1 / (layers - 1)), rel=1e-3)
    return {"first": first, "last": last, "ratio": ratio, "per_layer": per_layer}


def sigmoid(x: float) -> float:
    return 1 / (1 + math.exp(-x))


# --- the sigmoid's derivative ----------------------------------------------------------------------------------

def test_sigmoid_derivative_peaks_at_a_quarter_and_ten_layers_pass_at_most_its_tenth_power():
    out = text("largest sigmoid'(x)")
    grid = [-6 + 12 * i / 200 for i in range(201)]
    derivative = [sigmoid(x) * (1 - sigmoid(x)) for x in grid]
    peak = max(range(201), key=derivative.__getitem__)
    match = re.search(r"largest sigmoid'\(x\) = ([\d.]+), at x = (-?[\d.]+)", out)
    assert float(match.group(1)) == pytest.approx(derivative[peak], abs=5e-5) == pytest.approx(0.25)
    assert float(match.group(2)) == pytest.approx(grid[peak], abs=0.005) == pytest.approx(0)
    product = re.search(r"0\.25\^10 = ([\d.e+-]+)", out).group(1)
    assert float(product) == pytest.approx(0.25 ** 10, rel=1e-4)  # 9.5367431640625e-07
    relu = re.search(r"relu'\(x\) at x = 3: ([\d.]+), at x = -3: ([\d.]+)", out)
    assert (float(relu.group(1)), float(relu.group(2))) == (1.0, 0.0)


# --- vanishing gradients ------------------------------------------------------------------------------------------

def test_a_deep_sigmoid_network_vanishes_and_a_relu_network_does_not():
    out = text("reluNorms = layerGradientNorms")
    sig = ratio_line(out, "sigmoid")
    relu = ratio_line(out, "relu")
    assert sig["ratio"] < 1e-10, "the first sigmoid layer's gradient should be many orders below the last's"
    assert sig["per_layer"] < 0.25, "each sigmoid layer can pass on at most σ'(0) = 0.25 times the weights' gain"
    assert 0.1 < relu["ratio"] < 10, "a ReLU network's gradient norms should stay within one order of magnitude"


def test_batch_norm_keeps_the_sigmoid_gradients_level():
    out = text("batchNormNorms = layerGradientNorms")
    plain = ratio_line(out, "sigmoid")
    normed = ratio_line(out, "sigmoid + BatchNorm")
    assert 0.1 < normed["ratio"] < 10
    assert normed["first"] > 1e10 * plain["first"]


def test_residual_connections_keep_the_sigmoid_gradients_from_vanishing():
    out = text("residualNorms = layerGradientNorms")
    plain = ratio_line(out, "sigmoid")
    residual = ratio_line(out, "sigmoid, residual")
    assert residual["ratio"] > 1e-3, "the residual network should lose at most a few orders of magnitude"
    assert residual["first"] > 1e10 * plain["first"]


# --- exploding gradients: a product of random matrices ------------------------------------------------------------

def matrix_entries(block: str) -> list[float]:
    return numbers_in(block.split("float32", 1)[1])


def test_a_product_of_100_random_matrices_explodes_at_the_rate_theory_gives():
    out = text("after multiplying 100 matrices")
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
    spread = math.sqrt(101 * (math.pi ** 2 / 6 - 1) / 4) / math.log(10)  # sd of the sum, about 1.75
    assert abs(hundred_one - 101 * per_factor) < 4 * spread


# --- initialization ---------------------------------------------------------------------------------------------

def test_initialization_scales_the_relu_gradients_as_the_weight_scale_predicts():
    out = text("LinePlot initPlot")
    lines = {name: ratio_line(out, name) for name in ("N(0, 1)", "N(0, 0.01^2)", "Xavier", "He (Kaiming)")}
    for line in lines.values():
        assert 0.1 < line["ratio"] < 10, "with any scale, a ReLU network's norms are level across layers"
    assert lines["N(0, 1)"]["first"] > 1e12, "N(0, 1) weights should explode the gradients"
    assert lines["N(0, 0.01^2)"]["first"] < 1e-15, "N(0, 0.01²) weights should vanish them"
    assert 0.01 < lines["He (Kaiming)"]["first"] < 100, "He initialization keeps them around 1"
    # With zero biases a ReLU network is positively homogeneous: scaling every weight matrix by c scales each weight's
    # gradient (of a loss linear in the output) by c^19, the 19 other layers. So the levels are set by the std devs.
    he_std = math.sqrt(2 / WIDTH)
    for name, std in (("N(0, 1)", 1.0), ("N(0, 0.01^2)", 0.01), ("Xavier", math.sqrt(2 / (WIDTH + WIDTH)))):
        for end in ("first", "last"):
            measured = math.log10(lines[name][end] / lines["He (Kaiming)"][end])
            assert measured == pytest.approx((LAYERS - 1) * math.log10(std / he_std), abs=1.0), (name, end)


# --- can the sigmoid explode? ------------------------------------------------------------------------------------

SIGMAS = [0.1, 0.5, 1, 2, 4, 8]


def numpy_log10_first_over_last(sigma: float, seed: int) -> float:
    """The notebook's experiment, written again with numpy: a 20-layer sigmoid MLP of width 128, zero biases and
    N(0, sigma^2) weights, on a batch of 64 N(0, 1) inputs; the loss is the mean of the output. Returns log10 of the
    first layer's weight-gradient norm over the last's."""
    rng = np.random.default_rng(seed)
    activations = [rng.standard_normal((64, WIDTH))]
    weights = [rng.standard_normal((WIDTH, WIDTH)) * sigma for _ in range(LAYERS)]
    for w in weights:
        activations.append(1 / (1 + np.exp(-(activations[-1] @ w))))
    gradient = np.full((64, WIDTH), 1 / (64 * WIDTH))
    norms = []
    for layer in reversed(range(LAYERS)):
        out = activations[layer + 1]
        before_sigmoid = gradient * out * (1 - out)
        norms.append(np.linalg.norm(activations[layer].T @ before_sigmoid))
        gradient = before_sigmoid @ weights[layer].T
    return math.log10(norms[-1] / norms[0])


def test_large_weights_make_a_sigmoid_network_explode_as_an_independent_computation_predicts():
    out = text("double[] sigmas")
    measured = {sigma: ratio_line(out, f"sigmoid, N(0, {float(sigma)}^2)") for sigma in SIGMAS}
    for sigma in SIGMAS:
        reference = [numpy_log10_first_over_last(sigma, seed) for seed in range(8)]
        mean, spread = float(np.mean(reference)), float(np.std(reference))
        assert math.log10(measured[sigma]["ratio"]) == pytest.approx(mean, abs=max(1.0, 4 * spread)), sigma
    # what the prose says: small weights vanish, sigma = 1 is about level, from sigma = 2 on the first layer's
    # gradient outgrows the last's, the more so the larger sigma
    assert measured[0.1]["ratio"] < 1e-8 and measured[0.5]["ratio"] < 1e-2
    assert 0.01 < measured[1]["ratio"] < 10
    assert 1 < measured[2]["per_layer"] < measured[4]["per_layer"] < measured[8]["per_layer"]
    assert measured[8]["ratio"] > 1e6
    assert len(pngs_of(outputs_of(NAME, "double[] sigmas"))) == 1


# --- gradient clipping ------------------------------------------------------------------------------------------

def test_clipping_saves_a_run_that_a_too_high_learning_rate_explodes():
    out = text("tooHigh = trainRegression")
    steps = STEPS_PER_EPOCH * CLIP_EPOCHS
    assert f"steps per run: {steps} ({CLIP_EPOCHS} epochs of 20)" in out
    exploded = re.search(rf"lr 0\.3, no clipping: largest finite loss {NUMBER}, not a number from step (\d+) on; "
                         rf"final loss {NUMBER}", out)
    assert float(exploded.group(1)) > 1e10
    assert int(exploded.group(2)) < steps
    assert not math.isfinite(float(exploded.group(3).replace("Infinity", "inf")))
    clipped = re.search(rf"lr 0\.3, clipped to 1\.0: first loss {NUMBER}, final loss {NUMBER}; "
                        rf"gradient norm at step 1 {NUMBER}", out)
    first, final, norm = (float(g) for g in clipped.groups())
    assert final < 0.1 * first
    assert norm > 1.0, "the first gradient should be above the clipping threshold, or clipping did nothing"
    suitable = re.search(rf"lr 0\.03, no clipping: first loss {NUMBER}, final loss {NUMBER}", out)
    assert float(suitable.group(1)) == pytest.approx(first, rel=1e-4), "all runs start from the same weights"
    assert float(suitable.group(2)) < 0.1 * first


# --- the exercises' answers ------------------------------------------------------------------------------------

def test_answer_1_a_tanh_network_does_not_vanish():
    out = text("// The answer to exercise 1")
    assert ratio_line(out, "sigmoid")["ratio"] < 1e-10
    assert 0.1 < ratio_line(out, "tanh")["ratio"] < 10


def test_answer_2_fifty_layers_take_each_initializers_factor_49_times():
    out = text("// The answer to exercise 2")
    lines = {name: ratio_line(out, name, layers=50) for name in ("N(0, 1)", "N(0, 0.01^2)", "Xavier", "He (Kaiming)")}
    assert 0.01 < lines["He (Kaiming)"]["first"] < 100
    he_std = math.sqrt(2 / WIDTH)
    for name, std in (("N(0, 1)", 1.0), ("N(0, 0.01^2)", 0.01), ("Xavier", math.sqrt(2 / (WIDTH + WIDTH)))):
        measured = math.log10(lines[name]["first"] / lines["He (Kaiming)"]["first"])
        assert measured == pytest.approx(49 * math.log10(std / he_std), abs=1.5), name


def test_answer_3_adam_does_not_explode_at_the_rate_that_exploded_sgd():
    outputs = outputs_of(NAME, "// The answer to exercise 3")
    match = re.search(rf"Adam, lr 0\.01, no clipping: first loss {NUMBER}, largest loss {NUMBER}, final loss {NUMBER}",
                      text_of(outputs))
    first, largest, final = (float(g) for g in match.groups())
    assert largest == first and final < first / 100
    assert len(pngs_of(outputs)) == 1
    losses = tensorboard_log(NAME).Scalars("loss/adam_0.01")
    assert [e.step for e in losses] == list(range(1, STEPS_PER_EPOCH * CLIP_EPOCHS + 1))


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
    norms = ["grad_norm/sigmoid", "grad_norm/relu", "grad_norm/sigmoid_batchnorm", "grad_norm/sigmoid_residual"] + [
        f"grad_norm/relu_init_{i}" for i in ("normal_1", "normal_0.01", "xavier", "he")]
    norms += [f"grad_norm/sigmoid_init_normal_{float(sigma)}" for sigma in SIGMAS]
    losses = ["loss/lr_0.3", "loss/lr_0.3_clip_1.0", "loss/lr_0.03", "loss/adam_0.01"]
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
    sigmoid_norms = [e.value for e in events.Scalars("grad_norm/sigmoid")]
    assert sigmoid_norms == sorted(sigmoid_norms), "the sigmoid's gradient norms should grow from layer 1 to 20"
    log10_norms = [e.value for e in events.Scalars("matrix_product/log10_norm")]
    assert 0.15 < (log10_norms[-1] - log10_norms[0]) / 100 < 0.35
