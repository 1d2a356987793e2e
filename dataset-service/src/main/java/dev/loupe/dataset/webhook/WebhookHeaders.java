package dev.loupe.dataset.webhook;

/** The headers of a webhook request besides Content-Type and User-Agent. */
public final class WebhookHeaders {

    /** The event type wire name, e.g. {@code dev.loupe.dataset.version-published}. */
    public static final String EVENT = "Loupe-Event";
    /** The delivery id: the same for every attempt of a delivery, so a receiver can drop duplicates. */
    public static final String DELIVERY = "Loupe-Delivery";
    /** Unix seconds when this attempt was sent; signed with the body. */
    public static final String TIMESTAMP = "Loupe-Timestamp";
    /** {@code v1=<hex HMAC-SHA256(secret, timestamp + "." + body)>}, see {@link Signer}. */
    public static final String SIGNATURE = "Loupe-Signature";

    private WebhookHeaders() {
    }
}
