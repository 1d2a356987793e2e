package dev.loupe.augment.service;

import dev.loupe.augment.client.LabelServiceClient;
import dev.loupe.augment.domain.AugmentJob;
import dev.loupe.augment.domain.StoredGlyph;
import dev.loupe.common.rest.ProblemException;
import dev.loupe.security.Access;
import dev.loupe.security.Role;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.UUID;

/**
 * The project a job, glyph or item belongs to, so the resources can check the caller's role there before anything
 * else; an unknown id answers the same 404 a caller who may not see the project gets.
 */
@ApplicationScoped
public class Owners {

    private final LabelServiceClient labels;
    private final Access access;

    public Owners(LabelServiceClient labels, Access access) {
        this.labels = labels;
        this.access = access;
    }

    public UUID projectOfJob(UUID jobId) {
        return QuarkusTransaction.requiringNew().call(() -> AugmentJob.getEntityManager()
                .createQuery("select j.projectId from AugmentJob j where j.jobId = ?1", UUID.class)
                .setParameter(1, jobId).getResultStream().findFirst()
                .orElseThrow(() -> ProblemException.notFound("job", jobId)));
    }

    public UUID projectOfGlyph(UUID glyphId) {
        return QuarkusTransaction.requiringNew().call(() -> StoredGlyph.getEntityManager()
                .createQuery("select g.projectId from StoredGlyph g where g.glyphId = ?1", UUID.class)
                .setParameter(1, glyphId).getResultStream().findFirst()
                .orElseThrow(() -> ProblemException.notFound("glyph", glyphId)));
    }

    /**
     * Requires at least {@code role} in the project of an item at the label service: for an unknown item and for a
     * caller who may not see its project the same 404, naming {@code field} (the request field holding the id).
     */
    public void requireItem(UUID itemId, String field, Role role) throws LabelServiceClient.UnavailableException {
        UUID projectId = labels.item(itemId).orElseThrow(() -> ProblemException.notFound(field, "item", itemId)).projectId();
        if (access.caller().roleIn(projectId).isEmpty()) {
            throw ProblemException.notFound(field, "item", itemId);
        }
        access.requireFor("item", itemId, projectId, role);
    }
}
