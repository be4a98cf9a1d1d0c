package io.javadl.board;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Known encodings from the protocol-buffer documentation and the TFRecord checksum's check value. */
class ProtoTest {

    private static byte[] bytes(int... values) {
        byte[] out = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (byte) values[i];
        }
        return out;
    }

    @Test
    void encodesTheDocumentationsExamples() {
        assertArrayEquals(bytes(0x08, 0x96, 0x01), new Proto().varint(1, 150).toByteArray());
        assertArrayEquals(bytes(0x12, 0x07, 't', 'e', 's', 't', 'i', 'n', 'g'), new Proto().string(2, "testing")
                .toByteArray());
        assertArrayEquals(bytes(0x1a, 0x03, 0x08, 0x96, 0x01), new Proto().message(3, new Proto().varint(1, 150))
                .toByteArray());
    }

    @Test
    void encodesFixedWidthNumbersLittleEndian() {
        assertArrayEquals(bytes(0x15, 0x00, 0x00, 0x80, 0x3f), new Proto().float32(2, 1.0f).toByteArray());
        assertArrayEquals(bytes(0x09, 0, 0, 0, 0, 0, 0, 0xf0, 0x3f), new Proto().float64(1, 1.0).toByteArray());
        assertArrayEquals(bytes(0x10, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01),
                new Proto().varint(2, -1).toByteArray());
    }

    @Test
    void masksCrc32cTheTfRecordWay() {
        // CRC32C("123456789") is 0xE3069283 (the standard check value); masked: rotated right 15, plus 0xa282ead8
        assertEquals(0xc78ab0e5, EventFile.maskedCrc32c("123456789".getBytes()));
    }
}
