package dev.loupe.label.auth;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.UUID;

/** A person who signs in to Loupe, with a local password or through an OpenID Connect provider. */
@Entity
@Table(name = "account")
public class Account extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(nullable = false, unique = true)
    public String username;

    @Column(name = "display_name")
    public String displayName;

    @Column(name = "password_hash")
    public String passwordHash;

    @Column(nullable = false)
    public String provider = "local";

    @Column(name = "external_subject")
    public String externalSubject;

    @Column(name = "global_admin", nullable = false)
    public boolean globalAdmin;

    @Column(nullable = false)
    public boolean disabled;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    public static Account byUsername(String username) {
        return find("username", username).firstResult();
    }
}
