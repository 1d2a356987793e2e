package dev.loupe.augment.rest;

import dev.loupe.augment.service.SuggestionService;
import dev.loupe.security.Access;
import dev.loupe.security.Role;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.resteasy.reactive.RestPath;

import java.io.IOException;
import java.util.UUID;

@Path("/api/projects/{id}/augment-suggestions")
@Produces(MediaType.APPLICATION_JSON)
public class SuggestionResource {

    private final SuggestionService suggestions;
    private final Access access;

    public SuggestionResource(SuggestionService suggestions, Access access) {
        this.suggestions = suggestions;
        this.access = access;
    }

    @GET
    @Operation(summary = "Which classes need new samples: class counts, small style clusters and confused class pairs "
            + "(from the embedding service), each suggestion with a ready request body")
    public SuggestionService.Suggestions get(@RestPath UUID id) throws IOException, InterruptedException {
        access.require(id, Role.VIEWER);
        return suggestions.suggest(id);
    }
}
