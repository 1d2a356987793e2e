package dev.loupe.training;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Trains the fixed model from the command line:
 * <pre>
 * TrainCli --data &lt;export.zip|imagefolder-dir|imagefolder.zip&gt; [--test &lt;dir&gt;] [--epochs N] [--seed S]
 *          [--threads T] [--out metrics.json]
 * </pre>
 * Prints one line per epoch and the final accuracies; writes the metrics JSON ({@link TrainResult#toJson()}) to
 * {@code --out} or, without it, to standard output. Exit status 0 on success, 2 for bad arguments or data.
 */
public final class TrainCli {

    private TrainCli() {
    }

    public static void main(String[] args) {
        int status = run(args, System.out, System.err);
        if (status != 0) {
            System.exit(status);
        }
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        Path data = null;
        Path test = null;
        Path metrics = null;
        TrainOptions options = TrainOptions.defaults().withThreads(Runtime.getRuntime().availableProcessors());
        try {
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                if (a.equals("-h") || a.equals("--help")) {
                    out.println(usage());
                    return 0;
                }
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException(a + " needs a value");
                }
                String v = args[++i];
                switch (a) {
                    case "--data" -> data = Path.of(v);
                    case "--test" -> test = Path.of(v);
                    case "--out" -> metrics = Path.of(v);
                    case "--epochs" -> options = options.withEpochs(Integer.parseInt(v));
                    case "--seed" -> options = options.withSeed(Long.parseLong(v));
                    case "--threads" -> options = options.withThreads(Integer.parseInt(v));
                    default -> throw new IllegalArgumentException("unknown option " + a);
                }
            }
            if (data == null) {
                throw new IllegalArgumentException("--data is required");
            }
        } catch (IllegalArgumentException | TrainingException e) {
            err.println("error: " + e.getMessage());
            err.println(usage());
            return 2;
        }
        if (options.threads() > 1 && System.getenv("OMP_WAIT_POLICY") == null) {
            err.println("note: OMP_WAIT_POLICY is not set; on a busy machine set OMP_WAIT_POLICY=PASSIVE, or libtorch's"
                    + " spinning OpenMP threads can make epochs many times slower (and LD_PRELOAD jemalloc)");
        }
        try {
            long t0 = System.nanoTime();
            Dataset dataset = DatasetLoader.load(data);
            DatasetLoader.TestSet testSet = test == null ? null : DatasetLoader.testFolder(test, dataset.classes());
            out.printf(Locale.ROOT, "loaded %d train, %d val%s images of %d classes %s in %.1f s; %d undecodable skipped%n",
                    dataset.train().size(), dataset.val().size(),
                    testSet == null ? "" : ", " + testSet.items().size() + " test", dataset.classes().size(),
                    dataset.classes(), (System.nanoTime() - t0) / 1e9,
                    dataset.skippedImages() + (testSet == null ? 0 : testSet.skipped().size()));
            Trainer trainer = new Trainer(options);
            TrainResult result = trainer.train(dataset, testSet, p -> out.printf(Locale.ROOT,
                    "epoch %3d/%d  loss %.4f  train acc %.4f  val acc %.4f%s  %7.1f s%n", p.epoch(), p.epochs(),
                    p.trainLoss(), p.trainAccuracy(), p.valAccuracy(), p.best() ? " *" : "  ",
                    p.elapsed().toMillis() / 1000.0));
            out.printf(Locale.ROOT, "best epoch %d: val accuracy %.4f%s, %.1f s%n", result.bestEpoch(), result.valAccuracy(),
                    testSet == null ? "" : String.format(Locale.ROOT, ", test accuracy %.4f", result.testAccuracy()),
                    result.seconds());
            if (metrics != null) {
                Files.writeString(metrics, result.toJson(), StandardCharsets.UTF_8);
                out.println("metrics written to " + metrics);
            } else {
                out.print(result.toJson());
            }
            return 0;
        } catch (TrainingException e) {
            err.println("error (" + e.reason() + "): " + e.getMessage());
            return 2;
        } catch (IOException e) {
            err.println("error: " + e.getMessage());
            return 1;
        }
    }

    static String usage() {
        return "usage: TrainCli --data <export.zip|imagefolder-dir|imagefolder.zip> [--test <dir>] [--epochs N] [--seed S]"
                + " [--threads T] [--out metrics.json]";
    }
}
