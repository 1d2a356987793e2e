package dev.loupe.e2e;

import io.restassured.path.json.JsonPath;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;

/** What the services of a stack hold, read the way the e2e tests compare them after failures and restores. */
final class StackState {

    private StackState() {
    }

    /** Each item's "label@version" in the label service, by id. */
    static Map<String, String> labelsAndVersions(String labelUrl, String project) {
        Map<String, String> m = new HashMap<>();
        for (int page = 0; ; page++) {
            List<Map<String, Object>> rows = given().baseUri(labelUrl).queryParam("size", 1000).queryParam("page", page)
                    .get("/api/projects/{id}/items", project).then().statusCode(200).extract().jsonPath().getList("items");
            rows.forEach(i -> m.put((String) i.get("id"), i.get("label") + "@" + ((Number) i.get("version")).longValue()));
            if (rows.size() < 1000) {
                return m;
            }
        }
    }

    /**
     * Whether the split holds every one of the label service's {@code items} items once, at its label and version, and
     * the map shows each with its label.
     */
    static boolean splitAndMapAgree(String labelUrl, String datasetUrl, String embeddingUrl, String project, int items) {
        Map<String, String> truth = labelsAndVersions(labelUrl, project);
        List<Map<String, Object>> split = given().baseUri(datasetUrl).queryParam("size", 10000)
                .get("/api/projects/{id}/split/items", project).then().statusCode(200).extract().jsonPath().getList("items");
        JsonPath map = given().baseUri(embeddingUrl).get("/api/projects/{id}/map", project).then().statusCode(200)
                .extract().jsonPath();
        List<String> mapIds = map.getList("itemIds");
        List<String> mapLabels = map.getList("labels");
        if (truth.size() != items || split.size() != items || mapIds == null || mapIds.size() != items
                || split.stream().map(a -> a.get("itemId")).distinct().count() != items) {
            return false;
        }
        for (Map<String, Object> a : split) {
            if (!truth.get((String) a.get("itemId")).equals(a.get("label") + "@" + ((Number) a.get("itemVersion")).longValue())) {
                return false;
            }
        }
        for (int i = 0; i < mapIds.size(); i++) {
            if (!truth.get(mapIds.get(i)).startsWith(mapLabels.get(i) + "@")) {
                return false;
            }
        }
        return true;
    }

    /** Outbox rows of a service's schema not yet on the broker. */
    static long unpublished(Map<String, String> config, String schema) {
        try (Connection c = DriverManager.getConnection(config.get("quarkus.datasource.jdbc.url"),
                config.get("quarkus.datasource.username"), config.get("quarkus.datasource.password"));
             Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT count(*) FROM " + schema + ".outbox_event WHERE published_at IS NULL")) {
            r.next();
            return r.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException("reading " + schema + ".outbox_event", e);
        }
    }
}
