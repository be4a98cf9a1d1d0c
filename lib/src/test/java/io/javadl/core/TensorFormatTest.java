package io.javadl.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The layout of PyTorch's tensor printing, without its "tensor(" wrapper. */
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
                TensorFormat.values(
                        manager.create(new float[] {0.7310586f, 0.5f, 0.5f, 0.95257413f}, new Shape(2, 2))));
        assertEquals("2.", TensorFormat.values(manager.create(2f)));
        assertEquals("[-0.5000,  1.0000]", TensorFormat.values(manager.create(new float[] {-0.5f, 1f})));
    }

    /**
     * PyTorch 2.7.1's own text for these tensors, recorded with {@code print(repr(str(<expression>)))} (the CUDA
     * wheel of requirements-torch-cuda.txt, on the CPU), less its {@code tensor(...)} wrapper and its line wrap at 80
     * characters.
     */
    @Test
    void floatsFollowPyTorchsRulesForWholeFixedAndScientificNotation() {
        float nan = Float.NaN;
        float inf = Float.POSITIVE_INFINITY;
        assertPrintsAsPyTorch("tensor([0.0000e+00, 1.0000e+00, 2.0000e+00,  ..., 3.0690e+03, 3.0700e+03,\n"
                + "        3.0710e+03])", manager.arange(3072f)); // torch.arange(3072.)
        assertPrintsAsPyTorch("tensor([   1., 1000.])", manager.create(new float[] {1, 1000}));
        assertPrintsAsPyTorch("tensor([1.0000e+00, 1.0010e+03])", manager.create(new float[] {1, 1001}));
        assertPrintsAsPyTorch("tensor([100000000.,  30000000.])", manager.create(new float[] {1e8f, 3e7f}));
        assertPrintsAsPyTorch("tensor([2.0000e+08, 1.0000e+08])", manager.create(new float[] {2e8f, 1e8f}));
        assertPrintsAsPyTorch("tensor([5.0000e-01, 1.0000e-05])", manager.create(new float[] {0.5f, 1e-5f}));
        assertPrintsAsPyTorch("tensor([1.0000e-05, 1.0000e+00])", manager.create(new float[] {1e-5f, 1f}));
        assertPrintsAsPyTorch("tensor([  0.5000, 250.2500])", manager.create(new float[] {0.5f, 250.25f}));
        assertPrintsAsPyTorch("tensor([-0.5000,  1.0000])", manager.create(new float[] {-0.5f, 1f}));
        assertPrintsAsPyTorch("tensor([0., 0.])", manager.create(new float[] {0, 0}));
        assertPrintsAsPyTorch("tensor([0., 2., nan, inf])", manager.create(new float[] {0, 2, nan, inf}));
        assertPrintsAsPyTorch("tensor([nan, inf, 1.])", manager.create(new float[] {nan, inf, 1}));
        assertPrintsAsPyTorch("tensor([0.5000,    nan])", manager.create(new float[] {0.5f, nan}));
        assertPrintsAsPyTorch("tensor([ 5.0000e-01, -2.0000e+03,        -inf])",
                manager.create(new float[] {0.5f, -2000, -inf}));
        assertPrintsAsPyTorch("tensor([[0.7311, 0.5000],\n        [0.5000, 0.9526]])",
                manager.create(new float[] {0.7310586f, 0.5f, 0.5f, 0.95257413f}, new Shape(2, 2)));
        assertPrintsAsPyTorch("tensor([-3, 20,  7])", manager.create(new int[] {-3, 20, 7}));
    }

    /**
     * Compares with PyTorch's text, its "tensor(" wrapper (and the 7 columns it indents rows by) and its line wrap
     * taken out; a wrapped line's leading spaces go with the wrap, so the recorded cases wrap no padded value.
     */
    private static void assertPrintsAsPyTorch(String pytorch, NDArray array) {
        String inner = pytorch.substring("tensor(".length(), pytorch.length() - 1);
        String unwrapped = inner.replaceAll(",\n +(?=[0-9nai-])", ", ").replace("\n       ", "\n");
        assertEquals(unwrapped, TensorFormat.values(array), pytorch);
    }

    @Test
    void threeDimensionsSeparateTheirMatricesByABlankLine() {
        NDArray cube = manager.arange(8).reshape(2, 2, 2);

        assertEquals("[[[0, 1],\n  [2, 3]],\n\n [[4, 5],\n  [6, 7]]]", TensorFormat.values(cube));
    }

    @Test
    void largeArraysShowThreeItemsAtEachEndOfLongDimensions() {
        // PyTorch 2.7.1: print(repr(str(torch.arange(3072.).reshape(3, 32, 32)))), as above
        String pytorch = "tensor([[[0.0000e+00, 1.0000e+00, 2.0000e+00,  ..., 2.9000e+01,\n"
                + "          3.0000e+01, 3.1000e+01],\n"
                + "         [3.2000e+01, 3.3000e+01, 3.4000e+01,  ..., 6.1000e+01,\n"
                + "          6.2000e+01, 6.3000e+01],\n"
                + "         [6.4000e+01, 6.5000e+01, 6.6000e+01,  ..., 9.3000e+01,\n"
                + "          9.4000e+01, 9.5000e+01],\n"
                + "         ...,\n"
                + "         [9.2800e+02, 9.2900e+02, 9.3000e+02,  ..., 9.5700e+02,\n"
                + "          9.5800e+02, 9.5900e+02],\n"
                + "         [9.6000e+02, 9.6100e+02, 9.6200e+02,  ..., 9.8900e+02,\n"
                + "          9.9000e+02, 9.9100e+02],\n"
                + "         [9.9200e+02, 9.9300e+02, 9.9400e+02,  ..., 1.0210e+03,\n"
                + "          1.0220e+03, 1.0230e+03]],\n"
                + "\n"
                + "        [[1.0240e+03, 1.0250e+03, 1.0260e+03,  ..., 1.0530e+03,\n"
                + "          1.0540e+03, 1.0550e+03],\n"
                + "         [1.0560e+03, 1.0570e+03, 1.0580e+03,  ..., 1.0850e+03,\n"
                + "          1.0860e+03, 1.0870e+03],\n"
                + "         [1.0880e+03, 1.0890e+03, 1.0900e+03,  ..., 1.1170e+03,\n"
                + "          1.1180e+03, 1.1190e+03],\n"
                + "         ...,\n"
                + "         [1.9520e+03, 1.9530e+03, 1.9540e+03,  ..., 1.9810e+03,\n"
                + "          1.9820e+03, 1.9830e+03],\n"
                + "         [1.9840e+03, 1.9850e+03, 1.9860e+03,  ..., 2.0130e+03,\n"
                + "          2.0140e+03, 2.0150e+03],\n"
                + "         [2.0160e+03, 2.0170e+03, 2.0180e+03,  ..., 2.0450e+03,\n"
                + "          2.0460e+03, 2.0470e+03]],\n"
                + "\n"
                + "        [[2.0480e+03, 2.0490e+03, 2.0500e+03,  ..., 2.0770e+03,\n"
                + "          2.0780e+03, 2.0790e+03],\n"
                + "         [2.0800e+03, 2.0810e+03, 2.0820e+03,  ..., 2.1090e+03,\n"
                + "          2.1100e+03, 2.1110e+03],\n"
                + "         [2.1120e+03, 2.1130e+03, 2.1140e+03,  ..., 2.1410e+03,\n"
                + "          2.1420e+03, 2.1430e+03],\n"
                + "         ...,\n"
                + "         [2.9760e+03, 2.9770e+03, 2.9780e+03,  ..., 3.0050e+03,\n"
                + "          3.0060e+03, 3.0070e+03],\n"
                + "         [3.0080e+03, 3.0090e+03, 3.0100e+03,  ..., 3.0370e+03,\n"
                + "          3.0380e+03, 3.0390e+03],\n"
                + "         [3.0400e+03, 3.0410e+03, 3.0420e+03,  ..., 3.0690e+03,\n"
                + "          3.0700e+03, 3.0710e+03]]])";

        assertPrintsAsPyTorch(pytorch, manager.arange(3072f).reshape(3, 32, 32));
    }

    @Test
    void formattingLeavesNoArrayBehindInTheCallersManager() {
        NDArray image = manager.ones(new Shape(64, 3, 32, 32));
        int before = manager.getManagedArrays().size();

        TensorFormat.format(image);

        assertEquals(before, manager.getManagedArrays().size());
    }
}
