package io.javadl.board;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * An independent reader for the tests: splits an event file into TFRecords, checks both checksums, and decodes
 * the fields the writer uses. (The pytest suite reads the same files with TensorBoard's own reader.)
 */
public final class EventRecords {

    /** One decoded event: its step, and a scalar, an image or the file version. */
    public record Event(long step, String tag, Float scalar, Integer height, Integer width, byte[] png,
                        String fileVersion) {}

    private EventRecords() {}

    public static List<Event> read(Path file) throws IOException {
        ByteBuffer in = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        List<Event> events = new ArrayList<>();
        while (in.hasRemaining()) {
            byte[] lengthBytes = new byte[8];
            in.get(lengthBytes);
            long length = ByteBuffer.wrap(lengthBytes).order(ByteOrder.LITTLE_ENDIAN).getLong();
            check(lengthBytes, in.getInt(), "length");
            byte[] payload = new byte[Math.toIntExact(length)];
            in.get(payload);
            check(payload, in.getInt(), "payload");
            events.add(decodeEvent(payload));
        }
        return events;
    }

    private static void check(byte[] data, int masked, String what) {
        CRC32C crc = new CRC32C();
        crc.update(data);
        int value = (int) crc.getValue();
        int expected = ((value >>> 15) | (value << 17)) + 0xa282ead8;
        if (masked != expected) {
            throw new AssertionError("bad masked CRC32C of the " + what);
        }
    }

    private static Event decodeEvent(byte[] bytes) {
        long step = 0;
        String version = null;
        Event summary = null;
        for (Field f : fields(bytes)) {
            switch (f.number) {
                case 2 -> step = f.varint;
                case 3 -> version = new String(f.bytes, StandardCharsets.UTF_8);
                case 5 -> summary = decodeValue(fields(f.bytes).get(0).bytes);
                default -> { }
            }
        }
        return summary == null
                ? new Event(step, null, null, null, null, null, version)
                : new Event(step, summary.tag(), summary.scalar(), summary.height(), summary.width(),
                        summary.png(), null);
    }

    private static Event decodeValue(byte[] bytes) {
        String tag = null;
        Float scalar = null;
        Integer height = null;
        Integer width = null;
        byte[] png = null;
        for (Field f : fields(bytes)) {
            if (f.number == 1) {
                tag = new String(f.bytes, StandardCharsets.UTF_8);
            } else if (f.number == 2) {
                scalar = Float.intBitsToFloat((int) f.fixed);
            } else if (f.number == 4) {
                for (Field g : fields(f.bytes)) {
                    switch (g.number) {
                        case 1 -> height = (int) g.varint;
                        case 2 -> width = (int) g.varint;
                        case 4 -> png = g.bytes;
                        default -> { }
                    }
                }
            }
        }
        return new Event(0, tag, scalar, height, width, png, null);
    }

    private record Field(int number, long varint, long fixed, byte[] bytes) {}

    private static List<Field> fields(byte[] bytes) {
        List<Field> fields = new ArrayList<>();
        int[] at = {0};
        while (at[0] < bytes.length) {
            long key = varint(bytes, at);
            int number = (int) (key >>> 3);
            switch ((int) (key & 7)) {
                case 0 -> fields.add(new Field(number, varint(bytes, at), 0, null));
                case 1 -> {
                    fields.add(new Field(number, 0, ByteBuffer.wrap(bytes, at[0], 8).order(ByteOrder.LITTLE_ENDIAN)
                            .getLong(), null));
                    at[0] += 8;
                }
                case 2 -> {
                    int length = (int) varint(bytes, at);
                    byte[] value = new byte[length];
                    System.arraycopy(bytes, at[0], value, 0, length);
                    at[0] += length;
                    fields.add(new Field(number, 0, 0, value));
                }
                case 5 -> {
                    fields.add(new Field(number, 0, ByteBuffer.wrap(bytes, at[0], 4).order(ByteOrder.LITTLE_ENDIAN)
                            .getInt(), null));
                    at[0] += 4;
                }
                default -> throw new AssertionError("unexpected wire type in key " + key);
            }
        }
        return fields;
    }

    private static long varint(byte[] bytes, int[] at) {
        long value = 0;
        for (int shift = 0; ; shift += 7) {
            byte b = bytes[at[0]++];
            value |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return value;
            }
        }
    }
}
