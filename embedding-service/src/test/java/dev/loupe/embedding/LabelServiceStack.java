package dev.loupe.embedding;

import dev.loupe.testing.LoupeStackTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;

/** A real broker, database and packaged label service for every @QuarkusTest of this module. */
@QuarkusTestResource(value = LoupeStackTestResource.class, initArgs = @ResourceArg(name = "services", value = "label-service"))
public final class LabelServiceStack {
    private LabelServiceStack() {
    }
}
