package dev.loupe.trainer;

import dev.loupe.synthetic.RomanNumeralGenerator;
import dev.loupe.synthetic.Sample;
import dev.loupe.synthetic.SyntheticSpec;
import dev.loupe.testing.DcaiDataset;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The images the trainer service's tests train on, in the DCAI set's layout ({@code train/}, {@code val/} and
 * {@code label_book/}, a folder per class): the real set where it is, else synthetic handwritten numerals written
 * once per test run under target/, so the tests always run. The synthetic train and val images carry planted wrong
 * labels (as the real ones carry real ones), so a weak model has labels to disagree with.
 */
final class TrainingImages {

    /** Synthetic images per class and side: enough for every subset the tests take. */
    static final int TRAIN_PER_CLASS = 20;
    static final int VAL_PER_CLASS = 6;

    private TrainingImages() {
    }

    /** The folder holding train/, val/ and label_book/. */
    static Path folder() {
        return DcaiDataset.find().orElseGet(() -> Synthetic.ROOT);
    }

    /** Written on first use only, so a run on the real set draws nothing. */
    private static final class Synthetic {
        static final Path ROOT = write();

        private static Path write() {
            try {
                Path root = Files.createTempDirectory(Files.createDirectories(Path.of("target")), "synthetic-numerals-")
                        .toAbsolutePath();
                int perClass = TRAIN_PER_CLASS + VAL_PER_CLASS;
                // i, ii and iii: the classes the tests import; 10 % of them under a plausible wrong label
                List<Sample> sides = new RomanNumeralGenerator(new SyntheticSpec(TrainerFlowTest.CLASSES, perClass,
                        (double) VAL_PER_CLASS / perClass, 0.1, 0, 2021)).generate();
                for (Sample s : sides) {
                    store(root.resolve(s.path()), s.png());
                }
                // a clean label book of all ten classes, like the organisers' (a test folder whose classes differ)
                for (Sample s : new RomanNumeralGenerator(new SyntheticSpec(SyntheticSpec.ROMAN_I_TO_X, 5, 0, 0, 0, 2022)).generate()) {
                    store(root.resolve("label_book").resolve(s.givenLabel()).resolve(s.fileName()), s.png());
                }
                for (String c : TrainerFlowTest.CLASSES) {
                    if (count(root.resolve("train").resolve(c)) != TRAIN_PER_CLASS || count(root.resolve("val").resolve(c)) != VAL_PER_CLASS) {
                        throw new IllegalStateException("the synthetic set's " + c + " is not " + TRAIN_PER_CLASS + " train + "
                                + VAL_PER_CLASS + " val images: " + root);
                    }
                }
                System.err.println("TrainingImages: the trainer service's tests train on synthetic numerals in " + root);
                return root;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private static void store(Path file, byte[] png) throws IOException {
            Files.createDirectories(file.getParent());
            Files.write(file, png);
        }

        private static long count(Path dir) throws IOException {
            try (Stream<Path> files = Files.list(dir)) {
                return files.count();
            }
        }
    }
}
