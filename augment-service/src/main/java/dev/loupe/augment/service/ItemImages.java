package dev.loupe.augment.service;

import dev.loupe.augment.image.Png;
import dev.loupe.common.rest.ProblemException;
import dev.loupe.label.api.ItemView;

import java.awt.image.BufferedImage;

/** Decodes an item's image for a request about that item: one the augment service cannot decode is a 422 naming {@code itemId}. */
final class ItemImages {

    private ItemImages() {
    }

    static BufferedImage decode(ItemView item, byte[] bytes) {
        try {
            return Png.decode(bytes);
        } catch (Png.UnreadableImageException e) {
            throw ProblemException.unprocessable("itemId", "the image of item " + item.id() + " cannot be used: " + e.getMessage());
        }
    }
}
