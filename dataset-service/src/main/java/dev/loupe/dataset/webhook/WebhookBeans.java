package dev.loupe.dataset.webhook;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import javax.net.ssl.SSLSocketFactory;

/** The framework-free parts of webhooks, configured from {@link WebhookConfig}. */
@ApplicationScoped
public class WebhookBeans {

    @Produces
    @Singleton
    UrlGuard urlGuard(WebhookConfig config) {
        return new UrlGuard(config.allowLoopback(), config.allowPrivate());
    }

    @Produces
    @Singleton
    WebhookTransport webhookTransport(WebhookConfig config) {
        // the JDK's trust store: receivers need a certificate from a public CA (or one added to the JVM's trust store)
        return new WebhookTransport((SSLSocketFactory) SSLSocketFactory.getDefault(), config.connectTimeout(),
                config.requestTimeout());
    }
}
