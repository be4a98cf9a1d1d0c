package io.javadl.agent;

import java.lang.instrument.Instrumentation;

/**
 * The agent's entry point: the kernelspec starts the kernel's JVM with {@code -javaagent:<this jar>}, and once
 * the kernel's extension calls {@link #startChecks()}, every class compiled from a cell carries
 * {@link CellStop}'s checks.
 *
 * <p>The transformer is registered late, when the kernel is up, not in {@link #premain}: while a transformer is
 * registered the JVM offers every class it loads to it, which costs the classes it maps from a class-data
 * archive or an ahead-of-time cache part of their head start.
 */
public final class CellStopAgent {

    private static volatile Instrumentation instrumentation;
    private static volatile boolean started;

    private CellStopAgent() {
    }

    /**
     * Keeps the JVM's instrumentation service for {@link #startChecks()}; called by the JVM before JJava's
     * {@code main}.
     *
     * @param options the text after {@code =} in {@code -javaagent:jar=options}; unused
     * @param jvmInstrumentation the JVM's instrumentation service
     */
    public static void premain(String options, Instrumentation jvmInstrumentation) {
        instrumentation = jvmInstrumentation;
    }

    /**
     * Puts the checks into every cell class compiled from now on; later calls do nothing.
     *
     * @return false when the JVM was started without this agent, so that cells run without the checks
     */
    public static synchronized boolean startChecks() {
        if (instrumentation == null) {
            return false;
        }
        if (!started) {
            instrumentation.addTransformer(new CellClassTransformer());
            started = true;
        }
        return true;
    }
}
