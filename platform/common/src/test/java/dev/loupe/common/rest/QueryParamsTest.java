package dev.loupe.common.rest;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class QueryParamsTest {

    @Test
    void aBooleanParameterIsTrueFalseOrAbsentAndAnythingElseIsAnErrorNamingIt() {
        FieldErrors errors = new FieldErrors();
        assertTrue(QueryParams.booleanParam("true", false, "allowStale", errors));
        assertFalse(QueryParams.booleanParam(" false ", true, "allowStale", errors));
        assertTrue(QueryParams.booleanParam(null, true, "allowStale", errors));
        assertFalse(QueryParams.booleanParam("", false, "allowStale", errors));
        assertTrue(errors.isEmpty());

        assertFalse(QueryParams.booleanParam("yes", false, "allowStale", errors));
        assertFalse(errors.isEmpty());
        ProblemException problem = assertThrows(ProblemException.class, errors::throwIfAny);
        assertEquals(422, problem.status());
        assertEquals(List.of(new FieldError("allowStale", "must be true or false: yes")), problem.errors());
    }
}
