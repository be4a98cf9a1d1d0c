package io.javadl.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.ServiceLoader;
import org.dflib.jjava.jupyter.Extension;
import org.junit.jupiter.api.Test;

class JavaDLExtensionTest {

    @Test
    void jjavaCanFindTheExtension() {
        List<String> found = ServiceLoader.load(Extension.class).stream()
                .map(provider -> provider.type().getName())
                .toList();

        assertEquals(List.of(JavaDLExtension.class.getName()), found);
    }
}
