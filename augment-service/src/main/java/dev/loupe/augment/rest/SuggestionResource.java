package dev.loupe.augment.rest;

import dev.loupe.augment.service.SuggestionService;
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

    public SuggestionResource(SuggestionService suggestions) {
        this.suggestions = suggestions;
    }

    @GET
    @Operation(summary = "Which classes need new samples: class counts, small style clusters and confused class pairs "
            + "(from the embedding service), each suggestion with a ready request body")
    public SuggestionService.Suggestions get(@RestPath UUID id) throws IOException, InterruptedException {
        return suggestions.suggest(id);
    }
}
