package dev.loupe.dataset.client;

import dev.loupe.common.client.LabelClient;
import dev.loupe.dataset.config.DatasetConfig;
import jakarta.inject.Singleton;

/** The label service at {@code loupe.dataset.label-service-url}: image bytes for exports. */
@Singleton
public class LabelServiceClient extends LabelClient {

    public LabelServiceClient(DatasetConfig config) {
        super(config.labelServiceUrl());
    }
}
