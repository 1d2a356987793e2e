package dev.loupe.label.domain;

import dev.loupe.label.rest.ViolatingResource;
import jakarta.persistence.Entity;

/** Fixture for RulesCatchViolationsTest: an entity that knows a resource, closing a cycle domain -> rest -> domain. */
@Entity
public class ViolatingEntity {

    public String name;

    public ViolatingResource resource() {
        return new ViolatingResource();
    }
}
