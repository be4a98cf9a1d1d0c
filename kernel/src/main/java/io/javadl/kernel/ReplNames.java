package io.javadl.kernel;

import java.util.regex.Pattern;

/**
 * The names a learner wrote, in place of those JShell gives them. JShell compiles each snippet into a wrapper class,
 * {@code REPL.$JShell$12}, that holds the snippet's variables and methods as static members and its classes as
 * nested ones ({@code REPL.$JShell$7$Point}, or {@code REPL.$JShell$7C$Point} once redefined). The JVM's messages name
 * those: a helpful {@code NullPointerException} says {@code because "REPL.$JShell$52.s" is null} where the learner
 * wrote {@code s}, a {@code ClassCastException} says {@code class REPL.$JShell$7$Point cannot be cast ...}.
 */
final class ReplNames {

    /**
     * A wrapper's name and the separator after it, {@code REPL.$JShell$52.} or {@code REPL.$JShell$7C$}, where a name
     * follows: an anonymous class ({@code REPL.$JShell$12$1}) or a lambda keeps its wrapper, since it has no name of
     * its own to show.
     */
    private static final Pattern WRAPPER = Pattern.compile("REPL\\.\\$JShell\\$\\d+[A-Z]*[.$](?=[A-Za-z_])");

    private ReplNames() {
    }

    /**
     * A text with JShell's wrapper names taken out: {@code "REPL.$JShell$52.s"} reads {@code "s"},
     * {@code REPL.$JShell$12.foo()} reads {@code foo()}, {@code REPL.$JShell$7$Point} reads {@code Point}.
     *
     * @param text a message or a class name; may be null (an exception without a message)
     * @return the text with the learner's names, the same text where it names no wrapper, or null for null
     */
    static String learners(String text) {
        return text == null ? null : WRAPPER.matcher(text).replaceAll("");
    }
}
