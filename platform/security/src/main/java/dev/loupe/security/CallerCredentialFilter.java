package dev.loupe.security;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.client.ClientRequestContext;
import jakarta.ws.rs.client.ClientRequestFilter;
import jakarta.ws.rs.core.HttpHeaders;

/**
 * Sends the signed-in caller's own verified Loupe token on a REST client's calls, so the other service checks the
 * user's role itself and records the user (not this service) as the actor. Registered per client in
 * application.properties ({@code quarkus.rest-client.<client>.providers}) for clients whose calls act for the user;
 * a call without a signed-in user (a service caller, a background thread) is refused here rather than sent with
 * another credential.
 */
@ApplicationScoped
@io.quarkus.arc.Unremovable // named only in configuration (quarkus.rest-client.<client>.providers), never injected
public class CallerCredentialFilter implements ClientRequestFilter {

    private final CurrentCaller current;

    public CallerCredentialFilter(CurrentCaller current) {
        this.current = current;
    }

    @Override
    public void filter(ClientRequestContext request) {
        Caller caller = current.get();
        String token = caller == null || caller.isService() ? null : current.credential().orElse(null);
        if (token == null) {
            throw new IllegalStateException("a call in the caller's name needs a signed-in user's credential");
        }
        request.getHeaders().putSingle(HttpHeaders.AUTHORIZATION, "Bearer " + token);
    }
}
