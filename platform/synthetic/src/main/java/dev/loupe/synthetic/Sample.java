package dev.loupe.synthetic;

import java.util.Objects;

/**
 * One generated image plus its ground truth.
 *
 * @param path       zip entry path in ImageFolder layout, e.g. {@code train/iv/syn-42-000123.png};
 *                   the folder is the given label because that is what a labeller would have recorded
 * @param split      {@code train} or {@code val}
 * @param givenLabel the label the dataset claims
 * @param trueLabel  what is actually drawn; {@code null} for {@link SampleKind#JUNK}
 * @param png        encoded 8-bit grayscale PNG
 */
public record Sample(String path, String split, String givenLabel, String trueLabel, SampleKind kind,
                     byte[] png, int width, int height) {

    public Sample {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(split, "split");
        Objects.requireNonNull(givenLabel, "givenLabel");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(png, "png");
        if ((kind == SampleKind.JUNK) != (trueLabel == null)) {
            throw new IllegalArgumentException("trueLabel must be null exactly for JUNK samples: " + path);
        }
    }

    /** File name without folders, e.g. {@code syn-42-000123.png}. */
    public String fileName() {
        return path.substring(path.lastIndexOf('/') + 1);
    }
}
