package dev.loupe.e2e;

import dev.loupe.synthetic.ImageFolderZip;
import dev.loupe.synthetic.RomanNumeralGenerator;
import dev.loupe.synthetic.Sample;
import dev.loupe.synthetic.SyntheticSpec;
import dev.loupe.testing.LoupeClient;
import dev.loupe.testing.LoupeStackTestResource;
import dev.loupe.testing.TestAuth;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The web page in headless Chromium (Debian's, driven by playwright-core) against the five packaged services:
 * import -> the grid shows the images; a keyboard relabel is in the history and a second browser sees it live; a
 * lasso on the map selects points and shows their images; an erase on the canvas makes a glyph; a version exports
 * and shows the score the trainer service reached on it. The page works as a place: the URL carries project, view and
 * item (a shared link and a reload open them), any item opens in the eraser from the grid, an item in several
 * duplicate pairs has one badge with the count, a findings page comes in one request naming its items (ids=); and
 * no view, of an empty project or of one with items, logs a console error or throws. The review queue shows the flagged items one at a time with their evidence and neighbours, a link
 * names an item in it, and the key {@code a} accepts a suggestion: the label service's history names the signed-in
 * reviewer. A second version, evaluated like the first, shows in the scores view: a point per version, the
 * confusion matrix and a per-class delta bar per class with the comparison's verdict.
 * Installs what it needs when missing: chromium and node with apt-get (as root), playwright-core with npm.
 */
class WebPageIT {

    private static final String PLAYWRIGHT = "playwright-core@1.65.1";
    private static final LoupeStackTestResource STACK = new LoupeStackTestResource();
    private static Map<String, String> urls;

    @BeforeAll
    static void start() {
        STACK.init(Map.of("services", "label-service,embedding-service,augment-service,dataset-service,trainer-service"));
        STACK.withConfig(Map.of("loupe.trainer.epochs", "2", "loupe.trainer.threads", "1"));
        urls = STACK.start();
        // every request of this test carries the first administrator's API token
        dev.loupe.testing.TestAuth.useAdminByDefault(urls.get("loupe.label-service-url"));
    }

    @AfterAll
    static void stop() {
        STACK.stop();
    }

    @Test
    void theFourViewsWorkInABrowserAgainstTheRealServices() throws Exception {
        String label = urls.get("loupe.label-service-url");
        ByteArrayOutputStream zip = new ByteArrayOutputStream();
        List<Sample> samples = new ArrayList<>(new RomanNumeralGenerator(new SyntheticSpec(SyntheticSpec.ROMAN_I_TO_X, 8, 0.25, 0.1, 0, 17)).generate());
        // two more copies of one image under other names: three items, each in two exact-duplicate pairs
        Sample copied = samples.stream().filter(x -> !x.givenLabel().equals("i")).findFirst().orElseThrow();
        for (String suffix : List.of("-copy1.png", "-copy2.png")) {
            samples.add(new Sample(copied.path().replace(".png", suffix), copied.split(), copied.givenLabel(), copied.trueLabel(),
                    copied.kind(), copied.png(), copied.width(), copied.height()));
        }
        int total = samples.size();
        ImageFolderZip.write(samples, zip);
        String project = LoupeClient.importZip(label, "web", SyntheticSpec.ROMAN_I_TO_X, zip.toByteArray());
        // a project that has nothing yet: no items, nothing embedded, no split
        String empty = LoupeClient.createProject(label, "web-empty", SyntheticSpec.ROMAN_I_TO_X);
        // two team members sign in through the page: ana curates, ben only looks
        TestAuth.createUser(label, "ana", "ana-password-1");
        TestAuth.createUser(label, "ben", "ben-password-1");
        TestAuth.setMembers(label, project, Map.of("ana", "curator", "ben", "viewer"));
        TestAuth.setMembers(label, empty, Map.of("ana", "curator"));
        await(() -> given().baseUri(urls.get("loupe.embedding-service-url")).get("/api/projects/{id}/embeddings/status", project)
                .jsonPath(), s -> s.getInt("items") == total && s.getInt("embedded") == total);
        await(() -> given().baseUri(urls.get("loupe.embedding-service-url")).get("/api/projects/{id}/map", project).jsonPath(),
                m -> m.getList("itemIds").size() == total);
        // the copies: each is in two duplicate pairs (the page must show one badge saying 2)
        Map<String, Integer> pairs = new HashMap<>();
        await(() -> given().baseUri(urls.get("loupe.embedding-service-url")).get("/api/projects/{id}/findings?limit=5000", project)
                .jsonPath(), f -> {
                    pairs.clear();
                    for (Map<String, Object> finding : f.<Map<String, Object>>getList("findings")) {
                        if (!"duplicate".equals(finding.get("type"))) continue;
                        for (Object id : (List<?>) finding.get("itemIds")) pairs.merge((String) id, 1, Integer::sum);
                    }
                    return pairs.values().stream().anyMatch(n -> n >= 2);
                });
        Map.Entry<String, Integer> duplicated = pairs.entrySet().stream().filter(e -> e.getValue() >= 2).findFirst().orElseThrow();
        await(() -> given().baseUri(urls.get("loupe.dataset-service-url")).get("/api/projects/{id}/split", project).jsonPath(),
                s -> s.getInt("counts.val.i") + s.getInt("counts.train.i") == 8);

        // the review queue has flagged items, the first with a suggested label (the generator's planted wrong labels)
        await(() -> given().baseUri(urls.get("loupe.embedding-service-url")).queryParam("limit", 5)
                .get("/api/projects/{id}/review-queue", project).jsonPath(),
                q -> q.getList("items").size() >= 3 && q.getString("items[0].suggestedLabel") != null);

        Path target = Path.of("target").toAbsolutePath();
        Path screenshots = Files.createDirectories(target.resolve("screenshots"));
        Path playwright = installPlaywright(target.resolve("web-node"));
        String chromium = ensureChromium();
        List<String> command = List.of(node(), Path.of("src/test/web/webpage.mjs").toAbsolutePath().toString());
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(false);
        pb.environment().putAll(Map.of(
                "LOUPE_LABEL_URL", label,
                "LOUPE_EMBEDDING_URL", urls.get("loupe.embedding-service-url"),
                "LOUPE_AUGMENT_URL", urls.get("loupe.augment-service-url"),
                "LOUPE_DATASET_URL", urls.get("loupe.dataset-service-url"),
                "LOUPE_PROJECT", project,
                "LOUPE_CLASSES", "[\"" + String.join("\",\"", SyntheticSpec.ROMAN_I_TO_X) + "\"]",
                "LOUPE_GLYPH_CLASS", "v",
                "PLAYWRIGHT_DIR", playwright.toString(),
                "CHROMIUM", chromium,
                "SCREENSHOTS", screenshots.toString()));
        pb.environment().put("LOUPE_USERS", "{\"ana\":\"ana-password-1\",\"ben\":\"ben-password-1\"}");
        pb.environment().put("LOUPE_EMPTY_PROJECT", empty);
        pb.environment().put("LOUPE_DUPLICATE_ITEM", duplicated.getKey());
        pb.environment().put("LOUPE_DUPLICATE_PAIRS", String.valueOf(duplicated.getValue()));
        pb.environment().put("LOUPE_ITEMS", String.valueOf(total));
        Path log = target.resolve("webpage-test.log");
        pb.redirectError(log.toFile());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        boolean ended = p.waitFor(15, TimeUnit.MINUTES);
        if (!ended) p.destroyForcibly();
        String errors = Files.readString(log);
        System.out.println("web page test: " + out + (errors.isBlank() ? "" : "\n" + errors));
        assertTrue(ended, "the browser test ended within 15 minutes");
        assertEquals(0, p.exitValue(), "browser test failed: " + out + "\n" + errors);

        // what the browser did, read back from the services
        JsonPath results = JsonPath.from(out.lines().reduce((a, b) -> b).orElse("{}"));
        String itemId = results.getString("relabelled.itemId");
        JsonPath history = given().baseUri(label).get("/api/items/{id}/history", itemId).then().statusCode(200).extract().jsonPath();
        assertTrue(history.getList("by").contains("ana"), "the signed-in ana's relabel is in the history: " + history.prettify());
        assertEquals("ana", results.getString("signedInAs"), "the page's header names the signed-in user");
        assertEquals(403, results.getInt("benRelabelStatus"), "ben, a viewer, may not relabel");
        assertTrue(results.getLong("liveMs") < 2000, "ben saw it within 2 s: " + results.getLong("liveMs"));
        assertTrue(results.getInt("lassoSelected") > 0);
        assertEquals(0, results.getInt("findingsPage.perItem"), "the findings grid asks for no item alone");
        assertEquals(1, results.getInt("findingsPage.byIds"), "the findings grid's page is one ids= request");
        assertEquals(1, given().baseUri(urls.get("loupe.augment-service-url")).get("/api/projects/{id}/glyphs", project)
                .then().statusCode(200).extract().jsonPath().getList("$").size(), "one glyph made by the eraser");
        given().baseUri(urls.get("loupe.dataset-service-url")).get("/api/versions/{v}", results.getString("versionId"))
                .then().statusCode(200);
        assertTrue(results.getLong("exportBytes") > 1000);
        assertTrue(results.getString("score").matches(".*val accuracy \\d+\\.\\d%.*"), "the version's score: " + results.getString("score"));
        // the curation plan the page proposed and applied: APPLIED, with the version the page showed
        JsonPath plan = given().baseUri(urls.get("loupe.dataset-service-url")).get("/api/curation-plans/{id}",
                results.getString("curation.planId")).then().statusCode(200).extract().jsonPath();
        assertEquals("APPLIED", plan.getString("status"), plan.prettify());
        assertEquals(results.getString("curation.versionId"), plan.getString("versionId"), plan.prettify());
        assertEquals("ana", plan.getString("appliedBy"), plan.prettify());
        assertEquals("CANCELLED", given().baseUri(urls.get("loupe.dataset-service-url")).get("/api/curation-runs/{id}",
                results.getString("curation.runId")).then().statusCode(200).extract().jsonPath().getString("status"),
                "the automatic run the page cancelled");
        // the page as a place: links, the eraser, the duplicate badge, and not one console error in any view
        assertEquals(empty, results.getString("emptyProjectOpened"), "a link to the empty project opens it, not the first one");
        assertEquals(itemId, results.getString("reloadedItem"), "a reload shows the selected item again");
        assertEquals(itemId, results.getString("eraserItem"), "the grid's item opens in the eraser");
        assertEquals(itemId, results.getString("mapItem"), "a link to an item on the map selects it first");
        assertEquals(duplicated.getValue().toString(), results.getString("duplicateBadge"), "one duplicate badge with the count");
        // the review queue: ana's keyboard accept changed the label at the label service, in her name
        String reviewed = results.getString("reviewed.itemId");
        assertEquals(results.getString("reviewed.to"), given().baseUri(label).get("/api/items/{id}", reviewed)
                .then().statusCode(200).extract().jsonPath().getString("label"), "the accepted suggestion is the label");
        JsonPath reviewHistory = given().baseUri(label).get("/api/items/{id}/history", reviewed).then().statusCode(200)
                .extract().jsonPath();
        int last = reviewHistory.getList("version").size() - 1;
        assertEquals(results.getString("reviewed.from"), reviewHistory.getString("from[" + last + "]"), reviewHistory.prettify());
        assertEquals(results.getString("reviewed.to"), reviewHistory.getString("to[" + last + "]"), reviewHistory.prettify());
        assertEquals("ana", reviewHistory.getString("by[" + last + "]"), "the reviewer, not a service, changed it: "
                + reviewHistory.prettify());
        JsonPath queue = given().baseUri(urls.get("loupe.embedding-service-url")).queryParam("limit", 200)
                .get("/api/projects/{id}/review-queue", project).then().statusCode(200).extract().jsonPath();
        assertTrue(!queue.getList("items.itemId").contains(reviewed), "the decided item left the queue");
        assertTrue(queue.getInt("progress.reviewed") >= 1 && queue.getInt("progress.changed") >= 1, queue.prettify());
        // the scores view: one point per version, the confusion matrix's classes x classes cells, one bar per class
        int classes = SyntheticSpec.ROMAN_I_TO_X.size();
        assertEquals(2, results.getInt("scores.points"), "one point per evaluated version: " + results.getMap("scores"));
        assertEquals(classes * classes, results.getInt("scores.cells"), "a cell per true and predicted class");
        assertEquals(classes, results.getInt("scores.bars"), "a delta bar per class");
        assertTrue(results.getString("scores.verdict").contains("interval unknown"),
                "one seed pair: the verdict says the interval is unknown: " + results.getString("scores.verdict"));
        // frozen in the split settings: both versions were scored on the same validation items
        assertTrue(results.getString("frozenSplit").contains("validation side frozen at ui-round-1"),
                results.getString("frozenSplit"));
        JsonPath compare = given().baseUri(urls.get("loupe.dataset-service-url"))
                .queryParam("against", results.getString("scores.against"))
                .get("/api/versions/{v}/compare", results.getString("scores.version")).then().statusCode(200)
                .extract().jsonPath();
        assertTrue(compare.getBoolean("evaluationSet.sameValItems"), compare.prettify());
        assertEquals(0, results.getInt("consoleErrors"), "console errors and page errors in every view: " + errors);
    }

    // --- tools the test installs when missing

    private static String node() throws IOException, InterruptedException {
        if (onPath("node") == null) aptInstall("nodejs", "npm");
        String node = onPath("node");
        assertTrue(node != null, "node is needed (apt-get install nodejs npm)");
        return node;
    }

    private static Path installPlaywright(Path dir) throws IOException, InterruptedException {
        if (Files.isDirectory(dir.resolve("node_modules/playwright-core"))) return dir;
        Files.createDirectories(dir);
        if (onPath("npm") == null) aptInstall("npm");
        run(List.of("npm", "install", "--no-audit", "--no-fund", "--prefix", dir.toString(), PLAYWRIGHT), dir);
        return dir;
    }

    private static String ensureChromium() throws IOException, InterruptedException {
        for (String c : List.of("/usr/bin/chromium", "/usr/bin/chromium-browser")) {
            if (Files.isExecutable(Path.of(c))) return c;
        }
        aptInstall("chromium");
        assertTrue(Files.isExecutable(Path.of("/usr/bin/chromium")), "chromium is needed (apt-get install chromium)");
        return "/usr/bin/chromium";
    }

    private static void aptInstall(String... packages) throws IOException, InterruptedException {
        List<String> install = new ArrayList<>(List.of("apt-get", "install", "-y", "-qq"));
        install.addAll(List.of(packages));
        if (run(install, Path.of(".")) != 0) {
            run(List.of("apt-get", "update", "-qq"), Path.of("."));
            run(install, Path.of("."));
        }
    }

    private static int run(List<String> command, Path dir) throws IOException, InterruptedException {
        // never inherit the test JVM's stdout: the build reads its own protocol from that stream
        Path log = Path.of("target", "tool-install.log").toAbsolutePath();
        Files.createDirectories(log.getParent());
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        int exit = p.waitFor(10, TimeUnit.MINUTES) ? p.exitValue() : -1;
        if (exit != 0) System.out.println(String.join(" ", command) + " ended with " + exit + ", see " + log);
        return exit;
    }

    private static String onPath(String tool) {
        for (String d : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
            Path p = Path.of(d, tool);
            if (Files.isExecutable(p)) return p.toString();
        }
        return null;
    }

    private static void await(java.util.concurrent.Callable<JsonPath> read, java.util.function.Predicate<JsonPath> done)
            throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(180));
        Exception last = null;
        while (Instant.now().isBefore(deadline)) {
            try {
                if (done.test(read.call())) return;
            } catch (Exception | AssertionError e) {
                last = e instanceof Exception ex ? ex : new Exception(e);
            }
            Thread.sleep(300);
        }
        throw new AssertionError("timed out", last);
    }
}
