package dev.loupe.embedding;

import dev.loupe.synthetic.ImageFolderZip;
import dev.loupe.synthetic.RomanNumeralGenerator;
import dev.loupe.synthetic.SyntheticSpec;
import dev.loupe.testing.LoupeClient;
import dev.loupe.testing.TestAuth;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The review queue against the real stack: a project imported through the label service and embedded. */
@QuarkusTest
class ReviewQueueTest {

    private static final String PASSWORD = "review-test-password";

    @ConfigProperty(name = "loupe.label-service-url")
    String labelUrl;

    /** A project with its reviewers (annotators), each with an API token. */
    private record Team(String project, Map<String, String> tokens, Map<String, String> users) {
        RequestSpecification as(String reviewer) {
            return given().header("Authorization", "Bearer " + tokens.get(reviewer));
        }

        /** The account name of a reviewer (unique per test). */
        String user(String reviewer) {
            return users.get(reviewer);
        }
    }

    @Test
    void theQueueRanksFlaggedItemsByExpectedBenefitWithEvidenceNeighboursAndPages() throws Exception {
        Team team = team(new SyntheticSpec(SyntheticSpec.ROMAN_I_TO_X, 10, 0.25, 0.12, 0.04, 71), "alice");
        JsonPath page = team.as("alice").queryParam("limit", 200).get("/api/projects/{id}/review-queue", team.project())
                .then().statusCode(200).extract().jsonPath();
        List<Map<String, Object>> items = page.getList("items");
        assertFalse(items.isEmpty(), "planted wrong labels and junk are flagged");
        assertNull(page.get("nextCursor"), "everything fits one page of 200");
        assertEquals(1, page.getInt("reviewsRequired"));
        assertEquals(items.size(), page.getInt("progress.open"));
        assertEquals(items.size(), page.getInt("progress.flagged"));
        assertEquals(0, page.getInt("progress.reviewed"));

        // order: expected benefit, label issues first (the tier of the strongest reason), never increasing
        List<Double> priorities = page.getList("items.priority", Double.class);
        for (int i = 1; i < priorities.size(); i++) {
            assertTrue(priorities.get(i - 1) >= priorities.get(i), "priorities fall: " + priorities);
        }
        assertEquals("LABEL_ISSUE", page.getString("items[0].reasons[0].kind"));

        // evidence: the label issue is the findings' one, said in a sentence; neighbours are the 5 nearest
        Map<String, Object> first = items.getFirst();
        String firstId = (String) first.get("itemId");
        Map<String, Object> issue = labelIssues(team.project()).get(firstId);
        assertNotNull(issue, "the top item is a label issue of /findings");
        assertEquals(((Map<?, ?>) issue.get("evidence")).get("suggestedLabel"), first.get("suggestedLabel"));
        String evidence = page.getString("items[0].reasons[0].evidence");
        assertTrue(evidence.startsWith("Labelled '" + first.get("label") + "' but looks like '" + first.get("suggestedLabel")),
                evidence);
        assertEquals(5, page.getList("items[0].neighbors").size());
        List<String> nearest = given().queryParam("k", 5).get("/api/items/{id}/neighbors", firstId).then().statusCode(200)
                .extract().jsonPath().getList("itemId");
        assertEquals(nearest, page.getList("items[0].neighbors.itemId"));
        for (Map<String, Object> item : items) {
            for (Object reason : (List<?>) item.get("reasons")) {
                String text = (String) ((Map<?, ?>) reason).get("evidence");
                assertTrue(text != null && text.endsWith("."), "a plain sentence: " + text);
                double score = ((Number) ((Map<?, ?>) reason).get("score")).doubleValue();
                assertTrue(score >= 0 && score <= 1, "score in [0, 1]: " + score);
            }
        }
        // a blank page the generator planted is an outlier with its ink in the sentence
        assertTrue(items.stream().flatMap(i -> ((List<?>) i.get("reasons")).stream()).map(r -> (Map<?, ?>) r)
                .anyMatch(r -> "OUTLIER".equals(r.get("kind"))), "junk is queued as outliers");

        // pages continue where the cursor left off, in the same order
        JsonPath one = team.as("alice").queryParam("limit", 3).get("/api/projects/{id}/review-queue", team.project())
                .then().statusCode(200).extract().jsonPath();
        String cursor = one.getString("nextCursor");
        assertNotNull(cursor);
        JsonPath two = team.as("alice").queryParam("limit", 3).queryParam("cursor", cursor)
                .get("/api/projects/{id}/review-queue", team.project()).then().statusCode(200).extract().jsonPath();
        List<Object> ids = page.getList("items.itemId");
        assertEquals(ids.subList(0, 3), one.getList("items.itemId"));
        assertEquals(ids.subList(3, 6), two.getList("items.itemId"));
    }

    @Test
    void anItemTheLastEvaluationGotWrongIsQueuedWithTheModelsPrediction() throws Exception {
        Team team = team(new SyntheticSpec(SyntheticSpec.ROMAN_I_TO_X, 4, 0.25, 0, 0, 72), "alice");
        JsonPath map = given().get("/api/projects/{id}/map", team.project()).then().statusCode(200).extract().jsonPath();
        List<String> ids = map.getList("itemIds");
        List<String> labels = map.getList("labels");
        List<String> classes = SyntheticSpec.ROMAN_I_TO_X;
        // the model is sure of every label but one: it calls item 0 the next class
        String wrong = ids.getFirst();
        String predicted = classes.get((classes.indexOf(labels.getFirst()) + 1) % classes.size());
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            float[] p = new float[classes.size()];
            java.util.Arrays.fill(p, 0.01f);
            p[classes.indexOf(i == 0 ? predicted : labels.get(i))] = 0.91f;
            rows.add(Map.of("itemId", ids.get(i), "probabilities", p));
        }
        given().header("Authorization", "Bearer " + TestAuth.serviceToken(labelUrl, "trainer")).contentType(ContentType.JSON)
                .body(Map.of("versionId", UUID.randomUUID(), "evaluationId", UUID.randomUUID(), "model", "review-test",
                        "classes", classes, "items", rows))
                .put("/api/projects/{id}/model-predictions", team.project()).then().statusCode(200);

        List<Map<String, Object>> items = team.as("alice").queryParam("limit", 200)
                .get("/api/projects/{id}/review-queue", team.project()).then().statusCode(200).extract().jsonPath()
                .getList("items");
        Map<String, Object> item = items.stream().filter(i -> wrong.equals(i.get("itemId"))).findFirst()
                .orElseThrow(() -> new AssertionError("the mispredicted item is not queued: " + items));
        Map<?, ?> reason = ((List<?>) item.get("reasons")).stream().map(r -> (Map<?, ?>) r)
                .filter(r -> "MISPREDICTED".equals(r.get("kind"))).findFirst().orElseThrow();
        assertEquals(predicted, reason.get("suggestedLabel"));
        assertEquals(0.91, ((Number) reason.get("score")).doubleValue(), 1e-4);
        assertTrue(((String) reason.get("evidence")).contains("predicted '" + predicted + "'"), reason.toString());
        assertTrue(items.stream().noneMatch(i -> ((List<?>) i.get("reasons")).stream()
                .anyMatch(r -> "MISPREDICTED".equals(((Map<?, ?>) r).get("kind")) && !wrong.equals(i.get("itemId")))),
                "only the item the model got wrong is mispredicted");
    }

    @Test
    void acceptRelabelsAtTheLabelServiceInTheReviewersNameAndTheItemLeavesTheQueue() throws Exception {
        Team team = team(new SyntheticSpec(SyntheticSpec.ROMAN_I_TO_X, 8, 0.25, 0.12, 0, 73), "alice", "bob");
        Map<String, Object> top = queue(team, "alice").getFirst();
        String itemId = (String) top.get("itemId");
        String suggested = (String) top.get("suggestedLabel");
        assertNotNull(suggested);
        int version = (Integer) top.get("version");

        JsonPath review = team.as("alice").contentType(ContentType.JSON)
                .body(Map.of("itemId", itemId, "version", version, "decision", "ACCEPT"))
                .post("/api/projects/{id}/reviews", team.project()).then().statusCode(201).extract().jsonPath();
        assertEquals("APPLIED", review.getString("outcome"));
        assertEquals(team.user("alice"), review.getString("by"));
        assertEquals(suggested, review.getString("label"));
        assertEquals("ACCEPT", review.getString("decision"));
        assertTrue(review.getList("finding.kinds").contains("LABEL_ISSUE"));
        assertEquals(suggested, review.getString("finding.suggestedLabel"));
        assertNotNull(review.getString("reviewId"));
        assertNotNull(review.getString("at"));

        JsonPath item = given().baseUri(labelUrl).get("/api/items/{id}", itemId).then().statusCode(200).extract().jsonPath();
        assertEquals(suggested, item.getString("label"));
        List<Map<String, Object>> history = given().baseUri(labelUrl).get("/api/items/{id}/history", itemId)
                .then().statusCode(200).extract().jsonPath().getList("$");
        Map<String, Object> last = history.getLast();
        assertEquals(team.user("alice"), last.get("by"), "the label history names the reviewer, not the service");
        assertEquals("review", last.get("reason"));
        assertEquals(suggested, last.get("to"));

        // gone from everyone's queue, counted as reviewed and changed; deciding again on that version is stale
        assertTrue(queue(team, "bob").stream().noneMatch(i -> itemId.equals(i.get("itemId"))));
        JsonPath progress = team.as("bob").get("/api/projects/{id}/review-queue", team.project()).then().statusCode(200)
                .extract().jsonPath();
        assertEquals(1, progress.getInt("progress.reviewed"));
        assertEquals(1, progress.getInt("progress.changed"));
        problem(team.as("bob").contentType(ContentType.JSON)
                .body(Map.of("itemId", itemId, "version", version, "decision", "KEEP"))
                .post("/api/projects/{id}/reviews", team.project()), 409, "version");
    }

    @Test
    void aKeptItemDoesNotComeBackAsTheSameFindingButAnExcludedOneDoesWhenRestored() throws Exception {
        Team team = team(new SyntheticSpec(SyntheticSpec.ROMAN_I_TO_X, 8, 0.25, 0.12, 0.05, 74), "alice");
        List<Map<String, Object>> queue = queue(team, "alice");
        Map<String, Object> kept = queue.stream().filter(i -> kinds(i).equals(List.of("LABEL_ISSUE"))).findFirst()
                .orElseThrow(() -> new AssertionError("no plain label issue: " + queue));
        Map<String, Object> junk = queue.stream().filter(i -> kinds(i).equals(List.of("OUTLIER"))).findFirst()
                .orElseThrow(() -> new AssertionError("no plain outlier: " + queue));
        String keptId = (String) kept.get("itemId");
        String junkId = (String) junk.get("itemId");
        decide(team, "alice", keptId, (Integer) kept.get("version"), "KEEP", null).then().statusCode(201)
                .body("outcome", org.hamcrest.Matchers.equalTo("APPLIED"));
        decide(team, "alice", junkId, (Integer) junk.get("version"), "EXCLUDE", null).then().statusCode(201)
                .body("outcome", org.hamcrest.Matchers.equalTo("APPLIED"));
        JsonPath excluded = given().baseUri(labelUrl).get("/api/items/{id}", junkId).then().statusCode(200).extract().jsonPath();
        assertTrue(excluded.getBoolean("excluded"));
        assertEquals("review", excluded.getString("excludedReason"));
        assertEquals(team.user("alice"), lastHistory(junkId).get("by"));

        // new versions of both items, labels unchanged: the kept one stays out, the excluded one is flagged again
        excludeAndRestore(keptId);
        long restored = excluded.getLong("version");
        given().baseUri(labelUrl).contentType(ContentType.JSON).header("If-Match", "\"" + restored + "\"")
                .body(Map.of("reason", "second look")).post("/api/items/{id}/restore", junkId).then().statusCode(200);
        awaitMap(team.project(), ids -> ids.contains(keptId) && ids.contains(junkId));
        List<Map<String, Object>> after = awaitQueue(team, "alice", q -> q.stream().anyMatch(i -> junkId.equals(i.get("itemId"))));
        assertTrue(after.stream().noneMatch(i -> keptId.equals(i.get("itemId"))), "a kept label issue does not come back");
        JsonPath progress = team.as("alice").get("/api/projects/{id}/review-queue", team.project()).then().statusCode(200)
                .extract().jsonPath();
        assertEquals(2, progress.getInt("progress.reviewed"));
        assertEquals(1, progress.getInt("progress.changed"));
    }

    @Test
    void withTwoReviewsTheMajorityAppliesASplitIsADisagreementAndAgreementIsCounted() throws Exception {
        Team team = team(new SyntheticSpec(SyntheticSpec.ROMAN_I_TO_X, 8, 0.25, 0.12, 0.03, 75), "alice", "bob", "carol");
        given().contentType(ContentType.JSON).body(Map.of("reviewsRequired", 2))
                .put("/api/projects/{id}/review-settings", team.project()).then().statusCode(200);
        team.as("alice").get("/api/projects/{id}/review-settings", team.project()).then().statusCode(200)
                .body("reviewsRequired", org.hamcrest.Matchers.equalTo(2));
        List<Map<String, Object>> queue = queue(team, "alice");
        Map<String, Object> a = queue.stream().filter(i -> i.get("suggestedLabel") != null).findFirst().orElseThrow();
        List<Map<String, Object>> rest = queue.stream().filter(i -> i != a).toList();
        Map<String, Object> b = rest.get(0);
        Map<String, Object> c = rest.get(1);
        String aId = (String) a.get("itemId");
        String bId = (String) b.get("itemId");
        String cId = (String) c.get("itemId");

        // A: two ACCEPTs; the first is pending and changes nothing, the second applies in bob's name
        decide(team, "alice", aId, (Integer) a.get("version"), "ACCEPT", null).then().statusCode(201)
                .body("outcome", org.hamcrest.Matchers.equalTo("PENDING"));
        assertEquals(a.get("label"), given().baseUri(labelUrl).get("/api/items/{id}", aId).then().extract().path("label"));
        Map<String, Object> aForBob = queue(team, "bob").stream().filter(i -> aId.equals(i.get("itemId"))).findFirst()
                .orElseThrow(() -> new AssertionError("a pending item is still open for others"));
        assertEquals(List.of(team.user("alice")), ((List<?>) aForBob.get("reviews")).stream().map(r -> ((Map<?, ?>) r).get("by")).toList());
        assertTrue(queue(team, "alice").stream().noneMatch(i -> aId.equals(i.get("itemId"))), "not twice for alice");
        decide(team, "bob", aId, (Integer) a.get("version"), "RELABEL", (String) a.get("suggestedLabel")).then()
                .statusCode(201).body("outcome", org.hamcrest.Matchers.equalTo("APPLIED"));
        assertEquals(a.get("suggestedLabel"), given().baseUri(labelUrl).get("/api/items/{id}", aId).then().extract().path("label"));
        assertEquals(team.user("bob"), lastHistory(aId).get("by"));

        // B: KEEP against EXCLUDE is a tie: the disagreement list, nothing changed, out of the queue
        decide(team, "alice", bId, (Integer) b.get("version"), "KEEP", null).then().statusCode(201)
                .body("outcome", org.hamcrest.Matchers.equalTo("PENDING"));
        decide(team, "bob", bId, (Integer) b.get("version"), "EXCLUDE", null).then().statusCode(201)
                .body("outcome", org.hamcrest.Matchers.equalTo("DISAGREEMENT"));
        JsonPath disagreements = team.as("carol").get("/api/projects/{id}/review-disagreements", team.project())
                .then().statusCode(200).extract().jsonPath();
        assertEquals(List.of(bId), disagreements.getList("items.itemId"));
        assertEquals(List.of(team.user("alice"), team.user("bob")), disagreements.getList("items[0].votes.by"));
        assertEquals(List.of("KEEP", "EXCLUDE"), disagreements.getList("items[0].votes.decision"));
        assertFalse(given().baseUri(labelUrl).get("/api/items/{id}", bId).then().extract().<Boolean>path("excluded"));
        JsonPath carolsQueue = team.as("carol").queryParam("limit", 200).get("/api/projects/{id}/review-queue", team.project())
                .then().statusCode(200).extract().jsonPath();
        assertFalse(carolsQueue.getList("items.itemId").contains(bId));
        assertEquals(1, carolsQueue.getInt("progress.disagreements"));

        // the team settles it: carol (signed in with the page's session) keeps it, 2 of 3
        TestAuth.Session session = TestAuth.signIn(labelUrl, team.user("carol"), PASSWORD);
        given().header("Authorization", "").cookies(session.cookies()).header("X-Loupe-CSRF", session.csrf())
                .contentType(ContentType.JSON)
                .body(Map.of("itemId", bId, "version", b.get("version"), "decision", "KEEP"))
                .post("/api/projects/{id}/reviews", team.project()).then().statusCode(201)
                .body("outcome", org.hamcrest.Matchers.equalTo("APPLIED"))
                .body("by", org.hamcrest.Matchers.equalTo(team.user("carol")));
        team.as("carol").get("/api/projects/{id}/review-disagreements", team.project()).then().statusCode(200)
                .body("items", org.hamcrest.Matchers.empty());

        // C: alice changes her mind; her second decision replaces the first (still one vote, pending)
        decide(team, "alice", cId, (Integer) c.get("version"), "UNSURE", null).then().statusCode(201)
                .body("outcome", org.hamcrest.Matchers.equalTo("RECORDED"));
        decide(team, "alice", cId, (Integer) c.get("version"), "KEEP", null).then().statusCode(201)
                .body("outcome", org.hamcrest.Matchers.equalTo("PENDING"));
        Map<String, Object> cForBob = queue(team, "bob").stream().filter(i -> cId.equals(i.get("itemId"))).findFirst()
                .orElseThrow();
        assertEquals(List.of("KEEP"), ((List<?>) cForBob.get("reviews")).stream().map(r -> ((Map<?, ?>) r).get("decision")).toList());

        // agreement with what applied: alice 2 of 2 (her pending C is not decided), bob 1 of 2, carol 1 of 1
        JsonPath agreement = team.as("bob").get("/api/projects/{id}/review-agreement", team.project()).then()
                .statusCode(200).extract().jsonPath();
        Map<String, List<Number>> byReviewer = new HashMap<>();
        for (Map<String, Object> row : agreement.<Map<String, Object>>getList("reviewers")) {
            byReviewer.put((String) row.get("reviewer"), List.of((Number) row.get("decisions"), (Number) row.get("decided"),
                    (Number) row.get("agreeing")));
        }
        assertEquals(List.of(3, 2, 2), byReviewer.get(team.user("alice")));
        assertEquals(List.of(2, 2, 1), byReviewer.get(team.user("bob")));
        assertEquals(List.of(1, 1, 1), byReviewer.get(team.user("carol")));
        assertEquals(0.5, agreement.getDouble("reviewers.find { it.reviewer == '" + team.user("bob") + "' }.agreement"), 1e-9);
        Map<String, int[]> expectedClasses = new HashMap<>();
        expectedClasses.computeIfAbsent((String) a.get("label"), k -> new int[3]);
        int[] ca = expectedClasses.get((String) a.get("label"));
        ca[0] += 2; ca[1] += 2; ca[2] += 2;
        int[] cb = expectedClasses.computeIfAbsent((String) b.get("label"), k -> new int[3]);
        cb[0] += 3; cb[1] += 3; cb[2] += 2;
        int[] cc = expectedClasses.computeIfAbsent((String) c.get("label"), k -> new int[3]);
        cc[0] += 1;
        for (Map<String, Object> row : agreement.<Map<String, Object>>getList("classes")) {
            int[] want = expectedClasses.get((String) row.get("label"));
            assertNotNull(want, "an unexpected class row " + row);
            assertEquals(List.of(want[0], want[1], want[2]), List.of(row.get("decisions"), row.get("decided"), row.get("agreeing")),
                    "class " + row.get("label"));
        }
        assertEquals(expectedClasses.size(), agreement.getList("classes").size());
    }

    @Test
    void badDecisionsAreRefusedNamingTheFieldAndRecordNothing() throws Exception {
        Team team = team(new SyntheticSpec(SyntheticSpec.ROMAN_I_TO_X, 4, 0.25, 0.1, 0, 76), "alice");
        String other = LoupeClient.createProject(labelUrl, "review-other", List.of("i", "ii"));
        String foreign = LoupeClient.addImage(labelUrl, other, "i");
        Map<String, Object> item = queue(team, "alice").getFirst();
        String id = (String) item.get("itemId");
        int version = (Integer) item.get("version");
        awaitKnown(foreign);
        int historyBefore = given().baseUri(labelUrl).get("/api/items/{id}/history", id).then().statusCode(200).extract()
                .jsonPath().getList("$").size();

        problem(decide(team, "alice", UUID.randomUUID().toString(), 1, "KEEP", null), 404, null);
        problem(decide(team, "alice", foreign, 1, "KEEP", null), 404, null);
        problem(decide(team, "alice", id, version, "MAYBE", null), 422, "decision");
        problem(decide(team, "alice", id, version, "RELABEL", "zz"), 422, "label");
        problem(decide(team, "alice", id, version, "RELABEL", null), 422, "label");
        problem(decide(team, "alice", id, version, "KEEP", "i"), 422, "label");
        problem(decide(team, "alice", id, version + 5, "KEEP", null), 409, "version");
        problem(team.as("alice").contentType(ContentType.JSON).body(Map.of("version", version, "decision", "KEEP"))
                .post("/api/projects/{id}/reviews", team.project()), 422, "itemId");
        for (String limit : List.of("0", "201", "many")) {
            problem(team.as("alice").queryParam("limit", limit).get("/api/projects/{id}/review-queue", team.project()),
                    400, "limit");
        }
        problem(team.as("alice").queryParam("cursor", "not-a-cursor").get("/api/projects/{id}/review-queue", team.project()),
                400, "cursor");
        for (int k : List.of(0, 6)) {
            problem(given().contentType(ContentType.JSON).body(Map.of("reviewsRequired", k))
                    .put("/api/projects/{id}/review-settings", team.project()), 422, "reviewsRequired");
        }
        // an annotator may decide but not change the settings
        team.as("alice").contentType(ContentType.JSON).body(Map.of("reviewsRequired", 3))
                .put("/api/projects/{id}/review-settings", team.project()).then().statusCode(403);

        // nothing was recorded: no decisions, the item still open, the settings unchanged
        team.as("alice").get("/api/projects/{id}/review-agreement", team.project()).then().statusCode(200)
                .body("reviewers", org.hamcrest.Matchers.empty());
        assertTrue(queue(team, "alice").stream().anyMatch(i -> id.equals(i.get("itemId"))));
        team.as("alice").get("/api/projects/{id}/review-settings", team.project()).then().statusCode(200)
                .body("reviewsRequired", org.hamcrest.Matchers.equalTo(1));
        assertEquals(historyBefore, given().baseUri(labelUrl).get("/api/items/{id}/history", id).then().statusCode(200)
                .extract().jsonPath().getList("$").size(), "the label service saw no change");
    }

    // ------------------------------------------------------------------ helpers

    private Team team(SyntheticSpec spec, String... reviewers) throws IOException {
        ByteArrayOutputStream zip = new ByteArrayOutputStream();
        ImageFolderZip.write(new RomanNumeralGenerator(spec).generate(), zip);
        String project = LoupeClient.importZip(labelUrl, "review", spec.classes(), zip.toByteArray());
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        Map<String, String> roles = new HashMap<>();
        Map<String, String> tokens = new HashMap<>();
        Map<String, String> names = new HashMap<>();
        for (String reviewer : reviewers) {
            String user = reviewer + "-" + suffix;
            TestAuth.createUser(labelUrl, user, PASSWORD);
            roles.put(user, "annotator");
            names.put(reviewer, user);
        }
        TestAuth.setMembers(labelUrl, project, roles);
        names.forEach((reviewer, user) -> tokens.put(reviewer, TestAuth.token(labelUrl, user, PASSWORD, null)));
        int total = spec.classes().size() * spec.perClass();
        awaitStatus(project, s -> s.getLong("embedded") + s.getLong("failed") >= total && s.getLong("pending") == 0);
        return new Team(project, tokens, names);
    }

    private static List<String> kinds(Map<String, Object> item) {
        return ((List<?>) item.get("reasons")).stream().map(r -> (String) ((Map<?, ?>) r).get("kind")).distinct().toList();
    }

    private List<Map<String, Object>> queue(Team team, String reviewer) {
        return team.as(reviewer).queryParam("limit", 200).get("/api/projects/{id}/review-queue", team.project())
                .then().statusCode(200).extract().jsonPath().getList("items");
    }

    private List<Map<String, Object>> awaitQueue(Team team, String reviewer, Predicate<List<Map<String, Object>>> done)
            throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        List<Map<String, Object>> queue = queue(team, reviewer);
        while (!done.test(queue)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the queue never got there: " + queue);
            }
            Thread.sleep(300);
            queue = queue(team, reviewer);
        }
        return queue;
    }

    private static Response decide(Team team, String reviewer, String itemId, long version, String decision, String label) {
        Map<String, Object> body = new HashMap<>(Map.of("itemId", itemId, "version", version, "decision", decision));
        if (label != null) {
            body.put("label", label);
        }
        return team.as(reviewer).contentType(ContentType.JSON).body(body).post("/api/projects/{id}/reviews", team.project());
    }

    private static void problem(Response response, int status, String field) {
        response.then().statusCode(status).contentType("application/problem+json");
        if (field != null) {
            assertTrue(response.jsonPath().getList("errors.field").contains(field),
                    "names " + field + ": " + response.asString());
        }
    }

    private Map<String, Object> lastHistory(String itemId) {
        return given().baseUri(labelUrl).get("/api/items/{id}/history", itemId).then().statusCode(200).extract()
                .jsonPath().<Map<String, Object>>getList("$").getLast();
    }

    private Map<String, Map<String, Object>> labelIssues(String project) {
        Map<String, Map<String, Object>> byItem = new HashMap<>();
        given().queryParam("type", "label-issue").get("/api/projects/{id}/findings", project).then().statusCode(200)
                .extract().jsonPath().<Map<String, Object>>getList("findings")
                .forEach(f -> byItem.put((String) ((List<?>) f.get("itemIds")).getFirst(), f));
        return byItem;
    }

    private void excludeAndRestore(String itemId) {
        long version = given().baseUri(labelUrl).get("/api/items/{id}", itemId).then().extract().jsonPath().getLong("version");
        given().baseUri(labelUrl).header("If-Match", "\"" + version + "\"").queryParam("reason", "look again")
                .delete("/api/items/{id}", itemId).then().statusCode(200);
        given().baseUri(labelUrl).contentType(ContentType.JSON).header("If-Match", "\"" + (version + 1) + "\"")
                .body(Map.of("reason", "back")).post("/api/items/{id}/restore", itemId).then().statusCode(200);
    }

    private void awaitKnown(String itemId) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (given().queryParam("k", 1).get("/api/items/{id}/neighbors", itemId).statusCode() == 404) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the embedding service never heard of item " + itemId);
            }
            Thread.sleep(200);
        }
    }

    private void awaitMap(String project, Predicate<List<String>> done) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            List<String> ids = given().get("/api/projects/{id}/map", project).then().statusCode(200).extract().jsonPath()
                    .getList("itemIds");
            if (done.test(ids)) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the map never got there");
            }
            Thread.sleep(200);
        }
    }

    private static void awaitStatus(String project, Predicate<JsonPath> done) {
        long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
        while (true) {
            Response response = given().get("/api/projects/{id}/embeddings/status", project);
            if (response.statusCode() == 200 && done.test(response.jsonPath())) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the project was never embedded: " + response.asString());
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
