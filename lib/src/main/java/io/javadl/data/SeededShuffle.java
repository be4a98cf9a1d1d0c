package io.javadl.data;

import ai.djl.training.dataset.RandomAccessDataset;
import ai.djl.training.dataset.Sampler;
import java.util.Iterator;
import java.util.Random;
import java.util.stream.LongStream;

/**
 * A shuffled order of a dataset's indices, new at every pass, from a seeded generator: the same seed gives the
 * same sequence of orders. A Fisher-Yates shuffle, so each of the n! orders is equally likely (DJL's own
 * {@code RandomSampler} draws {@code nextInt(i)} where this draws {@code nextInt(i + 1)}, and never leaves an
 * index in its place).
 */
final class SeededShuffle implements Sampler.SubSampler {

    private final Random random;

    SeededShuffle(long seed) {
        this.random = new Random(seed);
    }

    @Override
    public synchronized Iterator<Long> sample(RandomAccessDataset dataset) {
        long[] indices = LongStream.range(0, dataset.size()).toArray();
        for (int i = indices.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            long swap = indices[i];
            indices[i] = indices[j];
            indices[j] = swap;
        }
        return LongStream.of(indices).iterator();
    }
}
