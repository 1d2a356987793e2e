package dev.loupe.testing;

import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;

import java.util.List;

/**
 * The property behind {@link OpenApiFuzz}: every malformed request is rejected. Run only by {@link OpenApiFuzz#run()}
 * (it lives in main code, so no test scan picks it up on its own); tries come from the launcher's configuration.
 * No shrinking: each failure already names the one request that failed, and shrinking would resend hundreds.
 */
public class OpenApiFuzzProperty {

    @Property(seed = "20261205", shrinking = ShrinkingMode.OFF)
    void malformedRequestsAreRejected(@ForAll("malformedRequests") List<OpenApiFuzz.FuzzCase> requests) {
        fuzz().check(requests);
    }

    @Provide
    Arbitrary<List<OpenApiFuzz.FuzzCase>> malformedRequests() {
        return fuzz().requests();
    }

    private static OpenApiFuzz fuzz() {
        OpenApiFuzz fuzz = OpenApiFuzz.current;
        if (fuzz == null) {
            throw new IllegalStateException("run through OpenApiFuzz.run(), which points the property at a service");
        }
        return fuzz;
    }
}
