package dev.loupe.label.importer;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

class ImportLayoutTest {

    private static final List<String> CLASSES = List.of("i", "ii", "IV");
    private static final Function<String, Optional<String>> CANONICAL =
            name -> CLASSES.stream().filter(c -> c.equalsIgnoreCase(name)).findFirst();

    @Test
    void classFolderAloneHasNoSplit() {
        var placed = assertInstanceOf(ImportLayout.Placed.class, ImportLayout.place("ii/a.png", CANONICAL));
        assertEquals("ii", placed.label());
        assertNull(placed.split());
    }

    @Test
    void splitFoldersAreRecognisedInTheirCommonSpellings() {
        assertEquals("train", placed("train/i/a.png").split());
        assertEquals("val", placed("data/Validation/i/a.png").split());
        assertEquals("val", placed("valid/i/a.png").split());
        assertEquals("test", placed("root/test/i/a.png").split());
        assertNull(placed("batch-3/i/a.png").split());
    }

    @Test
    void folderNamesMatchClassesIgnoringCaseButKeepTheProjectsSpelling() {
        assertEquals("IV", placed("train/iv/a.png").label());
    }

    @Test
    void unknownFoldersAndLooseFilesAreRejectedWithAReason() {
        var unknown = assertInstanceOf(ImportLayout.Rejected.class, ImportLayout.place("train/xi/a.png", CANONICAL));
        assertEquals("unknown class 'xi'", unknown.reason());
        assertEquals("xi", unknown.folder());
        var loose = assertInstanceOf(ImportLayout.Rejected.class, ImportLayout.place("a.png", CANONICAL));
        assertEquals("not inside a class folder", loose.reason());
    }

    @Test
    void osLitterIsIgnoredSilently() {
        assertInstanceOf(ImportLayout.Ignored.class, ImportLayout.place("__MACOSX/i/._a.png", CANONICAL));
        assertInstanceOf(ImportLayout.Ignored.class, ImportLayout.place("train/i/.DS_Store", CANONICAL));
        assertInstanceOf(ImportLayout.Ignored.class, ImportLayout.place("train/i/Thumbs.db", CANONICAL));
    }

    @Test
    void pathsThatEscapeTheRootAreUnsafe() {
        assertEquals("parent directory segment '..'", EntryPaths.unsafeReason("train/../../x.png"));
        assertEquals("parent directory segment '..'", EntryPaths.unsafeReason("..\\x.png"));
        assertEquals("absolute path", EntryPaths.unsafeReason("/etc/passwd"));
        assertEquals("drive-letter path", EntryPaths.unsafeReason("C:/x.png"));
        assertNull(EntryPaths.unsafeReason("train/i/..a.png"));
    }

    private static ImportLayout.Placed placed(String path) {
        return assertInstanceOf(ImportLayout.Placed.class, ImportLayout.place(path, CANONICAL));
    }
}
