package io.javadl.train;

import ai.djl.Device;
import ai.djl.training.Trainer;
import ai.djl.training.evaluator.Evaluator;
import ai.djl.training.listener.TrainingListenerAdapter;
import ai.djl.training.tracker.Tracker;
import io.javadl.board.SummaryWriter;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Logs a DJL training to TensorBoard through a {@link SummaryWriter}: what the trainer knows, with DJL's own
 * {@code EasyTrain.fit} or any loop that notifies the trainer's listeners.
 *
 * <pre>{@code
 * try (SummaryWriter writer = new SummaryWriter("logs/cnn")) {
 *     TrainingConfig config = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
 *             .addEvaluator(new Accuracy())
 *             .optOptimizer(Optimizer.sgd().setLearningRateTracker(rate).build())
 *             .addTrainingListeners(TensorBoardListener.builder(writer).optLearningRate(rate).build());
 *     try (Trainer trainer = model.newTrainer(config)) {
 *         trainer.initialize(new Shape(1, 3, 32, 32));
 *         EasyTrain.fit(trainer, 10, trainSet, validationSet);
 *     }
 * }
 * }</pre>
 *
 * <p>It writes these scalars:
 * <ul>
 *   <li>{@code loss/train_step}: the training loss at each step, or the mean of each run of N steps
 *       ({@link Builder#optStepInterval}), at x = the step, counted from 1 over the whole training. Steps after
 *       the last multiple of N are not logged;</li>
 *   <li>{@code loss/train} and {@code loss/validation} for the trainer's loss, and {@code <name>/train} and
 *       {@code <name>/validation} for each evaluator (by its {@link Evaluator#getName() name}), once an epoch,
 *       at x = the epoch, counted from 1. Validation values only for epochs that validated;</li>
 *   <li>{@code learning_rate}, when given the optimizer's learning-rate {@link Tracker}, at the same steps as the
 *       loss: the rate of that step's update. DJL's optimizers do not expose the rate they use; they ask the
 *       tracker for the rate of update k, counting from 0 (unless built with {@code optBeginNumUpdate}) one update
 *       a step on each of the trainer's devices. So step s on D devices is update D·s, and the listener asks the
 *       tracker for that.</li>
 * </ul>
 *
 * <p>Training values are measured on each batch before its optimizer step, as DJL's own listeners measure them:
 * a loss is the mean of the batches' losses, an accuracy the fraction of all the epoch's examples. Steps are
 * counted as training batches: one optimizer step after each, as {@code EasyTrain.fit} does. Validation batches
 * count for the epoch that ends next, so a validation outside {@code fit} (such as
 * {@code EasyTrain.evaluateDataset}) adds to the next epoch's value. The listener keeps its own sums on the
 * trainer's evaluators (accumulators named {@code tensorboard-<n>/...}, n for each listener), so it needs neither
 * DJL's default listeners nor the trainer's metrics, and its place among the listeners does not matter.
 *
 * <p>One listener serves one trainer. The writer stays the caller's: close it after the trainer.
 */
public final class TensorBoardListener extends TrainingListenerAdapter {

    private static final AtomicInteger LISTENERS = new AtomicInteger();

    /** This listener's accumulators on the trainer's evaluators; their own names, so that listeners do not mix. */
    private final String train;
    private final String validation;
    private final String steps;
    private final SummaryWriter writer;
    private final int stepInterval;
    private final Tracker learningRate;
    private long step;
    private int epoch;
    private boolean trainedThisEpoch;
    private boolean validatedThisEpoch;

    /**
     * Logs the training loss every step, and each epoch's values; no learning rate.
     *
     * @param writer the writer to log with
     */
    public TensorBoardListener(SummaryWriter writer) {
        this(builder(writer));
    }

    private TensorBoardListener(Builder builder) {
        String prefix = "tensorboard-" + LISTENERS.incrementAndGet() + "/";
        this.train = prefix + "train";
        this.validation = prefix + "validation";
        this.steps = prefix + "steps";
        this.writer = builder.writer;
        this.stepInterval = builder.stepInterval;
        this.learningRate = builder.learningRate;
    }

    /**
     * Returns a builder for a listener with other settings.
     *
     * @param writer the writer to log with
     * @return a builder
     */
    public static Builder builder(SummaryWriter writer) {
        return new Builder(writer);
    }

    @Override
    public void onTrainingBegin(Trainer trainer) {
        for (Evaluator evaluator : trainer.getEvaluators()) {
            evaluator.addAccumulator(train);
            evaluator.addAccumulator(validation);
        }
        trainer.getLoss().addAccumulator(steps);
    }

    @Override
    public void onTrainingBatch(Trainer trainer, BatchData batchData) {
        step++;
        trainedThisEpoch = true;
        for (Evaluator evaluator : trainer.getEvaluators()) {
            update(evaluator, batchData, evaluator == trainer.getLoss() ? new String[] {train, steps}
                    : new String[] {train});
        }
        if (step % stepInterval == 0) {
            writer.addScalar("loss/train_step", trainer.getLoss().getAccumulator(steps), step);
            trainer.getLoss().resetAccumulator(steps);
            if (learningRate != null) {
                int update = Math.toIntExact(step * trainer.getDevices().length);
                writer.addScalar("learning_rate", learningRate.getNewValue(update), step);
            }
        }
    }

    @Override
    public void onValidationBatch(Trainer trainer, BatchData batchData) {
        validatedThisEpoch = true;
        for (Evaluator evaluator : trainer.getEvaluators()) {
            update(evaluator, batchData, new String[] {validation});
        }
    }

    @Override
    public void onEpoch(Trainer trainer) {
        epoch++;
        for (Evaluator evaluator : trainer.getEvaluators()) {
            String name = evaluator == trainer.getLoss() ? "loss" : evaluator.getName();
            if (trainedThisEpoch) {
                writer.addScalar(name + "/train", evaluator.getAccumulator(train), epoch);
            }
            if (validatedThisEpoch) {
                writer.addScalar(name + "/validation", evaluator.getAccumulator(validation), epoch);
            }
            evaluator.resetAccumulator(train);
            evaluator.resetAccumulator(validation);
        }
        trainedThisEpoch = false;
        validatedThisEpoch = false;
    }

    /** Adds one batch, on each of its devices, to an evaluator's accumulators. */
    private static void update(Evaluator evaluator, BatchData batchData, String[] accumulators) {
        for (Device device : batchData.getLabels().keySet()) {
            evaluator.updateAccumulators(accumulators, batchData.getLabels().get(device),
                    batchData.getPredictions().get(device));
        }
    }

    /** Settings of a {@link TensorBoardListener}. */
    public static final class Builder {

        private final SummaryWriter writer;
        private int stepInterval = 1;
        private Tracker learningRate;

        private Builder(SummaryWriter writer) {
            this.writer = Objects.requireNonNull(writer, "writer");
        }

        /**
         * Logs the training loss (and the learning rate) every {@code steps} steps: the mean loss of those steps,
         * where the notes' {@code total_train_step % 100 == 0} logs the 100th step's loss alone.
         *
         * @param steps 1 (the default) for every step
         * @return this builder
         * @throws IllegalArgumentException if {@code steps} is less than 1
         */
        public Builder optStepInterval(int steps) {
            if (steps < 1) {
                throw new IllegalArgumentException("The step interval must be 1 or more, not " + steps);
            }
            this.stepInterval = steps;
            return this;
        }

        /**
         * Logs the learning rate, as the optimizer's tracker gives it.
         *
         * @param tracker the tracker given to the optimizer ({@code Optimizer.sgd().setLearningRateTracker})
         * @return this builder
         */
        public Builder optLearningRate(Tracker tracker) {
            this.learningRate = Objects.requireNonNull(tracker, "tracker");
            return this;
        }

        /** Returns the listener. */
        public TensorBoardListener build() {
            return new TensorBoardListener(this);
        }
    }
}
