package dev.loupe.training;

import dev.loupe.testing.DcaiDataset;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Training on a small real subset of the DCAI set: 3 classes, 40 training and 15 validation images each, 5 epochs,
 * 2 threads. Loaded once for all tests.
 */
class TrainerTest {

    static final List<String> CLASSES = List.of("i", "v", "x");
    static final int EPOCHS = 5;
    static final TrainOptions OPTIONS = TrainOptions.defaults().withEpochs(EPOCHS).withThreads(2).withSeed(123);

    @TempDir
    static Path tmp;
    static Dataset data;
    static DatasetLoader.TestSet test;

    @BeforeAll
    static void load() throws Exception {
        Path dcai = DcaiDataset.requireOrSkip();
        data = DatasetLoader.load(Subsets.imageFolder(dcai, tmp.resolve("subset"), CLASSES, 40, 15));
        Path book = tmp.resolve("book");
        Subsets.copy(dcai.resolve("label_book"), book, CLASSES, 5);
        test = DatasetLoader.testFolder(book, data.classes());
    }

    @Test
    void lossFallsAndValidationBeatsChance() {
        List<EpochProgress> seen = new ArrayList<>();
        TrainResult result = new Trainer(OPTIONS).train(data, test, seen::add);
        assertEquals(EPOCHS, seen.size());
        assertEquals(seen, result.history());
        System.out.println(result.toJson());
        assertEquals(CLASSES, result.classes());
        assertEquals(120, data.train().size());
        assertEquals(45, result.val().count());
        assertEquals(15, result.test().count());
        assertTrue(seen.get(EPOCHS - 1).trainLoss() < seen.get(0).trainLoss(),
                "loss falls: " + seen.get(0).trainLoss() + " -> " + seen.get(EPOCHS - 1).trainLoss());
        assertTrue(result.valAccuracy() > 1.0 / 3 + 0.1, "val accuracy " + result.valAccuracy() + " beats chance 1/3");
        assertEquals(result.history().get(result.bestEpoch() - 1).valAccuracy(), result.valAccuracy(), 1e-9,
                "the kept weights are the best epoch's");
        int confused = 0;
        for (int[] row : result.val().confusion()) {
            for (int v : row) {
                confused += v;
            }
        }
        assertEquals(45, confused);
        assertEquals(3, result.val().perClass().size());
        assertTrue(result.toJson().contains("\"bestEpoch\": " + result.bestEpoch()));
        assertTrue(result.parameters().length > 900_000, "the kept weights come back");
    }

    /**
     * Same seed, same data, same thread count: the same metrics. PyTorch's CPU kernels for this model are
     * deterministic at a fixed thread count (no atomics on CPU), so this checks exact equality of the accuracies and
     * the losses to 1e-6 relative.
     */
    @Test
    void sameSeedSameMetrics() {
        TrainOptions small = OPTIONS.withEpochs(2);
        TrainResult a = new Trainer(small).train(data);
        TrainResult b = new Trainer(small).train(data);
        for (int e = 0; e < 2; e++) {
            EpochProgress pa = a.history().get(e);
            EpochProgress pb = b.history().get(e);
            assertEquals(pa.trainLoss(), pb.trainLoss(), 1e-6 * Math.abs(pa.trainLoss()), "epoch " + (e + 1) + " loss");
            assertEquals(pa.trainAccuracy(), pb.trainAccuracy(), "epoch " + (e + 1) + " train accuracy");
            assertEquals(pa.valAccuracy(), pb.valAccuracy(), "epoch " + (e + 1) + " val accuracy");
        }
        assertEquals(a.bestEpoch(), b.bestEpoch());
        for (int i = 0; i < a.val().confusion().length; i++) {
            assertArrayEquals(a.val().confusion()[i], b.val().confusion()[i]);
        }
        TrainResult c = new Trainer(small.withSeed(124)).train(data);
        assertNotEquals(a.history().get(0).trainLoss(), c.history().get(0).trainLoss(), "another seed, another run");
    }

    @Test
    void aRaisedStopConditionEndsTrainingWithinTheEpochInWhichItWasRaised() {
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        List<EpochProgress> seen = new ArrayList<>();
        Trainer trainer = new Trainer(OPTIONS.withEpochs(50), stop::get);
        java.util.concurrent.CancellationException e = org.junit.jupiter.api.Assertions.assertThrows(
                java.util.concurrent.CancellationException.class, () -> trainer.train(data, test, p -> {
                    seen.add(p);
                    if (p.epoch() == 1) {
                        stop.set(true);
                    }
                }));
        assertEquals(1, seen.size(), "no second epoch finished");
        assertTrue(e.getMessage().contains("epoch 2"), e.getMessage());
        // the same for out-of-fold training
        List<EpochProgress> folds = new ArrayList<>();
        stop.set(false);
        org.junit.jupiter.api.Assertions.assertThrows(java.util.concurrent.CancellationException.class,
                () -> trainer.outOfFold(data, 3, 50, p -> {
                    folds.add(p);
                    stop.set(true);
                }));
        assertEquals(1, folds.size());
    }

    @Test
    void outOfFoldPredictsEveryItemFromTheFoldThatDidNotTrainOnIt() {
        OutOfFold oof = new Trainer(OPTIONS).outOfFold(data, 3, 1);
        assertEquals(data.train().size() + data.val().size(), oof.predictions().size());
        Map<Integer, Integer> perFold = new HashMap<>();
        for (OutOfFold.Prediction p : oof.predictions()) {
            assertEquals(3, p.probabilities().length);
            float sum = 0;
            for (float f : p.probabilities()) {
                sum += f;
            }
            assertEquals(1f, sum, 1e-4, p.id());
            perFold.merge(p.fold(), 1, Integer::sum);
        }
        assertEquals(Map.of(0, 55, 1, 55, 2, 55), perFold, "stratified folds of equal size");
        assertEquals("train/i/" , oof.predictions().get(0).id().substring(0, 8), "ids are paths for an ImageFolder");
    }
}
