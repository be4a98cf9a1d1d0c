package io.javadl.kernel.export;

import com.sun.source.tree.ClassTree;
import com.sun.source.tree.CompoundAssignmentTree;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.ExpressionStatementTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.NewArrayTree;
import com.sun.source.tree.StatementTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.JavacTask;
import com.sun.source.util.SourcePositions;
import com.sun.source.util.Trees;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;
import javax.lang.model.element.Modifier;

/**
 * Where the parts of one JShell snippet lie in its source, read with javac's parser (the one JShell uses): a
 * variable declaration's initializers, an expression, a declaration's modifiers. JShell has already said what the
 * snippet is ({@link CellAnalyzer}); this only finds the text to keep.
 */
final class JavaSyntax {

    private static final String BODY_START = "class $Snippet$ { void $body$() throws Throwable {\n";
    private static final String MEMBERS_START = "class $Snippet$ {\n";

    /** The expressions Java allows as statements, besides compound assignments (JLS 14.8). */
    private static final Set<Tree.Kind> STATEMENT_EXPRESSIONS = Set.of(Tree.Kind.METHOD_INVOCATION,
            Tree.Kind.NEW_CLASS, Tree.Kind.ASSIGNMENT, Tree.Kind.PREFIX_INCREMENT, Tree.Kind.PREFIX_DECREMENT,
            Tree.Kind.POSTFIX_INCREMENT, Tree.Kind.POSTFIX_DECREMENT);

    private final JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();

    JavaSyntax() {
        if (compiler == null) {
            throw new ExportException("This Java has no compiler (javax.tools): export notebooks with a JDK");
        }
    }

    /**
     * The variables of a declaration snippet, in order, with the text before the first.
     *
     * @param source the snippet
     * @param types each variable's type by its name, as JShell gives them
     */
    Piece.Variables variables(String source, Map<String, String> types) {
        Parsed parsed = parse(BODY_START, terminated(source));
        List<Piece.Variable> variables = new ArrayList<>();
        int first = -1;
        for (StatementTree statement : parsed.method().getBody().getStatements()) {
            if (!(statement instanceof VariableTree variable)) {
                continue;
            }
            if (first < 0) {
                first = parsed.start(variable);
            }
            ExpressionTree initializer = variable.getInitializer();
            String name = variable.getName().toString();
            String type = types.get(name);
            if (type == null) {
                throw new IllegalStateException("JShell gave no type for " + name);
            }
            variables.add(new Piece.Variable(name, type, initializer == null ? null : parsed.text(initializer),
                    initializer instanceof NewArrayTree array && array.getType() == null));
        }
        return new Piece.Variables(source, source.substring(0, Math.max(first, 0)), List.copyOf(variables));
    }

    /** An import snippet split into the text before the declaration (comments) and the declaration. */
    Piece.Import importDeclaration(String source) {
        Parsed parsed = parse("", terminated(source));
        Tree declaration = parsed.unit().getImports().get(0);
        String text = parsed.text(declaration);
        return new Piece.Import(source, source.substring(0, parsed.start(declaration)),
                text.endsWith(";") ? text : text + ";");
    }

    /** An expression snippet split into the text before the expression and the expression, without a semicolon. */
    Piece.Result result(String source) {
        Parsed parsed = parse(BODY_START, terminated(source));
        ExpressionTree expression = parsed.expression();
        return new Piece.Result(source, source.substring(0, parsed.start(expression)), parsed.text(expression));
    }

    /** Whether an expression snippet can stand as a Java statement (a call, an assignment, {@code new}, ...). */
    boolean isStatementExpression(String source) {
        ExpressionTree expression = parse(BODY_START, terminated(source)).expression();
        return STATEMENT_EXPRESSIONS.contains(expression.getKind()) || expression instanceof CompoundAssignmentTree;
    }

    /**
     * A method or class declaration as a static member: {@code static} added where Java needs it (methods and
     * classes; nested interfaces, enums and records are static already).
     */
    String asStaticMember(String source) {
        Parsed parsed = parse(MEMBERS_START, source);
        Tree member = ((ClassTree) parsed.unit().getTypeDecls().get(0)).getMembers().get(0);
        Set<Modifier> flags;
        if (member instanceof MethodTree method) {
            flags = method.getModifiers().getFlags();
        } else if (member instanceof ClassTree type && type.getKind() == Tree.Kind.CLASS) {
            flags = type.getModifiers().getFlags();
        } else {
            return source;
        }
        if (flags.contains(Modifier.STATIC)) {
            return source;
        }
        int at = parsed.start(member);
        return source.substring(0, at) + "static " + source.substring(at);
    }

    /** A snippet with the semicolon that JShell lets a cell's last line leave out, and no trailing blanks. */
    static String terminated(String source) {
        String trimmed = source.stripTrailing();
        return trimmed.endsWith(";") || trimmed.endsWith("}") ? trimmed : trimmed + ";";
    }

    private Parsed parse(String start, String source) {
        String text = start + source + (start.isEmpty() ? "" : "\n}") + (start.equals(BODY_START) ? "}" : "");
        JavaFileObject file = new SimpleJavaFileObject(URI.create("string:///Snippet.java"),
                JavaFileObject.Kind.SOURCE) {
            @Override
            public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                return text;
            }
        };
        JavacTask task = (JavacTask) compiler.getTask(null, null, diagnostic -> { }, List.of("-proc:none"), null,
                List.of(file));
        try {
            CompilationUnitTree unit = task.parse().iterator().next();
            return new Parsed(unit, Trees.instance(task).getSourcePositions(), start.length(), source);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A parsed snippet: positions are counted from the snippet's start. */
    private record Parsed(CompilationUnitTree unit, SourcePositions positions, int offset, String source) {

        MethodTree method() {
            return (MethodTree) ((ClassTree) unit.getTypeDecls().get(0)).getMembers().stream()
                    .filter(m -> m instanceof MethodTree method && method.getName().contentEquals("$body$"))
                    .findFirst().orElseThrow();
        }

        /** The expression of a snippet that is one expression statement. */
        ExpressionTree expression() {
            return ((ExpressionStatementTree) method().getBody().getStatements().get(0)).getExpression();
        }

        int start(Tree tree) {
            return (int) positions.getStartPosition(unit, tree) - offset;
        }

        String text(Tree tree) {
            return source.substring(start(tree), (int) positions.getEndPosition(unit, tree) - offset);
        }
    }
}
