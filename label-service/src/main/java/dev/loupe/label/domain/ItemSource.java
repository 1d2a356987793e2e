package dev.loupe.label.domain;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** Where an item's image came from. */
public enum ItemSource {
    ORIGINAL, AUGMENTED, SYNTHETIC;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<ItemSource> parse(String value) {
        return Arrays.stream(values()).filter(s -> s.wireName().equals(value)).findFirst();
    }
}
