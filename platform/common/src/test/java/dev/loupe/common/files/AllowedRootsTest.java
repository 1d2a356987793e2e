package dev.loupe.common.files;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AllowedRootsTest {

    @TempDir
    Path tmp;

    @Test
    void aFolderBelowARootIsAllowedAsItsRealPath() throws IOException {
        Path root = Files.createDirectories(tmp.resolve("root"));
        Path set = Files.createDirectories(root.resolve("sets/a"));
        AllowedRoots roots = AllowedRoots.of(List.of(root.toString()));
        assertEquals(Optional.of(set.toRealPath()), roots.folder(set.toString()));
        assertEquals(Optional.of(set.toRealPath()), roots.folder(root + "/sets/b/../a"));
        assertEquals(Optional.of(root.toRealPath()), roots.folder(root.toString()));
    }

    @Test
    void noRootsAllowNothing() throws IOException {
        Path set = Files.createDirectories(tmp.resolve("set"));
        assertTrue(AllowedRoots.of(List.of()).isEmpty());
        assertEquals(Optional.empty(), AllowedRoots.of(List.of()).folder(set.toString()));
        assertEquals(Optional.empty(), AllowedRoots.of(List.of(" ", "")).folder(set.toString()));
        assertEquals(Optional.empty(), AllowedRoots.of(null).folder(set.toString()));
    }

    @Test
    void linksAndDotDotCannotLeaveTheRoots() throws IOException {
        Path root = Files.createDirectories(tmp.resolve("root"));
        Path outside = Files.createDirectories(tmp.resolve("outside/secret"));
        Files.createSymbolicLink(root.resolve("link"), outside);
        AllowedRoots roots = AllowedRoots.of(List.of(root.toString()));
        assertEquals(Optional.empty(), roots.folder(root.resolve("link").toString()));
        assertEquals(Optional.empty(), roots.folder(root + "/../outside/secret"));
        assertEquals(Optional.empty(), roots.folder(outside.toString()));
        // a root with a name that merely starts like the allowed one
        Files.createDirectories(tmp.resolve("root-other"));
        assertEquals(Optional.empty(), roots.folder(tmp.resolve("root-other").toString()));
    }

    @Test
    void missingFilesRelativeAndInvalidPathsAreRefusedAlike() throws IOException {
        Path root = Files.createDirectories(tmp.resolve("root"));
        Files.writeString(root.resolve("file.txt"), "x");
        AllowedRoots roots = AllowedRoots.of(List.of(root.toString()));
        assertEquals(Optional.empty(), roots.folder(root.resolve("missing").toString()));
        assertEquals(Optional.empty(), roots.folder(root.resolve("file.txt").toString()));
        assertEquals(Optional.empty(), roots.folder("relative/path"));
        assertEquals(Optional.empty(), roots.folder("bad\0path"));
        assertEquals(Optional.empty(), roots.folder("/does/not/exist"));
        assertEquals(Optional.empty(), roots.folder("/etc"));
        assertEquals(Optional.empty(), roots.folder(null));
    }
}
