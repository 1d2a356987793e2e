package dev.loupe.label.api;

/** Fixture for RulesCatchViolationsTest: a record of label's API module, which other services may use. */
public record FixtureApiRecord(String name) {
}
