package dev.loupe.deploy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static dev.loupe.deploy.Yamls.at;
import static dev.loupe.deploy.Yamls.list;
import static dev.loupe.deploy.Yamls.map;
import static dev.loupe.deploy.Yamls.maps;
import static dev.loupe.deploy.Yamls.name;
import static dev.loupe.deploy.Yamls.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each service signs in as itself everywhere (deploy/README.md, "Identities"): a KafkaUser whose ACLs are exactly what
 * its code produces and consumes, a PostgreSQL role owning only its schema, its own service secret; and the optional
 * Keycloak component gives label-service a realm to sign teams in with.
 */
class IdentitiesTest {

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void kafkaListenerRequiresScramAndSimpleAuthorization(String overlay) {
        Manifests m = Manifests.of(overlay);
        for (Map<String, Object> kafka : m.all("Kafka")) {
            String where = overlay + " Kafka " + name(kafka);
            assertEquals("simple", text(at(kafka, "spec", "kafka", "authorization", "type")), where + " authorizes with ACLs (simple)");
            for (Map<String, Object> listener : maps(at(kafka, "spec", "kafka", "listeners"))) {
                assertEquals("scram-sha-512", text(at(listener, "authentication", "type")),
                        where + " listener " + text(listener.get("name")) + " takes SCRAM-SHA-512 only");
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void everyServiceSignsInToKafkaAsItsOwnUserWithTheAclsItsCodeNeeds(String overlay) {
        Manifests m = Manifests.of(overlay);
        Set<String> users = new TreeSet<>();
        for (Repo.Service service : Repo.SERVICES) {
            String where = overlay + " " + service.name();
            Map<String, Manifests.EnvValue> env = m.environment(m.container(service));
            for (String variable : env.keySet()) {
                assertFalse(variable.matches("LOUPE_\\w+_CONSUMER_GROUP"),
                        where + " sets " + variable + ": the KafkaUsers' group ACLs are the code's default groups");
            }
            Map<String, Object> listener = listener(m, env, where);
            boolean tls = Boolean.parseBoolean(text(listener.get("tls")));
            assertEquals(tls ? "SASL_SSL" : "SASL_PLAINTEXT", value(env, "LOUPE_KAFKA_SECURITY_PROTOCOL", where), where + " security protocol");
            assertEquals("SCRAM-SHA-512", value(env, "LOUPE_KAFKA_SASL_MECHANISM", where), where + " SASL mechanism");
            Manifests.EnvValue jaas = env.get("LOUPE_KAFKA_SASL_JAAS_CONFIG");
            assertNotNull(jaas, where + " sets LOUPE_KAFKA_SASL_JAAS_CONFIG");
            assertTrue(jaas.fromSecret() && "sasl.jaas.config".equals(jaas.secretKey()),
                    where + " reads its JAAS config from the sasl.jaas.config key of its KafkaUser's Secret");
            Map<String, Object> user = m.one("KafkaUser", jaas.secretName());
            assertTrue(users.add(name(user)), where + ": KafkaUser " + name(user) + " is its own, shared with no other service");
            assertEquals(name(user), service.name(), where + ": its KafkaUser is named like the service");
            assertEquals("scram-sha-512", text(at(user, "spec", "authentication", "type")), where + " KafkaUser authenticates with SCRAM-SHA-512");
            assertEquals("simple", text(at(user, "spec", "authorization", "type")), where + " KafkaUser has ACLs");

            boolean relayRuns = !"false".equalsIgnoreCase(env.containsKey("LOUPE_OUTBOX_RELAY_ENABLED")
                    ? env.get("LOUPE_OUTBOX_RELAY_ENABLED").value() : "true");
            Set<String> produces = Identities.produces(service);
            assertEquals(!produces.isEmpty(), relayRuns, where + ": the outbox relay runs exactly when the service produces events "
                    + produces + " (a relay without Write ACLs fails every round; events without a relay never leave)");
            Set<Identities.Acl> expected = Identities.kafkaAcls(service, relayRuns);
            Set<Identities.Acl> actual = acls(user);
            List<String> problems = new ArrayList<>();
            expected.stream().filter(a -> !actual.contains(a)).forEach(a -> problems.add("missing " + a));
            actual.stream().filter(a -> !expected.contains(a)).forEach(a -> problems.add("not needed by the code " + a));
            assertTrue(problems.isEmpty(), where + ": the ACLs of KafkaUser " + name(user) + " differ from what its code produces and consumes: "
                    + problems);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void kedaReadsTheLagAsAUserThatMayOnlyDescribe(String overlay) {
        Manifests m = Manifests.of(overlay);
        for (Map<String, Object> scaler : m.all("ScaledObject")) {
            for (Map<String, Object> trigger : maps(at(scaler, "spec", "triggers"))) {
                if (!"kafka".equals(text(trigger.get("type")))) {
                    continue;
                }
                String where = overlay + " ScaledObject " + name(scaler);
                String authentication = text(at(trigger, "authenticationRef", "name"));
                assertNotNull(authentication, where + " signs in to Kafka (authenticationRef)");
                Map<String, String> parameters = new java.util.HashMap<>();
                Map<String, String> secretOf = new java.util.HashMap<>();
                for (Map<String, Object> ref : maps(at(m.one("TriggerAuthentication", authentication), "spec", "secretTargetRef"))) {
                    secretOf.put(text(ref.get("parameter")), text(ref.get("name")));
                    parameters.put(text(ref.get("parameter")), text(ref.get("key")));
                }
                String literals = secretOf.get("username");
                Map<String, String> data = secretData(m, literals);
                assertEquals("scram_sha512", data.get(parameters.get("sasl")), where + " uses SCRAM-SHA-512");
                assertEquals("disable", data.get(parameters.get("tls")), where + ": no TLS, like the listener");
                String username = data.get(parameters.get("username"));
                Map<String, Object> user = m.one("KafkaUser", username);
                assertEquals(username, secretOf.get("password"), where + ": the password is the one Strimzi writes for KafkaUser " + username);
                assertEquals("password", parameters.get("password"), where + ": the password key of Strimzi's Secret");
                Set<Identities.Acl> expected = new TreeSet<>(List.of(
                        new Identities.Acl("topic", "literal", text(at(trigger, "metadata", "topic")), "Describe"),
                        new Identities.Acl("group", "literal", text(at(trigger, "metadata", "consumerGroup")), "Describe")));
                assertEquals(expected, acls(user), where + ": KafkaUser " + username + " may only describe the group and topic it watches");
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void everyServiceUsesItsOwnDatabaseRoleThatOwnsOnlyItsSchema(String overlay) {
        Manifests m = Manifests.of(overlay);
        Map<String, Object> cluster = m.one("Cluster", "loupe-db");
        Map<String, Map<String, Object>> roles = new java.util.HashMap<>();
        for (Map<String, Object> role : maps(at(cluster, "spec", "managed", "roles"))) {
            roles.put(text(role.get("name")), role);
        }
        Map<String, Object> database = m.all("Database").stream()
                .filter(d -> "loupe".equals(text(at(d, "spec", "name"))) && "loupe-db".equals(text(at(d, "spec", "cluster", "name"))))
                .findFirst().orElseThrow(() -> new AssertionError(overlay + ": a Database resource for database loupe of loupe-db"));
        Map<String, String> schemaOwners = new java.util.HashMap<>();
        for (Map<String, Object> schema : maps(at(database, "spec", "schemas"))) {
            schemaOwners.put(text(schema.get("name")), text(schema.get("owner")));
        }
        Set<String> secrets = new TreeSet<>();
        for (Repo.Service service : Repo.SERVICES) {
            String where = overlay + " " + service.name();
            String role = Identities.databaseRole(service);
            String schema = Identities.schema(service);
            assertEquals(role, schemaOwners.get(schema), where + ": its schema " + schema + " is owned by its role " + role);
            assertEquals(List.of(schema), schemaOwners.entrySet().stream().filter(e -> e.getValue().equals(role)).map(Map.Entry::getKey).toList(),
                    where + ": role " + role + " owns its schema and no other");
            Map<String, Object> managed = roles.get(role);
            assertNotNull(managed, where + ": " + role + " is a managed role of Cluster loupe-db");
            assertEquals("true", text(managed.get("login")), where + ": " + role + " may log in");
            for (String power : List.of("superuser", "createdb", "createrole", "replication")) {
                assertFalse("true".equals(text(managed.get(power))), where + ": " + role + " has no " + power);
            }
            assertTrue(list(managed.get("inRoles")).isEmpty(), where + ": " + role + " is a member of no other role");
            String secret = text(at(managed, "passwordSecret", "name"));
            Map<String, Manifests.EnvValue> env = m.environment(m.container(service));
            for (String[] credential : new String[][]{{"LOUPE_DB_USER", "username"}, {"LOUPE_DB_PASSWORD", "password"}}) {
                Manifests.EnvValue value = env.get(credential[0]);
                assertNotNull(value, where + " sets " + credential[0]);
                assertEquals(secret, value.secretName(), where + " reads " + credential[0] + " from its role's Secret");
                assertEquals(credential[1], value.secretKey(), where + " " + credential[0] + " key");
            }
            assertTrue(secrets.add(secret), where + ": its credentials Secret " + secret + " is its own");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod", "dev+keycloak"})
    void everyServiceHasItsServiceSecretAndChecksTokensWithTheLabelServicesKeys(String overlay) {
        Manifests m = Manifests.of(overlay);
        Map<String, Manifests.EnvValue> label = m.environment(m.container(Repo.LABEL));
        for (Repo.Service service : Repo.SERVICES) {
            if (service == Repo.LABEL) {
                continue;
            }
            String key = Identities.serviceSecretKey(service);
            Map<String, Manifests.EnvValue> env = m.environment(m.container(service));
            for (Map<String, Manifests.EnvValue> holder : List.of(env, label)) {
                Manifests.EnvValue secret = holder.get(key);
                assertNotNull(secret, overlay + ": " + (holder == env ? service.name() : "label-service") + " sets " + key);
                assertEquals("loupe-service-secrets", secret.secretName(), overlay + " " + key + " comes from the Secret loupe-service-secrets");
                assertEquals(service.name(), secret.secretKey(), overlay + " " + key + " is the key named like the service");
            }
            assertEquals(List.of(key), env.keySet().stream().filter(k -> k.endsWith("_SERVICE_SECRET")).toList(),
                    overlay + " " + service.name() + " holds its own service secret and no other");
            String labelUrl = value(env, "LOUPE_LABEL_URL", overlay + " " + service.name());
            assertEquals(labelUrl, value(env, "LOUPE_AUTH_LABEL_URL", overlay + " " + service.name()),
                    overlay + " " + service.name() + " fetches label-service's keys and memberships where it calls label-service");
        }
        Manifests.EnvValue admin = label.get("LOUPE_ADMIN_PASSWORD");
        assertTrue(admin != null && admin.fromSecret(), overlay + ": label-service reads LOUPE_ADMIN_PASSWORD from a Secret");
    }

    @Test
    void everySecretYouCreateIsUsedAndTheReadmeSaysHow() {
        Set<String> documented = Manifests.secretsYouCreate();
        assertFalse(documented.isEmpty(), "deploy/README.md, \"Identities\", has the kubectl create secret commands");
        Set<String> referenced = new TreeSet<>();
        for (String overlay : List.of("dev", "prod", "dev+keycloak", "dev+object-storage")) {
            Manifests m = Manifests.of(overlay);
            for (String kind : List.of("Deployment", "StatefulSet", "Job")) {
                for (Map<String, Object> workload : m.all(kind)) {
                    Yamls.walk(workload, (key, value) -> {
                        if (key.equals("secretKeyRef") || key.equals("secretRef")) {
                            referenced.add(text(at(value, "name")));
                        }
                    });
                }
            }
            maps(at(m.one("Cluster", "loupe-db"), "spec", "managed", "roles")).forEach(r -> referenced.add(text(at(r, "passwordSecret", "name"))));
            m.all("TriggerAuthentication").forEach(t -> maps(at(t, "spec", "secretTargetRef")).forEach(r -> referenced.add(text(r.get("name")))));
            // the database backups' bucket credentials (components/database-backup)
            m.all("ObjectStore").forEach(o -> Yamls.walk(o, (key, value) -> {
                if (key.equals("accessKeyId") || key.equals("secretAccessKey")) {
                    referenced.add(text(at(value, "name")));
                }
            }));
            Set<String> rendered = new TreeSet<>();
            m.all("Secret").forEach(s -> rendered.add(name(s)));
            m.all("KafkaUser").forEach(u -> rendered.add(name(u)));
            m.all("Cluster").forEach(c -> rendered.add(name(c) + "-app"));
            List<String> undocumented = referenced.stream().filter(s -> !rendered.contains(s) && !documented.contains(s)).toList();
            assertTrue(undocumented.isEmpty(), overlay + ": Secrets neither rendered, written by an operator, nor in the README's commands: " + undocumented);
        }
        List<String> unused = documented.stream().filter(s -> !referenced.contains(s)).toList();
        assertTrue(unused.isEmpty(), "deploy/README.md tells you to create Secrets nothing reads: " + unused);
    }

    // prod's hosts are the component's defaults; another overlay merges its own into keycloak-config (README)
    @ParameterizedTest
    @ValueSource(strings = {"prod+keycloak"})
    void keycloakComponentSignsTeamsInToLabelService(String overlay) {
        Manifests m = Manifests.of(overlay);
        Map<String, Manifests.EnvValue> env = m.environment(m.container(Repo.LABEL));
        String where = overlay + " label-service";
        assertEquals("true", value(env, "LOUPE_AUTH_OIDC_ENABLED", where), where + " signs in through OIDC");
        assertEquals("loupe-web", value(env, "LOUPE_AUTH_OIDC_CLIENT_ID", where), where + " client id");
        assertEquals("loupe-admins", value(env, "LOUPE_AUTH_OIDC_ADMIN_GROUPS", where), where + " admin group");
        assertEquals("http://keycloak:8080/realms/loupe", value(env, "LOUPE_AUTH_OIDC_AUTH_SERVER_URL", where), where + " realm URL");
        Manifests.EnvValue clientSecret = env.get("LOUPE_AUTH_OIDC_CLIENT_SECRET");
        assertTrue(clientSecret != null && clientSecret.fromSecret(), where + " reads the client secret from a Secret");

        Map<String, Object> keycloak = m.one("Deployment", "keycloak");
        Map<String, Object> container = maps(at(keycloak, "spec", "template", "spec", "containers")).getFirst();
        assertTrue(list(container.get("args")).contains("--import-realm"), overlay + ": Keycloak imports the realm");
        Map<String, Manifests.EnvValue> keycloakEnv = m.environment(container);
        Manifests.EnvValue realmSecret = keycloakEnv.get("LOUPE_OIDC_CLIENT_SECRET");
        assertEquals(clientSecret.secretName() + "/" + clientSecret.secretKey(), realmSecret.secretName() + "/" + realmSecret.secretKey(),
                overlay + ": Keycloak's client secret and label-service's are the same Secret key");

        String realmJson = m.all("ConfigMap").stream().filter(c -> map(c.get("data")).containsKey("loupe-realm.json"))
                .map(c -> text(map(c.get("data")).get("loupe-realm.json"))).findFirst()
                .orElseThrow(() -> new AssertionError(overlay + ": a ConfigMap holds loupe-realm.json"));
        assertEquals(Repo.read(Repo.root().resolve("deploy/components/keycloak/loupe-realm.json")), realmJson,
                overlay + ": the realm is the one file deploy/components/keycloak/loupe-realm.json");
        String labelUrl = value(keycloakEnv, "LOUPE_LABEL_PUBLIC_URL", overlay + " keycloak");
        Set<String> hosts = new TreeSet<>();
        for (Map<String, Object> ingress : m.all("Ingress")) {
            for (Map<String, Object> rule : maps(at(ingress, "spec", "rules"))) {
                boolean toLabel = maps(at(rule, "http", "paths")).stream()
                        .anyMatch(p -> Repo.LABEL.name().equals(text(at(p, "backend", "service", "name"))));
                if (toLabel) {
                    hosts.add(text(rule.get("host")));
                }
            }
        }
        assertTrue(hosts.contains(labelUrl.replaceFirst("^https?://", "")), overlay + ": LOUPE_LABEL_PUBLIC_URL " + labelUrl
                + " is label-service's Ingress host " + hosts + " (the redirect URI)");
        assertRealm(Yamls.document(realmJson));
    }

    /** The realm JSON (JSON is YAML): realm loupe, confidential client loupe-web with the callback, group loupe-admins, groups claim. */
    static void assertRealm(Map<String, Object> realm) {
        assertEquals("loupe", text(realm.get("realm")), "realm name");
        assertTrue(maps(realm.get("groups")).stream().anyMatch(g -> "loupe-admins".equals(text(g.get("name")))), "group loupe-admins");
        Map<String, Object> client = maps(realm.get("clients")).stream().filter(c -> "loupe-web".equals(text(c.get("clientId"))))
                .findFirst().orElseThrow(() -> new AssertionError("client loupe-web"));
        assertEquals("false", text(client.get("publicClient")), "loupe-web is confidential");
        assertEquals("true", text(client.get("standardFlowEnabled")), "loupe-web uses the authorization code flow");
        assertEquals("false", text(client.get("directAccessGrantsEnabled")), "loupe-web takes no passwords directly");
        assertEquals("${LOUPE_OIDC_CLIENT_SECRET}", text(client.get("secret")), "the client secret comes from the environment, not from git");
        assertEquals(List.of("${LOUPE_LABEL_PUBLIC_URL}/api/auth/oidc/callback"), list(client.get("redirectUris")),
                "the only redirect URI is label-service's callback");
        Map<String, Object> mapper = maps(client.get("protocolMappers")).stream()
                .filter(p -> "oidc-group-membership-mapper".equals(text(p.get("protocolMapper")))).findFirst()
                .orElseThrow(() -> new AssertionError("loupe-web has a group membership mapper"));
        assertEquals("groups", text(at(mapper, "config", "claim.name")), "the groups claim");
        assertEquals("false", text(at(mapper, "config", "full.path")), "group names without a path (loupe-admins, not /loupe-admins)");
        for (String token : List.of("id.token.claim", "access.token.claim")) {
            assertEquals("true", text(at(mapper, "config", token)), "groups in the " + token);
        }
    }

    // --- helpers

    private static Map<String, Object> listener(Manifests m, Map<String, Manifests.EnvValue> env, String where) {
        String server = value(env, "LOUPE_KAFKA_BOOTSTRAP", where).split(",")[0].strip();
        String kafka = server.substring(0, server.indexOf("-kafka-bootstrap"));
        String port = server.substring(server.lastIndexOf(':') + 1);
        return maps(at(m.one("Kafka", kafka), "spec", "kafka", "listeners")).stream().filter(l -> port.equals(text(l.get("port"))))
                .findFirst().orElseThrow(() -> new AssertionError(where + ": no listener on " + port));
    }

    private static Set<Identities.Acl> acls(Map<String, Object> user) {
        Set<Identities.Acl> acls = new TreeSet<>();
        for (Map<String, Object> rule : maps(at(user, "spec", "authorization", "acls"))) {
            String host = text(rule.get("host"));
            assertTrue(host == null || host.equals("*"), name(user) + ": ACLs for any host");
            List<Object> operations = new ArrayList<>(list(rule.get("operations")));
            if (rule.get("operation") != null) {
                operations.add(rule.get("operation"));
            }
            String type = text(at(rule, "resource", "type"));
            String pattern = text(at(rule, "resource", "patternType"));
            String resource = text(at(rule, "resource", "name"));
            assertFalse("*".equals(resource), name(user) + ": no wildcard ACL");
            assertTrue(rule.get("type") == null || "allow".equals(text(rule.get("type"))), name(user) + ": allow rules only");
            for (Object operation : operations) {
                acls.add(new Identities.Acl(type, pattern == null ? "literal" : pattern, resource, text(operation)));
            }
        }
        return acls;
    }

    private static Map<String, String> secretData(Manifests m, String name) {
        Map<String, Object> secret = m.one("Secret", name);
        Map<String, String> data = new java.util.HashMap<>();
        map(secret.get("data")).forEach((k, v) -> data.put(k, new String(java.util.Base64.getDecoder().decode(text(v)),
                java.nio.charset.StandardCharsets.UTF_8)));
        map(secret.get("stringData")).forEach((k, v) -> data.put(k, text(v)));
        return data;
    }

    private static String value(Map<String, Manifests.EnvValue> env, String key, String where) {
        Manifests.EnvValue value = env.get(key);
        assertNotNull(value, where + " sets " + key);
        assertNotNull(value.value(), where + " " + key + " is a plain value");
        return value.value();
    }
}
