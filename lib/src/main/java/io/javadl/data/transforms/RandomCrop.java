package io.javadl.data.transforms;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.Transform;
import ai.djl.util.RandomUtils;

/**
 * torchvision's {@code RandomCrop(size, padding)}: pads each image with {@code padding} zero pixels on every
 * side, then cuts a {@code size x size} window at a random place, a different place for each image of a batch
 * {@code (N, C, H, W)}, all in one step. The draws come from DJL's generator, which
 * {@code Engine.getInstance().setRandomSeed(seed)} fixes.
 */
public final class RandomCrop implements Transform {

    private final int size;
    private final int padding;

    /**
     * @param size the side of the square window
     * @param padding how many zero pixels to add on each side first
     */
    public RandomCrop(int size, int padding) {
        if (size < 1 || padding < 0) {
            throw new IllegalArgumentException("RandomCrop needs a size of at least 1 and a padding of 0 or more, "
                    + "not size " + size + " and padding " + padding);
        }
        this.size = size;
        this.padding = padding;
    }

    /**
     * @param array images of any type; it is not changed
     * @return a new array {@code (..., C, size, size)} in the same manager
     * @throws IllegalArgumentException if the padded images are smaller than the window
     */
    @Override
    public NDArray transform(NDArray array) {
        Shape shape = Images.requireImages("RandomCrop", array);
        long height = shape.get(shape.dimension() - 2) + 2L * padding;
        long width = shape.get(shape.dimension() - 1) + 2L * padding;
        if (height < size || width < size) {
            throw new IllegalArgumentException("RandomCrop(" + size + ", padding=" + padding + ") does not fit in "
                    + "images of shape " + shape);
        }
        return Images.onBatch(array, batch -> cropBatch(batch, height, width));
    }

    /** Crops a batch {@code (N, C, H, W)}; {@code height} and {@code width} are the padded images' size. */
    private NDArray cropBatch(NDArray batch, long height, long width) {
        int n = Math.toIntExact(batch.getShape().get(0));
        long channels = batch.getShape().get(1);
        NDManager manager = batch.getManager();

        long[] rows = new long[n * size]; // rows[i * size + k]: the k-th row (of the padded image) image i keeps
        long[] columns = new long[n * size];
        for (int i = 0; i < n; i++) {
            int top = RandomUtils.nextInt(Math.toIntExact(height - size + 1));
            int left = RandomUtils.nextInt(Math.toIntExact(width - size + 1));
            for (int k = 0; k < size; k++) {
                rows[i * size + k] = top + k;
                columns[i * size + k] = left + k;
            }
        }
        NDArray padded = padding == 0 ? batch : batch.pad(new Shape(padding, padding, padding, padding), 0);
        try (NDArray rowsKept = manager.create(rows, new Shape(n, 1, size, 1));
                NDArray rowIndex = rowsKept.broadcast(n, channels, size, width);
                NDArray someRows = padded.gather(rowIndex, 2);
                NDArray columnsKept = manager.create(columns, new Shape(n, 1, 1, size));
                NDArray columnIndex = columnsKept.broadcast(n, channels, size, size)) {
            return someRows.gather(columnIndex, 3);
        } finally {
            if (padded != batch) {
                padded.close();
            }
        }
    }

    @Override
    public String toString() {
        return "RandomCrop(" + size + ", padding=" + padding + ")";
    }
}
