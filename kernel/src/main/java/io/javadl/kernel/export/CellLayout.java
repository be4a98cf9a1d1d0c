package io.javadl.kernel.export;

import java.util.stream.Collectors;

/** Lays a cell's pieces out one after the other, in a script or a method, as the cell had them. */
final class CellLayout {

    private CellLayout() {}

    /**
     * Adds a statement to a cell's code, keeping the cell's layout where JShell's snippets cut it: a blank line
     * between two snippets, and a comment that ends a snippet's line (the snippet ends at the semicolon, so the
     * next one's text begins with the comment) back at the end of that line.
     */
    static void append(StringBuilder body, String statement, String source, String prefix) {
        if (source.matches("(?s)[ \\t]*\\n[ \\t]*\\n.*") && !body.isEmpty() && !body.toString().endsWith("\n\n")) {
            body.append("\n"); // the blank line the cell has between two snippets
        }
        String firstLine = source.lines().findFirst().orElse("");
        String comment = firstLine.strip();
        if (firstLine.matches("[ \\t]+//.*") && !body.isEmpty() && statement.stripLeading().startsWith(comment)) {
            body.setLength(body.length() - 1);
            body.append(firstLine).append("\n");
            statement = statement.stripLeading().substring(comment.length()).replaceFirst("^\\s*\\n", "");
        }
        if (!statement.isBlank()) {
            body.append(indent(statement, prefix)).append("\n");
        }
    }

    /** Indents every line that is not blank. */
    static String indent(String text, String prefix) {
        return text.lines().map(line -> line.isBlank() ? "" : prefix + line).collect(Collectors.joining("\n"));
    }
}
