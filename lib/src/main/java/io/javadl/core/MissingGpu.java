package io.javadl.core;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Why DJL sees no GPU where a learner may expect one, in words that say what to do. A GPU is expected when the
 * kernel loaded PyTorch's CUDA build, when {@code PYTORCH_FLAVOR} asks for CUDA, or when the machine has an
 * NVIDIA driver. The checks read what Linux shows of the driver ({@code /proc/driver/nvidia/version}) and of its
 * devices ({@code /dev/nvidiactl}, which a container has only when started with {@code --gpus}).
 */
public final class MissingGpu {

    private MissingGpu() {
    }

    /**
     * Returns the reason, or {@code null} when no GPU is expected.
     *
     * @param cudaBuild whether the loaded PyTorch library is a CUDA build
     * @param environment the process's environment variables ({@code PYTORCH_FLAVOR}, {@code CUDA_VISIBLE_DEVICES})
     * @param root the file system's root, {@code /} except in tests
     * @return one clause without a final period, or {@code null}
     */
    public static String reason(boolean cudaBuild, Map<String, String> environment, Path root) {
        boolean driver = Files.exists(root.resolve("proc/driver/nvidia/version"));
        if (!cudaBuild) {
            String flavor = environment.get("PYTORCH_FLAVOR");
            String wish = flavor != null && flavor.startsWith("cu") ? "PYTORCH_FLAVOR=" + flavor + " asks for CUDA"
                    : driver ? "this machine has an NVIDIA driver" : null;
            return wish == null ? null
                    : wish + ", but this kernel has PyTorch's CPU build: 'make setup TORCH=cuda' sets up the CUDA "
                            + "build";
        }
        String visible = environment.get("CUDA_VISIBLE_DEVICES");
        if (visible != null && (visible.isBlank() || visible.trim().startsWith("-"))) {
            return "CUDA_VISIBLE_DEVICES='" + visible + "' hides every GPU: unset it";
        }
        if (!driver) {
            return "no NVIDIA driver on this machine: /proc/driver/nvidia/version does not exist";
        }
        if (!Files.exists(root.resolve("dev/nvidiactl"))) {
            return "the NVIDIA driver is loaded but /dev/nvidiactl is missing: start the container with '--gpus all'";
        }
        return "the NVIDIA driver is loaded, but CUDA finds no GPU: 'nvidia-smi' says why (this CUDA 12.6 build "
                + "needs driver 525.60 or newer)";
    }
}
