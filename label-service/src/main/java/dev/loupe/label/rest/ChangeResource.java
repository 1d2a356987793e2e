package dev.loupe.label.rest;

import dev.loupe.security.Access;
import dev.loupe.security.PublicEndpoint;
import dev.loupe.security.Role;

import dev.loupe.common.rest.ProblemException;
import dev.loupe.label.config.LabelConfig;
import dev.loupe.label.config.OidcConfig;
import dev.loupe.label.service.ChangeFeed;
import dev.loupe.label.service.ProjectService;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.resteasy.reactive.RestHeader;
import org.jboss.resteasy.reactive.RestPath;

import java.util.UUID;

@Path("/api")
public class ChangeResource {

    /**
     * Where the web page finds the other services (null: the page's host with the default ports), and whether the
     * sign-in page offers the organisation's identity provider (OpenID Connect).
     */
    public record UiConfig(String embeddingUrl, String augmentUrl, String datasetUrl, boolean oidc) {
    }

    private final ChangeFeed feed;
    private final ProjectService projects;
    private final LabelConfig config;
    private final OidcConfig oidc;

    private final Access access;

    public ChangeResource(ChangeFeed feed, ProjectService projects, LabelConfig config, OidcConfig oidc, Access access) {
        this.access = access;
        this.oidc = oidc;
        this.feed = feed;
        this.projects = projects;
        this.config = config;
    }

    @GET
    @Path("/projects/{id}/changes")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @Blocking
    @Operation(summary = "Server-sent events: every item event of the project as it happens (event name = event type, "
            + "data = the event's envelope, id = its sequence; send Last-Event-ID to resume)")
    @org.eclipse.microprofile.openapi.annotations.responses.APIResponse(responseCode = "200",
            description = "the stream of events",
            content = @org.eclipse.microprofile.openapi.annotations.media.Content(mediaType = MediaType.SERVER_SENT_EVENTS))
    public void changes(@RestPath UUID id, @RestHeader("Last-Event-ID") String lastEventId, @Context SseEventSink sink,
                        @Context Sse sse) {
        access.require(id, Role.VIEWER);
        projects.requireExists(id);
        Long last = null;
        if (lastEventId != null && !lastEventId.isBlank()) {
            try {
                last = Long.parseLong(lastEventId.strip());
            } catch (NumberFormatException e) {
                throw ProblemException.badRequest("Last-Event-ID", "must be an event sequence number, was " + lastEventId);
            }
        }
        feed.subscribe(id, sink, sse, last);
    }

    @GET
    @Path("/ui-config")
    @PublicEndpoint
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "The web page's settings: where it finds the embedding, augment and dataset services, and "
            + "whether sign-in through the organisation's identity provider is on")
    public UiConfig uiConfig() {
        return new UiConfig(config.ui().embeddingUrl().orElse(null), config.ui().augmentUrl().orElse(null),
                config.ui().datasetUrl().orElse(null), oidc.enabled());
    }
}
