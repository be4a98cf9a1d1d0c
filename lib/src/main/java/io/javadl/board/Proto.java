package io.javadl.board;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Writes the few protocol-buffer messages of a TensorBoard event file by hand: each field is a key (field
 * number and wire type) followed by a varint, 8 bytes, 4 bytes or a length-prefixed run of bytes.
 */
final class Proto {

    private static final int VARINT = 0;
    private static final int FIXED64 = 1;
    private static final int LENGTH_DELIMITED = 2;
    private static final int FIXED32 = 5;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    Proto varint(int field, long value) {
        key(field, VARINT);
        rawVarint(value);
        return this;
    }

    Proto float64(int field, double value) {
        key(field, FIXED64);
        littleEndian(Double.doubleToLongBits(value), 8);
        return this;
    }

    Proto float32(int field, float value) {
        key(field, FIXED32);
        littleEndian(Float.floatToIntBits(value), 4);
        return this;
    }

    Proto string(int field, String value) {
        return bytes(field, value.getBytes(StandardCharsets.UTF_8));
    }

    Proto bytes(int field, byte[] value) {
        key(field, LENGTH_DELIMITED);
        rawVarint(value.length);
        out.writeBytes(value);
        return this;
    }

    Proto message(int field, Proto message) {
        return bytes(field, message.toByteArray());
    }

    byte[] toByteArray() {
        return out.toByteArray();
    }

    private void key(int field, int wireType) {
        rawVarint(((long) field << 3) | wireType);
    }

    private void rawVarint(long value) {
        while ((value & ~0x7FL) != 0) {
            out.write((int) ((value & 0x7F) | 0x80));
            value >>>= 7;
        }
        out.write((int) value);
    }

    private void littleEndian(long value, int bytes) {
        for (int i = 0; i < bytes; i++) {
            out.write((int) (value >>> (8 * i)) & 0xFF);
        }
    }
}
