package io.javadl.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.dataset.Batch;
import ai.djl.training.dataset.Dataset.Usage;
import io.javadl.data.transforms.ToTensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The opt-in tier: real CIFAR-10 batches, the offline copy of {@code ../shared/datasets} (see its README) or the
 * official download, in the folder the system property {@code javadl.shared.datasets} names. `make test` sets it
 * when {@code ../shared/datasets} exists. What it expects (images per split and per class) is counted from the
 * files' label bytes, so any complete layout passes: one training batch or five.
 */
@Tag("shared-data")
@EnabledIfSystemProperty(named = "javadl.shared.datasets", matches = ".+", disabledReason = "the shared-data tier "
        + "needs real CIFAR-10 batches: `make test` turns it on when ../shared/datasets/cifar-10-batches-bin exists")
class SharedCifar10Test {

    private static final Path ROOT = Path.of(System.getProperty("javadl.shared.datasets", ""));

    /** Images per class name, counted from the label byte of every record of the split's files that are there. */
    private static Map<String, Integer> labelsInFiles(List<String> fileNames) throws IOException {
        Map<String, Integer> counts = new TreeMap<>();
        for (String name : fileNames) {
            Path file = ROOT.resolve(Cifar10.FOLDER).resolve(name);
            if (!Files.exists(file)) {
                continue;
            }
            byte[] bytes = Files.readAllBytes(file);
            assertEquals(0, bytes.length % CifarBinaryFormat.RECORD_BYTES, file + " holds whole records");
            for (int at = 0; at < bytes.length; at += CifarBinaryFormat.RECORD_BYTES) {
                counts.merge(Cifar10.CLASSES.get(bytes[at]), 1, Integer::sum);
            }
        }
        return counts;
    }

    private static int total(Map<String, Integer> counts) {
        return counts.values().stream().mapToInt(Integer::intValue).sum();
    }

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
    void testSplitHasEveryImageOfItsFileWithItsLabel() throws IOException {
        Map<String, Integer> inFile = labelsInFiles(Cifar10.TEST_FILES);
        try (Cifar10 testSet = Cifar10.builder().optRoot(ROOT).optUsage(Usage.TEST).setSampling(1000, false).build()) {
            assertEquals(10_000, testSet.size(), "CIFAR-10's test batch holds 10,000 images, in every layout");
            assertEquals(inFile, perClass(testSet));
        }
    }

    @Test
    void trainingSplitReadsEveryBatchThatIsThere() throws IOException {
        Map<String, Integer> inFiles = labelsInFiles(Cifar10.TRAIN_FILES);
        try (Cifar10 trainSet = Cifar10.builder().optRoot(ROOT).setSampling(1000, false).build()) {
            assertEquals(total(inFiles), trainSet.size());
            assertEquals(0, trainSet.size() % 10_000, "whole batches of 10,000: " + trainSet.size());
            assertEquals(inFiles, perClass(trainSet));
        }
    }

    @Test
    void normalizeConstantsMatchTheTrainingImages() {
        try (Cifar10 trainSet = Cifar10.builder().optRoot(ROOT).addTransform(new ToTensor()).setSampling(10_000, false)
                .build();
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
        try (Cifar10 testSet = Cifar10.builder().optRoot(ROOT).optUsage(Usage.TEST).addTransform(new ToTensor())
                .build();
                DataLoader loader = DataLoader.builder(testSet).optBatchSize(64).optShuffle(true).optDropLast(true)
                        .build()) {
            int batches = 0;
            for (Batch batch : loader) {
                assertEquals(new Shape(64, 3, 32, 32), batch.getData().head().getShape());
                batches++;
            }
            assertEquals(testSet.size() / 64, loader.size());
            assertEquals(loader.size(), batches);
        }
    }
}
