package dev.loupe.augment;

import dev.loupe.testing.LoupeStackTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;

/** A real broker, database and the packaged label and embedding services for every @QuarkusTest of this module. */
@QuarkusTestResource(value = LoupeStackTestResource.class,
        initArgs = @ResourceArg(name = "services", value = "label-service,embedding-service"))
public final class LoupeStack {
    private LoupeStack() {
    }
}
