package io.javadl.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.util.Base64;
import javax.imageio.ImageIO;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.display.Renderer;
import org.dflib.jjava.jupyter.kernel.display.common.Image;
import org.dflib.jjava.jupyter.kernel.display.mime.MIMEType;
import org.junit.jupiter.api.Test;

class ImageRendererTest {

    @Test
    void rendersAPngWithAShortTextStandIn() throws Exception {
        Renderer renderer = new Renderer();
        Image.registerAll(renderer); // JJava's own, as in the kernel
        ImageRenderer.register(renderer);
        BufferedImage image = new BufferedImage(274, 138, BufferedImage.TYPE_INT_RGB);
        image.setRGB(5, 7, 0x336699);

        DisplayData shown = renderer.render(image);

        assertEquals("<image 274x138>", shown.getData(MIMEType.TEXT_PLAIN));
        BufferedImage png = ImageIO.read(new ByteArrayInputStream(Base64.getDecoder()
                .decode((String) shown.getData(MIMEType.IMAGE_PNG))));
        assertEquals(274, png.getWidth());
        assertEquals(0x336699, png.getRGB(5, 7) & 0xffffff);
    }
}
