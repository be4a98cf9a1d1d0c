package io.javadl.kernel;

import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.util.Objects;
import java.util.function.UnaryOperator;
import java.util.logging.Logger;
import jdk.jshell.EvalException;
import jdk.jshell.JShellException;
import jdk.jshell.SnippetEvent;

/**
 * Gives a snippet's event a copy of its error with other words: JJava shows the exception class name and the
 * message of the {@link EvalException} the event holds, and neither can be changed on it. The copy (and a copy of
 * each cause that is an {@code EvalException}) keeps the stack trace; it takes the original's place in the event,
 * whose fields JShell keeps final.
 *
 * <p>Both are JShell's package-private members, reached by reflection: the kernel's JVM opens {@code jdk.jshell} to
 * the extension ({@code --add-opens jdk.jshell/jdk.jshell=ALL-UNNAMED}, as JJava's own launcher passes it). Where it
 * is not open, or a JDK lays these members out otherwise, {@link #rewrite} changes nothing, and the first time says
 * why in the kernel's log. {@code EventErrorsTest} checks that the JDK that builds the kernel has them.
 */
final class EventErrors {

    /** SnippetEvent's field for the snippet's error, which its {@code exception()} returns. */
    static final String EVENT_FIELD = "exception";

    /** The types of EvalException's constructor: message, class name, stack trace, cause. */
    static final Class<?>[] COPY_TYPES = {String.class, String.class, StackTraceElement[].class, JShellException.class};

    private static final Logger LOG = Logger.getLogger(EventErrors.class.getName());

    private EventErrors() {
    }

    /**
     * Puts in the event a copy of its error whose message and exception class name, and those of its causes, have
     * gone through {@code words}; leaves the event as it is where that changes none of them.
     *
     * @param event the event JShell gives its listeners for a snippet of the running cell
     * @param words the new text of a message or class name; it is given null for an error without a message
     * @return true where the event now holds the copy
     */
    static boolean rewrite(SnippetEvent event, UnaryOperator<String> words) {
        if (!(event.exception() instanceof EvalException error) || !changes(error, words)) {
            return false;
        }
        Members members = Members.INSTANCE;
        if (members == null) {
            return false;
        }
        try {
            members.exception.set(event, copy(error, words, members.copy));
            return true;
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.warning(() -> "A cell's error keeps JShell's words (" + e + ")");
            return false;
        }
    }

    private static boolean changes(JShellException error, UnaryOperator<String> words) {
        for (JShellException e = error; e instanceof EvalException eval; e = eval.getCause()) {
            if (!Objects.equals(words.apply(eval.getMessage()), eval.getMessage())
                    || !Objects.equals(words.apply(eval.getExceptionClassName()), eval.getExceptionClassName())) {
                return true;
            }
        }
        return false;
    }

    /** The copy; JShell builds each error after its cause, so a chain of them has no cycle. */
    private static JShellException copy(JShellException error, UnaryOperator<String> words,
            Constructor<EvalException> evalException) throws ReflectiveOperationException {
        if (!(error instanceof EvalException eval)) {
            return error; // null, or an UnresolvedReferenceException, which names no class or message of its own
        }
        return evalException.newInstance(words.apply(eval.getMessage()), words.apply(eval.getExceptionClassName()),
                eval.getStackTrace(), copy(eval.getCause(), words, evalException));
    }

    /** JShell's members, made accessible once; null where they cannot be. */
    private record Members(Field exception, Constructor<EvalException> copy) {

        static final Members INSTANCE = find();

        private static Members find() {
            try {
                Field exception = SnippetEvent.class.getDeclaredField(EVENT_FIELD);
                Constructor<EvalException> copy = EvalException.class.getDeclaredConstructor(COPY_TYPES);
                exception.setAccessible(true);
                copy.setAccessible(true);
                return new Members(exception, copy);
            } catch (ReflectiveOperationException | RuntimeException e) {
                LOG.warning(() -> "The kernel cannot change JShell's words in a cell's error, so errors name JShell's "
                        + "wrapper classes (\"REPL.$JShell$12.s\" where a cell wrote s): " + e);
                return null;
            }
        }
    }
}
