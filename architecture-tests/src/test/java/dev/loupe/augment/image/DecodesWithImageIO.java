package dev.loupe.augment.image;

import javax.imageio.ImageIO;
import javax.imageio.stream.ImageInputStream;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;

/** Fixture for RulesCatchViolationsTest: a service decoding images with ImageIO instead of SafeImageReader. */
public class DecodesWithImageIO {

    public BufferedImage decode(byte[] png) throws IOException {
        return ImageIO.read(new ByteArrayInputStream(png));
    }

    public String format(ImageInputStream in) {
        return ImageIO.getImageReaders(in).next().getOriginatingProvider().getFormatNames()[0];
    }

    public byte[] encode(BufferedImage image) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }
}
