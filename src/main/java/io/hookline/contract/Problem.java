package io.hookline.contract;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** An RFC 9457 problem detail, the body of every error answer ({@code application/problem+json}). */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(name = "Problem", description = "RFC 9457 problem details")
@RegisterForReflection
public record Problem(
        @Schema(
                required = true,
                description = "URI naming the kind of problem",
                example = "https://hookline.dev/problems/validation")
        String type,

        @Schema(required = true, example = "Invalid request")
        String title,

        @Schema(required = true, description = "The HTTP status", example = "422")
        int status,

        @Schema(description = "What is wrong, for a human", example = "url: must use https")
        String detail,

        @Schema(
                description = "The fields at fault, when the problem is with the request; at most 20, and the detail "
                        + "then ends with how many more there were",
                maxItems = Validation.MAX_LISTED,
                example = "[{\"field\": \"url\", \"message\": \"must use https\"}]")
        List<FieldError> errors) {

    public static final String MEDIA_TYPE = "application/problem+json";
    public static final String TYPE_BASE = "https://hookline.dev/problems/";

    @Schema(name = "FieldError")
    @RegisterForReflection
    public record FieldError(
            @Schema(required = true, description = "JSON path of the field, or the parameter's name", example = "url")
            String field,

            @Schema(required = true, example = "must use https")
            String message) {}
}
