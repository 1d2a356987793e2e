package dev.loupe.label.rest;

import dev.loupe.common.rest.ProblemException;
import dev.loupe.label.auth.AuthService;
import dev.loupe.security.Access;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestPath;

import java.util.List;
import java.util.UUID;

/** Accounts: a Loupe administrator's business. */
@Path("/api/users")
@Tag(name = "users")
public class UserResource {

    /** A new local account. */
    public record NewUser(String username, String password, String displayName, Boolean globalAdmin) {
    }

    /** A change of an account; absent fields stay as they are. */
    public record UserChange(String password, String displayName, Boolean globalAdmin, Boolean disabled) {
    }

    private final AuthService auth;
    private final Access access;

    public UserResource(AuthService auth, Access access) {
        this.auth = auth;
        this.access = access;
    }

    @GET
    @Operation(summary = "Every account (administrators only)")
    public List<AuthService.UserView> list() {
        access.requireGlobalAdmin();
        return auth.users();
    }

    @POST
    @Operation(summary = "Create a local account (administrators only)")
    public Response create(NewUser request, UriInfo uri) {
        access.requireGlobalAdmin();
        if (request == null) {
            throw ProblemException.badRequest("body", "a JSON object {username, password, displayName, globalAdmin} is required");
        }
        AuthService.UserView user = auth.createUser(request.username(), request.password(), request.displayName(),
                request.globalAdmin());
        return Response.created(uri.getBaseUriBuilder().path("api/users").path(user.id().toString()).build())
                .entity(user).build();
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "One account (administrators only)")
    public AuthService.UserView get(@RestPath UUID id) {
        access.requireGlobalAdmin();
        return auth.user(id);
    }

    @PUT
    @Path("/{id}")
    @Operation(summary = "Change an account: password, display name, administrator, disabled (administrators only)")
    public AuthService.UserView update(@RestPath UUID id, UserChange request) {
        access.requireGlobalAdmin();
        if (request == null) {
            throw ProblemException.badRequest("body", "a JSON object is required");
        }
        return auth.updateUser(access.caller(), id, request.password(), request.displayName(), request.globalAdmin(),
                request.disabled());
    }
}
