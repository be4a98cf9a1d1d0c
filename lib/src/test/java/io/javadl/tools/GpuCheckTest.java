package io.javadl.tools;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.dataset.ArrayDataset;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The GPU check's own code, run with the CPU as "the device" (these machines have no GPU; make gpu-check does). */
class GpuCheckTest {

    @Test
    void runsEveryCheckAndReportsTheDeviceBesideTheCpu() {
        ByteArrayOutputStream report = new ByteArrayOutputStream();
        try (NDManager manager = NDManager.newBaseManager();
                PrintStream out = new PrintStream(report, true, StandardCharsets.UTF_8)) {
            ArrayDataset images = new ArrayDataset.Builder()
                    .setData(manager.randomUniform(0, 1, new Shape(130, 3, 32, 32)))
                    .optLabels(manager.randomInteger(0, 10, new Shape(130), DataType.INT64))
                    .setSampling(1, false).build();

            assertTrue(GpuCheck.run(Device.cpu(), images, out), report.toString(StandardCharsets.UTF_8));
        }
        String text = report.toString(StandardCharsets.UTF_8);
        assertTrue(text.startsWith("device: cpu()\n"), text);
        assertTrue(text.matches("(?s).*convolution \\(64, 3, 32, 32\\) \\* \\(32, 3, 5, 5\\), padding 2: "
                + "largest difference from the CPU 0\\.00e\\+00 of values up to \\d+\\.\\d\\d: OK\n.*"), text);
        assertTrue(text.matches("(?s).*a training step of the course CNN on cpu\\(\\): loss \\d\\.\\d{4}: OK\n.*"),
                text);
        assertTrue(text.matches("(?s).*one epoch of 09 \\(130 images, batches of 64\\):\n"
                + "  cpu\\(\\)    loss \\d\\.\\d{4}, accuracy .*, 130 images in .*\n"
                + "  cpu\\(\\)    loss \\d\\.\\d{4}, accuracy .*, 130 images in .*\n"
                + "  cpu\\(\\) trains \\d+\\.\\dx as many images a second as the CPU\n"), text);
    }
}
