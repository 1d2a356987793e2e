package dev.loupe.common.rest;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SafeTextTest {

    record Named(String name, List<String> classes, Map<String, Object> extra) {
    }

    private final ObjectMapper mapper = mapper();

    @Test
    void nulAndUnpairedSurrogatesAreProblemsButPairsAndNullAreFine() {
        assertNull(SafeText.problem(null));
        assertNull(SafeText.problem("roman \uD83D\uDE00 numerals"));
        assertTrue(SafeText.problem("a\u0000b").contains("NUL"));
        assertTrue(SafeText.problem("\uD800").contains("unpaired"));
        assertTrue(SafeText.problem("a\uD800b").contains("unpaired"));
        assertTrue(SafeText.problem("\uDC00a").contains("unpaired"));
    }

    @Test
    void jsonStringsKeysAndListItemsAreCheckedWithTheirPath() throws Exception {
        assertEquals("ok", mapper.readValue("{\"name\":\"ok\"}", Named.class).name());
        assertEquals(List.of("classes", 1), path(assertThrows(MismatchedInputException.class,
                () -> mapper.readValue("{\"classes\":[\"i\",\"i\\u0000\"]}", Named.class))));
        assertEquals(List.of("name"), path(assertThrows(MismatchedInputException.class,
                () -> mapper.readValue("{\"name\":\"\\uD800\"}", Named.class))));
        assertThrows(MismatchedInputException.class, () -> mapper.readValue("{\"extra\":{\"k\\u0000\":1}}", Named.class));
        assertThrows(MismatchedInputException.class, () -> mapper.readValue("{\"extra\":{\"k\":[\"\\u0000\"]}}", Named.class));
    }

    @Test
    void percentEncodedBytesMustBeUtf8() {
        assertTrue(SafeParamsFilter.isUtf8("/api/projects/abc"));
        assertTrue(SafeParamsFilter.isUtf8("label=%C3%A9t%C3%A9"));
        assertFalse(SafeParamsFilter.isUtf8("label=%FF"));
        assertFalse(SafeParamsFilter.isUtf8("label=%C0%80"), "overlong NUL");
        assertFalse(SafeParamsFilter.isUtf8("label=%ED%A0%80"), "encoded surrogate");
    }

    private static List<Object> path(MismatchedInputException e) {
        return e.getPath().stream().map(r -> r.getFieldName() != null ? (Object) r.getFieldName() : r.getIndex()).toList();
    }

    private static ObjectMapper mapper() {
        ObjectMapper mapper = new ObjectMapper();
        new SafeStringsCustomizer().customize(mapper);
        return mapper;
    }
}
