package io.javadl.data.transforms;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.Transform;
import ai.djl.util.RandomUtils;

/**
 * torchvision's {@code RandomHorizontalFlip(p)}: mirrors each image left to right with probability {@code p},
 * for a whole batch {@code (N, C, H, W)} in one step, or one image {@code (C, H, W)}. The draws come from
 * DJL's generator, which {@code Engine.getInstance().setRandomSeed(seed)} fixes.
 */
public final class RandomHorizontalFlip implements Transform {

    private final double p;

    /** Flips half of the images. */
    public RandomHorizontalFlip() {
        this(0.5);
    }

    /** @param p the chance that an image is flipped, from 0 to 1 */
    public RandomHorizontalFlip(double p) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException("RandomHorizontalFlip's p is a probability, from 0 to 1, not " + p);
        }
        this.p = p;
    }

    /**
     * @param array images of any type; it is not changed
     * @return a new array in the same manager
     */
    @Override
    public NDArray transform(NDArray array) {
        Images.requireImages("RandomHorizontalFlip", array);
        return Images.onBatch(array, this::transformBatch);
    }

    private NDArray transformBatch(NDArray batch) {
        int n = Math.toIntExact(batch.getShape().get(0));
        boolean[] flip = new boolean[n];
        for (int i = 0; i < n; i++) {
            flip[i] = RandomUtils.nextFloat() < p;
        }
        try (NDArray perImage = batch.getManager().create(flip, new Shape(n, 1, 1, 1));
                NDArray mask = perImage.broadcast(batch.getShape());
                NDArray mirrored = batch.flip(3)) {
            return NDArrays.where(mask, mirrored, batch);
        }
    }

    @Override
    public String toString() {
        return "RandomHorizontalFlip(p=" + p + ")";
    }
}
