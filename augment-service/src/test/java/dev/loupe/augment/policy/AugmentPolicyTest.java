package dev.loupe.augment.policy;

import dev.loupe.augment.image.Blur;
import dev.loupe.augment.image.Crop;
import dev.loupe.augment.image.Erase;
import dev.loupe.augment.image.GaussianNoise;
import dev.loupe.augment.image.InvalidOperationException;
import dev.loupe.augment.image.MirrorLr;
import dev.loupe.augment.image.MirrorTb;
import dev.loupe.augment.image.Operation;
import dev.loupe.augment.image.Rect;
import dev.loupe.augment.image.Resize;
import dev.loupe.augment.image.Rotate;
import dev.loupe.augment.image.Translate;
import dev.loupe.augment.image.Zoom;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AugmentPolicyTest {

    private static final List<String> ROMAN = List.of("i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x");

    private final AugmentPolicy roman = AugmentPolicy.defaultRoman();

    @Test
    void theDefaultTableCoversTheTenNumerals() {
        assertEquals("roman-i-x", roman.name());
        assertEquals(Set.copyOf(ROMAN), roman.classes());
        assertEquals(15, roman.smallRotationDegrees());
    }

    @Test
    void mirrorLeftRightSwapsIvAndVi() {
        assertEquals("vi", roman.resultLabel("iv", List.of(new MirrorLr())));
        assertEquals("iv", roman.resultLabel("vi", List.of(new MirrorLr())));
    }

    @Test
    void mirrorLeftRightKeepsTheSymmetricNumerals() {
        for (String cls : List.of("i", "ii", "iii", "v", "x")) {
            assertEquals(cls, roman.resultLabel(cls, List.of(new MirrorLr())), cls);
        }
    }

    @Test
    void mirrorLeftRightOfViiIsRefusedNamingTheOperationAndClass() {
        var e = assertThrows(ForbiddenOperationException.class, () -> roman.resultLabel("vii", List.of(new MirrorLr())));
        assertEquals("mirror-lr", e.op());
        assertEquals("vii", e.label());
        assertEquals(0, e.step());
        assertEquals("mirror-lr is forbidden for class \"vii\": mirrored it reads IIV, which is not a numeral; "
                + "give an explicit result label to override", e.getMessage());
    }

    @Test
    void mirrorLeftRightOfIxIsRefusedBecauseXiIsNotAClass() {
        var e = assertThrows(ForbiddenOperationException.class, () -> roman.resultLabel("ix", List.of(new MirrorLr())));
        assertTrue(e.getMessage().contains("XI"), e.getMessage());
    }

    @Test
    void anExplicitResultLabelOverridesTheTable() {
        assertEquals("iiv-like", roman.resultLabel("vii", List.of(new MirrorLr()), "iiv-like"));
        assertEquals("iv", roman.resultLabel("iv", List.of(new MirrorLr()), "iv"));
        assertEquals("vi", roman.resultLabel("iv", List.of(new MirrorLr()), null), "null means: use the table");
        assertEquals("resultLabel", assertThrows(InvalidOperationException.class,
                () -> roman.resultLabel("iv", List.of(new MirrorLr()), " ")).parameter());
    }

    @Test
    void mirrorTopBottomKeepsNumeralsWithoutAVAndForbidsTheOthers() {
        for (String cls : List.of("i", "ii", "iii", "ix", "x")) {
            assertEquals(cls, roman.resultLabel(cls, List.of(new MirrorTb())), cls);
        }
        for (String cls : List.of("iv", "v", "vi", "vii", "viii")) {
            var e = assertThrows(ForbiddenOperationException.class, () -> roman.resultLabel(cls, List.of(new MirrorTb())));
            assertTrue(e.getMessage().contains("caret"), e.getMessage());
        }
    }

    @Test
    void eachStepReadsTheLabelThePreviousStepProduced() {
        assertEquals("iv", roman.resultLabel("iv", List.of(new MirrorLr(), new Blur(1), new MirrorLr())));
        // iv -> vi, then mirror-tb meets a vi: refused at step 2 of 2 for class vi, not iv.
        var e = assertThrows(ForbiddenOperationException.class,
                () -> roman.resultLabel("iv", List.of(new MirrorLr(), new MirrorTb())));
        assertEquals("vi", e.label());
        assertEquals(1, e.step());
        assertTrue(e.getMessage().contains("(operation 2 of 2)"), e.getMessage());
    }

    @Test
    void labelSafeOperationsKeepEveryClass() {
        List<Operation> safe = List.of(new Rotate(15), new Rotate(-15), new Zoom(1.2), new Crop(0, 0, 5, 5),
                new Translate(3, 1), new Blur(2), new GaussianNoise(5), new Erase(new Rect(0, 0, 1, 1)), new Resize(28, 28));
        for (String cls : ROMAN) assertEquals(cls, roman.resultLabel(cls, safe), cls);
    }

    @Test
    void rotationsBeyondTheSmallLimitAreForbiddenExceptHalfTurnsOfSymmetricNumerals() {
        assertEquals("rotate-large", assertThrows(ForbiddenOperationException.class,
                () -> roman.resultLabel("i", List.of(new Rotate(16)))).op());
        assertEquals("rotate-large", assertThrows(ForbiddenOperationException.class,
                () -> roman.resultLabel("x", List.of(new Rotate(-90)))).op());
        assertEquals("x", roman.resultLabel("x", List.of(new Rotate(180))));
        assertEquals("iii", roman.resultLabel("iii", List.of(new Rotate(-170))));
        assertEquals("rotate-180", assertThrows(ForbiddenOperationException.class,
                () -> roman.resultLabel("iv", List.of(new Rotate(180)))).op());
        assertEquals("rotate", roman.ruleKey(new Rotate(375)), "375 degrees is a 15 degree tilt");
    }

    @Test
    void unknownClassesKeepLabelSafeOperationsAndRefuseMirrors() {
        assertEquals("xii", roman.resultLabel("xii", List.of(new Blur(1), new Rotate(5))));
        assertThrows(ForbiddenOperationException.class, () -> roman.resultLabel("xii", List.of(new MirrorLr())));
        assertThrows(ForbiddenOperationException.class, () -> roman.resultLabel("xii", List.of(new MirrorTb())));
    }

    @Test
    void everyMirrorMappingInTheTableIsUndoneByMirroringAgain() {
        for (String cls : ROMAN) {
            if (roman.rule(cls, new MirrorLr()) instanceof LabelRule.Forbidden) continue;
            String mirrored = roman.resultLabel(cls, List.of(new MirrorLr()));
            assertEquals(cls, roman.resultLabel(mirrored, List.of(new MirrorLr())), cls + " -> " + mirrored);
        }
    }

    @Test
    void anOperationNobodyListsIsForbidden() {
        AugmentPolicy tiny = AugmentPolicy.fromMap(Map.of("name", "tiny", "classes", Map.of("a", Map.of("blur", "keep"))));
        assertEquals("a", tiny.resultLabel("a", List.of(new Blur(1))));
        var e = assertThrows(ForbiddenOperationException.class, () -> tiny.resultLabel("a", List.of(new Zoom(2))));
        assertTrue(e.getMessage().contains("no rule for zoom"), e.getMessage());
    }

    @Test
    void malformedTablesAreRejectedNamingTheField() {
        var badTarget = assertThrows(InvalidPolicyException.class, () -> AugmentPolicy.fromMap(Map.of("name", "p",
                "classes", Map.of("iv", Map.of("mirror-lr", "map-to: vi")))));
        assertEquals("classes.iv.mirror-lr", badTarget.field());
        var badOp = assertThrows(InvalidPolicyException.class, () -> AugmentPolicy.fromMap(Map.of("name", "p",
                "classes", Map.of("iv", Map.of("mirror", "keep")))));
        assertEquals("classes.iv.mirror", badOp.field());
        var badRule = assertThrows(InvalidPolicyException.class, () -> AugmentPolicy.fromMap(Map.of("name", "p",
                "classes", Map.of("iv", Map.of("blur", "maybe")))));
        assertEquals("classes.iv.blur", badRule.field());
        var duplicate = assertThrows(InvalidPolicyException.class, () -> AugmentPolicy.fromJson(new ByteArrayInputStream(
                "{\"name\":\"p\",\"classes\":{\"a\":{},\"a\":{}}}".getBytes(StandardCharsets.UTF_8))));
        assertEquals("$", duplicate.field());
    }
}
