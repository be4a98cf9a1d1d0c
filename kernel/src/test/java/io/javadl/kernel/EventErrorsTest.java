package io.javadl.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.List;
import jdk.jshell.EvalException;
import jdk.jshell.JShell;
import jdk.jshell.JShellException;
import jdk.jshell.SnippetEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * JShell's members that {@link EventErrors} reaches are in the JDK that builds the kernel. Whether it may change them
 * depends on the JVM: the kernel's opens {@code jdk.jshell} to it, Maven's test JVM does not; the kernel's own
 * tests (tests/test_learner_errors.py) check what a notebook shows.
 */
class EventErrorsTest {

    private JShell shell;

    @BeforeEach
    void startShell() {
        shell = JShell.builder().executionEngine("local").build();
    }

    @AfterEach
    void closeShell() {
        shell.close();
    }

    @Test
    void theEventHoldsItsErrorInAFieldAndEvalExceptionsCanBeBuiltWithAClassNameMessageTraceAndCause()
            throws ReflectiveOperationException {
        assertEquals(JShellException.class, SnippetEvent.class.getDeclaredField(EventErrors.EVENT_FIELD).getType());
        EvalException.class.getDeclaredConstructor(EventErrors.COPY_TYPES);
    }

    @Test
    void anErrorIsRewrittenWhereJShellIsOpenAndLeftAsItIsElsewhere() {
        SnippetEvent event = shell.eval("throw new IllegalStateException(\"bad\", new RuntimeException(\"worse\"));")
                .get(0);
        EvalException original = assertInstanceOf(EvalException.class, event.exception());
        boolean open = SnippetEvent.class.getModule().isOpen("jdk.jshell", EventErrors.class.getModule());

        boolean rewritten = EventErrors.rewrite(event, text -> text.replace("bad", "good").replace("worse", "better"));

        assertEquals(open, rewritten);
        EvalException shown = (EvalException) event.exception();
        if (open) {
            assertEquals(List.of("java.lang.IllegalStateException", "good", "better"), List.of(
                    shown.getExceptionClassName(), shown.getMessage(), shown.getCause().getMessage()));
            assertEquals(List.of(original.getStackTrace()), List.of(shown.getStackTrace()));
        } else {
            assertSame(original, shown);
            assertEquals("bad", shown.getMessage());
        }
    }

    @Test
    void anErrorTheWordsLeaveAsTheyAreIsNotCopied() {
        SnippetEvent event = shell.eval("throw new IllegalStateException(\"bad\");").get(0);
        JShellException original = event.exception();

        assertEquals(false, EventErrors.rewrite(event, text -> text));
        assertSame(original, event.exception());
    }
}
