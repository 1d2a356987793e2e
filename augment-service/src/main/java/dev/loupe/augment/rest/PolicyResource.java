package dev.loupe.augment.rest;

import dev.loupe.augment.client.LabelServiceClient;
import dev.loupe.augment.service.PolicyService;
import dev.loupe.common.rest.IfMatch;
import dev.loupe.common.rest.ProblemException;
import dev.loupe.security.Access;
import dev.loupe.security.Role;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.resteasy.reactive.RestHeader;
import org.jboss.resteasy.reactive.RestPath;

import java.io.IOException;
import java.util.Map;
import java.util.UUID;

@Path("/api/projects/{id}/augment-policy")
@Produces(MediaType.APPLICATION_JSON)
public class PolicyResource {

    /** Says whether the policy shown is the shipped default ({@code shipped}) or the project's own ({@code project}). */
    public static final String SOURCE_HEADER = "Loupe-Policy-Source";

    private final PolicyService policies;
    private final LabelServiceClient labels;
    private final Access access;

    public PolicyResource(PolicyService policies, LabelServiceClient labels, Access access) {
        this.policies = policies;
        this.labels = labels;
        this.access = access;
    }

    @GET
    @Operation(summary = "The project's label policy: per class, which operations keep the label, map it to another "
            + "class, or are forbidden. The shipped Roman-numeral table until the project saves its own; ETag = version")
    public Response get(@RestPath UUID id) throws IOException, InterruptedException {
        access.require(id, Role.VIEWER);
        requireProject(id);
        return respond(policies.current(id));
    }

    @PUT
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Replace the project's label policy (If-Match: the version from GET, \"0\" for the shipped one)")
    public Response put(@RestPath UUID id, Map<String, Object> body, @RestHeader(HttpHeaders.IF_MATCH) String ifMatch)
            throws IOException, InterruptedException {
        access.require(id, Role.CURATOR);
        if (body == null) throw ProblemException.badRequest("body", "a policy object {name, defaults, classes} is required");
        Long expected = IfMatch.parse(ifMatch);
        requireProject(id);
        return respond(policies.replace(id, body, expected, access.actor()));
    }

    private void requireProject(UUID id) throws IOException, InterruptedException {
        if (!labels.projectExists(id)) throw ProblemException.notFound("project", id);
    }

    private static Response respond(PolicyService.Current current) {
        return Response.ok(current.json()).tag(new EntityTag(String.valueOf(current.version())))
                .header(SOURCE_HEADER, current.shipped() ? "shipped" : "project").build();
    }
}
