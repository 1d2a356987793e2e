package dev.loupe.common.archfixture;

import dev.loupe.label.domain.ViolatingEntity;

/** Fixture for RulesCatchViolationsTest: platform code that knows a service's class. */
public class ViolatingPlatformClass {

    public String name(ViolatingEntity entity) {
        return entity.name;
    }
}
