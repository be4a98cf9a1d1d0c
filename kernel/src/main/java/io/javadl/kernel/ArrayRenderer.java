package io.javadl.kernel;

import ai.djl.ndarray.NDArray;
import io.javadl.board.PlainText;
import io.javadl.core.TensorFormat;
import org.dflib.jjava.jupyter.kernel.display.Renderer;
import org.dflib.jjava.jupyter.kernel.display.mime.MIMEType;

/**
 * Shows an {@link NDArray} that a cell ends with as PyTorch shows a tensor ({@link TensorFormat}), instead of
 * DJL's {@code toString()}, which gives up on arrays of more than 1000 elements with a flat list.
 */
final class ArrayRenderer {

    private ArrayRenderer() {}

    /** Registers the rendering with a kernel's renderer. */
    static void register(Renderer renderer) {
        renderer.createRegistration(NDArray.class)
                .preferring(MIMEType.TEXT_PLAIN)
                .register((array, context) -> context.getOutputContainer().putText(PlainText.of(array)));
    }
}
