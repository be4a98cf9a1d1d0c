package io.javadl.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.dataset.Dataset.Usage;
import ai.djl.training.dataset.Record;
import ai.djl.translate.Batchifier;
import io.javadl.core.CourseSettings;
import io.javadl.data.transforms.ToTensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Cifar10Test {

    @TempDir
    Path root;

    @AutoClose
    private final NDManager manager = NDManager.newBaseManager();

    private Cifar10.Builder builder(Usage usage) {
        return Cifar10.builder().optRoot(root).optUsage(usage);
    }

    @Test
    void indexingGivesTheTransformedImageAndItsLabel() {
        CifarFixture.write(root, "test_batch.bin", 0, 20);
        try (Cifar10 testSet = builder(Usage.TEST).addTransform(new ToTensor()).build()) {
            Record record = testSet.get(manager, 13);

            NDArray img = record.getData().head();
            NDArray target = record.getLabels().head();
            assertEquals(new Shape(3, 32, 32), img.getShape());
            assertEquals(DataType.FLOAT32, img.getDataType());
            assertEquals(CifarFixture.pixel(13, 2, 5, 7) / 255f, img.getFloat(2, 5, 7), 1e-7);
            assertEquals(CifarFixture.pixel(13, 0, 31, 0) / 255f, img.getFloat(0, 31, 0), 1e-7);
            assertEquals(DataType.INT64, target.getDataType());
            assertEquals(new Shape(), target.getShape());
            assertEquals(3, target.getLong());
            assertEquals("cat", testSet.getClasses().get((int) target.getLong()));
        }
    }

    @Test
    void datasetsOfTheSameFilesShareOneCopyUntilTheLastIsClosed() throws Exception {
        CifarFixture.write(root, "test_batch.bin", 0, 20);
        int before = SharedImages.heldCount();
        Cifar10 first = builder(Usage.TEST).addTransform(new ToTensor()).build();
        Cifar10 second = builder(Usage.TEST).build();  // a re-run cell, say: same files, other transforms
        first.prepare();
        second.prepare();
        assertEquals(before + 1, SharedImages.heldCount());

        first.close();
        first.close();
        byte[] image7 = second.get(manager, 7).getData().head().toByteArray();
        assertEquals(CifarFixture.pixel(7, 1, 2, 3), image7[1024 + 2 * 32 + 3] & 0xff);
        assertThrows(IllegalStateException.class, first::prepare);

        second.close();
        assertEquals(before, SharedImages.heldCount());
    }

    @Test
    void anotherLimitOrAChangedFileIsReadAfresh() throws Exception {
        Path file = CifarFixture.write(root, "test_batch.bin", 0, 20);
        int before = SharedImages.heldCount();
        try (Cifar10 all = builder(Usage.TEST).build();
                Cifar10 some = builder(Usage.TEST).optLimit(5).build()) {
            all.prepare();
            some.prepare();
            assertEquals(before + 2, SharedImages.heldCount());

            CifarFixture.write(root, "test_batch.bin", 100, 20);
            java.nio.file.Files.setLastModifiedTime(file, java.nio.file.attribute.FileTime.fromMillis(0));
            try (Cifar10 changed = builder(Usage.TEST).build()) {
                assertEquals(CifarFixture.label(100), changed.get(manager, 0).getLabels().head().getLong());
                assertEquals(CifarFixture.label(0), all.get(manager, 0).getLabels().head().getLong());
            }
        }
        assertEquals(before, SharedImages.heldCount());
    }

    @Test
    void withoutTransformsImagesAreTheFilesBytes() {
        CifarFixture.write(root, "test_batch.bin", 0, 3);
        try (Cifar10 testSet = builder(Usage.TEST).build()) {
            NDArray img = testSet.get(manager, 2).getData().head();

            assertEquals(DataType.UINT8, img.getDataType());
            byte[] expected = new byte[3072];
            System.arraycopy(CifarFixture.batch(2, 1), 1, expected, 0, 3072);
            assertArrayEquals(expected, img.toByteArray());
        }
    }

    @Test
    void trainingSplitReadsWhicheverBatchesArePresentInOrder() {
        CifarFixture.write(root, "data_batch_1.bin", 0, 4);
        CifarFixture.write(root, "data_batch_3.bin", 4, 6);
        try (Cifar10 trainSet = builder(Usage.TRAIN).build()) {
            assertEquals(10, trainSet.size());
            for (int i = 0; i < 10; i++) {
                assertEquals(CifarFixture.label(i), trainSet.get(manager, i).getLabels().head().getLong());
            }
            assertEquals(CifarFixture.pixel(7, 1, 2, 3), Byte.toUnsignedInt(trainSet.get(manager, 7).getData().head()
                    .toByteArray()[1024 + 2 * 32 + 3]));
        }
    }

    @Test
    void limitReadsOnlyTheFirstImages() {
        CifarFixture.write(root, "data_batch_1.bin", 0, 5);
        CifarFixture.write(root, "data_batch_2.bin", 5, 5);
        try (Cifar10 trainSet = builder(Usage.TRAIN).optLimit(7).build()) {
            assertEquals(7, trainSet.size());
            assertEquals(CifarFixture.label(6), trainSet.get(manager, 6).getLabels().head().getLong());
            assertThrows(IndexOutOfBoundsException.class, () -> trainSet.get(manager, 7));
        }
    }

    @Test
    void theEnvironmentsLimitCapsANotebooksOwnLimitButDoesNotRaiseIt() {
        CifarFixture.write(root, "data_batch_1.bin", 0, 10);
        CourseSettings quickRun = CourseSettings.of(Map.of(CourseSettings.DATASET_LIMIT_VARIABLE, "4"));
        try (Cifar10 capped = new Cifar10.Builder(quickRun).optRoot(root).optLimit(7).build();
                Cifar10 smaller = new Cifar10.Builder(quickRun).optRoot(root).optLimit(2).build();
                Cifar10 onlyTheEnvironments = new Cifar10.Builder(quickRun).optRoot(root).build()) {
            assertEquals(4, capped.size());
            assertEquals(2, smaller.size());
            assertEquals(4, onlyTheEnvironments.size());
        }
    }

    @Test
    void classNamesComeFromTheMetaFileOrTheStandardList() {
        CifarFixture.write(root, "test_batch.bin", 0, 1);
        try (Cifar10 withoutMeta = builder(Usage.TEST).build()) {
            assertEquals(Cifar10.CLASSES, withoutMeta.getClasses());
        }
        CifarFixture.writeBytes(root, "batches.meta.txt", "a\nb\nc\nd\ne\nf\ng\nh\ni\nj\n\n".getBytes());
        try (Cifar10 withMeta = builder(Usage.TEST).build()) {
            assertEquals(List.of("a", "b", "c", "d", "e", "f", "g", "h", "i", "j"), withMeta.getClasses());
        }
    }

    @Test
    void aMetaFileWithoutTenClassesIsRefused() {
        CifarFixture.write(root, "test_batch.bin", 0, 1);
        Path meta = CifarFixture.writeBytes(root, "batches.meta.txt", "cat\ndog\n".getBytes());
        try (Cifar10 testSet = builder(Usage.TEST).build()) {
            DatasetException e = assertThrows(DatasetException.class, testSet::getClasses);
            assertTrue(e.getMessage().startsWith(meta + " names 2 classes, not 10"), e.getMessage());
        }
    }

    @Test
    void aBatchFileOfTheWrongSizeIsNamedWithTheExpectedSize() {
        byte[] bytes = CifarFixture.batch(0, 3);
        Path file = CifarFixture.writeBytes(root, "test_batch.bin", java.util.Arrays.copyOf(bytes, bytes.length - 100));
        try (Cifar10 testSet = builder(Usage.TEST).build()) {
            DatasetException e = assertThrows(DatasetException.class, testSet::size);
            assertEquals(file + " is 9,119 bytes, which is not a whole number of CIFAR-10 records (3,073 bytes each: "
                    + "1 label byte and 3,072 pixel bytes); a complete batch file is 30,730,000 bytes. The file is "
                    + "truncated or is not a CIFAR-10 binary batch: delete it and download the dataset again.",
                    e.getMessage());
        }
    }

    @Test
    void aBatchFileLargerThanACompleteBatchIsRefused() throws Exception {
        Path file = CifarFixture.writeBytes(root, "test_batch.bin", CifarFixture.batch(0, 1));
        try (java.io.RandomAccessFile sparse = new java.io.RandomAccessFile(file.toFile(), "rw")) {
            sparse.setLength(10_001L * 3073); // one record more than the official 10,000
        }
        try (Cifar10 testSet = builder(Usage.TEST).build()) {
            DatasetException e = assertThrows(DatasetException.class, testSet::size);
            assertEquals(file + " is 30,733,073 bytes, larger than a complete CIFAR-10 batch file (30,730,000 bytes: "
                    + "10,000 records of 3,073 bytes). It is not a batch of the binary version: delete it and download "
                    + "the dataset again.", e.getMessage());
        }
    }

    @Test
    void anEmptyBatchFileIsRefused() {
        Path file = CifarFixture.writeBytes(root, "test_batch.bin", new byte[0]);
        try (Cifar10 testSet = builder(Usage.TEST).build()) {
            DatasetException e = assertThrows(DatasetException.class, testSet::size);
            assertTrue(e.getMessage().startsWith(file + " is 0 bytes"), e.getMessage());
        }
    }

    @Test
    void aLabelOutsideZeroToNineIsRefusedWithItsPlace() {
        byte[] bytes = CifarFixture.batch(0, 3);
        bytes[2 * 3073] = 10;
        Path file = CifarFixture.writeBytes(root, "test_batch.bin", bytes);
        try (Cifar10 testSet = builder(Usage.TEST).build()) {
            DatasetException e = assertThrows(DatasetException.class, testSet::size);
            assertTrue(e.getMessage().startsWith(file + ", record 2 (byte 6,146): label 10 is not a CIFAR-10 class "
                    + "(0 to 9)."), e.getMessage());
        }
    }

    @Test
    void aMissingDatasetSaysWhereToPutItAndAboutJavadlData() {
        try (Cifar10 trainSet = builder(Usage.TRAIN).build()) {
            DatasetException e = assertThrows(DatasetException.class, trainSet::size);
            String folder = root.resolve("cifar-10-batches-bin").toString();
            assertEquals("CIFAR-10 (training split) is not here: " + folder + " has no data_batch_1.bin ... "
                    + "data_batch_5.bin. Put the files of the binary version "
                    + "(https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz, which unpacks to cifar-10-batches-bin/) "
                    + "in that folder, or set JAVADL_DATA to the folder that contains cifar-10-batches-bin/, or build "
                    + "the dataset with optDownload(true) on a machine that is online.", e.getMessage());
        }
    }

    @Test
    void aRootThatIsAFileIsNamed() throws Exception {
        Path file = Files.writeString(root.resolve("not-a-folder"), "x");
        try (Cifar10 testSet = Cifar10.builder().optRoot(file).optUsage(Usage.TEST).build()) {
            DatasetException e = assertThrows(DatasetException.class, testSet::size);
            assertTrue(e.getMessage().startsWith("The dataset root " + file + " is a file, not a folder. Set "
                    + "JAVADL_DATA"), e.getMessage());
        }
    }

    @Test
    void anArchiveChecksumMustBeThirtyTwoHexDigits() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Cifar10.builder().optArchiveMd5("c32a1d4a"));
        assertEquals("An MD5 checksum is 32 hexadecimal digits, not 'c32a1d4a'", e.getMessage());
    }

    @Test
    void cifarHasNoValidationSplit() {
        assertThrows(IllegalArgumentException.class, () -> Cifar10.builder().optUsage(Usage.VALIDATION));
    }

    @Test
    void onlyTheStackingBatchifierIsAccepted() {
        CifarFixture.write(root, "test_batch.bin", 0, 2);
        try (Cifar10 testSet = builder(Usage.TEST).optDataBatchifier(Batchifier.fromString("padding")).build()) {
            assertThrows(IllegalStateException.class, () -> testSet.getData(manager));
        }
    }

    @Test
    void closeFreesTheImages() {
        CifarFixture.write(root, "test_batch.bin", 0, 2);
        Cifar10 testSet = builder(Usage.TEST).build();
        NDArray view = testSet.get(manager, 0).getData().head();
        assertEquals(2, testSet.size());

        testSet.close();

        assertTrue(!view.isReleased(), "arrays handed out belong to the caller's manager");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> testSet.get(manager, 0));
        assertEquals("This Cifar10 dataset is closed; build a new one.", e.getMessage());
    }
}
