package io.javadl.core;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.util.Utils;

/**
 * What the notebook computes with: the Java runtime, DJL, DJL's default engine and the device that new
 * arrays land on when no device is named.
 *
 * <p>{@link #collect()} loads the engine, which on the very first call of a machine unpacks the native
 * PyTorch library into DJL's cache (a few seconds); later calls are cheap.
 *
 * @param javaVersion the running Java version, such as {@code 17.0.15+6}
 * @param javaVendor the vendor of that Java runtime
 * @param djlVersion the version of DJL's API on the classpath
 * @param engineName the default engine's name, {@code PyTorch} in this project
 * @param engineVersion the version of the native library behind the engine, such as {@code 2.7.1}
 * @param defaultDevice the device DJL uses when none is named: the first GPU if DJL sees one, else the CPU
 * @param gpuCount how many GPUs DJL sees
 * @param pytorchFlavor the PyTorch build asked for with {@code PYTORCH_FLAVOR} (such as {@code cu128}), or
 *     {@code null} when it is not set
 */
public record SystemInfo(
        String javaVersion,
        String javaVendor,
        String djlVersion,
        String engineName,
        String engineVersion,
        Device defaultDevice,
        int gpuCount,
        String pytorchFlavor) {

    /**
     * Loads DJL's default engine and describes it.
     *
     * @return the description of this machine as DJL sees it
     */
    public static SystemInfo collect() {
        Engine engine = Engine.getInstance();
        return new SystemInfo(
                Runtime.version().toString(),
                System.getProperty("java.vendor"),
                Engine.getDjlVersion(),
                engine.getEngineName(),
                engine.getVersion(),
                engine.defaultDevice(),
                engine.getGpuCount(),
                Utils.getEnvOrSystemProperty("PYTORCH_FLAVOR"));
    }

    /**
     * Returns one line for people, for example
     * {@code Java 17.0.15+6 (Debian) | DJL 0.36.0 | PyTorch 2.7.1 | default device: cpu() (no GPU found)}. When
     * {@code PYTORCH_FLAVOR} asks for a CUDA build but DJL sees no GPU, the line ends by saying so: the cells run
     * on the CPU.
     */
    @Override
    public String toString() {
        String gpus = gpuCount == 0 ? "no GPU found" : gpuCount + (gpuCount == 1 ? " GPU" : " GPUs");
        String line = String.format("Java %s (%s) | DJL %s | %s %s | default device: %s (%s)",
                javaVersion, javaVendor, djlVersion, engineName, engineVersion, defaultDevice, gpus);
        if (gpuCount == 0 && pytorchFlavor != null && pytorchFlavor.startsWith("cu")) {
            line += " | PYTORCH_FLAVOR=" + pytorchFlavor + " asks for CUDA, but there is no GPU or no CUDA build of "
                    + "PyTorch " + engineVersion + " here: cells run on the CPU";
        }
        return line;
    }

    /**
     * Prints {@link #collect()}. The installer runs this once so that DJL's native cache is filled before
     * the first notebook cell needs it.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        System.out.println(collect());
    }
}
