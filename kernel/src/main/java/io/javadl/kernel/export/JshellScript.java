package io.javadl.kernel.export;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A notebook as a JShell script: its code cells in order, which JShell runs with the kernel's meaning (the same
 * snippets, redeclarations, {@code var} and forward references), after the imports every notebook has. Magics
 * become comments; the value a cell ends with is shown as the kernel shows it, with {@code showResult}.
 */
final class JshellScript {

    /** The file that puts the {@code %maven} artifacts on the script's class path. */
    static final String RUNNER = "jshell.sh";

    private JshellScript() {}

    /**
     * Returns the script.
     *
     * @param notebook the notebook
     * @param cells its cells' pieces, as {@link CellAnalyzer} gives them
     * @param analyzer what made them, which lays each out for jshell ({@link CellAnalyzer#forScript})
     */
    static String write(Notebook notebook, List<List<Piece>> cells, CellAnalyzer analyzer) {
        StringBuilder script = new StringBuilder()
                .append("// ").append(notebook.file().getFileName()).append(" as a JShell script, written by `make "
                        + "export`: the notebook's\n// code cells in order. ./").append(RUNNER)
                .append(" runs it with the javadl kernel's class path; its pictures go to figures/.\n")
                .append(String.join("\n", NotebookImports.declarations())).append("\n")
                .append("saveFiguresIn(Path.of(\"figures\"));\n");
        for (int i = 0; i < cells.size(); i++) {
            script.append("\n// cell ").append(notebook.cells().get(i).id()).append("\n");
            for (Piece piece : cells.get(i)) {
                String line = line(piece).replaceFirst("^\\s*\\n", ""); // the line break that ended the last one
                CellLayout.append(script, analyzer.forScript(line), piece.source(), "");
            }
        }
        return script.append("/exit\n").toString();
    }

    private static String line(Piece piece) {
        if (piece instanceof Piece.MagicLine magic) {
            return magic.magic().comment(RUNNER);
        }
        if (piece instanceof Piece.Commented commented) {
            return commentOut(commented.source());
        }
        if (piece instanceof Piece.Result result) {
            return result.shown();
        }
        return JavaSyntax.terminated(piece.source());
    }

    static String commentOut(String text) {
        return text.lines().map(line -> "// " + line).collect(Collectors.joining("\n"));
    }
}
