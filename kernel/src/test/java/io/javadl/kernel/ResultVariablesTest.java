package io.javadl.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import jdk.jshell.JShell;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.VarSnippet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A JShell that runs snippets in this JVM, as JJava's does, with the hook's listener on it. */
class ResultVariablesTest {

    private JShell shell;
    private ResultVariables resultVariables;

    @BeforeEach
    void startJShell() {
        shell = JShell.builder().executionEngine("local").build();
        resultVariables = new ResultVariables(shell);
        shell.onSnippetEvent(resultVariables::note);
    }

    @AfterEach
    void closeJShell() {
        shell.close();
    }

    private List<String> variables() {
        return shell.variables().map(VarSnippet::name).sorted().toList();
    }

    private String value(String code) {
        SnippetEvent event = shell.eval(code).get(0);
        assertEquals(Snippet.Status.VALID, event.status(), code);
        return event.value();
    }

    @Test
    void theVariablesOfACellsExpressionsGoAfterTheCellAndWhatItDeclaresStays() {
        assertEquals("2", value("1 + 1"));
        value("int kept = 3;");
        value("var alsoKept = kept * 2;");
        assertEquals("5", value("alsoKept - 1"));
        assertEquals(4, variables().size()); // $1, kept, alsoKept, $4 (JShell numbers snippets)

        resultVariables.drop();

        assertEquals(List.of("alsoKept", "kept"), variables());
        assertEquals("7", value("kept + 4"));
    }

    @Test
    void eachDropTakesOnlyWhatCameSinceTheLast() {
        value("1 + 1");
        resultVariables.drop();
        value("int kept = 3;");
        value("kept + 1");
        resultVariables.drop();
        resultVariables.drop();

        assertEquals(List.of("kept"), variables());
    }

    @Test
    void aRedeclaredVariableAndAFailedExpressionAreNotTouched() {
        value("int kept = 3;");
        value("int kept = 5;");
        assertEquals(Snippet.Status.REJECTED, shell.eval("kept + missing").get(0).status());

        resultVariables.drop();

        assertEquals(List.of("kept"), variables());
        assertEquals("5", value("kept"));
    }
}
