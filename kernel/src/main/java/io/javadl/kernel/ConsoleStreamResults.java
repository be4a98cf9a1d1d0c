package io.javadl.kernel;

import java.util.Map;
import org.dflib.jjava.kernel.execution.CodeEvaluator;
import jdk.jshell.SnippetEvent;

/**
 * Keeps the console's own stream from showing as a cell's result. {@code System.out.printf(...)},
 * {@code format(...)} and {@code append(...)} return the stream they wrote to, so a cell ending in one would show
 * what it printed and then {@code java.io.PrintStream@3c35ede7}; with this, it shows only what it printed, as
 * Python's {@code print} does. Any other result, a stream of the cell's own included, shows as before.
 *
 * <p>JJava keeps each snippet's value in its execution control, under the key the {@link SnippetEvent} carries,
 * until the snippet's events are handed back from {@code JShell.eval}; a listener runs before that, and puts
 * JJava's own "no result" marker in the place of the stream. The extension API gives no way to that map, hence
 * the reflection: {@link #of} fails where a JJava keeps it elsewhere, and the kernel then shows such results as
 * JJava does (and logs why).
 */
final class ConsoleStreamResults {

    private final Map<String, Object> results;
    private final Object noResult;

    private ConsoleStreamResults(Map<String, Object> results, Object noResult) {
        this.results = results;
        this.noResult = noResult;
    }

    /**
     * Finds the map of results of a JJava kernel's code evaluator, and the marker its evaluator reads as "no result".
     *
     * @param kernel the running JJava kernel (a {@code JavaKernel}, which hands out its evaluator)
     * @return the hook
     * @throws ReflectiveOperationException where this JJava has no such evaluator, map or marker
     */
    @SuppressWarnings("unchecked")
    static ConsoleStreamResults of(Object kernel) throws ReflectiveOperationException {
        Object control = JJavaInternals.executionControl(kernel);
        Map<String, Object> results =
                (Map<String, Object>) JJavaInternals.field(control.getClass(), "results").get(control);
        Object noResult = JJavaInternals.field(CodeEvaluator.class, "NO_MAGIC_RETURN").get(null);
        return new ConsoleStreamResults(results, noResult);
    }

    /**
     * Drops the result of a snippet that JShell has just run when it is {@code System.out} or {@code System.err}
     * (the running cell's streams, which JJava sets while a cell runs).
     *
     * @param event the event JShell gives its listeners for a snippet of the running cell
     */
    void drop(SnippetEvent event) {
        String key = event.value();
        if (key != null && event.snippet().subKind().isExecutable()) {
            Object value = results.get(key);
            if (value == System.out || value == System.err) {
                results.replace(key, value, noResult);
            }
        }
    }
}
