package dev.loupe.augment.image;

import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * Paints the pixels a mask selects with the background colour. The mask must have the image's size (checked on
 * apply). Map form: {@code {"op":"erase","params":{"mask":"<base64 PNG>"}}}.
 */
public record EraseMask(Mask mask) implements Operation {

    public static final String NAME = "erase";

    public EraseMask {
        if (mask == null) throw new InvalidOperationException("mask", "is required");
    }

    @Override
    public String op() {
        return NAME;
    }

    @Override
    public Map<String, Object> params() {
        return Params.ordered("mask", mask.toBase64Png());
    }

    @Override
    public Pixels apply(Pixels image, RandomGenerator random) {
        if (mask.width() != image.width() || mask.height() != image.height()) {
            throw new InvalidOperationException("mask", "is " + mask.width() + "x" + mask.height()
                    + " but the image is " + image.width() + "x" + image.height());
        }
        int[] background = image.background();
        Pixels out = image.copy();
        for (int y = 0; y < image.height(); y++) {
            for (int x = 0; x < image.width(); x++) {
                if (mask.selects(x, y)) out.setPixel(x, y, background);
            }
        }
        return out;
    }
}
