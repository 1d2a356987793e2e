package dev.loupe.augment.client;

import dev.loupe.label.api.FixtureApiRecord;

/** Fixture for RulesCatchViolationsTest: a service using another service's API package, which is allowed. */
public class UsesLabelApi {

    public String name(FixtureApiRecord record) {
        return record.name();
    }
}
