package dev.loupe.label.auth;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.UUID;

/** A sign-in session or an API token of one account; the id is the token's {@code jti}. */
@Entity
@Table(name = "credential")
public class Credential extends PanacheEntityBase {

    public static final String SESSION = "session";
    public static final String API = "api";

    @Id
    public UUID id;

    @Column(name = "account_id", nullable = false)
    public UUID accountId;

    @Column(nullable = false)
    public String kind;

    public String name;

    @Column(name = "token_sha256")
    public String tokenSha256;

    @Column(name = "role_cap")
    public String roleCap;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "expires_at", nullable = false)
    public Instant expiresAt;

    @Column(name = "revoked_at")
    public Instant revokedAt;

    public boolean live(Instant now) {
        return revokedAt == null && now.isBefore(expiresAt);
    }
}
