package dev.loupe.label;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;

@QuarkusTest
class BulkRelabelTest {

    @Test
    void aWholeSelectionIsRelabelledAtOnce() {
        String project = LabelApi.createProject();
        List<String> ids = addItems(project, 40, "ii");

        given().contentType(ContentType.JSON).header("Loupe-User", "team")
                .body(Map.of("reason", "region of the map is iii", "changes", changes(ids, 1, "iii")))
                .post("/api/projects/{id}/relabels", project)
                .then().statusCode(200)
                .body("items", hasSize(40))
                .body("items.label", everyItem(equalTo("iii")))
                .body("items.version", everyItem(equalTo(2)));
        given().queryParam("label", "iii").queryParam("size", 100).get("/api/projects/{id}/items", project)
                .then().body("total", equalTo(40));
        given().get("/api/items/{id}/history", ids.get(7)).then()
                .body("[1].by", equalTo(dev.loupe.testing.TestAuth.ADMIN)).body("[1].reason", equalTo("region of the map is iii"));
    }

    @Test
    void oneStaleItemRefusesTheWholeBatch() {
        String project = LabelApi.createProject();
        List<String> ids = addItems(project, 10, "vi");
        LabelApi.relabel(ids.get(3), "iv", 1, "someone-else").then().statusCode(200);

        given().contentType(ContentType.JSON)
                .body(Map.of("changes", changes(ids, 1, "vii")))
                .post("/api/projects/{id}/relabels", project)
                .then().statusCode(412).contentType("application/problem+json")
                .body("errors", hasSize(1))
                .body("errors[0].field", equalTo("changes[3].version"))
                .body("errors[0].message", containsString("is at version 2"));

        // nothing applied: the other nine still carry their old label and version
        for (int i = 0; i < ids.size(); i++) {
            var item = LabelApi.item(ids.get(i));
            assertEquals(i == 3 ? "iv" : "vi", item.getString("label"));
            assertEquals(i == 3 ? 2 : 1, item.getInt("version"));
        }
    }

    @Test
    void invalidChangesAreAllNamedAndNothingChanges() {
        String project = LabelApi.createProject();
        String other = LabelApi.createProject();
        List<String> ids = addItems(project, 3, "i");
        String foreign = LabelApi.addItem(other, "i").getString("id");

        List<Map<String, Object>> changes = new ArrayList<>(changes(ids, 1, "ii"));
        changes.get(1).put("label", "twelve");
        changes.get(2).remove("version");
        changes.add(new HashMap<>(Map.of("itemId", ids.get(0), "version", 1, "label", "ii")));
        given().contentType(ContentType.JSON).body(Map.of("changes", changes))
                .post("/api/projects/{id}/relabels", project)
                .then().statusCode(422)
                .body("errors.field", equalTo(List.of("changes[1].label", "changes[2].version", "changes[3].itemId")));

        given().contentType(ContentType.JSON)
                .body(Map.of("changes", List.of(Map.of("itemId", foreign, "version", 1, "label", "ii"))))
                .post("/api/projects/{id}/relabels", project)
                .then().statusCode(422).body("errors[0].field", equalTo("changes[0].itemId"));
        given().contentType(ContentType.JSON).body(Map.of("changes", List.of()))
                .post("/api/projects/{id}/relabels", project)
                .then().statusCode(422).body("errors[0].field", equalTo("changes"));
        given().contentType(ContentType.JSON)
                .body("{\"changes\":[{\"itemId\":\"not-a-uuid\",\"version\":1,\"label\":\"ii\"}]}")
                .post("/api/projects/{id}/relabels", project)
                .then().statusCode(400).body("errors[0].field", equalTo("changes[0].itemId"));

        ids.forEach(id -> assertEquals(1, LabelApi.item(id).getInt("version")));
    }

    @Test
    void anExcludedItemInTheBatchIsAConflict() {
        String project = LabelApi.createProject();
        List<String> ids = addItems(project, 3, "x");
        given().delete("/api/items/{id}", ids.get(2)).then().statusCode(200);
        given().contentType(ContentType.JSON).body(Map.of("changes", changes(ids, 1, "ix")))
                .post("/api/projects/{id}/relabels", project)
                .then().statusCode(409).body("errors[0].field", equalTo("changes[2].itemId"));
        assertEquals("x", LabelApi.item(ids.get(0)).getString("label"));
    }

    @Test
    void aSelectionIsExcludedAndRestoredAtOnceAndAnAlreadyExcludedItemStaysAsItIs() {
        String project = LabelApi.createProject();
        List<String> ids = addItems(project, 30, "v");
        given().queryParam("reason", "blank").delete("/api/items/{id}", ids.get(0)).then().statusCode(200);

        List<Map<String, Object>> refs = refs(ids, 1);
        refs.getFirst().put("version", 2); // excluded already, at version 2: left as it is
        given().contentType(ContentType.JSON).body(Map.of("reason", "map selection: smudges", "items", refs))
                .post("/api/projects/{id}/exclusions", project)
                .then().statusCode(200)
                .body("items", hasSize(30))
                .body("items.excluded", everyItem(equalTo(true)))
                .body("items.version", everyItem(equalTo(2)));
        given().queryParam("excluded", "true").queryParam("size", 100).get("/api/projects/{id}/items", project)
                .then().body("total", equalTo(30));
        given().get("/api/items/{id}/history", ids.get(0)).then().body("$", hasSize(2)).body("[1].reason", equalTo("blank"));
        given().get("/api/items/{id}/history", ids.get(5)).then()
                .body("[1].action", equalTo("EXCLUDED")).body("[1].reason", equalTo("map selection: smudges"));

        given().contentType(ContentType.JSON).body(Map.of("items", refs(ids, 2)))
                .post("/api/projects/{id}/restorations", project)
                .then().statusCode(200)
                .body("items.excluded", everyItem(equalTo(false)))
                .body("items.version", everyItem(equalTo(3)));
        given().queryParam("size", 100).get("/api/projects/{id}/items", project).then().body("total", equalTo(30));
    }

    @Test
    void aBadOrStaleExclusionIsRefusedWholeAndChangesNothing() {
        String project = LabelApi.createProject();
        String other = LabelApi.createProject();
        List<String> ids = addItems(project, 4, "iv");
        String foreign = LabelApi.addItem(other, "iv").getString("id");
        LabelApi.relabel(ids.get(2), "vi", 1, "someone-else").then().statusCode(200);

        given().contentType(ContentType.JSON).body(Map.of("items", refs(ids, 1)))
                .post("/api/projects/{id}/exclusions", project)
                .then().statusCode(412).contentType("application/problem+json")
                .body("errors.field", equalTo(List.of("items[2].version")));
        List<Map<String, Object>> bad = refs(ids, 1);
        bad.get(1).remove("version");
        bad.add(new HashMap<>(Map.of("itemId", ids.get(0), "version", 1)));
        bad.add(new HashMap<>(Map.of("itemId", foreign, "version", 1)));
        given().contentType(ContentType.JSON).body(Map.of("items", bad))
                .post("/api/projects/{id}/exclusions", project)
                .then().statusCode(422)
                .body("errors.field", equalTo(List.of("items[1].version", "items[4].itemId")));
        given().contentType(ContentType.JSON).body(Map.of("items", List.of(Map.of("itemId", foreign, "version", 1))))
                .post("/api/projects/{id}/exclusions", project)
                .then().statusCode(422).body("errors[0].field", equalTo("items[0].itemId"));
        given().contentType(ContentType.JSON).body(Map.of("items", List.of()))
                .post("/api/projects/{id}/restorations", project)
                .then().statusCode(422).body("errors[0].field", equalTo("items"));
        given().contentType(ContentType.JSON).body("{\"items\":[{\"itemId\":\"not-a-uuid\",\"version\":1}]}")
                .post("/api/projects/{id}/exclusions", project)
                .then().statusCode(400).body("errors[0].field", equalTo("items[0].itemId"));

        for (int i = 0; i < ids.size(); i++) {
            var item = LabelApi.item(ids.get(i));
            assertEquals(false, item.getBoolean("excluded"));
            assertEquals(i == 2 ? 2 : 1, item.getInt("version"));
        }
    }

    private static List<Map<String, Object>> refs(List<String> ids, int version) {
        List<Map<String, Object>> refs = new ArrayList<>();
        for (String id : ids) {
            refs.add(new HashMap<>(Map.of("itemId", id, "version", version)));
        }
        return refs;
    }

    private static List<String> addItems(String project, int n, String label) {
        byte[] png = LabelApi.png(label, 77);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ids.add(LabelApi.addItem(project, label, png).getString("id"));
        }
        return ids;
    }

    private static List<Map<String, Object>> changes(List<String> ids, int version, String label) {
        List<Map<String, Object>> changes = refs(ids, version);
        changes.forEach(change -> change.put("label", label));
        return changes;
    }
}
