package io.javadl.agent;

import java.lang.instrument.Instrumentation;

/**
 * The agent's entry point: the kernelspec starts the kernel's JVM with {@code -javaagent:<this jar>}, and from
 * then on every class compiled from a cell carries {@link CellStop}'s checks.
 */
public final class CellStopAgent {

    private CellStopAgent() {
    }

    /**
     * Registers the transformer; called by the JVM before JJava's {@code main}.
     *
     * @param options the text after {@code =} in {@code -javaagent:jar=options}; unused
     * @param instrumentation the JVM's instrumentation service
     */
    public static void premain(String options, Instrumentation instrumentation) {
        instrumentation.addTransformer(new CellClassTransformer());
    }
}
