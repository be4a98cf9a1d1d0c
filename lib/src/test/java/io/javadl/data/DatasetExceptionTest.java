package io.javadl.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.io.IOException;
import org.junit.jupiter.api.Test;

class DatasetExceptionTest {

    private static final StackTraceElement CELL = new StackTraceElement("REPL.$JShell$34", "do_it$", "#34", 1);

    private static StackTraceElement frame(String className) {
        return new StackTraceElement(className, "run", className + ".java", 10);
    }

    @Test
    void keepsOnlyTheCallersFramesOfItselfAndItsCause() {
        IOException cause = new IOException("www.example.org");
        cause.setStackTrace(new StackTraceElement[] {
            frame("sun.nio.ch.NioSocketImpl"), frame("java.net.Socket"), frame("io.javadl.data.ArchiveInstaller"), CELL});

        DatasetException e = new DatasetException("Cannot reach www.example.org.", cause);

        assertSame(cause, e.getCause());
        assertEquals("Cannot reach www.example.org.", e.getMessage());
        assertArrayEquals(new StackTraceElement[] {CELL}, cause.getStackTrace());
        for (StackTraceElement frame : e.getStackTrace()) {
            // created here, in a test of this package: every frame left is the test runner's
            assertFalse(frame.getClassName().startsWith("io.javadl."), frame.toString());
        }
    }

    @Test
    void aCauseThatIsItsOwnCauseDoesNotLoop() {
        IOException first = new IOException("first");
        IOException second = new IOException("second", first);
        first.initCause(second);

        new DatasetException("looped", second);

        assertEquals(0, countInternal(first));
        assertEquals(0, countInternal(second));
    }

    private static long countInternal(Throwable t) {
        return java.util.Arrays.stream(t.getStackTrace()).filter(f -> f.getClassName().startsWith("java.")
                || f.getClassName().startsWith("io.javadl.")).count();
    }
}
