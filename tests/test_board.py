"""SummaryWriter, ImageGrid and LiveChart through the real kernel, and their files through TensorBoard's reader."""

from __future__ import annotations

import base64
import re

import nbformat
import pytest
from nbclient import NotebookClient
from nbconvert import HTMLExporter
from tensorboard.backend.event_processing.event_accumulator import EventAccumulator

from conftest import png_size
from javadl.kernelspec import KERNEL_NAME


def run_notebook(*cells: str) -> nbformat.NotebookNode:
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells])
    notebook.metadata["kernelspec"] = {"name": KERNEL_NAME, "display_name": "Java (DJL)", "language": "java"}
    NotebookClient(notebook, kernel_name=KERNEL_NAME, timeout=120).execute()
    return notebook


def test_tensorboard_reads_the_scalars_and_images(tmp_path, kernel_session):
    status, outputs = kernel_session.run(f"""
        try (NDManager m = NDManager.newBaseManager();
             SummaryWriter writer =
                     SummaryWriter.builder(java.nio.file.Path.of("{tmp_path}")).optInline(false).build()) {{
            for (int step = 0; step < 5; step++) {{
                writer.addScalar("loss", 1.0 / (step + 1), step);
            }}
            writer.addImage("one image", m.ones(new Shape(3, 20, 30)).mul(0.5), 7);
            writer.addImages("Epoch: 0", m.zeros(new Shape(10, 3, 32, 32), DataType.UINT8), 0);
            writer.addImages("Epoch: 0", m.zeros(new Shape(10, 3, 32, 32), DataType.UINT8), 1);
            writer.addImages("grey", m.ones(new Shape(4, 1, 28, 28)), 3);
        }}
        """)
    assert status == "ok", outputs
    assert outputs == []

    events = EventAccumulator(str(tmp_path), size_guidance={"images": 0, "scalars": 0})
    events.Reload()

    assert events.Tags()["scalars"] == ["loss"]
    assert sorted(events.Tags()["images"]) == ["Epoch: 0", "grey", "one image"]
    loss = events.Scalars("loss")
    assert [e.step for e in loss] == [0, 1, 2, 3, 4]
    assert [e.value for e in loss] == pytest.approx([1, 1 / 2, 1 / 3, 1 / 4, 1 / 5], rel=1e-6)
    expected_sizes = {"one image": (30, 20), "Epoch: 0": (8 * 34 + 2, 2 * 34 + 2), "grey": (4 * 30 + 2, 30 + 2)}
    for tag, size in expected_sizes.items():
        for image in events.Images(tag):
            assert (image.width, image.height) == size, tag
            assert png_size(image.encoded_image_string) == size, tag
    assert [e.step for e in events.Images("Epoch: 0")] == [0, 1]
    assert events.Images("one image")[0].step == 7


def test_add_images_in_a_cell_shows_a_bounded_number_of_pictures(tmp_path):
    notebook = run_notebook(f"""
        NDManager m = NDManager.newBaseManager();
        SummaryWriter writer = new SummaryWriter("{tmp_path}");
        for (int step = 0; step < 150; step++) {{
            writer.addImages("Epoch: 0", m.ones(new Shape(64, 3, 32, 32)), step);
        }}
        writer.close();
        """)

    outputs = notebook.cells[0].outputs
    assert [o.output_type for o in outputs] == ["display_data"] * 4
    for picture in outputs[:3]:
        assert "image/png" in picture.data
        assert picture.data["text/plain"].startswith("<image ")
        width, _ = png_size(base64.b64decode(picture.data["image/png"]))
        assert width == 2 * (8 * 34 + 2)  # the grid, shown twice as large
    assert outputs[3].data == {
        "text/plain": f"SummaryWriter: the first 3 images of 'Epoch: 0' are shown above; "
        f"the rest are only in the TensorBoard log {tmp_path}."
    }


def test_a_live_chart_leaves_its_final_picture_in_the_notebook_and_the_html():
    notebook = run_notebook("""
        LiveChart curves = new LiveChart(LinePlot.titled("Loss").xAxis("epoch").yAxis("loss"));
        for (int epoch = 1; epoch <= 4; epoch++) {
            curves.add("train", epoch, 2.0 / epoch);
            curves.add("test", epoch, 2.5 / epoch);
        }
        """)

    outputs = notebook.cells[0].outputs
    assert len(outputs) == 1, "the chart is drawn once and then updated in place"
    final = outputs[0]
    assert final.data["text/plain"] == "<XYChart 'Loss', 600x400: train (4 points), test (4 points)>"
    html, _ = HTMLExporter().from_notebook_node(notebook)
    images = re.findall(r'src="data:image/png;base64,([^"]+)"', html)
    assert images == [final.data["image/png"].replace("\n", "")]
