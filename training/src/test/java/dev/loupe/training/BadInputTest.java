package dev.loupe.training;

import dev.loupe.testing.DcaiDataset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BadInputTest {

    @TempDir
    Path tmp;

    @Test
    void noValidationItemsFailsFastWithTheReason() throws IOException {
        Path dcai = DcaiDataset.requireOrSkip();
        Path root = tmp.resolve("noval");
        Subsets.copy(dcai.resolve("train"), root.resolve("train"), List.of("i", "ii"), 3);
        Dataset data = DatasetLoader.load(root);
        TrainingException e = assertThrows(TrainingException.class,
                () -> new Trainer(TrainOptions.defaults().withEpochs(1).withThreads(1)).train(data));
        assertEquals(TrainingException.Reason.NO_VAL_ITEMS, e.reason());
        assertTrue(e.getMessage().contains("no validation images"), e.getMessage());
    }

    @Test
    void testFolderWithOtherClassesIsAnErrorNamingThem() throws IOException {
        Path dcai = DcaiDataset.requireOrSkip();
        Path book = tmp.resolve("book");
        Subsets.copy(dcai.resolve("label_book"), book, List.of("i", "ii", "iv"), 1);
        TrainingException e = assertThrows(TrainingException.class,
                () -> DatasetLoader.testFolder(book, List.of("i", "ii", "iii")));
        assertEquals(TrainingException.Reason.TEST_CLASSES_DIFFER, e.reason());
        assertTrue(e.getMessage().contains("missing [iii]") && e.getMessage().contains("not trained [iv]"), e.getMessage());
    }

    /** An export zip: labels, splits and ids from the manifest (quoted cells too); a broken image is skipped. */
    @Test
    void exportZipReadsTheManifestAndSkipsUndecodableImages() throws IOException {
        Path dcai = DcaiDataset.requireOrSkip();
        byte[] one;
        byte[] five;
        try (var files = Files.list(dcai.resolve("train/i"))) {
            one = Files.readAllBytes(files.sorted().findFirst().orElseThrow());
        }
        try (var files = Files.list(dcai.resolve("train/v"))) {
            five = Files.readAllBytes(files.sorted().findFirst().orElseThrow());
        }
        Path zip = tmp.resolve("export.zip");
        String manifest = """
                path,label,split,sha256,item_id,source,original_path,provenance
                train/i/a.png,i,train,aa,11111111-0000-0000-0000-000000000001,upload,"x,y/a.png",
                train/v/b.png,v,train,bb,11111111-0000-0000-0000-000000000002,upload,b.png,"{""op"":""none""}"
                val/i/c.png,i,val,cc,11111111-0000-0000-0000-000000000003,upload,c.png,
                val/v/broken.png,v,val,dd,11111111-0000-0000-0000-000000000004,upload,d.png,
                """;
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
            put(out, "manifest.csv", manifest.getBytes(StandardCharsets.UTF_8));
            put(out, "train/i/a.png", one);
            put(out, "train/v/b.png", five);
            put(out, "val/i/c.png", one);
            put(out, "val/v/broken.png", new byte[] {(byte) 0x89, 'P', 'N', 'G', 0, 0});
        }
        Dataset data = DatasetLoader.load(zip);
        assertEquals(List.of("i", "v"), data.classes());
        assertEquals(2, data.train().size());
        assertEquals(1, data.val().size());
        assertEquals(1, data.skippedImages());
        assertEquals("val/v/broken.png", data.skipped().get(0).path());
        assertEquals("11111111-0000-0000-0000-000000000002", data.train().get(1).id());
        assertEquals(1, data.train().get(1).label());

        // a zip with neither a manifest nor train/<class>/<file> images is refused
        Path folderZip = DcaiDataset.zip(dcai, tmp.resolve("folder.zip"), "label_book");
        TrainingException e = assertThrows(TrainingException.class, () -> DatasetLoader.load(folderZip));
        assertEquals(TrainingException.Reason.UNREADABLE_INPUT, e.reason());
    }

    @Test
    void cliRefusesBadArguments() {
        var err = new java.io.ByteArrayOutputStream();
        int status = TrainCli.run(new String[] {"--epochs", "3"}, new java.io.PrintStream(new java.io.ByteArrayOutputStream()),
                new java.io.PrintStream(err));
        assertEquals(2, status);
        assertTrue(err.toString().contains("--data is required"));
    }

    private static void put(ZipOutputStream out, String name, byte[] bytes) throws IOException {
        out.putNextEntry(new ZipEntry(name));
        out.write(bytes);
        out.closeEntry();
    }
}
