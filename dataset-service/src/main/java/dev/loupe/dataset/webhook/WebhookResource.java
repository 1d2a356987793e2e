package dev.loupe.dataset.webhook;

import dev.loupe.common.rest.Actors;
import dev.loupe.common.rest.FieldErrors;
import dev.loupe.common.rest.ProblemException;
import dev.loupe.common.rest.QueryParams;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestHeader;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

@Path("/api/webhooks")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "webhooks")
public class WebhookResource {

    static final int MAX_LIMIT = 500;

    /** A webhook to register; {@code projectId} limits it to one project's events. */
    public record CreateWebhook(String url, List<String> events, String secret, UUID projectId) {
    }

    private final WebhookService webhooks;

    public WebhookResource(WebhookService webhooks) {
        this.webhooks = webhooks;
    }

    @POST
    @Operation(summary = "Register a webhook: {url, events, secret, projectId?}. Each event is POSTed to url with the "
            + "headers Loupe-Event, Loupe-Delivery, Loupe-Timestamp and Loupe-Signature (v1=hex HMAC-SHA256 of "
            + "timestamp.body with the secret). 422 for a url that is not http(s) or reaches a forbidden address")
    public Response create(CreateWebhook request, UriInfo uri, @RestHeader(Actors.HEADER) String user) {
        if (request == null) {
            throw ProblemException.badRequest("body", "a JSON object {url, events, secret, projectId} is required");
        }
        WebhookView webhook = webhooks.register(request.url(), request.events(), request.secret(), request.projectId(),
                Actors.of(user));
        return Response.created(location(uri, webhook.id())).entity(webhook).build();
    }

    @GET
    @Operation(summary = "List webhooks, oldest first")
    public List<WebhookView> list() {
        return webhooks.list();
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "One webhook")
    public WebhookView get(@RestPath UUID id) {
        return webhooks.get(id);
    }

    @DELETE
    @Path("/{id}")
    @Operation(summary = "Delete a webhook and its delivery log; nothing is sent to it any more")
    public Response delete(@RestPath UUID id) {
        webhooks.delete(id);
        return Response.noContent().build();
    }

    @GET
    @Path("/{id}/deliveries")
    @Operation(summary = "The delivery log of a webhook, newest first: status (PENDING, DELIVERED, FAILED), attempts, "
            + "the last status code and error; filter by status, at most limit (default 50, at most 500)")
    public List<DeliveryView> deliveries(@RestPath UUID id, @RestQuery String status, @RestQuery String limit) {
        FieldErrors errors = new FieldErrors();
        int max = QueryParams.intParam(limit, 50, "limit", errors);
        DeliveryStatus wanted = null;
        if (status != null && !status.isBlank()) {
            try {
                wanted = DeliveryStatus.valueOf(status.strip().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                errors.add("status", "must be PENDING, DELIVERED or FAILED");
            }
        }
        errors.check(max < 1 || max > MAX_LIMIT, "limit", "must be between 1 and " + MAX_LIMIT).throwIfAny();
        return webhooks.deliveries(id, wanted, max);
    }

    @GET
    @Path("/{id}/deliveries/{deliveryId}")
    @Operation(summary = "One delivery, with the payload it sends")
    public DeliveryView delivery(@RestPath UUID id, @RestPath UUID deliveryId) {
        return webhooks.delivery(id, deliveryId);
    }

    @POST
    @Path("/{id}/deliveries/{deliveryId}/redeliver")
    @Operation(summary = "Send a DELIVERED or FAILED delivery again: 202 with a new delivery (new id, redeliveryOf the "
            + "original, attempts from 0); 409 while the original is still PENDING")
    public Response redeliver(@RestPath UUID id, @RestPath UUID deliveryId, UriInfo uri) {
        DeliveryView again = webhooks.redeliver(id, deliveryId);
        URI location = uri.getBaseUriBuilder().path("api/webhooks").path(id.toString()).path("deliveries")
                .path(again.id().toString()).build();
        return Response.accepted(again).location(location).build();
    }

    private static URI location(UriInfo uri, UUID id) {
        return uri.getBaseUriBuilder().path("api/webhooks").path(id.toString()).build();
    }
}
