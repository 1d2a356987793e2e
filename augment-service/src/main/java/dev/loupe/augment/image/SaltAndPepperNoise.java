package dev.loupe.augment.image;

import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * Replaces a share {@code amount} of the pixels, chosen at random, by black or white (even odds, all channels).
 * Map form: {@code {"op":"noise","params":{"type":"salt-and-pepper","amount":0.02}}}.
 */
public record SaltAndPepperNoise(double amount) implements Operation {

    public static final String NAME = "noise";
    public static final String TYPE = "salt-and-pepper";

    private static final int[] BLACK = {0, 0, 0}, WHITE = {255, 255, 255};

    public SaltAndPepperNoise {
        if (!Double.isFinite(amount) || amount < 0 || amount > 1) {
            throw new InvalidOperationException("amount", "must be between 0 and 1, was " + amount);
        }
    }

    @Override
    public String op() {
        return NAME;
    }

    @Override
    public Map<String, Object> params() {
        return Params.ordered("type", TYPE, "amount", amount);
    }

    @Override
    public Pixels apply(Pixels image, RandomGenerator random) {
        Pixels out = image.copy();
        for (int y = 0; y < image.height(); y++) {
            for (int x = 0; x < image.width(); x++) {
                if (random.nextDouble() < amount) out.setPixel(x, y, random.nextBoolean() ? WHITE : BLACK);
            }
        }
        return out;
    }
}
