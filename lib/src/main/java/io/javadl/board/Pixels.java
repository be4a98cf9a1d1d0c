package io.javadl.board;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Images read out of an NDArray as bytes 0 to 255, channel-first: {@code count} images of {@code channels}
 * (1 or 3) planes of {@code height x width}. {@code uint8} arrays are taken as they are; float arrays are
 * taken as values in {@code [0, 1]}, clipped to it, times 255.
 */
record Pixels(int count, int channels, int height, int width, byte[] values) {

    /**
     * Reads one image: {@code (3, H, W)}, {@code (1, H, W)} or {@code (H, W)}.
     *
     * @param caller the public method, for messages
     * @throws IllegalArgumentException for any other shape, channel count or data type
     */
    static Pixels ofImage(String caller, NDArray image) {
        Shape shape = image.getShape();
        switch (shape.dimension()) {
            case 2:
                return read(caller, image, 1, 1, shape.get(0), shape.get(1));
            case 3:
                return read(caller, image, 1, shape.get(0), shape.get(1), shape.get(2));
            default:
                throw new IllegalArgumentException(caller + " takes one image of shape (3, H, W), (1, H, W) or (H, W), "
                        + "not " + shape + (shape.dimension() == 4 ? "; for a batch (N, C, H, W) use addImages" : ""));
        }
    }

    /**
     * Reads a batch: {@code (N, 3, H, W)} or {@code (N, 1, H, W)}.
     *
     * @param caller the public method, for messages
     * @throws IllegalArgumentException for any other shape, channel count or data type
     */
    static Pixels ofBatch(String caller, NDArray images) {
        Shape shape = images.getShape();
        if (shape.dimension() != 4) {
            throw new IllegalArgumentException(caller
                    + " takes a batch of images of shape (N, 3, H, W) or (N, 1, H, W), "
                    + "not " + shape + (shape.dimension() == 3 ? "; for one image use addImage" : ""));
        }
        return read(caller, images, shape.get(0), shape.get(1), shape.get(2), shape.get(3));
    }

    private static Pixels read(String caller, NDArray array, long n, long c, long h, long w) {
        Shape shape = array.getShape();
        if (c != 1 && c != 3) {
            throw new IllegalArgumentException(caller + ": images need 1 (grey) or 3 (RGB) channels, but shape " + shape
                    + " has " + c);
        }
        if (n == 0 || h == 0 || w == 0) {
            throw new IllegalArgumentException(caller + ": shape " + shape + " holds no pixels");
        }
        DataType type = array.getDataType();
        byte[] values;
        if (type == DataType.UINT8) {
            values = array.toByteArray();
        } else if (type.isFloating()) {
            float[] floats;
            if (type == DataType.FLOAT32) {
                floats = array.toFloatArray();
            } else {
                try (NDArray converted = array.toType(DataType.FLOAT32, false)) {
                    floats = converted.toFloatArray();
                }
            }
            values = new byte[floats.length];
            for (int i = 0; i < floats.length; i++) {
                float f = floats[i];
                values[i] = (byte) (f > 0 ? Math.round(Math.min(f, 1f) * 255f) : 0); // NaN and below 0 give 0
            }
        } else {
            throw new IllegalArgumentException(caller + " takes uint8 pixels (0 to 255) or floats in [0, 1], not "
                    + type);
        }
        return new Pixels(Math.toIntExact(n), (int) c, Math.toIntExact(h), Math.toIntExact(w), values);
    }

    /** Returns the colour of one pixel as {@code 0xRRGGBB}; a grey image gives the same value to R, G and B. */
    int rgb(int image, int y, int x) {
        int plane = height * width;
        int at = image * channels * plane + y * width + x;
        int r = Byte.toUnsignedInt(values[at]);
        if (channels == 1) {
            return r << 16 | r << 8 | r;
        }
        int g = Byte.toUnsignedInt(values[at + plane]);
        int b = Byte.toUnsignedInt(values[at + 2 * plane]);
        return r << 16 | g << 8 | b;
    }
}
