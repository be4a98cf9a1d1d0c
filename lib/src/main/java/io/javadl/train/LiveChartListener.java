package io.javadl.train;

import ai.djl.metric.Metrics;
import ai.djl.training.Trainer;
import ai.djl.training.evaluator.Evaluator;
import ai.djl.training.listener.EvaluatorTrainingListener;
import ai.djl.training.listener.TrainingListenerAdapter;
import io.javadl.board.LiveChart;

/**
 * Feeds a {@link LiveChart} from a DJL training: after each epoch it adds, for the loss and every evaluator of
 * the trainer, the epoch's training value ({@code "<name> (train)"}) and, when the epoch was validated, the
 * validation value ({@code "<name> (validate)"}), at x = the epoch number, counted from 1.
 *
 * <pre>{@code
 * LiveChart curves = new LiveChart(LinePlot.titled("Training").xAxis("epoch"));
 * DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
 *         .addTrainingListeners(TrainingListener.Defaults.basic())
 *         .addTrainingListeners(new LiveChartListener(curves));  // after the defaults, which record the values
 * }</pre>
 *
 * <p>The values come from the trainer's {@link Metrics}, which DJL's default listeners fill; the trainer
 * needs them ({@code trainer.setMetrics(new Metrics())}).
 */
public final class LiveChartListener extends TrainingListenerAdapter {

    private final LiveChart chart;
    private int epoch;

    /**
     * Feeds a chart from a trainer's epochs.
     *
     * @param chart the chart to add the points to
     */
    public LiveChartListener(LiveChart chart) {
        this.chart = chart;
    }

    @Override
    public void onEpoch(Trainer trainer) {
        Metrics metrics = trainer.getMetrics();
        if (metrics == null) {
            throw new IllegalStateException("LiveChartListener reads the trainer's metrics, and this trainer has none: "
                    + "call trainer.setMetrics(new Metrics()) before training.");
        }
        epoch++;
        for (Evaluator evaluator : trainer.getEvaluators()) {
            addIfRecorded(metrics, evaluator, EvaluatorTrainingListener.TRAIN_EPOCH, "train");
            addIfRecorded(metrics, evaluator, EvaluatorTrainingListener.VALIDATE_EPOCH, "validate");
        }
    }

    private void addIfRecorded(Metrics metrics, Evaluator evaluator, String stage, String label) {
        String key = EvaluatorTrainingListener.metricName(evaluator, stage);
        if (metrics.hasMetric(key)) {
            float value = metrics.latestMetric(key).getValue().floatValue();
            if (!Float.isNaN(value)) {
                chart.add(evaluator.getName() + " (" + label + ")", epoch, value);
            }
        }
    }
}
