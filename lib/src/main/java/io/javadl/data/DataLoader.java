package io.javadl.data;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.training.dataset.Batch;
import ai.djl.training.dataset.BatchSampler;
import ai.djl.training.dataset.RandomAccessDataset;
import ai.djl.training.dataset.Sampler;
import ai.djl.training.dataset.SequenceSampler;
import ai.djl.translate.TranslateException;
import ai.djl.util.RandomUtils;
import java.io.IOException;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * Batches of a DJL dataset, the way PyTorch's {@code DataLoader} hands them out:
 *
 * <pre>{@code
 * DataLoader loader = DataLoader.builder(testSet)
 *         .optBatchSize(64).optShuffle(true).optNumWorkers(0).optDropLast(true)
 *         .build();
 * for (int epoch = 0; epoch < 2; epoch++) {
 *     for (Batch batch : loader) {
 *         NDArray imgs = batch.getData().head();      // (64, 3, 32, 32)
 *         NDArray targets = batch.getLabels().head(); // (64)
 *     }
 * }
 * }</pre>
 *
 * <p>Each {@code for} loop is one epoch, in a new order when shuffling. The batches come from the dataset's
 * own {@link RandomAccessDataset#getData(NDManager, Sampler, ExecutorService)}, so its transforms and
 * batching apply ({@link Cifar10} gathers and transforms each batch in one step). Batches are on the CPU
 * unless the dataset moves them (DJL's {@code optDevice} on the dataset's builder).
 *
 * <p><b>Ownership.</b> A batch is closed, with its arrays, when the loop asks for the next one, and the last
 * when the loop ends, so that a loop of many epochs holds one batch at a time. To keep an array beyond its
 * step, {@code attach} it to a manager of your own. Starting a new pass frees whatever an unfinished one
 * (a {@code break}) still held. {@link #close()} frees the rest and stops the workers.
 */
public final class DataLoader implements Iterable<Batch>, AutoCloseable {

    private final RandomAccessDataset dataset;
    private final int batchSize;
    private final boolean dropLast;
    private final Sampler.SubSampler order;
    private final int numWorkers;
    private final NDManager manager;
    private volatile NDManager epoch;
    private ThreadPoolExecutor epochWorkers;

    private DataLoader(Builder builder) {
        this.dataset = builder.dataset;
        this.batchSize = builder.batchSize;
        this.dropLast = builder.dropLast;
        if (!builder.shuffle) {
            this.order = new SequenceSampler();
        } else {
            // not DJL's RandomSampler: its swap draws nextInt(i), Sattolo's algorithm, which never leaves an image
            // in its place and reaches only (n-1)! of the n! orders. Without a seed, DJL's generator draws one.
            this.order = new SeededShuffle(builder.seed != null ? builder.seed : RandomUtils.RANDOM.nextLong());
        }
        this.numWorkers = builder.numWorkers;
        this.manager = NDManager.newBaseManager(Device.cpu());
        this.manager.setName("data-loader");
    }

    /**
     * Returns a builder for batches of {@code dataset}: by default batch size 1, in order, the last smaller
     * batch kept, no worker threads, like PyTorch's {@code DataLoader}.
     *
     * @param dataset the dataset to batch; the loader does not close it
     * @return a builder
     */
    public static Builder builder(RandomAccessDataset dataset) {
        return new Builder(dataset);
    }

    /** Returns the number of batches in one pass: {@code size / batchSize}, rounded up unless dropping the last. */
    public long size() {
        long images = dataset.size();
        return dropLast ? images / batchSize : (images + batchSize - 1) / batchSize;
    }

    /**
     * Starts a pass over the dataset.
     *
     * @return the batches of one epoch; each is closed when the next is requested. If the thread that loops is
     *     interrupted (Jupyter's interrupt button does that to the running cell), asking for the next batch throws
     *     a {@link CancellationException}, so a training loop stops within one batch
     * @throws DatasetException if the dataset cannot be read
     * @throws IllegalStateException if the loader is closed
     */
    @Override
    public synchronized Iterator<Batch> iterator() {
        if (!manager.isOpen()) {
            throw new IllegalStateException("This DataLoader is closed; build a new one.");
        }
        closeEpoch();
        NDManager pass = manager.newSubManager();
        epoch = pass;
        epochWorkers = numWorkers == 0 ? null
                : (ThreadPoolExecutor) Executors.newFixedThreadPool(numWorkers, daemonThreads());
        Iterable<Batch> batches;
        try {
            batches = dataset.getData(pass, new BatchSampler(order, batchSize, dropLast), epochWorkers);
        } catch (IOException | TranslateException e) {
            throw new DatasetException("Reading the dataset for a new epoch failed: " + e.getMessage(), e);
        }
        return new ClosingIterator(batches.iterator(), () -> epoch == pass);
    }

    /** Stops the worker threads, once they have finished what they were doing, and frees every batch still held. */
    @Override
    public synchronized void close() {
        closeEpoch();
        manager.close();
    }

    /**
     * Ends the pass in progress. Batches that workers are still preparing use the pass's manager, so the workers
     * finish their current batch (queued ones are dropped, none is interrupted) before the manager is closed:
     * closing native memory under a running operation would crash the process.
     */
    private void closeEpoch() {
        if (epochWorkers != null) {
            epochWorkers.getQueue().clear(); // batches not started yet are never needed
            epochWorkers.shutdown();
            try {
                if (!epochWorkers.awaitTermination(10, TimeUnit.MINUTES)) {
                    throw new IllegalStateException("The data loader's workers did not stop within 10 minutes");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while the data loader's workers were stopping", e);
            }
            epochWorkers = null;
        }
        if (epoch != null) {
            epoch.close();
            epoch = null;
        }
    }

    private static ThreadFactory daemonThreads() {
        AtomicInteger count = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(task, "javadl-data-loader-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    /** Closes the batch it handed out last whenever the loop moves on. */
    private static final class ClosingIterator implements Iterator<Batch> {

        private final Iterator<Batch> batches;
        private final BooleanSupplier stillCurrent;
        private Batch current;

        /**
         * @param batches the pass's batches
         * @param stillCurrent whether the pass is still the loader's current one
         */
        ClosingIterator(Iterator<Batch> batches, BooleanSupplier stillCurrent) {
            this.batches = batches;
            this.stillCurrent = stillCurrent;
        }

        @Override
        public boolean hasNext() {
            if (!stillCurrent.getAsBoolean()) {
                throw new IllegalStateException("This pass over the data ended when a newer pass started, or the "
                        + "DataLoader was closed; loop over the loader again.");
            }
            boolean more = batches.hasNext();
            if (!more) {
                closeCurrent();
            }
            return more;
        }

        @Override
        public Batch next() {
            closeCurrent();
            if (Thread.currentThread().isInterrupted()) {
                // Jupyter's interrupt button interrupts the cell's thread: stop the loop at the next batch
                throw new CancellationException(
                        "Interrupted: the loop over the DataLoader stopped before its next batch.");
            }
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            current = batches.next();
            return current;
        }

        private void closeCurrent() {
            if (current != null) {
                current.close();
                current = null;
            }
        }
    }

    /** Builds a {@link DataLoader}; every option has PyTorch's default. */
    public static final class Builder {

        private final RandomAccessDataset dataset;
        private int batchSize = 1;
        private boolean shuffle;
        private Long seed;
        private boolean dropLast;
        private int numWorkers;

        private Builder(RandomAccessDataset dataset) {
            if (dataset == null) {
                throw new IllegalArgumentException("The dataset is null");
            }
            this.dataset = dataset;
        }

        /**
         * Sets how many images a batch holds (PyTorch's {@code batch_size}, default 1).
         *
         * @param batchSize at least 1
         * @return this builder
         */
        public Builder optBatchSize(int batchSize) {
            if (batchSize < 1) {
                throw new IllegalArgumentException("The batch size must be at least 1, not " + batchSize);
            }
            this.batchSize = batchSize;
            return this;
        }

        /**
         * Visits the images in a new random order every epoch (PyTorch's {@code shuffle}, default off).
         * Every one of the n! orders is equally likely. Without {@link #optSeed} the orders follow DJL's random seed
         * ({@code Engine.getInstance().setRandomSeed}), drawn when the loader is built.
         *
         * @param shuffle whether to shuffle
         * @return this builder
         */
        public Builder optShuffle(boolean shuffle) {
            this.shuffle = shuffle;
            return this;
        }

        /**
         * Fixes the shuffled orders: two loaders with the same seed visit the images in the same orders, epoch
         * after epoch (PyTorch's {@code generator=torch.Generator().manual_seed(seed)}).
         *
         * @param seed any number
         * @return this builder
         */
        public Builder optSeed(long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * Drops the last batch of an epoch when it would be smaller than the batch size (PyTorch's
         * {@code drop_last}, default off).
         *
         * @param dropLast whether to drop it
         * @return this builder
         */
        public Builder optDropLast(boolean dropLast) {
            this.dropLast = dropLast;
            return this;
        }

        /**
         * Prepares batches on this many background threads, ahead of the loop (PyTorch's {@code num_workers},
         * default 0: the loop's own thread prepares each batch when it asks for it). How far ahead is the
         * dataset's prefetch number (DJL's {@code optPrefetchNumber}, default 2).
         *
         * @param numWorkers 0 or more
         * @return this builder
         */
        public Builder optNumWorkers(int numWorkers) {
            if (numWorkers < 0) {
                throw new IllegalArgumentException("num_workers must be 0 or more, not " + numWorkers);
            }
            this.numWorkers = numWorkers;
            return this;
        }

        /** Returns the loader. */
        public DataLoader build() {
            return new DataLoader(this);
        }
    }
}
