package io.javadl.kernel.export;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Exports notebooks as programs ({@code make export}): for each notebook a folder {@code OUT/<name>/} with the
 * notebook as a JShell script ({@code <name>.jsh}, {@link JshellScript}) and as a Maven project ({@code pom.xml}
 * and {@code src/main/java/notebook/<Name>.java}, {@link MavenProject}), plus {@code magics/pom.xml} when the
 * notebook has {@code %maven} lines. Exporting again rewrites those files and leaves the others (what the programs
 * wrote, Maven's {@code target/}) as they are.
 *
 * <p>It runs on the kernel's class path, which the analysis of the cells compiles against ({@link CellAnalyzer}).
 * {@code python/javadl/export_notebook.py} starts it and writes {@code jshell.sh}, which knows the installed kernel.
 */
public final class NotebookExport {

    private NotebookExport() {}

    /**
     * Exports notebooks.
     *
     * @param args {@code --out FOLDER NOTEBOOK.ipynb...}
     */
    public static void main(String[] args) {
        if (args.length < 3 || !args[0].equals("--out")) {
            System.err.println("usage: NotebookExport --out FOLDER NOTEBOOK.ipynb...");
            System.exit(2);
        }
        Path out = Path.of(args[1]);
        List<String> failed = new ArrayList<>();
        for (int i = 2; i < args.length; i++) {
            try {
                Path folder = export(Path.of(args[i]), out);
                System.out.println(args[i] + " -> " + folder);
            } catch (ExportException e) {
                System.err.println("error: " + e.getMessage());
                failed.add(args[i]);
            } catch (IOException | UncheckedIOException e) {
                System.err.println("error: " + args[i] + ": writing its export failed: " + e.getMessage());
                failed.add(args[i]);
            } catch (RuntimeException e) { // a bug of the export's: the notebooks after this one still go
                System.err.println("error: " + args[i] + ": the export failed unexpectedly; please report this:");
                e.printStackTrace();
                failed.add(args[i]);
            }
        }
        if (!failed.isEmpty()) {
            System.err.println("Not exported: " + String.join(", ", failed));
            System.exit(1);
        }
    }

    /**
     * Exports one notebook.
     *
     * @return the notebook's folder in {@code out}
     */
    static Path export(Path file, Path out) throws IOException {
        Notebook notebook = Notebook.read(file);
        List<List<Piece>> cells;
        String script;
        String className;
        try (CellAnalyzer analyzer = new CellAnalyzer(System.getProperty("java.class.path"))) {
            cells = analyzer.analyze(notebook);
            script = JshellScript.write(notebook, cells, analyzer);
            className = ProgramSource.className(notebook, analyzer::namesAType);
        }
        String program = ProgramSource.write(notebook, cells, className);
        String magics = MavenProject.magicsPom(notebook, cells);
        Path folder = out.resolve(notebook.stem());
        Path built = Files.createDirectories(out).resolve(notebook.stem() + ".partial");
        deleteTree(built);
        MavenProject.write(built, notebook, cells, program, className);
        Files.writeString(built.resolve(notebook.stem() + ".jsh"), script);
        if (magics != null) {
            Files.writeString(Files.createDirectories(built.resolve("magics")).resolve("pom.xml"), magics);
        }
        moveFiles(built, folder);
        deleteTree(built);
        if (magics == null) {
            deleteTree(folder.resolve("magics")); // the notebook's %maven lines are gone since the last export
        }
        return folder;
    }

    /** Moves every file of {@code from} to the same place under {@code to}, replacing what is there. */
    private static void moveFiles(Path from, Path to) throws IOException {
        try (var files = Files.walk(from)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                Path target = to.resolve(from.relativize(file).toString());
                Files.createDirectories(target.getParent());
                Files.move(file, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            }
        }
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (var paths = Files.walk(root)) {
            for (Path path : paths.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
                Files.delete(path);
            }
        }
    }
}
