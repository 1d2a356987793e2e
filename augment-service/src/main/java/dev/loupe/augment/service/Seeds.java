package dev.loupe.augment.service;

import dev.loupe.augment.image.Operation;
import dev.loupe.augment.image.Operations;
import dev.loupe.augment.image.ParamRanges;

import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;

/** Derives independent seeds from a job seed, so each image is reproducible on its own whatever the run order. */
public final class Seeds {

    private Seeds() {
    }

    /** The seed of copy {@code copy} of item {@code item} in a job with seed {@code jobSeed}. */
    public static long of(long jobSeed, UUID item, int copy) {
        long h = mix(jobSeed ^ 0x9E3779B97F4A7C15L);
        h = mix(h ^ item.getMostSignificantBits());
        h = mix(h ^ item.getLeastSignificantBits());
        return mix(h ^ copy);
    }

    /** The seed of the {@code n}-th composite of a recipe job. */
    public static long of(long jobSeed, int n) {
        return mix(mix(jobSeed ^ 0xD1B54A32D192ED03L) ^ n);
    }

    /**
     * The concrete chain of one image: ranges drawn from a stream derived from the image's seed (not the seed's own
     * stream, which the operations themselves use, so provenance's concrete chain plus seed reproduces the image).
     */
    public static List<Operation> concreteOps(List<?> opMaps, long seed) {
        return Operations.parseAll(ParamRanges.sample(opMaps, new SplittableRandom(mix(seed ^ 0x5851F42D4C957F2DL))));
    }

    /** SplitMix64's finaliser. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
