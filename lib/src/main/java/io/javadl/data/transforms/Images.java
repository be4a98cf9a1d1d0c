package io.javadl.data.transforms;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.util.function.UnaryOperator;

/** Shape checks shared by the transforms, which take one image {@code (C, H, W)} or a batch {@code (N, C, H, W)}. */
final class Images {

    private Images() {}

    /**
     * Checks that an array is an image or a batch of images.
     *
     * @param transform the transform's name, for the message
     * @param array the array to check
     * @return the array's shape
     * @throws IllegalArgumentException if the array has neither 3 nor 4 dimensions
     */
    static Shape requireImages(String transform, NDArray array) {
        Shape shape = array.getShape();
        if (shape.dimension() != 3 && shape.dimension() != 4) {
            throw new IllegalArgumentException(transform + " takes an image (C, H, W) or a batch of images "
                    + "(N, C, H, W), not an array of shape " + shape);
        }
        return shape;
    }

    /**
     * Applies a transform written for batches {@code (N, C, H, W)} to a batch, or to one image {@code (C, H, W)}
     * seen as a batch of one; the intermediate arrays of the single-image case are closed.
     */
    static NDArray onBatch(NDArray array, UnaryOperator<NDArray> transform) {
        if (array.getShape().dimension() == 4) {
            return transform.apply(array);
        }
        try (NDArray batch = array.expandDims(0); NDArray result = transform.apply(batch)) {
            return result.squeeze(0);
        }
    }
}
