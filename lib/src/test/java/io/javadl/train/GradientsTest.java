package io.javadl.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GradientsTest {

    /**
     * For y = x W^T + b and the loss sum(y), each row of dW is the column sums of x, and db is the batch size:
     * with x = [[1, 2, 3], [4, 5, 6]] and 2 outputs, dW = [[5, 7, 9], [5, 7, 9]] and db = [2, 2].
     */
    private static void backwardOfSum(Trainer trainer) {
        NDArray x = trainer.getManager().create(new float[][] {{1, 2, 3}, {4, 5, 6}});
        try (GradientCollector collector = trainer.newGradientCollector()) {
            collector.backward(trainer.forward(new NDList(x)).head().sum());
        }
    }

    private static Trainer trainerOf(Model model, Block block) {
        model.setBlock(block);
        Trainer trainer = model.newTrainer(new DefaultTrainingConfig(Loss.l2Loss()));
        trainer.initialize(new Shape(2, 3));
        return trainer;
    }

    @Test
    void weightNormsAreTheL2NormOfEachWeightGradientInLayerOrder() {
        Block block = new SequentialBlock()
                .add(Linear.builder().setUnits(2).build())
                .add(Linear.builder().setUnits(1).build());
        try (Model model = Model.newInstance("two-layers"); Trainer trainer = trainerOf(model, block)) {
            backwardOfSum(trainer);

            Map<String, Double> norms = Gradients.weightNorms(block);

            assertEquals(List.of("01Linear_weight", "02Linear_weight"), List.copyOf(norms.keySet()));
            // the second layer's weight gradient is the column sums of the first layer's output
            NDArray w1 = block.getParameters().get("01Linear_weight").getArray();
            NDArray b1 = block.getParameters().get("01Linear_bias").getArray();
            float[] h = trainer.getManager().create(new float[][] {{1, 2, 3}, {4, 5, 6}})
                    .matMul(w1.transpose()).add(b1).sum(new int[] {0}).toFloatArray();
            assertEquals(Math.hypot(h[0], h[1]), norms.get("02Linear_weight"), 1e-3);
        }
    }

    @Test
    void clipNormScalesAllGradientsTogetherDownToTheLimit() {
        Block layer = Linear.builder().setUnits(2).build();
        try (Model model = Model.newInstance("linear"); Trainer trainer = trainerOf(model, layer)) {
            backwardOfSum(trainer);
            assertEquals(Math.sqrt(2 * (25 + 49 + 81)), Gradients.weightNorms(layer).get("weight"), 1e-4);

            double before = Gradients.clipNorm(layer, 1.0);

            double total = Math.sqrt(2 * (25 + 49 + 81) + 2 * 4);  // dW and db together
            assertEquals(total, before, 1e-4);
            assertEquals(Math.sqrt(310) / total, Gradients.weightNorms(layer).get("weight"), 1e-5);
            float[] bias = layer.getParameters().get("bias").getArray().getGradient().toFloatArray();
            assertEquals(2 / total, bias[0], 1e-5);
        }
    }

    @Test
    void tinyFloat32GradientsDoNotUnderflowToZero() {
        Block layer = Linear.builder().setUnits(2).optBias(false).build();
        try (Model model = Model.newInstance("linear"); Trainer trainer = trainerOf(model, layer)) {
            NDArray x = trainer.getManager().create(new float[][] {{1e-25f, 1e-25f, 1e-25f}, {1e-25f, 1e-25f, 1e-25f}});
            try (GradientCollector collector = trainer.newGradientCollector()) {
                collector.backward(trainer.forward(new NDList(x)).head().sum());
            }
            // dW = column sums of x in both rows: six entries of 2e-25, whose squares (4e-50) are below float32's range
            assertEquals(Math.sqrt(6) * 2e-25, Gradients.weightNorms(layer).get("weight"), 1e-30);
        }
    }

    @Test
    void clipNormLeavesSmallGradientsAlone() {
        Block layer = Linear.builder().setUnits(2).build();
        try (Model model = Model.newInstance("linear"); Trainer trainer = trainerOf(model, layer)) {
            backwardOfSum(trainer);

            Gradients.clipNorm(layer, 100);

            assertEquals(Math.sqrt(310), Gradients.weightNorms(layer).get("weight"), 1e-4);
            assertThrows(IllegalArgumentException.class, () -> Gradients.clipNorm(layer, 0));
        }
    }
}
