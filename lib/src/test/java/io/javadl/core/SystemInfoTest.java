package io.javadl.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.Device;
import org.junit.jupiter.api.Test;

class SystemInfoTest {

    @Test
    void reportsTheVersionsTheBuildDeclares() {
        SystemInfo info = SystemInfo.collect();

        assertEquals(System.getProperty("javadl.expected.djl.version"), info.djlVersion());
        assertEquals("PyTorch", info.engineName());
        assertEquals(System.getProperty("javadl.expected.pytorch.version"), info.engineVersion());
        assertEquals(Runtime.version().toString(), info.javaVersion());
    }

    @Test
    void defaultDeviceIsAGpuExactlyWhenDjlSeesOne() {
        SystemInfo info = SystemInfo.collect();

        assertEquals(info.gpuCount() > 0, info.defaultDevice().isGpu());
    }

    @Test
    void namesTheBuildAndWhereCellsRunOnOneLine() {
        String versions = "Java 17.0.15+6 (Debian) | DJL 0.36.0 | PyTorch 2.7.1 | ";

        assertEquals(versions + "CPU build: cells run on the CPU", info(false, Device.cpu(), 0, null).toString());
        assertEquals(versions + "CUDA build: cells run on gpu(0) (1 GPU)", info(true, Device.gpu(), 1, null)
                .toString());
        assertEquals(versions + "CUDA build: cells run on gpu(0) (2 GPUs)", info(true, Device.gpu(), 2, null)
                .toString());
    }

    @Test
    void aMissingGpuIsExplainedAtTheEndOfTheLine() {
        assertEquals("Java 17.0.15+6 (Debian) | DJL 0.36.0 | PyTorch 2.7.1 | CUDA build, no GPU visible: cells run on "
                + "the CPU (no NVIDIA driver on this machine: /proc/driver/nvidia/version does not exist)",
                info(true, Device.cpu(), 0,
                "no NVIDIA driver on this machine: /proc/driver/nvidia/version does not exist")
                        .toString());
        assertEquals("Java 17.0.15+6 (Debian) | DJL 0.36.0 | PyTorch 2.7.1 | CPU build: cells run on the CPU (why)",
                info(false, Device.cpu(), 0, "why").toString());
    }

    private static SystemInfo info(boolean cudaBuild, Device device, int gpus, String reason) {
        return new SystemInfo("17.0.15+6", "Debian", "0.36.0", "PyTorch", "2.7.1", cudaBuild, device, gpus, reason);
    }
}
