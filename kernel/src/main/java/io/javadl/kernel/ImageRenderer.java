package io.javadl.kernel;

import io.javadl.board.PlainText;
import java.awt.image.BufferedImage;
import org.dflib.jjava.jupyter.kernel.display.Renderer;
import org.dflib.jjava.jupyter.kernel.display.common.Image;
import org.dflib.jjava.jupyter.kernel.display.mime.MIMEType;

/**
 * Shows a {@link BufferedImage} as JJava does, as a PNG, but with a short {@code text/plain} stand-in
 * ({@link PlainText#describe(BufferedImage)}: {@code <image 274x274>}) instead of the image's {@code toString()},
 * a line of colour-model internals.
 */
final class ImageRenderer {

    private ImageRenderer() {}

    /** Registers the rendering with a kernel's renderer; it takes precedence over JJava's for BufferedImage. */
    static void register(Renderer renderer) {
        renderer.createRegistration(BufferedImage.class)
                .preferring(MIMEType.IMAGE_PNG)
                .register((image, context) -> {
                    Image.renderImage(image, context);
                    context.getOutputContainer().putText(PlainText.describe(image));
                });
    }
}
