package io.javadl.core;

import java.nio.file.Path;
import java.util.Map;
import java.util.OptionalLong;

/**
 * The environment variables that set where the course keeps its data and how big its runs are. A reader
 * never has to set them; CI and small machines do.
 *
 * <ul>
 *   <li>{@code JAVADL_DATA}: the dataset root, default {@code ~/.javadl/datasets}. CIFAR-10 lives in
 *       {@code $JAVADL_DATA/cifar-10-batches-bin/}.
 *   <li>{@code JAVADL_DATASET_LIMIT}: at most this many images per split (train, test). Unset means all.
 *   <li>{@code JAVADL_MAX_EPOCHS}: at most this many epochs in any training run. Unset means the notebook's own.
 * </ul>
 */
public final class CourseSettings {

    public static final String DATA_VARIABLE = "JAVADL_DATA";
    public static final String DATASET_LIMIT_VARIABLE = "JAVADL_DATASET_LIMIT";
    public static final String MAX_EPOCHS_VARIABLE = "JAVADL_MAX_EPOCHS";

    private final Map<String, String> environment;

    private CourseSettings(Map<String, String> environment) {
        this.environment = environment;
    }

    /** Returns the settings of this process's environment. */
    public static CourseSettings fromEnvironment() {
        return new CourseSettings(System.getenv());
    }

    /**
     * Returns the settings of the given variables, as if they were the environment.
     *
     * @param environment variable names and values
     * @return the settings they make
     */
    public static CourseSettings of(Map<String, String> environment) {
        return new CourseSettings(Map.copyOf(environment));
    }

    /** Returns the folder that holds the datasets: {@code $JAVADL_DATA}, else {@code ~/.javadl/datasets}. */
    public Path dataRoot() {
        String value = environment.get(DATA_VARIABLE);
        if (value == null || value.isBlank()) {
            return Path.of(System.getProperty("user.home"), ".javadl", "datasets");
        }
        return Path.of(value.trim());
    }

    /**
     * Returns {@code JAVADL_DATASET_LIMIT}, the most images a split may load, if it is set.
     *
     * @return the limit, or empty when the variable is unset or blank
     * @throws IllegalArgumentException if the value is not a positive whole number
     */
    public OptionalLong datasetLimit() {
        return positiveNumber(DATASET_LIMIT_VARIABLE, "images; unset it to use whole datasets");
    }

    /**
     * Returns how many epochs a training run of the course makes: its own number, or {@code JAVADL_MAX_EPOCHS}
     * when that is smaller.
     *
     * @param courseEpochs the epochs the notebook trains for at full size
     * @return the epochs to train for, at least 1
     * @throws IllegalArgumentException if {@code courseEpochs} or the variable is not a positive whole number
     */
    public int epochs(int courseEpochs) {
        if (courseEpochs < 1) {
            throw new IllegalArgumentException("A training run needs at least 1 epoch, not " + courseEpochs);
        }
        OptionalLong cap = positiveNumber(MAX_EPOCHS_VARIABLE, "epochs; unset it to train for full length");
        return (int) Math.min(courseEpochs, cap.orElse(courseEpochs));
    }

    private OptionalLong positiveNumber(String variable, String unitAndFix) {
        String value = environment.get(variable);
        if (value == null || value.isBlank()) {
            return OptionalLong.empty();
        }
        try {
            long number = Long.parseLong(value.trim());
            if (number > 0) {
                return OptionalLong.of(number);
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(variable + "='" + value + "' is not a positive whole number of "
                + unitAndFix);
    }
}
