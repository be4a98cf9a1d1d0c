package io.javadl.kernel.export;

import java.util.List;

/**
 * One part of a cell, as an export needs it: a magic, or one of JShell's snippets, classified by JShell's own
 * analysis ({@link CellAnalyzer}). Each keeps its source as the cell has it, comments included.
 */
interface Piece {

    /** The source as the cell has it. */
    String source();

    /** A JJava magic. */
    record MagicLine(Magic magic) implements Piece {
        @Override
        public String source() {
            return magic.line();
        }
    }

    /** Lines that are not Java, such as the body of a cell magic that does not run its cell: kept as comments. */
    record Commented(String source) implements Piece {}

    /**
     * An import declaration; a Java file holds it among its imports.
     *
     * @param leading the text before the declaration (comments)
     * @param declaration the declaration, with its semicolon
     */
    record Import(String source, String leading, String declaration) implements Piece {}

    /**
     * A top-level variable declaration, of one variable or several ({@code int a = 1, b = 2;}).
     *
     * @param leading the text before the declaration (comments)
     * @param variables the variables, in order
     */
    record Variables(String source, String leading, List<Variable> variables) implements Piece {}

    /**
     * One top-level variable.
     *
     * @param name its name in the notebook
     * @param type its type as JShell gives it; for {@code var}, the type JShell infers
     * @param initializer its initializer's source, or null
     * @param arrayInitializer whether the initializer is a bare array initializer, {@code {1, 2}}
     */
    record Variable(String name, String type, String initializer, boolean arrayInitializer) {}

    /**
     * A top-level method, class, interface, enum or record.
     *
     * @param name its name
     * @param key what JShell tells declarations apart by: the name, and a method's parameter types
     * @param asMember its source as a static member of a class
     */
    record Declaration(String source, String name, String key, String asMember) implements Piece {}

    /**
     * A statement, or an expression whose value the kernel does not show.
     *
     * @param asStatement the source as a Java statement
     */
    record Statement(String source, String asStatement) implements Piece {}

    /**
     * The expression a cell ends with, whose value the kernel shows.
     *
     * @param leading the text before the expression (comments)
     * @param expression the expression, without a semicolon
     */
    record Result(String source, String leading, String expression) implements Piece {

        /** The expression shown as the kernel shows a cell's value, after the text before it. */
        String shown() {
            return leading + "showResult(" + expression + ");";
        }
    }
}
