package io.javadl.board;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.CRC32C;

/**
 * One TensorBoard event file, {@code events.out.tfevents.<seconds>.<host>.<pid>.<n>}, written as TFRecords:
 * each record is its length (8 bytes, little-endian), the masked CRC32C of those 8 bytes, the payload, and the
 * masked CRC32C of the payload. The payloads are {@code Event} messages; the first says {@code brain.Event:2}.
 * Not thread-safe: {@link SummaryWriter} serializes its calls.
 */
final class EventFile implements AutoCloseable {

    private static final AtomicInteger FILES_OF_THIS_PROCESS = new AtomicInteger();

    private final Path path;
    private final OutputStream out;

    /** Creates a new event file in {@code logDir} (made if missing) and writes its version event. */
    EventFile(Path logDir) throws IOException {
        Files.createDirectories(logDir);
        long now = System.currentTimeMillis();
        String name = String.format("events.out.tfevents.%d.%s.%d.%d", now / 1000, hostName(),
                ProcessHandle.current().pid(), FILES_OF_THIS_PROCESS.incrementAndGet());
        this.path = logDir.resolve(name);
        this.out = new BufferedOutputStream(Files.newOutputStream(path, StandardOpenOption.CREATE_NEW), 1 << 16);
        write(new Proto().float64(Events.WALL_TIME, now / 1000.0).string(Events.FILE_VERSION, "brain.Event:2"));
    }

    Path path() {
        return path;
    }

    /** Appends one event as a TFRecord. */
    void write(Proto event) throws IOException {
        byte[] payload = event.toByteArray();
        byte[] length = new byte[8];
        for (int i = 0; i < 8; i++) {
            length[i] = (byte) (((long) payload.length) >>> (8 * i));
        }
        out.write(length);
        writeInt(maskedCrc32c(length));
        out.write(payload);
        writeInt(maskedCrc32c(payload));
    }

    void flush() throws IOException {
        out.flush();
    }

    @Override
    public void close() throws IOException {
        out.close();
    }

    private void writeInt(int value) throws IOException {
        for (int i = 0; i < 4; i++) {
            out.write(value >>> (8 * i));
        }
    }

    /** TFRecord's checksum: CRC32C, rotated right by 15 bits, plus a constant. */
    static int maskedCrc32c(byte[] data) {
        CRC32C crc = new CRC32C();
        crc.update(data);
        int value = (int) crc.getValue();
        return ((value >>> 15) | (value << 17)) + 0xa282ead8;
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName().replaceAll("[^A-Za-z0-9._-]", "_");
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }
}
