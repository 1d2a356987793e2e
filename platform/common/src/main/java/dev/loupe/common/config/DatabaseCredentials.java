package dev.loupe.common.config;

import io.smallrye.config.ConfigMapping;

/**
 * The database credentials, required: Quarkus treats the datasource user and password as optional, so without this
 * mapping a production service missing {@code LOUPE_DB_USER} would try the operating system's user instead of
 * refusing to start. Each service maps {@code loupe.db.user} and {@code loupe.db.password} to its datasource keys;
 * the prod profile has no defaults, so start-up fails with
 * {@code Could not expand value LOUPE_DB_USER in property quarkus.datasource.username}.
 */
@ConfigMapping(prefix = "loupe.db")
public interface DatabaseCredentials {

    String user();

    String password();
}
