package dev.loupe.dataset.webhook;

import dev.loupe.common.rest.FieldErrors;
import dev.loupe.common.rest.ProblemException;
import dev.loupe.common.rest.QueryParams;
import dev.loupe.security.Access;
import dev.loupe.security.Caller;
import dev.loupe.security.Role;
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
    private final Access access;

    public WebhookResource(WebhookService webhooks, Access access) {
        this.webhooks = webhooks;
        this.access = access;
    }

    @POST
    @Operation(summary = "Register a webhook: {url, events, secret, projectId?}. Each event is POSTed to url with the "
            + "headers Loupe-Event, Loupe-Delivery, Loupe-Timestamp and Loupe-Signature (v1=hex HMAC-SHA256 of "
            + "timestamp.body with the secret). 422 for a url that is not http(s) or reaches a forbidden address. "
            + "Admins of the project; a webhook without projectId (every project's events): Loupe administrators")
    public Response create(CreateWebhook request, UriInfo uri) {
        if (request == null) {
            throw ProblemException.badRequest("body", "a JSON object {url, events, secret, projectId} is required");
        }
        requireAdmin(request.projectId(), null);
        WebhookView webhook = webhooks.register(request.url(), request.events(), request.secret(), request.projectId(),
                access.actor());
        return Response.created(location(uri, webhook.id())).entity(webhook).build();
    }

    @GET
    @Operation(summary = "List the webhooks of the projects you are an admin of (every webhook for Loupe "
            + "administrators), oldest first")
    public List<WebhookView> list() {
        Caller caller = access.caller();
        return webhooks.list().stream().filter(w -> manages(caller, w.projectId())).toList();
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "One webhook")
    public WebhookView get(@RestPath UUID id) {
        requireAdminOf(id);
        return webhooks.get(id);
    }

    @DELETE
    @Path("/{id}")
    @Operation(summary = "Delete a webhook and its delivery log; nothing is sent to it any more")
    public Response delete(@RestPath UUID id) {
        requireAdminOf(id);
        webhooks.delete(id);
        return Response.noContent().build();
    }

    @GET
    @Path("/{id}/deliveries")
    @Operation(summary = "The delivery log of a webhook, newest first: status (PENDING, DELIVERED, FAILED), attempts, "
            + "the last status code and error; filter by status, at most limit (default 50, at most 500)")
    public List<DeliveryView> deliveries(@RestPath UUID id, @RestQuery String status, @RestQuery String limit) {
        requireAdminOf(id);
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
        requireAdminOf(id);
        return webhooks.delivery(id, deliveryId);
    }

    @POST
    @Path("/{id}/deliveries/{deliveryId}/redeliver")
    @Operation(summary = "Send a DELIVERED or FAILED delivery again: 202 with a new delivery (new id, redeliveryOf the "
            + "original, attempts from 0); 409 while the original is still PENDING")
    public Response redeliver(@RestPath UUID id, @RestPath UUID deliveryId, UriInfo uri) {
        requireAdminOf(id);
        DeliveryView again = webhooks.redeliver(id, deliveryId);
        URI location = uri.getBaseUriBuilder().path("api/webhooks").path(id.toString()).path("deliveries")
                .path(again.id().toString()).build();
        return Response.accepted(again).location(location).build();
    }

    /**
     * Every operation on a webhook, reads too (they show where events go), is for admins of its project; a webhook of
     * all projects is for Loupe administrators. For a caller who may not see the project the webhook does not exist.
     */
    private void requireAdminOf(UUID id) {
        requireAdmin(webhooks.projectOf(id).orElse(null), id);
    }

    private void requireAdmin(UUID projectId, UUID webhookId) {
        if (projectId == null) {
            access.requireGlobalAdmin();
        } else if (webhookId == null) {
            access.require(projectId, Role.ADMIN);
        } else {
            access.requireFor("webhook", webhookId, projectId, Role.ADMIN);
        }
    }

    private static boolean manages(Caller caller, UUID projectId) {
        return projectId == null ? caller.isGlobalAdmin()
                : caller.roleIn(projectId).map(role -> role.atLeast(Role.ADMIN)).orElse(false);
    }

    private static URI location(UriInfo uri, UUID id) {
        return uri.getBaseUriBuilder().path("api/webhooks").path(id.toString()).build();
    }
}
