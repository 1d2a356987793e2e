package dev.loupe.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a test field of type {@link S3ProxyServer} that {@link S3ProxyTestResource} fills with the running server,
 * so a test can stop it.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.FIELD)
public @interface InjectS3Proxy {
}
