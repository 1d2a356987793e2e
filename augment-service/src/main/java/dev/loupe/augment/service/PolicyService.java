package dev.loupe.augment.service;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.loupe.augment.domain.ProjectPolicy;
import dev.loupe.augment.policy.AugmentPolicy;
import dev.loupe.augment.policy.InvalidPolicyException;
import dev.loupe.common.rest.FieldError;
import dev.loupe.common.rest.IfMatch;
import dev.loupe.common.rest.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Each project's label policy: its own when someone saved one, else the shipped Roman-numeral table. Edited with
 * optimistic concurrency (If-Match on the version; the default is version 0).
 */
@ApplicationScoped
public class PolicyService {

    /** A policy with its JSON form and version; {@code shipped} when the project has not saved its own. */
    public record Current(AugmentPolicy policy, Map<String, Object> json, long version, boolean shipped) {
    }

    private final ObjectMapper json = new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    private final Map<String, Object> shippedJson;
    private final AugmentPolicy shipped;

    public PolicyService() {
        try (InputStream in = AugmentPolicy.class.getResourceAsStream("roman-i-x.json")) {
            shippedJson = readMap(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        shipped = AugmentPolicy.fromMap(shippedJson);
    }

    @Transactional
    public Current current(UUID projectId) {
        ProjectPolicy stored = ProjectPolicy.findById(projectId);
        if (stored == null) {
            return new Current(shipped, shippedJson, 0, true);
        }
        Map<String, Object> map = readMap(stored.policy.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return new Current(AugmentPolicy.fromMap(map), map, stored.version, false);
    }

    /**
     * Replaces the project's policy. {@code expected} is the If-Match version ({@link IfMatch#ANY} for any).
     *
     * @throws ProblemException 428 without If-Match, 412 on a stale version, 422 naming the invalid policy field
     */
    @Transactional
    public Current replace(UUID projectId, Map<String, Object> body, Long expected, String actor) {
        if (expected == null) {
            throw ProblemException.preconditionRequired("send If-Match with the version from GET (\"0\" for the shipped default, or *)");
        }
        AugmentPolicy parsed;
        try {
            parsed = AugmentPolicy.fromMap(body);
        } catch (InvalidPolicyException e) {
            throw ProblemException.unprocessable(e.field(), e.getMessage());
        }
        ProjectPolicy stored = ProjectPolicy.findById(projectId, LockModeType.PESSIMISTIC_WRITE);
        long currentVersion = stored == null ? 0 : stored.version;
        if (expected != IfMatch.ANY && expected != currentVersion) {
            throw ProblemException.preconditionFailed("the policy is at version " + currentVersion + ", not " + expected,
                    List.of(new FieldError("If-Match", "stale: the current version is " + currentVersion)));
        }
        if (stored == null) {
            stored = new ProjectPolicy();
            stored.projectId = projectId;
        }
        stored.version = currentVersion + 1;
        try {
            stored.policy = json.writeValueAsString(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        stored.updatedBy = actor;
        stored.updatedAt = Instant.now();
        try {
            stored.persistAndFlush();
        } catch (jakarta.persistence.PersistenceException e) {
            // two first saves at once: the row did not exist to lock, the second insert loses
            throw ProblemException.preconditionFailed("the policy was saved by someone else meanwhile",
                    List.of(new FieldError("If-Match", "stale: reload the policy")));
        }
        return new Current(parsed, body, stored.version, false);
    }

    private Map<String, Object> readMap(byte[] bytes) {
        try {
            @SuppressWarnings("unchecked")
            Map<String, Object> map = json.readValue(bytes, Map.class);
            return map;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
