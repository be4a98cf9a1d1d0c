package io.javadl.core;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.LibUtils;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What the notebook computes with: the Java runtime, DJL, DJL's default engine, which build of PyTorch it loaded,
 * and the device that new arrays land on when no device is named.
 *
 * <p>{@link #collect()} loads the engine, which on the very first call of a machine unpacks the native
 * PyTorch library into DJL's cache (a few seconds); later calls are cheap.
 *
 * @param javaVersion the running Java version, such as {@code 17.0.15+6}
 * @param javaVendor the vendor of that Java runtime
 * @param djlVersion the version of DJL's API on the classpath
 * @param engineName the default engine's name, {@code PyTorch} in this project
 * @param engineVersion the version of the native library behind the engine, such as {@code 2.7.1}
 * @param cudaBuild whether the loaded PyTorch library is a CUDA build (it has {@code libtorch_cuda})
 * @param defaultDevice the device DJL uses when none is named: the first GPU if DJL sees one, else the CPU
 * @param gpuCount how many GPUs DJL sees
 * @param missingGpuReason why there is no GPU where one may be expected (see {@link MissingGpu}), or {@code null}
 */
public record SystemInfo(
        String javaVersion,
        String javaVendor,
        String djlVersion,
        String engineName,
        String engineVersion,
        boolean cudaBuild,
        Device defaultDevice,
        int gpuCount,
        String missingGpuReason) {

    /**
     * Loads DJL's default engine and describes it.
     *
     * @return the description of this machine as DJL sees it
     */
    public static SystemInfo collect() {
        Engine engine = Engine.getInstance();
        boolean cudaBuild = "PyTorch".equals(engine.getEngineName())
                && Files.isRegularFile(Path.of(LibUtils.getLibtorchPath(), "libtorch_cuda.so"));
        int gpuCount = engine.getGpuCount();
        return new SystemInfo(
                Runtime.version().toString(),
                System.getProperty("java.vendor"),
                Engine.getDjlVersion(),
                engine.getEngineName(),
                engine.getVersion(),
                cudaBuild,
                engine.defaultDevice(),
                gpuCount,
                gpuCount > 0 ? null : MissingGpu.reason(cudaBuild, System.getenv(), Path.of("/")));
    }

    /**
     * Returns one line for people: the versions, the build and where the cells run, for example
     * {@code Java 17.0.15+6 (Debian) | DJL 0.36.0 | PyTorch 2.7.1 | CPU build: cells run on the CPU}, or
     * {@code ... | CUDA build: cells run on gpu(0) (2 GPUs)}, or
     * {@code ... | CUDA build, no GPU visible: cells run on the CPU (no NVIDIA driver: ...)}. A reason for a
     * missing GPU ends the line in parentheses.
     */
    @Override
    public String toString() {
        String build = cudaBuild ? (gpuCount == 0 ? "CUDA build, no GPU visible" : "CUDA build") : "CPU build";
        String where = defaultDevice.isGpu()
                ? defaultDevice + " (" + gpuCount + (gpuCount == 1 ? " GPU)" : " GPUs)")
                : "the CPU";
        return String.format("Java %s (%s) | DJL %s | %s %s | %s: cells run on %s%s", javaVersion, javaVendor,
                djlVersion, engineName, engineVersion, build, where,
                missingGpuReason == null ? "" : " (" + missingGpuReason + ")");
    }
}
