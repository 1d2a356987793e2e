package dev.loupe.augment.image;

import java.awt.image.BufferedImage;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * One image operation with validated parameters. Implementations are immutable records; constructing one with an
 * invalid parameter throws {@link InvalidOperationException}. Parameters that depend on the image (a crop box that
 * must lie inside it, a mask of its size) are checked by {@link #apply} and fail the same way.
 *
 * <p>Every operation is a pure function of the image and the random stream: the same image and the same seed give
 * byte-identical output. Only the noise operations draw from the stream.
 */
public sealed interface Operation
        permits MirrorLr, MirrorTb, Rotate, Zoom, Crop, Translate, Blur, GaussianNoise, SaltAndPepperNoise,
                Erase, EraseMask, Resize {

    /** The operation's name in the map form and in label policies, e.g. {@code rotate}. */
    String op();

    /** The parameters as they appear in the map form (insertion-ordered). */
    Map<String, Object> params();

    /** Applies the operation to pixels; the input is not modified. */
    Pixels apply(Pixels image, RandomGenerator random);

    /** Applies the operation to a decoded image: 8-bit gray stays TYPE_BYTE_GRAY, anything else comes back RGB. */
    default BufferedImage apply(BufferedImage image, RandomGenerator random) {
        return apply(Pixels.of(image), random).toImage();
    }

    /** {@code {"op": "...", "params": {...}}}: the form {@link Operations#parse} reads, for provenance. */
    default Map<String, Object> toMap() {
        return Params.ordered("op", op(), "params", params());
    }
}
