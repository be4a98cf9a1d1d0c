package io.javadl.kernel.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class CellAnalyzerTest {

    private static CellAnalyzer analyzer;

    @BeforeAll
    static void start() {
        // surefire runs the tests from a jar whose manifest holds the class path; it names the class path here
        analyzer = new CellAnalyzer(System.getProperty("surefire.test.class.path",
                System.getProperty("java.class.path")));
    }

    @AfterAll
    static void stop() {
        analyzer.close();
    }

    private static List<List<Piece>> analyze(String... cells) {
        List<Notebook.CodeCell> code = new ArrayList<>();
        for (int i = 0; i < cells.length; i++) {
            code.add(new Notebook.CodeCell("c" + (i + 1), cells[i]));
        }
        return analyzer.analyze(new Notebook(Path.of("test.ipynb"), code));
    }

    @Test
    void aVarGetsTheTypeJshellInfersFromEarlierDeclarations() {
        List<List<Piece>> cells = analyze("NDManager manager = null;\nvar names = List.of(\"a\");",
                "var copy = manager;\nint[] one = {1}, two = new int[2];");

        assertEquals(new Piece.Variable("names", "List<String>", "List.of(\"a\")", false),
                ((Piece.Variables) cells.get(0).get(1)).variables().get(0));
        assertEquals("NDManager", ((Piece.Variables) cells.get(1).get(0)).variables().get(0).type());
        assertEquals(List.of(new Piece.Variable("one", "int[]", "{1}", true),
                new Piece.Variable("two", "int[]", "new int[2]", false)),
                ((Piece.Variables) cells.get(1).get(1)).variables());
    }

    @Test
    void onlyTheLastExpressionWithAValueIsShownAsTheKernelShowsIt() {
        List<List<Piece>> cells = analyze("int x = 1;\nx + 1;\nx", "x = 5", "System.out.println(x)",
                "// the list\nList.of(x)");

        assertTrue(((Piece.Statement) cells.get(0).get(1)).asStatement().startsWith("{ Object unused = x + 1; }"));
        assertEquals("x", ((Piece.Result) cells.get(0).get(2)).expression());
        assertInstanceOf(Piece.Statement.class, cells.get(1).get(0)); // an assignment shows nothing
        assertInstanceOf(Piece.Statement.class, cells.get(2).get(0)); // nor does a void call
        Piece.Result list = (Piece.Result) cells.get(3).get(0);
        assertEquals("// the list\n", list.leading());
        assertEquals("List.of(x)", list.expression());
    }

    @Test
    void methodsAndClassesBecomeStaticMembersAndMagicsStayInPlace() {
        List<List<Piece>> cells = analyze("%time\nint twice(int v) { return 2 * v; }\n"
                + "/** A box. */\nclass Box {}\nrecord Pair(int a, int b) {}");

        assertInstanceOf(Piece.MagicLine.class, cells.get(0).get(0));
        assertEquals("static int twice(int v) { return 2 * v; }",
                ((Piece.Declaration) cells.get(0).get(1)).asMember().strip());
        assertEquals("/** A box. */\nstatic class Box {}",
                ((Piece.Declaration) cells.get(0).get(2)).asMember().strip());
        assertEquals("record Pair(int a, int b) {}", ((Piece.Declaration) cells.get(0).get(3)).asMember().strip());
    }

    @Test
    void aScriptsLinesNeverEndASnippetEarly() {
        String chained = "XYChart chart = new XYChartBuilder()\n        .width(600)\n        .build();";
        String sum = "int total = 1\n    + 2;";

        assertEquals("XYChart chart = new XYChartBuilder().\n        width(600).\n        build();",
                analyzer.forScript(chained));
        assertEquals("int total = 1 +\n    2;", analyzer.forScript(sum));
        String loop = "for (int i = 0; i < 2; i++) {\n    i++;\n}";
        assertEquals(loop, analyzer.forScript(loop));
        assertEquals("long half = 10 >> /* bits */\n    1;", analyzer.forScript("long half = 10  // bits\n    >> 1;"));
        assertEquals("foo().\n    // a step\n    bar();", analyzer.forScript("foo()\n    // a step\n    .bar();"));
        assertEquals("if (ok) f(); /* \"//\" */ else g();", analyzer.forScript("if (ok) f();  // \"//\"\nelse g();"));
    }

    @Test
    void aCellMagicKeepsItsCellAsCodeOrAsCommentsAndItsNameIsKnownAsAType() {
        List<List<Piece>> cells = analyze("%%time\nint slow = 1;", "%%loadFromPOM\n<dependency/>");

        assertInstanceOf(Piece.Variables.class, cells.get(0).get(1));
        assertEquals(new Piece.Commented("<dependency/>"), cells.get(1).get(1));
        assertTrue(analyzer.namesAType("NDArray"));
        assertTrue(analyzer.namesAType("Module"));
        assertFalse(analyzer.namesAType("TrainCifar10"));
    }

    @Test
    void incompleteCodeIsRefusedWithItsCell() {
        ExportException error = assertThrows(ExportException.class, () -> analyze("int x = 1;", "void f() {"));

        assertEquals("test.ipynb, cell c2: this code is incomplete, so the kernel cannot run it either: void f() {",
                error.getMessage());
    }
}
