package dev.loupe.label.service;

import dev.loupe.common.rest.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

import java.util.List;

/** Reads image bytes by sha256. */
@ApplicationScoped
public class BlobService {

    /** Bytes and their media type. */
    public record Content(String contentType, byte[] bytes) {
    }

    private final EntityManager em;

    public BlobService(EntityManager em) {
        this.em = em;
    }

    /** The projects whose items show this image. */
    public List<java.util.UUID> projects(String sha256) {
        @SuppressWarnings("unchecked")
        List<java.util.UUID> rows = em.createNativeQuery("SELECT DISTINCT project_id FROM item WHERE sha256 = ?1", java.util.UUID.class)
                .setParameter(1, sha256).getResultList();
        return rows;
    }

    public Content require(String sha256) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("SELECT content_type, bytes FROM blob WHERE sha256 = ?1")
                .setParameter(1, sha256)
                .getResultList();
        if (rows.isEmpty()) {
            throw ProblemException.notFound("blob", sha256);
        }
        return new Content((String) rows.getFirst()[0], (byte[]) rows.getFirst()[1]);
    }
}
