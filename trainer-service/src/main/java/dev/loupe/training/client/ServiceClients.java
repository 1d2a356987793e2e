package dev.loupe.training.client;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.loupe.common.client.EmbeddingClient;
import dev.loupe.common.client.LabelClient;
import dev.loupe.training.config.TrainerConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** The shared clients of the label and embedding services, made from this service's configured URLs. */
@ApplicationScoped
public class ServiceClients {

    @Produces
    @Singleton
    LabelClient labelClient(TrainerConfig config) {
        return new LabelClient(config.labelServiceUrl());
    }

    @Produces
    @Singleton
    EmbeddingClient embeddingClient(TrainerConfig config, ObjectMapper json) {
        return new EmbeddingClient(config.embeddingServiceUrl(), json);
    }
}
