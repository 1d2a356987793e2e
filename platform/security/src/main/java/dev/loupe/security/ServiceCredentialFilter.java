package dev.loupe.security;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.client.ClientRequestContext;
import jakarta.ws.rs.client.ClientRequestFilter;
import jakarta.ws.rs.core.HttpHeaders;

/**
 * Sends this service's own credential on a REST client's calls; registered per client in application.properties
 * ({@code quarkus.rest-client.<client>.providers}), so no call to a non-Loupe URL can carry it.
 */
@ApplicationScoped
@io.quarkus.arc.Unremovable // named only in configuration (quarkus.rest-client.<client>.providers), never injected
public class ServiceCredentialFilter implements ClientRequestFilter {

    private final ServiceTokenSource tokens;

    public ServiceCredentialFilter(ServiceTokenSource tokens) {
        this.tokens = tokens;
    }

    @Override
    public void filter(ClientRequestContext request) {
        request.getHeaders().putSingle(HttpHeaders.AUTHORIZATION, "Bearer " + tokens.token());
    }
}
