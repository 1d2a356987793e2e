package dev.loupe.label;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;

@QuarkusTest
class ProjectResourceTest {

    @Test
    void createdProjectIsListedAndFetchedWithItsClasses() {
        String name = "roman-" + UUID.randomUUID();
        var created = given().contentType(ContentType.JSON)
                .body(Map.of("name", name, "classes", List.of("i", "ii", "iii")))
                .post("/api/projects")
                .then().statusCode(201)
                .body("name", equalTo(name))
                .body("classes", equalTo(List.of("i", "ii", "iii")))
                .extract();
        String id = created.path("id");
        org.hamcrest.MatcherAssert.assertThat(created.header("Location"), endsWith("/api/projects/" + id));

        given().get("/api/projects/{id}", id).then().statusCode(200)
                .body("id", equalTo(id)).body("classes", hasSize(3));
        given().get("/api/projects").then().statusCode(200).body("id", hasItem(id));
    }

    @Test
    void duplicateNameIsAConflict() {
        String name = "dup-" + UUID.randomUUID();
        LabelApi.createProject(name, List.of("a"));
        given().contentType(ContentType.JSON).body(Map.of("name", name, "classes", List.of("b")))
                .post("/api/projects")
                .then().statusCode(409).contentType("application/problem+json")
                .body("errors[0].field", equalTo("name"));
    }

    @Test
    void invalidClassesAreNamedOneByOne() {
        int before = given().get("/api/projects").then().extract().jsonPath().getList("$").size();
        given().contentType(ContentType.JSON)
                .body(Map.of("name", "bad-" + UUID.randomUUID(), "classes", List.of("ok", "../etc", "OK")))
                .post("/api/projects")
                .then().statusCode(422).contentType("application/problem+json")
                .body("status", equalTo(422))
                .body("errors.field", equalTo(List.of("classes[1]", "classes[2]")))
                .body("errors[1].message", containsString("duplicate"));
        given().contentType(ContentType.JSON).body(Map.of("name", " ", "classes", List.of()))
                .post("/api/projects")
                .then().statusCode(422).body("errors.field", equalTo(List.of("name", "classes")));
        given().get("/api/projects").then().body("$", hasSize(before));
    }

    @Test
    void malformedJsonIsA400ProblemNamingTheField() {
        given().contentType(ContentType.JSON).body("{\"name\": \"x\", \"classes\": ")
                .post("/api/projects")
                .then().statusCode(400).contentType("application/problem+json")
                .body("title", equalTo("Malformed JSON"));
        given().contentType(ContentType.JSON).body("{\"name\": \"x\", \"classes\": {\"a\":1}}")
                .post("/api/projects")
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("classes"));
    }

    @Test
    void nulOrAnUnpairedSurrogateInTextIsA400NamingTheFieldAndCreatesNothing() {
        int before = given().get("/api/projects").then().extract().jsonPath().getList("$").size();
        given().contentType(ContentType.JSON).body("{\"name\": \"nul\\u0000name\", \"classes\": [\"i\"]}")
                .post("/api/projects")
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("name"));
        given().contentType(ContentType.JSON).body("{\"name\": \"lone\", \"classes\": [\"i\", \"\\uD800\"]}")
                .post("/api/projects")
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("classes[1]"));
        String item = LabelApi.addItem(LabelApi.createProject(), "i").getString("id");
        given().urlEncodingEnabled(false).header("If-Match", "*").delete("/api/items/" + item + "?reason=bad%00reason")
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("reason"));
        given().get("/api/items/{id}", item).then().statusCode(200).body("excluded", equalTo(false));
        given().get("/api/projects").then().body("$", hasSize(before + 1));
    }

    @Test
    void unknownProjectIsA404Problem() {
        given().get("/api/projects/{id}", UUID.randomUUID())
                .then().statusCode(404).contentType("application/problem+json")
                .body("detail", containsString("does not exist"));
        given().get("/api/projects/not-a-uuid").then().statusCode(404).contentType("application/problem+json");
    }
}
