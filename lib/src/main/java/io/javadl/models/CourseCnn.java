package io.javadl.models;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.pooling.Pool;

/**
 * The CIFAR-10 classifier the course builds toward, layer for layer. It is the {@code Tudui} model of the PyTorch
 * course the notes follow (小土堆's), in its lessons after the notes end: the notes themselves have no CIFAR-10 model.
 *
 * <pre>
 * Conv2d(3 → 32, 5x5, padding 2)   (N, 3, 32, 32) → (N, 32, 32, 32)
 * MaxPool2d(2)                      → (N, 32, 16, 16)
 * Conv2d(32 → 32, 5x5, padding 2)  → (N, 32, 16, 16)
 * MaxPool2d(2)                      → (N, 32, 8, 8)
 * Conv2d(32 → 64, 5x5, padding 2)  → (N, 64, 8, 8)
 * MaxPool2d(2)                      → (N, 64, 4, 4)
 * Flatten                           → (N, 1024)
 * Linear(1024 → 64)                 → (N, 64)
 * Linear(64 → 10)                   → (N, 10), one score (logit) per class
 * </pre>
 *
 * <p>There is no activation between the layers, exactly as in that course's {@code nn.Sequential}. The block is new
 * and uninitialized each time; a {@code Model} that takes it owns it.
 */
public final class CourseCnn {

    /** The input of one image: 3 channels, 32 x 32 pixels. */
    public static final Shape IMAGE_SHAPE = new Shape(3, 32, 32);

    private CourseCnn() {
    }

    /** Returns a new, uninitialized block of the course CNN; it takes (N, 3, 32, 32) and gives (N, 10). */
    public static SequentialBlock newBlock() {
        return new SequentialBlock()
                .add(conv5x5(32))
                .add(Pool.maxPool2dBlock(new Shape(2, 2)))
                .add(conv5x5(32))
                .add(Pool.maxPool2dBlock(new Shape(2, 2)))
                .add(conv5x5(64))
                .add(Pool.maxPool2dBlock(new Shape(2, 2)))
                .add(Blocks.batchFlattenBlock())
                .add(Linear.builder().setUnits(64).build())
                .add(Linear.builder().setUnits(10).build());
    }

    private static Conv2d conv5x5(int filters) {
        return Conv2d.builder().setKernelShape(new Shape(5, 5)).optPadding(new Shape(2, 2)).setFilters(filters).build();
    }
}
