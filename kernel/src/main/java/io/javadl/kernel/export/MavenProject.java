package io.javadl.kernel.export;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A notebook as a Maven project: {@code pom.xml} with the kernel's dependencies, the course library and the
 * notebook's {@code %maven} artifacts, and the program ({@link ProgramSource}) under {@code src/main/java}.
 */
final class MavenProject {

    private static final String TEMPLATE = "pom.xml";

    private MavenProject() {}

    /**
     * Writes the project into a folder.
     *
     * @param folder the project's folder, made if missing
     * @param notebook the notebook
     * @param cells its cells' pieces, as {@link CellAnalyzer} gives them
     * @param program the program's source, from {@link ProgramSource}
     * @param className its class's name
     */
    static void write(Path folder, Notebook notebook, List<List<Piece>> cells, String program, String className)
            throws IOException {
        List<Magic> magics = magics(cells);
        Path source = folder.resolve("src/main/java").resolve(ProgramSource.PACKAGE).resolve(className + ".java");
        Files.createDirectories(source.getParent());
        Files.writeString(source, program);
        Files.writeString(folder.resolve("pom.xml"), template()
                .replace("{{notebook}}", xmlComment(notebook.file().getFileName().toString()))
                .replace("{{artifactId}}", xml(notebook.stem()))
                .replace("{{mainClass}}", ProgramSource.PACKAGE + "." + className)
                .replace("{{repositories}}", repositories(magics))
                .replace("{{dependencies}}", dependencies(magics)));
    }

    /** Text as XML element content. */
    private static String xml(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    /** Text inside an XML comment, which cannot hold {@code --}. */
    private static String xmlComment(String text) {
        return text.replace("--", "- -");
    }

    /**
     * The {@code pom.xml} whose only dependencies are the notebook's {@code %maven} artifacts, from which the
     * JShell script's runner takes their class path; null when the notebook has none.
     */
    static String magicsPom(Notebook notebook, List<List<Piece>> cells) {
        List<Magic> magics = magics(cells);
        return magics.stream().allMatch(m -> m.dependencies().isEmpty()) ? null
                : dependenciesPom(notebook.stem() + "-magics", "The %maven artifacts of " + notebook.file()
                        .getFileName() + ", which " + JshellScript.RUNNER + " puts on the class path", magics);
    }

    /** A {@code pom.xml} with the artifacts and repositories of {@code %maven} and {@code %mavenRepo} lines. */
    static String dependenciesPom(String artifactId, String comment, List<Magic> magics) {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!-- " + xmlComment(comment) + " -->\n"
                + "<project xmlns=\"http://maven.apache.org/POM/4.0.0\">\n  <modelVersion>4.0.0</modelVersion>\n"
                + "  <groupId>notebook</groupId>\n  <artifactId>" + xml(artifactId) + "</artifactId>\n"
                + "  <version>1.0</version>\n" + repositories(magics) + "  <dependencies>\n" + dependencies(magics)
                + "  </dependencies>\n</project>\n";
    }

    /**
     * Resolves the artifacts of {@code %maven} lines, with what they depend on, as the kernel does; with Maven.
     *
     * @return their class path
     * @throws ExportException if Maven is missing or cannot resolve them
     */
    static String resolve(List<Magic> magics, String where) {
        try {
            Path folder = Files.createTempDirectory("javadl-export-");
            try {
                Path pom = Files.writeString(folder.resolve("pom.xml"), dependenciesPom("resolve", where, magics));
                Path classPath = folder.resolve("classpath.txt");
                Process maven = new ProcessBuilder("mvn", "--quiet", "--batch-mode", "-Dstyle.color=never", "-f",
                        pom.toString(), "dependency:build-classpath", "-Dmdep.outputFile=" + classPath)
                        .redirectErrorStream(true).start();
                String output = new String(maven.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                if (maven.waitFor() != 0) {
                    throw new ExportException(where + ": Maven cannot resolve its %maven artifacts, which the "
                            + "analysis of the later cells needs: " + output.strip());
                }
                return Files.readString(classPath).strip();
            } finally {
                NotebookExport.deleteTree(folder);
            }
        } catch (IOException e) {
            throw new ExportException(where + ": its %maven artifacts need Maven (mvn) to be exported, and it "
                    + "could not run (" + e.getMessage() + ")", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ExportException(where + ": interrupted while Maven resolved its %maven artifacts", e);
        }
    }

    private static List<Magic> magics(List<List<Piece>> cells) {
        return cells.stream().flatMap(List::stream).filter(Piece.MagicLine.class::isInstance)
                .map(piece -> ((Piece.MagicLine) piece).magic()).toList();
    }

    /** The {@code <dependency>} elements of the {@code %maven} artifacts, each once. */
    private static String dependencies(List<Magic> magics) {
        Set<String> coordinates = new LinkedHashSet<>();
        magics.forEach(magic -> coordinates.addAll(magic.dependencies()));
        return coordinates.stream().map(MavenProject::dependency).collect(Collectors.joining());
    }

    /** A {@code <dependency>} from {@code group:artifact[:extension[:classifier]]:version}. */
    private static String dependency(String coordinates) {
        String[] parts = coordinates.split(":");
        StringBuilder element = new StringBuilder("    <dependency>\n")
                .append("      <groupId>").append(xml(parts[0])).append("</groupId>\n")
                .append("      <artifactId>").append(xml(parts[1])).append("</artifactId>\n")
                .append("      <version>").append(xml(parts[parts.length - 1])).append("</version>\n");
        if (parts.length >= 4) {
            element.append("      <type>").append(xml(parts[2])).append("</type>\n");
        }
        if (parts.length == 5) {
            element.append("      <classifier>").append(xml(parts[3])).append("</classifier>\n");
        }
        return element.append("    </dependency>\n").toString();
    }

    private static String repositories(List<Magic> magics) {
        String repositories = magics.stream().map(Magic::repository).filter(r -> !r.isEmpty())
                .map(r -> "    <repository>\n      <id>" + xml(r.get(0)) + "</id>\n      <url>" + xml(r.get(1))
                        + "</url>\n    </repository>\n")
                .collect(Collectors.joining());
        return repositories.isEmpty() ? "" : "  <repositories>\n" + repositories + "  </repositories>\n";
    }

    private static String template() {
        try (InputStream in = MavenProject.class.getResourceAsStream(TEMPLATE)) {
            if (in == null) {
                throw new IllegalStateException("The kernel's jar has no " + TEMPLATE + " template beside "
                        + MavenProject.class.getName() + ": build it with Maven (make setup)");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
