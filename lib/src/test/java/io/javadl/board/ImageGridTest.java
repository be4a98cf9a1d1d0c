package io.javadl.board;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.awt.image.BufferedImage;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

class ImageGridTest {

    @AutoClose
    private final NDManager manager = NDManager.newBaseManager();

    /** N images of 3 x h x w whose red is the image number times 10, green the row and blue the column. */
    private NDArray numbered(int n, int h, int w) {
        byte[] values = new byte[n * 3 * h * w];
        for (int i = 0; i < n; i++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int at = ((i * 3) * h + y) * w + x;
                    values[at] = (byte) (10 * i);
                    values[at + h * w] = (byte) y;
                    values[at + 2 * h * w] = (byte) x;
                }
            }
        }
        return manager.create(values, new Shape(n, 3, h, w)).toType(DataType.UINT8, false);
    }

    @Test
    void laysOutEightPerRowWithTwoPixelsOfPadding() {
        BufferedImage grid = ImageGrid.of(numbered(10, 32, 32)).toImage();

        assertEquals(8 * 34 + 2, grid.getWidth());
        assertEquals(2 * 34 + 2, grid.getHeight());
        assertEquals(0x000000, grid.getRGB(0, 0) & 0xffffff); // padding is black
        // image 3, row 5, column 7
        assertEquals((30 << 16) | (5 << 8) | 7, grid.getRGB(2 + 3 * 34 + 7, 2 + 5) & 0xffffff);
        assertEquals((90 << 16) | (1 << 8) | 2, grid.getRGB(2 + 34 + 2, 2 + 34 + 1) & 0xffffff); // image 9: second row
    }

    @Test
    void scalingRepeatsEachPixel() {
        BufferedImage grid = ImageGrid.of(numbered(2, 4, 4)).columns(1).padding(1).scale(3).toImage();

        assertEquals(3 * (4 + 2), grid.getWidth());
        assertEquals(3 * (2 * 5 + 1), grid.getHeight());
        int expected = (10 << 16) | (2 << 8) | 3; // image 1, row 2, column 3
        for (int dy = 0; dy < 3; dy++) {
            for (int dx = 0; dx < 3; dx++) {
                assertEquals(expected, grid.getRGB(3 * (1 + 3) + dx, 3 * (1 + 5 + 2) + dy) & 0xffffff);
            }
        }
    }

    @Test
    void oneImageIsDrawnWithoutPadding() {
        BufferedImage image = ImageGrid.of(numbered(1, 5, 7).get(0)).toImage();

        assertEquals(7, image.getWidth());
        assertEquals(5, image.getHeight());
        assertEquals((0 << 16) | (4 << 8) | 6, image.getRGB(6, 4) & 0xffffff);
    }

    @Test
    void floatsAreTakenAsZeroToOneAndGreyAsEqualChannels() {
        NDArray grey = manager.create(new float[] {0f, 0.5f, 1f, 2f, -1f, Float.NaN}, new Shape(1, 1, 2, 3));

        BufferedImage image = ImageGrid.of(grey).toImage();

        assertEquals(0x000000, image.getRGB(0, 0) & 0xffffff);
        assertEquals(0x808080, image.getRGB(1, 0) & 0xffffff);
        assertEquals(0xffffff, image.getRGB(2, 0) & 0xffffff);
        assertEquals(0xffffff, image.getRGB(0, 1) & 0xffffff); // clipped to 1
        assertEquals(0x000000, image.getRGB(1, 1) & 0xffffff); // clipped to 0
        assertEquals(0x000000, image.getRGB(2, 1) & 0xffffff); // NaN shows black
    }

    @Test
    void labelsAddABandUnderEachRowWithTheText() {
        BufferedImage plain = ImageGrid.of(numbered(4, 32, 32)).scale(4).toImage();
        BufferedImage labelled = ImageGrid.of(numbered(4, 32, 32)).scale(4)
                .labels(List.of("cat", "ship", "ship", "frog")).toImage();

        assertEquals(plain.getWidth(), labelled.getWidth());
        int band = labelled.getHeight() - plain.getHeight();
        assertEquals(21, band);
        int white = 0;
        for (int y = plain.getHeight() - 8; y < labelled.getHeight() - 8; y++) {
            for (int x = 0; x < labelled.getWidth(); x++) {
                white += (labelled.getRGB(x, y) & 0xffffff) == 0xffffff ? 1 : 0;
            }
        }
        assertTrue(white > 20, "no label text under the images");
    }

    @Test
    void badSettingsAreRefused() {
        NDArray four = numbered(4, 8, 8);
        assertThrows(IllegalArgumentException.class, () -> ImageGrid.of(four).labels(Collections.nCopies(3, "x")));
        assertThrows(IllegalArgumentException.class, () -> ImageGrid.of(four).columns(0));
        assertThrows(IllegalArgumentException.class, () -> ImageGrid.of(four).scale(0));
        assertThrows(IllegalArgumentException.class, () -> ImageGrid.of(four).padding(-1));
        assertEquals("ImageGrid takes one image of shape (3, H, W), (1, H, W) or (H, W), not (8)",
                assertThrows(IllegalArgumentException.class,
                        () -> ImageGrid.of(manager.zeros(new Shape(8)))).getMessage());
    }
}
