package io.javadl.board;

/**
 * Field numbers of the TensorBoard messages this package writes ({@code tensorflow/core/util/event.proto} and
 * {@code tensorflow/core/framework/summary.proto}), and the messages themselves.
 */
final class Events {

    // Event
    static final int WALL_TIME = 1;
    static final int STEP = 2;
    static final int FILE_VERSION = 3;
    static final int SUMMARY = 5;
    // Summary
    static final int SUMMARY_VALUE = 1;
    // Summary.Value
    static final int TAG = 1;
    static final int SIMPLE_VALUE = 2;
    static final int IMAGE = 4;
    // Summary.Image
    static final int HEIGHT = 1;
    static final int WIDTH = 2;
    static final int COLORSPACE = 3;
    static final int ENCODED_IMAGE = 4;

    static final int RGB = 3;

    private Events() {}

    /** An event at {@code step} whose summary holds one scalar. */
    static Proto scalar(String tag, float value, long step, double wallTime) {
        return event(step, wallTime, new Proto().string(TAG, tag).float32(SIMPLE_VALUE, value));
    }

    /** An event at {@code step} whose summary holds one RGB image, encoded as PNG. */
    static Proto image(String tag, int height, int width, byte[] png, long step, double wallTime) {
        Proto image = new Proto().varint(HEIGHT, height).varint(WIDTH, width).varint(COLORSPACE, RGB)
                .bytes(ENCODED_IMAGE, png);
        return event(step, wallTime, new Proto().string(TAG, tag).message(IMAGE, image));
    }

    private static Proto event(long step, double wallTime, Proto value) {
        return new Proto().float64(WALL_TIME, wallTime).varint(STEP, step)
                .message(SUMMARY, new Proto().message(SUMMARY_VALUE, value));
    }
}
