package io.javadl.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import org.dflib.jjava.jupyter.channels.JupyterConnection;
import org.dflib.jjava.jupyter.channels.Loop;
import org.dflib.jjava.jupyter.channels.ShellChannel;
import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.dflib.jjava.kernel.execution.CodeEvaluator;
import org.junit.jupiter.api.Test;

/**
 * The private members of JJava that the kernel's hooks reach by name are in the JJava jar the build compiles against,
 * which is the jar of the installed jjava wheel, the one that runs the kernel.
 */
class JJavaInternalsTest {

    @Test
    void theEvaluatorsExecutionControlHoldsTheResultsAndTheRunningSnippets() throws ReflectiveOperationException {
        Class<?> control = JJavaInternals.field(CodeEvaluator.class, "execControl").getType();
        assertEquals(Map.class, JJavaInternals.field(control, "results").getType()); // ConsoleStreamResults
        assertEquals(Map.class, JJavaInternals.field(control, "running").getType()); // PendingInterrupts
        assertEquals(String.class, JJavaInternals.field(CodeEvaluator.class, "NO_MAGIC_RETURN").getType());
    }

    @Test
    void theKernelCountsItsExecutions() throws ReflectiveOperationException {
        assertEquals(AtomicInteger.class, JJavaInternals.field(BaseKernel.class, "executionCount").getType());
    }

    @Test
    void aChannelLoopRunsItsTurnAndTheShellChannelHoldsTheConnection() throws ReflectiveOperationException {
        assertEquals(LongSupplier.class, JJavaInternals.field(Loop.class, "loopBody").getType()); // ShellPolling
        assertEquals(JupyterConnection.class, JJavaInternals.field(ShellChannel.class, "connection").getType());
    }
}
