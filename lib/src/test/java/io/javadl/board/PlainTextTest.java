package io.javadl.board;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDManager;
import java.awt.image.BufferedImage;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.knowm.xchart.PieChart;
import org.knowm.xchart.PieChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;

class PlainTextTest {

    @Test
    void describesAChartByKindTitleSizeAndPoints() {
        XYChart titled = new XYChartBuilder().width(400).height(300).title("loss").build();
        PieChart untitled = new PieChartBuilder().width(200).height(100).title("").build();

        assertEquals("<XYChart 'loss', 400x300>", PlainText.of(titled));
        assertEquals("<PieChart, 200x100>", PlainText.of(untitled));
        titled.addSeries("train", new double[] {1, 2, 3}, new double[] {3, 2, 1});
        titled.addSeries("test", new double[] {1}, new double[] {3});
        assertEquals("<XYChart 'loss', 400x300: train (3 points), test (1 point)>", PlainText.of(titled));
    }

    @Test
    void describesAnImageByItsSize() {
        assertEquals("<image 274x91>", PlainText.of(new BufferedImage(274, 91, BufferedImage.TYPE_INT_RGB)));
    }

    @Test
    void printsAnArrayAsPyTorchPrintsATensor() {
        try (NDManager manager = NDManager.newBaseManager()) {
            assertEquals("ND: (2, 2) cpu() int32\n[[1, 2],\n [3, 4]]",
                    PlainText.of(manager.create(new int[] {1, 2, 3, 4}).reshape(2, 2)));
        }
    }

    @Test
    void givesAnythingElseAsStringValueOf() {
        assertEquals("[a, b]", PlainText.of(List.of("a", "b")));
        assertEquals("2.5", PlainText.of(2.5f));
        assertEquals("null", PlainText.of(null));
    }
}
