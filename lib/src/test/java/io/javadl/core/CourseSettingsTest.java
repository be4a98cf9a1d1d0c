package io.javadl.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CourseSettingsTest {

    @Test
    void dataRootIsJavadlDataOrTheHomeFolder() {
        assertEquals(Path.of("/data/sets"), CourseSettings.of(Map.of("JAVADL_DATA", " /data/sets ")).dataRoot());
        assertEquals(Path.of(System.getProperty("user.home"), ".javadl", "datasets"), CourseSettings.of(Map.of()).dataRoot());
        assertEquals(Path.of(System.getProperty("user.home"), ".javadl", "datasets"),
                CourseSettings.of(Map.of("JAVADL_DATA", "")).dataRoot());
    }

    @Test
    void datasetLimitIsAPositiveNumberOrAbsent() {
        assertEquals(OptionalLong.of(500), CourseSettings.of(Map.of("JAVADL_DATASET_LIMIT", "500")).datasetLimit());
        assertEquals(OptionalLong.empty(), CourseSettings.of(Map.of()).datasetLimit());
        assertEquals(OptionalLong.empty(), CourseSettings.of(Map.of("JAVADL_DATASET_LIMIT", " ")).datasetLimit());
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-3", "ten", "1.5"})
    void aLimitThatIsNotAPositiveNumberIsNamed(String value) {
        CourseSettings settings = CourseSettings.of(Map.of("JAVADL_DATASET_LIMIT", value));

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, settings::datasetLimit);
        assertEquals("JAVADL_DATASET_LIMIT='" + value + "' is not a positive whole number of images; unset it to "
                + "use whole datasets", e.getMessage());
    }
}
