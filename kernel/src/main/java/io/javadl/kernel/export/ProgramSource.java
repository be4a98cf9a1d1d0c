package io.javadl.kernel.export;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * A notebook as a Java class whose {@code main} does what the notebook's cells do, with JShell's meaning: top-level
 * variables become static fields (a name declared again with the same type stays one field), methods and classes
 * static members, and each code cell a method, which {@code main} calls in the notebook's order. A declaration
 * with an initializer becomes an assignment where the cell had it, and the value a cell ends with is shown as
 * the kernel shows it ({@code showResult}).
 */
final class ProgramSource {

    /** The package of exported programs. */
    static final String PACKAGE = "notebook";

    private static final String MEMBER = "    ";
    private static final String BODY = "        ";

    private final Notebook notebook;
    private final List<List<Piece>> cells;
    private final String className;
    private final Map<String, String> fieldTypes = new LinkedHashMap<>();
    private final Map<String, String> declarations = new LinkedHashMap<>();

    private ProgramSource(Notebook notebook, List<List<Piece>> cells, String className) {
        this.notebook = notebook;
        this.cells = cells;
        this.className = className;
    }

    /**
     * The class's name: the notebook's name in words, without its number ({@code 09-train-cifar10}:
     * TrainCifar10), and {@code Program} after it where the notebook's code already has a type of that name
     * ({@code 03-module}: ModuleProgram, as {@code java.lang.Module} exists), which the class would hide.
     *
     * @param namesAType whether a simple name is a type in the notebook's code ({@link CellAnalyzer#namesAType})
     */
    static String className(Notebook notebook, Predicate<String> namesAType) {
        String name = List.of(notebook.stem().replaceFirst("^[\\d\\W_]+", "").split("[^A-Za-z0-9]+")).stream()
                .filter(word -> !word.isEmpty())
                .map(word -> Character.toUpperCase(word.charAt(0)) + word.substring(1))
                .collect(Collectors.joining());
        name = name.isEmpty() ? "Notebook" : name;
        return namesAType.test(name) ? name + "Program" : name;
    }

    /**
     * Returns the class's source.
     *
     * @param className the class's name, from {@link #className}
     * @throws ExportException where a notebook declares a method or class twice with different code, which a Java
     *     class cannot hold, or a variable again with another type
     */
    static String write(Notebook notebook, List<List<Piece>> cells, String className) {
        return new ProgramSource(notebook, cells, className).source();
    }

    private String source() {
        StringBuilder members = new StringBuilder();
        List<String> calls = new ArrayList<>();
        for (int i = 0; i < cells.size(); i++) {
            String id = notebook.cells().get(i).id();
            StringBuilder body = new StringBuilder();
            for (Piece piece : cells.get(i)) {
                if (piece instanceof Piece.Declaration declaration) {
                    declare(declaration, id).ifPresent(text -> members.append("\n")
                            .append(CellLayout.indent(text, MEMBER)).append("\n"));
                } else if (piece instanceof Piece.Import imported) {
                    if (!imported.leading().isBlank()) {
                        body.append(CellLayout.indent(trimLeading(imported.leading()).stripTrailing(), BODY))
                                .append("\n");
                    }
                } else {
                    CellLayout.append(body, asJava(piece, id), piece.source(), BODY);
                }
            }
            if (!body.toString().isBlank()) {
                String method = "cell_" + id.replaceAll("[^A-Za-z0-9]", "_");
                calls.add(method);
                members.append("\n").append(MEMBER).append("/** Cell ").append(id).append(". */\n")
                        .append(MEMBER).append("static void ").append(method).append("() throws Exception {\n")
                        .append(body).append(MEMBER).append("}\n");
            }
        }
        StringBuilder source = new StringBuilder("package " + PACKAGE + ";\n\n");
        imports().forEach(line -> source.append(line).append("\n"));
        source.append("\n/**\n * ").append(notebook.file().getFileName())
                .append(" as a program, written by `make export`: the notebook's top-level variables\n")
                .append(" * are fields, its methods and classes members, and main runs its code cells in order, "
                        + "one method each.\n * Pictures go to figures/.\n */\n")
                .append("public final class ").append(className).append(" {\n\n");
        fieldTypes.forEach((name, type) -> source.append(MEMBER).append("static ").append(type).append(" ")
                .append(name).append(";\n"));
        source.append("\n").append(MEMBER).append("private ").append(className).append("() {}\n\n")
                .append(MEMBER).append("/** Runs the notebook's code cells in order. */\n")
                .append(MEMBER).append("public static void main(String[] args) throws Exception {\n")
                .append(BODY).append("saveFiguresIn(Path.of(\"figures\"));\n");
        calls.forEach(call -> source.append(BODY).append(call).append("();\n"));
        return source.append(MEMBER).append("}\n").append(members).append("}\n").toString();
    }

    /** The kernel's imports and then the notebook's own, each once. */
    private Set<String> imports() {
        Set<String> imports = new LinkedHashSet<>(NotebookImports.declarations());
        cells.stream().flatMap(List::stream).filter(Piece.Import.class::isInstance)
                .map(piece -> ((Piece.Import) piece).declaration()).forEach(imports::add);
        return imports;
    }

    /** A piece of a cell as Java in the cell's method. */
    private String asJava(Piece piece, String id) {
        if (piece instanceof Piece.MagicLine magic) {
            return magic.magic().comment("pom.xml");
        }
        if (piece instanceof Piece.Commented commented) {
            return JshellScript.commentOut(commented.source());
        }
        if (piece instanceof Piece.Result result) {
            return trimLeading(result.shown());
        }
        if (piece instanceof Piece.Variables variables) {
            StringBuilder assignments = new StringBuilder(trimLeading(variables.leading()));
            for (Piece.Variable variable : variables.variables()) {
                String assignment = assignment(variable, id);
                if (assignment != null) {
                    assignments.append(assignments.isEmpty() || assignments.toString().endsWith("\n") ? "" : " ")
                            .append(assignment);
                }
            }
            return assignments.toString().stripTrailing();
        }
        return trimLeading(((Piece.Statement) piece).asStatement());
    }

    /** The assignment a variable's declaration becomes, or null for a first declaration without initializer. */
    private String assignment(Piece.Variable variable, String id) {
        String known = fieldTypes.putIfAbsent(variable.name(), variable.type());
        if (known != null && !simpleNames(known).equals(simpleNames(variable.type()))) {
            throw new ExportException(notebook.file().getFileName() + ", cell " + id + ": " + variable.name()
                    + " is declared again, as " + variable.type() + " where it was " + known + "; JShell replaces "
                    + "the variable, but a Java class cannot hold two fields of one name: rename one of them");
        }
        if (variable.initializer() != null) {
            return variable.name() + " = " + (variable.arrayInitializer() ? "new " + variable.type() + " " : "")
                    + variable.initializer() + ";";
        }
        return known == null ? null : variable.name() + " = " + defaultValue(variable.type()) + ";";
    }

    /** A declaration once: again with the same code it is left out, with other code it cannot be kept. */
    private Optional<String> declare(Piece.Declaration declaration, String id) {
        String known = declarations.putIfAbsent(declaration.key(), declaration.asMember().strip());
        if (known == null) {
            return Optional.of(trimLeading(declaration.asMember()).stripTrailing());
        }
        if (known.equals(declaration.asMember().strip())) {
            return Optional.empty();
        }
        throw new ExportException(notebook.file().getFileName() + ", cell " + id + ": " + declaration.name()
                + " is declared again with other code; JShell replaces it, but a Java class cannot hold both: "
                + "rename one of them");
    }

    /** A type without its packages: JShell names a type as the code does, {@code java.util.List} or {@code List}. */
    private static String simpleNames(String type) {
        return type.replaceAll("\\b(?:[a-z_$][\\w$]*\\.)+(?=[A-Z])", "");
    }

    private static String defaultValue(String type) {
        return switch (type) {
            case "boolean" -> "false";
            case "byte", "short", "int", "long", "float", "double", "char" -> "0";
            default -> "null";
        };
    }

    private static String trimLeading(String text) {
        return text.replaceFirst("^\\s*\\n", "").replaceFirst("^[ \\t]+", "");
    }
}
