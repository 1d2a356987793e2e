package dev.loupe.label.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.loupe.common.rest.FieldErrors;
import dev.loupe.common.rest.ProblemException;

import java.util.Arrays;
import java.util.Iterator;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Request bodies whose unknown fields are refused rather than ignored, for requests where a silently dropped field
 * would mislead (e.g. credentials sent with an import, which are never taken from requests).
 */
final class StrictJson {

    private StrictJson() {
    }

    /** The body as the record, or a 400 problem for a body that is no JSON object, 422 naming each unknown field. */
    static <T extends Record> T read(ObjectMapper json, JsonNode body, Class<T> type, String unknownHint)
            throws JsonProcessingException {
        if (body == null || !body.isObject()) {
            throw ProblemException.badRequest("body", "a JSON object is required");
        }
        Set<String> known = Arrays.stream(type.getRecordComponents()).map(c -> c.getName()).collect(Collectors.toSet());
        FieldErrors errors = new FieldErrors();
        for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            errors.check(!known.contains(name), name, "unknown field (known: " + known.stream().sorted().toList() + ")"
                    + unknownHint);
        }
        errors.throwIfAny();
        return json.treeToValue(body, type);
    }
}
