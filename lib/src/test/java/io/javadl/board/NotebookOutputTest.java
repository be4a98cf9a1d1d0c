package io.javadl.board;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NotebookOutputTest {

    private final PrintStream console = System.out;

    @AfterEach
    void restore() {
        System.setOut(console);
        Displays.current().ifPresent(Displays::uninstall);
    }

    @Test
    void aCellsValueIsShownUnlessItIsNullOrTheConsolesStream(@TempDir Path folder) {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
        NotebookOutput.saveFiguresIn(folder);

        NotebookOutput.showResult(null);
        NotebookOutput.showResult(System.out);
        NotebookOutput.showResult(42);
        NotebookOutput.printf("%.2f%n", 0.5);

        assertEquals("42\n0.50\n", printed.toString(StandardCharsets.UTF_8));
    }

    @Test
    void itIsTheDisplayOfLiveChartsAndSummaryWriters(@TempDir Path folder) {
        NotebookOutput.saveFiguresIn(folder);

        assertSame(FileDisplay.class, Displays.current().orElseThrow().getClass());
    }
}
