package io.javadl.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The layout of PyTorch's tensor printing (without its "tensor(" wrapper), written out by hand. */
class TensorFormatTest {

    private NDManager manager;

    @BeforeEach
    void open() {
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void close() {
        manager.close();
    }

    @Test
    void integersAreRightAlignedInNestedBrackets() {
        NDArray conv = manager.create(new int[] {10, 12, 12, 18, 16, 16, 13, 9, 3}, new Shape(1, 1, 3, 3));

        assertEquals("ND: (1, 1, 3, 3) cpu() int32\n"
                + "[[[[10, 12, 12],\n"
                + "   [18, 16, 16],\n"
                + "   [13,  9,  3]]]]", TensorFormat.format(conv));
    }

    @Test
    void wholeFloatsEndInAPointAndOthersShowFourDecimals() {
        assertEquals("[[[[2., 3.],\n   [5., 1.]]]]",
                TensorFormat.values(manager.create(new float[] {2, 3, 5, 1}, new Shape(1, 1, 2, 2))));
        assertEquals("[[0.7311, 0.5000],\n [0.5000, 0.9526]]",
                TensorFormat.values(manager.create(new float[] {0.7310586f, 0.5f, 0.5f, 0.95257413f}, new Shape(2, 2))));
        assertEquals("2.", TensorFormat.values(manager.create(2f)));
        assertEquals("[-0.5000,  1.0000]", TensorFormat.values(manager.create(new float[] {-0.5f, 1f})));
    }

    @Test
    void valuesThatSpanMoreThanAThousandTimesAreScientific() {
        assertEquals("[1.0000e-05, 1.0000e+00]", TensorFormat.values(manager.create(new float[] {1e-5f, 1f})));
        assertEquals("[nan, inf,  1.]", TensorFormat.values(manager.create(new float[] {Float.NaN, Float.POSITIVE_INFINITY, 1f})));
    }

    @Test
    void threeDimensionsSeparateTheirMatricesByABlankLine() {
        NDArray cube = manager.arange(8).reshape(2, 2, 2);

        assertEquals("[[[0, 1],\n  [2, 3]],\n\n [[4, 5],\n  [6, 7]]]", TensorFormat.values(cube));
    }

    @Test
    void largeArraysShowThreeItemsAtEachEndOfLongDimensions() {
        NDArray image = manager.arange(3 * 32 * 32).reshape(3, 32, 32).toType(DataType.FLOAT32, false);

        String text = TensorFormat.values(image);

        String[] lines = text.split("\n");
        assertEquals("[[[   0.,    1.,    2.,  ...,   29.,   30.,   31.],", lines[0]);
        assertEquals("  [  32.,   33.,   34.,  ...,   61.,   62.,   63.],", lines[1]);
        assertEquals("  ...,", lines[3]);
        assertEquals("  [ 992.,  993.,  994.,  ..., 1021., 1022., 1023.]],", lines[6]);
        assertEquals("", lines[7]);
        assertTrue(text.endsWith("[3040., 3041., 3042.,  ..., 3069., 3070., 3071.]]]"), text);
        assertEquals(3 * 7 + 2, lines.length);  // 3 matrices of 7 lines, 2 blank lines between them
    }

    @Test
    void formattingLeavesNoArrayBehindInTheCallersManager() {
        NDArray image = manager.ones(new Shape(64, 3, 32, 32));
        int before = manager.getManagedArrays().size();

        TensorFormat.format(image);

        assertEquals(before, manager.getManagedArrays().size());
    }
}
