package dev.loupe.common.files;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Server folders a request may name (a folder import, a test folder): only existing, readable folders at or below one
 * of the configured roots, judged on their real path (symbolic links and {@code ..} resolved), so a link inside a root
 * cannot lead out of it. No roots: nothing is allowed.
 *
 * <p>The path is checked against the roots before anything about it is read from the disk, and a path outside the
 * roots, one that does not exist and one that is no folder get the same answer: a request cannot probe which paths
 * exist on the server.
 */
public final class AllowedRoots {

    /** Each root as configured (absolute, normalised) and its real path when it exists. */
    private record Root(Path configured, Path real) {
        boolean contains(Path path) {
            return path.startsWith(configured) || (real != null && path.startsWith(real));
        }
    }

    private final List<Root> roots;

    private AllowedRoots(List<Root> roots) {
        this.roots = roots;
    }

    /** The roots, blank entries ignored; relative ones are taken from the working directory. */
    public static AllowedRoots of(Collection<String> roots) {
        List<Root> list = new ArrayList<>();
        for (String text : roots == null ? List.<String>of() : roots) {
            if (text == null || text.isBlank()) {
                continue;
            }
            Path configured = Path.of(text.trim()).toAbsolutePath().normalize();
            Path real;
            try {
                real = configured.toRealPath();
            } catch (IOException e) {
                real = null; // a root that does not exist (yet) allows nothing that exists
            }
            list.add(new Root(configured, real));
        }
        return new AllowedRoots(List.copyOf(list));
    }

    /** True when no root is configured: every path is refused. */
    public boolean isEmpty() {
        return roots.isEmpty();
    }

    /**
     * The real path of {@code text} when it is an absolute path of an existing, readable folder at or below a root,
     * before and after resolving links; empty otherwise, whatever the reason.
     */
    public Optional<Path> folder(String text) {
        if (roots.isEmpty() || text == null || text.isBlank()) {
            return Optional.empty();
        }
        Path path;
        try {
            path = Path.of(text);
        } catch (InvalidPathException e) {
            return Optional.empty();
        }
        if (!path.isAbsolute()) {
            return Optional.empty();
        }
        Path normalized = path.normalize();
        // before touching the disk: a path outside every root is refused without looking whether it exists
        if (roots.stream().noneMatch(r -> r.contains(normalized))) {
            return Optional.empty();
        }
        Path real;
        try {
            real = normalized.toRealPath();
        } catch (IOException | SecurityException e) {
            return Optional.empty();
        }
        if (roots.stream().noneMatch(r -> r.real() != null && real.startsWith(r.real()))) {
            return Optional.empty();
        }
        return Files.isDirectory(real) && Files.isReadable(real) ? Optional.of(real) : Optional.empty();
    }
}
