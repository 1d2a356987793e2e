package dev.loupe.label.rest;

import dev.loupe.label.domain.ViolatingEntity;
import jakarta.ws.rs.Path;

/** Fixture for RulesCatchViolationsTest (test classes are not analysed by ArchitectureTest): a resource reading an entity. */
@Path("/fixture")
public class ViolatingResource {

    public String name(ViolatingEntity entity) {
        return entity.name;
    }
}
