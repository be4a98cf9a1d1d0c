package io.javadl.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InspectHelpTest {

    @Test
    void onOrRightAfterACalledMethodsNameJShellIsAskedInsideItsParentheses() {
        String code = "a.reshape(2, 3)";
        int insideParentheses = code.indexOf('(') + 1;

        assertEquals(insideParentheses, InspectHelp.callCursor(code, code.indexOf("resh") + 2));
        assertEquals(insideParentheses, InspectHelp.callCursor(code, code.indexOf('(')));
        assertEquals("a.reshape (".length(), InspectHelp.callCursor("a.reshape (2, 3)", "a.reshape".length()));
    }

    @Test
    void elsewhereJShellIsAskedAtTheCursor() {
        assertEquals("a.reshape(".length(), InspectHelp.callCursor("a.reshape(", "a.reshape(".length()));
        assertEquals("a.reshape(2".length(), InspectHelp.callCursor("a.reshape(2, 3)", "a.reshape(2".length()));
        assertEquals("x = ".length(), InspectHelp.callCursor("x = (1 + 2)", "x = ".length()));
        assertEquals("a.reshape".length(), InspectHelp.callCursor("a.reshape", "a.reshape".length()));
    }

    @Test
    void aCursorPastTheCodeIsAskedAtItsEnd() {
        assertEquals(3, InspectHelp.callCursor("a.b", 10));
        assertEquals(0, InspectHelp.callCursor("", 0));
    }

    @Test
    void theSourcesAreTheJarsOfTheFolder(@TempDir Path folder) throws Exception {
        Files.createFile(folder.resolve("lib-sources.jar"));
        Files.createFile(folder.resolve("api-sources.jar"));
        Files.createFile(folder.resolve("README.txt"));

        assertEquals(List.of(folder.resolve("api-sources.jar"), folder.resolve("lib-sources.jar")),
                InspectHelp.sourcesJars(folder.toString()));
        assertEquals(List.of(), InspectHelp.sourcesJars(folder.resolve("missing").toString()));
        assertEquals(List.of(), InspectHelp.sourcesJars(null));
    }
}
