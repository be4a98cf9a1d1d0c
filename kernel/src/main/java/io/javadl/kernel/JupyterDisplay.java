package io.javadl.kernel;

import io.javadl.board.Display;
import java.util.UUID;
import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.dflib.jjava.jupyter.kernel.DisplayStream;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;

/**
 * The course library's {@link Display} in a JJava kernel: renders a value with the kernel's renderers (so a
 * chart becomes a PNG, as when a cell ends in it) and publishes it as {@code display_data} of the running cell,
 * or replaces an earlier one with {@code update_display_data}. When no cell runs it does nothing.
 */
final class JupyterDisplay implements Display {

    /** The transient key Jupyter matches display updates by. */
    private static final String DISPLAY_ID = "display_id";

    private final BaseKernel kernel;

    JupyterDisplay(BaseKernel kernel) {
        this.kernel = kernel;
    }

    @Override
    public String show(Object value) {
        DisplayStream stream = kernel.getIO().display;
        if (!stream.isAttached()) {
            return null;
        }
        String id = UUID.randomUUID().toString();
        DisplayData data = kernel.getRenderer().render(value);
        data.putTransientData(DISPLAY_ID, id);
        stream.display(data);
        return id;
    }

    @Override
    public void update(String id, Object value) {
        DisplayStream stream = kernel.getIO().display;
        if (id != null && stream.isAttached()) {
            stream.updateDisplay(id, kernel.getRenderer().render(value));
        }
    }
}
