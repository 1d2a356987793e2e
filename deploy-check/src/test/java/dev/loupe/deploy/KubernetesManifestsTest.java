package dev.loupe.deploy;

import dev.loupe.events.Topics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.loupe.deploy.Manifests.containers;
import static dev.loupe.deploy.Manifests.podLabels;
import static dev.loupe.deploy.Manifests.podSpec;
import static dev.loupe.deploy.Manifests.selects;
import static dev.loupe.deploy.Yamls.at;
import static dev.loupe.deploy.Yamls.list;
import static dev.loupe.deploy.Yamls.map;
import static dev.loupe.deploy.Yamls.maps;
import static dev.loupe.deploy.Yamls.name;
import static dev.loupe.deploy.Yamls.namespace;
import static dev.loupe.deploy.Yamls.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** The Kustomize overlays in deploy/, rendered with kubectl kustomize, checked against each other and the code. */
class KubernetesManifestsTest {

    private static final Pattern JDBC_URL = Pattern.compile("jdbc:postgresql://([^:/?]+)(?::(\\d+))?/([^?]+).*");
    private static final Pattern HTTP_URL = Pattern.compile("https?://([^:/]+)(?::(\\d+))?(/.*)?");

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void everyServiceHasStartupReadinessAndLivenessProbesAndResources(String overlay) {
        Manifests m = Manifests.of(overlay);
        for (Repo.Service service : Repo.SERVICES) {
            Map<String, Object> container = m.container(service);
            String where = overlay + " " + service.name();
            Set<String> ports = new TreeSet<>();
            for (Map<String, Object> port : maps(container.get("ports"))) {
                ports.add(text(port.get("name")));
                ports.add(text(port.get("containerPort")));
            }
            assertTrue(ports.contains(String.valueOf(service.port())), where + " listens on " + service.port());
            for (String[] probe : new String[][]{{"startupProbe", "/q/health/started"}, {"readinessProbe", "/q/health/ready"},
                    {"livenessProbe", "/q/health/live"}}) {
                Object get = at(container, probe[0], "httpGet");
                assertNotNull(get, where + " has a " + probe[0] + " over HTTP");
                assertEquals(probe[1], text(at(get, "path")), where + " " + probe[0] + " path");
                assertTrue(ports.contains(text(at(get, "port"))), where + " " + probe[0] + " port is a container port");
            }
            for (String bound : List.of("requests", "limits")) {
                for (String resource : List.of("cpu", "memory")) {
                    assertNotNull(text(at(container, "resources", bound, resource)), where + " has resources." + bound + "." + resource);
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void kafkaBootstrapAndDatabaseUrlNameTheStrimziAndCloudNativePgServices(String overlay) {
        Manifests m = Manifests.of(overlay);
        for (Repo.Service service : Repo.SERVICES) {
            Map<String, Manifests.EnvValue> env = m.environment(m.container(service));
            String where = overlay + " " + service.name();

            String bootstrap = value(env, "LOUPE_KAFKA_BOOTSTRAP", where);
            for (String server : bootstrap.split(",")) {
                assertKafkaBootstrap(m, server.strip(), where + " LOUPE_KAFKA_BOOTSTRAP");
            }

            String url = value(env, "LOUPE_DB_URL", where);
            Matcher jdbc = JDBC_URL.matcher(url);
            assertTrue(jdbc.matches(), where + " LOUPE_DB_URL is a PostgreSQL JDBC URL: " + url);
            String cluster = serviceHost(m, jdbc.group(1), "-rw", "Cluster", where + " LOUPE_DB_URL");
            assertTrue(jdbc.group(2) == null || jdbc.group(2).equals("5432"), where + " LOUPE_DB_URL port 5432");
            assertEquals(text(at(m.one("Cluster", cluster), "spec", "bootstrap", "initdb", "database")), jdbc.group(3),
                    where + " LOUPE_DB_URL names the database CloudNativePG creates");

            for (String key : List.of("LOUPE_DB_USER", "LOUPE_DB_PASSWORD")) {
                Manifests.EnvValue credential = env.get(key);
                assertNotNull(credential, where + " sets " + key);
                assertTrue(credential.fromSecret(), where + " reads " + key + " from a Secret, not from a ConfigMap or a literal");
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod", "dev+keycloak", "prod+keycloak", "dev+object-storage"})
    void serviceUrlsPointAtServicesThatExistAndNetworkPoliciesLetTheCallThrough(String overlay) {
        Manifests m = Manifests.of(overlay);
        for (Repo.Service caller : Repo.SERVICES) {
            for (Map.Entry<String, Manifests.EnvValue> variable : m.environment(m.container(caller)).entrySet()) {
                String value = variable.getValue().value();
                if (value == null || !variable.getKey().endsWith("_URL") || variable.getKey().equals("LOUPE_DB_URL")) {
                    continue;
                }
                String where = overlay + " " + caller.name() + " " + variable.getKey();
                Matcher http = HTTP_URL.matcher(value);
                assertTrue(http.matches(), where + " is an http(s) URL: " + value);
                if (variable.getKey().contains("_UI_")) {
                    // the web page's view of a service: a host the Ingress publishes, not an in-cluster name
                    List<String> hosts = new ArrayList<>();
                    for (Map<String, Object> ingress : m.all("Ingress")) {
                        for (Map<String, Object> rule : maps(at(ingress, "spec", "rules"))) hosts.add(text(rule.get("host")));
                    }
                    assertTrue(hosts.contains(http.group(1)), where + ": " + http.group(1) + " is an Ingress host " + hosts);
                    continue;
                }
                String host = http.group(1).split("\\.")[0];
                Map<String, Object> target = m.one("Service", host);
                int port = http.group(2) == null ? 80 : Integer.parseInt(http.group(2));
                Map<String, Object> servicePort = maps(at(target, "spec", "ports")).stream()
                        .filter(p -> String.valueOf(port).equals(text(p.get("port")))).findFirst()
                        .orElseThrow(() -> new AssertionError(where + ": Service " + host + " has port " + port));
                // the callee: a Loupe service, or another Deployment of the overlay (Keycloak)
                Map<String, Object> callee = m.one("Deployment", host);
                assertTrue(selects(Map.of("matchLabels", map(at(target, "spec", "selector"))), podLabels(callee)),
                        where + ": Service " + host + " selects the pods of Deployment " + host);
                int podPort = containerPort(callee, text(servicePort.get("targetPort")), port);
                assertTrue(allows(m, "Egress", podLabels(m.deployment(caller)), podLabels(callee), podPort),
                        where + ": a NetworkPolicy lets " + caller.name() + " out to " + host + ":" + podPort);
                assertTrue(allows(m, "Ingress", podLabels(callee), podLabels(m.deployment(caller)), podPort),
                        where + ": a NetworkPolicy lets " + caller.name() + " in to " + host + ":" + podPort);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void networkPoliciesLetEveryServiceReachKafkaAndPostgreSql(String overlay) {
        // the pods are the operators' (Strimzi, CloudNativePG): their labels as the operators document them
        Manifests m = Manifests.of(overlay);
        for (Repo.Service service : Repo.SERVICES) {
            Map<String, Object> pods = podLabels(m.deployment(service));
            Map<String, Manifests.EnvValue> env = m.environment(m.container(service));
            String where = overlay + " " + service.name();

            String server = value(env, "LOUPE_KAFKA_BOOTSTRAP", where).split(",")[0].strip();
            int colon = server.lastIndexOf(':');
            String kafka = serviceHost(m, server.substring(0, colon), "-kafka-bootstrap", "Kafka", where + " LOUPE_KAFKA_BOOTSTRAP");
            int kafkaPort = Integer.parseInt(server.substring(colon + 1));
            Map<String, Object> brokers = Map.of("strimzi.io/cluster", kafka, "strimzi.io/kind", "Kafka", "strimzi.io/name", kafka + "-kafka");
            assertTrue(!isolated(m, "Egress", pods) || allows(m, "Egress", pods, brokers, kafkaPort),
                    where + ": a NetworkPolicy lets it out to the Kafka brokers on " + kafkaPort);
            Map<String, Object> listener = maps(at(m.one("Kafka", kafka), "spec", "kafka", "listeners")).stream()
                    .filter(l -> String.valueOf(kafkaPort).equals(text(l.get("port")))).findFirst()
                    .orElseThrow(() -> new AssertionError(where + ": Kafka " + kafka + " has no listener on " + kafkaPort));
            Object peers = listener.get("networkPolicyPeers");
            assertTrue(peers == null || maps(peers).stream().anyMatch(p -> p.get("namespaceSelector") == null
                            && p.get("ipBlock") == null && selects(p.get("podSelector"), pods)),
                    where + ": the networkPolicyPeers of Kafka listener " + text(listener.get("name")) + " (Strimzi's NetworkPolicy) let it in");

            Matcher jdbc = JDBC_URL.matcher(value(env, "LOUPE_DB_URL", where));
            assertTrue(jdbc.matches(), where + " LOUPE_DB_URL is a PostgreSQL JDBC URL");
            String cluster = serviceHost(m, jdbc.group(1), "-rw", "Cluster", where + " LOUPE_DB_URL");
            int dbPort = jdbc.group(2) == null ? 5432 : Integer.parseInt(jdbc.group(2));
            Map<String, Object> instances = Map.of("cnpg.io/cluster", cluster, "cnpg.io/podRole", "instance");
            assertTrue(!isolated(m, "Egress", pods) || allows(m, "Egress", pods, instances, dbPort),
                    where + ": a NetworkPolicy lets it out to PostgreSQL (" + cluster + ") on " + dbPort);
            assertTrue(!isolated(m, "Ingress", instances) || allows(m, "Ingress", instances, pods, dbPort),
                    where + ": a NetworkPolicy lets it in to PostgreSQL (" + cluster + ") on " + dbPort);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void trainerThreadsFitItsCpuLimit(String overlay) {
        // 0 would be one libtorch thread per core of the node, throttled to the CPU limit; more threads than the
        // limit are throttled too, and the count decides reproducibility (training/README.md)
        Manifests m = Manifests.of(overlay);
        Map<String, Object> container = m.container(Repo.TRAINER);
        String where = overlay + " trainer-service";
        int threads = Integer.parseInt(value(m.environment(container), "LOUPE_TRAINER_THREADS", where));
        double limit = cores(text(at(container, "resources", "limits", "cpu")));
        assertTrue(threads >= 1 && threads <= limit, where + ": LOUPE_TRAINER_THREADS " + threads + " is between 1 and the CPU limit " + limit);
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod", "dev+keycloak", "prod+keycloak", "dev+object-storage", "prod+keycloak+object-storage"})
    void everyReferencedConfigMapAndSecretExists(String overlay) {
        Manifests m = Manifests.of(overlay);
        Set<String> configMaps = new TreeSet<>();
        m.all("ConfigMap").forEach(c -> configMaps.add(name(c)));
        Set<String> secrets = m.secretNames();
        List<String> missing = new ArrayList<>();
        for (Map<String, Object> workload : workloads(m)) {
            String where = name(workload);
            Yamls.walk(podSpec(workload), (key, value) -> {
                String name = text(at(value, "name"));
                switch (key) {
                    case "configMapRef", "configMapKeyRef" -> {
                        if (!configMaps.contains(name) && !Boolean.TRUE.equals(at(value, "optional"))) {
                            missing.add(where + " -> ConfigMap " + name);
                        }
                    }
                    case "secretRef", "secretKeyRef" -> {
                        if (!secrets.contains(name) && !Boolean.TRUE.equals(at(value, "optional"))) {
                            missing.add(where + " -> Secret " + name);
                        }
                    }
                    case "configMap" -> {
                        if (name != null && !configMaps.contains(name)) {
                            missing.add(where + " -> ConfigMap volume " + name);
                        }
                    }
                    case "secret" -> {
                        String secret = text(at(value, "secretName"));
                        if (secret != null && !secrets.contains(secret)) {
                            missing.add(where + " -> Secret volume " + secret);
                        }
                    }
                    default -> {
                    }
                }
            });
        }
        assertTrue(missing.isEmpty(), overlay + ": references to nothing (ConfigMaps " + configMaps + ", Secrets " + secrets + "): " + missing);
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void everyTopicTheCodeUsesHasAKafkaTopicOfTheCluster(String overlay) {
        Manifests m = Manifests.of(overlay);
        Set<String> kafkas = new TreeSet<>();
        m.all("Kafka").forEach(k -> kafkas.add(name(k)));
        Set<String> declared = new TreeSet<>();
        for (Map<String, Object> topic : m.all("KafkaTopic")) {
            String topicName = text(at(topic, "spec", "topicName")) != null ? text(at(topic, "spec", "topicName")) : name(topic);
            String where = overlay + " KafkaTopic " + topicName;
            assertTrue(kafkas.contains(text(at(topic, "metadata", "labels", "strimzi.io/cluster"))), where + " belongs to a Kafka of this overlay " + kafkas);
            assertTrue(Integer.parseInt(text(at(topic, "spec", "partitions"))) > 0, where + " has partitions");
            int replicas = Integer.parseInt(text(at(topic, "spec", "replicas")));
            assertTrue(replicas >= 1 && replicas <= brokers(m), where + ": " + replicas + " replicas on " + brokers(m) + " brokers");
            assertNotNull(text(at(topic, "spec", "config", "retention.ms")), where + " says how long it keeps events (retention.ms)");
            assertTrue(declared.add(topicName), where + " is declared once");
        }
        List<String> needed = new ArrayList<>(Topics.ALL);
        List<CodeFacts.Consumer> consumers = CodeFacts.consumers();
        assertFalse(consumers.isEmpty(), "the code has Kafka consumers (mp.messaging.incoming channels with a dead-letter queue)");
        consumers.forEach(c -> needed.addAll(c.deadLetterTopics()));
        List<String> missing = needed.stream().filter(t -> !declared.contains(t)).toList();
        assertTrue(missing.isEmpty(), overlay + ": topics the code uses without a KafkaTopic (auto-create is off): " + missing);
        // the consumers' topics also exist with as many partitions as the producers create (loupe.outbox.topic-partitions)
        for (Map<String, Object> topic : m.all("KafkaTopic")) {
            if (Topics.ALL.contains(text(at(topic, "spec", "topicName")))) {
                String partitions = text(at(topic, "spec", "partitions"));
                for (Repo.Service service : Repo.SERVICES) {
                    Manifests.EnvValue configured = m.environment(m.container(service)).get("LOUPE_OUTBOX_TOPIC_PARTITIONS");
                    if (configured != null) {
                        assertEquals(partitions, configured.value(), overlay + " " + service.name()
                                + " creates Loupe topics with the partitions of their KafkaTopic (a race would otherwise decide)");
                    }
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod", "prod+object-storage"})
    void noImageIsLatestOrUntagged(String overlay) {
        List<String> images = new ArrayList<>();
        for (Map<String, Object> document : Manifests.of(overlay).documents()) {
            Yamls.walk(document, (key, value) -> {
                if ((key.equals("image") || key.equals("imageName")) && text(value) != null) {
                    images.add(text(value));
                }
            });
        }
        assertTrue(images.size() >= Repo.SERVICES.size() + 1, overlay + ": the services' and PostgreSQL's images are set: " + images);
        List<String> problems = images.stream().map(Images::problem).filter(p -> p != null).toList();
        assertTrue(problems.isEmpty(), overlay + ": " + problems);
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void webhookLoopbackIsNotAllowedAndNoDevProfileRuns(String overlay) {
        Manifests m = Manifests.of(overlay);
        for (Map<String, Object> workload : workloads(m)) {
            for (Map<String, Object> container : containers(workload)) {
                Map<String, Manifests.EnvValue> env = m.environment(container);
                String where = overlay + " " + name(workload) + "/" + text(container.get("name"));
                Manifests.EnvValue loopback = env.get("LOUPE_DATASET_WEBHOOKS_ALLOW_LOOPBACK");
                assertTrue(loopback == null || "false".equalsIgnoreCase(loopback.value()),
                        where + ": webhook targets on loopback must stay refused on a cluster");
                Manifests.EnvValue profile = env.get("QUARKUS_PROFILE");
                assertTrue(profile == null || !profile.value().matches(".*\\b(dev|test)\\b.*"),
                        where + ": the %dev and %test profiles allow loopback webhooks");
                String javaOptions = env.containsKey("JAVA_OPTS") ? env.get("JAVA_OPTS").value() : "";
                assertFalse(javaOptions.contains("allow-loopback=true") || javaOptions.matches(".*quarkus\\.profile=(dev|test).*"),
                        where + ": JAVA_OPTS must not turn loopback webhooks on");
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod", "dev+keycloak", "prod+keycloak", "dev+object-storage", "prod+keycloak+object-storage"})
    void environmentVariablesAreKeysTheServicesRead(String overlay) {
        Manifests m = Manifests.of(overlay);
        List<String> unknown = new ArrayList<>();
        for (Repo.Service service : Repo.SERVICES) {
            assertTrue(service.applicationProperties().isPresent(), service.name() + " has an application.properties");
            Set<String> known = new TreeSet<>(CodeFacts.environmentKeys(service));
            known.addAll(Identities.pendingAuthKeys(service));
            for (String variable : m.environment(m.container(service)).keySet()) {
                if (!known.contains(variable) && !variable.equals("JAVA_OPTS")) {
                    unknown.add(service.name() + ": " + variable);
                }
            }
        }
        assertTrue(unknown.isEmpty(), overlay + ": variables no service reads (typo, or a key that was renamed): " + unknown);
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void everyServiceHasAServiceADisruptionBudgetNetworkPoliciesAndItsOwnIngressHost(String overlay) {
        Manifests m = Manifests.of(overlay);
        Set<String> hosts = new TreeSet<>();
        for (Repo.Service service : Repo.SERVICES) {
            Map<String, Object> deployment = m.deployment(service);
            Map<String, Object> labels = podLabels(deployment);
            String where = overlay + " " + service.name();
            assertTrue(selects(at(deployment, "spec", "selector"), labels), where + ": the Deployment selects its own pods");
            assertTrue(m.all("PodDisruptionBudget").stream().anyMatch(p -> selects(at(p, "spec", "selector"), labels)),
                    where + " has a PodDisruptionBudget");
            assertTrue(m.all("NetworkPolicy").stream().anyMatch(p -> selects(at(p, "spec", "podSelector"), labels)
                            && list(at(p, "spec", "policyTypes")).containsAll(List.of("Ingress", "Egress"))
                            && at(p, "spec", "ingress") == null && at(p, "spec", "egress") == null),
                    where + " is covered by a default-deny NetworkPolicy");
            List<String> serviceHosts = new ArrayList<>();
            for (Map<String, Object> ingress : m.all("Ingress")) {
                for (Map<String, Object> rule : maps(at(ingress, "spec", "rules"))) {
                    for (Map<String, Object> path : maps(at(rule, "http", "paths"))) {
                        String backend = text(at(path, "backend", "service", "name"));
                        assertTrue(m.has("Service", backend), overlay + " Ingress " + name(ingress) + " routes to an existing Service: " + backend);
                        if (service.name().equals(backend)) {
                            serviceHosts.add(text(rule.get("host")));
                            Object port = at(path, "backend", "service", "port");
                            assertTrue(maps(at(m.one("Service", backend), "spec", "ports")).stream().anyMatch(p ->
                                            text(p.get("name")).equals(text(at(port, "name"))) || text(p.get("port")).equals(text(at(port, "number")))),
                                    where + ": the Ingress uses a port of the Service");
                        }
                    }
                }
            }
            assertFalse(serviceHosts.isEmpty(), where + " is reachable through the Ingress");
            assertEquals(1, Set.copyOf(serviceHosts).size(), where + " has one host of its own: " + serviceHosts);
            assertTrue(hosts.add(serviceHosts.getFirst()), where + ": its host is not shared (paths under /api/projects overlap): " + hosts);
            assertFalse(serviceHosts.getFirst().contains("*"), where + " host is concrete");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void embeddingServiceScalesOnTheLagOfItsConsumerGroup(String overlay) {
        Manifests m = Manifests.of(overlay);
        CodeFacts.Consumer consumer = CodeFacts.consumers().stream().filter(c -> c.service().equals(Repo.EMBEDDING.name()))
                .findFirst().orElseThrow(() -> new AssertionError("embedding-service has a Kafka consumer"));
        Manifests.EnvValue groupOverride = m.environment(m.container(Repo.EMBEDDING)).get("LOUPE_EMBEDDING_CONSUMER_GROUP");
        String group = groupOverride != null ? groupOverride.value() : consumer.group();

        List<Map<String, Object>> scalers = m.all("ScaledObject").stream()
                .filter(s -> Repo.EMBEDDING.name().equals(text(at(s, "spec", "scaleTargetRef", "name")))).toList();
        assertEquals(1, scalers.size(), overlay + ": one KEDA ScaledObject targets embedding-service");
        Map<String, Object> scaler = scalers.getFirst();
        Map<String, Object> trigger = maps(at(scaler, "spec", "triggers")).stream()
                .filter(t -> "kafka".equals(text(t.get("type")))).findFirst()
                .orElseThrow(() -> new AssertionError(overlay + ": the ScaledObject has a kafka trigger"));
        assertEquals(group, text(at(trigger, "metadata", "consumerGroup")), overlay + ": KEDA watches embedding-service's consumer group");
        String topic = text(at(trigger, "metadata", "topic"));
        assertTrue(consumer.topics().contains(topic), overlay + ": KEDA watches a topic the group reads: " + topic);
        for (String server : text(at(trigger, "metadata", "bootstrapServers")).split(",")) {
            String host = server.strip().split(":")[0];
            String[] labels = host.split("\\.");
            assertTrue(labels.length >= 3 && labels[2].equals("svc"),
                    overlay + ": KEDA's operator runs in its own namespace, so the bootstrap must be <service>.<namespace>.svc: " + server);
            assertKafkaBootstrap(m, server.strip(), overlay + " ScaledObject bootstrapServers");
        }
        int max = Integer.parseInt(text(at(scaler, "spec", "maxReplicaCount")));
        int min = Integer.parseInt(text(at(scaler, "spec", "minReplicaCount")));
        assertTrue(min >= 1, overlay + ": at least one replica serves the REST API");
        assertTrue(max <= partitions(m, topic), overlay + ": no more replicas than partitions of " + topic);
        assertEquals(null, at(m.deployment(Repo.EMBEDDING), "spec", "replicas"), overlay + ": KEDA alone sets embedding-service's replicas");
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void withoutTheObjectStorageComponentImagesStayInPostgreSql(String overlay) {
        Manifests m = Manifests.of(overlay);
        Manifests.EnvValue store = m.environment(m.container(Repo.LABEL)).get("LOUPE_BLOBS_STORE");
        assertTrue(store == null || "postgres".equals(store.value()), overlay + ": the embedded default store, nothing else to run");
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev+object-storage", "prod+object-storage", "prod+keycloak+object-storage"})
    void objectStorageComponentRunsMinioForTheLabelServicesImages(String overlay) {
        Manifests m = Manifests.of(overlay);
        Map<String, Manifests.EnvValue> env = m.environment(m.container(Repo.LABEL));
        assertEquals("s3", value(env, "LOUPE_BLOBS_STORE", overlay + " label-service"), overlay + ": label-service keeps images in the bucket");
        assertFalse(value(env, "LOUPE_BLOBS_S3_BUCKET", overlay + " label-service").isBlank(), overlay + ": the bucket is named");
        Matcher endpoint = HTTP_URL.matcher(value(env, "LOUPE_BLOBS_S3_ENDPOINT", overlay + " label-service"));
        assertTrue(endpoint.matches(), overlay + ": LOUPE_BLOBS_S3_ENDPOINT is an http URL");
        String host = endpoint.group(1).split("\\.")[0];
        int port = endpoint.group(2) == null ? 80 : Integer.parseInt(endpoint.group(2));
        Map<String, Object> service = m.one("Service", host);
        Map<String, Object> servicePort = maps(at(service, "spec", "ports")).stream().filter(p -> String.valueOf(port).equals(text(p.get("port"))))
                .findFirst().orElseThrow(() -> new AssertionError(overlay + ": Service " + host + " has port " + port));
        Map<String, Object> minio = m.one("StatefulSet", host);
        assertTrue(selects(Map.of("matchLabels", map(at(service, "spec", "selector"))), podLabels(minio)),
                overlay + ": Service " + host + " selects the MinIO pods");
        int podPort = containerPort(minio, text(servicePort.get("targetPort")), port);
        Map<String, Object> label = podLabels(m.deployment(Repo.LABEL));
        assertTrue(allows(m, "Egress", label, podLabels(minio), podPort), overlay + ": a NetworkPolicy lets label-service out to MinIO:" + podPort);
        assertTrue(allows(m, "Ingress", podLabels(minio), label, podPort), overlay + ": a NetworkPolicy lets label-service in to MinIO:" + podPort);
        assertTrue(isolated(m, "Ingress", podLabels(minio)) && isolated(m, "Egress", podLabels(minio)),
                overlay + ": MinIO's pods are isolated by a NetworkPolicy (only what it allows gets in or out)");

        Map<String, Object> container = containers(minio).getFirst();
        assertTrue(text(container.get("image")).startsWith("minio/minio:"), overlay + ": the MinIO server image");
        Map<String, Manifests.EnvValue> server = m.environment(container);
        for (String[] pair : new String[][]{{"LOUPE_BLOBS_S3_ACCESS_KEY", "MINIO_ROOT_USER"}, {"LOUPE_BLOBS_S3_SECRET_KEY", "MINIO_ROOT_PASSWORD"}}) {
            Manifests.EnvValue client = env.get(pair[0]);
            Manifests.EnvValue root = server.get(pair[1]);
            assertTrue(client != null && client.fromSecret(), overlay + ": label-service reads " + pair[0] + " from a Secret");
            assertTrue(root != null && root.fromSecret(), overlay + ": MinIO reads " + pair[1] + " from a Secret");
            assertEquals(root.secretName() + "/" + root.secretKey(), client.secretName() + "/" + client.secretKey(),
                    overlay + ": label-service's " + pair[0] + " is MinIO's " + pair[1]);
        }
        for (String probe : List.of("startupProbe", "readinessProbe", "livenessProbe")) {
            assertTrue(text(at(container, probe, "httpGet", "path")).startsWith("/minio/health/"), overlay + ": MinIO has a " + probe);
        }
        List<String> args = list(container.get("args")).stream().map(Yamls::text).toList();
        String data = args.get(args.indexOf("server") + 1);
        String claim = maps(container.get("volumeMounts")).stream().filter(v -> data.equals(text(v.get("mountPath"))))
                .map(v -> text(v.get("name"))).findFirst().orElseThrow(() -> new AssertionError(overlay + ": MinIO's " + data + " is a volume"));
        assertTrue(maps(at(minio, "spec", "volumeClaimTemplates")).stream().anyMatch(c -> claim.equals(text(at(c, "metadata", "name")))),
                overlay + ": MinIO's " + data + " is a PersistentVolumeClaim (the images outlive the pod)");
        assertEquals("true", text(at(minio, "spec", "template", "spec", "securityContext", "runAsNonRoot")), overlay + ": MinIO runs as non-root");
    }

    @Test
    void prodRunsMoreReplicasWithBiggerPodsAndReleaseTags() {
        Manifests dev = Manifests.of("dev");
        Manifests prod = Manifests.of("prod");
        for (Repo.Service service : Repo.SERVICES) {
            if (service == Repo.EMBEDDING) {
                continue;
            }
            assertTrue(replicas(prod.deployment(service)) > replicas(dev.deployment(service)), "prod runs more " + service.name());
        }
        assertTrue(Integer.parseInt(text(at(prod.one("ScaledObject", "embedding-service"), "spec", "minReplicaCount")))
                > Integer.parseInt(text(at(dev.one("ScaledObject", "embedding-service"), "spec", "minReplicaCount"))), "prod keeps more embedding-service replicas");
        for (Repo.Service service : Repo.SERVICES) {
            assertTrue(bytes(text(at(prod.container(service), "resources", "limits", "memory")))
                    >= bytes(text(at(dev.container(service), "resources", "limits", "memory"))), "prod " + service.name() + " gets at least dev's memory");
            String image = text(prod.container(service).get("image"));
            assertTrue(image.matches(".+:\\d+\\.\\d+\\.\\d+"), "prod " + service.name() + " runs a release version: " + image);
        }
        assertTrue(brokers(prod) >= 3, "prod runs at least three Kafka brokers");
        assertTrue(Integer.parseInt(text(at(prod.one("Cluster", "loupe-db"), "spec", "instances"))) >= 2, "prod runs a PostgreSQL replica");
        for (Map<String, Object> topic : prod.all("KafkaTopic")) {
            assertTrue(Integer.parseInt(text(at(topic, "spec", "replicas"))) >= 3, "prod replicates " + name(topic));
        }
    }

    /** prod backs the database up (deploy/README.md, "Backup and restore"): WAL archiving and a nightly base backup. */
    @Test
    void prodArchivesTheDatabaseAndBacksItUpEveryNightToObjectStorage() {
        Manifests prod = Manifests.of("prod");
        String plugin = "barman-cloud.cloudnative-pg.io";
        Map<String, Object> store = prod.one("ObjectStore", "loupe-db-backups");
        assertTrue(text(at(store, "spec", "configuration", "destinationPath")).startsWith("s3://"), "backups go to a bucket");
        assertTrue(text(at(store, "spec", "retentionPolicy")).matches("\\d+[dwm]"), "backups are kept for a while, then deleted");
        List<Map<String, Object>> plugins = maps(at(prod.one("Cluster", "loupe-db"), "spec", "plugins"));
        assertTrue(plugins.stream().anyMatch(p -> plugin.equals(text(p.get("name"))) && Boolean.parseBoolean(text(p.get("isWALArchiver")))
                && "loupe-db-backups".equals(text(at(p, "parameters", "barmanObjectName")))), "loupe-db archives its WAL to the store: " + plugins);
        Map<String, Object> nightly = prod.one("ScheduledBackup", "loupe-db-nightly");
        assertEquals("loupe-db", text(at(nightly, "spec", "cluster", "name")));
        assertEquals("plugin", text(at(nightly, "spec", "method")));
        assertEquals(plugin, text(at(nightly, "spec", "pluginConfiguration", "name")));
        assertEquals(6, text(at(nightly, "spec", "schedule")).split(" ").length, "CloudNativePG schedules have a seconds field");
    }

    // --- helpers

    private static void assertKafkaBootstrap(Manifests m, String server, String where) {
        int colon = server.lastIndexOf(':');
        assertTrue(colon > 0, where + " is host:port: " + server);
        String kafka = serviceHost(m, server.substring(0, colon), "-kafka-bootstrap", "Kafka", where);
        String port = server.substring(colon + 1);
        Map<String, Object> listener = maps(at(m.one("Kafka", kafka), "spec", "kafka", "listeners")).stream()
                .filter(l -> port.equals(text(l.get("port")))).findFirst()
                .orElseThrow(() -> new AssertionError(where + ": Kafka " + kafka + " has no listener on " + port));
        assertEquals("false", text(listener.get("tls")), where + ": the services speak Kafka without TLS to listener " + text(listener.get("name"))
                + " (SCRAM: IdentitiesTest)");
    }

    /**
     * The custom resource (Kafka or Cluster) a Service host name belongs to: host = {@code <name><suffix>}, optionally
     * followed by the namespace the resource is in.
     */
    private static String serviceHost(Manifests m, String host, String suffix, String kind, String where) {
        String[] labels = host.split("\\.");
        assertTrue(labels[0].endsWith(suffix), where + ": " + host + " is the " + suffix + " Service of a " + kind);
        String owner = labels[0].substring(0, labels[0].length() - suffix.length());
        Map<String, Object> resource = m.one(kind, owner);
        if (labels.length > 1) {
            assertEquals(namespace(resource), labels[1], where + ": " + host + " names the namespace of " + kind + " " + owner);
        }
        return owner;
    }

    /**
     * Whether a NetworkPolicy of the given type that selects the pods labelled {@code subject} allows the pods labelled
     * {@code peer} (same namespace) on the port.
     */
    private static boolean allows(Manifests m, String type, Map<String, Object> subject, Map<String, Object> peer, int port) {
        String direction = type.equals("Egress") ? "egress" : "ingress";
        String peers = type.equals("Egress") ? "to" : "from";
        for (Map<String, Object> policy : m.all("NetworkPolicy")) {
            if (!selects(at(policy, "spec", "podSelector"), subject) || !list(at(policy, "spec", "policyTypes")).contains(type)) {
                continue;
            }
            for (Map<String, Object> rule : maps(at(policy, "spec", direction))) {
                boolean portOk = rule.get("ports") == null || maps(rule.get("ports")).stream().anyMatch(p -> String.valueOf(port).equals(text(p.get("port"))));
                boolean peerOk = maps(rule.get(peers)).stream().anyMatch(p -> p.get("namespaceSelector") == null
                        && p.get("ipBlock") == null && selects(p.get("podSelector"), peer));
                if (portOk && peerOk) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Whether any NetworkPolicy of the given type selects the pods labelled {@code subject} (else all traffic of that direction passes). */
    private static boolean isolated(Manifests m, String type, Map<String, Object> subject) {
        return m.all("NetworkPolicy").stream().anyMatch(policy -> selects(at(policy, "spec", "podSelector"), subject)
                && list(at(policy, "spec", "policyTypes")).contains(type));
    }

    private static List<Map<String, Object>> workloads(Manifests m) {
        List<Map<String, Object>> workloads = new ArrayList<>();
        for (String kind : List.of("Deployment", "StatefulSet", "DaemonSet", "Job")) {
            workloads.addAll(m.all(kind));
        }
        return workloads;
    }

    /** The container port a Service's targetPort (a name, a number, or none = the port) means in a workload. */
    private static int containerPort(Map<String, Object> workload, String targetPort, int port) {
        if (targetPort == null) {
            return port;
        }
        if (targetPort.matches("\\d+")) {
            return Integer.parseInt(targetPort);
        }
        for (Map<String, Object> container : containers(workload)) {
            for (Map<String, Object> p : maps(container.get("ports"))) {
                if (targetPort.equals(text(p.get("name")))) {
                    return Integer.parseInt(text(p.get("containerPort")));
                }
            }
        }
        throw new AssertionError(name(workload) + " has no container port named " + targetPort);
    }

    private static String value(Map<String, Manifests.EnvValue> env, String key, String where) {
        Manifests.EnvValue value = env.get(key);
        assertNotNull(value, where + " sets " + key);
        assertNotNull(value.value(), where + " " + key + " is a plain value");
        return value.value();
    }

    private static int brokers(Manifests m) {
        return m.all("KafkaNodePool").stream().filter(p -> list(at(p, "spec", "roles")).contains("broker"))
                .mapToInt(p -> Integer.parseInt(text(at(p, "spec", "replicas")))).sum();
    }

    private static int partitions(Manifests m, String topic) {
        return m.all("KafkaTopic").stream().filter(t -> topic.equals(text(at(t, "spec", "topicName"))))
                .mapToInt(t -> Integer.parseInt(text(at(t, "spec", "partitions")))).findFirst()
                .orElseThrow(() -> new AssertionError(m.overlay() + ": no KafkaTopic " + topic));
    }

    private static int replicas(Map<String, Object> deployment) {
        String replicas = text(at(deployment, "spec", "replicas"));
        return replicas == null ? 1 : Integer.parseInt(replicas);
    }

    private static double cores(String quantity) {
        return quantity.endsWith("m") ? Double.parseDouble(quantity.substring(0, quantity.length() - 1)) / 1000 : Double.parseDouble(quantity);
    }

    private static long bytes(String quantity) {
        Matcher q = Pattern.compile("(\\d+)(Ki|Mi|Gi|Ti|k|M|G|T)?").matcher(quantity);
        if (!q.matches()) {
            fail("unreadable quantity " + quantity);
        }
        long n = Long.parseLong(q.group(1));
        return switch (q.group(2) == null ? "" : q.group(2)) {
            case "Ki" -> n << 10;
            case "Mi" -> n << 20;
            case "Gi" -> n << 30;
            case "Ti" -> n << 40;
            case "k" -> n * 1000;
            case "M" -> n * 1_000_000;
            case "G" -> n * 1_000_000_000;
            case "T" -> n * 1_000_000_000_000L;
            default -> n;
        };
    }
}
