package dev.loupe.label.rest;

import dev.loupe.common.http.ContentSecurityPolicy;
import dev.loupe.common.http.HttpConfig;
import dev.loupe.common.http.HttpHardening;
import dev.loupe.label.blob.S3Links;
import dev.loupe.label.config.LabelConfig;
import io.vertx.core.net.HostAndPort;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The Content-Security-Policy of the web page ({@code /}, {@code /ui/*}): scripts and styles from this service only,
 * no inline script or style attribute, no framing; the page may fetch from and show images of the other services.
 * Their origins come from {@code loupe.label.ui.*-url}; unset, the page finds them on its own host (other ports),
 * so any port of the page's host name is allowed.
 */
@ApplicationScoped
public class WebPagePolicy implements ContentSecurityPolicy {

    private static final Pattern HOST_NAME = Pattern.compile("[A-Za-z0-9.-]{1,253}");

    private final ContentSecurityPolicy api;
    private final List<String> configuredOrigins;
    private final boolean everyServiceConfigured;

    private final String imageStore;

    public WebPagePolicy(LabelConfig config, HttpConfig http, S3Links links) {
        this.api = HttpHardening.apiPolicy(http.contentSecurityPolicy());
        // images the page loads with ?redirect=true come from the object store's presigned URLs
        this.imageStore = links.origin().map(origin -> " " + origin).orElse("");
        List<Optional<String>> urls = List.of(config.ui().embeddingUrl(), config.ui().augmentUrl(), config.ui().datasetUrl());
        List<String> origins = new ArrayList<>();
        urls.forEach(url -> url.flatMap(WebPagePolicy::origin).filter(o -> !origins.contains(o)).ifPresent(origins::add));
        this.configuredOrigins = List.copyOf(origins);
        this.everyServiceConfigured = urls.stream().allMatch(Optional::isPresent);
    }

    @Override
    public String policy(RoutingContext request) {
        String path = request.normalizedPath();
        if (path.startsWith("/api/") || path.equals("/api") || path.startsWith("/q/")) {
            return api.policy(request);
        }
        return pagePolicy(request.request().authority());
    }

    String pagePolicy(HostAndPort authority) {
        List<String> others = new ArrayList<>(configuredOrigins);
        if (!everyServiceConfigured && authority != null && HOST_NAME.matcher(authority.host()).matches()) {
            others.add(authority.host().toLowerCase(Locale.ROOT) + ":*"); // the page's scheme, any port
        }
        String services = others.isEmpty() ? "" : " " + String.join(" ", others);
        return "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:" + services + imageStore
                + "; connect-src 'self'" + services
                + "; frame-ancestors 'none'; object-src 'none'; base-uri 'self'; form-action 'self'";
    }

    /** scheme://host[:port] of a service URL, or empty if it is not an absolute http(s) URL. */
    static Optional<String> origin(String url) {
        try {
            URI uri = URI.create(url.strip());
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
                return Optional.empty();
            }
            return Optional.of(scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT)
                    + (uri.getPort() < 0 ? "" : ":" + uri.getPort()));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
