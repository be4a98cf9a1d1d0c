"""03-module: the notes' Tudui adds one; parameters and shapes of a Linear block; a sequence of two."""

from __future__ import annotations

import pytest

from executed_notebooks import numbers_in, outputs_of, tensor_rows, text_of

NAME = "03-module.ipynb"


def test_tudui_of_one_is_two():
    # forward(input) = input + 1, on torch.tensor(1.0)
    assert text_of(outputs_of(NAME, "nb03-05")) == "ND: () cpu() float32\n2.\n"


def test_a_linear_layer_of_3_inputs_and_2_units_has_a_2x3_weight_and_a_bias_of_2():
    lines = text_of(outputs_of(NAME, "nb03-07")).splitlines()
    assert lines == ["weight (2, 3)", "bias (2)", "tudui has 0 parameters", "output shape (1, 2)"]


def test_two_tuduis_in_a_row_add_two():
    text = text_of(outputs_of(NAME, "nb03-09"))
    assert text.startswith("ND: () cpu() float32\n3.\n")


def test_answer_1_doubles_and_adds_one():
    assert text_of(outputs_of(NAME, "nb03-14")) == "ND: (3) cpu() float32\n[3., 5., 7.]\n"


def test_answer_2_tudui_first_adds_the_weights_row_sums():
    text = text_of(outputs_of(NAME, "nb03-16"))
    rows = {
        label: tensor_rows(text.split(label)[1].split("\n", 2)[1])[0]
        for label in ("linear alone:", "after Tudui:", "the difference:", "W's sums per output:")
    }
    difference = [a - b for a, b in zip(rows["after Tudui:"], rows["linear alone:"], strict=True)]
    assert rows["the difference:"] == pytest.approx(difference, abs=2e-4)
    assert rows["the difference:"] == pytest.approx(rows["W's sums per output:"], abs=2e-4)


def test_answer_3_computes_the_scores_by_hand():
    text = text_of(outputs_of(NAME, "nb03-18"))
    weight = tensor_rows(text.split("weight ")[1].split("bias ")[0])
    bias = tensor_rows(text.split("bias ")[1].split("by hand:")[0])[0]
    features = [1, 2, 3]
    expected = [sum(w * f for w, f in zip(row, features, strict=True)) + b for row, b in zip(weight, bias, strict=True)]
    by_hand = numbers_in(text.split("by hand:")[1].split("\n")[0])
    scores = numbers_in(text.split("scores:")[1])
    assert by_hand == pytest.approx(expected, abs=1e-3)
    assert by_hand == scores
