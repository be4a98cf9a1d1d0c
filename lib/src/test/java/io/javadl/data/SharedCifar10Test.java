package io.javadl.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.dataset.Batch;
import ai.djl.training.dataset.Dataset.Usage;
import io.javadl.data.transforms.ToTensor;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The opt-in tier: the real CIFAR-10 batches of {@code ../shared/datasets} (see its README), named by the
 * system property {@code javadl.shared.datasets}. `make test` sets it when that folder exists.
 */
@Tag("shared-data")
@EnabledIfSystemProperty(named = "javadl.shared.datasets", matches = ".+")
class SharedCifar10Test {

    private static final Path ROOT = Path.of(System.getProperty("javadl.shared.datasets", ""));

    private static Map<String, Integer> perClass(Cifar10 dataset) {
        Map<String, Integer> counts = new TreeMap<>();
        try (NDManager manager = NDManager.newBaseManager()) {
            for (Batch batch : dataset.getData(manager)) {
                try (batch) {
                    for (long label : batch.getLabels().head().toLongArray()) {
                        counts.merge(dataset.getClasses().get((int) label), 1, Integer::sum);
                    }
                }
            }
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        return counts;
    }

    @Test
    void testSplitHasTenThousandImagesAThousandPerClass() {
        try (Cifar10 testSet = Cifar10.builder().optRoot(ROOT).optUsage(Usage.TEST).setSampling(1000, false).build()) {
            assertEquals(10_000, testSet.size());
            Map<String, Integer> expected = new TreeMap<>();
            Cifar10.CLASSES.forEach(name -> expected.put(name, 1000));
            assertEquals(expected, perClass(testSet));
        }
    }

    @Test
    void trainingSplitReadsTheOneBatchThatIsThere() {
        try (Cifar10 trainSet = Cifar10.builder().optRoot(ROOT).setSampling(1000, false).build()) {
            assertEquals(10_000, trainSet.size());
            assertEquals(new TreeMap<>(Map.of("airplane", 1007, "automobile", 1027, "bird", 980, "cat", 1008,
                    "deer", 1009, "dog", 1016, "frog", 975, "horse", 977, "ship", 1030, "truck", 971)), perClass(trainSet));
        }
    }

    @Test
    void normalizeConstantsMatchTheTrainingImages() {
        try (Cifar10 trainSet = Cifar10.builder().optRoot(ROOT).addTransform(new ToTensor()).setSampling(10_000, false).build();
                NDManager manager = NDManager.newBaseManager()) {
            Batch all = trainSet.getData(manager).iterator().next();
            NDArray perChannel = all.getData().head().transpose(1, 0, 2, 3).reshape(3, -1);
            NDArray channelMean = perChannel.mean(new int[] {1}, true);
            float[] mean = channelMean.toFloatArray();
            float[] std = perChannel.sub(channelMean).square().mean(new int[] {1}).sqrt().toFloatArray();

            assertArrayEquals(Cifar10.NORMALIZE_MEAN, mean, 0.01f);
            assertArrayEquals(Cifar10.NORMALIZE_STD, std, 0.01f);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aLoaderPassesOverTheTestSetInBatchesOf64() {
        try (Cifar10 testSet = Cifar10.builder().optRoot(ROOT).optUsage(Usage.TEST).addTransform(new ToTensor()).build();
                DataLoader loader = DataLoader.builder(testSet).optBatchSize(64).optShuffle(true).optDropLast(true).build()) {
            int batches = 0;
            for (Batch batch : loader) {
                assertEquals(new Shape(64, 3, 32, 32), batch.getData().head().getShape());
                batches++;
            }
            assertEquals(156, loader.size());
            assertEquals(156, batches);
        }
    }
}
