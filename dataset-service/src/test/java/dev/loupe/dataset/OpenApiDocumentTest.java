package dev.loupe.dataset;

import dev.loupe.testing.OpenApiDocument;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** The REST contract is the committed src/main/openapi/openapi.yaml; rewrite it with -Dloupe.openapi.update=true. */
@QuarkusTest
class OpenApiDocumentTest {

    @Test
    void servedDocumentIsTheCommittedOne() {
        OpenApiDocument.assertServedMatchesCommitted();
    }
}
