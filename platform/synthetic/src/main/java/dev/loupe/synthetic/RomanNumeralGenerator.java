package dev.loupe.synthetic;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import java.util.stream.IntStream;

/**
 * Generates a labelled, deliberately imperfect dataset of handwritten-looking Roman numerals.
 *
 * <p>Every class folder gets exactly {@code perClass} images (train + val), counting the planted
 * mislabels and junk, so the folder counts look like any other ImageFolder dataset and the noise has
 * to be found rather than counted. Each image is drawn from its own random stream seeded by
 * (seed, index); generation order and parallelism therefore cannot change a single byte.
 */
public final class RomanNumeralGenerator {

    /**
     * Which numerals a careless labeller mixes up with which: off-by-one strokes, mirrored order and
     * the two-stroke shapes v/x. The key is the given (wrong) label, the values the true content.
     */
    private static final Map<String, List<String>> CONFUSIONS = Map.of(
            "i", List.of("ii"),
            "ii", List.of("i", "iii"),
            "iii", List.of("ii", "viii"),
            "iv", List.of("vi", "v", "iii"),
            "v", List.of("x", "iv", "vi"),
            "vi", List.of("iv", "vii", "v"),
            "vii", List.of("viii", "vi"),
            "viii", List.of("vii", "iii"),
            "ix", List.of("x", "iv", "xi"),
            "x", List.of("ix", "v"));

    private static final long GOLDEN = 0x9E3779B97F4A7C15L;

    private final SyntheticSpec spec;

    public RomanNumeralGenerator(SyntheticSpec spec) {
        this.spec = Objects.requireNonNull(spec, "spec");
    }

    public SyntheticSpec spec() {
        return spec;
    }

    /** All samples, ordered by class (given label) then index. Uses all cores; output is still deterministic. */
    public List<Sample> generate() {
        Plan plan = plan();
        return IntStream.range(0, spec.total()).parallel().mapToObj(i -> sample(i, plan)).toList();
    }

    /**
     * Draws one readable numeral, with the size, stroke and dirt variation of a CLEAN sample.
     *
     * @return 8-bit gray image with only the values 0, 64 and 255
     */
    public BufferedImage render(String numeral, RandomGenerator rnd) {
        Objects.requireNonNull(numeral, "numeral");
        Objects.requireNonNull(rnd, "rnd");
        if (!numeral.matches("[ivx]+")) {
            throw new IllegalArgumentException("numeral must be lower-case i, v and x only, was '" + numeral + "'");
        }
        Paper paper = Paper.random(rnd);
        int ink = Paper.randomInk(rnd);
        Handwriting writer = new Handwriting(rnd);
        writer.draw(writer.layout(numeral), paper.g, paper.w, paper.h, ink, rnd);
        paper.strayMarks(rnd);
        // Pencil-gray ink is often patchy in the scans; markers are solid.
        double grain = ink >= 45 && rnd.nextDouble() < 0.5 ? 15 + rnd.nextDouble() * 45 : 0;
        return paper.quantise(grain, rnd);
    }

    private Sample sample(int index, Plan plan) {
        RandomGenerator rnd = new SplittableRandom(mix(spec.seed() + GOLDEN * (index + 1L)));
        String given = spec.classes().get(index / spec.perClass());
        SampleKind kind = plan.kinds[index];
        String truth = kind == SampleKind.JUNK ? null : kind == SampleKind.MISLABELED ? plan.truths[index] : given;
        BufferedImage image = truth == null ? Junk.render(rnd) : render(truth, rnd);
        String split = plan.val[index] ? "val" : "train";
        String path = split + "/" + given + "/syn-" + spec.seed() + "-" + String.format("%06d", index) + ".png";
        return new Sample(path, split, given, truth, kind, GrayPng.encode(image), image.getWidth(), image.getHeight());
    }

    /** Which slot is val, mislabeled or junk; decided up front from its own stream so it is order-free. */
    private Plan plan() {
        int total = spec.total(), per = spec.perClass();
        SplittableRandom rnd = new SplittableRandom(mix(spec.seed() ^ 0x5EED_0F_D47AL));

        // Stratified split: the same val share in every class, as a careful dataset author would do.
        boolean[] val = new boolean[total];
        int valPer = spec.valPerClass();
        for (int c = 0; c < spec.classes().size(); c++) {
            int[] order = shuffled(per, rnd);
            for (int k = 0; k < valPer; k++) val[c * per + order[k]] = true;
        }

        SampleKind[] kinds = new SampleKind[total];
        String[] truths = new String[total];
        java.util.Arrays.fill(kinds, SampleKind.CLEAN);
        int[] order = shuffled(total, rnd);
        int mislabeled = spec.mislabeledCount(), junk = spec.junkCount();
        for (int k = 0; k < mislabeled; k++) {
            int i = order[k];
            kinds[i] = SampleKind.MISLABELED;
            List<String> options = confusionsFor(spec.classes().get(i / per));
            truths[i] = options.get(rnd.nextInt(options.size()));
        }
        for (int k = mislabeled; k < mislabeled + junk; k++) {
            kinds[order[k]] = SampleKind.JUNK;
        }
        return new Plan(val, kinds, truths);
    }

    /** Plausible true contents for a wrong given label, restricted to the spec's classes. */
    private List<String> confusionsFor(String given) {
        List<String> options = new ArrayList<>();
        for (String c : CONFUSIONS.getOrDefault(given, List.of())) {
            if (spec.classes().contains(c)) options.add(c);
        }
        if (options.isEmpty()) {
            // Custom class lists may lack the usual partners; any other class still makes a real mislabel.
            for (String c : spec.classes()) {
                if (!c.equals(given)) options.add(c);
            }
        }
        return options;
    }

    private static int[] shuffled(int n, SplittableRandom rnd) {
        int[] a = IntStream.range(0, n).toArray();
        for (int i = n - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
        return a;
    }

    /** SplitMix64 finaliser: neighbouring indices must not get correlated streams. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private record Plan(boolean[] val, SampleKind[] kinds, String[] truths) {
    }
}
