package io.javadl.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.dataset.Batch;
import ai.djl.training.dataset.Dataset;
import ai.djl.training.dataset.Record;
import ai.djl.training.dataset.Sampler;
import ai.djl.training.util.ProgressBar;
import ai.djl.translate.Batchifier;
import ai.djl.translate.TranslateException;
import ai.djl.util.Progress;
import io.javadl.core.CourseSettings;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.concurrent.ExecutorService;
import java.util.stream.IntStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * CIFAR-10, the way torchvision's {@code datasets.CIFAR10} offers it, as a DJL dataset: 60,000 colour images
 * of 32x32 pixels in 10 classes, 50,000 for training and 10,000 for testing.
 *
 * <pre>{@code
 * Cifar10 testSet = Cifar10.builder()
 *         .optUsage(Dataset.Usage.TEST)
 *         .addTransform(new ToTensor())
 *         .optDownload(true)
 *         .build();
 * Record record = testSet.get(manager, 0);             // test_set[0]
 * NDArray img = record.getData().head();               // (3, 32, 32) float32 in [0, 1]
 * int target = (int) record.getLabels().head().getLong();
 * String name = testSet.getClasses().get(target);      // test_set.classes[target]
 * }</pre>
 *
 * <p>It reads the official <em>binary version</em> from {@code <root>/cifar-10-batches-bin/}: the training
 * split reads whichever of {@code data_batch_1.bin} to {@code data_batch_5.bin} are there, the test split
 * {@code test_batch.bin}. The root is {@code $JAVADL_DATA}, or {@code ~/.javadl/datasets}. With
 * {@link Builder#optDownload(boolean) optDownload(true)} and no batch of the split present, it downloads and
 * verifies the official archive first. {@code JAVADL_DATASET_LIMIT} caps the images read.
 *
 * <p>Images stay {@code uint8} in native memory, {@code (N, 3, 32, 32)}: 150 MB for the whole training set.
 * The transforms ({@code ToTensor} to make them {@code float32} in {@code [0, 1]}, {@code Normalize}, ...)
 * run on whole batches when a {@link DataLoader} or {@link #getData} builds them, and on one image when
 * {@link #get} indexes it. Labels are {@code int64}.
 *
 * <p>The dataset owns the native memory of its images: {@link #close()} frees it.
 */
public class Cifar10 extends ArrayDataset implements AutoCloseable {

    /** The class names, in label order. */
    public static final List<String> CLASSES = List.of(
            "airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck");

    /** Per-channel (R, G, B) mean of the training images in {@code [0, 1]}, for {@code Normalize}. */
    public static final float[] NORMALIZE_MEAN = {0.4914f, 0.4822f, 0.4465f};

    /** Per-channel (R, G, B) standard deviation of the training images in {@code [0, 1]}, for {@code Normalize}. */
    public static final float[] NORMALIZE_STD = {0.2470f, 0.2435f, 0.2616f};

    /** The folder of the binary version, inside the root. */
    public static final String FOLDER = "cifar-10-batches-bin";

    /** The official archive of the binary version. */
    public static final URI ARCHIVE_URL = URI.create("https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz");

    static final String ARCHIVE_MD5 = "c32a1d4ab5d03f1284b67883e8d87530";
    static final List<String> TRAIN_FILES = IntStream.rangeClosed(1, 5).mapToObj(i -> "data_batch_" + i + ".bin")
            .toList();
    static final List<String> TEST_FILES = List.of("test_batch.bin");

    private static final Logger LOG = LoggerFactory.getLogger(Cifar10.class);

    private final Usage usage;
    private final Path folder;
    private final boolean download;
    private final ArchiveInstaller installer;
    private List<String> classes = CLASSES;
    private SharedImages loaded;
    private boolean closed;

    Cifar10(Builder builder) {
        super(builder);
        this.usage = builder.usage;
        this.folder = builder.root.resolve(FOLDER);
        this.download = builder.download;
        this.installer = new ArchiveInstaller(builder.archiveUrl, builder.archiveMd5, ArchiveInstaller.READ_TIMEOUT);
    }

    /** Returns a builder; every option has a default. */
    public static Builder builder() {
        return new Builder();
    }

    /** Returns the class names in label order (torchvision's {@code classes}); loads the dataset if needed. */
    public List<String> getClasses() {
        prepareNow();
        return classes;
    }

    /**
     * Reads the batch files, downloading them first if that is on and no batch of the split is there. Later
     * calls return at once. Indexing, {@link #size()}, {@link #getData} and {@link DataLoader} call it.
     *
     * @param progress told about a download, or {@code null} for a progress bar on standard output
     * @throws DatasetException if the files are missing, unreadable or malformed, or the download fails
     */
    @Override
    public synchronized void prepare(Progress progress) throws IOException {
        if (closed) {
            throw new IllegalStateException("This Cifar10 dataset is closed; build a new one.");
        }
        if (loaded != null) {
            return;
        }
        List<Path> files = presentFiles();
        if (files.isEmpty() && download) {
            installer.install(folder.getParent(), FOLDER, progress == null ? new ProgressBar() : progress);
            files = presentFiles();
        }
        if (files.isEmpty()) {
            throw new DatasetException(missingMessage());
        }
        load(files);
    }

    private void prepareNow() {
        try {
            prepare(null);
        } catch (IOException e) {
            throw new DatasetException("Reading CIFAR-10 from " + folder + " failed: " + e.getMessage(), e);
        }
    }

    private List<String> expectedFiles() {
        return usage == Usage.TRAIN ? TRAIN_FILES : TEST_FILES;
    }

    private List<Path> presentFiles() throws IOException {
        Path root = folder.getParent();
        if (Files.exists(root) && !Files.isDirectory(root)) {
            throw new DatasetException("The dataset root " + root + " is a file, not a folder. Set "
                    + CourseSettings.DATA_VARIABLE + " (or optRoot) to the folder that contains " + FOLDER + "/.");
        }
        if (Files.isDirectory(folder) && !Files.isReadable(folder)) {
            throw new DatasetException("Cannot read " + folder + ": permission denied. Give yourself read access "
                    + "(chmod u+rx) or point " + CourseSettings.DATA_VARIABLE + " at a copy you can read.");
        }
        List<Path> present = new ArrayList<>();
        for (String name : expectedFiles()) {
            Path file = folder.resolve(name);
            if (Files.isRegularFile(file)) {
                present.add(file);
            }
        }
        return present;
    }

    private String missingMessage() {
        String wanted = usage == Usage.TRAIN ? "data_batch_1.bin ... data_batch_5.bin" : "test_batch.bin";
        return String.format(Locale.ROOT,
                "CIFAR-10 (%s split) is not here: %s has no %s. Put the files of the binary version (%s, which "
                        + "unpacks to %s/) in that folder, or set %s to the folder that contains %s/, or build the "
                        + "dataset with optDownload(true) on a machine that is online.",
                splitName(), folder, wanted, ARCHIVE_URL, FOLDER, CourseSettings.DATA_VARIABLE, FOLDER);
    }

    private String splitName() {
        return usage == Usage.TRAIN ? "training" : "test";
    }

    private void load(List<Path> files) throws IOException {
        List<Integer> counts = new ArrayList<>();
        long available = 0;
        for (Path file : files) {
            int count = CifarBinaryFormat.recordCount(file);
            counts.add(count);
            available += count;
        }
        int total = Math.toIntExact(Math.min(available, limit));
        SharedImages.Key key = SharedImages.Key.of(files, total);
        String name = "cifar10-" + usage.name().toLowerCase(Locale.ROOT);
        loaded = SharedImages.acquire(key, name, owner -> read(owner, files, counts, total));
        data = new NDArray[] {loaded.images()};
        labels = new NDArray[] {loaded.labels()};
        classes = loaded.classes();
        LOG.info(String.format(Locale.ROOT, "Using %,d CIFAR-10 %s images from %d of %d batch files in %s%s",
                total, splitName(), files.size(), expectedFiles().size(), folder,
                total < available ? String.format(Locale.ROOT, " (limited to %,d of %,d)", total, available) : ""));
    }

    /** Reads the first {@code total} records of the files into arrays that {@code owner} owns. */
    private SharedImages read(NDManager owner, List<Path> files, List<Integer> counts, int total) throws IOException {
        ByteBuffer pixels = ByteBuffer.allocateDirect(total * CifarBinaryFormat.IMAGE_BYTES)
                .order(ByteOrder.nativeOrder());
        long[] labelValues = new long[total];
        int loaded = 0;
        for (int i = 0; i < files.size() && loaded < total; i++) {
            int count = Math.min(counts.get(i), total - loaded);
            CifarBinaryFormat.read(files.get(i), count, pixels, labelValues, loaded);
            loaded += count;
        }
        pixels.flip();
        List<String> names = readClassNames();
        int side = CifarBinaryFormat.SIDE;
        NDArray images = owner.create(pixels, new Shape(total, CifarBinaryFormat.CHANNELS, side, side), DataType.UINT8);
        return new SharedImages(owner, images, owner.create(labelValues), names);
    }

    private List<String> readClassNames() throws IOException {
        Path meta = folder.resolve("batches.meta.txt");
        if (!Files.isRegularFile(meta)) {
            return CLASSES;
        }
        List<String> names = Files.readAllLines(meta).stream().map(String::strip).filter(s -> !s.isEmpty()).toList();
        if (names.size() != CifarBinaryFormat.CLASS_COUNT) {
            throw new DatasetException(meta + " names " + names.size() + " classes, not 10: it is not CIFAR-10's. "
                    + "Delete it (the standard names are then used) or download the dataset again.");
        }
        return names;
    }

    /** {@inheritDoc} Loads the dataset first if needed. */
    @Override
    protected long availableSize() {
        prepareNow();
        return data[0].size(0);
    }

    /**
     * Returns one image and its label, like torchvision's {@code dataset[index]}: the image {@code (3, 32, 32)}
     * after the dataset's transforms ({@code uint8} when there are none), the label an {@code int64} scalar.
     *
     * @param manager the manager that owns the returned arrays
     * @param index from 0 to {@code size() - 1}
     * @return the image as data, the label as labels
     * @throws IndexOutOfBoundsException if the index is outside the dataset
     */
    @Override
    public Record get(NDManager manager, long index) {
        long size = size();
        if (index < 0 || index >= size) {
            throw new IndexOutOfBoundsException("index " + index + " is outside CIFAR-10's " + splitName()
                    + " split of " + size + " images");
        }
        Record record = super.get(manager, index);
        NDList image = pipeline == null ? record.getData() : pipeline.transform(record.getData());
        return new Record(image, record.getLabels());
    }

    /**
     * {@inheritDoc}
     *
     * <p>Batches are gathered in one step and transformed as a whole, {@code (N, 3, 32, 32)}.
     */
    @Override
    public Iterable<Batch> getData(NDManager manager, Sampler sampler, ExecutorService executorService)
            throws IOException, TranslateException {
        if (dataBatchifier != Batchifier.STACK || labelBatchifier != Batchifier.STACK) {
            throw new IllegalStateException("Cifar10 builds whole batches at once and supports only the stacking "
                    + "batchifier; leave optDataBatchifier and optLabelBatchifier unset.");
        }
        return super.getData(manager, sampler, executorService); // which prepares the dataset first
    }

    /**
     * Lets go of the images: their native memory is freed unless another open {@code Cifar10} reads the same files
     * (datasets built alike share one copy). The dataset cannot be used afterwards; closing again does nothing.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (loaded != null) {
            loaded.release();
            loaded = null;
        }
    }

    /** Builds a {@link Cifar10}, in the style of DJL's dataset builders. */
    public static final class Builder extends BaseBuilder<Builder> {

        private Usage usage = Usage.TRAIN;
        private Path root;
        private boolean download;
        private URI archiveUrl = ARCHIVE_URL;
        private String archiveMd5 = ARCHIVE_MD5;
        private final OptionalLong environmentLimit;

        Builder() {
            this(CourseSettings.fromEnvironment());
        }

        Builder(CourseSettings settings) {
            root = settings.dataRoot();
            environmentLimit = settings.datasetLimit();
            environmentLimit.ifPresent(this::optLimit);
            setSampling(1, false);
        }

        @Override
        protected Builder self() {
            return this;
        }

        /**
         * Reads only the first {@code limit} images of the split. {@code JAVADL_DATASET_LIMIT}, when set, caps
         * this too: the smaller of the two wins, so a notebook's own subset still shrinks in a quick run.
         *
         * @param limit the most images to read
         * @return this builder
         */
        @Override
        public Builder optLimit(long limit) {
            return super.optLimit(Math.min(limit, environmentLimit.orElse(Long.MAX_VALUE)));
        }

        /**
         * Chooses the split: {@code TRAIN} (the default, torchvision's {@code train=True}) or {@code TEST}.
         *
         * @param usage the split
         * @return this builder
         * @throws IllegalArgumentException for {@code VALIDATION}, which CIFAR-10 does not have
         */
        public Builder optUsage(Dataset.Usage usage) {
            if (usage != Usage.TRAIN && usage != Usage.TEST) {
                throw new IllegalArgumentException("CIFAR-10 has a TRAIN and a TEST split, not " + usage);
            }
            this.usage = usage;
            return this;
        }

        /**
         * Sets the folder that contains {@code cifar-10-batches-bin/}; the default is {@code $JAVADL_DATA}, or
         * {@code ~/.javadl/datasets}.
         *
         * @param root the dataset root
         * @return this builder
         */
        public Builder optRoot(Path root) {
            this.root = root;
            return this;
        }

        /**
         * Downloads and verifies the official archive when no batch file of the split is present
         * (torchvision's {@code download=True}). Off by default.
         *
         * @param download whether to download
         * @return this builder
         */
        public Builder optDownload(boolean download) {
            this.download = download;
            return this;
        }

        /**
         * Downloads from a mirror of the official archive instead; the archive must be byte-identical (or have
         * the checksum that {@link #optArchiveMd5} gives).
         *
         * @param url the mirror's address of {@code cifar-10-binary.tar.gz}
         * @return this builder
         */
        public Builder optDownloadUrl(URI url) {
            this.archiveUrl = url;
            return this;
        }

        /**
         * Sets the MD5 checksum that the downloaded archive must have; the default is the official archive's,
         * {@code c32a1d4ab5d03f1284b67883e8d87530}. For a mirror that packs the same batch files differently (and
         * for tests that serve an archive of their own).
         *
         * @param md5 32 hexadecimal digits
         * @return this builder
         * @throws IllegalArgumentException if {@code md5} is not 32 hexadecimal digits
         */
        public Builder optArchiveMd5(String md5) {
            if (md5 == null || !md5.matches("[0-9a-fA-F]{32}")) {
                throw new IllegalArgumentException("An MD5 checksum is 32 hexadecimal digits, not '" + md5 + "'");
            }
            this.archiveMd5 = md5.toLowerCase(Locale.ROOT);
            return this;
        }

        /** Returns the dataset; nothing is read until it is first used. */
        public Cifar10 build() {
            return new Cifar10(this);
        }
    }
}
