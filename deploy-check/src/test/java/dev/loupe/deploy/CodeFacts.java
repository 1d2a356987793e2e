package dev.loupe.deploy;

import dev.loupe.events.Topics;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What the code reads and uses, found in its sources: the environment variables each service understands and the
 * consumer groups with the topics they read. Deliberately simple parsing of our own conventions
 * ({@code @ConfigMapping} interfaces, {@code ${LOUPE_...}} and {@code mp.messaging.incoming.*} in application.properties).
 */
final class CodeFacts {

    /** One Kafka consumer group of a service and the topics it reads. */
    record Consumer(String service, String group, List<String> topics) {
        /** The dead-letter topics the group writes to (Topics.deadLetter). */
        List<String> deadLetterTopics() {
            return topics.stream().map(topic -> Topics.deadLetter(topic, group)).toList();
        }
    }

    private static final Pattern ENV_REFERENCE = Pattern.compile("\\$\\{(LOUPE_[A-Z0-9_]+)");
    private static final Pattern MAPPING = Pattern.compile(
            "@ConfigMapping\\s*\\(\\s*prefix\\s*=\\s*\"([^\"]+)\"\\s*\\)[^{]*?\\binterface\\s+(\\w+)[^{]*\\{");
    private static final Pattern INTERFACE = Pattern.compile("\\binterface\\s+(\\w+)[^{;]*\\{");
    private static final Pattern ANNOTATION = Pattern.compile("@[\\w.]+(\\s*\\((?:[^()\"]|\"(?:[^\"\\\\]|\\\\.)*\")*\\))?");
    private static final Pattern METHOD = Pattern.compile("^(?:public\\s+)?([\\w.]+)(?:<.*>)?(?:\\[\\])?\\s+(\\w+)\\s*\\(\\s*\\)$", Pattern.DOTALL);

    private CodeFacts() {
    }

    /** Keys in application.properties the service reads from the environment, e.g. LOUPE_DB_URL. */
    static Set<String> propertiesEnvironmentKeys(Path applicationProperties) {
        Set<String> keys = new TreeSet<>();
        Matcher matcher = ENV_REFERENCE.matcher(Repo.read(applicationProperties));
        while (matcher.find()) {
            keys.add(matcher.group(1));
        }
        return keys;
    }

    /**
     * Every environment variable the service understands: the {@code ${LOUPE_...}} references of its
     * application.properties and the environment form of every {@code @ConfigMapping} key of its own code and of the
     * repository modules it depends on at runtime (platform/common's outbox, platform/security, ...), e.g.
     * loupe.label.imports.folder-roots -> LOUPE_LABEL_IMPORTS_FOLDER_ROOTS.
     */
    static Set<String> environmentKeys(Repo.Service service) {
        Path properties = service.applicationProperties().orElseThrow(() ->
                new IllegalStateException(service.name() + " has no application.properties"));
        Set<String> keys = new TreeSet<>(propertiesEnvironmentKeys(properties));
        List<Path> roots = new ArrayList<>(List.of(service.dir().resolve("src/main/java")));
        repositoryModules(service).values().forEach(pom -> roots.add(pom.getParent().resolve("src/main/java")));
        for (Path sources : roots) {
            javaFiles(sources).forEach(file -> mappingKeys(Repo.read(file)).forEach(key -> keys.add(environmentName(key))));
        }
        return keys;
    }

    /** The SmallRye Config environment name of a property: non-alphanumerics to '_', upper case. */
    static String environmentName(String property) {
        return property.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT);
    }

    /** The keys of the {@code @ConfigMapping} interface in one source file (nested groups included), else none. */
    static List<String> mappingKeys(String source) {
        String code = withoutComments(source);
        Matcher mapping = MAPPING.matcher(code);
        if (!mapping.find()) {
            return List.of();
        }
        Map<String, String> interfaces = new HashMap<>();
        Matcher declared = INTERFACE.matcher(code);
        while (declared.find()) {
            interfaces.put(declared.group(1), enclosed(code, declared.end() - 1));
        }
        List<String> keys = new ArrayList<>();
        collect(mapping.group(1), interfaces.get(mapping.group(2)), interfaces, keys, 0);
        return keys;
    }

    private static void collect(String prefix, String body, Map<String, String> interfaces, List<String> keys, int depth) {
        if (depth > 5) {
            throw new IllegalStateException("config groups nested too deep under " + prefix);
        }
        for (String member : topLevelMembers(body)) {
            Matcher method = METHOD.matcher(ANNOTATION.matcher(member).replaceAll(" ").strip());
            if (!method.matches()) {
                continue;
            }
            String key = prefix + "." + kebab(method.group(2));
            String type = method.group(1);
            if (interfaces.containsKey(type)) {
                collect(key, interfaces.get(type), interfaces, keys, depth + 1);
            } else {
                keys.add(key);
            }
        }
    }

    /** Statements at the top level of an interface body (nested interface bodies left out). */
    private static List<String> topLevelMembers(String body) {
        List<String> members = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        int depth = 0;
        for (char c : body.toCharArray()) {
            if (c == '{') {
                depth++;
                current.setLength(0);
            } else if (c == '}') {
                depth--;
                current.setLength(0);
            } else if (depth == 0) {
                if (c == ';') {
                    members.add(current.toString());
                    current.setLength(0);
                } else {
                    current.append(c);
                }
            }
        }
        return members;
    }

    /** The text between the bracket at {@code open} (a brace or a parenthesis) and its match. */
    private static String enclosed(String code, int open) {
        char opening = code.charAt(open);
        char closing = opening == '{' ? '}' : ')';
        int depth = 0;
        for (int i = open; i < code.length(); i++) {
            char c = code.charAt(i);
            if (c == opening) {
                depth++;
            } else if (c == closing && --depth == 0) {
                return code.substring(open + 1, i);
            }
        }
        throw new IllegalStateException("unbalanced " + opening + closing);
    }

    static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }

    /** Java without comments; string literals (which may hold "//", as URLs do) kept intact. */
    static String withoutComments(String source) {
        StringBuilder out = new StringBuilder(source.length());
        int i = 0;
        while (i < source.length()) {
            char c = source.charAt(i);
            if (c == '"' || c == '\'') {
                int end = i + 1;
                while (end < source.length() && source.charAt(end) != c) {
                    end += source.charAt(end) == '\\' ? 2 : 1;
                }
                out.append(source, i, Math.min(end + 1, source.length()));
                i = end + 1;
            } else if (source.startsWith("//", i)) {
                int end = source.indexOf('\n', i);
                i = end < 0 ? source.length() : end;
            } else if (source.startsWith("/*", i)) {
                int end = source.indexOf("*/", i + 2);
                i = end < 0 ? source.length() : end + 2;
                out.append(' ');
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    /**
     * One {@code mp.messaging.incoming.<channel>} of a service: the topics it reads and its consumer group. A group that
     * ends in a per-instance part ({@code ${quarkus.uuid}}, PeerSync: one group per replica) is a prefix. References
     * {@code ${key:default}} count as their default; {@code groupProperty} is the first such key (the environment may
     * override it), or null.
     */
    record Reader(String service, String channel, String group, boolean prefix, List<String> topics, boolean deadLetter,
                  String groupProperty) {
        /** The dead-letter topics the group writes to (Topics.deadLetter); none unless the channel dead-letters. */
        List<String> deadLetterTopics() {
            return deadLetter ? topics.stream().map(topic -> Topics.deadLetter(topic, group)).toList() : List.of();
        }
    }

    private static final Pattern CONFIG_REFERENCE = Pattern.compile("\\$\\{([\\w.-]+)(?::([^}]*))?}");
    private static final Set<String> PER_INSTANCE = Set.of("quarkus.uuid");

    /** Every incoming channel of every service (application.properties, read with java.util.Properties). */
    static List<Reader> readers() {
        List<Reader> readers = new ArrayList<>();
        for (Repo.Service service : Repo.SERVICES) {
            Optional<Path> file = service.applicationProperties();
            if (file.isEmpty()) {
                continue;
            }
            java.util.Properties properties = new java.util.Properties();
            try (var reader = new java.io.StringReader(Repo.read(file.get()))) {
                properties.load(reader);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Set<String> channels = new TreeSet<>();
            properties.stringPropertyNames().stream().filter(key -> key.startsWith("mp.messaging.incoming."))
                    .forEach(key -> channels.add(key.split("\\.")[3]));
            for (String channel : channels) {
                String prefix = "mp.messaging.incoming." + channel + ".";
                String group = properties.getProperty(prefix + "group.id");
                String topics = properties.getProperty(prefix + "topics", properties.getProperty(prefix + "topic"));
                if (group == null || topics == null) {
                    throw new IllegalStateException(service.name() + ": channel " + channel + " has no group.id or topics");
                }
                StringBuilder resolved = new StringBuilder();
                String groupProperty = null;
                boolean perInstance = false;
                Matcher reference = CONFIG_REFERENCE.matcher(group);
                while (reference.find()) {
                    if (perInstance) {
                        throw new IllegalStateException(service.name() + ": channel " + channel + " group '" + group
                                + "' has a per-instance part that is not at its end; teach deploy-check's CodeFacts.readers this form");
                    }
                    if (PER_INSTANCE.contains(reference.group(1)) && reference.group(2) == null) {
                        perInstance = reference.end() == group.length();
                        reference.appendReplacement(resolved, "");
                        if (!perInstance) {
                            throw new IllegalStateException(service.name() + ": channel " + channel + " group '" + group
                                    + "' has a per-instance part that is not at its end; teach deploy-check's CodeFacts.readers this form");
                        }
                    } else if (reference.group(2) != null) {
                        groupProperty = groupProperty == null ? reference.group(1) : groupProperty;
                        reference.appendReplacement(resolved, Matcher.quoteReplacement(reference.group(2)));
                    } else {
                        throw new IllegalStateException(service.name() + ": cannot tell the consumer group of channel " + channel
                                + " from '" + group + "'; teach deploy-check's CodeFacts.readers this form");
                    }
                }
                reference.appendTail(resolved);
                List<String> names = new ArrayList<>();
                for (String topic : topics.split(",")) {
                    if (!Topics.ALL.contains(topic.strip())) {
                        throw new IllegalStateException(service.name() + ": channel " + channel + " reads " + topic
                                + ", which is not a topic of loupe-events' Topics");
                    }
                    names.add(topic.strip());
                }
                boolean deadLetter = "dead-letter-queue".equals(properties.getProperty(prefix + "failure-strategy"));
                if (deadLetter && perInstance) {
                    throw new IllegalStateException(service.name() + ": channel " + channel
                            + " dead-letters from a per-instance group: one dead-letter topic per replica");
                }
                readers.add(new Reader(service.name(), channel, resolved.toString(), perInstance, List.copyOf(names), deadLetter,
                        groupProperty));
            }
        }
        return readers;
    }

    /**
     * The durable consumer groups of all services: their {@code mp.messaging.incoming.<channel>} entries in
     * application.properties with the dead-letter-queue failure strategy (the channels the Inbox applies). A group
     * written {@code ${loupe.x.consumer-group:default}} is its default; the topics must be Topics constants.
     */
    static List<Consumer> consumers() {
        return readers().stream().filter(Reader::deadLetter).map(r -> new Consumer(r.service(), r.group(), r.topics())).toList();
    }

    /**
     * The topics a service produces: those of the event types (loupe-events' EventType) whose payload record its main
     * code constructs. Events reach Kafka only through the outbox, so what a service builds is what its relay writes.
     */
    static Set<String> produces(Repo.Service service) {
        Set<String> topics = new TreeSet<>();
        List<String> sources = javaFiles(service.dir().resolve("src/main/java")).stream().map(f -> withoutComments(Repo.read(f))).toList();
        for (dev.loupe.events.EventType type : dev.loupe.events.EventType.values()) {
            Pattern construction = Pattern.compile("\\bnew\\s+(?:[\\w.]+\\.)?" + type.payloadType().getSimpleName() + "\\s*\\(");
            if (sources.stream().anyMatch(source -> construction.matcher(source).find())) {
                topics.add(type.topic());
            }
        }
        return topics;
    }

    /** The repository modules a service depends on outside the test scope, directly or through each other, by artifactId. */
    static Map<String, Path> repositoryModules(Repo.Service service) {
        Map<String, Path> modules = modulePoms();
        Map<String, Path> found = new java.util.TreeMap<>();
        List<Path> pending = new ArrayList<>(List.of(service.dir().resolve("pom.xml")));
        Set<Path> seen = new LinkedHashSet<>();
        while (!pending.isEmpty()) {
            Path pom = pending.removeLast();
            if (!seen.add(pom)) {
                continue;
            }
            for (String artifact : runtimeDependencies(Repo.read(pom))) {
                if (modules.containsKey(artifact)) {
                    found.put(artifact, modules.get(artifact));
                    pending.add(modules.get(artifact));
                }
            }
        }
        return found;
    }

    private static final Pattern MODULE = Pattern.compile("<module>\\s*([^<\\s]+)\\s*</module>");
    private static final Pattern PARENT = Pattern.compile("<parent>.*?</parent>", Pattern.DOTALL);
    private static final Pattern ARTIFACT_ID = Pattern.compile("<artifactId>\\s*([^<\\s]+)\\s*</artifactId>");
    private static final Pattern DEPENDENCY = Pattern.compile("<dependency>(.*?)</dependency>", Pattern.DOTALL);
    private static final Pattern SCOPE = Pattern.compile("<scope>\\s*(\\w+)\\s*</scope>");
    private static final Pattern XML_COMMENT = Pattern.compile("<!--.*?-->", Pattern.DOTALL);
    private static final Pattern SECTION_TO_SKIP = Pattern.compile(
            "<(dependencyManagement|build|profiles)>.*?</\\1>", Pattern.DOTALL);
    private static final Pattern ENVIRONMENT_VARIABLES = Pattern.compile("<environmentVariables>(.*?)</environmentVariables>", Pattern.DOTALL);
    private static final Pattern PROPERTIES = Pattern.compile("<properties>(.*?)</properties>", Pattern.DOTALL);
    private static final Pattern ELEMENT = Pattern.compile("<([\\w.-]+)>([^<]*)</\\1>");
    private static final Pattern PROPERTY_REFERENCE = Pattern.compile("\\$\\{([\\w.-]+)}");

    /**
     * Whether libtorch (DJL's {@code pytorch-native-*}) is on the service's runtime class path: declared by its pom or
     * by a module of this repository it depends on outside the test scope (e.g. trainer-service through loupe-training).
     */
    static boolean usesLibtorch(Repo.Service service) {
        Map<String, Path> modules = modulePoms();
        Set<Path> seen = new LinkedHashSet<>();
        List<Path> pending = new ArrayList<>(List.of(service.dir().resolve("pom.xml")));
        while (!pending.isEmpty()) {
            Path pom = pending.removeLast();
            if (!seen.add(pom)) {
                continue;
            }
            for (String artifact : runtimeDependencies(Repo.read(pom))) {
                if (artifact.startsWith("pytorch-native")) {
                    return true;
                }
                if (modules.containsKey(artifact)) {
                    pending.add(modules.get(artifact));
                }
            }
        }
        return false;
    }

    /** The artifactIds a pom depends on outside the test scope (dependencyManagement, build and profiles left out). */
    static List<String> runtimeDependencies(String pom) {
        String dependencies = SECTION_TO_SKIP.matcher(XML_COMMENT.matcher(pom).replaceAll("")).replaceAll("");
        List<String> artifacts = new ArrayList<>();
        Matcher dependency = DEPENDENCY.matcher(dependencies);
        while (dependency.find()) {
            String scope = firstMatch(SCOPE, dependency.group(1)).orElse("compile");
            if (!scope.equals("test")) {
                firstMatch(ARTIFACT_ID, dependency.group(1)).ifPresent(artifacts::add);
            }
        }
        return artifacts;
    }

    /** The folders of the repository's modules, as the root pom's {@code <modules>} names them (e.g. platform/common). */
    static List<String> modules() {
        List<String> modules = new ArrayList<>();
        Matcher module = MODULE.matcher(XML_COMMENT.matcher(Repo.read(Repo.root().resolve("pom.xml"))).replaceAll(""));
        while (module.find()) {
            modules.add(module.group(1));
        }
        return modules;
    }

    /** The repository's modules (the root pom's {@code <modules>}) by artifactId, each to its pom.xml. */
    private static Map<String, Path> modulePoms() {
        Map<String, Path> poms = new HashMap<>();
        Matcher module = MODULE.matcher(XML_COMMENT.matcher(Repo.read(Repo.root().resolve("pom.xml"))).replaceAll(""));
        while (module.find()) {
            Path pom = Repo.root().resolve(module.group(1)).resolve("pom.xml");
            if (Files.isRegularFile(pom)) {
                String own = PARENT.matcher(XML_COMMENT.matcher(Repo.read(pom)).replaceAll("")).replaceFirst("");
                firstMatch(ARTIFACT_ID, own).ifPresent(artifact -> poms.put(artifact, pom));
            }
        }
        return poms;
    }

    /**
     * The environment variables the service's tests run with (surefire's {@code <environmentVariables>} in its pom,
     * {@code ${property}} resolved from the pom's {@code <properties>}), e.g. LD_PRELOAD for libtorch.
     */
    static Map<String, String> testEnvironment(Repo.Service service) {
        String pom = XML_COMMENT.matcher(Repo.read(service.dir().resolve("pom.xml"))).replaceAll("");
        Map<String, String> properties = new HashMap<>();
        firstMatch(PROPERTIES, pom).ifPresent(block -> elements(block).forEach(properties::put));
        Map<String, String> environment = new java.util.TreeMap<>();
        Matcher block = ENVIRONMENT_VARIABLES.matcher(pom);
        while (block.find()) {
            elements(block.group(1)).forEach((key, value) -> {
                Matcher reference = PROPERTY_REFERENCE.matcher(value);
                StringBuilder resolved = new StringBuilder();
                while (reference.find()) {
                    String property = properties.get(reference.group(1));
                    if (property == null) {
                        throw new IllegalStateException(service.name() + " pom: ${" + reference.group(1)
                                + "} in <environmentVariables> is not one of its <properties>; teach CodeFacts.testEnvironment");
                    }
                    reference.appendReplacement(resolved, Matcher.quoteReplacement(property));
                }
                reference.appendTail(resolved);
                environment.put(key, resolved.toString());
            });
        }
        return environment;
    }

    private static Map<String, String> elements(String xml) {
        Map<String, String> elements = new java.util.LinkedHashMap<>();
        Matcher element = ELEMENT.matcher(xml);
        while (element.find()) {
            elements.put(element.group(1), element.group(2).strip());
        }
        return elements;
    }

    static List<Path> javaFiles(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(f -> f.toString().endsWith(".java")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Optional<String> firstMatch(Pattern pattern, String text) {
        Matcher matcher = pattern.matcher(text);
        return matcher.find() ? Optional.of(matcher.group(1)) : Optional.empty();
    }
}
