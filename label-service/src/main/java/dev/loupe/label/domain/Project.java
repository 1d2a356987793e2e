package dev.loupe.label.domain;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** A labelled image collection with a fixed list of classes. */
@Entity
@Table(name = "project")
public class Project extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(nullable = false, unique = true)
    public String name;

    @Column(nullable = false)
    public String[] classes;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    /** Whether imports by reference copy images into this deployment's store (or leave them in their bucket). */
    @Column(name = "copy_images", nullable = false)
    public boolean copyImages;

    public List<String> classList() {
        return Arrays.asList(classes);
    }

    public boolean hasClass(String label) {
        return label != null && classList().contains(label);
    }

    /** The project's spelling of a class name, matched exactly first and then ignoring case (folder names vary). */
    public Optional<String> canonicalClass(String name) {
        if (hasClass(name)) {
            return Optional.of(name);
        }
        return classList().stream().filter(c -> c.equalsIgnoreCase(name)).findFirst();
    }
}
