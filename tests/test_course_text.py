"""What a learner reads: the notes' own PyTorch beside the Java that mirrors it, exercises with worked answers, and no
word of the test setup.

These read the committed notebooks (not executed copies): the answers' outputs are checked where each notebook's
values are (test_course_NN.py), and every cell's run in test_notebooks.py.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

from conftest import COURSE_NOTES, NO_NOTES_REASON
from executed_notebooks import is_answer
from javadl.project import NOTEBOOKS, ROOT

NOTEBOOK_FILES = sorted(NOTEBOOKS.glob("*.ipynb"))
PYTHON_BLOCK = re.compile(r"```python\n(.*?)```", re.S)
# The notes' PyTorch snippets each notebook shows: 00 comes before the notes, and 07-09 mirror notes without code
SNIPPETS = {
    "01-datasets": 4,
    "02-dataloader": 4,
    "03-module": 2,
    "04-convolution": 6,
    "05-pooling": 2,
    "06-activations": 3,
}
ONE_TENSORBOARD_COMMAND = ".venv/bin/tensorboard --logdir notebooks/logs"


def notebook(path: Path) -> nbformat.NotebookNode:
    return nbformat.read(path, as_version=4)


def notes_lines() -> list[str]:
    if not COURSE_NOTES.is_file():
        pytest.skip(f"{NO_NOTES_REASON} ({COURSE_NOTES}): the snippets cannot be compared with them")
    return [line.rstrip() for line in COURSE_NOTES.read_text().splitlines()]


@pytest.mark.parametrize("path", NOTEBOOK_FILES, ids=lambda p: p.name)
def test_each_python_block_is_the_notes_own_code_before_the_java_that_mirrors_it(path: Path):
    lines = notes_lines()
    cells = notebook(path).cells
    blocks = 0
    for i, cell in enumerate(cells):
        if cell.cell_type != "markdown":
            continue
        for block in PYTHON_BLOCK.findall(cell.source):
            blocks += 1
            wanted = [line for line in block.splitlines() if line.strip()]
            # each line is a line of the notes, in the notes' order: an excerpt, not a paraphrase
            position = 0
            for line in wanted:
                try:
                    position = lines.index(line, position) + 1
                except ValueError:
                    pytest.fail(f"{path.name}: {line!r} is not the notes' (or not in their order)")
            assert cell.source.rstrip().endswith("```"), f"{path.name}: the snippet is not the cell's last word"
            assert i + 1 < len(cells) and cells[i + 1].cell_type == "code", (
                f"{path.name}: no Java cell follows the notes' snippet {wanted[0]!r}"
            )
    assert blocks == SNIPPETS.get(path.stem, 0)


@pytest.mark.parametrize("path", NOTEBOOK_FILES, ids=lambda p: p.name)
def test_every_exercise_has_a_collapsed_worked_answer_and_the_clean_up_comes_last(path: Path):
    cells = notebook(path).cells
    start = next(i for i, c in enumerate(cells) if c.cell_type == "markdown" and c.source.startswith("## Exercises"))
    end = next(i for i, c in enumerate(cells) if c.cell_type == "markdown" and c.source.startswith("## Clean up"))
    section = cells[start + 1 : end]
    assert section and len(section) % 2 == 0, f"{path.name}: the exercises are not question, answer, question, ..."
    for number, (question, answer) in enumerate(zip(section[::2], section[1::2], strict=True), start=1):
        assert question.cell_type == "markdown" and question.source.startswith(f"**{number}.** "), question.source
        assert is_answer(answer), f"{path.name}, exercise {number}: the cell after it is not a collapsed answer"
        assert answer.metadata["jupyter"].get("outputs_hidden"), f"{path.name}, exercise {number}: output not collapsed"
        assert answer.metadata["javadl"]["expected_outputs"], f"{path.name}, exercise {number}: answer shows nothing"
        # JupyterLab shows a collapsed cell's first line
        assert answer.source.startswith(f"// The answer to exercise {number}\n"), f"{path.name}: answer {number}"
    assert [c for c in cells if is_answer(c)] == section[1::2], f"{path.name}: a collapsed cell outside the exercises"
    assert all(c.cell_type == "code" for c in cells[end + 1 :]), f"{path.name}: the clean-up is not the end"


@pytest.mark.parametrize("path", NOTEBOOK_FILES, ids=lambda p: p.name)
def test_no_word_of_the_tests_sizes_in_what_a_learner_reads(path: Path):
    for cell in notebook(path).cells:
        text = cell.source
        assert not re.search(r"\bCI\b|JAVADL_DATASET_LIMIT|datasetLimit|settings\.epochs", text), (
            f"{path.name}: {text[:80]!r}"
        )
        # the one knob a notebook keeps is the epochs of a long training run, one line, said what it does
        for line in text.splitlines():
            if "CourseSettings.fromEnvironment().epochs(" in line and cell.cell_type == "code":
                assert line.endswith("// 20, or JAVADL_MAX_EPOCHS if that is lower"), line


def test_one_tensorboard_command_everywhere():
    texts = {path.name: "\n".join(c.source for c in notebook(path).cells) for path in NOTEBOOK_FILES}
    for page in ("README.md", "docs/setup.md", "docs/course.md"):  # the pages for learners (docs/library.md's programs
        texts[page] = (ROOT / page).read_text()  # log elsewhere)
    for name, text in texts.items():
        for command in re.findall(r"[\w./-]*tensorboard --logdir [\w./-]+", text):
            assert command == ONE_TENSORBOARD_COMMAND, f"{name}: {command}"
