package dev.loupe.augment.client;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.loupe.augment.config.AugmentConfig;
import dev.loupe.common.client.EmbeddingClient;
import jakarta.inject.Singleton;

/** The embedding service at {@code loupe.augment.embedding-service-url}: findings and clusters for suggestions. */
@Singleton
public class EmbeddingServiceClient extends EmbeddingClient {

    public EmbeddingServiceClient(AugmentConfig config, ObjectMapper json) {
        super(config.embeddingServiceUrl(), json);
    }
}
