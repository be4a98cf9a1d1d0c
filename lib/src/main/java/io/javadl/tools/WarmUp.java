package io.javadl.tools;

import io.javadl.core.SystemInfo;

/**
 * The installer's check that the kernel's class path loads PyTorch: prints {@link SystemInfo#collect()}, which on a
 * machine's first run also fills DJL's native cache before the first notebook cell needs it.
 */
public final class WarmUp {
    private WarmUp() {
    }

    /**
     * Prints one line about the Java runtime, DJL and the PyTorch build it loaded.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        System.out.println(SystemInfo.collect());
    }
}
