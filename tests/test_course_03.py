"""03-module: the notes' Tudui adds one; parameters and shapes of a Linear block; a sequence of two."""

from __future__ import annotations

from executed_notebooks import outputs_of, text_of

NAME = "03-module.ipynb"


def test_tudui_of_one_is_two():
    # forward(input) = input + 1, on torch.tensor(1.0)
    assert text_of(outputs_of(NAME, "Tudui tudui = new Tudui();")) == "ND: () cpu() float32\n2.\n"


def test_a_linear_layer_of_3_inputs_and_2_units_has_a_2x3_weight_and_a_bias_of_2():
    lines = text_of(outputs_of(NAME, "Linear.builder().setUnits(2)")).splitlines()
    assert lines == ["weight (2, 3)", "bias (2)", "tudui has 0 parameters", "output shape (1, 2)"]


def test_two_tuduis_in_a_row_add_two():
    text = text_of(outputs_of(NAME, "new SequentialBlock().add(new Tudui())"))
    assert text.startswith("ND: () cpu() float32\n3.\n")
