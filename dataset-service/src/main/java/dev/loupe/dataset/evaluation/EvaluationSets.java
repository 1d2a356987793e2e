package dev.loupe.dataset.evaluation;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Which set a version's evaluations are scored on: its stored val side (how many items, a fingerprint of their ids,
 * the version it was frozen at) and, per evaluation, whether a test folder scored it too.
 */
@ApplicationScoped
public class EvaluationSets {

    /**
     * A version's validation side.
     *
     * @param valFingerprint   hex sha256 over the val item ids, sorted, one per line: equal for the same val items
     * @param frozenValVersion the version the project's validation side was frozen at when this one was made, or null
     */
    public record ValSide(int valItems, String valFingerprint, UUID frozenValVersion) {
    }

    /** The set an evaluation was scored on: the version's val side and whether a test folder scored it as well. */
    public record EvaluationSet(int valItems, String valFingerprint, UUID frozenValVersion, boolean testFolder) {
    }

    private final EntityManager em;

    public EvaluationSets(EntityManager em) {
        this.em = em;
    }

    /** The version's stored val side. */
    @Transactional(Transactional.TxType.MANDATORY)
    public ValSide valSide(UUID versionId) {
        @SuppressWarnings("unchecked")
        List<UUID> ids = em.createNativeQuery("SELECT item_id FROM version_item WHERE version_id = ?1 AND side = 'val'")
                .setParameter(1, versionId).getResultList();
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        ids.stream().map(UUID::toString).sorted().forEach(id -> digest.update((id + "\n").getBytes(StandardCharsets.UTF_8)));
        @SuppressWarnings("unchecked")
        List<UUID> frozen = em.createNativeQuery("SELECT frozen_val_version FROM dataset_version WHERE version_id = ?1")
                .setParameter(1, versionId).getResultList();
        return new ValSide(ids.size(), HexFormat.of().formatHex(digest.digest()), frozen.isEmpty() ? null : frozen.getFirst());
    }

    /** The set of one evaluation of a version with side {@code side}: a test folder counts when it reported a score. */
    public static EvaluationSet of(ValSide side, Object metrics) {
        boolean test = metrics instanceof Map<?, ?> m && (m.get("testAccuracy") instanceof Number
                || m.get("seedResults") instanceof List<?> seeds && !seeds.isEmpty() && seeds.stream()
                .allMatch(s -> s instanceof Map<?, ?> r && r.get("testAccuracy") instanceof Number));
        return new EvaluationSet(side.valItems(), side.valFingerprint(), side.frozenValVersion(), test);
    }
}
