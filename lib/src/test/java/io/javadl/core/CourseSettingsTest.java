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
        assertEquals(Path.of(System.getProperty("user.home"), ".javadl", "datasets"), CourseSettings.of(Map.of())
                .dataRoot());
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

    @Test
    void epochsAreTheNotebooksOwnUnlessMaxEpochsIsSmaller() {
        assertEquals(10, CourseSettings.of(Map.of()).epochs(10));
        assertEquals(2, CourseSettings.of(Map.of("JAVADL_MAX_EPOCHS", "2")).epochs(10));
        assertEquals(3, CourseSettings.of(Map.of("JAVADL_MAX_EPOCHS", " 50 ")).epochs(3));
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-1", "two"})
    void maxEpochsThatIsNotAPositiveNumberIsNamed(String value) {
        CourseSettings settings = CourseSettings.of(Map.of("JAVADL_MAX_EPOCHS", value));

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> settings.epochs(5));
        assertEquals("JAVADL_MAX_EPOCHS='" + value + "' is not a positive whole number of epochs; unset it to "
                + "train for full length", e.getMessage());
    }

    @Test
    void aRunOfNoEpochsIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> CourseSettings.of(Map.of()).epochs(0));
    }
}
