package dev.loupe.deploy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import static dev.loupe.deploy.Yamls.at;
import static dev.loupe.deploy.Yamls.kind;
import static dev.loupe.deploy.Yamls.list;
import static dev.loupe.deploy.Yamls.map;
import static dev.loupe.deploy.Yamls.maps;
import static dev.loupe.deploy.Yamls.name;
import static dev.loupe.deploy.Yamls.text;

/** The rendered documents of one overlay, with the look-ups the checks need. */
record Manifests(String overlay, List<Map<String, Object>> documents) {

    /** A container's environment variable: a plain value, or a reference to a Secret key. */
    record EnvValue(String value, String secretName, String secretKey) {
        boolean fromSecret() {
            return secretName != null;
        }
    }

    static Manifests of(String overlay) {
        return new Manifests(overlay, Kustomize.overlay(overlay));
    }

    List<Map<String, Object>> all(String kind) {
        return documents.stream().filter(d -> kind.equals(kind(d))).toList();
    }

    Map<String, Object> one(String kind, String name) {
        return documents.stream().filter(d -> kind.equals(kind(d)) && name.equals(name(d))).findFirst()
                .orElseThrow(() -> new AssertionError(overlay + ": no " + kind + " named " + name));
    }

    boolean has(String kind, String name) {
        return documents.stream().anyMatch(d -> kind.equals(kind(d)) && name.equals(name(d)));
    }

    Map<String, Object> deployment(Repo.Service service) {
        return one("Deployment", service.name());
    }

    static Map<String, Object> podSpec(Map<String, Object> workload) {
        return map(at(workload, "spec", "template", "spec"));
    }

    static List<Map<String, Object>> containers(Map<String, Object> workload) {
        List<Map<String, Object>> containers = new ArrayList<>(maps(podSpec(workload).get("containers")));
        containers.addAll(maps(podSpec(workload).get("initContainers")));
        return containers;
    }

    /** The service's own container (named like the Deployment). */
    Map<String, Object> container(Repo.Service service) {
        return maps(podSpec(deployment(service)).get("containers")).stream()
                .filter(c -> service.name().equals(text(c.get("name")))).findFirst()
                .orElseThrow(() -> new AssertionError(overlay + ": Deployment " + service.name() + " has no container " + service.name()));
    }

    Map<String, String> configMapData(String name) {
        Map<String, String> data = new LinkedHashMap<>();
        map(one("ConfigMap", name).get("data")).forEach((k, v) -> data.put(k, text(v)));
        return data;
    }

    /** The container's environment as the pod sees it: envFrom ConfigMaps first, env entries over them. */
    Map<String, EnvValue> environment(Map<String, Object> container) {
        Map<String, EnvValue> env = new LinkedHashMap<>();
        for (Map<String, Object> source : maps(container.get("envFrom"))) {
            String configMap = text(at(source, "configMapRef", "name"));
            if (configMap != null) {
                String prefix = Objects.requireNonNullElse(text(source.get("prefix")), "");
                configMapData(configMap).forEach((k, v) -> env.put(prefix + k, new EnvValue(v, null, null)));
            }
        }
        for (Map<String, Object> variable : maps(container.get("env"))) {
            String name = text(variable.get("name"));
            Object configMapKey = at(variable, "valueFrom", "configMapKeyRef");
            Object secretKey = at(variable, "valueFrom", "secretKeyRef");
            if (configMapKey != null) {
                env.put(name, new EnvValue(configMapData(text(at(configMapKey, "name"))).get(text(at(configMapKey, "key"))), null, null));
            } else if (secretKey != null) {
                env.put(name, new EnvValue(null, text(at(secretKey, "name")), text(at(secretKey, "key"))));
            } else {
                env.put(name, new EnvValue(text(variable.get("value")), null, null));
            }
        }
        return env;
    }

    /**
     * Secrets that will exist once the operators ran and you did what deploy/README.md says: the rendered ones, the
     * ones Strimzi writes for KafkaUsers, for each CloudNativePG Cluster whose bootstrap brings no Secret of its own the
     * {@code <cluster>-app} Secret CloudNativePG generates, and the ones deploy/README.md tells you to create.
     */
    Set<String> secretNames() {
        Set<String> names = new java.util.TreeSet<>(secretsYouCreate());
        all("Secret").forEach(s -> names.add(name(s)));
        // Strimzi's User Operator writes a Secret named like each KafkaUser (password, sasl.jaas.config)
        all("KafkaUser").forEach(u -> names.add(name(u)));
        for (Map<String, Object> cluster : all("Cluster")) {
            if (at(cluster, "spec", "bootstrap", "initdb", "secret") == null) {
                names.add(name(cluster) + "-app");
            }
        }
        return names;
    }

    private static final java.util.regex.Pattern CREATE_SECRET = java.util.regex.Pattern.compile(
            "kubectl\\b[^\\n]*\\bcreate secret (?:generic|tls) ([a-z0-9$][a-z0-9.${}-]*)");

    /**
     * The Secrets deploy/README.md tells you to create ({@code kubectl ... create secret generic <name>} in its
     * "Identities" section; {@code loupe-db-$s} in a loop over the services counts for each service).
     */
    static Set<String> secretsYouCreate() {
        String readme = Repo.read(Repo.root().resolve("deploy/README.md"));
        int start = readme.indexOf("\n## Identities");
        if (start < 0) {
            return Set.of();
        }
        int end = readme.indexOf("\n## ", start + 1);
        java.util.regex.Matcher command = CREATE_SECRET.matcher(readme.substring(start, end < 0 ? readme.length() : end));
        Set<String> names = new java.util.TreeSet<>();
        while (command.find()) {
            String name = command.group(1);
            if (name.contains("$s") || name.contains("${s}")) {
                for (Repo.Service service : Repo.SERVICES) {
                    names.add(name.replace("${s}", service.name()).replace("$s", service.name()));
                }
            } else {
                names.add(name);
            }
        }
        return names;
    }

    /** Whether a label selector (matchLabels, matchExpressions In/NotIn/Exists/DoesNotExist) selects these labels. */
    static boolean selects(Object selector, Map<String, Object> labels) {
        if (selector == null) {
            return false;
        }
        for (Map.Entry<String, Object> required : map(at(selector, "matchLabels")).entrySet()) {
            if (!Objects.equals(text(required.getValue()), text(labels.get(required.getKey())))) {
                return false;
            }
        }
        for (Map<String, Object> expression : maps(at(selector, "matchExpressions"))) {
            String value = text(labels.get(text(expression.get("key"))));
            List<String> values = list(expression.get("values")).stream().map(Yamls::text).toList();
            boolean ok = switch (text(expression.get("operator"))) {
                case "In" -> value != null && values.contains(value);
                case "NotIn" -> value == null || !values.contains(value);
                case "Exists" -> value != null;
                case "DoesNotExist" -> value == null;
                default -> false;
            };
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    static Map<String, Object> podLabels(Map<String, Object> workload) {
        return map(at(workload, "spec", "template", "metadata", "labels"));
    }
}
