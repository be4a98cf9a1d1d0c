package io.javadl.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.io.IOException;
import org.junit.jupiter.api.Test;

class DatasetExceptionTest {

    private static StackTraceElement frame(String className) {
        return new StackTraceElement(className, "run", className + ".java", 10);
    }

    @Test
    void keepsItsCausesTraceWhole() {
        IOException cause = new IOException("www.example.org");
        StackTraceElement[] trace = {frame("sun.nio.ch.NioSocketImpl"), frame("java.net.Socket"),
            frame("io.javadl.data.ArchiveInstaller"), new StackTraceElement("REPL.$JShell$34", "do_it$", "#34", 1)};
        cause.setStackTrace(trace.clone());

        DatasetException e = new DatasetException("Cannot reach www.example.org.", cause);

        assertSame(cause, e.getCause());
        assertArrayEquals(trace, cause.getStackTrace());
    }

    @Test
    void keepsItsOwnTraceWhole() {
        DatasetException e = new DatasetException("missing");

        int depth = new Throwable().getStackTrace().length;

        assertEquals("keepsItsOwnTraceWhole", e.getStackTrace()[0].getMethodName());
        assertEquals(DatasetExceptionTest.class.getName(), e.getStackTrace()[0].getClassName());
        assertEquals(depth, e.getStackTrace().length);
    }
}
