package io.javadl.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import org.junit.jupiter.api.Test;

class GradientProbeTest {

    private static final float[][] X = {{1, 2, 3}, {4, 5, 6}};

    /** Runs probe, then Linear(2, no bias), on X, and backward of scale * sum(y); returns the layer's weight. */
    private static float[] forwardAndBackward(NDManager manager, GradientProbe probe, float scale) {
        Linear layer = Linear.builder().setUnits(2).optBias(false).build();
        SequentialBlock net = new SequentialBlock().add(probe).add(layer);
        net.initialize(manager, DataType.FLOAT32, new Shape(2, 3));
        NDArray x = manager.create(X);
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            NDArray y = net.forward(new ParameterStore(manager, false), new NDList(x), true).singletonOrThrow();
            collector.backward(y.sum().mul(scale));
        }
        return layer.getParameters().get("weight").getArray().toFloatArray();
    }

    @Test
    void theGradientIsTheLossGradientWithRespectToTheInput() {
        try (NDManager manager = NDManager.newBaseManager()) {
            GradientProbe probe = new GradientProbe();
            float[] w = forwardAndBackward(manager, probe, 1);

            // y = x W^T, so d sum(y) / dx[n][i] = W[0][i] + W[1][i], the same in every row
            float[] columnSums = {w[0] + w[3], w[1] + w[4], w[2] + w[5]};
            float[] expected = new float[6];
            for (int i = 0; i < 6; i++) {
                expected[i] = columnSums[i % 3];
            }
            assertArrayEquals(expected, probe.gradient().toFloatArray(), 1e-6f);
            double squares = 0;
            for (float v : expected) {
                squares += v * v;
            }
            assertEquals(Math.sqrt(squares), probe.gradientNorm(), 1e-5);
        }
    }

    @Test
    void theForwardPassLeavesTheInputAsItIs() {
        try (NDManager manager = NDManager.newBaseManager()) {
            GradientProbe probe = new GradientProbe();
            probe.initialize(manager, DataType.FLOAT32, new Shape(2, 3));
            NDArray x = manager.create(X);

            NDArray out = probe.forward(new ParameterStore(manager, false), new NDList(x), false).singletonOrThrow();

            assertArrayEquals(x.toFloatArray(), out.toFloatArray());
            assertEquals(new Shape(2, 3), probe.getOutputShapes(new Shape[] {new Shape(2, 3)})[0]);
        }
    }

    @Test
    void tinyFloat32GradientsDoNotUnderflowToZero() {
        try (NDManager manager = NDManager.newBaseManager()) {
            GradientProbe probe = new GradientProbe();
            float[] w = forwardAndBackward(manager, probe, 1e-25f);

            // each entry is 1e-25 times a column sum of W: their float32 squares (about 1e-50) would be 0
            double squares = 0;
            for (int i = 0; i < 6; i++) {
                double entry = 1e-25 * ((double) w[i % 3] + w[3 + i % 3]);
                squares += entry * entry;
            }
            assertEquals(Math.sqrt(squares), probe.gradientNorm(), Math.sqrt(squares) * 1e-4);
        }
    }

    @Test
    void readingBeforeAnyForwardPassSaysWhatToDo() {
        IllegalStateException error = assertThrows(IllegalStateException.class, new GradientProbe()::gradientNorm);
        assertTrue(error.getMessage().contains("call backward"), error.getMessage());
    }
}
