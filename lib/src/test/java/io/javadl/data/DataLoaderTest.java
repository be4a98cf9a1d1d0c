package io.javadl.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.dataset.Batch;
import ai.djl.training.dataset.Dataset.Usage;
import ai.djl.training.dataset.RandomSampler;
import ai.djl.translate.Transform;
import io.javadl.data.transforms.ToTensor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataLoaderTest {

    @TempDir
    Path root;

    private Cifar10 testSet;

    @BeforeEach
    void writeDataset() {
        CifarFixture.write(root, "test_batch.bin", 0, 200);
        testSet = Cifar10.builder().optRoot(root).optUsage(Usage.TEST).addTransform(new ToTensor()).build();
    }

    @AfterEach
    void closeDataset() {
        testSet.close();
    }

    /** The image numbers of one pass, read back from the first pixels, batch by batch; checks the labels. */
    private static List<List<Integer>> imageNumbers(DataLoader loader) {
        List<List<Integer>> batches = new ArrayList<>();
        for (Batch batch : loader) {
            long[] labels = batch.getLabels().head().toLongArray();
            float[] firstPixels = batch.getData().head().get(":, 0, 0, 0").toFloatArray();
            List<Integer> numbers = new ArrayList<>();
            for (int i = 0; i < firstPixels.length; i++) {
                int image = Math.round(firstPixels[i] * 255);
                assertEquals(CifarFixture.label(image), labels[i], "label of image " + image);
                numbers.add(image);
            }
            batches.add(numbers);
        }
        return batches;
    }

    @Test
    void batchesHaveTheShapesOfTorchvisionsLoader() {
        try (DataLoader loader = DataLoader.builder(testSet).optBatchSize(64).build()) {
            Iterator<Batch> batches = loader.iterator();
            Batch first = batches.next();

            NDArray imgs = first.getData().head();
            NDArray targets = first.getLabels().head();
            assertEquals(new Shape(64, 3, 32, 32), imgs.getShape());
            assertEquals(DataType.FLOAT32, imgs.getDataType());
            assertEquals(new Shape(64), targets.getShape());
            assertEquals(DataType.INT64, targets.getDataType());
            assertEquals(CifarFixture.pixel(5, 1, 2, 3) / 255f, imgs.getFloat(5, 1, 2, 3), 1e-7);
        }
    }

    @Test
    void lengthCountsBatchesWithAndWithoutTheLastSmallOne() {
        CifarFixture.write(root, "data_batch_1.bin", 0, 10_000);
        try (Cifar10 trainSet = Cifar10.builder().optRoot(root).build();
                DataLoader dropping = DataLoader.builder(trainSet).optBatchSize(64).optDropLast(true).build();
                DataLoader keeping = DataLoader.builder(trainSet).optBatchSize(64).build()) {
            assertEquals(156, dropping.size());
            assertEquals(157, keeping.size());
        }
    }

    @Test
    void inOrderEveryImageComesOnceAndTheLastBatchIsSmaller() {
        try (DataLoader loader = DataLoader.builder(testSet).optBatchSize(64).build()) {
            List<List<Integer>> batches = imageNumbers(loader);

            assertEquals(List.of(64, 64, 64, 8), batches.stream().map(List::size).toList());
            assertEquals(IntStream.range(0, 200).boxed().toList(), batches.stream().flatMap(List::stream).toList());
        }
    }

    @Test
    void dropLastDropsTheSmallBatch() {
        try (DataLoader loader = DataLoader.builder(testSet).optBatchSize(64).optDropLast(true).build()) {
            assertEquals(List.of(64, 64, 64), imageNumbers(loader).stream().map(List::size).toList());
        }
    }

    @Test
    void aSeedGivesTheSameShuffledOrdersTwiceAndANewOrderEachEpoch() {
        try (DataLoader a = DataLoader.builder(testSet).optBatchSize(50).optShuffle(true).optSeed(7).build();
                DataLoader b = DataLoader.builder(testSet).optBatchSize(50).optShuffle(true).optSeed(7).build();
                DataLoader c = DataLoader.builder(testSet).optBatchSize(50).optShuffle(true).optSeed(8).build()) {
            List<List<Integer>> a1 = imageNumbers(a);
            List<List<Integer>> a2 = imageNumbers(a);

            assertEquals(a1, imageNumbers(b));
            assertEquals(a2, imageNumbers(b));
            assertNotEquals(a1, a2);
            assertNotEquals(a1, imageNumbers(c));
            assertEquals(IntStream.range(0, 200).boxed().collect(Collectors.toSet()),
                    a1.stream().flatMap(List::stream).collect(Collectors.toSet()));
            assertNotEquals(IntStream.range(0, 200).boxed().toList(), a1.stream().flatMap(List::stream).toList());
        }
    }

    @Test
    void withoutASeedEveryOrderOfThreeImagesComesAboutEquallyOften() {
        CifarFixture.write(root.resolve("three"), "test_batch.bin", 0, 3);
        try (Cifar10 three = Cifar10.builder().optRoot(root.resolve("three")).optUsage(Usage.TEST)
                        .addTransform(new ToTensor()).build();
                DataLoader loader = DataLoader.builder(three).optBatchSize(3).optShuffle(true).build()) {
            Map<String, Integer> seen = new TreeMap<>();
            for (int pass = 0; pass < 600; pass++) {
                String order = imageNumbers(loader).get(0).stream().map(String::valueOf).collect(Collectors.joining());
                seen.merge(order, 1, Integer::sum);
            }

            assertEquals(Set.of("012", "021", "102", "120", "201", "210"), seen.keySet(), seen.toString());
            // 100 expected each; below 50 would be a 7-sigma event for a fair shuffle
            seen.forEach((order, count) -> assertTrue(count > 50, order + " came " + count + " times in 600"));
        }
    }

    @Test
    void djlsRandomSamplerIsSattolosAlgorithmSoTheLoaderDoesNotUseIt() {
        // the claim behind DataLoader's own shuffle: DJL 0.36's RandomSampler reaches only the 2 cyclic orders of 3
        CifarFixture.write(root.resolve("three"), "test_batch.bin", 0, 3);
        try (Cifar10 three = Cifar10.builder().optRoot(root.resolve("three")).optUsage(Usage.TEST).build()) {
            Set<String> seen = new TreeSet<>();
            for (int pass = 0; pass < 600; pass++) {
                StringBuilder order = new StringBuilder();
                new RandomSampler().sample(three).forEachRemaining(order::append);
                seen.add(order.toString());
            }
            assertEquals(Set.of("120", "201"), seen);
        }
    }

    @Test
    void workersPrepareTheSameBatchesOnBackgroundThreads() {
        Set<String> threads = ConcurrentHashMap.newKeySet();
        Transform recordThread = array -> {
            threads.add(Thread.currentThread().getName());
            return array;
        };
        try (Cifar10 recorded = Cifar10.builder().optRoot(root).optUsage(Usage.TEST)
                        .addTransform(new ToTensor()).addTransform(recordThread).build();
                DataLoader parallel = DataLoader.builder(recorded).optBatchSize(16).optNumWorkers(2).build();
                DataLoader serial = DataLoader.builder(testSet).optBatchSize(16).build()) {
            assertEquals(imageNumbers(serial), imageNumbers(parallel));
            assertFalse(threads.isEmpty());
            assertTrue(threads.stream().allMatch(name -> name.startsWith("javadl-data-loader-")), threads.toString());
        }
    }

    @Test
    void eachBatchIsClosedWhenTheLoopMovesOn() {
        try (DataLoader loader = DataLoader.builder(testSet).optBatchSize(32).optShuffle(true).build()) {
            List<NDArray> seen = new ArrayList<>();
            for (int epoch = 0; epoch < 2; epoch++) {
                for (Batch batch : loader) {
                    long open = seen.stream().filter(a -> !a.isReleased()).count();
                    assertEquals(0, open, "arrays of earlier batches still open");
                    seen.add(batch.getData().head());
                    seen.add(batch.getLabels().head());
                }
            }
            assertEquals(2 * 2 * 7, seen.size());
            assertTrue(seen.stream().allMatch(NDArray::isReleased), "arrays of the last batch still open");
        }
    }

    @Test
    void aNewPassFreesWhatAnAbandonedPassHeld() {
        try (DataLoader loader = DataLoader.builder(testSet).optBatchSize(32).optNumWorkers(1).build()) {
            NDArray kept = null;
            for (Batch batch : loader) {
                kept = batch.getData().head();
                break;
            }
            assertFalse(kept.isReleased());

            loader.iterator();

            assertTrue(kept.isReleased());
        }
    }

    /** A transform that takes its time, counts how many run at once and records what goes wrong in them. */
    private static final class SlowTransform implements Transform {
        final AtomicInteger running = new AtomicInteger();
        final List<Throwable> failures = new CopyOnWriteArrayList<>();

        @Override
        public NDArray transform(NDArray array) {
            running.incrementAndGet();
            try {
                Thread.sleep(30);
                return array.add(1);
            } catch (Throwable t) {
                failures.add(t);
                throw new IllegalStateException(t);
            } finally {
                running.decrementAndGet();
            }
        }
    }

    @Test
    void closingWaitsForTheBatchesWorkersArePreparing() {
        SlowTransform slow = new SlowTransform();
        try (Cifar10 slowSet = Cifar10.builder().optRoot(root).optUsage(Usage.TEST).addTransform(new ToTensor())
                .addTransform(slow).build()) {
            for (int attempt = 0; attempt < 5; attempt++) {
                DataLoader loader = DataLoader.builder(slowSet).optBatchSize(8).optNumWorkers(2).build();
                loader.iterator().next();

                loader.close();

                assertEquals(0, slow.running.get(), "a worker still runs after close()");
            }
            assertEquals(List.of(), slow.failures);
        }
    }

    @Test
    void aNewPassWaitsForTheWorkersOfTheOldOne() {
        SlowTransform slow = new SlowTransform();
        try (Cifar10 slowSet = Cifar10.builder().optRoot(root).optUsage(Usage.TEST).addTransform(new ToTensor())
                        .addTransform(slow).build();
                DataLoader loader = DataLoader.builder(slowSet).optBatchSize(8).optNumWorkers(2).build()) {
            Iterator<Batch> abandoned = loader.iterator();
            abandoned.next();
            for (int pass = 0; pass < 3; pass++) {
                loader.iterator().next();
            }
            int batches = 0;
            for (Batch batch : loader) {
                batches++;
            }

            assertEquals(25, batches);
            assertEquals(List.of(), slow.failures);
            IllegalStateException e = assertThrows(IllegalStateException.class, abandoned::next);
            assertEquals("This pass over the data ended when a newer pass started, or the DataLoader was closed; "
                    + "loop over the loader again.", e.getMessage());
        }
    }

    @Test
    void anInterruptedLoopStopsAtTheNextBatchAndTheLoaderStillWorks() {
        try (DataLoader loader = DataLoader.builder(testSet).optBatchSize(10).build()) {
            Iterator<Batch> pass = loader.iterator();
            NDArray firstImages = pass.next().getData().head();
            Thread.currentThread().interrupt();
            try {
                CancellationException e = assertThrows(CancellationException.class, pass::next);
                assertTrue(e.getMessage().startsWith("Interrupted"), e.getMessage());
                assertTrue(firstImages.isReleased(), "the batch handed out before is closed");
            } finally {
                Thread.interrupted();
            }
            assertEquals(20, imageNumbers(loader).size(), "a new pass after the interrupt gives every batch");
        }
    }

    @Test
    void aClosedLoaderSaysSo() {
        DataLoader loader = DataLoader.builder(testSet).build();
        loader.close();

        IllegalStateException e = assertThrows(IllegalStateException.class, loader::iterator);
        assertEquals("This DataLoader is closed; build a new one.", e.getMessage());
    }

    @Test
    void impossibleOptionsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> DataLoader.builder(testSet).optBatchSize(0));
        assertThrows(IllegalArgumentException.class, () -> DataLoader.builder(testSet).optNumWorkers(-1));
        assertThrows(IllegalArgumentException.class, () -> DataLoader.builder(null));
    }
}
