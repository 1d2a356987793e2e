package dev.loupe.deploy;

/** Image references must name a fixed version: a tag other than latest, or a digest. */
final class Images {

    private Images() {
    }

    /** Why the image reference is not pinned, or null when it is. */
    static String problem(String image) {
        if (image == null || image.isBlank()) {
            return "empty image reference";
        }
        if (image.contains("@sha256:")) {
            return null;
        }
        String lastPart = image.substring(image.lastIndexOf('/') + 1);
        int colon = lastPart.indexOf(':');
        if (colon < 0) {
            return image + " has no tag (that is latest)";
        }
        String tag = lastPart.substring(colon + 1);
        if (tag.isBlank() || tag.equalsIgnoreCase("latest") || tag.contains("${")) {
            return image + " is not pinned to a version (tag '" + tag + "')";
        }
        return null;
    }

    /** Compose allows ${VAR:-default}: the default must be pinned. */
    static String composeProblem(String image) {
        String resolved = image.replaceAll("\\$\\{[A-Za-z0-9_]+:?-([^}]*)}", "$1");
        if (resolved.contains("${")) {
            return image + " has a variable without a default";
        }
        return problem(resolved);
    }
}
