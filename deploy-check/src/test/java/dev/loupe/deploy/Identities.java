package dev.loupe.deploy;

import dev.loupe.events.Topics;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * What each service's identities must allow, derived from the code, and the parts of issue 13 (sign-in, service
 * tokens, access events) the deployment already provides while the code does not have them yet.
 */
final class Identities {

    /** One allowed operation of a Kafka ACL, as Strimzi's KafkaUser writes it (type topic/group, literal/prefix). */
    record Acl(String type, String pattern, String name, String operation) implements Comparable<Acl> {
        @Override
        public int compareTo(Acl other) {
            return toString().compareTo(other.toString());
        }

        @Override
        public String toString() {
            return type + (pattern.equals("prefix") ? " prefix " : " ") + name + ": " + operation;
        }
    }

    /** The access-change topic of issue 13; until loupe-events' Topics has it, the deployment expects it as planned. */
    static final String ACCESS_TOPIC = "loupe.access";
    static final String ACCESS_GROUP_PREFIX = "loupe-access-";

    private Identities() {
    }

    /** Whether loupe.access is still only planned (not a Topics constant): then its producer and readers are assumed. */
    static boolean accessPending() {
        return !Topics.ALL.contains(ACCESS_TOPIC);
    }

    /** The topics the service's outbox relay writes: from its code, plus loupe.access for label-service while planned. */
    static Set<String> produces(Repo.Service service) {
        Set<String> topics = new TreeSet<>(CodeFacts.produces(service));
        if (accessPending() && service == Repo.LABEL) {
            topics.add(ACCESS_TOPIC);
        }
        return topics;
    }

    /**
     * The Kafka ACLs the service needs: Write on what it produces, Create on every Loupe topic when its relay runs
     * (OutboxRelay creates missing topics at start), Read on what its channels consume with their groups (a prefix for
     * per-replica groups), Write on the dead-letter topics of its groups; Describe wherever it reads or writes.
     * The groups are the code's defaults (IdentitiesTest checks no Deployment overrides them).
     */
    static Set<Acl> kafkaAcls(Repo.Service service, boolean relayRuns) {
        Set<Acl> acls = new TreeSet<>();
        for (String topic : produces(service)) {
            acls.add(new Acl("topic", "literal", topic, "Write"));
            acls.add(new Acl("topic", "literal", topic, "Describe"));
        }
        if (relayRuns) {
            for (String topic : Topics.ALL) {
                acls.add(new Acl("topic", "literal", topic, "Create"));
                acls.add(new Acl("topic", "literal", topic, "Describe"));
            }
        }
        List<CodeFacts.Reader> readers = new ArrayList<>(CodeFacts.readers().stream().filter(r -> r.service().equals(service.name())).toList());
        if (accessPending()) {
            readers.add(new CodeFacts.Reader(service.name(), "access", ACCESS_GROUP_PREFIX, true, List.of(ACCESS_TOPIC), false, null));
        }
        for (CodeFacts.Reader reader : readers) {
            String group = reader.group();
            acls.add(new Acl("group", reader.prefix() ? "prefix" : "literal", group, "Read"));
            for (String topic : reader.topics()) {
                acls.add(new Acl("topic", "literal", topic, "Read"));
                acls.add(new Acl("topic", "literal", topic, "Describe"));
            }
            for (String topic : reader.deadLetterTopics()) {
                acls.add(new Acl("topic", "literal", topic, "Write"));
                acls.add(new Acl("topic", "literal", topic, "Describe"));
            }
        }
        return acls;
    }

    /** The PostgreSQL schema a service owns: Hibernate's default schema, which must also be Flyway's only schema. */
    static String schema(Repo.Service service) {
        java.util.Properties properties = new java.util.Properties();
        try (var reader = new java.io.StringReader(Repo.read(service.applicationProperties().orElseThrow()))) {
            properties.load(reader);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        String schema = properties.getProperty("quarkus.hibernate-orm.database.default-schema");
        String flyway = properties.getProperty("quarkus.flyway.schemas");
        if (schema == null || !schema.equals(flyway)) {
            throw new IllegalStateException(service.name() + ": Hibernate's default-schema (" + schema
                    + ") and Flyway's schemas (" + flyway + ") must name the one schema it owns");
        }
        return schema;
    }

    /** The PostgreSQL role of a service: label-service -> label_service. */
    static String databaseRole(Repo.Service service) {
        return service.name().replace('-', '_');
    }

    /**
     * The environment variables of issue 13's sign-in the deployment sets before the code reads them: accepted while
     * the service does not depend on loupe-security (platform/security); once it does, every one must be a key it
     * reads, like any other variable.
     */
    static Set<String> pendingAuthKeys(Repo.Service service) {
        if (CodeFacts.repositoryModules(service).containsKey("loupe-security")) {
            return Set.of();
        }
        Set<String> keys = new TreeSet<>();
        if (service == Repo.LABEL) {
            keys.addAll(List.of("LOUPE_AUTH_OIDC_ENABLED", "LOUPE_AUTH_OIDC_AUTH_SERVER_URL", "LOUPE_AUTH_OIDC_CLIENT_ID",
                    "LOUPE_AUTH_OIDC_CLIENT_SECRET", "LOUPE_AUTH_OIDC_ADMIN_GROUPS", "LOUPE_ADMIN_PASSWORD"));
            Repo.SERVICES.stream().filter(s -> s != Repo.LABEL).forEach(s -> keys.add(serviceSecretKey(s)));
        } else {
            keys.addAll(List.of("LOUPE_AUTH_LABEL_URL", serviceSecretKey(service)));
        }
        return keys;
    }

    /** LOUPE_EMBEDDING_SERVICE_SECRET for embedding-service. */
    static String serviceSecretKey(Repo.Service service) {
        return "LOUPE_" + CodeFacts.environmentName(service.name()) + "_SECRET";
    }
}
