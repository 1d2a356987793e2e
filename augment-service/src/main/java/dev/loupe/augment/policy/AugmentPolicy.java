package dev.loupe.augment.policy;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.loupe.augment.image.InvalidOperationException;
import dev.loupe.augment.image.Operation;
import dev.loupe.augment.image.Operations;
import dev.loupe.augment.image.Rotate;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Which label an augmented image gets: per class and operation, keep the label, map it to another class, or
 * forbid the operation. Classes the table does not list, and operations a class does not list, use the table's
 * defaults; an operation nobody lists is forbidden, so a new operation is never silently label-safe.
 *
 * <p>Rotations are looked up by size, because a small tilt keeps a numeral while a quarter turn does not:
 * {@code rotate} up to {@link #smallRotationDegrees()} either way, {@code rotate-180} within that of a half turn,
 * {@code rotate-large} for everything between.
 */
public final class AugmentPolicy {

    public static final String ROTATE_180 = "rotate-180";
    public static final String ROTATE_LARGE = "rotate-large";

    private static final String ROMAN_RESOURCE = "roman-i-x.json";
    private static final Set<String> KEYS;

    static {
        Set<String> keys = new LinkedHashSet<>(Operations.NAMES);
        keys.add(ROTATE_180);
        keys.add(ROTATE_LARGE);
        KEYS = Collections.unmodifiableSet(keys);
    }

    private final String name;
    private final double smallRotationDegrees;
    private final Map<String, LabelRule> defaults;
    private final Map<String, Map<String, LabelRule>> classes;

    private AugmentPolicy(String name, double smallRotationDegrees, Map<String, LabelRule> defaults,
                          Map<String, Map<String, LabelRule>> classes) {
        this.name = name;
        this.smallRotationDegrees = smallRotationDegrees;
        this.defaults = defaults;
        this.classes = classes;
    }

    /** The shipped table for the Roman numerals i-x ({@code roman-i-x.json} beside this class). */
    public static AugmentPolicy defaultRoman() {
        try (InputStream in = AugmentPolicy.class.getResourceAsStream(ROMAN_RESOURCE)) {
            if (in == null) throw new IllegalStateException(ROMAN_RESOURCE + " is missing from the classpath");
            return fromJson(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static AugmentPolicy fromJson(InputStream json) throws IOException {
        ObjectMapper mapper = new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        Map<?, ?> map;
        try {
            map = mapper.readValue(json, Map.class);
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw new InvalidPolicyException("$", "not valid JSON: " + e.getOriginalMessage());
        }
        return fromMap(map);
    }

    /**
     * Builds a policy from its map form: {@code name}, {@code smallRotationDegrees}, {@code defaults}
     * (operation to rule) and {@code classes} (class to operation to rule); see {@link LabelRule#parse}.
     */
    public static AugmentPolicy fromMap(Map<?, ?> map) {
        for (Object key : map.keySet()) {
            if (!Set.of("name", "description", "smallRotationDegrees", "defaults", "classes").contains(key)) {
                throw new InvalidPolicyException(String.valueOf(key), "is not a policy field");
            }
        }
        if (!(map.get("name") instanceof String name) || name.isBlank()) {
            throw new InvalidPolicyException("name", "must be a non-empty string");
        }
        Object small = map.containsKey("smallRotationDegrees") ? map.get("smallRotationDegrees") : 15;
        if (!(small instanceof Number n) || !(n.doubleValue() >= 0 && n.doubleValue() < 90)) {
            throw new InvalidPolicyException("smallRotationDegrees", "must be a number in [0, 90), was " + small);
        }
        if (!(map.get("classes") instanceof Map<?, ?> rawClasses)) {
            throw new InvalidPolicyException("classes", "must be an object of class -> {operation: rule}");
        }
        Map<String, LabelRule> defaults = rules("defaults", map.containsKey("defaults") ? map.get("defaults") : Map.of());
        Map<String, Map<String, LabelRule>> classes = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : rawClasses.entrySet()) {
            String cls = String.valueOf(e.getKey());
            if (cls.isBlank()) throw new InvalidPolicyException("classes", "a class name is empty");
            classes.put(cls, rules("classes." + cls, e.getValue()));
        }
        checkTargets("defaults", defaults, classes.keySet());
        classes.forEach((cls, rules) -> checkTargets("classes." + cls, rules, classes.keySet()));
        return new AugmentPolicy(name, n.doubleValue(), defaults, Collections.unmodifiableMap(classes));
    }

    private static Map<String, LabelRule> rules(String path, Object raw) {
        if (!(raw instanceof Map<?, ?> map)) throw new InvalidPolicyException(path, "must be an object of operation -> rule");
        Map<String, LabelRule> rules = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : map.entrySet()) {
            String op = String.valueOf(e.getKey());
            if (!KEYS.contains(op)) {
                throw new InvalidPolicyException(path + "." + op, "is not an operation (known: " + String.join(", ", KEYS) + ")");
            }
            if (!(e.getValue() instanceof String text)) throw new InvalidPolicyException(path + "." + op, "must be a string");
            try {
                rules.put(op, LabelRule.parse(text));
            } catch (IllegalArgumentException ex) {
                throw new InvalidPolicyException(path + "." + op, ex.getMessage());
            }
        }
        return Collections.unmodifiableMap(rules);
    }

    /** A mapping to a class the table does not know would create labels no project has. */
    private static void checkTargets(String path, Map<String, LabelRule> rules, Set<String> classes) {
        rules.forEach((op, rule) -> {
            if (rule instanceof LabelRule.MapTo to && !classes.contains(to.label())) {
                throw new InvalidPolicyException(path + "." + op, "maps to \"" + to.label() + "\", which is not a class of the policy");
            }
        });
    }

    public String name() {
        return name;
    }

    /** The classes the table lists explicitly. */
    public Set<String> classes() {
        return classes.keySet();
    }

    public double smallRotationDegrees() {
        return smallRotationDegrees;
    }

    /** The name under which the table lists this operation: its own name, or the rotation's size class. */
    public String ruleKey(Operation op) {
        if (op instanceof Rotate rotate) {
            double d = Math.abs(rotate.normalisedDegrees());
            if (d <= smallRotationDegrees) return Rotate.NAME;
            if (d >= 180 - smallRotationDegrees) return ROTATE_180;
            return ROTATE_LARGE;
        }
        return op.op();
    }

    /** The rule for one operation on one class; unlisted combinations fall back to the defaults, then forbidden. */
    public LabelRule rule(String label, Operation op) {
        String key = ruleKey(Objects.requireNonNull(op, "op"));
        LabelRule rule = classes.getOrDefault(label, Map.of()).get(key);
        if (rule == null) rule = defaults.get(key);
        return rule != null ? rule : new LabelRule.Forbidden("the policy " + name + " has no rule for " + key);
    }

    /**
     * The label of the image after applying {@code ops} in order to an image of class {@code label}; each step reads
     * the rule for the label the previous step produced (mirror-lr twice takes iv to vi and back).
     *
     * @throws ForbiddenOperationException naming the first forbidden operation and the class it met
     */
    public String resultLabel(String label, List<? extends Operation> ops) {
        if (label == null || label.isBlank()) throw new InvalidOperationException("label", "is required");
        Objects.requireNonNull(ops, "ops");
        String current = label;
        for (int i = 0; i < ops.size(); i++) {
            Operation op = ops.get(i);
            switch (rule(current, op)) {
                case LabelRule.Keep keep -> { }
                case LabelRule.MapTo to -> current = to.label();
                case LabelRule.Forbidden no -> throw new ForbiddenOperationException(ruleKey(op), current, i, ops.size(), no.reason());
            }
        }
        return current;
    }

    /**
     * As {@link #resultLabel(String, List)}, but a caller who looked at the result and names its class
     * ({@code explicitLabel} not null) is trusted over the table, including for operations the table forbids.
     */
    public String resultLabel(String label, List<? extends Operation> ops, String explicitLabel) {
        if (explicitLabel == null) return resultLabel(label, ops);
        if (explicitLabel.isBlank()) throw new InvalidOperationException("resultLabel", "must not be blank when given");
        return explicitLabel;
    }

    @Override
    public String toString() {
        return "AugmentPolicy[" + name + ", " + classes.size() + " classes]";
    }
}
