package io.javadl.kernel.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProgramSourceTest {

    private static final Notebook NOTEBOOK = new Notebook(Path.of("notebooks/09-train-cifar10.ipynb"),
            List.of(new Notebook.CodeCell("a", ""), new Notebook.CodeCell("b", "")));

    private static Piece.Variables declare(String name, String type, String initializer) {
        return new Piece.Variables(type + " " + name + ";", "", List.of(new Piece.Variable(name, type, initializer,
                false)));
    }

    @Test
    void theClassIsNamedAfterTheNotebookWithoutItsNumber() {
        assertEquals("TrainCifar10", ProgramSource.className(NOTEBOOK, name -> false));
        assertEquals("Notebook", ProgramSource.className(new Notebook(Path.of("00.ipynb"), List.of()), name -> false));
        assertEquals("ModuleProgram", ProgramSource.className(new Notebook(Path.of("03-module.ipynb"), List.of()),
                "Module"::equals));
    }

    @Test
    void aNameDeclaredAgainWithItsTypeIsOneFieldAndItsDefaultWithoutInitializer() {
        String source = ProgramSource.write(NOTEBOOK, List.of(List.of(declare("n", "int", "1")),
                List.of(declare("n", "int", null))), "TrainCifar10");

        assertEquals(1, source.split("static int n;", -1).length - 1, source);
        assertTrue(source.contains("        n = 1;\n"), source);
        assertTrue(source.contains("        n = 0;\n"), source);
    }

    @Test
    void aNameDeclaredAgainWithItsTypeSpelledOtherwiseIsOneField() {
        String source = ProgramSource.write(NOTEBOOK, List.of(List.of(declare("names", "java.util.List<String>",
                "null")), List.of(declare("names", "List<String>", "List.of()"))), "TrainCifar10");

        assertTrue(source.contains("        names = List.of();\n"), source);
    }

    @Test
    void aNameDeclaredAgainWithAnotherTypeIsRefused() {
        ExportException error = assertThrows(ExportException.class, () -> ProgramSource.write(NOTEBOOK,
                List.of(List.of(declare("n", "int", "1")), List.of(declare("n", "String", "\"x\""))), "TrainCifar10"));

        assertTrue(error.getMessage().startsWith("09-train-cifar10.ipynb, cell b: n is declared again, as String "
                + "where it was int"), error.getMessage());
    }

    @Test
    void aMethodDeclaredAgainIsKeptOnceIfItIsTheSameAndRefusedIfNot() {
        Piece.Declaration f = new Piece.Declaration("int f() { return 1; }", "f", "f()",
                "static int f() { return 1; }");
        Piece.Declaration other = new Piece.Declaration("int f() { return 2; }", "f", "f()",
                "static int f() { return 2; }");

        String source = ProgramSource.write(NOTEBOOK, List.of(List.of(f), List.of(f)), "TrainCifar10");

        assertEquals(1, source.split("static int f\\(\\)", -1).length - 1, source);
        assertThrows(ExportException.class, () -> ProgramSource.write(NOTEBOOK, List.of(List.of(f),
                List.of(other)), "TrainCifar10"));
    }

    @Test
    void anArrayInitializerBecomesAnArrayCreation() {
        Piece.Variables grid = new Piece.Variables("", "", List.of(new Piece.Variable("grid", "float[][]",
                "{{1, 2}}", true)));

        assertTrue(ProgramSource.write(NOTEBOOK, List.of(List.of(grid), List.of()), "TrainCifar10")
                .contains("grid = new float[][] {{1, 2}};"));
    }
}
