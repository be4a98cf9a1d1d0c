package io.javadl.kernel.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class MagicTest {

    @Test
    void aLineMagicTakesItsWordsAndAMavenLineItsCoordinates() {
        Magic maven = Magic.parse("  %maven org.a:b:1.0 org.c:d:jar:linux:2 --from central", false);

        assertEquals("maven", maven.name());
        assertEquals(List.of("org.a:b:1.0", "org.c:d:jar:linux:2"), maven.dependencies());
        assertFalse(maven.cellMagic());
        assertTrue(maven.keepsCellCode());
    }

    @Test
    void aCellMagicCountsOnlyOnTheFirstLineAndOnlyTimeKeepsTheCode() {
        assertNull(Magic.parse("%%time", false));
        assertTrue(Magic.parse("%%time", true).keepsCellCode());
        assertFalse(Magic.parse("%%loadFromPOM", true).keepsCellCode());
    }

    @Test
    void javaIsNoMagic() {
        assertNull(Magic.parse("int r = a", false));
        assertNull(Magic.parse("    % b;", false)); // a continued remainder: JJava wants a word right after the %
    }

    @Test
    void theCommentSaysWhatBecameOfTheMagic() {
        assertEquals("// %maven org.a:b:1.0  (a JJava magic, not Java: pom.xml adds this to the class path)",
                Magic.parse("%maven org.a:b:1.0", false).comment("pom.xml"));
        assertEquals(List.of("repo", "https://example.org/m2"),
                Magic.parse("%mavenRepo repo https://example.org/m2", false).repository());
    }
}
