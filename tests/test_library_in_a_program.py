"""The course library in a program of one's own, the way docs/library.md tells a Java developer: the docs' `mvn install`
in the checkout; then, outside the repository, the project the docs write out (their pom.xml and Train.java) and
examples/cifar10-tensorboard, each built with Maven against the installed artifact and run on a small subset. They
train with DJL's EasyTrain.fit and TensorBoardListener, and TensorBoard's own reader reads their logs."""

from __future__ import annotations

import json
import math
import os
import re
import shlex
import shutil
import subprocess
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import pytest
from tensorboard.backend.event_processing.event_accumulator import EventAccumulator

from conftest import POM, doc_blocks, project_version
from executed_notebooks import data_root
from javadl.project import ROOT, pom_property

EXAMPLE = ROOT / "examples" / "cifar10-tensorboard"


def coordinates(dependency: ElementTree.Element, properties: dict[str, str]) -> tuple[str, ...]:
    """groupId:artifactId:version:classifier and scope of a <dependency>, with the pom's ${properties} filled in."""

    def text(name: str) -> str:
        value = dependency.findtext(name, default="", namespaces=POM).strip()
        return re.sub(r"\$\{([^}]+)}", lambda m: properties[m.group(1)], value)

    return tuple(text(f"m:{name}") for name in ("groupId", "artifactId", "version", "classifier", "scope"))


def example_pom() -> tuple[ElementTree.Element, dict[str, str]]:
    root = ElementTree.parse(EXAMPLE / "pom.xml").getroot()
    return root, {p.tag.split("}")[1]: p.text for p in root.find("m:properties", POM)}


def test_the_installed_library_has_its_javadoc_and_sources_and_leaves_the_native_library_to_the_user(installed_library):
    name = f"javadl-lib-{project_version()}"
    with zipfile.ZipFile(installed_library / f"{name}-javadoc.jar") as javadoc:
        assert "io/javadl/train/TensorBoardListener.html" in javadoc.namelist()
    with zipfile.ZipFile(installed_library / f"{name}-sources.jar") as sources:
        assert "io/javadl/train/TensorBoardListener.java" in sources.namelist()

    pom = ElementTree.parse(installed_library / f"{name}.pom").getroot()
    shipped = [coordinates(d, {}) for d in pom.iterfind("m:dependencies/m:dependency", POM)]
    shipped = [c[:2] for c in shipped if c[4] != "test"]
    assert ("ai.djl.pytorch", "pytorch-engine") in shipped
    unwanted = [c for c in shipped if re.search(r"pytorch-native|pytorch-jni|jjava|jupyter", c[1])]
    assert unwanted == [], "the native library and Jupyter are the user's to add, not the library's"


def doc_block(language: str) -> str:
    """The one code block of a language in the docs page: its pom.xml, its Train.java."""
    [block] = doc_blocks(language)
    return block


def dependencies(pom: ElementTree.Element, properties: dict[str, str]) -> set[tuple[str, ...]]:
    return {coordinates(d, properties) for d in pom.iterfind("m:dependencies/m:dependency", POM)}


def test_the_docs_dependencies_are_the_example_projects_at_the_builds_versions():
    root, properties = example_pom()
    for name in ("djl.version", "pytorch.version", "maven.compiler.release"):
        assert properties[name] == pom_property(name), name
    assert properties["javadl.version"] == project_version()
    documented = dependencies(ElementTree.fromstring(doc_block("xml").encode()), {})
    assert documented == dependencies(root, properties)

    gradle = {
        tuple(m.groups())
        for block in doc_blocks("kotlin")
        for m in re.finditer(r'(implementation|runtimeOnly)\("([^"]+)"\)', block)
    }
    as_gradle = {
        ("runtimeOnly" if scope == "runtime" else "implementation", ":".join(filter(None, (g, a, v, c))))
        for g, a, v, c, scope in documented
    }
    assert gradle == as_gradle


def run_maven(project: Path, command: str, dataset_limit: int | None = None) -> subprocess.CompletedProcess:
    """Runs a Maven command line in a project on the tests' CIFAR-10, with JAVADL_DATASET_LIMIT if given. Not
    --quiet: exec:java runs the program in Maven's JVM, where Maven's --quiet silences SLF4J's simple logger too."""
    env = dict(os.environ, JAVADL_DATA=str(data_root()))
    env.pop("JAVADL_DATASET_LIMIT", None)
    if dataset_limit is not None:
        env["JAVADL_DATASET_LIMIT"] = str(dataset_limit)
    result = subprocess.run(
        shlex.split(command) + ["--batch-mode", "-Dstyle.color=never"],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return result


def read_scalars(logdir: Path) -> dict[str, list]:
    events = EventAccumulator(str(logdir), size_guidance={"scalars": 0})
    events.Reload()
    return {tag: events.Scalars(tag) for tag in events.Tags()["scalars"]}


LISTENER_TAGS = [
    "Accuracy/train",
    "Accuracy/validation",
    "learning_rate",
    "loss/train",
    "loss/train_step",
    "loss/validation",
]


def test_a_project_written_from_the_docs_alone_trains_and_tensorboard_reads_its_logs(tmp_path, installed_library):
    project = tmp_path / "demo"
    (project / "src" / "main" / "java" / "demo").mkdir(parents=True)
    (project / "pom.xml").write_text(doc_block("xml"))
    (project / "src" / "main" / "java" / "demo" / "Train.java").write_text(doc_block("java"))
    [run] = [
        line.split("#")[0].strip()
        for block in doc_blocks("sh")
        for line in block.splitlines()
        if line.startswith("mvn compile exec:java") and "exec.args" not in line
    ]

    # 700 training images: 630 to train on in batches of 64, 10 steps an epoch, 50 in all, the loss logged every 10
    result = run_maven(project, run, dataset_limit=700)

    scalars = read_scalars(project / "logs" / "course-cnn")
    assert sorted(scalars) == LISTENER_TAGS
    assert [e.step for e in scalars["loss/train_step"]] == [10, 20, 30, 40, 50]
    assert [e.value for e in scalars["learning_rate"]] == pytest.approx([0.01] * 5)
    # each run of 10 steps is an epoch here, so its mean is the epoch's loss
    assert [e.value for e in scalars["loss/train_step"]] == pytest.approx([e.value for e in scalars["loss/train"]])
    # DJL's own log of the last epoch, through the slf4j-simple of the docs' pom, to 2 decimals
    assert "Epoch 5 finished." in result.stderr
    for split, tag in (("Train", "train"), ("Validate", "validation")):
        logged = re.findall(rf"{split}: Accuracy: ([0-9.]+), SoftmaxCrossEntropyLoss: ([0-9.]+)", result.stderr)
        assert len(logged) == 5, result.stderr[-2000:]
        accuracy, loss = map(float, logged[-1])
        assert scalars[f"Accuracy/{tag}"][-1].value == pytest.approx(accuracy, abs=0.005)
        assert scalars[f"loss/{tag}"][-1].value == pytest.approx(loss, abs=0.005)


def cosine_rate(step: int, steps: int, base: float = 0.01, final: float = 0.001) -> float:
    """The example's schedule by its definition (PyTorch's CosineAnnealingLR): base at step 0, final at `steps`."""
    return final + (base - final) * (1 + math.cos(math.pi * step / steps)) / 2


def test_the_example_project_trains_with_easytrain_and_tensorboard_reads_its_logs(tmp_path, installed_library):
    project = tmp_path / "cifar10-tensorboard"  # outside the repository: only the installed artifact links them
    shutil.copytree(EXAMPLE, project, ignore=shutil.ignore_patterns("target", "logs"))
    # 700 images of each split, 630 to train on: 10 steps an epoch, 20 in all, the loss logged every 10
    result = run_maven(project, 'mvn compile exec:java -Dexec.args="--epochs 2 --limit 700 --logdir logs/run"')
    assert f"tensorboard --logdir {project / 'logs'}" in result.stdout
    assert re.search(r"^test: 700 images, loss \d+\.\d{4}, accuracy \d+\.\d\d%$", result.stdout, re.M), result.stdout
    # DJL's own EvaluatorTrainingListener's values of the last epoch (Trainer.getTrainingResult)
    djl = json.loads(re.search(r"^\{$.*?^\}$", result.stdout, re.S | re.M).group())["evaluations"]

    scalars = read_scalars(project / "logs" / "run")
    assert sorted(scalars) == LISTENER_TAGS
    assert [e.step for e in scalars["loss/train_step"]] == [10, 20]
    assert [e.value for e in scalars["loss/train_step"]] == pytest.approx([e.value for e in scalars["loss/train"]])
    assert [e.step for e in scalars["learning_rate"]] == [10, 20]
    assert [e.value for e in scalars["learning_rate"]] == pytest.approx([cosine_rate(10, 20), cosine_rate(20, 20)])
    for tag, djl_name in [
        ("loss/train", "train_loss"),
        ("loss/validation", "validate_loss"),
        ("Accuracy/train", "train_Accuracy"),
        ("Accuracy/validation", "validate_Accuracy"),
    ]:
        assert [e.step for e in scalars[tag]] == [1, 2], tag
        assert scalars[tag][-1].value == pytest.approx(djl[djl_name], rel=1e-6), tag
