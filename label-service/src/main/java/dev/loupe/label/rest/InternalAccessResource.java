package dev.loupe.label.rest;

import dev.loupe.common.rest.ProblemException;
import dev.loupe.label.auth.AuthService;
import dev.loupe.security.Access;
import dev.loupe.security.AccessGrant;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestPath;

/** For the other Loupe services only: what a session or API token may do (they cache it). */
@Path("/api/internal/access")
@Tag(name = "internal")
public class InternalAccessResource {

    private final AuthService auth;
    private final Access access;

    public InternalAccessResource(AuthService auth, Access access) {
        this.auth = auth;
        this.access = access;
    }

    @GET
    @Path("/{credentialId}")
    @Operation(summary = "Resolve a credential id (a token's jti) to its account and memberships; 404 when revoked or expired (services only)")
    public AccessGrant resolve(@RestPath String credentialId) {
        access.requireService("embedding", "augment", "dataset", "trainer");
        return auth.resolve(credentialId).orElseThrow(() -> ProblemException.notFound("credential", credentialId));
    }
}
