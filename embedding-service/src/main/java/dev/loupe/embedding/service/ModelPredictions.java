package dev.loupe.embedding.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * A trained model's out-of-fold class probabilities per item, as the trainer service hands them over: the
 * label-issue finder's second, stronger signal ({@link ProjectAnalysis}). One set per project, replaced whole in one
 * transaction. Plain JDBC: the analysis reads it from background threads too, outside any request.
 */
@ApplicationScoped
public class ModelPredictions {

    /** Where the set came from. */
    public record Summary(UUID projectId, UUID versionId, UUID evaluationId, String model, List<String> classes, int items,
                          Instant receivedAt) {
    }

    /** A loaded set: probabilities per item, in the order of {@code summary.classes()}. */
    public record Set(Summary summary, Map<UUID, float[]> probabilities) {
    }

    private final AgroalDataSource db;
    private final ObjectMapper json;

    public ModelPredictions(AgroalDataSource db, ObjectMapper json) {
        this.db = db;
        this.json = json;
    }

    /** Replaces the project's set (all or nothing). */
    public Summary replace(UUID projectId, UUID versionId, UUID evaluationId, String model, List<String> classes,
                           Map<UUID, float[]> probabilities) {
        Instant now = Instant.now();
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            try {
                try (PreparedStatement delete = c.prepareStatement("DELETE FROM model_prediction_set WHERE project_id = ?")) {
                    delete.setObject(1, projectId);
                    delete.executeUpdate();
                }
                try (PreparedStatement set = c.prepareStatement("INSERT INTO model_prediction_set (project_id, version_id, "
                        + "evaluation_id, model, classes, items, received_at) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
                    set.setObject(1, projectId);
                    set.setObject(2, versionId);
                    set.setObject(3, evaluationId);
                    set.setString(4, model);
                    set.setString(5, json.writeValueAsString(classes));
                    set.setInt(6, probabilities.size());
                    set.setTimestamp(7, Timestamp.from(now));
                    set.executeUpdate();
                }
                try (PreparedStatement item = c.prepareStatement(
                        "INSERT INTO model_prediction (project_id, item_id, probabilities) VALUES (?, ?, ?)")) {
                    int batched = 0;
                    for (Map.Entry<UUID, float[]> e : probabilities.entrySet()) {
                        Float[] boxed = new Float[e.getValue().length];
                        for (int i = 0; i < boxed.length; i++) {
                            boxed[i] = e.getValue()[i];
                        }
                        Array array = c.createArrayOf("float4", boxed);
                        item.setObject(1, projectId);
                        item.setObject(2, e.getKey());
                        item.setArray(3, array);
                        item.addBatch();
                        if (++batched % 500 == 0) {
                            item.executeBatch();
                        }
                    }
                    item.executeBatch();
                }
                c.commit();
            } catch (SQLException | JsonProcessingException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException | JsonProcessingException e) {
            throw new IllegalStateException("cannot store the model predictions of project " + projectId, e);
        }
        return new Summary(projectId, versionId, evaluationId, model, List.copyOf(classes), probabilities.size(), now);
    }

    public boolean delete(UUID projectId) {
        try (Connection c = db.getConnection();
             PreparedStatement delete = c.prepareStatement("DELETE FROM model_prediction_set WHERE project_id = ?")) {
            delete.setObject(1, projectId);
            return delete.executeUpdate() > 0;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot delete the model predictions of project " + projectId, e);
        }
    }

    /** When the project's set arrived, or null without one: a cheap check whether cached findings are stale. */
    public Instant receivedAt(UUID projectId) {
        try (Connection c = db.getConnection();
             PreparedStatement q = c.prepareStatement("SELECT received_at FROM model_prediction_set WHERE project_id = ?")) {
            q.setObject(1, projectId);
            try (ResultSet rs = q.executeQuery()) {
                return rs.next() ? rs.getTimestamp(1).toInstant() : null;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the model predictions of project " + projectId, e);
        }
    }

    public Optional<Summary> summary(UUID projectId) {
        try (Connection c = db.getConnection()) {
            return summary(c, projectId);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the model predictions of project " + projectId, e);
        }
    }

    public Optional<Set> load(UUID projectId) {
        try (Connection c = db.getConnection()) {
            Optional<Summary> summary = summary(c, projectId);
            if (summary.isEmpty()) {
                return Optional.empty();
            }
            Map<UUID, float[]> probabilities = new HashMap<>();
            try (PreparedStatement q = c.prepareStatement(
                    "SELECT item_id, probabilities FROM model_prediction WHERE project_id = ?")) {
                q.setObject(1, projectId);
                try (ResultSet rs = q.executeQuery()) {
                    while (rs.next()) {
                        Object[] values = (Object[]) rs.getArray(2).getArray();
                        float[] p = new float[values.length];
                        for (int i = 0; i < p.length; i++) {
                            p[i] = ((Number) values[i]).floatValue();
                        }
                        probabilities.put(rs.getObject(1, UUID.class), p);
                    }
                }
            }
            return Optional.of(new Set(summary.get(), probabilities));
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the model predictions of project " + projectId, e);
        }
    }

    private Optional<Summary> summary(Connection c, UUID projectId) throws SQLException {
        try (PreparedStatement q = c.prepareStatement("SELECT version_id, evaluation_id, model, classes, items, received_at "
                + "FROM model_prediction_set WHERE project_id = ?")) {
            q.setObject(1, projectId);
            try (ResultSet rs = q.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                List<String> classes;
                try {
                    classes = json.readValue(rs.getString(4), new TypeReference<List<String>>() { });
                } catch (JsonProcessingException e) {
                    throw new IllegalStateException("stored classes unreadable", e);
                }
                return Optional.of(new Summary(projectId, rs.getObject(1, UUID.class), rs.getObject(2, UUID.class),
                        rs.getString(3), classes, rs.getInt(5), rs.getTimestamp(6).toInstant()));
            }
        }
    }
}
