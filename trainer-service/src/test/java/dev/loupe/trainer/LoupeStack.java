package dev.loupe.trainer;

import dev.loupe.testing.LoupeStackTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;

/** A real broker, database and the packaged label, embedding and dataset services for every @QuarkusTest here. */
@QuarkusTestResource(value = LoupeStackTestResource.class,
        initArgs = @ResourceArg(name = "services", value = "label-service,embedding-service,dataset-service"))
public final class LoupeStack {
    private LoupeStack() {
    }
}
