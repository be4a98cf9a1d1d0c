package io.javadl.data;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The CIFAR-10 binary format: a batch file is a run of 3,073-byte records, each one label byte (0 to 9)
 * followed by a 32x32 colour image as 1,024 red, 1,024 green and 1,024 blue bytes, rows first. The pixels are
 * therefore already channel-first, {@code (3, 32, 32)}.
 */
final class CifarBinaryFormat {

    static final int CHANNELS = 3;
    static final int SIDE = 32;
    static final int IMAGE_BYTES = CHANNELS * SIDE * SIDE;
    static final int RECORD_BYTES = 1 + IMAGE_BYTES;
    static final int RECORDS_PER_FILE = 10_000;
    static final int CLASS_COUNT = 10;

    private CifarBinaryFormat() {}

    /**
     * Checks that a batch file holds whole records, no more than a complete batch, and returns how many.
     *
     * @param file the batch file
     * @return its number of records, 1 to 10,000
     * @throws DatasetException if the file is empty, larger than a complete batch, or its size is not a multiple
     *     of the record size
     */
    static int recordCount(Path file) throws IOException {
        long size = Files.size(file);
        long complete = (long) RECORD_BYTES * RECORDS_PER_FILE;
        if (size > complete) {
            throw new DatasetException(String.format(Locale.ROOT,
                    "%s is %,d bytes, larger than a complete CIFAR-10 batch file (%,d bytes: %,d records of "
                            + "%,d bytes). It is not a batch of the binary version: delete it and download the "
                            + "dataset again.", file, size, complete, RECORDS_PER_FILE, RECORD_BYTES));
        }
        if (size == 0 || size % RECORD_BYTES != 0) {
            throw new DatasetException(String.format(Locale.ROOT,
                    "%s is %,d bytes, which is not a whole number of CIFAR-10 records (%,d bytes each: 1 label "
                            + "byte and %,d pixel bytes); a complete batch file is %,d bytes. The file is "
                            + "truncated or is not a CIFAR-10 binary batch: delete it and download the dataset again.",
                    file, size, RECORD_BYTES, IMAGE_BYTES, complete));
        }
        return Math.toIntExact(size / RECORD_BYTES);
    }

    /**
     * Reads the first {@code count} records of a batch file: the pixels go to {@code pixels} (at its
     * position, which advances by {@code count * IMAGE_BYTES}) and the labels to {@code labels[offset ...]}.
     *
     * @param file a batch file that {@link #recordCount} accepted
     * @param count how many records to read, at most the file's record count
     * @param pixels where the pixel bytes go
     * @param labels where the labels go
     * @param offset the index in {@code labels} of the first record read
     * @throws DatasetException if a label is not 0 to 9
     */
    static void read(Path file, int count, ByteBuffer pixels, long[] labels, int offset) throws IOException {
        byte[] record = new byte[RECORD_BYTES];
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 20)) {
            for (int i = 0; i < count; i++) {
                if (in.readNBytes(record, 0, RECORD_BYTES) != RECORD_BYTES) {
                    throw new DatasetException(file + " ended early, at record " + i
                            + ": it changed while it was read. Try again.");
                }
                int label = Byte.toUnsignedInt(record[0]);
                if (label >= CLASS_COUNT) {
                    throw new DatasetException(String.format(Locale.ROOT,
                            "%s, record %,d (byte %,d): label %d is not a CIFAR-10 class (0 to 9). The file is "
                                    + "corrupt or is not a CIFAR-10 binary batch: delete it and download the dataset "
                                    + "again.",
                            file, i, (long) i * RECORD_BYTES, label));
                }
                labels[offset + i] = label;
                pixels.put(record, 1, IMAGE_BYTES);
            }
        }
    }
}
