package dev.loupe.augment.image;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ParamRangesTest {

    private static final List<Map<String, Object>> RANGED = List.of(
            Map.of("op", "rotate", "params", Map.of("degrees", List.of(-10, 10))),
            Map.of("op", "crop", "params", Map.of("x", List.of(0, 4), "y", 0, "width", 20, "height", 20)),
            Map.of("op", "erase", "params", Map.of("rects", List.of(Map.of("x", 1, "y", 1, "width", 2, "height", 2)))));

    @Test
    void aSampleDrawsEachRangeWithinItsBoundsAndWholeNumbersForPixels() {
        SplittableRandom random = new SplittableRandom(1);
        for (int i = 0; i < 200; i++) {
            List<Operation> ops = Operations.parseAll(ParamRanges.sample(RANGED, random));
            double degrees = ((Rotate) ops.get(0)).degrees();
            assertTrue(degrees >= -10 && degrees <= 10, String.valueOf(degrees));
            int x = ((Crop) ops.get(1)).box().x();
            assertTrue(x >= 0 && x <= 4, String.valueOf(x));
            assertEquals(1, ((Erase) ops.get(2)).rects().size(), "lists of objects are not ranges");
        }
    }

    @Test
    void theSameSeedDrawsTheSameChainAndTheEndsAreTheBounds() {
        assertEquals(ParamRanges.sample(RANGED, new SplittableRandom(9)), ParamRanges.sample(RANGED, new SplittableRandom(9)));
        assertEquals(-10.0, ((Rotate) Operations.parseAll(ParamRanges.at(RANGED, 0)).get(0)).degrees());
        assertEquals(10.0, ((Rotate) Operations.parseAll(ParamRanges.at(RANGED, 1)).get(0)).degrees());
        assertEquals(4, ((Crop) Operations.parseAll(ParamRanges.at(RANGED, 1)).get(1)).box().x());
        assertTrue(ParamRanges.hasRanges(RANGED));
        assertFalse(ParamRanges.hasRanges(List.of(Map.of("op", "rotate", "params", Map.of("degrees", 3)))));
        assertEquals(1, ParamRanges.checkPositions(List.of(Map.of("op", "mirror-lr"))).length);
        assertEquals(ParamRanges.CHECK_POINTS + 2, ParamRanges.checkPositions(RANGED).length);
    }

    @Test
    void badRangesNameTheParameter() {
        assertEquals("ops[0].degrees", assertThrows(InvalidOperationException.class, () -> ParamRanges.at(
                List.of(Map.of("op", "rotate", "params", Map.of("degrees", List.of(5, 1)))), 0)).parameter());
        assertEquals("ops[0].degrees", assertThrows(InvalidOperationException.class, () -> ParamRanges.at(
                List.of(Map.of("op", "rotate", "params", Map.of("degrees", List.of(1, 2, 3)))), 0)).parameter());
        assertEquals("ops[0].x", assertThrows(InvalidOperationException.class, () -> ParamRanges.at(
                List.of(Map.of("op", "crop", "params", Map.of("x", List.of(0.5, 2), "y", 0, "width", 1, "height", 1))), 0)).parameter());
    }

    @Test
    void checkFitsFollowsTheImageSizeThroughTheChain() {
        List<Operation> ops = Operations.parseAll(List.of(
                Map.of("op", "resize", "params", Map.of("width", 50, "height", 40)),
                Map.of("op", "crop", "params", Map.of("x", 10, "y", 10, "width", 30, "height", 30)),
                Map.of("op", "erase", "params", Map.of("rects", List.of(Map.of("x", 25, "y", 0, "width", 5, "height", 5))))));
        assertEquals(List.of(30, 30), java.util.Arrays.stream(Operations.checkFits(ops, 200, 100)).boxed().toList());
        List<Operation> tooWide = Operations.parseAll(List.of(
                Map.of("op", "crop", "params", Map.of("x", 0, "y", 0, "width", 10, "height", 10)),
                Map.of("op", "erase", "params", Map.of("rects", List.of(Map.of("x", 8, "y", 0, "width", 5, "height", 5))))));
        assertEquals("ops[1].rects[0].width", assertThrows(InvalidOperationException.class,
                () -> Operations.checkFits(tooWide, 100, 100)).parameter());
    }
}
