package dev.loupe.dataset.webhook;

import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Makes one attempt of a claimed delivery: checks the target again, signs and POSTs. */
@ApplicationScoped
public class DeliverySender {

    public static final String USER_AGENT = "Loupe-Webhooks/0.1";

    /** The outcome of one attempt; {@code retryable} is false when trying again cannot help. */
    public record Attempt(boolean delivered, Integer statusCode, String error, boolean retryable) {
    }

    private final UrlGuard guard;
    private final WebhookTransport transport;

    public DeliverySender(UrlGuard guard, WebhookTransport transport) {
        this.guard = guard;
        this.transport = transport;
    }

    public Attempt send(DeliveryQueue.Claim claim) {
        URI target;
        List<InetAddress> addresses;
        try {
            // again at every attempt, on the addresses the connection will use: DNS may have changed since registration
            target = guard.parse(claim.url());
            addresses = guard.resolve(target);
        } catch (UrlGuard.Rejected e) {
            boolean dnsHiccup = e.kind() == UrlGuard.Rejected.Kind.UNRESOLVABLE;
            return new Attempt(false, null, (dnsHiccup ? "" : "not sent: ") + "url " + e.getMessage(), dnsHiccup);
        }
        byte[] body = claim.payload().getBytes(StandardCharsets.UTF_8);
        long timestamp = Instant.now().getEpochSecond(); // per attempt, so a retry is not taken for a replay
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        headers.put("User-Agent", USER_AGENT);
        headers.put(WebhookHeaders.EVENT, claim.eventType());
        headers.put(WebhookHeaders.DELIVERY, claim.deliveryId().toString());
        headers.put(WebhookHeaders.TIMESTAMP, Long.toString(timestamp));
        headers.put(WebhookHeaders.SIGNATURE, Signer.sign(claim.secret(), timestamp, body));
        try {
            int status = transport.post(target, addresses, headers, body);
            if (status >= 200 && status < 300) {
                return new Attempt(true, status, null, true);
            }
            String error = "the receiver answered " + status + (status >= 300 && status < 400 ? " (redirects are not followed)" : "");
            return new Attempt(false, status, error, true);
        } catch (IOException e) {
            return new Attempt(false, null, e.getClass().getSimpleName() + ": " + e.getMessage(), true);
        }
    }
}
