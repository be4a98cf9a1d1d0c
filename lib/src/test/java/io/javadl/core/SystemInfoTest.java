package io.javadl.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
    void describesItselfOnOneLine() {
        SystemInfo cpuOnly = new SystemInfo("17.0.15+6", "Debian", "0.36.0", "PyTorch", "2.7.1", Device.cpu(), 0, null);
        SystemInfo twoGpus = new SystemInfo("17.0.15+6", "Debian", "0.36.0", "PyTorch", "2.7.1", Device.gpu(), 2, "cu128");

        assertEquals(
                "Java 17.0.15+6 (Debian) | DJL 0.36.0 | PyTorch 2.7.1 | default device: cpu() (no GPU found)",
                cpuOnly.toString());
        assertTrue(twoGpus.toString().endsWith("default device: gpu(0) (2 GPUs)"), twoGpus.toString());
    }

    @Test
    void aCudaFlavorWithoutAGpuIsExplainedOnTheSameLine() {
        SystemInfo cudaWanted = new SystemInfo("17.0.15+6", "Debian", "0.36.0", "PyTorch", "2.7.1", Device.cpu(), 0, "cu128");
        SystemInfo cpuWanted = new SystemInfo("17.0.15+6", "Debian", "0.36.0", "PyTorch", "2.7.1", Device.cpu(), 0, "cpu");

        assertEquals("Java 17.0.15+6 (Debian) | DJL 0.36.0 | PyTorch 2.7.1 | default device: cpu() (no GPU found) | "
                + "PYTORCH_FLAVOR=cu128 asks for CUDA, but there is no GPU or no CUDA build of PyTorch 2.7.1 here: "
                + "cells run on the CPU", cudaWanted.toString());
        assertFalse(cpuWanted.toString().contains("PYTORCH_FLAVOR"), cpuWanted.toString());
    }
}
