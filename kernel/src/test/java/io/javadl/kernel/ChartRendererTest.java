package io.javadl.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.display.Renderer;
import org.dflib.jjava.jupyter.kernel.display.mime.MIMEType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.PieChart;
import org.knowm.xchart.PieChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.internal.chartpart.Chart;

/** Renders one chart of each kind, headless, as a PNG with its description (lib's PicturesTest looks at the pixels). */
class ChartRendererTest {

    static Stream<Chart<?, ?>> charts() {
        XYChart line = new XYChartBuilder().width(400).height(300).title("loss").build();
        line.addSeries("train", new double[] {1, 2, 3}, new double[] {3, 2, 1.5});
        CategoryChart bars = new CategoryChartBuilder().width(320).height(240).build();
        bars.addSeries("count", List.of("cat", "dog"), List.of(3, 5));
        PieChart pie = new PieChartBuilder().width(200).height(200).title("").build();
        pie.addSeries("all", 1);
        return Stream.of(line, bars, pie);
    }

    private static BufferedImage decode(Object base64) throws IOException {
        return ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode((String) base64)));
    }

    @ParameterizedTest
    @MethodSource("charts")
    void rendersAPngAtTwiceTheSizeShownAtTheSize(Chart<?, ?> chart) throws IOException {
        Renderer renderer = new Renderer();
        ChartRenderer.register(renderer);

        DisplayData shown = renderer.render(chart);

        BufferedImage png = decode(shown.getData(MIMEType.IMAGE_PNG));
        assertEquals(2 * chart.getWidth(), png.getWidth());
        assertEquals(2 * chart.getHeight(), png.getHeight());
        assertTrue(((String) shown.getData(MIMEType.TEXT_PLAIN)).startsWith("<" + chart.getClass().getSimpleName()));
    }

    @Test
    void aJavaThatCannotDrawTextGivesAnExceptionThatSaysWhatToInstallNotAnErrorThatEndsTheShellThread() {
        XYChart chart = new XYChart(400, 300) {
            @Override
            public void paint(Graphics2D graphics, int width, int height) {
                throw new UnsatisfiedLinkError("libfontmanager.so: libharfbuzz.so.0: cannot open shared object "
                        + "file: No such file or directory");
            }
        };
        Renderer renderer = new Renderer();
        ChartRenderer.register(renderer);

        IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> renderer.render(chart));

        String message = thrown.getMessage();
        assertTrue(message.contains("libharfbuzz.so.0: cannot open shared object file"), message);
        assertTrue(message.contains("'apt install libfreetype6 libharfbuzz0b libfontconfig1 fonts-dejavu-core'"),
                message);
    }
}
