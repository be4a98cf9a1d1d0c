package io.javadl.board;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;

class FileDisplayTest {

    @TempDir
    Path folder;

    private final ByteArrayOutputStream console = new ByteArrayOutputStream();

    private FileDisplay display(Path figures) {
        return new FileDisplay(figures, new PrintStream(console, true, StandardCharsets.UTF_8));
    }

    private List<String> lines() {
        return console.toString(StandardCharsets.UTF_8).lines().toList();
    }

    @Test
    void printsTextAndWritesEachPictureToTheNextFile() throws IOException {
        FileDisplay display = display(folder.resolve("figures"));
        XYChart chart = new XYChartBuilder().width(300).height(200).title("loss").build();

        display.show("a line of text");
        display.show(chart);
        display.show(new BufferedImage(5, 4, BufferedImage.TYPE_INT_RGB));

        Path first = folder.resolve("figures/figure-01.png");
        Path second = folder.resolve("figures/figure-02.png");
        assertEquals(List.of("a line of text", "<XYChart 'loss', 300x200> (" + first + ")",
                "<image 5x4> (" + second + ")"), lines());
        assertEquals(600, ImageIO.read(first.toFile()).getWidth());
        assertEquals(4, ImageIO.read(second.toFile()).getHeight());
    }

    @Test
    void anUpdateRewritesThePicturesFileAndPrintsOnlyNewText() throws IOException {
        FileDisplay display = display(folder);
        XYChart chart = new XYChartBuilder().width(300).height(200).build();
        String picture = display.show(chart);
        String text = display.show("epoch 1");

        display.update(picture, new XYChartBuilder().width(400).height(100).build());
        display.update(text, "epoch 2");

        assertEquals(800, ImageIO.read(folder.resolve("figure-01.png").toFile()).getWidth());
        assertEquals(List.of("<XYChart, 300x200> (" + folder.resolve("figure-01.png") + ")", "epoch 1", "epoch 2"),
                lines());
        assertFalse(Files.exists(folder.resolve("figure-02.png")));
    }

    @Test
    void aFolderThatCannotBeMadeIsNamedInTheError() throws IOException {
        Path file = Files.writeString(folder.resolve("taken"), "a file where the folder should be");
        FileDisplay display = display(file.resolve("figures"));

        UncheckedIOException error = assertThrows(UncheckedIOException.class,
                () -> display.show(new BufferedImage(2, 2, BufferedImage.TYPE_INT_RGB)));

        assertTrue(error.getMessage().startsWith("Cannot write the picture " + file.resolve("figures/figure-01.png")),
                error.getMessage());
    }
}
