package dev.loupe.augment.image;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** Typed reads from the JSON-like map form, failing with the parameter's name. */
final class Params {

    private final String op;
    private final Map<?, ?> values;

    Params(String op, Map<?, ?> values) {
        this.op = op;
        this.values = values;
    }

    /** Rejects parameters the operation does not have: a typo must not silently fall back to a default. */
    Params only(String... known) {
        Set<String> allowed = Set.of(known);
        for (Object key : new TreeSet<>(values.keySet().stream().map(String::valueOf).toList())) {
            if (!allowed.contains(key)) {
                throw new InvalidOperationException(String.valueOf(key), "is not a parameter of " + op
                        + (known.length == 0 ? " (it takes none)" : " (known: " + String.join(", ", new TreeSet<>(allowed)) + ")"));
            }
        }
        return this;
    }

    boolean has(String name) {
        return values.get(name) != null;
    }

    Object raw(String name) {
        Object v = values.get(name);
        if (v == null) throw new InvalidOperationException(name, "is required for " + op);
        return v;
    }

    double number(String name) {
        Object v = raw(name);
        if (!(v instanceof Number n)) throw new InvalidOperationException(name, "must be a number, was " + describe(v));
        return n.doubleValue();
    }

    int integer(String name) {
        return integer(name, raw(name));
    }

    static int integer(String name, Object v) {
        if (v instanceof Number n) {
            double d = n.doubleValue();
            if (d == Math.rint(d) && d >= Integer.MIN_VALUE && d <= Integer.MAX_VALUE) return (int) d;
            throw new InvalidOperationException(name, "must be a whole number, was " + v);
        }
        throw new InvalidOperationException(name, "must be a whole number, was " + describe(v));
    }

    String string(String name) {
        Object v = raw(name);
        if (!(v instanceof String s)) throw new InvalidOperationException(name, "must be a string, was " + describe(v));
        return s;
    }

    /** The map form's params of an operation, in the given order: {@code ordered("dx", 1.0, "dy", 2.0)}. */
    static Map<String, Object> ordered(Object... namesAndValues) {
        Map<String, Object> map = new java.util.LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) map.put((String) namesAndValues[i], namesAndValues[i + 1]);
        return java.util.Collections.unmodifiableMap(map);
    }

    static String describe(Object v) {
        return v instanceof String s ? "\"" + s + "\"" : v instanceof Map ? "an object"
                : v instanceof java.util.Collection ? "a list" : String.valueOf(v);
    }
}
