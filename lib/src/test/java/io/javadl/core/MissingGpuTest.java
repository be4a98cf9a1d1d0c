package io.javadl.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MissingGpuTest {

    private static final String SETUP =
            "this kernel has PyTorch's CPU build: 'make setup TORCH=cuda' sets up the CUDA build";

    @TempDir
    Path root;

    @Test
    void theCpuBuildExpectsNoGpuUnlessAskedOrADriverIsThere() throws IOException {
        assertNull(MissingGpu.reason(false, Map.of(), root));
        assertNull(MissingGpu.reason(false, Map.of("PYTORCH_FLAVOR", "cpu"), root));
        assertEquals("PYTORCH_FLAVOR=cu128 asks for CUDA, but " + SETUP,
                MissingGpu.reason(false, Map.of("PYTORCH_FLAVOR", "cu128"), root));

        driver();
        assertEquals("this machine has an NVIDIA driver, but " + SETUP, MissingGpu.reason(false, Map.of(), root));
    }

    @Test
    void theCudaBuildWithoutADriverSaysSo() {
        assertEquals("no NVIDIA driver on this machine: /proc/driver/nvidia/version does not exist",
                MissingGpu.reason(true, Map.of(), root));
    }

    @Test
    void aDriverWithoutDevicesIsAContainerStartedWithoutGpus() throws IOException {
        driver();

        assertEquals("the NVIDIA driver is loaded but /dev/nvidiactl is missing: start the container with '--gpus all'",
                MissingGpu.reason(true, Map.of(), root));
    }

    @Test
    void aDriverWithDevicesPointsToNvidiaSmi() throws IOException {
        driver();
        Files.createDirectories(root.resolve("dev"));
        Files.createFile(root.resolve("dev/nvidiactl"));

        assertEquals("the NVIDIA driver is loaded, but CUDA finds no GPU: 'nvidia-smi' says why (this CUDA 12.6 build "
                + "needs driver 525.60 or newer)", MissingGpu.reason(true, Map.of(), root));
    }

    @Test
    void hiddenDevicesAreNamedFirst() throws IOException {
        driver();

        assertEquals("CUDA_VISIBLE_DEVICES='' hides every GPU: unset it",
                MissingGpu.reason(true, Map.of("CUDA_VISIBLE_DEVICES", ""), root));
        assertEquals("CUDA_VISIBLE_DEVICES='-1' hides every GPU: unset it",
                MissingGpu.reason(true, Map.of("CUDA_VISIBLE_DEVICES", "-1"), root));
    }

    private void driver() throws IOException {
        Files.createDirectories(root.resolve("proc/driver/nvidia"));
        Files.writeString(root.resolve("proc/driver/nvidia/version"),
                "NVRM version: NVIDIA UNIX x86_64 Kernel Module  560.35.03\n");
    }
}
