package io.javadl.core;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Writes an {@link NDArray} the way PyTorch prints a tensor, under DJL's one-line header, so that a notebook's
 * numbers can be read beside the PyTorch notes:
 *
 * <pre>
 * ND: (1, 1, 3, 3) cpu() int32
 * [[[[10, 12, 12],
 *    [18, 16, 16],
 *    [13,  9,  3]]]]
 * </pre>
 *
 * <p>As in PyTorch: an array of more than {@value #SUMMARY_THRESHOLD} elements shows the first and last
 * {@value #EDGE_ITEMS} items of each long dimension around {@code ...}; floats show 4 decimals, or {@code 2.}
 * when every shown value is whole, or scientific notation when they span more than 1000x or pass 1e8 (and, for
 * fractions, go below 1e-4); numbers are right-aligned to one width. Only the items shown are copied out of
 * native memory. Unlike PyTorch, rows are not wrapped at 80 characters.
 */
public final class TensorFormat {

    /** Arrays with more elements than this are summarized. */
    public static final int SUMMARY_THRESHOLD = 1000;
    /** Items shown at each end of a summarized dimension. */
    public static final int EDGE_ITEMS = 3;

    private TensorFormat() {
    }

    /**
     * Returns DJL's header line ({@code ND: (shape) device dtype}) and the values, PyTorch-style.
     *
     * @param array the array to show; it is read, not changed or closed
     * @return the text, without a trailing newline
     */
    public static String format(NDArray array) {
        String header = "ND: " + array.getShape() + " " + array.getDevice() + " " + array.getDataType();
        return header + "\n" + values(array);
    }

    /**
     * Returns only the values, PyTorch-style, without the header.
     *
     * @param array the array to show; it is read, not changed or closed
     * @return the text, without a trailing newline
     */
    public static String values(NDArray array) {
        long[] shape = array.getShape().getShape();
        boolean summarize = array.size() > SUMMARY_THRESHOLD;
        boolean[] cut = new boolean[shape.length];
        List<NDArray> temporaries = new ArrayList<>();
        try {
            NDArray shown = array;
            for (int axis = 0; axis < shape.length; axis++) {
                if (summarize && shape[axis] > 2L * EDGE_ITEMS) {
                    cut[axis] = true;
                    NDArray head = slice(shown, axis, ":" + EDGE_ITEMS);
                    NDArray tail = slice(shown, axis, "-" + EDGE_ITEMS + ":");
                    shown = NDArrays.concat(new NDList(head, tail), axis);
                    temporaries.addAll(List.of(head, tail, shown));
                }
            }
            StringBuilder out = new StringBuilder();
            write(out, cells(shown), shown.getShape().getShape(), cut, 0, 0, 0);
            return out.toString();
        } finally {
            temporaries.forEach(NDArray::close);
        }
    }

    /** Returns {@code array[:, ..., :, range]}, the range applying to {@code axis}. */
    private static NDArray slice(NDArray array, int axis, String range) {
        return array.get(new NDIndex(":, ".repeat(axis) + range));
    }

    /** The shown values as text, right-aligned to one width, in row-major order. */
    private static String[] cells(NDArray shown) {
        DataType type = shown.getDataType();
        if (type.isFloating()) {
            try (NDArray wide = shown.toType(DataType.FLOAT64, true)) {
                return floats(wide.toDoubleArray());
            }
        }
        String[] cells;
        if (type == DataType.BOOLEAN) {
            boolean[] values = shown.toBooleanArray();
            cells = new String[values.length];
            for (int i = 0; i < values.length; i++) {
                cells[i] = Boolean.toString(values[i]);
            }
        } else {
            long[] values;
            try (NDArray wide = shown.toType(DataType.INT64, true)) {
                values = wide.toLongArray();
            }
            cells = new String[values.length];
            for (int i = 0; i < values.length; i++) {
                cells[i] = Long.toString(values[i]);
            }
        }
        int width = 1;
        for (String cell : cells) {
            width = Math.max(width, cell.length());
        }
        return padded(cells, width);
    }

    /**
     * Floats by PyTorch's rules ({@code torch._tensor_str._Formatter}), judged on the nonzero finite values shown:
     * when all are whole, {@code 2.}, unless the largest is over 1000 times the smallest or over 1e8; otherwise 4
     * decimals, unless that ratio is over 1000, the largest over 1e8 or the smallest under 1e-4. Those exceptions
     * are scientific notation, {@code 3.0710e+03}. The width is that of the widest nonzero finite value (zeros,
     * {@code nan} and {@code inf} are padded to it, never cut).
     */
    private static String[] floats(double[] values) {
        boolean whole = true;
        double maxAbs = 0;
        double minAbs = Double.POSITIVE_INFINITY;
        for (double v : values) {
            if (Double.isFinite(v) && v != 0) {
                whole &= v == Math.ceil(v);
                maxAbs = Math.max(maxAbs, Math.abs(v));
                minAbs = Math.min(minAbs, Math.abs(v));
            }
        }
        boolean wide = maxAbs > 0 && (maxAbs / minAbs > 1000 || maxAbs > 1e8);
        String pattern;
        if (wide || (!whole && minAbs < 1e-4)) {
            pattern = "%.4e";
        } else if (whole) {
            pattern = "%.0f.";
        } else {
            pattern = "%.4f";
        }
        int width = 1;
        String[] cells = new String[values.length];
        for (int i = 0; i < values.length; i++) {
            double v = values[i];
            cells[i] = Double.isNaN(v) ? "nan" : Double.isInfinite(v) ? (v > 0 ? "inf" : "-inf")
                    : String.format(Locale.ROOT, pattern, v);
            if (Double.isFinite(v) && v != 0) {
                width = Math.max(width, cells[i].length());
            }
        }
        return padded(cells, width);
    }

    /** Right-aligns each cell to {@code width}; longer cells stay as they are. */
    private static String[] padded(String[] cells, int width) {
        for (int i = 0; i < cells.length; i++) {
            cells[i] = " ".repeat(Math.max(0, width - cells[i].length())) + cells[i];
        }
        return cells;
    }

    /**
     * Writes the sub-array of {@code axis} that starts at {@code offset} in {@code cells}; {@code indent} is the
     * column of its opening bracket.
     */
    private static int write(StringBuilder out, String[] cells, long[] shape, boolean[] cut, int axis, int offset,
            int indent) {
        if (shape.length == 0) {
            out.append(cells[0].strip());
            return 1;
        }
        out.append('[');
        int length = (int) shape[axis];
        int used = 0;
        for (int i = 0; i < length; i++) {
            if (i > 0) {
                if (axis == shape.length - 1) {
                    out.append(", ");
                } else {
                    out.append(',').append("\n".repeat(shape.length - axis - 1)).append(" ".repeat(indent + 1));
                }
            }
            if (cut[axis] && i == EDGE_ITEMS) {
                if (axis == shape.length - 1) {
                    out.append(" ..., ");
                } else {
                    out.append("...,").append("\n".repeat(shape.length - axis - 1)).append(" ".repeat(indent + 1));
                }
            }
            if (axis == shape.length - 1) {
                out.append(cells[offset + used]);
                used++;
            } else {
                used += write(out, cells, shape, cut, axis + 1, offset + used, indent + 1);
            }
        }
        out.append(']');
        return used;
    }
}
