package io.javadl.kernel;

import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;
import jdk.jshell.EvalException;
import jdk.jshell.SnippetEvent;

/**
 * How a cell's error shows, in the words of the learner's code. An error that the course library means for people
 * (a {@code DatasetException}: a missing dataset, a corrupt file, a failed download) says in its message what is
 * wrong and what to do, so the cell shows that message and the cell's own lines under it, without the frames of
 * the course library, DJL and the JDK beneath. In every error, a run of repeated frames, as endless recursion
 * leaves, shows collapsed ({@link RepeatedFrames}), and the messages give the learner's names where JShell's name its
 * wrapper classes ({@link ReplNames}): {@code because "s" is null}, not {@code because "REPL.$JShell$52.s" is null}.
 *
 * <p>Only what the notebook shows is shaped: JShell's copy of the error and of its causes ({@link EvalException}),
 * which JJava prints; a trace that loses frames goes to the kernel's log first, whole (level FINE). The exception
 * itself, as a Java program or a test sees it, keeps its message, its whole stack trace and its causes'.
 */
final class LearnerErrors {

    /** The exceptions whose message is meant for people, by class name (the kernel does not load the library). */
    static final Set<String> MESSAGES_FOR_PEOPLE = Set.of("io.javadl.data.DatasetException");

    private static final String AGENT_PACKAGE = "io.javadl.agent.";
    /** JShell's own stop check, which JDK 25's JShell calls in a cell's methods too. */
    private static final String JSHELL_CHECK = "REPL.$Cancel$";

    private static final List<String> INTERNAL_PACKAGES =
            List.of("io.javadl.", "ai.djl.", "java.", "javax.", "jdk.", "sun.", "com.sun.");

    private static final Logger LOG = Logger.getLogger(LearnerErrors.class.getName());

    private LearnerErrors() {
    }

    /**
     * Shapes the error of a snippet that JShell has just run, before JJava shows it: JJava publishes the very
     * exception the event holds.
     *
     * @param event the event JShell gives its listeners for a snippet of the running cell
     */
    static void shape(SnippetEvent event) {
        if (!(event.exception() instanceof EvalException error)) {
            return;
        }
        boolean forPeople = MESSAGES_FOR_PEOPLE.contains(error.getExceptionClassName());
        Map<Throwable, StackTraceElement[]> shown = new IdentityHashMap<>();
        for (Throwable t = error; t != null && !shown.containsKey(t); t = t.getCause()) {
            StackTraceElement[] frames = forPeople ? callersFrames(t.getStackTrace()) : t.getStackTrace();
            shown.put(t, withoutStopChecks(RepeatedFrames.collapse(frames, RepeatedFrames.JVM_TRACE_LIMIT)));
        }
        if (shown.entrySet().stream().anyMatch(e -> !Arrays.equals(e.getValue(), e.getKey().getStackTrace()))) {
            LOG.log(Level.FINE, "A cell's error, whole; the cell shows it without internal or repeated frames", error);
            shown.forEach(Throwable::setStackTrace);
        }
        EventErrors.rewrite(event, ReplNames::learners);
    }

    /**
     * The frames of a trace that are neither the course library's, DJL's nor the JDK's: the cell's lines (JShell's
     * {@code REPL.} classes, which its copy names {@code ""}) and the kernel's own machinery.
     *
     * @param frames a stack trace, innermost first
     * @return the frames kept, in the same order
     */
    static StackTraceElement[] callersFrames(StackTraceElement[] frames) {
        return Arrays.stream(frames).filter(frame -> !isInternal(frame.getClassName()))
                .toArray(StackTraceElement[]::new);
    }

    /**
     * A trace without the stop checks in a cell's methods, the kernel agent's and JShell's own ({@code REPL.$Cancel$},
     * JDK 25): when a cell's recursion overflows the stack inside the check, the innermost frames are the check's and
     * those of what it called ({@code Thread.isInterrupted}), not the learner's. They go after the repeats are
     * collapsed, whose count of a cut trace needs the JVM's own length.
     *
     * @param frames a stack trace, innermost first
     * @return the frames outside the check's innermost one, or all of them where the check is not in the trace
     */
    static StackTraceElement[] withoutStopChecks(StackTraceElement[] frames) {
        for (int i = frames.length - 1; i >= 0; i--) {
            if (frames[i].getClassName().startsWith(AGENT_PACKAGE) || frames[i].getClassName().equals(JSHELL_CHECK)) {
                return Arrays.copyOfRange(frames, i + 1, frames.length);
            }
        }
        return frames;
    }

    private static boolean isInternal(String className) {
        return INTERNAL_PACKAGES.stream().anyMatch(className::startsWith);
    }
}
