package io.javadl.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.ServiceLoader;
import org.dflib.jjava.jupyter.Extension;
import org.junit.jupiter.api.Test;

class JavaDLExtensionTest {

    /** On the class path of the JJava that runs the kernel, which brings an extension of its own. */
    @Test
    void jjavaFindsTheExtensionOnceBesideItsOwn() {
        List<String> found = ServiceLoader.load(Extension.class).stream()
                .map(provider -> provider.type().getName())
                .toList();

        assertEquals(1, found.stream().filter(JavaDLExtension.class.getName()::equals).count(), found.toString());
        assertTrue(found.stream().allMatch(name -> name.equals(JavaDLExtension.class.getName())
                || name.startsWith("org.dflib.jjava.")), found.toString());
    }
}
