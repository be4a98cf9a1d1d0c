package io.javadl.data.transforms;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.Transform;
import java.util.Arrays;

/**
 * torchvision's {@code Normalize(mean, std)}: each channel {@code c} becomes {@code (x - mean[c]) / std[c]}, for
 * an image {@code (C, H, W)} or a batch {@code (N, C, H, W)} of floats (after {@link ToTensor}).
 */
public final class Normalize implements Transform {

    private final float[] mean;
    private final float[] std;

    /**
     * @param mean one mean per channel
     * @param std one standard deviation per channel, each above zero
     * @throws IllegalArgumentException if the two differ in length or a deviation is not positive
     */
    public Normalize(float[] mean, float[] std) {
        if (mean.length == 0 || mean.length != std.length) {
            throw new IllegalArgumentException("Normalize needs as many means as standard deviations, one per "
                    + "channel; got " + mean.length + " and " + std.length);
        }
        for (float s : std) {
            if (!(s > 0)) {
                throw new IllegalArgumentException("Normalize's standard deviations must be above zero: "
                        + Arrays.toString(std));
            }
        }
        this.mean = mean.clone();
        this.std = std.clone();
    }

    /**
     * @param array float images; it is not changed
     * @return a new array in the same manager
     * @throws IllegalArgumentException if the array is not float images with one channel per mean
     */
    @Override
    public NDArray transform(NDArray array) {
        Shape shape = Images.requireImages("Normalize", array);
        if (!array.getDataType().isFloating()) {
            throw new IllegalArgumentException("Normalize takes float images, not " + array.getDataType()
                    + ": put ToTensor before Normalize.");
        }
        long channels = shape.get(shape.dimension() - 3);
        if (channels != mean.length) {
            throw new IllegalArgumentException("Normalize has " + mean.length + " means and deviations but the "
                    + "images have " + channels + " channels (shape " + shape + ")");
        }
        NDManager manager = array.getManager();
        Shape perChannel = new Shape(mean.length, 1, 1);
        try (NDArray m = manager.create(mean, perChannel); NDArray s = manager.create(std, perChannel)) {
            return array.sub(m).divi(s);
        }
    }

    @Override
    public String toString() {
        return "Normalize(mean=" + Arrays.toString(mean) + ", std=" + Arrays.toString(std) + ")";
    }
}
