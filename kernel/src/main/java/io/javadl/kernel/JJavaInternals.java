package io.javadl.kernel;

import java.lang.reflect.Field;

/**
 * The parts of JJava's kernel that its extension API does not hand out, reached by reflection. Each caller says what
 * the kernel does without its hook where a JJava lays these parts out otherwise.
 */
final class JJavaInternals {

    private JJavaInternals() {
    }

    /**
     * The execution control of a JJava kernel's code evaluator (a {@code JJavaExecutionControl}): it runs each
     * snippet on the cell thread and keeps the snippets' results.
     *
     * @param kernel the running JJava kernel (a {@code JavaKernel}, which hands out its evaluator)
     * @return the execution control
     * @throws ReflectiveOperationException where this JJava has no such evaluator or field
     */
    static Object executionControl(Object kernel) throws ReflectiveOperationException {
        Object evaluator = evaluator(kernel);
        return field(evaluator.getClass(), "execControl").get(evaluator);
    }

    /** The code evaluator of a JJava kernel (a {@code CodeEvaluator}). */
    static Object evaluator(Object kernel) throws ReflectiveOperationException {
        return kernel.getClass().getMethod("getEvaluator").invoke(kernel);
    }

    /** A declared field of {@code type}, made accessible. */
    static Field field(Class<?> type, String name) throws NoSuchFieldException {
        Field field = type.getDeclaredField(name);
        field.setAccessible(true);
        return field;
    }
}
