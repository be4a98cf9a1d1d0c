package io.javadl.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.Model;
import ai.djl.metric.Metric;
import ai.djl.metric.Metrics;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.EasyTrain;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.dataset.Batch;
import ai.djl.training.evaluator.Accuracy;
import ai.djl.training.listener.EvaluatorTrainingListener;
import ai.djl.training.listener.TrainingListener;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import io.javadl.board.EventRecords;
import io.javadl.board.SummaryWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Trains with DJL's own {@code EasyTrain.fit}, and checks what the listener logged against what DJL's own
 * {@link EvaluatorTrainingListener} recorded in the trainer's metrics, against the tracker's formula, and against
 * the rate by which plain SGD moved the weights.
 */
class TensorBoardListenerTest {

    private static final int EXAMPLES = 40;
    private static final int BATCH = 8;  // 5 steps an epoch
    private static final float BASE_RATE = 0.1f;
    private static final float FACTOR = 0.9f;

    /** The optimizer's learning rate, base * factor^k at update k; the listener is given the same tracker. */
    private final Tracker rate = Tracker.factor().setBaseValue(BASE_RATE).setFactor(FACTOR).build();

    @TempDir
    Path logs;

    private NDManager manager;

    @BeforeEach
    void openManager() {
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void closeManager() {
        manager.close();
    }

    private ArrayDataset dataset(long seed) {
        Random random = new Random(seed);
        float[][] data = new float[EXAMPLES][4];
        long[] labels = new long[EXAMPLES];
        for (int i = 0; i < EXAMPLES; i++) {
            labels[i] = i % 3;
            for (int j = 0; j < 4; j++) {
                data[i][j] = (float) random.nextGaussian() + (j == labels[i] ? 1.5f : 0f);
            }
        }
        return new ArrayDataset.Builder().setData(manager.create(data)).optLabels(manager.create(labels))
                .setSampling(BATCH, false).build();
    }

    /**
     * Two linear layers. (One alone would make DJL's first step fail now and then: with softmax cross-entropy its
     * gradients sum to zero, up to rounding, and DJL refuses a step whose gradients sum to exactly 0.)
     */
    private static Block classifier() {
        return new SequentialBlock()
                .add(Linear.builder().setUnits(8).build())
                .add(Linear.builder().setUnits(3).build());
    }

    private DefaultTrainingConfig config(TrainingListener... listeners) {
        return new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                .addEvaluator(new Accuracy())
                .optOptimizer(Optimizer.sgd().setLearningRateTracker(rate).build())
                .addTrainingListeners(listeners);
    }

    /**
     * Trains the classifier for `epochs` with EasyTrain.fit and the listeners, in their order; returns the
     * trainer's metrics, which it has only when DJL's own EvaluatorTrainingListener is among them to fill them.
     */
    private Metrics fit(int epochs, ArrayDataset validation, TrainingListener... listeners) throws Exception {
        try (Model model = Model.newInstance("linear")) {
            model.setBlock(classifier());
            try (Trainer trainer = model.newTrainer(config(listeners))) {
                if (Arrays.stream(listeners).anyMatch(l -> l instanceof EvaluatorTrainingListener)) {
                    trainer.setMetrics(new Metrics());
                }
                trainer.initialize(new Shape(1, 4));
                EasyTrain.fit(trainer, epochs, dataset(1), validation);
                return trainer.getMetrics();
            }
        }
    }

    private static Map<String, List<EventRecords.Event>> scalarsByTag(Path file) throws Exception {
        Map<String, List<EventRecords.Event>> byTag = new LinkedHashMap<>();
        for (EventRecords.Event event : EventRecords.read(file)) {
            if (event.scalar() != null) {
                byTag.computeIfAbsent(event.tag(), t -> new ArrayList<>()).add(event);
            }
        }
        return byTag;
    }

    private static List<Long> steps(List<EventRecords.Event> events) {
        return events.stream().map(EventRecords.Event::step).toList();
    }

    private static double[] values(List<EventRecords.Event> events) {
        return events.stream().mapToDouble(EventRecords.Event::scalar).toArray();
    }

    private static double[] values(Metrics metrics, String name) {
        return metrics.getMetric(name).stream().mapToDouble(Metric::getValue).toArray();
    }

    private static void assertClose(double[] expected, double[] actual, String what) {
        assertEquals(expected.length, actual.length, what + ": count");
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], 1e-6 * Math.max(1, Math.abs(expected[i])), what + " [" + i + "]");
        }
    }

    @Test
    void logsWhatDjlRecordsEachStepAndEachEpoch() throws Exception {
        TensorBoardListener listener;
        Metrics metrics;
        try (SummaryWriter writer = SummaryWriter.builder(logs).optInline(false).build()) {
            listener = TensorBoardListener.builder(writer).optLearningRate(rate).build();
            // ours first: DJL's listener resets its own sums after each epoch, not ours
            metrics = fit(2, dataset(2), listener, new EvaluatorTrainingListener());

            Map<String, List<EventRecords.Event>> scalars = scalarsByTag(writer.getFile());
            assertEquals(List.of("loss/train_step", "learning_rate", "Accuracy/train", "Accuracy/validation",
                    "loss/train", "loss/validation"), List.copyOf(scalars.keySet()));

            List<Long> tenSteps = List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L);
            assertEquals(tenSteps, steps(scalars.get("loss/train_step")));
            assertClose(values(metrics, "train_all_SoftmaxCrossEntropyLoss"), values(scalars.get("loss/train_step")),
                    "each step's loss");

            assertEquals(tenSteps, steps(scalars.get("learning_rate")));
            double[] rates = tenSteps.stream().mapToDouble(k -> BASE_RATE * Math.pow(FACTOR, k)).toArray();
            assertClose(rates, values(scalars.get("learning_rate")), "learning rate");

            for (String tag : List.of("loss/train", "loss/validation", "Accuracy/train", "Accuracy/validation")) {
                assertEquals(List.of(1L, 2L), steps(scalars.get(tag)), tag);
            }
            assertClose(values(metrics, "train_epoch_SoftmaxCrossEntropyLoss"), values(scalars.get("loss/train")),
                    "loss/train");
            assertClose(values(metrics, "validate_epoch_SoftmaxCrossEntropyLoss"),
                    values(scalars.get("loss/validation")), "loss/validation");
            assertClose(values(metrics, "train_epoch_Accuracy"), values(scalars.get("Accuracy/train")),
                    "Accuracy/train");
            assertClose(values(metrics, "validate_epoch_Accuracy"), values(scalars.get("Accuracy/validation")),
                    "Accuracy/validation");
        }
    }

    @Test
    void aStepIntervalLogsTheMeanOfEachRunOfSteps() throws Exception {
        try (SummaryWriter every = SummaryWriter.builder(logs.resolve("every")).optInline(false).build();
             SummaryWriter third = SummaryWriter.builder(logs.resolve("third")).optInline(false).build()) {
            // two listeners on one trainer, after DJL's: each keeps its own sums
            fit(2, null, new EvaluatorTrainingListener(), new TensorBoardListener(every),
                    TensorBoardListener.builder(third).optStepInterval(3).build());

            double[] each = values(scalarsByTag(every.getFile()).get("loss/train_step"));
            List<EventRecords.Event> thirds = scalarsByTag(third.getFile()).get("loss/train_step");
            assertEquals(List.of(3L, 6L, 9L), steps(thirds));  // 10 steps; steps 4-6 span both epochs
            double[] means = new double[3];
            for (int i = 0; i < 3; i++) {
                means[i] = (each[3 * i] + each[3 * i + 1] + each[3 * i + 2]) / 3;
            }
            assertClose(means, values(thirds), "means of three steps");
        }
    }

    @Test
    void aloneWithoutValidationItLogsTheTrainingValues() throws Exception {
        try (SummaryWriter writer = SummaryWriter.builder(logs).optInline(false).build()) {
            fit(2, null, new TensorBoardListener(writer));  // no DJL listener, no metrics

            Map<String, List<EventRecords.Event>> scalars = scalarsByTag(writer.getFile());
            assertEquals(List.of("loss/train_step", "Accuracy/train", "loss/train"), List.copyOf(scalars.keySet()));
            double[] steps = values(scalars.get("loss/train_step"));
            assertEquals(10, steps.length);
            // the epoch's loss is the mean of its batches' losses
            double[] epochs = {Arrays.stream(steps, 0, 5).average().orElseThrow(),
                Arrays.stream(steps, 5, 10).average().orElseThrow()};
            assertClose(epochs, values(scalars.get("loss/train")), "loss/train");
            for (double accuracy : values(scalars.get("Accuracy/train"))) {
                double right = accuracy * EXAMPLES;
                assertEquals(Math.round(right), right, 1e-4, "a count of right answers over 40 examples");
            }
        }
    }

    /** Plain SGD moves a weight by rate x gradient: the rate the optimizer used, read from the weights. */
    @Test
    void theLoggedLearningRateIsTheOneTheOptimizerApplied() throws Exception {
        List<Double> applied = new ArrayList<>();
        try (SummaryWriter writer = SummaryWriter.builder(logs).optInline(false).build();
             Model model = Model.newInstance("linear")) {
            model.setBlock(classifier());
            try (Trainer trainer = model.newTrainer(config(
                    TensorBoardListener.builder(writer).optLearningRate(rate).build()))) {
                trainer.initialize(new Shape(1, 4));
                NDArray weight = model.getBlock().getParameters().valueAt(0).getArray();  // the first layer's
                ArrayDataset data = dataset(1);
                for (int epoch = 0; epoch < 2; epoch++) {  // EasyTrain.fit's loop, without validation
                    for (Batch batch : trainer.iterateDataset(data)) {
                        EasyTrain.trainBatch(trainer, batch);
                        float[] before = weight.toFloatArray();
                        float[] gradient = weight.getGradient().toFloatArray();
                        trainer.step();
                        float[] after = weight.toFloatArray();
                        int largest = 0;
                        for (int i = 1; i < gradient.length; i++) {
                            largest = Math.abs(gradient[i]) > Math.abs(gradient[largest]) ? i : largest;
                        }
                        applied.add((double) (before[largest] - after[largest]) / gradient[largest]);
                        batch.close();
                    }
                    trainer.notifyListeners(listener -> listener.onEpoch(trainer));
                }
            }
            List<EventRecords.Event> logged = scalarsByTag(writer.getFile()).get("learning_rate");
            assertEquals(10, applied.size());
            double[] rates = applied.stream().mapToDouble(Double::doubleValue).toArray();
            double[] loggedRates = values(logged);
            assertEquals(rates.length, loggedRates.length);
            for (int i = 0; i < rates.length; i++) {
                assertEquals(rates[i], loggedRates[i], 1e-3 * rates[i], "step " + (i + 1));
            }
        }
    }

    @Test
    void refusesAStepIntervalBelowOne() {
        try (SummaryWriter writer = SummaryWriter.builder(logs).optInline(false).build()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> TensorBoardListener.builder(writer).optStepInterval(0));
            assertEquals("The step interval must be 1 or more, not 0", e.getMessage());
        }
    }
}
