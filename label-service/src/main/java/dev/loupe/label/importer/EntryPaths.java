package dev.loupe.label.importer;

import java.util.Locale;

/** Safety and normalisation of paths inside archives and folders. */
final class EntryPaths {

    private EntryPaths() {
    }

    /** Why a path would escape the import root, or null if it is safe. */
    static String unsafeReason(String path) {
        String p = path.replace('\\', '/');
        if (p.startsWith("/")) {
            return "absolute path";
        }
        if (p.length() >= 2 && Character.isLetter(p.charAt(0)) && p.charAt(1) == ':') {
            return "drive-letter path";
        }
        if (p.indexOf('\0') >= 0) {
            return "NUL character";
        }
        for (String segment : p.split("/")) {
            if (segment.equals("..")) {
                return "parent directory segment '..'";
            }
        }
        return null;
    }

    static String normalize(String path) {
        return path.replace('\\', '/');
    }

    /** OS and tool litter that is silently passed over (not reported as a failure). */
    static boolean isLitter(String path) {
        for (String segment : path.split("/")) {
            if (segment.startsWith(".") || segment.equals("__MACOSX")) {
                return true;
            }
        }
        String file = path.substring(path.lastIndexOf('/') + 1).toLowerCase(Locale.ROOT);
        return file.equals("thumbs.db") || file.equals("desktop.ini");
    }
}
