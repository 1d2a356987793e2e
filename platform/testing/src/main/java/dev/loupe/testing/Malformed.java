package dev.loupe.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

import java.util.ArrayList;
import java.util.List;

/** The malformed values {@link OpenApiFuzz} puts into requests, as jqwik arbitraries. */
final class Malformed {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private Malformed() {
    }

    /** Text with a NUL character or an unpaired UTF-16 surrogate somewhere. */
    static Arbitrary<String> text() {
        Arbitrary<String> word = Arbitraries.strings().alpha().numeric().ofMaxLength(6);
        Arbitrary<String> bad = Arbitraries.of("\u0000", "\uD800", "\uDBFF", "\uDC00", "\uDFFF");
        return Combinators.combine(word, bad, word).as((a, b, c) -> a + b + c);
    }

    /** A path parameter, already percent-encoded: NUL, undecodable UTF-8, or not an id at all. */
    static Arbitrary<String> pathValue() {
        return Arbitraries.oneOf(
                Arbitraries.of("not-a-uuid", "%00", "a%00b", "%ED%A0%80", "%FF", "%C0%80", "99999999999999999999", "-1",
                        "null", "%20"),
                Arbitraries.strings().alpha().numeric().ofMinLength(1).ofMaxLength(12).map(w -> w + "%00"));
    }

    /** A query parameter value, already percent-encoded; numeric ones also get numbers out of any sane range. */
    static Arbitrary<String> queryValue(boolean numeric) {
        List<String> values = new ArrayList<>(List.of("%00", "a%00b", "%ED%A0%80", "%FF%FE", "%C0%80"));
        if (numeric) {
            values.addAll(List.of("abc", "99999999999999999999", "-99999999999999999999", "-1", "1e400", "NaN"));
        }
        return Arbitraries.oneOf(Arbitraries.of(values),
                Arbitraries.strings().alpha().numeric().ofMinLength(1).ofMaxLength(8).map(w -> w + "%00"));
    }

    /** A spoiled whole JSON body: empty, truncated, {@code null}, not JSON, of the wrong type, or nested too deep. */
    static Arbitrary<String> wholeBody(String valid, String type, boolean required) {
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
        Arbitrary<String> truncated = Arbitraries.integers().between(1, Math.max(1, valid.length() - 1))
                .map(n -> valid.substring(0, n));
        return Arbitraries.oneOf(Arbitraries.of(fixed), truncated);
    }

    /** A value that does not fit a field of this (OpenAPI) type. */
    static Arbitrary<JsonNode> value(String type, JsonNode schema) {
        Arbitrary<JsonNode> text = text().map(NODES::textNode);
        Arbitrary<JsonNode> deep = Arbitraries.just(OpenApiFuzz.raw("[".repeat(OpenApiFuzz.DEEP) + "]".repeat(OpenApiFuzz.DEEP)));
        return switch (type) {
            case "integer" -> Arbitraries.oneOf(raws("99999999999999999999", "-99999999999999999999", "1e400", "-1",
                    "-2147483649", "{}", "[]", "\"abc\""), Arbitraries.integers().lessOrEqual(-1).map(NODES::numberNode));
            case "number" -> raws("1e400", "-1e400", "-1", "-1e308", "{}", "[]", "\"abc\"");
            case "boolean" -> raws("\"maybe\"", "{}", "[]");
            case "array" -> Arbitraries.oneOf(raws("{}", "7"), deep);
            case "object" -> Arbitraries.oneOf(raws("[]", "7", "\"fuzz\""), deep);
            case "map" -> Arbitraries.oneOf(raws("[]", "7", "\"fuzz\""), deep, text.map(t -> NODES.objectNode().set("k", t)));
            case "enum" -> Arbitraries.oneOf(text, raws("\"NOT_A_MEMBER\"", "{}", "[]"));
            case "any" -> Arbitraries.oneOf(text, deep);
            default -> switch (schema.path("format").asText()) {
                case "uuid" -> Arbitraries.oneOf(text, raws("\"not-a-uuid\"", "{}", "[]", "7"));
                case "date-time" -> Arbitraries.oneOf(text, raws("\"yesterday\"", "{}", "[]"));
                default -> Arbitraries.oneOf(text, raws("{}", "[]"));
            };
        };
    }

    private static Arbitrary<JsonNode> raws(String... json) {
        return Arbitraries.of(json).map(OpenApiFuzz::raw);
    }
}
