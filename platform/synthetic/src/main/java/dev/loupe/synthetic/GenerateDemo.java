package dev.loupe.synthetic;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Command line entry point used by the one-command demo:
 * {@code java -cp loupe-synthetic.jar dev.loupe.synthetic.GenerateDemo --out demo.zip}.
 */
public final class GenerateDemo {

    static final String USAGE = "usage: GenerateDemo --out <zip> [--ground-truth <csv>] [--per-class N] [--seed S]"
            + " [--wrong F] [--junk F] [--val F]";

    private GenerateDemo() {
    }

    public static void main(String[] args) {
        // The demo may run on a server without a display; AWT must not try to reach one.
        System.setProperty("java.awt.headless", "true");
        int code = run(args, System.out, System.err);
        if (code != 0) {
            System.exit(code);
        }
    }

    /** Exit code: 0 ok, 1 I/O failure, 2 bad arguments. Separate from main so tests need not exit the JVM. */
    static int run(String[] args, PrintStream out, PrintStream err) {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            err.println(USAGE);
            return 2;
        }
        long start = System.nanoTime();
        List<Sample> samples = new RomanNumeralGenerator(options.spec).generate();
        try {
            write(options.out, stream -> ImageFolderZip.write(samples, stream));
            if (options.groundTruth != null) {
                createParent(options.groundTruth);
                try (Writer w = Files.newBufferedWriter(options.groundTruth, StandardCharsets.UTF_8)) {
                    ImageFolderZip.writeGroundTruthCsv(samples, w);
                }
            }
        } catch (IOException e) {
            err.println("error: cannot write output: " + e);
            return 1;
        }
        long train = samples.stream().filter(s -> s.split().equals("train")).count();
        long wrong = samples.stream().filter(s -> s.kind() == SampleKind.MISLABELED).count();
        long junk = samples.stream().filter(s -> s.kind() == SampleKind.JUNK).count();
        out.printf(Locale.ROOT, "wrote %d images (%d train, %d val; %d mislabeled, %d junk) in %d classes to %s%s in %.1f s%n",
                samples.size(), train, samples.size() - train, wrong, junk, options.spec.classes().size(), options.out,
                options.groundTruth == null ? "" : " (ground truth: " + options.groundTruth + ")",
                (System.nanoTime() - start) / 1e9);
        return 0;
    }

    private interface Body {
        void accept(OutputStream out) throws IOException;
    }

    /** Writes to a temp file and renames, so a crash never leaves a half zip the demo would import. */
    private static void write(Path target, Body body) throws IOException {
        createParent(target);
        Path tmp = target.resolveSibling(target.getFileName() + ".part");
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16)) {
            body.accept(out);
        }
        Files.move(tmp, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    private static void createParent(Path p) throws IOException {
        Path parent = p.toAbsolutePath().getParent();
        if (parent != null) Files.createDirectories(parent);
    }

    private record Options(Path out, Path groundTruth, SyntheticSpec spec) {

        static Options parse(String[] args) {
            SyntheticSpec d = SyntheticSpec.demo();
            Path out = null, groundTruth = null;
            int perClass = d.perClass();
            long seed = d.seed();
            double wrong = d.wrongLabelFraction(), junk = d.junkFraction(), val = d.valFraction();
            for (int i = 0; i < args.length; i++) {
                String flag = args[i];
                if (flag.equals("-h") || flag.equals("--help")) {
                    throw new IllegalArgumentException("help requested");
                }
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("missing value after " + flag);
                }
                String value = args[++i];
                switch (flag) {
                    case "--out" -> out = Path.of(value);
                    case "--ground-truth" -> groundTruth = Path.of(value);
                    case "--per-class" -> perClass = (int) number(flag, value, Integer.MIN_VALUE, Integer.MAX_VALUE);
                    case "--seed" -> seed = number(flag, value, Long.MIN_VALUE, Long.MAX_VALUE);
                    case "--wrong" -> wrong = fraction(flag, value);
                    case "--junk" -> junk = fraction(flag, value);
                    case "--val" -> val = fraction(flag, value);
                    default -> throw new IllegalArgumentException("unknown option " + flag);
                }
            }
            if (out == null) {
                throw new IllegalArgumentException("--out is required");
            }
            // The spec's own validation produces the range messages, so they stay in one place.
            return new Options(out, groundTruth, new SyntheticSpec(d.classes(), perClass, val, wrong, junk, seed));
        }

        private static long number(String flag, String value, long min, long max) {
            try {
                long v = Long.parseLong(value);
                if (v < min || v > max) throw new NumberFormatException();
                return v;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(flag + " needs an integer, got '" + value + "'");
            }
        }

        private static double fraction(String flag, String value) {
            try {
                return Double.parseDouble(value);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(flag + " needs a number, got '" + value + "'");
            }
        }
    }
}
