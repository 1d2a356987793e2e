package dev.loupe.common.rest;

import java.util.List;

/**
 * Thrown by resources and services to answer with a problem+json error. The factory methods follow our REST
 * conventions: 400 malformed, 404 unknown, 409/412 conflicts, 422 well-formed but invalid, 428 precondition
 * required.
 */
public class ProblemException extends RuntimeException {

    private final int status;
    private final String title;
    private final List<FieldError> errors;

    public ProblemException(int status, String title, String detail, List<FieldError> errors) {
        super(detail);
        this.status = status;
        this.title = title;
        this.errors = errors == null ? List.of() : List.copyOf(errors);
    }

    public static ProblemException badRequest(String field, String message) {
        return new ProblemException(400, "Malformed request", field + ": " + message,
                List.of(new FieldError(field, message)));
    }

    public static ProblemException notFound(String what, Object id) {
        return new ProblemException(404, "Not found", what + " " + id + " does not exist", List.of());
    }

    /** A 404 that names the request field holding the unknown id, e.g. {@code itemIds[2]}. */
    public static ProblemException notFound(String field, String what, Object id) {
        String detail = what + " " + id + " does not exist";
        return new ProblemException(404, "Not found", detail, List.of(new FieldError(field, detail)));
    }

    public static ProblemException conflict(String detail) {
        return new ProblemException(409, "Conflict", detail, List.of());
    }

    public static ProblemException conflict(String field, String detail) {
        return new ProblemException(409, "Conflict", detail, List.of(new FieldError(field, detail)));
    }

    public static ProblemException preconditionFailed(String detail, List<FieldError> errors) {
        return new ProblemException(412, "Precondition failed", detail, errors);
    }

    public static ProblemException preconditionRequired(String detail) {
        return new ProblemException(428, "Precondition required", detail, List.of(new FieldError("If-Match", detail)));
    }

    public static ProblemException unprocessable(String field, String message) {
        return unprocessable(List.of(new FieldError(field, message)));
    }

    public static ProblemException unprocessable(List<FieldError> errors) {
        String detail = errors.size() == 1
                ? errors.getFirst().field() + ": " + errors.getFirst().message()
                : errors.size() + " invalid fields: " + String.join(", ", errors.stream().map(FieldError::field).toList());
        return new ProblemException(422, "Invalid request", detail, errors);
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }

    public List<FieldError> errors() {
        return errors;
    }
}
