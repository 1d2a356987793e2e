package dev.loupe.augment.image;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static dev.loupe.augment.image.TestImages.samples;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OperationsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static Map<?, ?> json(String text) throws Exception {
        return JSON.readValue(text, Map.class);
    }

    private static InvalidOperationException invalid(String text) {
        return assertThrows(InvalidOperationException.class, () -> Operations.parse(json(text)));
    }

    @Test
    void parsesTheJsonFormIntoTheRecord() throws Exception {
        assertEquals(new Rotate(10), Operations.parse(json("{\"op\":\"rotate\",\"params\":{\"degrees\":10}}")));
        assertEquals(new MirrorLr(), Operations.parse(json("{\"op\":\"mirror-lr\"}")));
        assertEquals(new Zoom(1.5), Operations.parse(json("{\"op\":\"scale\",\"params\":{\"factor\":1.5}}")));
        assertEquals(new Crop(1, 2, 3, 4), Operations.parse(json("{\"op\":\"crop\",\"params\":{\"x\":1,\"y\":2,\"width\":3,\"height\":4}}")));
        assertEquals(new GaussianNoise(8), Operations.parse(json("{\"op\":\"noise\",\"params\":{\"type\":\"gaussian\",\"sigma\":8}}")));
        assertEquals(new SaltAndPepperNoise(0.02), Operations.parse(json("{\"op\":\"noise\",\"params\":{\"type\":\"salt-and-pepper\",\"amount\":0.02}}")));
        assertEquals(new Erase(new Rect(1, 1, 2, 2)),
                Operations.parse(json("{\"op\":\"erase\",\"params\":{\"rects\":[{\"x\":1,\"y\":1,\"width\":2,\"height\":2}]}}")));
    }

    @Test
    void everyOperationRoundTripsThroughItsMapFormAndJson() throws Exception {
        Mask mask = Mask.of(TestImages.gray(6, 4, (x, y) -> x == y ? 255 : 0));
        List<Operation> all = List.of(new MirrorLr(), new MirrorTb(), new Rotate(-12.5), new Zoom(0.8), new Crop(0, 1, 2, 3),
                new Translate(3, -4.5), new Blur(1.2), new GaussianNoise(4), new SaltAndPepperNoise(0.1),
                new Erase(new Rect(0, 0, 1, 1), new Rect(2, 2, 3, 3)), new EraseMask(mask), new Resize(64, 32));
        for (Operation op : all) {
            assertEquals(op, Operations.parse(op.toMap()), op.toString());
            String text = JSON.writeValueAsString(op.toMap());
            assertEquals(op, Operations.parse(json(text)), text);
        }
        assertEquals("{\"op\":\"rotate\",\"params\":{\"degrees\":-12.5}}", JSON.writeValueAsString(new Rotate(-12.5).toMap()));
    }

    @Test
    void parseValidatesLikeTheConstructorNamingTheParameter() {
        var e = invalid("{\"op\":\"blur\",\"params\":{\"radius\":-1}}");
        assertEquals("radius", e.parameter());
        assertEquals("radius: must be >= 0, was -1.0", e.getMessage());
        assertEquals("degrees", invalid("{\"op\":\"rotate\",\"params\":{}}").parameter());
        assertEquals("degrees", invalid("{\"op\":\"rotate\",\"params\":{\"degrees\":\"ten\"}}").parameter());
        assertEquals("x", invalid("{\"op\":\"crop\",\"params\":{\"x\":1.5,\"y\":0,\"width\":1,\"height\":1}}").parameter());
        assertEquals("type", invalid("{\"op\":\"noise\",\"params\":{\"type\":\"pink\",\"sigma\":1}}").parameter());
        assertEquals("rects[0].height", invalid("{\"op\":\"erase\",\"params\":{\"rects\":[{\"x\":0,\"y\":0,\"width\":1,\"height\":0}]}}").parameter());
        assertEquals("rects", invalid("{\"op\":\"erase\",\"params\":{}}").parameter());
        assertEquals("mask", invalid("{\"op\":\"erase\",\"params\":{\"mask\":\"not base64!\"}}").parameter());
    }

    @Test
    void nanAngleFromAMapIsInvalidNamingDegrees() {
        var e = assertThrows(InvalidOperationException.class,
                () -> Operations.parse(Map.of("op", "rotate", "params", Map.of("degrees", Double.NaN))));
        assertEquals("degrees", e.parameter());
    }

    @Test
    void unknownOperationsAndParametersAreRejectedByName() {
        var unknown = invalid("{\"op\":\"sharpen\"}");
        assertEquals("op", unknown.parameter());
        assertTrue(unknown.getMessage().contains("rotate"), "lists the known operations: " + unknown.getMessage());
        assertEquals("degree", invalid("{\"op\":\"rotate\",\"params\":{\"degree\":10}}").parameter());
        assertEquals("degrees", invalid("{\"op\":\"mirror-lr\",\"params\":{\"degrees\":10}}").parameter());
        assertEquals("op", invalid("{\"params\":{}}").parameter());
        assertEquals("params", invalid("{\"op\":\"rotate\",\"params\":[10]}").parameter());
        assertEquals("seed", invalid("{\"op\":\"rotate\",\"seed\":1,\"params\":{\"degrees\":1}}").parameter());
    }

    @Test
    void aChainNamesTheFailingPosition() throws Exception {
        List<?> ops = JSON.readValue("[{\"op\":\"mirror-lr\"},{\"op\":\"blur\",\"params\":{\"radius\":-2}}]", List.class);
        var e = assertThrows(InvalidOperationException.class, () -> Operations.parseAll(ops));
        assertEquals("ops[1].radius", e.parameter());
        assertEquals("must be >= 0, was -2.0", e.reason());
    }

    @Test
    void aChainAppliesInOrder() {
        BufferedImage in = TestImages.noiseGray(12, 12, 4);
        List<Operation> chain = Operations.parseAll(List.of(Map.of("op", "mirror-lr"), Map.of("op", "rotate",
                "params", Map.of("degrees", 90)), Map.of("op", "mirror-lr"), Map.of("op", "rotate", "params", Map.of("degrees", 90))));
        // mirror, quarter turn, mirror = quarter turn the other way; then a quarter turn back.
        assertArrayEquals(samples(in), samples(Operations.applyAll(chain, in, new SplittableRandom(1))));
        assertInstanceOf(MirrorLr.class, chain.get(0));
    }
}
