package io.javadl.board;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.knowm.xchart.XYChart;
import org.junit.jupiter.api.io.TempDir;

class SummaryWriterTest {

    @TempDir
    Path logDir;

    @AutoClose
    private final NDManager manager = NDManager.newBaseManager();

    private static BufferedImage decode(byte[] png) throws IOException {
        return ImageIO.read(new ByteArrayInputStream(png));
    }

    private SummaryWriter withDisplay(RecordingDisplay display, SummaryWriter.Builder builder) {
        Displays.install(display);
        try {
            return builder.build();
        } finally {
            Displays.uninstall(display);
        }
    }

    @Test
    void writesTheVersionThenEachEventInOrder() throws IOException {
        try (SummaryWriter writer = new SummaryWriter(logDir)) {
            writer.addScalar("loss", 0.75, 1);
            writer.addScalar("loss", 0.5, 2);
            writer.addImage("first", manager.ones(new Shape(3, 32, 32)), 7);
            writer.addImages("grid", manager.zeros(new Shape(10, 3, 32, 32), DataType.UINT8), 3);

            List<EventRecords.Event> events = EventRecords.read(writer.getFile());
            assertEquals("brain.Event:2", events.get(0).fileVersion());
            assertEquals(List.of("loss", "loss", "first", "grid"), events.stream().skip(1).map(EventRecords.Event::tag)
                    .toList());
            assertEquals(0.75f, events.get(1).scalar());
            assertEquals(2, events.get(2).step());
            EventRecords.Event first = events.get(3);
            assertEquals(7, first.step());
            assertEquals(32, first.width());
            assertEquals(32, decode(first.png()).getHeight());
            assertEquals(0xffffff, decode(first.png()).getRGB(5, 5) & 0xffffff);
            EventRecords.Event grid = events.get(4);
            assertEquals(8 * 34 + 2, grid.width()); // make_grid: 8 per row, 2 pixels of padding
            assertEquals(2 * 34 + 2, grid.height());
            assertEquals(grid.width(), decode(grid.png()).getWidth());
        }
    }

    @Test
    void aFigureIsTheChartDrawnAtItsSizeAndIsNotShownAgain() throws IOException {
        RecordingDisplay display = new RecordingDisplay();
        XYChart chart = LinePlot.titled("line").size(300, 200).series("y", new double[] {1, 2, 3}).toChart();
        try (SummaryWriter writer = withDisplay(display, SummaryWriter.builder(logDir))) {
            writer.addFigure("figure", chart, 4);

            EventRecords.Event figure = EventRecords.read(writer.getFile()).get(1);
            assertEquals("figure", figure.tag());
            assertEquals(4, figure.step());
            assertEquals(300, decode(figure.png()).getWidth());
            assertEquals(200, figure.height());
        }
        assertEquals(List.of(), display.shown);
    }

    @Test
    void namesItsFileTheWayTensorBoardLooksForIt() {
        try (SummaryWriter writer = new SummaryWriter(logDir.resolve("run").toString())) {
            assertEquals(logDir.resolve("run"), writer.getFile().getParent());
            assertTrue(writer.getFile().getFileName().toString().matches("events\\.out\\.tfevents\\.\\d{10}\\..+"),
                    writer.getFile().toString());
        }
    }

    @Test
    void twoWritersOnOneFolderWriteTwoFiles() throws IOException {
        try (SummaryWriter a = new SummaryWriter(logDir); SummaryWriter b = new SummaryWriter(logDir)) {
            a.addScalar("a", 1, 0);
            b.addScalar("b", 2, 0);
        }
        try (Stream<Path> files = Files.list(logDir)) {
            assertEquals(2, files.count());
        }
    }

    @Test
    void manyThreadsMayShareAWriter() throws Exception {
        try (SummaryWriter writer = new SummaryWriter(logDir)) {
            ExecutorService pool = Executors.newFixedThreadPool(4);
            for (int t = 0; t < 4; t++) {
                String tag = "thread" + t;
                pool.submit(() -> {
                    for (int step = 0; step < 100; step++) {
                        writer.addScalar(tag, step, step);
                    }
                });
            }
            pool.shutdown();
            assertTrue(pool.awaitTermination(1, TimeUnit.MINUTES));

            List<EventRecords.Event> events = EventRecords.read(writer.getFile());
            assertEquals(1 + 400, events.size());
            for (int t = 0; t < 4; t++) {
                String tag = "thread" + t;
                assertEquals(100, events.stream().filter(e -> tag.equals(e.tag())).count());
            }
        }
    }

    @Test
    void aClosedWriterSaysSoAndClosingTwiceIsFine() {
        SummaryWriter writer = new SummaryWriter(logDir);
        writer.close();
        writer.close();

        IllegalStateException e = assertThrows(IllegalStateException.class, () -> writer.addScalar("loss", 1, 1));
        assertEquals("This SummaryWriter (" + writer.getFile() + ") is closed; open a new one to log more",
                e.getMessage());
    }

    @Test
    void wrongShapesAndTypesAreRefusedClearly() {
        try (SummaryWriter writer = new SummaryWriter(logDir)) {
            assertEquals("addImage takes one image of shape (3, H, W), (1, H, W) or (H, W), not (2, 3, 8, 8); for a "
                    + "batch (N, C, H, W) use addImages", assertThrows(IllegalArgumentException.class,
                        () -> writer.addImage("x", manager.zeros(new Shape(2, 3, 8, 8)), 0)).getMessage());
            assertEquals("addImages takes a batch of images of shape (N, 3, H, W) or (N, 1, H, W), not (3, 8, 8); for "
                    + "one image use addImage", assertThrows(IllegalArgumentException.class,
                        () -> writer.addImages("x", manager.zeros(new Shape(3, 8, 8)), 0)).getMessage());
            assertEquals("addImages: images need 1 (grey) or 3 (RGB) channels, but shape (2, 4, 8, 8) has 4",
                    assertThrows(IllegalArgumentException.class,
                            () -> writer.addImages("x", manager.zeros(new Shape(2, 4, 8, 8)), 0)).getMessage());
            assertEquals("addImage takes uint8 pixels (0 to 255) or floats in [0, 1], not int64",
                    assertThrows(IllegalArgumentException.class,
                            () -> writer.addImage("x", manager.zeros(new Shape(8, 8), DataType.INT64), 0))
                            .getMessage());
            assertEquals("addImages: shape (0, 3, 8, 8) holds no pixels", assertThrows(IllegalArgumentException.class,
                    () -> writer.addImages("x", manager.zeros(new Shape(0, 3, 8, 8)), 0)).getMessage());
            assertThrows(IllegalArgumentException.class, () -> writer.addScalar(" ", 1, 0));
        }
    }

    @Test
    void inANotebookTheFirstImagesOfATagAreShownThenOneLine() {
        RecordingDisplay display = new RecordingDisplay();
        try (SummaryWriter writer = withDisplay(display, SummaryWriter.builder(logDir))) {
            for (int step = 0; step < 10; step++) {
                writer.addImages("Epoch: 0", manager.zeros(new Shape(4, 3, 32, 32)), step);
            }
            writer.addImage("other", manager.zeros(new Shape(32, 32)), 0);
            writer.addScalar("loss", 1, 0);
        }

        List<Object> values = display.shown.stream().map(RecordingDisplay.Shown::value).toList();
        assertEquals(5, values.size());
        assertTrue(values.subList(0, 3).stream().allMatch(v -> v instanceof BufferedImage));
        assertEquals("SummaryWriter: the first 3 images of 'Epoch: 0' are shown above; the rest are only in the "
                + "TensorBoard log " + logDir + ".", values.get(3));
        BufferedImage single = (BufferedImage) values.get(4);
        assertEquals(128, single.getHeight() - 22); // a 32x32 image shown 4 times as large, under a caption
        BufferedImage grid = (BufferedImage) values.get(0);
        assertEquals(4 * (4 * 34 + 2), grid.getWidth()); // 4 images in a row, shown 4 times as large
    }

    @Test
    void inlineCanBeTurnedOffOrLimited() {
        RecordingDisplay off = new RecordingDisplay();
        RecordingDisplay one = new RecordingDisplay();
        try (SummaryWriter quiet = withDisplay(off, SummaryWriter.builder(logDir).optInline(false));
                SummaryWriter limited = withDisplay(one, SummaryWriter.builder(logDir).optInlineLimit(1))) {
            for (int step = 0; step < 3; step++) {
                quiet.addImage("img", manager.zeros(new Shape(1, 8, 8)), step);
                limited.addImage("img", manager.zeros(new Shape(1, 8, 8)), step);
            }
        }
        assertEquals(List.of(), off.shown);
        assertEquals(2, one.shown.size());
        assertEquals("SummaryWriter: the first image of 'img' is shown above; the rest are only in the TensorBoard "
                + "log " + logDir + ".", one.shown.get(1).value());
    }

    @Test
    void outsideJupyterItOnlyWritesTheFile() throws IOException {
        assertTrue(Displays.current().isEmpty());
        try (SummaryWriter writer = new SummaryWriter(logDir)) {
            writer.addImage("img", manager.zeros(new Shape(1, 8, 8)), 0);

            assertEquals("img", EventRecords.read(writer.getFile()).get(1).tag());
        }
    }
}
