package dev.loupe.dataset.evaluation;

import dev.loupe.common.rest.FieldErrors;
import dev.loupe.common.rest.ProblemException;
import dev.loupe.common.rest.QueryParams;
import dev.loupe.dataset.version.VersionService;
import dev.loupe.security.Access;
import dev.loupe.security.Role;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

import java.util.UUID;

/** Two versions' scores compared seed by seed. */
@Path("/api/versions/{versionId}/compare")
@Produces(MediaType.APPLICATION_JSON)
public class CompareResource {

    private final CompareService compare;
    private final VersionService versions;
    private final Access access;

    public CompareResource(CompareService compare, VersionService versions, Access access) {
        this.compare = compare;
        this.versions = versions;
        this.access = access;
    }

    @GET
    @Operation(summary = "This version against version `against` (same project): their completed evaluations paired by "
            + "seed; the mean difference in accuracy with a paired t interval (95%; unknown with one pair) on the test "
            + "folder when every pair has one, else on val, a verdict (better, worse: the interval excludes 0; else no "
            + "detectable difference) and per-class deltas. `basis=val` or `basis=test` chooses the side the verdict and "
            + "per-class deltas are given on (a frozen validation side may hold many more items than a small test "
            + "folder). 404 for an unknown version, 409 when no seeds pair up or basis=test without test scores")
    public CompareService.Comparison compare(@RestPath UUID versionId, @RestQuery String against,
                                             @RestQuery String basis) {
        UUID project = versions.projectOf(versionId);
        access.requireFor("version", versionId, project, Role.VIEWER);
        FieldErrors errors = new FieldErrors();
        UUID other = QueryParams.uuidParam(against, "against", errors);
        errors.check(against == null || against.isBlank(), "against", "is required: the version to compare with")
                .check(basis != null && !basis.equals("val") && !basis.equals("test"), "basis",
                        "must be val or test (or absent: test when every pair was scored on a test folder, else val)")
                .throwIfAny();
        UUID otherProject;
        try {
            otherProject = versions.projectOf(other);
        } catch (ProblemException e) {
            if (e.status() != 404) {
                throw e;
            }
            throw ProblemException.notFound("against", "version", other);
        }
        if (!otherProject.equals(project)) {
            // a version of another project is not one to compare with; whether it exists is not told
            throw ProblemException.notFound("against", "version", other);
        }
        return compare.compare(versionId, other, basis);
    }
}
