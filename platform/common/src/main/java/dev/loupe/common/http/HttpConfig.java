package dev.loupe.common.http;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/** Response headers and request body limits of every service ({@code loupe.http.*}, {@code LOUPE_HTTP_*}). */
@ConfigMapping(prefix = "loupe.http")
public interface HttpConfig {

    /**
     * Largest request body of an endpoint that no {@link #bodyLimits() rule} names: JSON requests are small.
     * {@code quarkus.http.limits.max-body-size} stays the ceiling of every rule.
     */
    @WithDefault("1M")
    MemorySize maxBodySize();

    /** Endpoints that take larger bodies (imports, image uploads), by name. */
    Map<String, BodyLimit> bodyLimits();

    /**
     * The Content-Security-Policy of every response except the web page (which the label service sets) and the
     * Swagger/Dev UI pages: API answers load nothing and may not be framed.
     */
    @WithDefault("default-src 'none'; frame-ancestors 'none'")
    String contentSecurityPolicy();

    /** One endpoint's limit: the request paths it applies to, a regular expression over the whole path. */
    interface BodyLimit {
        Pattern path();

        /** Only these methods (default: every method). */
        Optional<java.util.List<String>> methods();

        MemorySize maxSize();
    }
}
