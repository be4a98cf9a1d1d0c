package io.javadl.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.initializer.ConstantInitializer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import io.javadl.data.DataLoader;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ClassifierLoopTest {

    private NDManager manager;

    @BeforeEach
    void openManager() {
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void closeManager() {
        manager.close();
    }

    private static Trainer trainerOf(Model model, Block block, int features) {
        model.setBlock(block);
        Trainer trainer = model.newTrainer(new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                .optOptimizer(Optimizer.sgd().setLearningRateTracker(Tracker.fixed(0.1f)).build()));
        trainer.initialize(new Shape(1, features));
        return trainer;
    }

    private DataLoader loaderOf(float[][] data, long[] labels, int batchSize) {
        ArrayDataset dataset = new ArrayDataset.Builder()
                .setData(manager.create(data)).optLabels(manager.create(labels)).setSampling(1, false).build();
        return DataLoader.builder(dataset).optBatchSize(batchSize).build();
    }

    private static double crossEntropy(float[] scores, long label) {
        double sum = 0;
        for (float score : scores) {
            sum += Math.exp(score);
        }
        return Math.log(sum) - scores[(int) label];
    }

    @Test
    void evaluateAveragesLossAndAccuracyOverImagesNotBatches() {
        // the identity model: the data are the scores themselves
        float[][] scores = {{2, 1}, {0, 3}, {5, 4}, {1, 0}};
        long[] labels = {0, 1, 1, 0};  // argmax: 0, 1, 0, 0 -> 3 of 4 right
        double expectedLoss = 0;
        for (int i = 0; i < 4; i++) {
            expectedLoss += crossEntropy(scores[i], labels[i]) / 4;
        }
        try (Model model = Model.newInstance("identity");
                Trainer trainer = trainerOf(model, new LambdaBlock(list -> list), 2);
                DataLoader loader = loaderOf(scores, labels, 3)) {  // batches of 3 and 1

            EpochStats stats = ClassifierLoop.evaluate(trainer, loader);

            assertEquals(0.75, stats.accuracy());
            assertEquals(expectedLoss, stats.loss(), 1e-5);
            assertEquals(4, stats.images());
            assertTrue(stats.seconds() > 0);
        }
    }

    @Test
    void trainingEpochsLearnASeparableProblem() {
        float[][] points = {{1, 0}, {2, 1}, {0, 1}, {1, 2}, {3, 1}, {1, 3}};
        long[] labels = {0, 0, 1, 1, 0, 1};  // class 0 where x > y
        // a moderate rate and few epochs: DJL refuses a step whose gradients are all exactly zero, which a
        // saturated softmax on separable data reaches in float32
        Engine.getInstance().setRandomSeed(0);
        try (Model model = Model.newInstance("linear");
                Trainer trainer = trainerOf(model, Linear.builder().setUnits(2).build(), 2);
                DataLoader loader = loaderOf(points, labels, 2)) {
            EpochStats first = ClassifierLoop.trainEpoch(trainer, loader);
            EpochStats last = first;
            for (int epoch = 0; epoch < 30; epoch++) {
                last = ClassifierLoop.trainEpoch(trainer, loader);
            }

            assertEquals(6, first.images());
            assertTrue(last.loss() < first.loss() / 2, first + " then " + last);
            assertEquals(1.0, ClassifierLoop.evaluate(trainer, loader).accuracy());
        }
    }

    /**
     * What trainEpoch's loop, and 09's step written out by hand, rely on: DJL zeroes the gradients in
     * {@code trainer.step()}, PyTorch's {@code optimizer.zero_grad()}. A new GradientCollector does not: a second
     * backward pass without a step in between adds its gradient to the first.
     */
    @Test
    void theTrainersStepZeroesTheGradientsANewCollectorDoesNot() {
        try (Model model = Model.newInstance("y = w x")) {
            model.setBlock(Linear.builder().setUnits(1).optBias(false).build());
            DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.l2Loss())
                    .optOptimizer(Optimizer.sgd().setLearningRateTracker(Tracker.fixed(0f)).build())
                    .optInitializer(new ConstantInitializer(1f), Parameter.Type.WEIGHT);
            try (Trainer trainer = model.newTrainer(config)) {
                trainer.initialize(new Shape(1, 1));
                NDArray weight = model.getBlock().getParameters().get("weight").getArray();
                NDArray x = trainer.getManager().create(new float[] {2f}, new Shape(1, 1));
                float[][] seen = new float[3][];
                for (int pass = 0; pass < 2; pass++) {
                    try (GradientCollector collector = trainer.newGradientCollector()) {
                        collector.backward(trainer.forward(new NDList(x)).head().sum());  // d(w x)/dw = x = 2
                    }
                    seen[pass] = weight.getGradient().toFloatArray();
                }
                trainer.step();
                seen[2] = weight.getGradient().toFloatArray();

                assertArrayEquals(new float[] {2f}, seen[0]);
                assertArrayEquals(new float[] {4f}, seen[1], "a new collector keeps the old gradient");
                assertArrayEquals(new float[] {0f}, seen[2], "the step zeroes it");
            }
        }
    }

    @Test
    void anEmptyPassIsNamed() {
        try (Model model = Model.newInstance("identity");
                Trainer trainer = trainerOf(model, new LambdaBlock(list -> list), 2)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> ClassifierLoop.evaluate(trainer, List.of()));
            assertEquals("The pass had no batch: is the dataset empty?", e.getMessage());
        }
    }
}
