package io.javadl.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/**
 * Tiny CIFAR-10 files written by the tests, in the official binary layout. Image {@code i} of a file whose
 * first image has the global number {@code first} has label {@code (first + i) % 10} and the pixel at channel
 * {@code c}, row {@code y}, column {@code x} equal to {@link #pixel}: the first pixel of image {@code i} is
 * {@code i % 256}, which tells the images of a small fixture apart.
 */
final class CifarFixture {

    static final String META = "airplane\nautomobile\nbird\ncat\ndeer\ndog\nfrog\nhorse\nship\ntruck\n\n";

    private CifarFixture() {}

    static int label(int image) {
        return image % 10;
    }

    static int pixel(int image, int c, int y, int x) {
        return (image + c * 50 + y * 32 + x) % 256;
    }

    /** The bytes of a batch file of {@code count} images, numbered from {@code first}. */
    static byte[] batch(int first, int count) {
        byte[] bytes = new byte[count * CifarBinaryFormat.RECORD_BYTES];
        int at = 0;
        for (int i = first; i < first + count; i++) {
            bytes[at++] = (byte) label(i);
            for (int c = 0; c < 3; c++) {
                for (int y = 0; y < 32; y++) {
                    for (int x = 0; x < 32; x++) {
                        bytes[at++] = (byte) pixel(i, c, y, x);
                    }
                }
            }
        }
        return bytes;
    }

    /** Writes {@code root/cifar-10-batches-bin/<name>} with {@code count} images numbered from {@code first}. */
    static Path write(Path root, String name, int first, int count) {
        return writeBytes(root, name, batch(first, count));
    }

    static Path writeBytes(Path root, String name, byte[] bytes) {
        try {
            Path folder = Files.createDirectories(root.resolve(Cifar10.FOLDER));
            return Files.write(folder.resolve(name), bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A {@code .tar.gz} whose entries have the given names, written as they are (so {@code ../x} and absolute
     * names too), and contents. The tar format is written here by hand (ustar headers of 512 bytes), so that the
     * reading side under test meets exactly the classpath the kernel has.
     */
    static byte[] tarGz(Map<String, byte[]> entries) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream out = new GZIPOutputStream(bytes)) {
            for (Map.Entry<String, byte[]> entry : entries.entrySet()) {
                out.write(tarHeader(entry.getKey(), entry.getValue().length));
                out.write(entry.getValue());
                out.write(new byte[(512 - entry.getValue().length % 512) % 512]);
            }
            out.write(new byte[1024]); // two empty blocks end the archive
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static byte[] tarHeader(String name, long size) {
        byte[] header = new byte[512];
        put(header, 0, name, 100);
        put(header, 100, "0000644", 8);
        put(header, 108, "0000000", 8);
        put(header, 116, "0000000", 8);
        put(header, 124, String.format("%011o", size), 12);
        put(header, 136, String.format("%011o", 1_700_000_000L), 12);
        java.util.Arrays.fill(header, 148, 156, (byte) ' ');
        header[156] = '0';
        put(header, 257, "ustar", 6);
        put(header, 263, "00", 2);
        long checksum = 0;
        for (byte b : header) {
            checksum += Byte.toUnsignedInt(b);
        }
        put(header, 148, String.format("%06o", checksum), 7);
        return header;
    }

    private static void put(byte[] header, int at, String text, int width) {
        byte[] ascii = text.getBytes(StandardCharsets.US_ASCII);
        if (ascii.length > width) {
            throw new IllegalArgumentException("too long for a tar header field: " + text);
        }
        System.arraycopy(ascii, 0, header, at, ascii.length);
    }

    static byte[] meta() {
        return META.getBytes(StandardCharsets.UTF_8);
    }
}
