package io.javadl.data.transforms;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

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

    /** Returns the array as a batch: a single image {@code (C, H, W)} becomes {@code (1, C, H, W)}. */
    static NDArray asBatch(NDArray array) {
        return array.getShape().dimension() == 3 ? array.expandDims(0) : array;
    }

    /** Undoes {@link #asBatch} for a result computed from {@code original}. */
    static NDArray likeOriginal(NDArray original, NDArray batch) {
        return original.getShape().dimension() == 3 ? batch.squeeze(0) : batch;
    }
}
