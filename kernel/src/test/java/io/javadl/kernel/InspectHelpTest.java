package io.javadl.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
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
                InspectHelp.sourceLocations(folder.toString()));
        assertEquals(List.of(), InspectHelp.sourceLocations(folder.resolve("missing").toString()));
        assertEquals(List.of(), InspectHelp.sourceLocations(null));
    }

    @Test
    void aJdksModularSourcesZipGivesItsModuleFoldersAFlatZipItself(@TempDir Path folder) throws Exception {
        zip(folder.resolve("jdk-src.zip"), "java.base/java/lang/Object.java", "java.base/java/lang/Math.java",
                "java.desktop/java/awt/Color.java", "java.base/module-info.java");
        zip(folder.resolve("flat-src.zip"), "java/lang/Object.java");
        Files.writeString(folder.resolve("broken-src.zip"), "not a zip"); // logged and left out

        List<Path> locations = InspectHelp.sourceLocations(folder.toString());

        assertEquals(3, locations.size(), locations.toString());
        assertEquals(folder.resolve("flat-src.zip"), locations.get(0));
        assertTrue(Files.isRegularFile(locations.get(1).resolve("java/lang/Math.java")), locations.toString());
        assertTrue(Files.isRegularFile(locations.get(2).resolve("java/awt/Color.java")), locations.toString());
    }

    private static void zip(Path zip, String... entries) throws Exception {
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
            for (String entry : entries) {
                out.putNextEntry(new ZipEntry(entry));
                out.write(("// " + entry).getBytes(StandardCharsets.UTF_8));
                out.closeEntry();
            }
        }
    }
}
