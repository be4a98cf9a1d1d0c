package io.javadl.data.transforms;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

/** The torchvision-style transforms, on single images (C, H, W) and on batches (N, C, H, W). */
class TransformsTest {

    @AutoClose
    private final NDManager manager = NDManager.newBaseManager();

    /** A batch whose value at (n, c, y, x) is 1 + n * 1000 + c * 100 + y * 10 + x: every pixel says where it is. */
    private NDArray positions(int n, int c, int h, int w) {
        float[] values = new float[n * c * h * w];
        int i = 0;
        for (int a = 0; a < n; a++) {
            for (int b = 0; b < c; b++) {
                for (int y = 0; y < h; y++) {
                    for (int x = 0; x < w; x++) {
                        values[i++] = 1 + a * 1000 + b * 100 + y * 10 + x;
                    }
                }
            }
        }
        return manager.create(values, new Shape(n, c, h, w));
    }

    @Test
    void toTensorScalesBytesToZeroOneAndKeepsTheShape() {
        NDArray pixels = manager.create(new byte[] {0, 51, (byte) 255, 102, 0, 0}, new Shape(3, 1, 2))
                .toType(DataType.UINT8, false);

        NDArray tensor = new ToTensor().transform(pixels);

        assertEquals(DataType.FLOAT32, tensor.getDataType());
        assertEquals(new Shape(3, 1, 2), tensor.getShape());
        assertArrayEquals(new float[] {0f, 0.2f, 1f, 0.4f, 0f, 0f}, tensor.toFloatArray(), 1e-7f);
    }

    @Test
    void toTensorRefusesFloatsAndNonImages() {
        IllegalArgumentException twice = assertThrows(IllegalArgumentException.class,
                () -> new ToTensor().transform(manager.zeros(new Shape(3, 2, 2))));
        assertEquals("ToTensor takes uint8 pixels (0 to 255), not float32: is ToTensor in the pipeline twice, or "
                + "after Normalize?", twice.getMessage());
        IllegalArgumentException flat = assertThrows(IllegalArgumentException.class,
                () -> new ToTensor().transform(manager.zeros(new Shape(32, 32), DataType.UINT8)));
        assertEquals("ToTensor takes an image (C, H, W) or a batch of images (N, C, H, W), not an array of shape "
                + "(32, 32)",
                flat.getMessage());
    }

    @Test
    void normalizeSubtractsTheMeanAndDividesByTheDeviationPerChannel() {
        NDArray batch = manager.create(new float[] {0.5f, 1f, 0.25f, 0f}, new Shape(2, 2, 1, 1));

        NDArray normalized = new Normalize(new float[] {0.5f, 0.25f}, new float[] {0.5f, 0.25f}).transform(batch);

        // (0.5-0.5)/0.5, (1-0.25)/0.25, (0.25-0.5)/0.5, (0-0.25)/0.25
        assertArrayEquals(new float[] {0f, 3f, -0.5f, -1f}, normalized.toFloatArray(), 1e-6f);
        NDArray image = new Normalize(new float[] {0.5f, 0.25f}, new float[] {0.5f, 0.25f}).transform(batch.get(1));
        assertArrayEquals(new float[] {-0.5f, -1f}, image.toFloatArray(), 1e-6f);
    }

    @Test
    void normalizeNamesWhatDoesNotMatch() {
        Normalize rgb = new Normalize(new float[] {0.5f, 0.5f, 0.5f}, new float[] {0.2f, 0.2f, 0.2f});
        IllegalArgumentException channels = assertThrows(IllegalArgumentException.class,
                () -> rgb.transform(manager.zeros(new Shape(4, 1, 28, 28))));
        assertEquals("Normalize has 3 means and deviations but the images have 1 channels (shape (4, 1, 28, 28))",
                channels.getMessage());
        IllegalArgumentException bytes = assertThrows(IllegalArgumentException.class,
                () -> rgb.transform(manager.zeros(new Shape(3, 2, 2), DataType.UINT8)));
        assertEquals("Normalize takes float images, not uint8: put ToTensor before Normalize.", bytes.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Normalize(new float[] {0.5f}, new float[] {0.5f, 0.5f}));
        assertThrows(IllegalArgumentException.class, () -> new Normalize(new float[] {0.5f}, new float[] {0f}));
    }

    @Test
    void composeAppliesInOrder() {
        NDArray pixels = manager.create(new byte[] {(byte) 255, 0, 51}, new Shape(3, 1, 1))
                .toType(DataType.UINT8, false);
        float[] half = {0.5f, 0.5f, 0.5f};
        Compose pipeline = new Compose(new ToTensor(), new Normalize(half, half));

        assertArrayEquals(new float[] {1f, -1f, -0.6f}, pipeline.transform(pixels).toFloatArray(), 1e-6f);
        assertEquals("Compose(ToTensor(), Normalize(mean=[0.5, 0.5, 0.5], std=[0.5, 0.5, 0.5]))", pipeline.toString());
    }

    @Test
    void horizontalFlipMirrorsTheChosenImagesOnly() {
        NDArray batch = positions(64, 2, 3, 4);

        NDArray all = new RandomHorizontalFlip(1).transform(batch);
        NDArray none = new RandomHorizontalFlip(0).transform(batch);
        Engine.getInstance().setRandomSeed(3);
        NDArray half = new RandomHorizontalFlip().transform(batch);

        assertEquals(batch.flip(3), all);
        assertEquals(batch, none);
        int flipped = 0;
        for (int i = 0; i < 64; i++) {
            NDArray image = half.get(i);
            boolean isFlipped = image.equals(batch.get(i).flip(2));
            assertTrue(isFlipped || image.equals(batch.get(i)), "image " + i + " is neither itself nor its mirror");
            flipped += isFlipped ? 1 : 0;
        }
        assertTrue(flipped > 16 && flipped < 48, flipped + " of 64 flipped");
        Engine.getInstance().setRandomSeed(3);
        assertEquals(half, new RandomHorizontalFlip().transform(batch));
        assertEquals(batch.get(0).flip(2), new RandomHorizontalFlip(1).transform(batch.get(0)));
    }

    @Test
    void randomCropCutsAPaddedWindowAtADifferentPlacePerImage() {
        int n = 64;
        NDArray batch = positions(n, 3, 8, 8);

        NDArray cropped = new RandomCrop(8, 2).transform(batch);

        assertEquals(new Shape(n, 3, 8, 8), cropped.getShape());
        Set<String> offsets = new HashSet<>();
        for (int i = 0; i < n; i++) {
            offsets.add(windowOffset(batch.get(i), cropped.get(i), 2));
        }
        assertTrue(offsets.size() > 10, "only " + offsets.size() + " different windows in a batch of 64");
    }

    /** Finds where {@code window} sits in {@code image} padded with zeros; fails if it is no such window. */
    private String windowOffset(NDArray image, NDArray window, int padding) {
        NDArray padded = image.pad(new Shape(padding, padding, padding, padding), 0);
        long size = window.getShape().get(1);
        for (int top = 0; top + size <= padded.getShape().get(1); top++) {
            for (int left = 0; left + size <= padded.getShape().get(2); left++) {
                NDArray candidate = padded.get(":, " + top + ":" + (top + size) + ", " + left + ":" + (left + size));
                if (candidate.equals(window)) {
                    return top + "," + left;
                }
            }
        }
        throw new AssertionError("the crop is not a window of the padded image");
    }

    @Test
    void randomCropWorksOnOneImageAndOnBytes() {
        NDArray image = positions(1, 3, 32, 32).get(0).toType(DataType.UINT8, false);

        NDArray cropped = new RandomCrop(32, 4).transform(image);

        assertEquals(new Shape(3, 32, 32), cropped.getShape());
        assertEquals(DataType.UINT8, cropped.getDataType());
        windowOffset(image, cropped, 4);
    }

    @Test
    void randomCropWithoutPaddingOfTheFullSizeIsTheImage() {
        NDArray batch = positions(4, 3, 5, 5);
        assertEquals(batch, new RandomCrop(5, 0).transform(batch));
    }

    @Test
    void randomCropThatDoesNotFitIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new RandomCrop(40, 2).transform(positions(1, 3, 32, 32)));
        assertEquals("RandomCrop(40, padding=2) does not fit in images of shape (1, 3, 32, 32)", e.getMessage());
        assertNotEquals(null, new RandomCrop(32, 4).toString());
    }
}
