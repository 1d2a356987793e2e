package dev.loupe.testing;

import io.restassured.RestAssured;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * The OpenAPI document a service serves must equal the one committed at {@value #COMMITTED}, so a change to the REST
 * contract shows up in review as a change of that file. Called from a {@code @QuarkusTest} of each service (RestAssured
 * points at the running app). With {@code -D}{@value #UPDATE_PROPERTY}{@code =true} the committed file is rewritten
 * instead of compared.
 */
public final class OpenApiDocument {

    /** Relative to the module folder, which is surefire's working directory. */
    public static final String COMMITTED = "src/main/openapi/openapi.yaml";

    public static final String UPDATE_PROPERTY = "loupe.openapi.update";

    private static final int CONTEXT = 3;
    private static final int MAX_DIFF_LINES = 200;

    private OpenApiDocument() {
    }

    /** Fetches {@code /q/openapi?format=yaml} and compares it with (or, when updating, writes) the committed file. */
    public static void assertServedMatchesCommitted() {
        String served = normalize(RestAssured.given().queryParam("format", "yaml").get("/q/openapi")
                .then().statusCode(200).extract().asString());
        Path committed = Path.of(COMMITTED).toAbsolutePath();
        if (Boolean.getBoolean(UPDATE_PROPERTY)) {
            write(committed, served);
            return;
        }
        if (!Files.exists(committed)) {
            fail("No committed OpenAPI document at " + committed + "; create it with -D" + UPDATE_PROPERTY + "=true");
        }
        String expected = normalize(read(committed));
        if (!expected.equals(served)) {
            fail("The served OpenAPI document differs from " + committed + " (- committed, + served). If the change is"
                    + " intended, rewrite the file with -D" + UPDATE_PROPERTY + "=true and commit it.\n"
                    + diff(expected, served));
        }
    }

    static String normalize(String text) {
        String unix = text.replace("\r\n", "\n");
        return unix.endsWith("\n") ? unix : unix + "\n";
    }

    /** A unified-style line diff (longest common subsequence) with {@value #CONTEXT} lines of context per hunk. */
    static String diff(String expected, String actual) {
        List<String> a = expected.lines().toList();
        List<String> b = actual.lines().toList();
        int[][] lcs = new int[a.size() + 1][b.size() + 1];
        for (int i = a.size() - 1; i >= 0; i--) {
            for (int j = b.size() - 1; j >= 0; j--) {
                lcs[i][j] = a.get(i).equals(b.get(j)) ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
            }
        }
        // edit script: ' ' kept, '-' only committed, '+' only served; with the line number in the committed file
        List<String> ops = new ArrayList<>();
        List<Integer> lineNumbers = new ArrayList<>();
        int i = 0;
        int j = 0;
        while (i < a.size() || j < b.size()) {
            if (i < a.size() && j < b.size() && a.get(i).equals(b.get(j))) {
                ops.add("  " + a.get(i));
                lineNumbers.add(++i);
                j++;
            } else if (i < a.size() && (j == b.size() || lcs[i + 1][j] >= lcs[i][j + 1])) {
                ops.add("- " + a.get(i));
                lineNumbers.add(++i);
            } else {
                ops.add("+ " + b.get(j++));
                lineNumbers.add(i);
            }
        }
        StringBuilder out = new StringBuilder();
        int printed = 0;
        int lastShown = -2; // so the first hunk gets its header too
        for (int k = 0; k < ops.size() && printed < MAX_DIFF_LINES; k++) {
            if (!near(ops, k)) {
                continue;
            }
            if (k != lastShown + 1) {
                out.append("@@ committed line ").append(Math.max(1, lineNumbers.get(k))).append(" @@\n");
            }
            out.append(ops.get(k)).append('\n');
            lastShown = k;
            printed++;
        }
        if (printed == MAX_DIFF_LINES) {
            out.append("... (diff cut at ").append(MAX_DIFF_LINES).append(" lines)\n");
        }
        return out.toString();
    }

    private static boolean near(List<String> ops, int k) {
        for (int d = Math.max(0, k - CONTEXT); d <= Math.min(ops.size() - 1, k + CONTEXT); d++) {
            if (!ops.get(d).startsWith("  ")) {
                return true;
            }
        }
        return false;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void write(Path file, String text) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, text, StandardCharsets.UTF_8);
            System.out.println("Wrote the served OpenAPI document to " + file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
