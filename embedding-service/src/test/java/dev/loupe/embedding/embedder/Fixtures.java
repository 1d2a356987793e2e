package dev.loupe.embedding.embedder;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;

/** Access to the committed fixtures made by {@code src/test/python/make_fixtures.py} and {@code make_tiny_models.py}. */
final class Fixtures {

    static final List<String> IMAGES = List.of("rgb_noise_97x61", "rgba_shapes_80x120", "gray_gradient_200x150",
            "la_shapes_50x70", "palette_trns_45x33", "gray16_90x90", "bilevel_129x64", "exact_rgb_64x64",
            "tiny_rgb_5x3", "large_scene_523x389");

    private Fixtures() {
    }

    static byte[] png(String name) {
        return bytes("/embedder/fixtures/" + name + ".png");
    }

    /** PIL's 64x64 gray result for a fixture, row-major. */
    static byte[] expectedGray64(String name) {
        String text = new String(bytes("/embedder/fixtures/" + name + ".gray64.txt"), StandardCharsets.US_ASCII);
        return HexFormat.of().parseHex(text.replace("\n", ""));
    }

    static Path model(String fileName) {
        try {
            return Path.of(Fixtures.class.getResource("/embedder/models/" + fileName).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] bytes(String resource) {
        try (InputStream in = Fixtures.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + resource);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
