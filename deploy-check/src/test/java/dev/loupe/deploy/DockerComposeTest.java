package dev.loupe.deploy;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.loupe.deploy.Yamls.at;
import static dev.loupe.deploy.Yamls.list;
import static dev.loupe.deploy.Yamls.map;
import static dev.loupe.deploy.Yamls.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** docker-compose.yml: parsed, pinned, healthy before dependants start, and configured with keys the code reads. */
class DockerComposeTest {

    private static final Pattern JDBC_URL = Pattern.compile("jdbc:postgresql://([^:/?]+)(?::(\\d+))?/([^?]+).*");
    private static final Pattern HTTP_URL = Pattern.compile("https?://([^:/]+)(?::(\\d+))?(/.*)?");
    private static final Pattern DEFAULTED = Pattern.compile("\\$\\{[A-Za-z0-9_]+:?-([^}]*)}");

    private static Map<String, Object> compose;
    private static Map<String, Object> services;

    @BeforeAll
    static void parse() {
        compose = Yamls.document(Repo.read(Repo.root().resolve("docker-compose.yml")));
        services = map(compose.get("services"));
    }

    static List<String> serviceNames() {
        return Repo.SERVICES.stream().map(Repo.Service::name).toList();
    }

    @Test
    void runsKafkaInKraftModeOnOneNodeAndPostgres() {
        assertTrue(services.keySet().containsAll(List.of("kafka", "postgres")), "compose has kafka and postgres: " + services.keySet());
        Map<String, String> kafka = environment("kafka");
        assertTrue(kafka.get("KAFKA_PROCESS_ROLES").contains("controller") && kafka.get("KAFKA_PROCESS_ROLES").contains("broker"),
                "Kafka runs KRaft, broker and controller in one node");
        for (String factor : List.of("KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR", "KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR",
                "KAFKA_TRANSACTION_STATE_LOG_MIN_ISR")) {
            assertEquals("1", kafka.get(factor), factor + " on a single node");
        }
        assertEquals("loupe", environment("postgres").get("POSTGRES_DB"), "one database, loupe");
        for (String infrastructure : List.of("kafka", "postgres")) {
            assertNotNull(at(services.get(infrastructure), "healthcheck", "test"), infrastructure + " has a healthcheck");
            assertFalse(list(at(services.get(infrastructure), "volumes")).isEmpty(), infrastructure + " keeps its data in a volume");
        }
    }

    @Test
    void kafkaPostgresAndMinioArePublishedOnLoopbackOnly() {
        for (String infrastructure : List.of("kafka", "postgres", "minio")) {
            List<String> ports = list(at(services.get(infrastructure), "ports")).stream().map(Yamls::text).toList();
            assertFalse(ports.isEmpty(), infrastructure + " publishes a port for tools on the host");
            for (String port : ports) {
                // "9092:9092" binds every interface: the broker, the database and the images would be open to the network
                assertTrue(port != null && port.startsWith("127.0.0.1:"), infrastructure + " publishes " + port
                        + " on 127.0.0.1 only");
            }
        }
    }

    @Test
    void everyImageIsPinned() {
        List<String> problems = new ArrayList<>();
        services.forEach((name, service) -> {
            String image = text(at(service, "image"));
            if (image == null) {
                problems.add(name + " has no image (a build alone would be tagged latest)");
            } else if (Images.composeProblem(image) != null) {
                problems.add(name + ": " + Images.composeProblem(image));
            }
        });
        assertTrue(problems.isEmpty(), problems.toString());
    }

    @Test
    void namedVolumesAreDeclared() {
        Set<String> declared = map(compose.get("volumes")).keySet();
        services.forEach((name, service) -> {
            for (Object volume : list(at(service, "volumes"))) {
                String source = text(volume) != null ? text(volume).split(":")[0] : text(at(volume, "source"));
                if (source != null && !source.startsWith(".") && !source.startsWith("/")) {
                    assertTrue(declared.contains(source), name + " uses volume " + source + ", declared under volumes:");
                }
            }
        });
    }

    @ParameterizedTest
    @MethodSource("serviceNames")
    void serviceIsBuiltPublishedAndHealthChecked(String name) {
        Repo.Service service = Repo.service(name);
        Object definition = services.get(name);
        assertNotNull(definition, "compose runs " + name);
        String context = text(at(definition, "build", "context"));
        String dockerfile = text(at(definition, "build", "dockerfile"));
        assertNotNull(context, name + " has a build context");
        assertEquals(Repo.root(), Repo.root().resolve(context).normalize(),
                name + " is built from the repository root (the Dockerfile builds the multi-module reactor)");
        Path file = Repo.root().resolve(context).resolve(dockerfile == null ? "Dockerfile" : dockerfile).normalize();
        assertEquals(service.dockerfile().normalize(), file, name + " is built from its Dockerfile");
        assertTrue(list(at(definition, "ports")).stream().map(Yamls::text).anyMatch(p -> p.endsWith(":" + service.port())),
                name + " publishes port " + service.port());
        String test = String.join(" ", list(at(definition, "healthcheck", "test")).stream().map(Yamls::text).toList());
        assertTrue(test.contains("localhost:" + service.port() + "/q/health/ready"), name + " is healthy when ready: " + test);
    }

    @ParameterizedTest
    @MethodSource("serviceNames")
    void serviceStartsAfterEverythingItTalksToIsHealthy(String name) {
        Map<String, String> env = environment(name);
        Map<String, Object> dependsOn = map(at(services.get(name), "depends_on"));
        assertFalse(dependsOn.isEmpty(), name + " declares depends_on with conditions (the long form)");
        dependsOn.forEach((dependency, condition) -> {
            assertEquals("service_healthy", text(at(condition, "condition")), name + " waits until " + dependency + " is healthy");
            assertNotNull(at(services.get(dependency), "healthcheck"), dependency + " has a healthcheck to wait for");
        });

        String bootstrap = env.get("LOUPE_KAFKA_BOOTSTRAP");
        assertNotNull(bootstrap, name + " sets LOUPE_KAFKA_BOOTSTRAP");
        String kafkaHost = bootstrap.split(":")[0];
        assertTrue(environment(kafkaHost).getOrDefault("KAFKA_ADVERTISED_LISTENERS", "").contains("//" + bootstrap),
                name + ": " + bootstrap + " is a listener " + kafkaHost + " advertises");
        Matcher jdbc = JDBC_URL.matcher(env.getOrDefault("LOUPE_DB_URL", ""));
        assertTrue(jdbc.matches(), name + " sets LOUPE_DB_URL to a PostgreSQL JDBC URL");
        assertEquals(environment(jdbc.group(1)).get("POSTGRES_DB"), jdbc.group(3), name + " uses the database postgres creates");
        assertEquals(environment(jdbc.group(1)).get("POSTGRES_USER"), env.get("LOUPE_DB_USER"), name + " uses the database user");
        assertEquals(environment(jdbc.group(1)).get("POSTGRES_PASSWORD"), env.get("LOUPE_DB_PASSWORD"), name + " uses its password");

        Set<String> talksTo = new TreeSet<>(List.of(kafkaHost, jdbc.group(1)));
        env.forEach((key, value) -> {
            Matcher http = HTTP_URL.matcher(value);
            if ((key.endsWith("_URL") || key.endsWith("_ENDPOINT")) && http.matches()) {
                String host = http.group(1);
                assertTrue(services.containsKey(host), name + " " + key + " names a compose service: " + host);
                if (serviceNames().contains(host)) {
                    assertEquals(String.valueOf(Repo.service(host).port()), http.group(2), name + " " + key + " port");
                } else {
                    assertTrue(list(at(services.get(host), "ports")).stream().map(Yamls::text).anyMatch(p -> p.endsWith(":" + http.group(2))),
                            name + " " + key + ": " + host + " listens on " + http.group(2));
                }
                talksTo.add(host);
            }
        });
        assertTrue(dependsOn.keySet().containsAll(talksTo), name + " depends_on everything it talks to: " + talksTo);
    }

    @ParameterizedTest
    @MethodSource("serviceNames")
    void environmentVariablesAreKeysTheServiceReads(String name) {
        Repo.Service service = Repo.service(name);
        assertTrue(service.applicationProperties().isPresent(), name + " has a src/main/resources/application.properties");
        Set<String> known = CodeFacts.environmentKeys(service);
        Set<String> pending = Identities.pendingAuthKeys(service);
        List<String> unknown = environment(name).keySet().stream().filter(k -> !known.contains(k) && !pending.contains(k)).toList();
        assertTrue(unknown.isEmpty(), name + " sets variables it does not read: " + unknown + " (it reads " + known + ")");
    }

    @Test
    void webhookLoopbackIsNotAllowed() {
        for (String name : services.keySet()) {
            Map<String, String> env = environment(name);
            String loopback = env.get("LOUPE_DATASET_WEBHOOKS_ALLOW_LOOPBACK");
            assertTrue(loopback == null || loopback.equalsIgnoreCase("false"), name + ": loopback webhooks stay refused");
            String profile = env.getOrDefault("QUARKUS_PROFILE", "");
            assertFalse(profile.matches(".*\\b(dev|test)\\b.*"), name + ": the %dev and %test profiles allow loopback webhooks");
        }
    }

    @Test
    void keycloakRunsOnlyInProfileTeamOnLoopbackWithTheRealmFileOfTheKubernetesComponent() {
        Object keycloak = services.get("keycloak");
        assertNotNull(keycloak, "compose has a keycloak service");
        assertEquals(List.of("team"), list(at(keycloak, "profiles")), "keycloak runs only with --profile team");
        services.forEach((name, service) -> {
            if (!name.equals("keycloak")) {
                assertTrue(list(at(service, "profiles")).isEmpty(), name + " runs without a profile: plain `docker compose up` is unchanged");
            }
        });
        List<String> ports = list(at(keycloak, "ports")).stream().map(Yamls::text).toList();
        assertFalse(ports.isEmpty(), "keycloak is published for the browser");
        ports.forEach(port -> assertTrue(port.startsWith("127.0.0.1:"), "keycloak is published on loopback only: " + port));
        List<String> command = list(at(keycloak, "command")).stream().map(Yamls::text).toList();
        assertTrue(command.contains("--import-realm"), "keycloak imports the realm: " + command);
        String realm = list(at(keycloak, "volumes")).stream().map(Yamls::text).filter(v -> v.contains("/opt/keycloak/data/import/"))
                .findFirst().orElseThrow(() -> new AssertionError("keycloak mounts a realm into /opt/keycloak/data/import"));
        Path file = Repo.root().resolve(realm.split(":")[0]).normalize();
        assertEquals(Repo.root().resolve("deploy/components/keycloak/loupe-realm.json"), file,
                "compose imports the realm file the Kubernetes component imports");
        IdentitiesTest.assertRealm(Yamls.document(Repo.read(file)));
        assertEquals(environment("keycloak").get("LOUPE_OIDC_CLIENT_SECRET"), environment("label-service").get("LOUPE_AUTH_OIDC_CLIENT_SECRET"),
                "label-service signs in to Keycloak with the client secret Keycloak's realm gets");
        assertEquals("false", environment("label-service").get("LOUPE_AUTH_OIDC_ENABLED"), "OIDC is off unless you turn it on");
        Object dependency = at(services.get("label-service"), "depends_on", "keycloak");
        assertEquals("false", text(at(dependency, "required")), "label-service waits for keycloak only when the profile runs it");
        String published = list(at(services.get("label-service"), "ports")).stream().map(Yamls::text)
                .filter(p -> p.endsWith(":" + Repo.LABEL.port())).findFirst().orElseThrow();
        String[] parts = published.split(":");
        assertEquals("http://localhost:" + parts[parts.length - 2], environment("keycloak").get("LOUPE_LABEL_PUBLIC_URL"),
                "the redirect URI is label-service's published address");
    }

    @Test
    void minioKeepsTheImagesOfTheLabelService() {
        Object minio = services.get("minio");
        assertNotNull(minio, "compose runs minio (the label service's blob store)");
        assertTrue(text(at(minio, "image")).startsWith("minio/minio:"), "the MinIO server image");
        assertNotNull(at(minio, "healthcheck", "test"), "minio has a healthcheck the label service waits for");
        List<String> volumes = list(at(minio, "volumes")).stream().map(Yamls::text).toList();
        assertTrue(volumes.stream().anyMatch(v -> v.endsWith(":/data") && !v.startsWith(".") && !v.startsWith("/")),
                "minio keeps /data in a named volume: " + volumes);
        List<String> command = list(at(minio, "command")).stream().map(Yamls::text).toList();
        assertEquals("/data", command.get(command.indexOf("server") + 1), "minio serves the volume: " + command);

        Map<String, String> label = environment(Repo.LABEL.name());
        assertEquals("s3", label.get("LOUPE_BLOBS_STORE"), "the label service keeps images in the bucket by default");
        Matcher endpoint = HTTP_URL.matcher(label.getOrDefault("LOUPE_BLOBS_S3_ENDPOINT", ""));
        assertTrue(endpoint.matches(), "LOUPE_BLOBS_S3_ENDPOINT is an http URL: " + label.get("LOUPE_BLOBS_S3_ENDPOINT"));
        assertEquals("minio", endpoint.group(1), "the label service talks to the minio service");
        assertEquals("9000", endpoint.group(2), "on MinIO's S3 port");
        assertFalse(label.getOrDefault("LOUPE_BLOBS_S3_BUCKET", "").isBlank(), "the bucket is named");
        Map<String, String> server = environment("minio");
        assertEquals(server.get("MINIO_ROOT_USER"), label.get("LOUPE_BLOBS_S3_ACCESS_KEY"), "the label service signs in as MinIO's user");
        assertEquals(server.get("MINIO_ROOT_PASSWORD"), label.get("LOUPE_BLOBS_S3_SECRET_KEY"), "with MinIO's password");
        assertTrue(server.get("MINIO_ROOT_PASSWORD").length() >= 8, "MinIO refuses passwords under 8 characters");
        String raw = text(at(services.get(Repo.LABEL.name()), "environment", "LOUPE_BLOBS_S3_SECRET_KEY"));
        assertTrue(raw != null && raw.startsWith("${LOUPE_BLOBS_S3_SECRET_KEY"), "the password can be set from the environment: " + raw);
        assertEquals("service_healthy", text(at(services.get(Repo.LABEL.name()), "depends_on", "minio", "condition")),
                "the label service starts once minio is healthy");
        assertTrue(CodeFacts.environmentKeys(Repo.LABEL).containsAll(List.of("LOUPE_BLOBS_STORE", "LOUPE_BLOBS_S3_ENDPOINT",
                "LOUPE_BLOBS_S3_ACCESS_KEY", "LOUPE_BLOBS_S3_SECRET_KEY")), "the label service reads these keys");
    }

    @ParameterizedTest
    @MethodSource("serviceNames")
    void everyServiceAllowsThePagesOriginsWhichTheEnvironmentCanWiden(String name) {
        // the web page calls every service from the browser: a teammate at http://host:8081 needs their origin allowed
        String published = list(at(services.get(Repo.LABEL.name()), "ports")).stream().map(Yamls::text)
                .filter(p -> p.endsWith(":" + Repo.LABEL.port())).findFirst().orElseThrow();
        String[] parts = published.split(":");
        String page = "http://localhost:" + parts[parts.length - 2];
        String origins = environment(name).get("LOUPE_UI_ORIGINS");
        assertNotNull(origins, name + " sets LOUPE_UI_ORIGINS");
        assertTrue(List.of(origins.split(",")).contains(page), name + " allows the page at " + page + ": " + origins);
        assertFalse(origins.contains("*"), name + ": no wildcard origin (the page sends its session cookie)");
        String value = text(at(services.get(name), "environment", "LOUPE_UI_ORIGINS"));
        assertTrue(value != null && value.startsWith("${LOUPE_UI_ORIGINS:-"), name + ": LOUPE_UI_ORIGINS comes from the environment: " + value);
        assertTrue(CodeFacts.environmentKeys(Repo.service(name)).contains("LOUPE_UI_ORIGINS"), name + " reads LOUPE_UI_ORIGINS");
        assertTrue(Repo.read(Repo.root().resolve("docker-compose.yml")).contains("#   LOUPE_UI_ORIGINS=http://localhost:8081,http://"),
                "the compose file's header shows how to allow a teammate's origin");
    }

    /** A service's environment, list or map form, with ${VAR:-default} replaced by its default. */
    private static Map<String, String> environment(String service) {
        Object environment = at(services.get(service), "environment");
        assertNotNull(services.get(service), "compose has a service " + service);
        Map<String, String> env = new LinkedHashMap<>();
        if (environment instanceof List<?> entries) {
            for (Object entry : entries) {
                String[] pair = text(entry).split("=", 2);
                env.put(pair[0], pair.length > 1 ? pair[1] : "");
            }
        } else {
            map(environment).forEach((k, v) -> env.put(k, text(v) == null ? "" : text(v)));
        }
        env.replaceAll((k, v) -> DEFAULTED.matcher(v).replaceAll("$1"));
        return env;
    }
}
