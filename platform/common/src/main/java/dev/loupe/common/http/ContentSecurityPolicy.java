package dev.loupe.common.http;

import io.vertx.ext.web.RoutingContext;

/**
 * The Content-Security-Policy of one response. The default answers {@code loupe.http.content-security-policy} for
 * everything but the Swagger and Dev UI pages; a service that serves a page of its own provides another bean.
 */
public interface ContentSecurityPolicy {

    /** The policy for this request, or null to send none. */
    String policy(RoutingContext request);
}
