package io.javadl.board;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.metric.Metrics;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.EasyTrain;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.listener.TrainingListener;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import io.javadl.train.LiveChartListener;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.knowm.xchart.XYChart;

class LiveChartTest {

    private static final LinePlot TEMPLATE = LinePlot.titled("Loss").xAxis("epoch").yAxis("loss");

    @Test
    void theFirstPointShowsTheChartAndLaterPointsRedrawIt() {
        RecordingDisplay display = new RecordingDisplay();
        LiveChart chart = new LiveChart(TEMPLATE, display);

        chart.add("train", 1, 0.9);
        chart.add("test", 1, 1.0);
        chart.add("train", 2, 0.7);

        assertEquals(1, display.shown.size());
        assertEquals(2, display.updated.size());
        assertTrue(display.updated.stream().allMatch(u -> u.id().equals(display.shown.get(0).id())));
        XYChart last = (XYChart) display.updated.get(1).value();
        assertArrayEquals(new double[] {0.9, 0.7}, last.getSeries("train").getYData());
        assertArrayEquals(new double[] {1.0}, last.getSeries("test").getYData());
        assertEquals("epoch", last.getXAxisTitle());
    }

    @Test
    void withoutANotebookItOnlyCollects() {
        LiveChart chart = new LiveChart(TEMPLATE, null);
        for (int epoch = 1; epoch <= 20; epoch++) {
            chart.add("train", epoch, 1.0 / epoch);
        }

        assertEquals(20, chart.toChart().getSeries("train").getXData().length);
    }

    @Test
    void theListenerPlotsLossPerEpochForTrainingAndValidation() throws Exception {
        RecordingDisplay display = new RecordingDisplay();
        LiveChart chart = new LiveChart(TEMPLATE, display);
        try (NDManager manager = NDManager.newBaseManager(); Model model = Model.newInstance("line")) {
            NDArray x = manager.randomUniform(-1, 1, new Shape(64, 1));
            NDArray y = x.mul(3).add(1);
            ArrayDataset data = new ArrayDataset.Builder().setData(x).optLabels(y).setSampling(16, false).build();
            model.setBlock(Linear.builder().setUnits(1).build());
            DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.l2Loss())
                    .optOptimizer(Optimizer.sgd().setLearningRateTracker(Tracker.fixed(0.1f)).build())
                    .addTrainingListeners(TrainingListener.Defaults.basic())
                    .addTrainingListeners(new LiveChartListener(chart));
            try (Trainer trainer = model.newTrainer(config)) {
                trainer.setMetrics(new Metrics());
                trainer.initialize(new Shape(16, 1));
                EasyTrain.fit(trainer, 3, data, data);
            }
        }

        XYChart drawn = chart.toChart();
        List<String> names = drawn.getSeriesCollection().stream().map(s -> s.getName()).toList();
        assertEquals(List.of("L2Loss (train)", "L2Loss (validate)"), names);
        assertArrayEquals(new double[] {1, 2, 3}, drawn.getSeries("L2Loss (train)").getXData());
        double[] losses = drawn.getSeries("L2Loss (train)").getYData();
        assertTrue(losses[2] < losses[0], "the loss should fall: " + java.util.Arrays.toString(losses));
        assertEquals(1, display.shown.size());
    }
}
