#!/usr/bin/env python3
"""Draws the course's figures, SVG files in notebooks/figures/ that the notebooks show beside their text.

    python tools/figures.py            write them (make figures)
    python tools/figures.py --check    exit 1, naming the files, if a committed figure differs from what this draws

Numbers and shapes in the figures are computed here, in plain Python, from the notes' inputs: the 5x5 input and
3x3 kernel of the convolution section, the course CNN's layers. Labels are code or symbols where a word can be
spared (`stride=2`, `ceil_mode=True`, `x + f(x)`), else in English and Chinese. Text is drawn in the reader's own
sans-serif font, so a figure needs no network and no font file.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path

from svg import BLUE, GREEN, GREY, INK, LIGHT, ORANGE, PURPLE, Svg, tint

ROOT = Path(__file__).resolve().parent.parent
FIGURES = ROOT / "notebooks" / "figures"

# the notes' convolution section (and the pooling notebook's input)
INPUT = [[1, 2, 0, 3, 1], [0, 1, 2, 3, 1], [1, 2, 1, 0, 0], [5, 2, 3, 1, 1], [2, 1, 0, 1, 1]]
KERNEL = [[1, 2, 1], [0, 1, 0], [2, 1, 0]]


def convolve(image: list[list[int]], kernel: list[list[int]], stride: int = 1, padding: int = 0) -> list[list[int]]:
    """F.conv2d of one channel: the sum of kernel * patch at every position the kernel fits."""
    padded = pad(image, padding)
    k = len(kernel)
    size = (len(padded) - k) // stride + 1
    return [
        [
            sum(kernel[i][j] * padded[r * stride + i][c * stride + j] for i in range(k) for j in range(k))
            for c in range(size)
        ]
        for r in range(size)
    ]


def pad(image: list[list[int]], padding: int) -> list[list[int]]:
    width = len(image[0]) + 2 * padding
    rows = [[0] * width for _ in range(padding)]
    rows += [[0] * padding + row + [0] * padding for row in image]
    return rows + [[0] * width for _ in range(padding)]


def max_pool(image: list[list[int]], window: int, ceil_mode: bool) -> list[list[int]]:
    """MaxPool2d with stride = window: floor mode keeps whole windows; ceil mode also those that hang over the edge."""
    n = len(image)
    count = -(-(n - window) // window) + 1 if ceil_mode else (n - window) // window + 1
    return [
        [
            max(
                image[r][c]
                for r in range(i * window, min(n, (i + 1) * window))
                for c in range(j * window, min(n, (j + 1) * window))
            )
            for j in range(count)
        ]
        for i in range(count)
    ]


def convolution() -> Svg:
    """04: the 3x3 kernel sliding over the 5x5 input at stride 1, stride 2, and stride 1 with padding 1."""
    cell = 26
    svg = Svg(
        640,
        0,
        "The notes' 5x5 input convolved with their 3x3 kernel: at stride 1 the kernel moves one "
        "pixel at a time (3x3 output), at stride 2 two pixels (2x2 output), and with padding 1 a "
        "border of zeros keeps the 5x5 size.",
    )
    cases = [("stride=1", 1, 0), ("stride=2", 2, 0), ("stride=1, padding=1", 1, 1)]
    y = 14
    for label, stride, padding in cases:
        svg.text(14, y + 8, label, size=15, anchor="start", mono=True, weight="bold")
        y += 26
        image = pad(INPUT, padding)
        out = convolve(INPUT, KERNEL, stride, padding)
        fills = {}
        for r in range(len(image)):
            for c in range(len(image)):
                if padding and (r in (0, len(image) - 1) or c in (0, len(image) - 1)):
                    fills[(r, c)] = LIGHT
        first, second = (0, 0), (0, stride)  # the kernel's first position, and the next one along the row
        for (r0, c0), colour in ((second, ORANGE), (first, BLUE)):  # where the two overlap, the first shows
            for i in range(3):
                for j in range(3):
                    fills[(r0 + i, c0 + j)] = tint(colour)
        x0 = 14
        svg.grid(x0, y, image, cell, fills)
        for (r0, c0), colour, dash in ((first, BLUE, None), (second, ORANGE, "5,3")):
            svg.rect(x0 + c0 * cell, y + r0 * cell, 3 * cell, 3 * cell, stroke=colour, width=2.5, dash=dash)
        side = len(image) * cell
        middle = y + side / 2
        svg.text(x0 + side + 26, middle, "∗", size=26)
        kx = x0 + side + 48
        svg.grid(kx, middle - 1.5 * cell, KERNEL, cell, {(i, j): LIGHT for i in range(3) for j in range(3)})
        svg.text(kx + 3 * cell + 26, middle, "=", size=22)
        ox = kx + 3 * cell + 52
        oy = middle - len(out) * cell / 2
        svg.grid(ox, oy, out, cell, {(0, 0): tint(BLUE), (0, 1): tint(ORANGE)})
        svg.rect(ox, oy, cell, cell, stroke=BLUE, width=2.5)
        svg.rect(ox + cell, oy, cell, cell, stroke=ORANGE, width=2.5, dash="5,3")
        y += side + 22
    svg.height = round(y)
    return svg


def pooling() -> Svg:
    """05: MaxPool2d(kernel_size=3) on the 5x5 input, with ceil_mode off (one window) and on (four, two partial)."""
    cell = 30
    svg = Svg(
        700,
        236,
        "Max pooling the 5x5 input with 3x3 windows at stride 3: with ceil_mode=False only the "
        "one whole window counts (output 1x1); with ceil_mode=True the windows that hang over the "
        "edge count too (output 2x2).",
    )
    colours = [BLUE, ORANGE, GREEN, PURPLE]
    for panel, ceil_mode in enumerate((False, True)):
        x0 = 20 + panel * 350
        svg.text(x0, 18, f"ceil_mode={ceil_mode}", size=15, anchor="start", mono=True, weight="bold")
        y0 = 44
        out = max_pool(INPUT, 3, ceil_mode)
        windows = [(i, j) for i in range(len(out)) for j in range(len(out))]
        fills = {}
        for (i, j), colour in zip(windows, colours, strict=False):
            for r in range(i * 3, min(5, i * 3 + 3)):
                for c in range(j * 3, min(5, j * 3 + 3)):
                    fills[(r, c)] = tint(colour)
        svg.grid(x0, y0, INPUT, cell, fills)
        for (i, j), colour in zip(windows, colours, strict=False):
            # a whole window's frame; the part that hangs over the edge is dashed
            svg.rect(
                x0 + j * 3 * cell,
                y0 + i * 3 * cell,
                3 * cell,
                3 * cell,
                stroke=colour,
                width=2.5,
                dash=None if (i, j) == (0, 0) else "5,3",
            )
        if not ceil_mode:  # what floor mode leaves out
            for r in range(5):
                for c in range(5):
                    if r >= 3 or c >= 3:
                        svg.rect(x0 + c * cell, y0 + r * cell, cell, cell, fill="white", stroke="none")
                        svg.text(x0 + (c + 0.5) * cell, y0 + (r + 0.5) * cell, INPUT[r][c], size=13, fill=GREY)
                        svg.rect(x0 + c * cell, y0 + r * cell, cell, cell, stroke=GREY, width=0.8, dash="2,2")
        middle = y0 + 2.5 * cell
        svg.line(x0 + 6 * cell + 8, middle, x0 + 6 * cell + 52, middle, arrow=True)
        svg.text(x0 + 6 * cell + 30, middle - 14, "max", size=13, mono=True)
        ox = x0 + 6 * cell + 64
        oy = middle - len(out) * cell / 2
        svg.grid(ox, oy, out, cell, {w: tint(colour) for w, colour in zip(windows, colours, strict=False)})
        for (i, j), colour in zip(windows, colours, strict=False):
            svg.rect(ox + j * cell, oy + i * cell, cell, cell, stroke=colour, width=2.5)
    return svg


def data_splits() -> Svg:
    """07: the training data split into a training and a validation part, and the test set apart."""
    svg = Svg(
        640,
        222,
        "The data for training are split in two: the training part fits the weights, the "
        "validation part chooses the penalty's strength. The test set is used once, at the end, to "
        "report the chosen model's error.",
    )
    y, height = 54, 46
    parts = (
        (20, 250, BLUE, "training set · 训练集", ("fits the weights w", "拟合权重 w", "every step")),
        (270, 150, ORANGE, "validation set · 验证集", ("chooses λ", "选择 λ", "after each run")),
        (460, 160, GREEN, "test set · 测试集", ("reports the error", "报告误差", "once, at the end")),
    )
    svg.text(220, 18, "training data · 训练数据", size=14, weight="bold")
    svg.path("M20,34 h400", stroke=GREY, width=1)
    svg.text(540, 18, "test data · 测试数据", size=14, weight="bold")
    svg.path("M460,34 h160", stroke=GREY, width=1)
    for x, width, colour, name, uses in parts:
        middle = x + width / 2
        svg.rect(x, y, width, height, fill=tint(colour), stroke=colour, width=2)
        svg.text(middle, y + height / 2, name, size=13)
        svg.line(middle, y + height + 10, middle, y + height + 34, stroke=colour, width=2, arrow=True)
        for k, value in enumerate(uses):
            svg.text(middle, y + height + 50 + 18 * k, value, size=13, fill=INK if k < 2 else GREY)
    return svg


def residual_block() -> Svg:
    """08: a residual block, x + f(x), with f = Linear then the sigmoid, and the gradient's two ways back."""
    svg = Svg(
        660,
        215,
        "A residual block: x goes through Linear and the sigmoid, which make f(x), and around them "
        "along the skip connection; the two are added to give x + f(x). Its derivative is 1 + f'(x): "
        "the gradient reaches x along the skip without being multiplied.",
    )
    y = 120
    svg.text(40, y, "x", size=20, weight="bold")
    svg.line(56, y, 120, y, arrow=True)
    svg.rect(122, y - 24, 120, 48, fill=tint(BLUE), stroke=BLUE, width=2, rx=6)
    svg.text(182, y, "Linear", size=15, mono=True)
    svg.line(242, y, 290, y, arrow=True)
    svg.rect(292, y - 24, 120, 48, fill=tint(BLUE), stroke=BLUE, width=2, rx=6)
    svg.text(352, y, "sigmoid", size=15, mono=True)
    svg.line(412, y, 472, y, arrow=True)
    svg.text(442, y - 16, "f(x)", size=15)
    svg.circle(490, y, 17)
    svg.text(490, y, "+", size=22)
    svg.line(507, y, 556, y, arrow=True)
    svg.text(598, y, "x + f(x)", size=17, weight="bold")
    # the skip connection, over the block
    svg.path(f"M80,{y} C80,{y - 105} 490,{y - 105} 490,{y - 19}", stroke=ORANGE, width=2.5, arrow=True)
    svg.text(285, y - 92, "x", size=16, fill=ORANGE, weight="bold")
    # f's span and the derivative
    svg.path(f"M122,{y + 36} v8 h290 v-8", stroke=GREY, width=1.2)
    svg.text(267, y + 60, "f", size=15, fill=GREY)
    svg.text(545, y + 60, "∂(x + f(x))/∂x = 1 + f′(x)", size=15)
    return svg


@dataclass
class Stage:
    """A tensor on its way through the course CNN: its shape without the batch dimension, and the layer that made it."""

    layer: str
    shape: tuple[int, ...]


def course_cnn_stages() -> list[Stage]:
    """The shapes CourseCnn gives one image, computed from its layers: 5x5 convolutions with padding 2 keep the size,
    2x2 pools halve it."""
    stages = [Stage("", (3, 32, 32))]
    for filters in (32, 32, 64):
        channels, height, width = stages[-1].shape
        size = (height + 2 * 2 - 5) // 1 + 1
        stages.append(Stage("Conv2d 5×5", (filters, size, size)))
        stages.append(Stage("MaxPool2d 2", (filters, size // 2, size // 2)))
    channels, height, width = stages[-1].shape
    stages.append(Stage("Flatten", (channels * height * width,)))
    stages.append(Stage("Linear", (64,)))
    stages.append(Stage("Linear", (10,)))
    return stages


def course_cnn() -> Svg:
    """09: the course CNN's layers, with the shape of what each one gives (one image, so without the N), in two rows;
    the second starts from where the first ends, drawn dashed."""
    stages = course_cnn_stages()
    svg = Svg(
        780,
        330,
        "The course CNN: three 5x5 convolutions, each followed by a 2x2 max pool, take an image "
        "of 3x32x32 to 64x4x4; Flatten makes that 1024 numbers, and two Linear layers make 64 and "
        "then 10, one score per class.",
    )
    rows = [(stages[:5], 90), (stages[4:], 250)]
    ends = []  # the middle of each row's first and last tensor
    for row, (row_stages, middle) in enumerate(rows):
        x = 20
        for k, stage in enumerate(row_stages):
            if k:
                svg.line(x + 6, middle, x + 96, middle, arrow=True)
                svg.text(x + 50, middle - 16, stage.layer, size=12, mono=True)
                x += 104
            width = draw_tensor(svg, x, middle, stage.shape, dashed=row == 1 and k == 0)
            svg.text(x + width / 2, middle + 66, "×".join(str(v) for v in stage.shape), size=12, weight="bold")
            ends.append(x + width / 2)
            x += width
    # row 2 goes on from where row 1 ends: a dashed way from the one tensor to its dashed copy
    svg.path(f"M{ends[4]:g},{90 + 76} V172 H{ends[5]:g} V{250 - 24}", stroke=GREY, width=1.2, arrow=True, dash="4,3")
    return svg


def draw_tensor(svg: Svg, x: float, middle: float, shape: tuple[int, ...], dashed: bool = False) -> float:
    """Draws a (C, H, W) tensor as a stack of feature maps, or a vector as a bar; returns the width drawn."""
    dash = "4,3" if dashed else None
    if len(shape) == 3:
        channels, side, _ = shape
        size = side * 2.5
        depth, colour = {3: (2, GREY), 32: (4, BLUE), 64: (6, PURPLE)}[channels]
        for d in reversed(range(depth)):  # the front map last
            fill = "white" if dashed else tint(colour, 0.3 if d else 0.5)
            svg.rect(x + d * 4, middle - size / 2 - d * 4, size, size, fill=fill, stroke=colour, width=1.2, dash=dash)
        return size + (depth - 1) * 4
    (count,) = shape
    height = {1024: 100, 64: 50, 10: 22}[count]
    svg.rect(x, middle - height / 2, 12, height, fill=tint(GREEN, 0.5), stroke=GREEN, width=1.2)
    return 12


FIGURES_BY_NAME = {
    "convolution.svg": convolution,
    "pooling.svg": pooling,
    "data-splits.svg": data_splits,
    "residual-block.svg": residual_block,
    "course-cnn.svg": course_cnn,
}


def drawn() -> dict[str, str]:
    return {name: draw().render() for name, draw in FIGURES_BY_NAME.items()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="compare with the committed figures instead of writing")
    args = parser.parse_args()
    figures = drawn()
    if args.check:
        stale = [
            name
            for name, svg in figures.items()
            if not (FIGURES / name).is_file() or (FIGURES / name).read_text(encoding="utf-8") != svg
        ]
        for name in stale:
            print(f"{FIGURES / name} is not what tools/figures.py draws: run `make figures`", file=sys.stderr)
        return 1 if stale else 0
    FIGURES.mkdir(parents=True, exist_ok=True)
    for name, svg in figures.items():
        (FIGURES / name).write_text(svg, encoding="utf-8")
    print(f"Wrote {len(figures)} figures to {FIGURES}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
