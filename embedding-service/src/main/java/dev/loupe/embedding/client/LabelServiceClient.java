package dev.loupe.embedding.client;

import dev.loupe.common.client.LabelClient;
import dev.loupe.embedding.config.EmbeddingConfig;
import jakarta.inject.Singleton;

/** The label service at {@code loupe.embedding.label-service-url}. */
@Singleton
public class LabelServiceClient extends LabelClient {

    public LabelServiceClient(EmbeddingConfig config) {
        super(config.labelServiceUrl());
    }
}
