package dev.loupe.common.rest;

/** One invalid field of a request: its path (e.g. {@code changes[3].label}) and what is wrong with it. */
public record FieldError(String field, String message) {
}
