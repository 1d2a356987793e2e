package dev.loupe.common.rest;

import jakarta.ws.rs.core.Response;
import org.junit.jupiter.api.Test;

import java.sql.SQLException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** What a request meets when something fails below it. */
class ProblemMappersTest {

    private final ProblemMappers mappers = new ProblemMappers();

    @Test
    void anUnavailableDatabaseIsA503WithRetryAfterNotA500() {
        Response r = mappers.unexpected(new IllegalStateException("transaction failed",
                new SQLException("Connection to localhost:55432 refused", "08001")), null);
        assertEquals(503, r.getStatus());
        assertEquals(String.valueOf(ProblemMappers.RETRY_AFTER_SECONDS), r.getHeaderString("Retry-After"));
        assertEquals(Problem.MEDIA_TYPE, r.getMediaType().toString());
        assertEquals("Service Unavailable", ((Problem) r.getEntity()).title());

        Response pool = mappers.unexpected(new RuntimeException(
                new SQLException("Acquisition timeout while waiting for new connection")), null);
        assertEquals(503, pool.getStatus(), "no connection to be had from the pool while the database is down");
    }

    @Test
    void anyOtherFailureStaysA500WithoutRetryAfter() {
        Response r = mappers.unexpected(new SQLException("null value in column \"label\"", "23502"), null);
        assertEquals(500, r.getStatus());
        assertNull(r.getHeaderString("Retry-After"));
    }
}
