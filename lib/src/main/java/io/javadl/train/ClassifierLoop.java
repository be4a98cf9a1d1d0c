package io.javadl.train;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.Batch;
import ai.djl.training.loss.Loss;

/**
 * The training and evaluation loops of a classifier, as the course writes them in PyTorch:
 *
 * <pre>{@code
 * for imgs, targets in loader:           // train
 *     loss = loss_fn(model(imgs), targets)
 *     optimizer.zero_grad(); loss.backward(); optimizer.step()
 * }</pre>
 *
 * <p>The trainer supplies the model, its loss (mean over the batch, such as
 * {@link Loss#softmaxCrossEntropyLoss()}) and its optimizer. Labels are class indices, shape (N); the model
 * gives scores, shape (N, classes). Batches move to the trainer's first device, so the same code runs on CPU or
 * GPU. The loops do not close the batches: a {@link io.javadl.data.DataLoader} closes each one when the next is
 * asked for, and every array a step creates belongs to its batch.
 *
 * <p>There is no {@code zero_grad} call: DJL's {@code trainer.step()} updates the weights and then zeroes their
 * gradients. Opening a new {@link GradientCollector} zeroes nothing, so two backward passes without a step add up.
 */
public final class ClassifierLoop {

    private ClassifierLoop() {
    }

    /**
     * Trains for one pass: forward, loss, backward and an optimizer step for every batch.
     *
     * @param trainer the model, loss and optimizer
     * @param batches one epoch of (images, labels) batches
     * @return the mean training loss and accuracy, measured on each batch before its step
     */
    public static EpochStats trainEpoch(Trainer trainer, Iterable<Batch> batches) {
        return pass(trainer, batches, (images, labels, tally) -> {
            try (GradientCollector collector = trainer.newGradientCollector()) {
                NDList scores = trainer.forward(images, labels);
                NDArray loss = trainer.getLoss().evaluate(labels, scores);
                collector.backward(loss);
                tally.add(loss, scores, labels);
            }
            trainer.step();
        });
    }

    /**
     * Measures the model without training it (dropout and batch norm in inference mode, no gradients).
     *
     * @param trainer the model and loss
     * @param batches one pass of (images, labels) batches
     * @return the mean loss and accuracy
     */
    public static EpochStats evaluate(Trainer trainer, Iterable<Batch> batches) {
        return pass(trainer, batches, (images, labels, tally) -> {
            NDList scores = trainer.evaluate(images);
            tally.add(trainer.getLoss().evaluate(labels, scores), scores, labels);
        });
    }

    /** One pass over the batches: each is moved to the trainer's first device and given to {@code step}. */
    private static EpochStats pass(Trainer trainer, Iterable<Batch> batches, BatchStep step) {
        Tally tally = new Tally();
        Device device = trainer.getDevices()[0];
        for (Batch batch : batches) {
            step.run(batch.getData().toDevice(device, false), batch.getLabels().toDevice(device, false), tally);
        }
        return tally.stats();
    }

    /** What a pass does with one batch, already on the device. */
    private interface BatchStep {
        void run(NDList images, NDList labels, Tally tally);
    }

    /** Sums of one pass. */
    private static final class Tally {
        private final long start = System.nanoTime();
        private double lossSum;
        private long correct;
        private long images;

        void add(NDArray meanLoss, NDList scores, NDList labels) {
            long batchSize = labels.head().size();
            lossSum += meanLoss.getFloat() * batchSize;
            NDArray predicted = scores.head().argMax(1);
            correct += predicted.eq(labels.head().toType(predicted.getDataType(), false)).countNonzero().getLong();
            images += batchSize;
        }

        EpochStats stats() {
            if (images == 0) {
                throw new IllegalArgumentException("The pass had no batch: is the dataset empty?");
            }
            return new EpochStats(lossSum / images, (double) correct / images, images,
                    (System.nanoTime() - start) / 1e9);
        }
    }
}
