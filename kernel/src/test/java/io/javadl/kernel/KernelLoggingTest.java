package io.javadl.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.logging.Level;
import java.util.logging.LogManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class KernelLoggingTest {

    private final PrintStream originalErr = System.err;
    private final ByteArrayOutputStream kernelLog = new ByteArrayOutputStream();
    private final ByteArrayOutputStream cellOutput = new ByteArrayOutputStream();

    @BeforeEach
    void startLikeTheKernel() throws IOException {
        // A fresh JVM: JUL configured, its root handlers not created yet; stderr is the kernel's own.
        LogManager.getLogManager().readConfiguration();
        System.setErr(new PrintStream(kernelLog, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restore() throws IOException {
        System.setErr(originalErr);
        LogManager.getLogManager().readConfiguration();
    }

    /** What JJava does while a cell runs: System.err becomes the notebook's stream. */
    private void runCell(Runnable cell) {
        PrintStream kernelErr = System.err;
        System.setErr(new PrintStream(cellOutput, true, StandardCharsets.UTF_8));
        try {
            cell.run();
        } finally {
            System.setErr(kernelErr);
        }
    }

    @Test
    void djlWarningsGoToTheKernelLogNotTheCell() {
        KernelLogging.keepOutOfNotebook(Level.WARNING);

        runCell(() -> LoggerFactory.getLogger("ai.djl.util.cuda.CudaUtils").warn("Failed to detect GPU count"));

        assertEquals("", cellOutput.toString(StandardCharsets.UTF_8));
        assertTrue(kernelLog.toString(StandardCharsets.UTF_8).contains("Failed to detect GPU count"),
                kernelLog::toString);
    }

    @Test
    void djlInfoIsDroppedAtTheDefaultLevel() {
        KernelLogging.keepOutOfNotebook(KernelLogging.levelFrom(null));

        runCell(() -> LoggerFactory.getLogger("ai.djl.pytorch.engine.PtEngine")
                .info("Number of inter-op threads is 2"));

        assertEquals("", cellOutput.toString(StandardCharsets.UTF_8));
        assertEquals("", kernelLog.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aFinerLevelReachesTheKernelLog() {
        KernelLogging.keepOutOfNotebook(Level.FINE);

        runCell(() -> LoggerFactory.getLogger("ai.djl.engine.Engine").debug("loading engine"));

        assertEquals("", cellOutput.toString(StandardCharsets.UTF_8));
        assertTrue(kernelLog.toString(StandardCharsets.UTF_8).contains("loading engine"), kernelLog::toString);
    }

    @Test
    void parsesLevelNamesAndFallsBackToWarning() {
        assertEquals(Level.WARNING, KernelLogging.levelFrom(null));
        assertEquals(Level.WARNING, KernelLogging.levelFrom(" "));
        assertEquals(Level.INFO, KernelLogging.levelFrom("info"));
        assertEquals(Level.FINE, KernelLogging.levelFrom(" FINE "));
        assertEquals(Level.WARNING, KernelLogging.levelFrom("loud"));
    }
}
