package dev.loupe.common.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.loupe.common.rest.Problem;
import io.quarkus.arc.DefaultBean;
import io.quarkus.vertx.http.runtime.VertxHttpRecorder;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import org.jboss.logging.Logger;

import java.util.List;

/**
 * Every service's HTTP hardening, before any resource runs: security headers on every response and per-endpoint
 * request body limits.
 *
 * <p>Body limits: {@code quarkus.http.limits.max-body-size} is the ceiling (the import endpoint's 2 GB in the label
 * service); each request gets its endpoint's own limit ({@code loupe.http.max-body-size}, or a
 * {@code loupe.http.body-limits.*} rule). A declared Content-Length over it is answered 413 problem+json at once,
 * before a byte of the body is read; a streamed (chunked) body is cut off by Quarkus when it passes the limit, which
 * this handler lowers for the request.</p>
 */
@ApplicationScoped
public class HttpHardening {

    private static final Logger LOG = Logger.getLogger(HttpHardening.class);
    /** After Quarkus' own upload limit (order -2), which records the global limit for streamed bodies. */
    static final int ORDER = -1;

    private final BodyLimits limits;
    private final ContentSecurityPolicy csp;
    private final ObjectMapper json;

    public HttpHardening(HttpConfig config, ContentSecurityPolicy csp, ObjectMapper json) {
        this.limits = BodyLimits.of(config);
        this.csp = csp;
        this.json = json;
    }

    void install(@Observes Router router) {
        router.route().order(ORDER).handler(this::handle);
    }

    void handle(RoutingContext rc) {
        HttpServerResponse response = rc.response();
        response.putHeader("X-Content-Type-Options", "nosniff");
        response.putHeader("X-Frame-Options", "DENY");
        String policy = csp.policy(rc);
        if (policy != null) {
            response.putHeader("Content-Security-Policy", policy);
        }
        String path = rc.normalizedPath();
        long limit = limits.limit(rc.request().method().name(), path);
        String length = rc.request().getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length != null) {
            long declared;
            try {
                declared = Long.parseLong(length.strip());
            } catch (NumberFormatException e) {
                declared = -1; // Vert.x answers a malformed Content-Length itself
            }
            if (declared > limit) {
                tooLarge(rc, path, declared, limit);
                return;
            }
        } else {
            rc.put(VertxHttpRecorder.MAX_REQUEST_SIZE_KEY, limit); // a streamed body: Quarkus counts its bytes
        }
        rc.next();
    }

    private void tooLarge(RoutingContext rc, String path, long declared, long limit) {
        String detail = "the request body (" + declared + " bytes) is larger than the " + BodyLimits.readable(limit)
                + " that " + rc.request().method().name() + " " + path + " accepts";
        LOG.debugf("Refused %s %s: %s", rc.request().method(), path, detail);
        String body;
        try {
            body = json.writeValueAsString(new Problem(null, "Payload Too Large", 413, detail, path, List.of()));
        } catch (Exception e) {
            body = "{\"title\":\"Payload Too Large\",\"status\":413}";
        }
        // the body is not read: close the connection after answering instead of draining it
        rc.response().setStatusCode(413)
                .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                .putHeader(HttpHeaders.CONNECTION, "close")
                .end(body);
    }

    /** The default policy: {@code loupe.http.content-security-policy}, none on the Swagger and Dev UI pages. */
    @Produces
    @DefaultBean
    @ApplicationScoped
    ContentSecurityPolicy defaultPolicy(HttpConfig config) {
        return apiPolicy(config.contentSecurityPolicy());
    }

    /** {@code policy} for API answers; Swagger UI and Dev UI run inline scripts of their own and only get framing denied. */
    public static ContentSecurityPolicy apiPolicy(String policy) {
        return rc -> isToolPage(rc.normalizedPath()) ? "frame-ancestors 'none'" : policy;
    }

    static boolean isToolPage(String path) {
        return path.startsWith("/q/swagger-ui") || path.startsWith("/q/dev-ui") || path.startsWith("/q/dev/");
    }
}
