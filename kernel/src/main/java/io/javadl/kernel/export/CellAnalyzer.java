package io.javadl.kernel.export;

import java.io.File;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import jdk.jshell.JShell;
import jdk.jshell.MethodSnippet;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;
import jdk.jshell.TypeDeclSnippet;
import jdk.jshell.VarSnippet;

/**
 * Splits a notebook's cells into the snippets the kernel runs and says what each one is, with JShell's own analysis
 * ({@link SourceCodeAnalysis}), as JJava does when it runs a cell: the same completeness rules split the code, and
 * the same classification tells declarations, statements and the expressions whose value a cell shows.
 *
 * <p>Types come from a JShell on the kernel's class path that holds the notebook's declarations as they come,
 * without running any of its code: imports, methods and classes are declared as written, and each variable with
 * its type and no initializer, so that a later {@code var} gets the type JShell infers for it.
 */
final class CellAnalyzer implements AutoCloseable {

    /** An operator that can begin a continued line of an expression. */
    private static final Pattern LEADING_OPERATOR = Pattern.compile(
            "^\\s*(\\.|&&|\\|\\||==|!=|<=|>=|->|::|>>>|>>|<<|instanceof\\b|[-+*/%?:<>&|^])");

    private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());

    private final JShell shell;
    private final SourceCodeAnalysis analysis;
    private final JavaSyntax syntax = new JavaSyntax();
    private final List<Magic> repositories = new ArrayList<>();
    private String where = "the kernel's imports";

    /**
     * A JShell on a class path, with the notebook imports ({@link NotebookImports}) declared.
     *
     * @param classPath the kernel's class path, entries separated by {@link File#pathSeparator}
     */
    CellAnalyzer(String classPath) {
        shell = JShell.builder().executionEngine("local").out(QUIET).err(QUIET).build();
        for (String entry : classPath.split(File.pathSeparator)) {
            if (!entry.isBlank()) {
                shell.addToClasspath(entry);
            }
        }
        analysis = shell.sourceCodeAnalysis();
        NotebookImports.declarations().forEach(this::declare);
    }

    /**
     * Analyzes a notebook's code cells, in order, as a fresh kernel would run them.
     *
     * @return for each code cell, its pieces in order
     * @throws ExportException if a cell holds code that JShell cannot read
     */
    List<List<Piece>> analyze(Notebook notebook) {
        List<List<Piece>> cells = new ArrayList<>();
        for (Notebook.CodeCell cell : notebook.cells()) {
            where = notebook.file().getFileName() + ", cell " + cell.id();
            cells.add(analyze(cell.source()));
        }
        return cells;
    }

    private List<Piece> analyze(String source) {
        List<Piece> pieces = new ArrayList<>();
        StringBuilder code = new StringBuilder();
        String[] lines = source.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            Magic magic = Magic.parse(lines[i], code.toString().isBlank() && pieces.isEmpty());
            if (magic == null) {
                code.append(lines[i]).append(i < lines.length - 1 ? "\n" : "");
                continue;
            }
            snippets(code.toString(), pieces);
            code.setLength(0);
            pieces.add(new Piece.MagicLine(magic));
            if (!magic.repository().isEmpty()) {
                repositories.add(magic);
            } else if (!magic.dependencies().isEmpty()) {
                List<Magic> resolving = new ArrayList<>(repositories);
                resolving.add(magic);
                shell.addToClasspath(MavenProject.resolve(resolving, where));
            }
            if (!magic.keepsCellCode()) {
                String body = String.join("\n", List.of(lines).subList(i + 1, lines.length));
                if (!body.isBlank()) {
                    pieces.add(new Piece.Commented(body));
                }
                return pieces;
            }
        }
        snippets(code.toString(), pieces);
        int last = pieces.size() - 1;
        if (last >= 0 && pieces.get(last) instanceof Expression expression && expression.shown()) {
            pieces.set(last, syntax.result(expression.source()));
        }
        pieces.replaceAll(piece -> piece instanceof Expression expression ? unshown(expression.source()) : piece);
        return pieces;
    }

    /** Adds the snippets of a stretch of code without magics, as JJava splits a cell. */
    private void snippets(String code, List<Piece> pieces) {
        SourceCodeAnalysis.CompletionInfo info = analysis.analyzeCompletion(code);
        while (info.completeness().isComplete()) {
            pieces.add(classify(info.source()));
            info = analysis.analyzeCompletion(info.remaining());
        }
        if (info.completeness() != SourceCodeAnalysis.Completeness.EMPTY) {
            throw new ExportException(where + ": this code is incomplete, so the kernel cannot run it either: "
                    + info.remaining().strip());
        }
    }

    private Piece classify(String source) {
        List<Snippet> snippets = analysis.sourceToSnippets(source);
        Snippet first = snippets.get(0);
        switch (first.kind()) {
            case IMPORT -> {
                declare(source);
                return syntax.importDeclaration(source);
            }
            case VAR -> {
                if (first.subKind() == Snippet.SubKind.TEMP_VAR_EXPRESSION_SUBKIND) {
                    return new Expression(source, true);
                }
                Map<String, String> types = new HashMap<>();
                for (Snippet snippet : snippets) {
                    VarSnippet variable = (VarSnippet) snippet;
                    types.put(variable.name(), denotable(variable));
                    declare(variable.typeName() + " " + variable.name() + ";");
                }
                return syntax.variables(source, types);
            }
            case EXPRESSION -> {
                return new Expression(source, first.subKind() == Snippet.SubKind.VAR_VALUE_SUBKIND
                        || first.subKind() == Snippet.SubKind.OTHER_EXPRESSION_SUBKIND);
            }
            case METHOD -> {
                declare(source);
                MethodSnippet method = (MethodSnippet) first;
                return new Piece.Declaration(source, method.name(), method.name() + method.parameterTypes(),
                        syntax.asStaticMember(source));
            }
            case TYPE_DECL -> {
                declare(source);
                String name = ((TypeDeclSnippet) first).name();
                return new Piece.Declaration(source, name, name, syntax.asStaticMember(source));
            }
            case STATEMENT -> {
                return new Piece.Statement(source, JavaSyntax.terminated(source));
            }
            default -> throw new ExportException(where + ": JShell cannot read this as Java: " + source.strip());
        }
    }

    /**
     * A snippet as {@code jshell} must read it from a file. jshell reads a script line by line and runs what it has
     * as soon as that is a complete snippet, where the kernel reads the whole cell: {@code new XYChartBuilder()}
     * at the end of a line would run before the {@code .width(600)} of the next. So a line after which the
     * snippet would be complete gets the next line's leading operator ({@code .}, {@code +}, {@code ?}, ...), or
     * the next line itself where that has none. The code means the same.
     */
    String forScript(String snippet) {
        List<String> lines = new ArrayList<>(snippet.lines().toList());
        for (int k = 0; k < lines.size() - 1; k++) {
            SourceCodeAnalysis.CompletionInfo prefix = analysis.analyzeCompletion(String.join("\n",
                    lines.subList(0, k + 1)));
            if (!prefix.completeness().isComplete() || !prefix.remaining().isBlank() || isComment(lines.get(k))) {
                continue;
            }
            int next = k + 1;
            while (next < lines.size() - 1 && (lines.get(next).isBlank() || isComment(lines.get(next)))) {
                next++;
            }
            String line = lines.get(k);
            int comment = commentStart(line);
            String code = comment < 0 ? line : line.substring(0, comment).stripTrailing();
            String remark = comment < 0 ? "" : " /* " + line.substring(comment + 2).strip() + " */";
            Matcher operator = LEADING_OPERATOR.matcher(lines.get(next));
            if (operator.find()) {
                String token = operator.group(1);
                lines.set(k, code + (token.equals(".") ? "" : " ") + token + remark);
                lines.set(next, lines.get(next).substring(0, operator.start(1))
                        + lines.get(next).substring(operator.end(1)).stripLeading());
            } else {
                lines.set(k, code + remark + " " + lines.get(next).strip());
                lines.remove(next);
                k--;
            }
        }
        return String.join("\n", lines);
    }

    private static boolean isComment(String line) {
        String text = line.strip();
        return text.startsWith("//") || text.startsWith("/*");
    }

    /** Where a line's {@code //} comment starts, outside string and character literals; -1 where it has none. */
    static int commentStart(String line) {
        char quote = 0;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quote != 0) {
                if (c == '\\') {
                    i++;
                } else if (c == quote) {
                    quote = 0;
                }
            } else if (c == '"' || c == '\'') {
                quote = c;
            } else if (c == '/' && i + 1 < line.length() && line.charAt(i + 1) == '/') {
                return i;
            }
        }
        return -1;
    }

    /**
     * Whether a simple name is a type where the notebook's code runs (imported, declared, or in
     * {@code java.lang}), so that a class of that name would hide it.
     */
    boolean namesAType(String simpleName) {
        return analysis.listQualifiedNames(simpleName, simpleName.length()).isResolvable();
    }

    /**
     * An expression that is not the cell's last, or whose value the kernel does not show, as a statement: Java
     * takes a call or an assignment as one, and any other expression as a variable's initializer.
     */
    private Piece unshown(String source) {
        String expression = source.strip().replaceAll(";$", "");
        return new Piece.Statement(source, syntax.isStatementExpression(source)
                ? JavaSyntax.terminated(source)
                : "{ Object unused = " + expression + "; }  // the notebook computes this value and does not show it");
    }

    private String denotable(VarSnippet variable) {
        String type = variable.typeName();
        if (type.contains("<anonymous") || type.contains("capture#") || type.contains("&") || type.isBlank()) {
            throw new ExportException(where + ": the variable " + variable.name() + " has the type " + type
                    + ", which a Java field cannot be declared with; give it a type the notebook names");
        }
        return type;
    }

    /** Declares a snippet in the analysis JShell; its code does not run, as none of it is a statement. */
    private void declare(String source) {
        for (SnippetEvent event : shell.eval(source)) {
            if (event.causeSnippet() == null && event.status() == Snippet.Status.REJECTED) {
                String errors = shell.diagnostics(event.snippet()).map(d -> d.getMessage(null))
                        .collect(Collectors.joining("; "));
                throw new ExportException(where + ": the kernel would reject this: " + source.strip() + " ("
                        + errors + ")");
            }
        }
    }

    @Override
    public void close() {
        shell.close();
    }

    /** An expression snippet, until the cell's end says whether it is the value the cell shows. */
    private record Expression(String source, boolean shown) implements Piece {}
}
