package dev.loupe.deploy;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiConsumer;

/** Multi-document YAML as plain maps and lists (merge keys resolved), with null-safe navigation. */
final class Yamls {

    private Yamls() {
    }

    static List<Map<String, Object>> documents(String yaml) {
        LoaderOptions options = new LoaderOptions();
        options.setMaxAliasesForCollections(200);
        List<Map<String, Object>> documents = new ArrayList<>();
        for (Object document : new Yaml(new SafeConstructor(options)).loadAll(yaml)) {
            if (document != null) {
                documents.add(map(document));
            }
        }
        return documents;
    }

    static Map<String, Object> document(String yaml) {
        List<Map<String, Object>> documents = documents(yaml);
        if (documents.size() != 1) {
            throw new IllegalArgumentException("expected one YAML document, found " + documents.size());
        }
        return documents.getFirst();
    }

    /** The value at a path of map keys; null when any step is missing. */
    static Object at(Object node, String... path) {
        Object current = node;
        for (String key : path) {
            if (!(current instanceof Map<?, ?> map)) {
                return null;
            }
            current = map.get(key);
        }
        return current;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object node) {
        return node instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object node) {
        return node instanceof List<?> l ? (List<Object>) l : List.of();
    }

    static List<Map<String, Object>> maps(Object node) {
        return list(node).stream().map(Yamls::map).toList();
    }

    /** Scalars as text (YAML may type them as numbers or booleans); null stays null. */
    static String text(Object node) {
        return node == null || node instanceof Map || node instanceof List ? null : Objects.toString(node);
    }

    static String kind(Map<String, Object> document) {
        return text(document.get("kind"));
    }

    static String name(Map<String, Object> document) {
        return text(at(document, "metadata", "name"));
    }

    static String namespace(Map<String, Object> document) {
        return text(at(document, "metadata", "namespace"));
    }

    /** Every key/value pair anywhere in the tree, depth first. */
    static void walk(Object node, BiConsumer<String, Object> visitor) {
        if (node instanceof Map<?, ?> map) {
            map.forEach((key, value) -> {
                visitor.accept(String.valueOf(key), value);
                walk(value, visitor);
            });
        } else if (node instanceof List<?> list) {
            list.forEach(item -> walk(item, visitor));
        }
    }
}
