package dev.loupe.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import java.util.ArrayList;
import java.util.List;

/** The malformed values {@link OpenApiFuzz} puts into requests, as seeded generators. */
final class Malformed {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private Malformed() {
    }

    /** Text with a NUL character or an unpaired UTF-16 surrogate somewhere. */
    static Gen<String> text() {
        Gen<String> word = Gen.alnum(0, 6);
        Gen<String> bad = Gen.of("\u0000", "\uD800", "\uDBFF", "\uDC00", "\uDFFF");
        return Gen.combine(word, bad, word, (a, b, c) -> a + b + c);
    }

    /** A path parameter, already percent-encoded: NUL, undecodable UTF-8, or not an id at all. */
    static Gen<String> pathValue() {
        return Gen.oneOf(
                Gen.of("not-a-uuid", "%00", "a%00b", "%ED%A0%80", "%FF", "%C0%80", "99999999999999999999", "-1",
                        "null", "%20"),
                Gen.alnum(1, 12).map(w -> w + "%00"));
    }

    /** A query parameter value, already percent-encoded; numeric ones also get numbers out of any sane range. */
    static Gen<String> queryValue(boolean numeric) {
        List<String> values = new ArrayList<>(List.of("%00", "a%00b", "%ED%A0%80", "%FF%FE", "%C0%80"));
        if (numeric) {
            values.addAll(List.of("abc", "99999999999999999999", "-99999999999999999999", "-1", "1e400", "NaN"));
        }
        return Gen.oneOf(Gen.ofList(values),
                Gen.alnum(1, 8).map(w -> w + "%00"));
    }

    /** A spoiled whole JSON body: empty, truncated, {@code null}, not JSON, of the wrong type, or nested too deep. */
    static Gen<String> wholeBody(String valid, String type, boolean required) {
        List<String> fixed = new ArrayList<>(List.of("not json", "{\"unterminated\": \"", "\u0000",
                "[".repeat(OpenApiFuzz.DEEP) + "]".repeat(OpenApiFuzz.DEEP),
                "{\"a\":".repeat(OpenApiFuzz.DEEP) + "1" + "}".repeat(OpenApiFuzz.DEEP)));
        if (type.equals("array")) {
            fixed.addAll(List.of("{}", "7", "\"fuzz\""));
        } else {
            fixed.addAll(List.of("[]", "7", "\"fuzz\"", "true"));
        }
        if (required) {
            fixed.addAll(List.of("", "null"));
        }
        Gen<String> truncated = Gen.integers(1, Math.max(1, valid.length() - 1))
                .map(n -> valid.substring(0, n));
        return Gen.oneOf(Gen.ofList(fixed), truncated);
    }

    /** A value that does not fit a field of this (OpenAPI) type. */
    static Gen<JsonNode> value(String type, JsonNode schema) {
        Gen<JsonNode> text = text().map(NODES::textNode);
        Gen<JsonNode> deep = Gen.just(OpenApiFuzz.raw("[".repeat(OpenApiFuzz.DEEP) + "]".repeat(OpenApiFuzz.DEEP)));
        return switch (type) {
            case "integer" -> Gen.oneOf(raws("99999999999999999999", "-99999999999999999999", "1e400", "-1",
                    "-2147483649", "{}", "[]", "\"abc\""), Gen.integers(Integer.MIN_VALUE, -1).map(NODES::numberNode));
            case "number" -> raws("1e400", "-1e400", "-1", "-1e308", "{}", "[]", "\"abc\"");
            case "boolean" -> raws("\"maybe\"", "{}", "[]");
            case "array" -> Gen.oneOf(raws("{}", "7"), deep);
            case "object" -> Gen.oneOf(raws("[]", "7", "\"fuzz\""), deep);
            case "map" -> Gen.oneOf(raws("[]", "7", "\"fuzz\""), deep, text.map(t -> NODES.objectNode().set("k", t)));
            case "enum" -> Gen.oneOf(text, raws("\"NOT_A_MEMBER\"", "{}", "[]"));
            case "any" -> Gen.oneOf(text, deep);
            default -> switch (schema.path("format").asText()) {
                case "uuid" -> Gen.oneOf(text, raws("\"not-a-uuid\"", "{}", "[]", "7"));
                case "date-time" -> Gen.oneOf(text, raws("\"yesterday\"", "{}", "[]"));
                default -> Gen.oneOf(text, raws("{}", "[]"));
            };
        };
    }

    private static Gen<JsonNode> raws(String... json) {
        return Gen.of(json).map(OpenApiFuzz::raw);
    }
}
